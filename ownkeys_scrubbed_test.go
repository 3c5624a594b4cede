package logcrumbs_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestOwnKeyGroupScrubbed: a record's group named as one of logcrumbs'
// own keys ("logcrumbs.dropped_attrs", in a record that dropped
// attributes for MaxAttrs) is kept under "attr." as the record's other
// fields are, and scrubbed as they are: its secret key's value never
// leaves the process, in the event's breadcrumbs as in the trail's.
func TestOwnKeyGroupScrubbed(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{
		Hub:              rec.Hub(),
		BreadcrumbLimits: logcrumbs.Limits{MaxAttrs: 6},
	}}))
	ctx := logcrumbs.NewContext(context.Background())
	logger.InfoContext(ctx, "login",
		slog.Group("logcrumbs.dropped_attrs", "password", "hunter2", "user_agent", "curl"),
		"a", 1, "b", 2, "c", 3, "d", 4)
	logger.ErrorContext(ctx, "charge failed", "err", errors.New("card declined"))
	ev := rec.OnlyEvent()
	for _, b := range ev.Breadcrumbs() {
		if b.Message != "login" {
			continue
		}
		js, _ := json.Marshal(b.Data)
		if strings.Contains(string(js), "hunter2") {
			t.Errorf("breadcrumb %q sends the password: %s", b.Message, js)
		}
		if _, ok := b.Data["attr.logcrumbs.dropped_attrs"].(map[string]any); !ok {
			t.Errorf("breadcrumb %q does not keep the group under attr.logcrumbs.dropped_attrs: %s", b.Message, js)
		}
		return
	}
	t.Errorf("no breadcrumb of the login")
}

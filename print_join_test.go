package logcrumbs_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestPrintTransportJoinedErrors: the errors of an errors.Join (or of a
// record with two error attributes) are siblings, not one the cause of the
// next: printed, each is marked as one of the joined errors, indented under
// the join, and an error's own cause under it stays "caused by".
func TestPrintTransportJoinedErrors(t *testing.T) {
	var out bytes.Buffer
	client, err := sentry.NewClient(sentry.ClientOptions{
		Transport: logcrumbs.PrintTransport(&out, logcrumbs.PrintOptions{OmitTimes: true, Frames: -1}),
	})
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{
		Options: logcrumbs.Options{Hub: sentry.NewHub(client, sentry.NewScope())},
	}))
	disk := fmt.Errorf("write: %w", errors.New("disk full"))
	logger.Error("save failed", "err", fmt.Errorf("save: %w", errors.Join(disk, errors.New("index locked"))))
	var chain []string
	for _, line := range strings.Split(out.String(), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "at ") && strings.Contains(line, "*") {
			chain = append(chain, line)
		}
	}
	want := []string{
		`  exception: *fmt.wrapError: "save: write: disk full\nindex locked"`,
		`    caused by: *errors.joinError: "write: disk full\nindex locked"`,
		`      joined: *fmt.wrapError: write: disk full`,
		`      caused by: *errors.errorString: disk full`,
		`      joined: *errors.errorString: index locked`,
	}
	if got := strings.Join(chain, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("the chain printed as\n%s\nwant\n%s\n(whole output:\n%s)", got, strings.Join(want, "\n"), out.String())
	}
}

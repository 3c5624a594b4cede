package logrsentry_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/go-logr/logr"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/logrsentry"
)

// TestSlogBridgeWarnAndDebugLevels: slog records through
// logr.ToSlogHandler keep slog's levels, as slogsentry keeps them: a Warn
// record a warning breadcrumb, a Debug record a debug breadcrumb at the
// default Verbosity. Judgment call, left as it is: the bridge follows
// logr's own conversion (V = -level, clamped at 0), the one klog documents
// for Kubernetes (slog's Debug is V(4), its Warn V(0) Info), and the V
// levels the program's sink writes; a program that wants slog's Debug
// records kept sets Options.Verbosity to 4. Unskipped, on 0e39369:
//
//	breadcrumbs info:disk almost full, want slog's levels
func TestSlogBridgeWarnAndDebugLevels(t *testing.T) {
	t.Skip("defect (judgment call, logr's convention): the bridge maps slog levels as logr does, Warn to V(0) Info and Debug to V(4); see the comment")
	rec := logcrumbstest.New(t)
	ctx, log := logrsentry.WithContext(rec.Context(context.Background()), logr.New(logrsentry.NewSink(nil, logrsentry.Options{Options: rec.Options()})))
	sl := slog.New(logr.ToSlogHandler(log))
	sl.WarnContext(ctx, "disk almost full")
	sl.DebugContext(ctx, "cache miss")
	log.Error(nil, "failed")
	var got []string
	for _, b := range rec.OnlyEvent().Breadcrumbs() {
		got = append(got, string(b.Level)+":"+b.Message)
	}
	if s := strings.Join(got, ","); s != "warning:disk almost full,debug:cache miss" {
		t.Errorf("breadcrumbs %s, want slog's levels", s)
	}
}

package slogsentry_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// countStringer shows how many times its String method was called: a value
// whose text depends on who calls it first.
type countStringer struct{ n *atomic.Int32 }

func (s countStringer) String() string { return strconv.Itoa(int(s.n.Add(1))) }

// TestBreadcrumbPlainValuesFirst: a breadcrumb's strings, numbers and
// times are copied before the wrapped handler runs, its other values after
// it. With plain values before, between and after a Stringer, a LogValuer
// and a group holding one, the wrapped handler writes what it writes alone
// (it calls the Stringer first, as without logcrumbs), each LogValue is
// called once, and the breadcrumb holds every value, the
// LogValuers' resolved.
func TestBreadcrumbPlainValuesFirst(t *testing.T) {
	rec := logcrumbstest.New(t)
	ctx := rec.Context(context.Background())
	run := func(wrap bool) (string, int32) {
		var out bytes.Buffer
		var h slog.Handler = slog.NewTextHandler(&out, &slog.HandlerOptions{ReplaceAttr: noTime})
		if wrap {
			h = slogsentry.NewHandler(h, slogsentry.Options{Options: rec.Options()})
		}
		var s, v atomic.Int32
		slog.New(h).InfoContext(ctx, "crumb", "a", "x", "b", 2, "s", countStringer{&s}, "c", 1.5,
			"v", countValuer{&v}, slog.Group("g", "t", true, "v", countValuer{&v}), "d", time.Second)
		return out.String(), v.Load()
	}
	plain, plainCalls := run(false)
	wrapped, wrappedCalls := run(true)
	if wrapped != plain || wrappedCalls != plainCalls {
		t.Errorf("wrapped output (%d LogValue calls):\n%s\nplain output (%d calls):\n%s", wrappedCalls, wrapped, plainCalls, plain)
	}
	slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()})).ErrorContext(ctx, "boom")
	crumbs := rec.WaitEvents(1, time.Second)[0].Breadcrumbs()
	if len(crumbs) != 1 {
		t.Fatalf("breadcrumbs: %+v", crumbs)
	}
	// The Stringer's second call is logcrumbs', after the wrapped handler's.
	want := "map[a:x b:2 c:1.5 d:1s g:map[t:true v:2] s:2 v:1]"
	if got := fmt.Sprint(crumbs[0].Data); got != want {
		t.Errorf("breadcrumb data %s, want %s", got, want)
	}
}

package logcrumbs_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// TestRunJobNilFn: RunJob with a nil fn (a handler looked up in a map that
// has none for this message) is the caller's mistake: RunJob says so, naming
// the job, instead of a nil pointer dereference from inside logcrumbs; with
// Recover it returns that error (a consumer's loop goes on), without it it
// panics with it. Neither is an event: no code of the job ran.
func TestRunJobNilFn(t *testing.T) {
	for _, withRecover := range []bool{false, true} {
		rec := logcrumbstest.New(t)
		ctx := rec.Context(context.Background())
		var err error
		var p any
		func() {
			defer func() { p = recover() }()
			err = logcrumbs.RunJob(ctx, "sync-cart", logcrumbs.JobOptions{Recover: withRecover, Options: rec.Options()}, nil)
		}()
		got := fmt.Sprint(p)
		if withRecover {
			got = fmt.Sprint(err)
			if p != nil {
				t.Errorf("Recover: RunJob panicked %v, want an error returned", p)
			}
		} else if p == nil {
			t.Errorf("RunJob returned %v, want a panic", err)
		}
		if !strings.Contains(got, `RunJob "sync-cart"`) || !strings.Contains(got, "nil fn") {
			t.Errorf("Recover %v: %q, want it to say that RunJob %q was given a nil fn", withRecover, got, "sync-cart")
		}
		if n := len(rec.Events()); n != 0 {
			t.Errorf("Recover %v: %d events, want none", withRecover, n)
		}
	}
}

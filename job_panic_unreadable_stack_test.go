package logcrumbs_test

import (
	"context"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// unreadableError's Error panics: an event of it says that reading it
// panicked.
type unreadableError struct{}

func (unreadableError) Error() string { panic("unreadableError.Error") }

// TestJobPanicUnreadableErrorStack: a job panics with an error that cannot
// be read. Its event says so, with the stack of the panic as an event of
// a readable panic value has it: ending at the panic, the function that
// panicked on top, not runtime.gopanic.
func TestJobPanicUnreadableErrorStack(t *testing.T) {
	rec := logcrumbstest.New(t)
	_ = logcrumbs.RunJob(rec.Context(context.Background()), "cleanup", logcrumbs.JobOptions{Options: rec.Options(), Recover: true}, func(ctx context.Context) error {
		panic(unreadableError{})
	})
	exs := rec.OnlyEvent().Event.Exception
	if len(exs) == 0 || exs[len(exs)-1].Stacktrace == nil || len(exs[len(exs)-1].Stacktrace.Frames) == 0 {
		t.Fatalf("exceptions %+v, want the outermost with a stack", exs)
	}
	frames := exs[len(exs)-1].Stacktrace.Frames
	top := frames[len(frames)-1]
	if top.Module == "runtime" || top.Module != "github.com/logcrumbs/logcrumbs_test" {
		t.Errorf("the stack's top frame is %s.%s (line %d), want the function that panicked, in this test", top.Module, top.Function, top.Lineno)
	}
}

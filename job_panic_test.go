package logcrumbs_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// nilDerefNode's functions dereference a nil pointer, as buggy code does:
// every such panic, wherever it happens, is one and the same runtime.Error
// value.
type nilDerefNode struct{ next *nilDerefNode }

//go:noinline
func parseOrder(n *nilDerefNode) int { return len(n.next.next.name()) }

//go:noinline
func chargeCard(n *nilDerefNode) int { return len(n.next.name()) }

func (n *nilDerefNode) name() string {
	if n == nil {
		var p *string
		return *p
	}
	return "node"
}

// TestRecoveredJobPanicsInsideAUnitEachSendAnEvent: a consumer runs each
// message as a job of its own with Recover, inside a unit of work (a
// request, or a RunJob for the consumer, as NewContext's godoc advises).
// Each message that panics is one event, even when two messages' panics
// are equal values (two nil dereferences in different functions, the same
// panic text): the first job's recovered panic does not make the unit drop
// the second job's event as "reported already".
func TestRecoveredJobPanicsInsideAUnitEachSendAnEvent(t *testing.T) {
	panics := map[string][2]func(context.Context) error{
		"nil dereference": {
			func(context.Context) error { parseOrder(&nilDerefNode{}); return nil },
			func(context.Context) error { chargeCard(&nilDerefNode{}); return nil },
		},
		"same text": {
			func(context.Context) error { panic("invariant broken") },
			func(context.Context) error { panic("invariant broken") },
		},
	}
	units := map[string]func(rec *logcrumbstest.Recorder, work func(ctx context.Context)){
		"RunJob": func(rec *logcrumbstest.Recorder, work func(ctx context.Context)) {
			_ = logcrumbs.RunJob(context.Background(), "consumer", logcrumbs.JobOptions{Options: rec.Options()},
				func(ctx context.Context) error { work(ctx); return nil })
		},
		"Middleware": func(rec *logcrumbstest.Recorder, work func(ctx context.Context)) {
			h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: rec.Options()})(
				http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { work(r.Context()) }))
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/batch", nil))
		},
	}
	for pname, fns := range panics {
		for uname, run := range units {
			t.Run(uname+"/"+pname, func(t *testing.T) {
				rec := logcrumbstest.New(t)
				var errs [2]error
				run(rec, func(ctx context.Context) {
					for i, fn := range fns {
						errs[i] = logcrumbs.RunJob(ctx, "message", logcrumbs.JobOptions{Options: rec.Options(), Recover: true}, fn)
					}
				})
				for i, err := range errs {
					if err == nil {
						t.Errorf("message %d: RunJob returned no error for its panic", i+1)
					}
				}
				if evs := rec.Events(); len(evs) != 2 {
					t.Errorf("%d events for two messages' recovered panics, want 2: %v (stats: %+v)", len(evs), evMessages(evs), logcrumbs.Stats())
				}
			})
		}
	}
}

// TestJobPanicGoingOnIsOneEventAfterARecoveredOne: after a message whose
// panic was recovered (Recover), a message whose panic goes on up
// (no Recover) through the consumer's unit is still one event: the
// unit that recovers it knows its job reported it.
func TestJobPanicGoingOnIsOneEventAfterARecoveredOne(t *testing.T) {
	rec := logcrumbstest.New(t)
	func() {
		defer func() { _ = recover() }()
		_ = logcrumbs.RunJob(context.Background(), "consumer", logcrumbs.JobOptions{Options: rec.Options()},
			func(ctx context.Context) error {
				_ = logcrumbs.RunJob(ctx, "message", logcrumbs.JobOptions{Options: rec.Options(), Recover: true},
					func(context.Context) error { panic("first message") })
				return logcrumbs.RunJob(ctx, "message", logcrumbs.JobOptions{Options: rec.Options()},
					func(context.Context) error { panic(errors.New("second message")) })
			})
	}()
	if evs := rec.Events(); len(evs) != 2 {
		t.Errorf("%d events, want 2 (one per message's panic): %v", len(evs), evMessages(evs))
	}
}

func evMessages(evs []logcrumbstest.Event) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = ev.Message
	}
	return out
}

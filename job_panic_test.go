package logcrumbs_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestJobPanicLoggedByCaller: the error RunJob returns for a panic it
// recovered (JobOptions.Recover), logged by its caller as the usual
// "if err != nil { log it }" does, is the panic's event: one event for the
// one bug (capture once), whose ID the caller's LastEventID gives; the
// error wraps a panic value that is an error.
func TestJobPanicLoggedByCaller(t *testing.T) {
	bad := errors.New("bad input")
	for _, p := range []any{"boom", bad} {
		rec := logcrumbstest.New(t)
		log := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
		ctx := rec.Context(context.Background())
		err := logcrumbs.RunJob(ctx, "sync", logcrumbs.JobOptions{Recover: true, Options: rec.Options()},
			func(context.Context) error { panic(p) })
		if err == nil {
			t.Fatalf("%v: RunJob returned nil", p)
		}
		log.ErrorContext(ctx, "job failed", "err", err)
		log.ErrorContext(ctx, "request failed", "err", err) // and a layer above
		ev := rec.OnlyEvent()
		if got := logcrumbs.LastEventID(ctx); got != ev.EventID {
			t.Errorf("%v: LastEventID %q, want the panic's event %q", p, got, ev.EventID)
		}
		if want := `logcrumbs: job "sync" panicked: ` + (map[bool]string{true: "boom", false: "bad input"})[p == "boom"]; err.Error() != want {
			t.Errorf("error %q, want %q", err, want)
		}
		if e, ok := p.(error); ok && !errors.Is(err, e) {
			t.Errorf("%v: the error does not wrap the panic value", p)
		}
	}
}

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

// offeredRecorder is a Recorder whose BeforeSend counts the events offered
// and drops those of the job named drop.
func offeredRecorder(t *testing.T, drop string) (*logcrumbstest.Recorder, func() []string) {
	var mu sync.Mutex
	var offered []string
	rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
		o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			mu.Lock()
			offered = append(offered, ev.Message)
			mu.Unlock()
			if drop != "" && ev.Tags["job"] == drop {
				return nil
			}
			return ev
		}
	})
	return rec, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), offered...)
	}
}

// errLoggedThenPanicked is an error a job logs, then panics with.
var errLoggedThenPanicked = errors.New("ledger out of balance")

// TestNestedJobLoggedPanicNamesItsEventAfterADroppedSibling: a consumer
// (RunJob, Recover) runs messages as jobs. Job "a" (Recover) panics with
// an error and is sent; job "b" (Recover) panics with the same error and
// BeforeSend drops its event; job "c", without Recover, logs the error
// (an event), then panics with it: the panic is that event (capture once),
// and goes up through the consumer, whose caller logs the error the
// consumer returns. The caller names job c's event, and nothing more is
// offered. The consumer's unit noted "b"'s event, which NotSentNested
// (2ce745b) blanked; job c's event (not a panic's: it never noted it)
// is not told to it: the caller names no event.
func TestNestedJobLoggedPanicNamesItsEventAfterADroppedSibling(t *testing.T) {
	rec, offered := offeredRecorder(t, "b")
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	boom := func(context.Context) error { panic(errLoggedThenPanicked) }
	err := logcrumbs.RunJob(ctx, "consumer", logcrumbs.JobOptions{Recover: true, Options: rec.Options()}, func(ctx context.Context) error {
		_ = logcrumbs.RunJob(ctx, "a", logcrumbs.JobOptions{Recover: true, Options: rec.Options()}, boom)
		_ = logcrumbs.RunJob(ctx, "b", logcrumbs.JobOptions{Recover: true, Options: rec.Options()}, boom)
		return logcrumbs.RunJob(ctx, "c", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
			logger.ErrorContext(ctx, "posting failed", "err", errLoggedThenPanicked)
			panic(errLoggedThenPanicked)
		})
	})
	if err == nil {
		t.Fatal("RunJob returned nil")
	}
	logger.ErrorContext(ctx, "consumer failed", "err", err)
	sent := rec.Events()
	if o := offered(); len(o) != 3 || len(sent) != 2 {
		t.Fatalf("BeforeSend offered %q, %d sent: want job a's and b's panics and job c's log", o, len(sent))
	}
	if got, want := logcrumbs.LastEventID(ctx), sent[1].EventID; got != want {
		t.Errorf("caller's LastEventID %q, want job c's event %q (%s)", got, want, sent[1].Message)
	}
}

// TestNestedJobLoggedPanicNotOfferedAgainByTheUnitAbove: a consumer
// (RunJob, Recover) runs a job without Recover that logs an error (an
// event), then panics with it: the panic is that event (capture once). The
// consumer recovers the panic going on and must not offer it again as an
// event of its own ("panic in job consumer"): its caller names the job's
// event.
func TestNestedJobLoggedPanicNotOfferedAgainByTheUnitAbove(t *testing.T) {
	rec, offered := offeredRecorder(t, "")
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	err := logcrumbs.RunJob(ctx, "consumer", logcrumbs.JobOptions{Recover: true, Options: rec.Options()}, func(ctx context.Context) error {
		return logcrumbs.RunJob(ctx, "c", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
			logger.ErrorContext(ctx, "posting failed", "err", errLoggedThenPanicked)
			panic(errLoggedThenPanicked)
		})
	})
	if err == nil {
		t.Fatal("RunJob returned nil")
	}
	logger.ErrorContext(ctx, "consumer failed", "err", err)
	sent := rec.Events()
	if o := offered(); len(o) != 1 || len(sent) != 1 {
		t.Fatalf("BeforeSend offered %q, %d sent: want job c's log's event alone", o, len(sent))
	}
	if got, want := logcrumbs.LastEventID(ctx), sent[0].EventID; got != want {
		t.Errorf("caller's LastEventID %q, want job c's event %q", got, want)
	}
}

// TestMiddlewareJobLoggedPanicNotOfferedAgain: Middleware (Recover) around
// a handler that runs a job without Recover, which logs an error (an
// event), then panics with it: the panic is that event (capture once), and
// Middleware must not offer it again.
func TestMiddlewareJobLoggedPanicNotOfferedAgain(t *testing.T) {
	rec, offered := offeredRecorder(t, "")
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Recover: true, Options: rec.Options()})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_ = logcrumbs.RunJob(r.Context(), "c", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
				logger.ErrorContext(ctx, "posting failed", "err", errLoggedThenPanicked)
				panic(errLoggedThenPanicked)
			})
		}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/post", nil))
	if o, sent := offered(), rec.Events(); len(o) != 1 || len(sent) != 1 {
		t.Errorf("BeforeSend offered %q, %d sent: want job c's log's event alone", o, len(sent))
	}
}

// TestNestedJobDroppedPanicNotNamedByCaller: a job (Recover) runs a job
// that panics; the inner job's panic event is dropped by BeforeSend (by
// its "job" tag). The outer job recovers the panic going on and returns it
// as an error, which its caller logs: no event was sent, so the caller's
// LastEventID, and the breadcrumb of its log, name none. The outer job
// took the panic for reported as the inner job's event (the units'
// processors note a panic's event before the client's BeforeSend runs)
// and handed that unsent event back to its caller. Nor is the panic
// offered again, by the outer job or by the caller's log.
func TestNestedJobDroppedPanicNotNamedByCaller(t *testing.T) {
	rec, offered := offeredRecorder(t, "inner")
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	err := logcrumbs.RunJob(ctx, "outer", logcrumbs.JobOptions{Recover: true, Options: rec.Options()}, func(ctx context.Context) error {
		return logcrumbs.RunJob(ctx, "inner", logcrumbs.JobOptions{Options: rec.Options()}, func(context.Context) error {
			panic("boom " + t.Name())
		})
	})
	if err == nil {
		t.Fatal("RunJob returned nil")
	}
	logger.ErrorContext(ctx, "outer failed", "err", err)
	sent := rec.Events()
	if got := string(logcrumbs.LastEventID(ctx)); got != "" {
		t.Errorf("caller's LastEventID %q, an event never sent (%d sent: %v)", got, len(sent), evMessages(sent))
	}
	if o := offered(); len(o) != 1 || len(sent) != 0 {
		t.Errorf("BeforeSend offered %q, %d sent: want the inner job's panic event alone, dropped, not offered again", o, len(sent))
	}
}

package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestRunJobTrails: a fresh job trail holds only the job's records; a child
// trail starts with the parent's; the parent's trail never gets the job's.
func TestRunJobTrails(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	logger := slog.New(slogsentry.NewHandler(nil, noDedupe))
	parent := sentry.SetHubOnContext(logcrumbs.NewContext(context.Background()), hub)
	logger.InfoContext(parent, "request step")

	for _, child := range []bool{false, true} {
		rec.Reset()
		err := logcrumbs.RunJob(parent, "send-email", logcrumbs.JobOptions{Child: child}, func(ctx context.Context) error {
			logger.InfoContext(ctx, "job step")
			logger.ErrorContext(ctx, "job failed", "err", errors.New("smtp down"))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		ev := rec.OnlyEvent()
		want := "job step"
		if child {
			want = "request step,job step"
		}
		if got := messages(ev); got != want {
			t.Errorf("child=%v: breadcrumbs %q, want %q", child, got, want)
		}
		if ev.Tags["job"] != "send-email" {
			t.Errorf("tags = %v", ev.Tags)
		}
	}
	if got := logcrumbs.FromContext(parent).Len(); got != 1 {
		t.Errorf("the parent trail has %d records, want its own 1", got)
	}
}

// TestRunJobPanic: a panic in a job is one event; it goes on, or with
// Recover comes back as an error. The job's error is returned as it is.
func TestRunJobPanic(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	ctx := sentry.SetHubOnContext(context.Background(), hub)
	boom := func(context.Context) error { panic("out of range") }

	err := logcrumbs.RunJob(ctx, "reindex", logcrumbs.JobOptions{Options: noDedupe.Options, Recover: true}, boom)
	if err == nil || !strings.Contains(err.Error(), `job "reindex" panicked: out of range`) {
		t.Errorf("err = %v", err)
	}
	if ev := rec.OnlyEvent(); ev.Message != "panic in job reindex: out of range" || ev.Level != sentry.LevelFatal {
		t.Errorf("event = %q %q", ev.Message, ev.Level)
	}

	rec.Reset()
	func() {
		defer func() {
			if p := recover(); p != "out of range" {
				t.Errorf("recovered %v", p)
			}
		}()
		_ = logcrumbs.RunJob(ctx, "reindex", logcrumbs.JobOptions{Options: noDedupe.Options}, boom)
	}()
	if n := len(rec.Events()); n != 1 {
		t.Errorf("%d events, want 1", n)
	}

	want := errors.New("plain failure")
	//lint:ignore SA1012 a nil context stands for Background
	if err := logcrumbs.RunJob(nil, "x", logcrumbs.JobOptions{}, func(context.Context) error { return want }); err != want {
		t.Errorf("err = %v", err)
	}
}

func TestNewChildContext(t *testing.T) {
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{}))
	parent := logcrumbs.NewContext(context.Background())
	logger.InfoContext(parent, "before")
	child := logcrumbs.NewChildContext(parent)
	logger.InfoContext(child, "in child")
	if p, c := logcrumbs.FromContext(parent).Len(), logcrumbs.FromContext(child).Len(); p != 1 || c != 2 {
		t.Errorf("parent %d, child %d records; want 1 and 2", p, c)
	}
	if logcrumbs.FromContext(logcrumbs.NewChildContext(context.Background())) == nil {
		t.Error("a child of a context without a trail has none")
	}
}

// noDedupe keeps every event: tests that fail twice on one line want both.
var noDedupe = slogsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}

// TestRunJobOutlivesRequest: a job a request starts in a goroutine, which
// runs after the request ended (and the middleware emptied its trail),
// still starts with the request's records when its child context is taken
// in the go statement, as RunJob's godoc says. The goroutine here starts
// RunJob only after the request ended, the worst case of
// go logcrumbs.RunJob(logcrumbs.NewChildContext(...), ...).
func TestRunJobOutlivesRequest(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	logger := slog.New(slogsentry.NewHandler(nil, noDedupe))
	requestDone := make(chan struct{})
	jobDone := make(chan struct{})
	handler := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.InfoContext(r.Context(), "order placed")
		jobCtx := logcrumbs.NewChildContext(context.WithoutCancel(r.Context())) // what the go statement evaluates
		go func() {
			defer close(jobDone)
			<-requestDone
			_ = logcrumbs.RunJob(jobCtx, "send-receipt", logcrumbs.JobOptions{Child: true}, func(ctx context.Context) error {
				logger.ErrorContext(ctx, "receipt failed", "err", errors.New("smtp down"))
				return nil
			})
		}()
	}))
	handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/orders", nil))
	close(requestDone)
	<-jobDone
	if got := messages(rec.OnlyEvent()); got != "order placed" {
		t.Errorf("the job's event has breadcrumbs %q, want the request's %q", got, "order placed")
	}
}

// TestJobHubIsTheJobsOwn: a job's hub is a clone of its request's, and an
// event captured through it by hand carries the job's trail once (the
// request's records copied at the start, then the job's), not the
// request's as well; capture-once in the job does not silence the request.
// (Found by review: a clone inherits the request unit's event processor.)
func TestJobHubIsTheJobsOwn(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	logger := slog.New(slogsentry.NewHandler(nil, noDedupe))
	shared := errors.New("upstream 503")
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.InfoContext(r.Context(), "order placed")
		jobCtx := logcrumbs.NewChildContext(context.WithoutCancel(r.Context()))
		logger.InfoContext(r.Context(), "request goes on")
		_ = logcrumbs.RunJob(jobCtx, "send-receipt", logcrumbs.JobOptions{Child: true}, func(ctx context.Context) error {
			logger.InfoContext(ctx, "job step")
			sentry.GetHubFromContext(ctx).CaptureException(shared)
			return nil
		})
		logger.ErrorContext(r.Context(), "request failed", "err", shared)
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/orders", nil))
	events := rec.Events()
	if len(events) != 2 {
		t.Fatalf("%d events, want 2: the job's hand capture and the request's own log", len(events))
	}
	if got, want := messages(events[0]), "order placed,job step"; got != want {
		t.Errorf("the job's event has breadcrumbs %q, want %q", got, want)
	}
	if got, want := messages(events[1]), "order placed,request goes on"; got != want {
		t.Errorf("the request's event has breadcrumbs %q, want %q", got, want)
	}
	for _, ev := range events {
		for k := range ev.Contexts {
			if strings.HasPrefix(k, "logcrumbs.unit") {
				t.Errorf("a unit marker left the process: %v", ev.Contexts)
			}
		}
	}
}

// TestJobPanicInRequestIsOneEvent: a job run inside a request that panics
// and does not recover is one event, though the panic goes on up through
// the request's middleware.
func TestJobPanicInRequestIsOneEvent(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub, DedupeWindow: -1}, Recover: true})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_ = logcrumbs.RunJob(r.Context(), "resize", logcrumbs.JobOptions{Options: noDedupe.Options}, func(context.Context) error {
				panic("out of memory")
			})
		}))
	if rec, p := serve(h, "/upload"); p != nil || rec.Code != http.StatusInternalServerError {
		t.Fatalf("panicked %v, status %d", p, rec.Code)
	}
	if n := len(rec.Events()); n != 1 {
		t.Errorf("%d events for one panic, want 1", n)
	}
}

// TestJobAtTopLevelErrorOnce: a RunJob at the top of a program (a
// consumer's loop, whose context carries no unit of work), whose caller
// logs the error RunJob returns as the usual "if err != nil { log it }"
// does, on that context: the job's event is the one event of the bug,
// for an error the job logged and returned and for a panic it recovered.
func TestJobAtTopLevelErrorOnce(t *testing.T) {
	jobs := map[string]func(log *slog.Logger) func(context.Context) error{
		"logged and returned": func(log *slog.Logger) func(context.Context) error {
			return func(ctx context.Context) error {
				err := errors.New("bad message")
				log.ErrorContext(ctx, "step failed", "err", err)
				return err
			}
		},
		"panic": func(*slog.Logger) func(context.Context) error {
			return func(context.Context) error { panic("boom") }
		},
	}
	for name, job := range jobs {
		t.Run(name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			opts := rec.Options()
			log := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
			base := sentry.SetHubOnContext(context.Background(), opts.Hub)
			err := logcrumbs.RunJob(base, "consume", logcrumbs.JobOptions{Recover: true, Options: opts}, job(log))
			if err == nil {
				t.Fatal("RunJob returned nil")
			}
			log.ErrorContext(base, "message failed", "err", err)
			rec.OnlyEvent()
		})
	}
}

// TestJobErrorLoggedByItsCallerIsOneEvent: "the same error logged at
// several layers is one event" holds across RunJob: a job logs its error
// (an event with the job's trail) and returns it, and the code that ran
// the job logs it again, as it is or wrapped; that is the job's event, not
// a second one, and LastEventID of the caller's unit names it. An error
// the job returned without logging it is the caller's event.
func TestJobErrorLoggedByItsCallerIsOneEvent(t *testing.T) {
	for _, child := range []bool{false, true} {
		for _, wrap := range []bool{false, true} {
			t.Run(fmt.Sprintf("child=%v,wrapped=%v", child, wrap), func(t *testing.T) {
				rec := logcrumbstest.New(t)
				logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
				ctx := rec.Context(context.Background())
				var jobEvent string
				err := logcrumbs.RunJob(ctx, "send-receipt", logcrumbs.JobOptions{Options: rec.Options(), Child: child},
					func(ctx context.Context) error {
						err := errors.New("smtp down")
						logger.ErrorContext(ctx, "send failed", "err", err)
						jobEvent = string(logcrumbs.LastEventID(ctx))
						return err
					})
				if wrap {
					err = fmt.Errorf("checkout: %w", err)
				}
				logger.ErrorContext(ctx, "job failed", "err", err)
				if evs := rec.Events(); len(evs) != 1 {
					t.Errorf("%d events for one error logged in the job and by its caller, want 1: %v", len(evs), evMessages(evs))
				}
				if got := string(logcrumbs.LastEventID(ctx)); got != jobEvent {
					t.Errorf("caller's LastEventID %q, want the job's event %q", got, jobEvent)
				}

				rec.Reset()
				err = logcrumbs.RunJob(ctx, "send-receipt", logcrumbs.JobOptions{Options: rec.Options(), Child: child},
					func(ctx context.Context) error { return errors.New("queue full") }) // not logged in the job
				logger.ErrorContext(ctx, "job failed", "err", err)
				if evs := rec.Events(); len(evs) != 1 || evs[0].Message != "job failed" {
					t.Errorf("events %v, want the caller's one", evMessages(evs))
				}
			})
		}
	}
}

// topJobThenLog runs, at the top of a program (ctx carries rec's hub, no
// unit of work), a job that logs err and returns it, then logs what RunJob
// returned, as a consumer's loop does.
func topJobThenLog(rec *logcrumbstest.Recorder, opts logcrumbs.Options, err error) {
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	ctx := sentry.SetHubOnContext(context.Background(), rec.Hub())
	got := logcrumbs.RunJob(ctx, "consume", logcrumbs.JobOptions{Options: opts}, func(ctx context.Context) error {
		logger.ErrorContext(ctx, "consume failed", "err", err)
		return err
	})
	logger.ErrorContext(ctx, "message failed", "err", got)
}

// TestTopJobErrorOncePerClient: RunJob at the top of a program hands the
// job's error back to the fallback trail for the job's client
// (Trail.HandBack). The fallback trail keeps each client's captures
// apart: a job of client B whose error client A's job returned before is
// B's event, and B's caller logging it must send nothing more.
func TestTopJobErrorOncePerClient(t *testing.T) {
	errDown := errors.New("broker down")
	a, b := logcrumbstest.New(t), logcrumbstest.New(t)
	topJobThenLog(a, a.Options(), errDown)
	topJobThenLog(b, b.Options(), errDown)
	if evs := a.Events(); len(evs) != 1 {
		t.Errorf("client A: %d events, want 1: %v", len(evs), evMessages(evs))
	}
	if evs := b.Events(); len(evs) != 1 {
		t.Errorf("client B: %d events, want 1 (its job's; the caller's log of the returned error is a second): %v", len(evs), evMessages(evs))
	}
}

// TestTopJobErrorOnceAfterWindow: the fallback trail counts an error as
// sent for FallbackCaptureWindow. A job at the top of a program returning
// an error another job returned longer ago than that is a new event, and
// its caller logging it must send nothing more.
func TestTopJobErrorOnceAfterWindow(t *testing.T) {
	errDown := errors.New("broker down")
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.FallbackCaptureWindow = 50 * time.Millisecond
	topJobThenLog(rec, opts, errDown)
	if evs := rec.Events(); len(evs) != 1 {
		t.Fatalf("first job: %d events, want 1: %v", len(evs), evMessages(evs))
	}
	time.Sleep(2 * opts.FallbackCaptureWindow)
	rec.Reset()
	topJobThenLog(rec, opts, errDown)
	if evs := rec.Events(); len(evs) != 1 {
		t.Errorf("second job, after the window: %d events, want 1 (its job's; the caller's log of the returned error is a second): %v", len(evs), evMessages(evs))
	}
}

// TestJobRetryLastEventIDNamesItsJob: a unit of work runs a job twice (a
// retry), each run logs the same error value (a sentinel: io.ErrUnexpectedEOF,
// context.DeadlineExceeded) and returns it; each run's event is sent, from
// its own trail. The caller logging what the second run returned is that
// run's event, as RunJob's doc says ("LastEventID of ctx names the job's"),
// not the first run's.
func TestJobRetryLastEventIDNamesItsJob(t *testing.T) {
	errSMTP := errors.New("smtp down")
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	var jobIDs []string
	for i := range 2 {
		err := logcrumbs.RunJob(ctx, "send", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
			logger.ErrorContext(ctx, "send failed", "err", errSMTP, "try", i)
			jobIDs = append(jobIDs, string(logcrumbs.LastEventID(ctx)))
			return errSMTP
		})
		logger.ErrorContext(ctx, "job failed", "err", err)
		if evs := rec.Events(); len(evs) != i+1 {
			t.Fatalf("run %d: %d events, want %d: %v", i, len(evs), i+1, evMessages(evs))
		}
		if got := string(logcrumbs.LastEventID(ctx)); got != jobIDs[i] {
			t.Errorf("run %d: caller's LastEventID %q, want that run's event %q", i, got, jobIDs[i])
		}
	}
}

// Package logcrumbstest records what logcrumbs would send to Sentry, so that
// a program's own tests can check that its code reports what it should, in
// the spirit of zap's zaptest/observer.
//
//	rec := logcrumbstest.New(t)
//	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
//	ctx := rec.Context(context.Background())
//	code.Under(ctx, logger)
//	ev := rec.WaitEvents(1, time.Second)[0]
//	// ev.Message, ev.BreadcrumbMessages(), ev.Exceptions(), ev.Tags, ev.LogContext()
//
// Every Recorder has a Sentry client of its own, so tests that run in
// parallel (t.Parallel) never see each other's events, and logcrumbs' noise
// control (deduplication, capture-once and the rate limit, kept per client)
// never mixes them either. Give the code under test a context from
// Recorder.Context (or another unit of work's): records logged without a
// trail go to the process-wide fallback trail, whose breadcrumbs every test
// shares, so an event from such a record may carry another test's
// breadcrumbs. It works with every integration: give the Recorder's Options
// (or its Hub) to slogsentry, zapsentry, zerologsentry, logrussentry or
// logrsentry. OnlyEvent checks
// that a failure was one event; Sent shows transactions and Sentry Logs
// too; NewRateLimited keeps the rate limit for a test of it.
//
// One piece of process-wide state still reaches across parallel tests:
// logcrumbs.Flush, whichever test calls it, sends the summary of every
// client's repeats suppressed so far, a Recorder's too. Deduplication is off
// in Options, but a logger built without them (the program's own, given
// only Recorder.Context) keeps its DedupeWindow: a test that logs one error
// twice may then see, beside its event, a summary event (tag
// "logcrumbs.summary" set to "true") that another test's Flush sent. Build
// the loggers under test with Options, or leave summaries out with Filter.
//
// Each Recorder's client is closed when its test ends (tb.Cleanup): its
// methods are for the test's own lifetime.
package logcrumbstest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/policy"
)

// Recorder keeps the events sent through its hub. It is safe for concurrent
// use.
type Recorder struct {
	tb  testing.TB
	hub *sentry.Hub
	tr  *transport
	// closed is set once the test's cleanup closed the client (whose
	// Close sent what it had batched): Logs then has nothing to flush,
	// and a flush of a closed client waits its whole timeout.
	closed *atomic.Bool
}

// New returns a Recorder for the test tb. configure, if given, may set
// client options (BeforeSend, MaxBreadcrumbs, ...; a nil one is skipped, as
// a test table's empty case); the transport is the Recorder's. The client
// is closed when the test ends (tb.Cleanup).
func New(tb testing.TB, configure ...func(*sentry.ClientOptions)) *Recorder {
	tb.Helper()
	r := newRecorder(tb, configure)
	policy.Default().Unlimit(r.hub.Client()) // every event a test provokes is recorded
	return r
}

// NewRateLimited is New for a test of the process-wide rate limit: its
// client, unlike New's, is subject to logcrumbs.SetRateLimit (default 10
// events a second after a burst of 100), so that a test can check what a
// burst of errors leaves of its events. Its Options still turn
// deduplication off.
func NewRateLimited(tb testing.TB, configure ...func(*sentry.ClientOptions)) *Recorder {
	tb.Helper()
	return newRecorder(tb, configure)
}

func newRecorder(tb testing.TB, configure []func(*sentry.ClientOptions)) *Recorder {
	tb.Helper()
	tr := &transport{notify: make(chan struct{}, 1)}
	opts := sentry.ClientOptions{}
	for _, c := range configure {
		if c != nil {
			c(&opts)
		}
	}
	opts.Transport = tr
	client, err := sentry.NewClient(opts)
	if err != nil {
		tb.Fatalf("logcrumbstest: sentry.NewClient: %v", err)
	}
	// sentry-go runs two goroutines per client (its Sentry Logs and
	// metrics batchers): stop them when the test ends, so that a suite
	// leaves no goroutine (goleak) and no client behind; and tell Flush,
	// which would wait its whole timeout for a closed client.
	closed := new(atomic.Bool)
	tb.Cleanup(func() {
		client.Close()
		policy.Default().Closed(client) // a later Flush does not wait for it
		closed.Store(true)
	})
	return &Recorder{tb: tb, hub: sentry.NewHub(client, sentry.NewScope()), tr: tr, closed: closed}
}

// Hub returns the hub that sends to the Recorder.
func (r *Recorder) Hub() *sentry.Hub { return r.hub }

// Options returns logcrumbs options that send to the Recorder, with
// deduplication off (DedupeWindow -1); the Recorder's client is exempt from
// the rate limit (logcrumbs.SetRateLimit), so that every event a test
// provokes is recorded even when it repeats one. Set other fields as the
// code under test sets them.
func (r *Recorder) Options() logcrumbs.Options {
	return logcrumbs.Options{Hub: r.hub, DedupeWindow: -1}
}

// Context returns a unit of work on ctx that reports to the Recorder: a new
// trail and a clone of its hub, bound as logcrumbs.Bind binds them, so that
// events captured by hand through sentry.GetHubFromContext carry the trail
// too.
func (r *Recorder) Context(ctx context.Context) context.Context {
	// Not NewContext: on a unit of work's context it keeps the unit's trail.
	return logcrumbs.Bind(logcrumbs.ContextWithTrail(ctx, logcrumbs.NewTrail(0)), r.hub.Clone())
}

// Events returns the events recorded so far (transactions and Sentry Logs
// batches left out), oldest first.
func (r *Recorder) Events() []Event { return r.tr.events() }

// OnlyEvent returns the one event recorded so far, and fails the test if
// there is not exactly one: for the common check that a failure is one
// event ("capture once"), whatever layers logged it. It does not wait:
// use WaitEvents for events logged on other goroutines.
func (r *Recorder) OnlyEvent() Event {
	r.tb.Helper()
	evs := r.Events()
	if len(evs) != 1 {
		r.tb.Fatalf("logcrumbstest: %d events, want 1: %s", len(evs), messages(evs))
		return Event{}
	}
	return evs[0]
}

// Sent returns everything the client handed to the transport so far, as
// sentry-go built it, in arrival order: the events Events returns, and also
// transactions (Type "transaction", with tracing on) and batches of Sentry
// Logs entries (Type "log", Logs holding the entries: records logcrumbs
// passes through at Options.PassThroughLevel, sent when the hub flushes).
// Use it to check that an event links to its transaction's trace, or what
// a pass-through record sent.
func (r *Recorder) Sent() []*sentry.Event { return r.tr.sent() }

// Logs flushes the hub's client (sentry-go batches Sentry Logs and sends
// them on a flush or every few seconds) and returns every Sentry Logs entry
// sent so far, in the order they were sent: what the integrations' Logs
// levels and Options.LogsOnEvent sent, as sentry-go built them (after the
// client's BeforeSendLog).
func (r *Recorder) Logs() []sentry.Log {
	if !r.closed.Load() {
		r.hub.Flush(2 * time.Second)
	}
	var out []sentry.Log
	for _, ev := range r.tr.sent() {
		if ev.Type == "log" {
			out = append(out, ev.Logs...)
		}
	}
	return out
}

// WaitEvents waits up to timeout for at least n events and returns them
// all; it fails the test if they do not come. Events sent from other
// goroutines arrive when those goroutines log; this waits for them.
func (r *Recorder) WaitEvents(n int, timeout time.Duration) []Event {
	r.tb.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		if evs := r.Events(); len(evs) >= n {
			return evs
		}
		select {
		case <-r.tr.notify:
		case <-deadline.C:
			evs := r.Events()
			r.tb.Fatalf("logcrumbstest: %d events after %v, want %d: %s", len(evs), timeout, n, messages(evs))
			return evs
		}
	}
}

// Filter returns the recorded events for which keep is true.
func (r *Recorder) Filter(keep func(Event) bool) []Event {
	var out []Event
	for _, ev := range r.Events() {
		if keep(ev) {
			out = append(out, ev)
		}
	}
	return out
}

// Reset forgets the events recorded so far (and what Sent returns).
func (r *Recorder) Reset() { r.tr.reset() }

// AtLevel keeps events of level l, for Filter.
func AtLevel(l sentry.Level) func(Event) bool {
	return func(ev Event) bool { return ev.Level == l }
}

// WithMessage keeps events whose message contains s, for Filter.
func WithMessage(s string) func(Event) bool {
	return func(ev Event) bool { return strings.Contains(ev.Message, s) }
}

// messages names the events for a failure message, each quoted (%q of
// the result): its message, or for an event with none (an error captured
// by hand) its outermost exception; with a hint when there are none.
func messages(evs []Event) string {
	if len(evs) == 0 {
		return "[] (none reached the Recorder: does the code under test log with a context from rec.Context, through a logger built with rec.Options() or rec.Hub()?)"
	}
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = ev.Message
		if out[i] == "" && len(ev.Exception) > 0 {
			ex := ev.Exception[len(ev.Exception)-1]
			out[i] = ex.Type + ": " + ex.Value
		}
	}
	return fmt.Sprintf("%q", out)
}

// transport keeps events in memory.
type transport struct {
	mu     sync.Mutex
	evs    []Event
	all    []*sentry.Event // evs and the rest, in arrival order
	notify chan struct{}
}

func (t *transport) Configure(sentry.ClientOptions)        {}
func (t *transport) Flush(time.Duration) bool              { return true }
func (t *transport) FlushWithContext(context.Context) bool { return true }
func (t *transport) Close()                                {}

func (t *transport) SendEvent(ev *sentry.Event) {
	t.mu.Lock()
	t.all = append(t.all, ev)
	if ev.Type == "" { // not a transaction, logs or check-in
		t.evs = append(t.evs, Event{ev})
	}
	t.mu.Unlock()
	if ev.Type != "" {
		return
	}
	select {
	case t.notify <- struct{}{}:
	default:
	}
}

func (t *transport) events() []Event {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Event(nil), t.evs...)
}

func (t *transport) sent() []*sentry.Event {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]*sentry.Event(nil), t.all...)
}

func (t *transport) reset() {
	t.mu.Lock()
	t.evs, t.all = nil, nil
	t.mu.Unlock()
}

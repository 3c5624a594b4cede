package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestHandCaptureOfInFlightEventDropped: other code of a unit captures by
// hand, through the unit's hub, an error the unit logged, while the client
// decides the logged error's event (BeforeSend, held here): the capture is
// that event (capture-once), and LastEventID names it meanwhile. The
// client then drops the event: LastEventID names no event, as when the
// capture comes after the drop.
func TestHandCaptureOfInFlightEventDropped(t *testing.T) {
	rec, inFlight, release := heldDrop(t, "")
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	boom := errors.New("hand in flight: card declined")
	done := make(chan struct{})
	go func() {
		defer close(done)
		logger.ErrorContext(ctx, "charge failed", "err", boom)
	}()
	<-inFlight
	sentry.GetHubFromContext(ctx).CaptureException(boom)
	if id := logcrumbs.LastEventID(ctx); id == "" {
		t.Fatal("in flight, LastEventID is empty: the capture by hand was not folded into the logged event")
	}
	close(release)
	<-done
	if n := len(rec.Events()); n != 0 {
		t.Fatalf("%d events, want none", n)
	}
	if id := logcrumbs.LastEventID(ctx); id != "" {
		t.Errorf("LastEventID = %q, dropped", id)
	}
}

// heldDrop returns a recorder whose client drops every event but those
// about an error of the text pass (sent; "" sends none), and holds the
// first it drops in BeforeSend until release is closed, closing inFlight
// once it holds it: the event is in flight, decided later.
func heldDrop(t *testing.T, pass string) (rec *logcrumbstest.Recorder, inFlight <-chan struct{}, release chan<- struct{}) {
	in, rel := make(chan struct{}), make(chan struct{})
	var once sync.Once
	rec = logcrumbstest.New(t, func(o *sentry.ClientOptions) {
		o.BeforeSend = func(ev *sentry.Event, hint *sentry.EventHint) *sentry.Event {
			if pass != "" && hint.OriginalException != nil && hint.OriginalException.Error() == pass {
				return ev
			}
			once.Do(func() { close(in); <-rel })
			return nil
		}
	})
	return rec, in, rel
}

// TestRepeatOfAnEventBeforeSendPanickedOnNamesNoEvent: an event whose
// BeforeSend panicked was not sent, as one BeforeSend dropped (returned
// nil) was not: a repeat of it within Options.DedupeWindow, in another
// unit of work, names no event (LastEventID empty, so EventIDHeader sets
// no header), as the repeat of a dropped event does, rather than the ID
// of an event Sentry never got.
func TestRepeatOfAnEventBeforeSendPanickedOnNamesNoEvent(t *testing.T) {
	for _, mode := range []string{"returns nil", "panics"} {
		t.Run(mode, func(t *testing.T) {
			var calls atomic.Int32
			rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
				o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
					if calls.Add(1) > 1 {
						return ev
					}
					if mode == "panics" {
						panic("BeforeSend bug")
					}
					return nil
				}
			})
			opts := rec.Options()
			opts.DedupeWindow = time.Minute
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
			var ids []sentry.EventID
			for range 2 {
				ctx := rec.Context(context.Background())
				logger.ErrorContext(ctx, "charge failed", "err", errors.New("card declined"))
				ids = append(ids, logcrumbs.LastEventID(ctx))
			}
			if len(rec.Events()) != 0 {
				t.Fatalf("%d events, want none (the first dropped, the second its repeat)", len(rec.Events()))
			}
			if ids[0] != "" || ids[1] != "" {
				t.Errorf("LastEventID of the dropped event's unit %q, of its repeat's %q; want both empty: no event was sent", ids[0], ids[1])
			}
		})
	}
}

// TestPassThroughOnlyAfterAnEventWasSent: Options.PassThroughLevel makes a
// unit of work talkative "once it has sent an event". A unit whose only
// error event the client dropped (a BeforeSend that filters an error type,
// as Sentry's docs advise, or SampleRate) sent none: its later records are
// not sent to Sentry Logs, as Options.LogsOnEvent sends nothing for it.
func TestPassThroughOnlyAfterAnEventWasSent(t *testing.T) {
	for _, mode := range []string{"BeforeSend keeps it", "BeforeSend drops it"} {
		t.Run(mode, func(t *testing.T) {
			rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
				o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
					if mode == "BeforeSend drops it" {
						return nil
					}
					return ev
				}
			})
			opts := rec.Options()
			opts.PassThroughLevel = sentry.LevelInfo
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
			ctx := rec.Context(context.Background())
			logger.ErrorContext(ctx, "request cancelled", "err", context.Canceled)
			logger.InfoContext(ctx, "cleaning up")
			logs, events := len(rec.Logs()), len(rec.Events())
			if want := events; logs != want {
				t.Errorf("%d Sentry Logs after an error whose event was %s (%d events), want %d", logs, map[bool]string{true: "sent", false: "dropped"}[events > 0], events, want)
			}
		})
	}
}

// TestJobHandsBackDedupedInFlightEvent: a job's record is deduplicated
// against another unit's event while the client decides it, and the job
// returns the error, handed back to the unit running it. The client then
// drops the event: the unit's log of the error names no event, nor is it
// the unit's LastEventID, as when the job runs after the drop.
func TestJobHandsBackDedupedInFlightEvent(t *testing.T) {
	rec, inFlight, release := heldDrop(t, "")
	opts := rec.Options()
	opts.DedupeWindow = time.Minute
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	log := func(ctx context.Context, err error) { logger.ErrorContext(ctx, "job in flight", "err", err) } // one call site
	u, parent := rec.Context(context.Background()), rec.Context(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		log(u, errors.New("job in flight: card declined"))
	}()
	<-inFlight
	boom := errors.New("job in flight: card declined")
	err := logcrumbs.RunJob(parent, "charge", logcrumbs.JobOptions{Options: opts}, func(ctx context.Context) error {
		log(ctx, boom) // deduplicated against U's event, in the client's hands
		return boom
	})
	if err != boom {
		t.Fatalf("RunJob = %v", err)
	}
	close(release)
	<-done
	log(parent, boom) // the job's event, handed back
	if n := len(rec.Events()); n != 0 {
		t.Fatalf("%d events, want none", n)
	}
	checkNamesNoEvent(t, parent)
}

// TestJobPanicFoldedIntoInFlightEventHandsBackNone: a job's goroutine logs
// an error, whose event the client holds (BeforeSend), and the job panics
// with that error meanwhile: the panic is folded into that event
// (capture once) and RunJob, recovering it, hands it back to the unit
// running the job. The client then drops the event: the unit's log of the
// error RunJob returned names no event, nor is it LastEventID, as for a
// job that returns the error (TestJobHandsBackDedupedInFlightEvent).
func TestJobPanicFoldedIntoInFlightEventHandsBackNone(t *testing.T) {
	rec, inFlight, release := heldDrop(t, "")
	opts := rec.Options()
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	parent := rec.Context(context.Background())
	boom := errors.New("job panic in flight: card declined")
	done := make(chan struct{})
	err := logcrumbs.RunJob(parent, "charge", logcrumbs.JobOptions{Options: opts, Recover: true}, func(ctx context.Context) error {
		go func() {
			defer close(done)
			logger.ErrorContext(ctx, "charge failed", "err", boom)
		}()
		<-inFlight
		panic(boom) // folded into the event in the client's hands
	})
	if !errors.Is(err, boom) {
		t.Fatalf("RunJob = %v", err)
	}
	close(release)
	<-done
	logger.ErrorContext(parent, "job failed", "err", err) // the job's event, handed back
	if n := len(rec.Events()); n != 0 {
		t.Fatalf("%d events, want none", n)
	}
	checkNamesNoEvent(t, parent)
}

// TestLastEventIDAfterInFlightDropKeepsEarlierEvent: a unit sends event A;
// then one goroutine logs error E, whose event B the client holds
// (BeforeSend) and drops, while another goroutine logs E too, folded into
// B. Had the second log come after the drop (or not at all), LastEventID
// would be A, the unit's last event sent; it is the empty ID instead, as
// eventid.go documents: the trail keeps no event before B (Trail.lastEvent
// with lastRef; another 24 bytes would push a trail with its context past
// its 1,024-byte size class, TestNewContextBytes). Which answer a user
// gets depends on how two goroutines interleave.
func TestLastEventIDAfterInFlightDropKeepsEarlierEvent(t *testing.T) {
	t.Skip("defect (judgment call, documented in eventid.go): LastEventID is \"\" rather than the unit's earlier sent event when a record was folded into an event the client then dropped; the same logs one after another give the earlier event")
	rec, inFlight, release := heldDrop(t, "first")
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	logger.ErrorContext(ctx, "first failed", "err", errors.New("first"))
	a := logcrumbs.LastEventID(ctx)
	if a == "" {
		t.Fatal("no event A")
	}
	boom := errors.New("in flight: card declined")
	done := make(chan struct{})
	go func() {
		defer close(done)
		logger.ErrorContext(ctx, "charge failed", "err", boom)
	}()
	<-inFlight
	logger.ErrorContext(ctx, "charge failed again", "err", boom) // folded into B
	close(release)
	<-done
	if id := logcrumbs.LastEventID(ctx); id != a {
		t.Errorf("LastEventID = %q, want A %q (as when the second log comes after the drop)", id, a)
	}
}

// TestLogsOnEventNameNoInFlightEventDroppedLater: with Options.LogsOnEvent,
// a record folded into an event the client is still deciding (B, held in
// BeforeSend) goes to Sentry Logs, and on the breadcrumbs of another event
// of the unit (F) sent meanwhile, naming B under sentry.event_id. The
// client then drops B: a Sentry Log (and F's breadcrumb) names an event
// never sent. eventref marks B only once dropped; what left the process
// before cannot be taken back. Fixing it would mean a third state of a
// reference (undecided), whose records Sentry Logs hold back and whose
// breadcrumbs on other events name no event (or wait).
func TestLogsOnEventNameNoInFlightEventDroppedLater(t *testing.T) {
	t.Skip("defect (judgment call, inherent to marking on drop): a Sentry Log (LogsOnEvent) and another event's breadcrumb taken while B was in its client's hands name B, which the client then drops")
	rec, inFlight, release := heldDrop(t, "other")
	opts := rec.Options()
	opts.LogsOnEvent = true
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	ctx := rec.Context(context.Background())
	boom := errors.New("logs in flight: card declined")
	done := make(chan struct{})
	go func() {
		defer close(done)
		logger.ErrorContext(ctx, "charge failed", "err", boom)
	}()
	<-inFlight
	logger.ErrorContext(ctx, "charge failed again", "err", boom) // folded into B
	logger.ErrorContext(ctx, "other failed", "err", errors.New("other"))
	close(release)
	<-done
	evs := rec.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events, want F alone", len(evs))
	}
	sent := string(evs[0].EventID)
	for _, c := range evs[0].Breadcrumbs() {
		if id, ok := c.Data["sentry.event_id"].(string); ok && id != sent {
			t.Errorf("F's breadcrumb %q names %s, never sent", c.Message, id)
		}
	}
	for _, l := range rec.Logs() {
		for k, v := range l.Attributes {
			if k == "sentry.event_id" && fmt.Sprint(v.AsInterface()) != sent {
				t.Errorf("Sentry Log %q names %v, never sent", l.Body, v.AsInterface())
			}
		}
	}
}

// TestHandCaptureDroppedByBeforeSendThenLogged: an error captured by hand
// through the unit's hub (hub.CaptureException), whose event the client's
// BeforeSend drops (here: it drops the events without a message, as a
// program filtering its bare captures might), and then logged, should reach
// Sentry as the logged record's event: the user never saw the first one.
// Today the unit's event processor notes the capture (capture-once) before
// BeforeSend runs, and the log is folded into it: nothing is sent.
//
// Skipped: no fix without wrapping the user's BeforeSend. logcrumbs learns
// the fate of its own events from the hub.CaptureEvent call it makes (the
// ID it returns, nil when the client dropped the event: eventref.Ref.Drop);
// a hand capture's call is the program's, and what logcrumbs sees of it is
// the unit's scope event processor, which sentry-go runs in prepareEvent,
// before the client's event processors, the global ones and BeforeSend
// (client.go, processEvent), any of which may drop it afterwards. sentry-go
// calls nothing of logcrumbs' after that: the client's options (BeforeSend,
// Transport) are the program's, copied into the client when it is made, and
// cannot be wrapped afterwards; a ClientOptions wrapper logcrumbs offered
// would change what the program's BeforeSend is (and see every event
// twice over). The one trace a drop leaves is that Hub.CaptureException does
// not set the hub's LastEventID, but only on the hub it was called on: a
// capture through a clone of the unit's hub (the pattern sentry-go advises
// for goroutines), through client.CaptureException with the hub's scope,
// or sentryhttp's recovery, leaves the unit's hub as a drop would, and
// taking those for drops would send a second event for every such error
// logged afterwards (capture-once broken where it works today), and two
// goroutines capturing at once race on it. logcrumbs' own events dropped
// by BeforeSend are not offered again either when logged again (the
// error's capture-once entry stays, under no event: RunJob's and
// LastEventID's docs): a hand capture is treated alike, and LastEventID's
// doc says a client-level BeforeSend that drops a hand capture is not
// seen.
func TestHandCaptureDroppedByBeforeSendThenLogged(t *testing.T) {
	t.Skip("needs a hook after the client's BeforeSend that sentry-go does not offer: see the comment")
	rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
		o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			if ev.Message == "" {
				return nil // a bare capture: dropped
			}
			return ev
		}
	})
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}))
	ctx := logcrumbs.Bind(logcrumbs.NewContext(context.Background()), rec.Hub().Clone())
	err := errors.New("disk full " + t.Name())
	if id := sentry.GetHubFromContext(ctx).CaptureException(err); id != nil {
		t.Fatalf("BeforeSend did not drop the hand capture: %s", *id)
	}
	logger.ErrorContext(ctx, "save failed", "err", fmt.Errorf("save: %w", err))
	evs := rec.Events()
	if len(evs) != 1 || evs[0].Message != "save failed" {
		t.Errorf("events %d, want the logged record's (the hand capture was dropped)", len(evs))
	}
	if got := logcrumbs.LastEventID(ctx); len(evs) == 1 && got != evs[0].EventID {
		t.Errorf("LastEventID %q, want the logged record's event %s", got, evs[0].EventID)
	}
}

// TestPassThroughNotAfterHandCaptureOnTheFallbackTrail: a hub bound to the
// process-wide fallback trail (so that errors captured by hand carry the
// breadcrumbs of context-less records) is no unit of work: an error
// captured by hand through it does not send every later context-less
// record of the process, of any goroutine, to Sentry Logs, as an error
// record on that trail does not (Options.PassThroughLevel).
func TestPassThroughNotAfterHandCaptureOnTheFallbackTrail(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.PassThroughLevel = sentry.LevelInfo
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	ctx := logcrumbs.Bind(logcrumbs.ContextWithTrail(context.Background(), logcrumbs.Fallback()), rec.Hub().Clone())
	sentry.GetHubFromContext(ctx).CaptureException(errors.New("boom " + t.Name()))
	logger.InfoContext(context.Background(), "later, another goroutine's")
	if evs := rec.Events(); len(evs) != 1 {
		t.Errorf("%d events, want the hand capture's", len(evs))
	}
	if logs := rec.Logs(); len(logs) != 0 {
		t.Errorf("%d Sentry Logs of context-less records after a hand capture bound to the fallback trail, want none", len(logs))
	}
}

package crosstest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"
	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/sentrytest"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/zapsentry"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// layeredLogger is one integration, made with some options.
type layeredLogger struct {
	name string
	make func(t *testing.T, opts logcrumbs.Options) logFuncs
}

// logFuncs log err (nil: none) at the error level with ctx's trail (none:
// the fallback trail): log always from one call site, with the attribute
// component=store; middle and upper each from a call site of its own, as
// the upper layers of a program log what a lower one returned.
type logFuncs struct {
	log, middle, upper func(ctx context.Context, msg string, err error)
}

// layeredLoggers are the integrations whose error records become events:
// slog, zap, and zerolog's hook and writer (with zerologsentry's
// ErrorMarshalFunc, so that they see the real error values, as slog and zap
// do).
var layeredLoggers = []layeredLogger{
	{"slog", func(_ *testing.T, opts logcrumbs.Options) logFuncs {
		logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
		return logFuncs{
			log: func(ctx context.Context, msg string, err error) {
				logger.ErrorContext(ctx, msg, "err", err, "component", "store")
			},
			middle: func(ctx context.Context, msg string, err error) { logger.ErrorContext(ctx, msg, "err", err) },
			upper:  func(ctx context.Context, msg string, err error) { logger.ErrorContext(ctx, msg, "err", err) },
		}
	}},
	{"zap", func(_ *testing.T, opts logcrumbs.Options) logFuncs {
		base := zap.New(zapsentry.NewCore(zapsentry.Options{Options: opts}))
		bind := func(ctx context.Context) *zap.Logger {
			if logcrumbs.FromContext(ctx) == nil {
				return base
			}
			_, l := zapsentry.WithContext(ctx, base)
			return l
		}
		return logFuncs{
			log: func(ctx context.Context, msg string, err error) {
				bind(ctx).Error(msg, zap.Error(err), zap.String("component", "store"))
			},
			middle: func(ctx context.Context, msg string, err error) { bind(ctx).Error(msg, zap.Error(err)) },
			upper:  func(ctx context.Context, msg string, err error) { bind(ctx).Error(msg, zap.Error(err)) },
		}
	}},
	{"zerolog hook", func(t *testing.T, opts logcrumbs.Options) logFuncs {
		realErrors(t)
		base := zerolog.New(io.Discard).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: opts}))
		return zerologFuncs(func(ctx context.Context) zerolog.Logger {
			if logcrumbs.FromContext(ctx) == nil {
				return base
			}
			_, l := zerologsentry.WithContext(ctx, base)
			return l
		})
	}},
	{"zerolog writer", func(t *testing.T, opts logcrumbs.Options) logFuncs {
		realErrors(t)
		w := zerologsentry.NewWriter(io.Discard, zerologsentry.Options{Options: opts})
		base := zerolog.New(w)
		return zerologFuncs(func(ctx context.Context) zerolog.Logger {
			if logcrumbs.FromContext(ctx) == nil {
				return base
			}
			_, l := w.WithContext(ctx, base)
			return l
		})
	}},
}

func zerologFuncs(bind func(context.Context) zerolog.Logger) logFuncs {
	return logFuncs{
		log: func(ctx context.Context, msg string, err error) {
			l := bind(ctx)
			l.Error().Err(err).Str("component", "store").Msg(msg)
		},
		middle: func(ctx context.Context, msg string, err error) { l := bind(ctx); l.Error().Err(err).Msg(msg) },
		upper:  func(ctx context.Context, msg string, err error) { l := bind(ctx); l.Error().Err(err).Msg(msg) },
	}
}

// realErrors installs zerologsentry.ErrorMarshalFunc for the test.
func realErrors(t *testing.T) {
	saved := zerolog.ErrorMarshalFunc
	t.Cleanup(func() { zerolog.ErrorMarshalFunc = saved })
	zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(saved)
}

// TestNewClientStartsClean: a program that makes a new client and binds it
// to the same hub (as sentry.Init does on a configuration reload) gets every
// new client's first event, though the allocator puts new clients where
// collected ones were. (Noise control was keyed by the client's address: 57
// of 60 clients sent nothing, their events taken for repeats of a dead
// client's.)
func TestNewClientStartsClean(t *testing.T) {
	for _, l := range layeredLoggers {
		t.Run(l.name, func(t *testing.T) {
			tr := sentrytest.NewTransport()
			hub := sentry.NewHub(nil, sentry.NewScope())
			log := l.make(t, logcrumbs.Options{Hub: hub}).log
			const rounds = 60
			for i := range rounds {
				client, err := sentry.NewClient(sentry.ClientOptions{Transport: tr})
				if err != nil {
					t.Fatal(err)
				}
				hub.BindClient(client)
				log(logcrumbs.NewContext(context.Background()), "reloaded", fmt.Errorf("round %d: %w", i, errors.New("failed")))
				client.Flush(time.Second)
				client.Close()
				hub.BindClient(nil)
				client = nil
				runtime.GC()
			}
			if n := len(tr.Events()); n != rounds {
				t.Errorf("%d events from %d fresh clients, one each, want %d", n, rounds, rounds)
			}
		})
	}
}

// TestPendingRepeatsGoThroughTheirClient: repeats left pending when the hub
// is bound to a new client are reported, at Flush, through the client that
// sent their event, not through the hub's new one (to another project,
// perhaps).
func TestPendingRepeatsGoThroughTheirClient(t *testing.T) {
	for _, l := range layeredLoggers {
		t.Run(l.name, func(t *testing.T) {
			old, current := sentrytest.NewTransport(), sentrytest.NewTransport()
			oldClient, _ := sentry.NewClient(sentry.ClientOptions{Transport: old})
			hub := sentry.NewHub(oldClient, sentry.NewScope())
			log := l.make(t, logcrumbs.Options{Hub: hub, DedupeWindow: time.Minute}).log
			for i := range 3 { // three requests, one bug
				log(logcrumbs.NewContext(context.Background()), "query failed", fmt.Errorf("req %d: %w", i, errors.New("db down")))
			}
			newClient, _ := sentry.NewClient(sentry.ClientOptions{Transport: current})
			hub.BindClient(newClient)
			logcrumbs.Flush(time.Second)
			if n := len(current.Events()); n != 0 {
				t.Errorf("the hub's new client got %d events, want none: %q", n, current.Events()[0].Message)
			}
			evs := old.Events()
			if len(evs) != 2 || repeatsOf(evs[1]) != 2 {
				t.Fatalf("the old client got %d events, want the event and a summary of 2 repeats", len(evs))
			}
			runtime.KeepAlive(oldClient)
		})
	}
}

// TestDroppedClientIsCollected: a client the program dropped is not kept
// alive by logcrumbs, though it sent an event of a record without a trail
// (capture-once on the process-wide fallback trail, kept per client, held
// the client itself) and left repeats pending.
func TestDroppedClientIsCollected(t *testing.T) {
	for _, l := range layeredLoggers {
		t.Run(l.name, func(t *testing.T) {
			client, _ := sentry.NewClient(sentry.ClientOptions{Transport: sentrytest.NewTransport()})
			gone := make(chan struct{})
			runtime.AddCleanup(client, func(ch chan struct{}) { close(ch) }, gone)
			log := l.make(t, logcrumbs.Options{Hub: sentry.NewHub(client, sentry.NewScope()), DedupeWindow: time.Minute}).log
			err := fmt.Errorf("%s: %w", t.Name(), errors.New("dropped"))
			log(context.Background(), "no trail", err) // the fallback trail
			log(context.Background(), "no trail", err)
			log(logcrumbs.NewContext(context.Background()), "no trail", fmt.Errorf("again: %w", err)) // a pending repeat
			// Its batch processors' goroutines hold it until it is closed.
			client.Close()
			client, log = nil, nil
			for range 20 {
				runtime.GC()
				select {
				case <-gone:
					return
				case <-time.After(5 * time.Millisecond):
				}
			}
			t.Error("the dropped client was not collected")
		})
	}
}

var errDown = errors.New("db down")

// TestRepeatsSummaryJoinsItsIssue: 200 requests that log one bug are one
// event, and at Flush a summary that Sentry groups with it: the same
// fingerprint, exception chain (types, values, stack frames, mechanisms)
// or, for a message event, message and stack; with the count of repeats,
// and without the trail. (The summary was a message event of its own text,
// "logcrumbs: 199 more events like this were suppressed: ...", with no
// exception: a new issue, noise about noise.)
func TestRepeatsSummaryJoinsItsIssue(t *testing.T) {
	cases := []struct {
		name           string
		fingerprintKey string
		err            error
	}{
		{"exception", "", errDown},
		{"fingerprint", "component", errDown},
		{"message", "", nil},
	}
	for _, l := range layeredLoggers {
		for _, c := range cases {
			t.Run(l.name+"/"+c.name, func(t *testing.T) {
				rec := logcrumbstest.New(t)
				opts := rec.Options()
				opts.DedupeWindow, opts.FingerprintKey = time.Minute, c.fingerprintKey
				log := l.make(t, opts).log
				for range 200 {
					err := c.err
					if err != nil {
						err = fmt.Errorf("query: %w", err)
					}
					log(rec.Context(context.Background()), "query failed", err)
				}
				if n := len(rec.Events()); n != 1 {
					t.Fatalf("%d events from 200 requests of one bug, want 1", n)
				}
				logcrumbs.Flush(time.Second)
				evs := rec.Events()
				if len(evs) != 2 {
					t.Fatalf("%d events after Flush, want the event and a summary", len(evs))
				}
				orig, sum := evs[0].Event, evs[1].Event
				if repeatsOf(sum) != 199 || sum.Tags["logcrumbs.summary"] != "true" || len(sum.Breadcrumbs) != 0 {
					t.Errorf("summary: repeats %d, tags %v, %d breadcrumbs; want 199, logcrumbs.summary, none",
						repeatsOf(sum), sum.Tags, len(sum.Breadcrumbs))
				}
				switch {
				case c.fingerprintKey != "" && len(orig.Fingerprint) == 0,
					c.err != nil && (len(orig.Exception) != 2 || orig.Exception[1].Stacktrace == nil),
					c.err == nil && (len(orig.Threads) != 1 || orig.Threads[0].Stacktrace == nil):
					t.Fatalf("the event lacks what this case compares: fingerprint %v, %d exceptions, %d threads",
						orig.Fingerprint, len(orig.Exception), len(orig.Threads))
				}
				sameIssue(t, orig, sum)
			})
		}
	}
}

// sameIssue checks that sum carries what Sentry groups orig on.
func sameIssue(t *testing.T, orig, sum *sentry.Event) {
	t.Helper()
	if sum.Message != orig.Message || sum.Level != orig.Level || sum.Logger != orig.Logger ||
		!slices.Equal(sum.Fingerprint, orig.Fingerprint) {
		t.Errorf("summary %q %s %s %v, want %q %s %s %v", sum.Message, sum.Level, sum.Logger, sum.Fingerprint,
			orig.Message, orig.Level, orig.Logger, orig.Fingerprint)
	}
	if len(sum.Exception) != len(orig.Exception) {
		t.Fatalf("summary has %d exceptions, want %d", len(sum.Exception), len(orig.Exception))
	}
	for i, o := range orig.Exception {
		s := sum.Exception[i]
		if s.Type != o.Type || s.Value != o.Value || s.Module != o.Module {
			t.Errorf("exception %d: %s %q, want %s %q", i, s.Type, s.Value, o.Type, o.Value)
		}
		if (s.Mechanism == nil) != (o.Mechanism == nil) || (o.Mechanism != nil && !reflect.DeepEqual(*s.Mechanism, *o.Mechanism)) {
			t.Errorf("exception %d: mechanism %+v, want %+v", i, s.Mechanism, o.Mechanism)
		}
		sameFrames(t, s.Stacktrace, o.Stacktrace)
	}
	if len(sum.Threads) != len(orig.Threads) {
		t.Fatalf("summary has %d threads, want %d", len(sum.Threads), len(orig.Threads))
	}
	for i := range orig.Threads {
		sameFrames(t, sum.Threads[i].Stacktrace, orig.Threads[i].Stacktrace)
	}
}

func sameFrames(t *testing.T, got, want *sentry.Stacktrace) {
	t.Helper()
	if (got == nil) != (want == nil) {
		t.Errorf("stack trace %v, want %v", got, want)
		return
	}
	if want == nil {
		return
	}
	if len(got.Frames) != len(want.Frames) {
		t.Errorf("%d frames, want %d", len(got.Frames), len(want.Frames))
		return
	}
	for i, w := range want.Frames {
		g := got.Frames[i]
		if g.Function != w.Function || g.Module != w.Module || g.Filename != w.Filename || g.AbsPath != w.AbsPath ||
			g.Lineno != w.Lineno || g.InApp != w.InApp {
			t.Errorf("frame %d: %s %s:%d, want %s %s:%d", i, g.Function, g.Filename, g.Lineno, w.Function, w.Filename, w.Lineno)
		}
	}
}

// TestRepeatsInOneRequestAreCounted: one request that logs the same error
// value 1,000 times from one line is one event (capture once), and its
// issue learns of the 999 repeats: at Flush, a summary of the same issue
// counts them. (Capture-once hits returned before noise control saw them:
// nothing said the error had repeated.)
func TestRepeatsInOneRequestAreCounted(t *testing.T) {
	for _, l := range layeredLoggers {
		t.Run(l.name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			opts := rec.Options()
			opts.DedupeWindow = time.Minute
			log := l.make(t, opts).log
			ctx := rec.Context(context.Background())
			err := fmt.Errorf("poll: %w", errDown)
			const n = 1000
			for range n {
				log(ctx, "poll failed", err)
			}
			if got := len(rec.Events()); got != 1 {
				t.Fatalf("%d events, want 1", got)
			}
			logcrumbs.Flush(time.Second)
			evs := rec.Events()
			if len(evs) != 2 || repeatsOf(evs[1].Event) != n-1 {
				t.Fatalf("%d events after Flush (the last with %d repeats), want a summary of %d repeats",
					len(evs), repeatsOf(evs[len(evs)-1].Event), n-1)
			}
			sameIssue(t, evs[0].Event, evs[1].Event)
		})
	}
}

// TestRepeatsRideOnTheNextEvent: the repeats of one request, counted as in
// TestRepeatsInOneRequestAreCounted, ride on the next event of their
// fingerprint, once the window has passed, instead of waiting for Flush;
// and its later repeats are still counted, though its event is no longer
// the fingerprint's last.
func TestRepeatsRideOnTheNextEvent(t *testing.T) {
	for _, l := range layeredLoggers {
		t.Run(l.name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			opts := rec.Options()
			opts.DedupeWindow = 50 * time.Millisecond
			log := l.make(t, opts).log
			ctx := rec.Context(context.Background())
			err := fmt.Errorf("poll: %w", errDown)
			for range 10 {
				log(ctx, "poll failed", err)
			}
			time.Sleep(60 * time.Millisecond)
			log(rec.Context(context.Background()), "poll failed", fmt.Errorf("poll: %w", errDown)) // another request
			evs := rec.Events()
			if len(evs) != 2 || repeatsOf(evs[1].Event) != 9 {
				t.Fatalf("%d events (the last with %d repeats), want 2, the second with 9", len(evs), repeatsOf(evs[len(evs)-1].Event))
			}
			for range 5 { // the first request goes on: its event is not the fingerprint's last
				log(ctx, "poll failed", err)
			}
			logcrumbs.Flush(time.Second)
			evs = rec.Events()
			if len(evs) != 3 || repeatsOf(evs[2].Event) != 5 {
				t.Errorf("%d events after Flush (the last with %d repeats), want a summary of 5", len(evs), repeatsOf(evs[len(evs)-1].Event))
			}
		})
	}
}

// TestOneBugAtThreeLayersIsOneEvent: the same error logged by the layers of
// one request, each from its own call site, is one event, and Flush sends
// nothing for it: the upper layers' records are not repeats, even when an
// upper layer's call site has an event of its own, with the same error
// types, from another request.
func TestOneBugAtThreeLayersIsOneEvent(t *testing.T) {
	for _, l := range layeredLoggers {
		t.Run(l.name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			opts := rec.Options()
			opts.DedupeWindow = time.Minute
			f := l.make(t, opts)
			f.upper(rec.Context(context.Background()), "request failed", errors.New("earlier bug")) // the upper call site's own event

			ctx := rec.Context(context.Background())
			err := errors.New("disk full")
			f.log(ctx, "write failed", err)
			f.middle(ctx, "save failed", fmt.Errorf("save: %w", err))
			f.upper(ctx, "request failed", err)
			if n := len(rec.Events()); n != 2 {
				t.Fatalf("%d events, want 2: the earlier bug and this one", n)
			}
			logcrumbs.Flush(time.Second)
			if evs := rec.Events(); len(evs) != 2 {
				t.Errorf("Flush sent %d events, want none: %q", len(evs)-2, evs[len(evs)-1].Message)
			}
		})
	}
}

// TestFilteredEventHasNoSummary: an event the client drops (BeforeSend
// filtering an error type by hint.OriginalException, as Sentry's docs
// advise; a scope's event processor; sampling) stays dropped: its repeats
// are not sent as a summary at Flush. (The summary was kept from the event
// as built whatever the client made of it, and sent with no original
// exception in its hint and no scope, so that the filter let it through:
// an issue for an error the program filters out.)
func TestFilteredEventHasNoSummary(t *testing.T) {
	errFiltered := errors.New("client went away")
	for _, l := range layeredLoggers {
		t.Run(l.name, func(t *testing.T) {
			tr := sentrytest.NewTransport()
			client, err := sentry.NewClient(sentry.ClientOptions{
				Transport: tr,
				BeforeSend: func(ev *sentry.Event, hint *sentry.EventHint) *sentry.Event {
					if errors.Is(hint.OriginalException, errFiltered) {
						return nil
					}
					return ev
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			log := l.make(t, logcrumbs.Options{Hub: sentry.NewHub(client, sentry.NewScope()), DedupeWindow: time.Minute}).log
			for i := range 3 { // three requests, each twice
				ctx := logcrumbs.NewContext(context.Background())
				err := fmt.Errorf("req %d: %w", i, errFiltered)
				log(ctx, "write failed", err)
				log(ctx, "write failed", err)
			}
			logcrumbs.Flush(time.Second)
			for _, ev := range tr.Events() {
				t.Errorf("the client filters this error out, yet Sentry got %q (repeats %d, tags %v)", ev.Message, repeatsOf(ev), ev.Tags)
			}
		})
	}
}

// discard is a sentry.Transport that keeps nothing.
type discard struct{}

func (discard) Flush(time.Duration) bool              { return true }
func (discard) FlushWithContext(context.Context) bool { return true }
func (discard) Configure(sentry.ClientOptions)        {}
func (discard) SendEvent(*sentry.Event)               {}
func (discard) Close()                                {}

func heapBytes() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestSummariesMemoryIsBounded: what noise control keeps to summarize
// repeats is bounded in bytes, not only in fingerprints. (Each of up to
// 4096 fingerprints kept its event's exception chain and stack traces: 430
// KB for an error of 100 wrapped layers of 4 KB text, 1.7 GB for a full
// table; here 96 of them kept 41 MB.) Noise control is the same for every
// logger, so slog proves it.
func TestSummariesMemoryIsBounded(t *testing.T) {
	logcrumbs.SetRateLimit(0, 0)
	t.Cleanup(func() { logcrumbs.SetRateLimit(10, 100) })
	client, _ := sentry.NewClient(sentry.ClientOptions{Transport: discard{}})
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{
		Hub: sentry.NewHub(client, sentry.NewScope()), DedupeWindow: time.Hour, FingerprintKey: "fp"}}))
	const n = 96
	errs := make([]error, n)
	for i := range errs {
		err := errors.New(strings.Repeat("x", 4096))
		for d := 1; d < 100; d++ {
			err = fmt.Errorf("layer %d %s: %w", d, strings.Repeat("y", 512), err)
		}
		errs[i] = err
	}
	base := heapBytes()
	for i, err := range errs {
		logger.ErrorContext(logcrumbs.NewContext(context.Background()), "failed", "err", err, "fp", fmt.Sprint(t.Name(), i))
	}
	grown := int64(heapBytes()) - int64(base)
	if grown > 24<<20 {
		t.Errorf("%d fingerprints of deep errors keep %.1f MiB, want at most 24", n, float64(grown)/(1<<20))
	}
	runtime.KeepAlive(errs)
	// The summaries of a collected client give their bytes back to other
	// tests (its batch processors' goroutines hold it until it is closed).
	client.Close()
	client, logger = nil, nil
	runtime.GC()
}

package crosstest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"
	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
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
			hub := sentry.NewHub(nil, sentry.NewScope())
			log := l.make(t, logcrumbs.Options{Hub: hub}).log
			const rounds = 60
			n := 0
			for i := range rounds {
				rec := logcrumbstest.New(t) // a fresh client each round
				client := rec.Hub().Client()
				hub.BindClient(client)
				log(logcrumbs.NewContext(context.Background()), "reloaded", fmt.Errorf("round %d: %w", i, errors.New("failed")))
				client.Flush(time.Second)
				client.Close()
				hub.BindClient(nil)
				n += len(rec.Events())
				client, rec = nil, nil
				runtime.GC()
			}
			if n != rounds {
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
			old, current, hub, log := reloading(t, l)
			for i := range 3 { // three requests, one bug
				log(logcrumbs.NewContext(context.Background()), "query failed", fmt.Errorf("req %d: %w", i, errors.New("db down")))
			}
			hub.BindClient(current.Hub().Client())
			oldSummarises(t, old, current, 2)
		})
	}
}

// reloading returns l's log, through a hub bound to old's client, which
// the test then binds to current's.
func reloading(t *testing.T, l layeredLogger) (old, current *logcrumbstest.Recorder, hub *sentry.Hub, log func(context.Context, string, error)) {
	old, current = logcrumbstest.New(t), logcrumbstest.New(t)
	hub = sentry.NewHub(old.Hub().Client(), sentry.NewScope())
	return old, current, hub, l.make(t, logcrumbs.Options{Hub: hub, DedupeWindow: time.Minute}).log
}

// oldSummarises flushes, and checks that current's client got no event
// and old's the event and Flush's summary of its repeats.
func oldSummarises(t *testing.T, old, current *logcrumbstest.Recorder, repeats int) {
	t.Helper()
	logcrumbs.Flush(time.Second)
	if n := len(current.Events()); n != 0 {
		t.Errorf("the hub's new client got %d events, want none: %q", n, current.Events()[0].Message)
	}
	evs := old.Events()
	if len(evs) != 2 || repeatsOf(evs[1]) != repeats {
		n := 0
		if len(evs) == 2 {
			n = repeatsOf(evs[1])
		}
		t.Fatalf("the old client got %d events, want the event and a summary of %d repeats (a summary of %d)", len(evs), repeats, n)
	}
}

// TestDroppedClientIsCollected: a client the program dropped is not kept
// alive by logcrumbs, though it sent an event of a record without a trail
// (capture-once on the process-wide fallback trail, kept per client, held
// the client itself) and left repeats pending.
func TestDroppedClientIsCollected(t *testing.T) {
	for _, l := range layeredLoggers {
		t.Run(l.name, func(t *testing.T) {
			client, _ := sentry.NewClient(sentry.ClientOptions{Transport: discard{}}) // it reads no event
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
			rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
				o.BeforeSend = func(ev *sentry.Event, hint *sentry.EventHint) *sentry.Event {
					if errors.Is(hint.OriginalException, errFiltered) {
						return nil
					}
					return ev
				}
			})
			log := l.make(t, logcrumbs.Options{Hub: sentry.NewHub(rec.Hub().Client(), sentry.NewScope()), DedupeWindow: time.Minute}).log
			for i := range 3 { // three requests, each twice
				ctx := logcrumbs.NewContext(context.Background())
				err := fmt.Errorf("req %d: %w", i, errFiltered)
				log(ctx, "write failed", err)
				log(ctx, "write failed", err)
			}
			logcrumbs.Flush(time.Second)
			for _, ev := range rec.Events() {
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
	t.Cleanup(func() { logcrumbs.SetRateLimit(0, 0) }) // TestMain's, not the default
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

// TestSummariesKeepNoAttributes: the summary noise control keeps of a sent
// event holds its message and logger, and counts their bytes against
// maxSummaryBytes, not the text of the record's attributes. (The event's
// message and logger were pieces of one copy of the whole record's text,
// up to 128 KB of attribute values: a summary counted as the 6 bytes of
// "failed" kept all of it, and 400 fingerprints kept 50 MB.)
func TestSummariesKeepNoAttributes(t *testing.T) {
	logcrumbs.SetRateLimit(0, 0)
	t.Cleanup(func() { logcrumbs.SetRateLimit(0, 0) }) // TestMain's, not the default
	client, _ := sentry.NewClient(sentry.ClientOptions{Transport: discard{}})
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{
		Hub: sentry.NewHub(client, sentry.NewScope()), DedupeWindow: time.Hour, FingerprintKey: "fp"}}))
	const n = 400
	big := make([]any, 0, 16)
	for i := range 8 {
		big = append(big, fmt.Sprint("attr", i), strings.Repeat(fmt.Sprint(i), 16<<10))
	}
	base := heapBytes()
	for i := range n {
		args := append([]any{"fp", fmt.Sprint(t.Name(), i)}, big...)
		logger.ErrorContext(logcrumbs.NewContext(context.Background()), "failed", args...)
	}
	grown := int64(heapBytes()) - int64(base)
	if grown > 16<<20 {
		t.Errorf("%d fingerprints of events with 128 KB of attributes keep %.1f MiB, want at most 16", n, float64(grown)/(1<<20))
	}
	client.Close()
	client, logger = nil, nil
	runtime.GC()
}

// TestRepeatsAreOneCallSites: a request that logs one error value over and
// over from one line (a hot loop) has its repeats counted; the same error
// logged with the same logger, level and message from another line (an
// upper layer logging what it was returned) is not a repeat, as in the
// conformance suite's OneBugAtThreeLayersIsOneEvent, and when nothing
// else repeats Flush sends nothing. The records differ only in their call
// site, which zap without AddCaller and zerolog do not give: it is read
// from the stack, never guessed from the record. (Taking a record with
// the logger, level and message of the last repeat for one of its call
// site would count the upper layer's records, and send a summary for a
// bug logged once at each layer.)
func TestRepeatsAreOneCallSites(t *testing.T) {
	for _, l := range layeredLoggers {
		for _, c := range []struct {
			name    string
			log     func(f logFuncs, ctx context.Context, err error)
			repeats int // counted; 0: Flush sends nothing
		}{
			{"interleaved", func(f logFuncs, ctx context.Context, err error) {
				f.middle(ctx, "query failed", err) // the event
				for range 3 {
					f.middle(ctx, "query failed", err)
					f.upper(ctx, "query failed", err)
				}
				f.upper(ctx, "query failed", err)
				f.middle(ctx, "query failed", err)
			}, 4},
			{"upper only", func(f logFuncs, ctx context.Context, err error) {
				f.middle(ctx, "query failed", err) // the event
				for range 3 {
					f.upper(ctx, "query failed", err)
				}
			}, 0},
		} {
			t.Run(l.name+"/"+c.name, func(t *testing.T) {
				rec := logcrumbstest.New(t)
				opts := rec.Options()
				opts.DedupeWindow = time.Minute
				f := l.make(t, opts)
				c.log(f, rec.Context(context.Background()), fmt.Errorf("query: %w", errors.New("db down")))
				if n := len(rec.Events()); n != 1 {
					t.Fatalf("%d events, want 1", n)
				}
				logcrumbs.Flush(time.Second)
				evs := rec.Events()
				switch {
				case c.repeats == 0 && len(evs) != 1:
					t.Errorf("Flush sent %d events (repeats %d), want none: the upper layer's records are no repeats", len(evs)-1, repeatsOf(evs[len(evs)-1]))
				case c.repeats > 0 && (len(evs) != 2 || repeatsOf(evs[1]) != c.repeats):
					t.Errorf("%d events after Flush, the last with %d repeats; want a summary of %d", len(evs), repeatsOf(evs[len(evs)-1]), c.repeats)
				}
			})
		}
	}
}

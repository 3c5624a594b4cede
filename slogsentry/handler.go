// Package slogsentry is logcrumbs' [log/slog] integration: a [slog.Handler]
// that keeps records below the event level as breadcrumbs in the trail of
// their context, and sends records at or above it to Sentry as events that
// carry that trail.
//
// It wraps the program's own handler, which sees exactly what it would see
// without logcrumbs, so it can replace the default handler in one line:
//
//	slog.SetDefault(slog.New(slogsentry.NewHandler(slog.NewJSONHandler(os.Stderr, nil), slogsentry.Options{})))
//
// Build the handler to wrap, as here, rather than wrapping
// slog.Default().Handler(): see [NewHandler] for what that does.
//
// Give each unit of work its own trail with [logcrumbs.NewContext] and log
// with the *Context methods (InfoContext, ErrorContext, ...) so records find
// it; records logged without a context, or with one that carries no trail,
// share the process-wide fallback trail.
//
// # What becomes what
//
// A record at or above Options.BreadcrumbLevel and below Options.EventLevel
// is copied into the trail: its message, level, time and attributes, with
// groups kept as nesting. Nothing of it is retained by reference, and
// nothing is allocated once the trail's storage has been used once.
//
// A record at or above Options.EventLevel becomes one Sentry event: any
// attribute whose value is an error supplies the exception (several: all of
// them, joined), with its %w chain, errors.Join trees and stack traces; a
// record with no error becomes a message event with the caller's stack
// (unless Options.RequireError is set). See [logcrumbs.Options] for tags,
// user, fingerprint and limits. An error already sent from the same trail,
// or one that wraps it, is not sent again: the record becomes a breadcrumb
// that names the earlier event's ID (capture-once).
//
// # Bad input
//
//   - A nil error attribute is kept as null; a typed-nil error is kept as the
//     text its Error method returns, or as a note that it panicked.
//   - A LogValue, String, Error or MarshalJSON method that panics is recovered;
//     the attribute's value becomes text starting with "!PANIC" that names the
//     method and the panic value. The program's own handler sees the value
//     as it would have without logcrumbs.
//   - Values that are not strings, numbers, booleans, durations, times,
//     errors or fmt.Stringers are encoded as JSON; a value that cannot be
//     encoded (a cycle, a channel) becomes text naming its type and why.
//   - Invalid UTF-8 is replaced by U+FFFD when the event is built.
//   - Text longer than the limits in [logcrumbs.Limits] is cut and ends with
//     "…"; attributes beyond the limit are dropped and counted.
//   - With no Sentry client on the hub, nothing is sent and event records are
//     kept as breadcrumbs of their level (error, fatal). Building an event
//     never waits on the network: sentry-go's HTTP transport queues it (and
//     drops it, counted by sentry-go, when its queue is full).
package slogsentry

import (
	"context"
	"log/slog"
	"math"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/internal/render"
)

// Options configure a Handler. The zero value keeps Debug records and above
// as breadcrumbs and sends Error records and above as events.
type Options struct {
	// Options are the settings shared by every logcrumbs integration.
	logcrumbs.Options

	// BreadcrumbLevel is the lowest level kept in the trail. Nil means
	// slog.LevelDebug, so the trail keeps debug records even when the wrapped
	// handler filters them out. A slog.LevelVar changes it at run time.
	BreadcrumbLevel slog.Leveler

	// EventLevel is the lowest level sent to Sentry as an event. Nil means
	// slog.LevelError.
	EventLevel slog.Leveler

	// LogsLevel is the lowest level also sent to Sentry Logs (through
	// sentry-go's log API: its batching and BeforeSendLog), with the
	// record's attributes as typed log attributes (groups flattened with
	// dots), its logger name, the trace of its context, scrubbed and
	// user-gated as events are; it is independent of the other two levels.
	// Records below slog.LevelDebug go at Sentry's trace level. Nil
	// means off, so that no Sentry quota changes; a slog.LevelVar changes
	// it at run time. See also logcrumbs.Options.LogsOnEvent.
	LogsLevel slog.Leveler
}

// config is what every Handler derived from one NewHandler call shares.
type config struct {
	core   *core.Core
	levels core.Levels[slog.Level]
}

// Handler is a slog.Handler that feeds logcrumbs' trails and sends events.
// Create one with NewHandler: the zero Handler does nothing (it never panics,
// as a log call must not). It is safe for concurrent use.
type Handler struct {
	// low and fixed answer Enabled for fixed levels without reading c:
	// fixed says that every level is fixed, low is then the lowest level
	// logcrumbs wants. With a dynamic level low is math.MinInt, below
	// every record, so that Enabled's first comparison sends every record
	// on to c.
	low   slog.Level
	fixed bool
	next  slog.Handler
	c     *config
	// preset is what WithGroup and WithAttrs added, rendered once, as the
	// "Guide to Writing slog Handlers" pre-formats: each record starts with
	// it. Groups opened by WithGroup are still open in it.
	preset *core.Preset
}

// groupOrAttrs is one WithGroup or WithAttrs call.
type groupOrAttrs struct {
	group string
	attrs []slog.Attr
}

// NewHandler returns a handler that passes every record to next, unchanged,
// when next is enabled for its level, and feeds logcrumbs. A nil next makes a
// stand-alone handler that only feeds logcrumbs.
//
// A record that both next and logcrumbs read has its LogValuers resolved
// once (inside groups too) and next gets a copy of it with the resolved
// values, so that a LogValue method with state (a counter, a one-shot
// reader) is called once per record, as without logcrumbs, and Sentry sees
// the value next wrote; WithAttrs does the same for its attrs. A LogValuer
// whose value is a group reaches next as a LogValuer that returns that
// value, since handlers treat the two differently (ReplaceAttr, empty
// groups), so slog's own handlers write byte for byte what they write
// without logcrumbs. LogValuers that next would not resolve (inside an
// attribute its ReplaceAttr drops) are still resolved once, for Sentry. The exception: a LogValuer whose LogValue panics is given to
// next as the LogValuer that panicked (the one logged, or one its
// LogValue returned), and one that takes 100 LogValue calls as logged, so
// that next writes slog's own text for it ("LogValue panicked" and the
// stack, or "LogValue called too many times"), which calls the panicking
// method (or the chain) a second time; logcrumbs keeps
// "!PANIC in T.LogValue: ..." (or "!LOOP: ...") from the first call.
//
// Wrapping slog.Default().Handler(), slog's original default handler, and
// giving the result to slog.SetDefault works: that handler writes through
// the log package, which SetDefault points back at slog, so that each
// record would come back to the handler writing it (a deadlock); NewHandler
// sees it, and once slog's default is no longer that handler (and from then
// on, even if slog.SetDefault gives it back: log's output still comes to
// slog; when nothing was logged in between, that is told by log's flags,
// which SetDefault clears, so with log's flags 0 from the start it still
// deadlocks), writes its records itself, as it writes them, to where the log
// package wrote when NewHandler was called (its writer, prefix and flags
// then; os.Stderr if SetDefault had already been called). So is, when log's
// flags were cleared after NewHandler, a line of a log.Logger of yours that
// writes to the handler (slog.NewLogLogger): the stack does not tell it from
// the log package's. Any other handler wrapping it still
// deadlocks: build the handler to wrap instead; slog.NewTextHandler(os.Stderr,
// nil) is the nearest to what the default handler writes.
//
// A next that feeds logcrumbs already, a *Handler made here (or derived
// from one by WithAttrs and WithGroup, as slog.Default().Handler() is once a
// package of yours has called slog.SetDefault(slog.New(NewHandler(...)))),
// is returned as it is, its options unchanged (the first options win, their Hub too): a
// second Handler would keep every record twice in the trail and send each
// Sentry Log twice. A *Handler inside another handler (one of yours that
// wraps it) is not seen: wrap once.
func NewHandler(next slog.Handler, opts Options) *Handler {
	if h, ok := next.(*Handler); ok && h != nil && h.c != nil {
		return h
	}
	c := &config{core: core.New(opts.Options, "slog", 0)}
	breadcrumb, event := opts.BreadcrumbLevel, opts.EventLevel
	if breadcrumb == nil {
		breadcrumb = slog.LevelDebug
	}
	if event == nil {
		event = slog.LevelError
	}
	b, bok := breadcrumb.(slog.Level)
	e, eok := event.(slog.Level)
	if bok && eok {
		c.levels = core.FixedLevels(b, e)
	} else {
		c.levels = core.DynamicLevels(
			func(l slog.Level) bool { return l >= breadcrumb.Level() },
			func(l slog.Level) bool { return l >= event.Level() })
	}
	switch logs := opts.LogsLevel.(type) {
	case nil:
	case slog.Level:
		c.levels = c.levels.WithLogs(logs)
	default:
		c.levels = c.levels.WithDynamicLogs(func(l slog.Level) bool { return l >= logs.Level() })
	}
	if isSlogDefault(next) { // see defaultGuard
		next = newDefaultGuard(next)
	}
	h := &Handler{next: next, c: c}
	h.low, h.fixed = c.levels.Fixed()
	if !h.fixed {
		h.low = math.MinInt
	}
	return h
}

// Enabled reports whether either side wants records of this level: the
// wrapped handler, or logcrumbs (at or above the lowest of BreadcrumbLevel,
// EventLevel and LogsLevel, as they stand at the call).
//
// Filtered records pay for this call on top of the wrapped handler's, so
// a record below fixed levels is one comparison before the wrapped
// handler's Enabled, with no look at the shared config, and the flag that
// says the levels are fixed is read only for a record at or above low
// (cachegrind, instructions a record in this method:
// SlogFiltered/json+logcrumbs 27 -> 21 -> 18, SlogFiltered/logcrumbs
// 26 -> 20 -> 17; the 16 of a bare forwarding call are the floor).
func (h *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	if level < h.low { // never, with a dynamic level
		return h.next != nil && h.next.Enabled(ctx, level)
	}
	return h.fixed || h.enabledSlow(ctx, level)
}

// enabledSlow is Enabled with a dynamic level.
func (h *Handler) enabledSlow(ctx context.Context, level slog.Level) bool {
	if h.c == nil { // the zero Handler: does nothing (see Handler)
		return false
	}
	if h.c.levels.Enabled(level) {
		return true
	}
	return h.next != nil && h.next.Enabled(ctx, level)
}

// Handle passes r to the wrapped handler if it is enabled for r's level and
// returns its error, then keeps r as a breadcrumb or sends it as an event.
// logcrumbs' own part never fails, panics or blocks on Sentry.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	if h.c == nil { // the zero Handler: does nothing (see Handler)
		return nil
	}
	d := h.c.levels.Decide(r.Level)
	if d == core.Skip {
		if h.next != nil && h.next.Enabled(ctx, r.Level) {
			return h.next.Handle(ctx, r)
		}
		return nil
	}
	ent := core.Entry{Time: r.Time, Level: level(r.Level), PC: r.PC, Message: r.Message}
	if d == core.Breadcrumb {
		if rec := h.c.core.StartBreadcrumb(ctx, &ent, h.preset); rec != nil {
			// The values whose reading calls no method of the program's
			// (strings, numbers, times: most records' all) are copied
			// before next runs, which is not observable, and tell on the
			// way that they hold no LogValuer: a record of them alone is
			// not scanned for one (a scan of every record was about a
			// tenth of logcrumbs' instructions in the tee). A record with
			// any other value is scanned whole, from its first attribute,
			// as before (handleNext, when next is enabled), and its values
			// from the first other one on are copied after next, as every
			// value of an event is.
			// Whether all were plain is noted here, not asked of
			// r.NumAttrs afterwards: Record's methods take the record by
			// value, and each call copies it (about 60 instructions).
			plain, all := 0, true
			r.Attrs(func(a slog.Attr) bool {
				if !render.Plain(rec, a.Key, a.Value) {
					all = false
					return false
				}
				plain++
				return true
			})
			var err error
			if all {
				if h.next != nil && h.next.Enabled(ctx, r.Level) {
					err = h.next.Handle(ctx, r)
				}
			} else {
				err = h.handleNext(ctx, &r)
				appendAttrs(rec, &r, plain, nil)
			}
			h.c.core.KeepBreadcrumb(ctx, rec)
			return err
		}
	}
	err := h.handleNext(ctx, &r)
	h.c.core.Log(ctx, d, &ent, h.preset, &core.Encoder{Fields: func(rec *core.Record, errs *[]error) {
		appendAttrs(rec, &r, 0, errs)
	}})
	return err
}

// handleNext passes r, a record logcrumbs reads too, to the wrapped handler
// if it is enabled for r's level. When r holds LogValuers, they are
// resolved once, for both: r becomes the record with the resolved values,
// and the wrapped handler gets its copy of it (see NewHandler). The new r
// starts with the old one's attributes up to its first LogValuer or group.
func (h *Handler) handleNext(ctx context.Context, r *slog.Record) error {
	if h.next == nil || !h.next.Enabled(ctx, r.Level) {
		return nil
	}
	if render.HasLogValuer(r) {
		// Only then, since copying the record in and out of
		// ResolveRecord cost the tee about a third of its overhead over
		// next alone.
		var next slog.Record
		*r, next, _ = render.ResolveRecord(*r)
		return h.next.Handle(ctx, next)
	}
	return h.next.Handle(ctx, *r)
}

// WithAttrs returns a handler whose records carry attrs, inside the groups
// opened so far. LogValuers among attrs (inside groups too) are resolved
// once, now, as slog's own handlers do, and the wrapped handler's WithAttrs
// is called with the resolved attrs, so that each LogValue method is called
// once.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	resolved := make([]slog.Attr, len(attrs))
	forNextAttrs := make([]slog.Attr, len(attrs)) // see render.ResolveBoth
	for i, a := range attrs {
		o, n, _ := render.ResolveBoth(a.Value, 0)
		resolved[i] = slog.Attr{Key: a.Key, Value: o}
		forNextAttrs[i] = slog.Attr{Key: a.Key, Value: n}
	}
	return h.with(groupOrAttrs{attrs: resolved}, func(next slog.Handler) slog.Handler {
		return next.WithAttrs(forNextAttrs)
	})
}

// WithGroup returns a handler whose later attributes nest in the group name.
// An empty name returns h, as slog requires.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return h.with(groupOrAttrs{group: name}, func(next slog.Handler) slog.Handler {
		return next.WithGroup(name)
	})
}

func (h *Handler) with(goa groupOrAttrs, nextWith func(slog.Handler) slog.Handler) *Handler {
	if h.c == nil { // the zero Handler: does nothing (see Handler)
		return h
	}
	h2 := &Handler{low: h.low, fixed: h.fixed, c: h.c, next: h.next}
	if h.next != nil {
		h2.next = nextWith(h.next)
	}
	h2.preset = h.c.core.With(h.preset, goa.render)
	return h2
}

func (goa groupOrAttrs) render(rec *core.Record, errs *[]error) {
	if goa.group != "" {
		rec.OpenGroup(goa.group)
		return
	}
	for _, a := range goa.attrs {
		appendAttr(rec, a, errs)
	}
}

// level maps slog's levels to Sentry's: below Info is debug, below Warn is
// info, below Error is warning, below Error+4 is error, and above is fatal.
func level(l slog.Level) core.Level {
	return core.LevelOf(l, slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError, slog.LevelError+4)
}

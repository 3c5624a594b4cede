// Package expslog gives programs that still log with golang.org/x/exp/slog,
// the package log/slog grew from, the same logcrumbs handler as
// [github.com/logcrumbs/logcrumbs/slogsentry]:
//
//	xslog.SetDefault(xslog.New(expslog.NewHandler(xslog.NewJSONHandler(os.Stderr, nil), slogsentry.Options{})))
//
// # Why it exists
//
// x/exp/slog is not an alias of log/slog, whatever the Go version: its
// Handler, Record, Attr, Value and Level are types of their own, so a
// log/slog handler such as slogsentry's cannot be given to xslog.New. The handler
// here passes every record to the x/exp handler it wraps, unchanged, and
// hands logcrumbs a log/slog copy of it, so that breadcrumbs, events,
// options, levels and the handling of bad input are exactly those
// documented in package slogsentry. Options are slogsentry.Options, whose
// levels are log/slog's (x/exp's levels have the same numbers). LogValuers
// are resolved once per record, with panics recovered, as for log/slog:
// when both the wrapped handler and logcrumbs read a record, the wrapped
// handler gets a copy with the resolved values (and WithAttrs the resolved
// attrs), except that a LogValuer whose LogValue panics is given to it as
// the LogValuer that panicked (the one logged, or one its LogValue
// returned), so that it writes x/exp/slog's own text for the panic
// (calling the panicking method again), and one that takes 100 LogValue
// calls as logged; see slogsentry.NewHandler.
//
// # When to use it
//
// Use it where records are logged through an x/exp/slog Logger: code
// written before Go 1.21, or a dependency that takes an *xslog.Logger. New
// code should use log/slog and slogsentry. A program that logs through both
// gives each its own handler; records of one request share the trail of
// the request's context either way.
//
// Copying a record allocates nothing for up to five attributes without
// groups; it costs one allocation per group value, and one for a record of
// more than five attributes.
package expslog

import (
	"context"
	"log/slog"

	xslog "golang.org/x/exp/slog"

	"github.com/logcrumbs/logcrumbs/internal/render"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// Handler is an x/exp/slog handler that wraps another and feeds logcrumbs.
// Create one with NewHandler: the zero Handler does nothing (it never
// panics, as a log call must not).
type Handler struct {
	next xslog.Handler // nil: stand-alone
	lc   slog.Handler  // a stand-alone *slogsentry.Handler, with the same attrs and groups
}

// NewHandler returns a handler that passes every record to next, unchanged,
// when next is enabled for its level, and feeds logcrumbs as
// slogsentry.NewHandler does. A nil next makes a stand-alone handler.
//
// A next that feeds logcrumbs already, a *Handler made here (or derived
// from one by WithAttrs and WithGroup, as xslog.Default().Handler() is after
// xslog.SetDefault(xslog.New(NewHandler(...)))), is returned as it is, its
// options unchanged (the first options win, their Hub too): a second Handler would keep
// every record twice in the trail and send each Sentry Log twice. A
// *Handler inside another handler of yours is not seen: wrap once.
func NewHandler(next xslog.Handler, opts slogsentry.Options) *Handler {
	if h, ok := next.(*Handler); ok && h != nil && h.lc != nil && h.lc != inert { // not the zero Handler, nor one derived from it
		return h
	}
	return &Handler{next: next, lc: slogsentry.NewHandler(nil, opts)}
}

// inert is the logcrumbs side of the zero Handler: the zero
// slogsentry.Handler, which does nothing.
var inert slog.Handler = &slogsentry.Handler{}

// side returns the logcrumbs side: inert for the zero Handler.
func (h *Handler) side() slog.Handler {
	if h.lc == nil {
		return inert
	}
	return h.lc
}

// Enabled reports whether either side wants records of this level.
func (h *Handler) Enabled(ctx context.Context, level xslog.Level) bool {
	return h.side().Enabled(ctx, slog.Level(level)) || (h.next != nil && h.next.Enabled(ctx, level))
}

// Handle passes r to the wrapped handler if it is enabled for r's level and
// returns its error, then gives logcrumbs a log/slog copy of r.
func (h *Handler) Handle(ctx context.Context, r xslog.Record) error {
	if !h.side().Enabled(ctx, slog.Level(r.Level)) {
		if h.next != nil && h.next.Enabled(ctx, r.Level) {
			return h.next.Handle(ctx, r)
		}
		return nil
	}
	std := slog.NewRecord(r.Time, slog.Level(r.Level), r.Message, r.PC)
	r.Attrs(func(a xslog.Attr) bool {
		std.AddAttrs(attr(a))
		return true
	})
	var err error
	if h.next != nil && h.next.Enabled(ctx, r.Level) {
		// Both read the record: resolve its LogValuers once, for both, as
		// slogsentry does.
		conv := std
		var next slog.Record
		var found bool
		if std, next, found = render.ResolveRecord(conv); found {
			r = backRecord(r, conv, next)
		}
		err = h.next.Handle(ctx, r)
	}
	_ = h.lc.Handle(ctx, std) // logcrumbs' part never fails
	return err
}

// WithAttrs returns a handler whose records carry attrs, on both sides,
// with their LogValuers resolved once, for both, as slogsentry's WithAttrs.
func (h *Handler) WithAttrs(attrs []xslog.Attr) xslog.Handler {
	if len(attrs) == 0 {
		return h
	}
	std := make([]slog.Attr, len(attrs))
	forNext := make([]xslog.Attr, len(attrs))
	for i, a := range attrs {
		conv := value(a.Value)
		o, n, _ := render.ResolveBoth(conv, 0)
		std[i] = slog.Attr{Key: a.Key, Value: o}
		forNext[i] = a
		forNext[i].Value, _ = back(a.Value, conv, n, false)
	}
	h2 := &Handler{lc: h.side().WithAttrs(std)}
	if h.next != nil {
		h2.next = h.next.WithAttrs(forNext)
	}
	return h2
}

// WithGroup returns a handler whose later attributes nest in the group
// name, on both sides. An empty name returns h.
func (h *Handler) WithGroup(name string) xslog.Handler {
	if name == "" {
		return h
	}
	h2 := &Handler{lc: h.side().WithGroup(name)}
	if h.next != nil {
		h2.next = h.next.WithGroup(name)
	}
	return h2
}

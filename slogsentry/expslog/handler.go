// Package expslog gives programs that still log with golang.org/x/exp/slog,
// the package log/slog grew from, the same logcrumbs handler as slogsentry.
//
//	xslog.SetDefault(xslog.New(expslog.NewHandler(xslog.NewJSONHandler(os.Stderr, nil), slogsentry.Options{})))
//
// x/exp/slog is not an alias of log/slog: its Handler, Record and Value are
// types of their own. The handler here passes every record to the x/exp
// handler it wraps, unchanged, and hands logcrumbs a log/slog copy of it, so
// that breadcrumbs, events, options and the handling of bad input are
// exactly those documented in package slogsentry. LogValuers are resolved by
// logcrumbs, lazily and with panics recovered, as for log/slog.
//
// Copying a record costs an allocation for records with more than five
// attributes or with groups; new code should use log/slog and slogsentry.
package expslog

import (
	"context"
	"log/slog"

	xslog "golang.org/x/exp/slog"

	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// Handler is an x/exp/slog handler that wraps another and feeds logcrumbs.
type Handler struct {
	next xslog.Handler // nil: stand-alone
	lc   slog.Handler  // a stand-alone *slogsentry.Handler, with the same attrs and groups
}

// NewHandler returns a handler that passes every record to next, unchanged,
// when next is enabled for its level, and feeds logcrumbs as
// slogsentry.NewHandler does. A nil next makes a stand-alone handler.
func NewHandler(next xslog.Handler, opts slogsentry.Options) *Handler {
	return &Handler{next: next, lc: slogsentry.NewHandler(nil, opts)}
}

// Enabled reports whether either side wants records of this level.
func (h *Handler) Enabled(ctx context.Context, level xslog.Level) bool {
	return h.lc.Enabled(ctx, slog.Level(level)) || (h.next != nil && h.next.Enabled(ctx, level))
}

// Handle passes r to the wrapped handler if it is enabled for r's level and
// returns its error, then gives logcrumbs a log/slog copy of r.
func (h *Handler) Handle(ctx context.Context, r xslog.Record) error {
	var err error
	if h.next != nil && h.next.Enabled(ctx, r.Level) {
		err = h.next.Handle(ctx, r)
	}
	if h.lc.Enabled(ctx, slog.Level(r.Level)) {
		std := slog.NewRecord(r.Time, slog.Level(r.Level), r.Message, r.PC)
		r.Attrs(func(a xslog.Attr) bool {
			std.AddAttrs(attr(a))
			return true
		})
		_ = h.lc.Handle(ctx, std) // logcrumbs' part never fails
	}
	return err
}

// WithAttrs returns a handler whose records carry attrs, on both sides.
func (h *Handler) WithAttrs(attrs []xslog.Attr) xslog.Handler {
	if len(attrs) == 0 {
		return h
	}
	std := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		std[i] = attr(a)
	}
	h2 := &Handler{lc: h.lc.WithAttrs(std)}
	if h.next != nil {
		h2.next = h.next.WithAttrs(attrs)
	}
	return h2
}

// WithGroup returns a handler whose later attributes nest in the group
// name, on both sides. An empty name returns h.
func (h *Handler) WithGroup(name string) xslog.Handler {
	if name == "" {
		return h
	}
	h2 := &Handler{lc: h.lc.WithGroup(name)}
	if h.next != nil {
		h2.next = h.next.WithGroup(name)
	}
	return h2
}

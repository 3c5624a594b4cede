package logrsentry

import (
	"context"
	"log/slog"
	"time"

	"github.com/go-logr/logr"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/internal/render"
)

// slogTee is the sink logr sees: a logr.SlogSink, so that
// logr.ToSlogHandler hands it slog records whole, with their groups and
// context, and slog records bind to the trail of the slog call's context.
// When next is a logr.SlogSink too (funcr, zapr, klog), it gets them whole
// as well, as it did without logcrumbs (funcr nests groups as objects, and
// flattens them to "g.k" when it gets them through Info); a next that is
// logr's FromSlogHandler sink gets them whole through its slog handler, as
// logr.ToSlogHandler unwraps that handler without logcrumbs; any other
// (stdr, testr, logrusr) gets them as the Info and Error calls logr's own
// slog handler made of them.
type slogTee struct{ sink }

var _ logr.SlogSink = (*slogTee)(nil)

// out returns s as the sink logr should see: a slogTee. (A sink that is no
// SlogSink, for a next that is none, made logr convert slog records to
// Info and Error calls, which carry no context: slog records went to the
// trail of the logger's bound context, or the fallback trail, not to that
// of the slog call's context.)
func (s *sink) out() logr.LogSink { return &slogTee{*s} }

// teeOf returns the sink under l, if it is this package's.
func teeOf(l logr.LogSink) (*sink, bool) {
	switch s := l.(type) {
	case *sink:
		return s, true
	case *slogTee:
		return &s.sink, true
	}
	return nil, false
}

// Handle passes the record to next and keeps it with logr's levels (a
// level of Error or above is an Error record, below it V(-level)) and
// slog's attributes as slogsentry keeps them (groups nested; no "error"
// value of logr's Error(nil, ...): the record's own error attribute is the
// exception), with the slog call's site and, when it carries a trail, its
// context.
func (s *slogTee) Handle(ctx context.Context, r slog.Record) error {
	var err error
	v := max(0, -int(r.Level)) // logr's V level of r, as logr reads it
	// Each LogValue method is called once, for next and for logcrumbs,
	// as slogsentry calls it (see render.ResolveRecord): next gets r as
	// slogsentry's wrapped handler gets it (a LogValuer that panicked, to
	// write slog's text for it), logcrumbs ours, where a panic is a note,
	// not an error that would become the event's exception.
	ours := r
	if render.HasLogValuer(&r) {
		ours, r, _ = render.ResolveRecord(r)
	}
	switch {
	case s.next == nil:
	case s.slogHandler != nil:
		// logr's FromSlogHandler sink: logr.ToSlogHandler unwraps its
		// handler, which, without logcrumbs, gets r whole (its level,
		// groups and context) if it is enabled for r's level; converted
		// to an Info call, a warning was written as info, or dropped by
		// a handler that writes warnings only, and groups were flattened.
		if s.slogHandler.Enabled(ctx, r.Level) {
			err = s.slogHandler.Handle(ctx, r)
		}
	case r.Level < slog.LevelError && !s.next.Enabled(v):
		// This sink's Enabled let r through for logcrumbs' sake.
	case s.slogNext != nil:
		err = s.slogNext.Handle(ctx, r)
	default:
		// As logr's slog handler calls a sink that is no SlogSink: group
		// keys joined by ".", the sink told of the frames between it and
		// the slog call (this frame stands for the one of logr's it had).
		if s.helper != nil {
			s.helper()
		}
		kv := make([]any, 0, 2*r.NumAttrs())
		r.Attrs(func(a slog.Attr) bool {
			kv = attrToKVs(a, s.group, kv)
			return true
		})
		next := s.next
		if d, ok := next.(logr.CallDepthLogSink); ok {
			next = d.WithCallDepth(2)
		}
		if r.Level >= slog.LevelError {
			next.Error(nil, r.Message, kv...)
		} else {
			next.Info(v, r.Message, kv...)
		}
	}
	d, lvl := s.c.errorDecision(), core.Level(sentryLevel(errorLevel))
	if r.Level < slog.LevelError {
		if d = s.c.infoDecision(v); d == core.Skip {
			return err
		}
		lvl = sentryLevel(-v)
	}
	// The slog call's context when it carries a trail, else the bound
	// one; unbound, the call's still, for its hub (sentryhttp's request
	// hub), as slogsentry's: its records go to the fallback trail either
	// way.
	if s.ctx != nil && (ctx == nil || logcrumbs.FromContext(ctx) == nil) {
		ctx = s.ctx
	}
	e := core.Entry{Time: r.Time, Level: lvl, Logger: s.name, Message: r.Message, PC: r.PC}
	s.c.core.Log(ctx, d, &e, s.preset, &core.Encoder{
		Fields: func(rec *core.Record, errs *[]error) {
			ours.Attrs(func(a slog.Attr) bool {
				addAttr(rec, a, errs, 0)
				return true
			})
		},
	})
	return err
}

// WithAttrs returns a sink whose records carry attrs, passing them to next.
// Their LogValuers are resolved once, now, for next and for logcrumbs, as
// slogsentry's Handler.WithAttrs resolves them.
func (s *slogTee) WithAttrs(attrs []slog.Attr) logr.SlogSink {
	ours := make([]slog.Attr, len(attrs))
	forNext := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		o, n, _ := render.ResolveBoth(a.Value, 0)
		ours[i] = slog.Attr{Key: a.Key, Value: o}
		forNext[i] = slog.Attr{Key: a.Key, Value: n}
	}
	attrs = forNext
	s2 := *s
	switch {
	case s.slogNext != nil:
		s2.setNext(s.slogNext.WithAttrs(attrs))
	case s.next != nil: // as logr's slog handler gives them to such a sink
		kv := make([]any, 0, 2*len(attrs))
		for _, a := range attrs {
			kv = attrToKVs(a, s.group, kv)
		}
		s2.setNext(s.next.WithValues(kv...))
		if s.slogHandler != nil {
			s2.slogHandler, s2.slogApart, s2.slogName = s.slogHandler.WithAttrs(attrs), true, ""
			s2.depth = s.initDepth
		}
	}
	s2.preset = s.c.core.With(s.preset, func(rec *core.Record, errs *[]error) {
		for _, a := range ours {
			addAttr(rec, a, errs, 0)
		}
	})
	return &s2
}

// WithGroup returns a sink whose later attributes are in group name.
func (s *slogTee) WithGroup(name string) logr.SlogSink {
	s2 := *s
	if s.slogNext != nil {
		s2.setNext(s.slogNext.WithGroup(name))
	}
	if s.slogHandler != nil {
		// logr's sink over the grouped handler: its name and its call
		// depth are logr.New's, not this sink's.
		s2.slogHandler, s2.slogApart, s2.slogName = s.slogHandler.WithGroup(name), true, ""
		s2.depth = s.initDepth
	}
	s2.group = prefixed(s.group, name)
	// The record's later attributes nest in the group, as slogsentry
	// nests them (the preset's group stays open in each record).
	s2.preset = s.c.core.With(s.preset, func(rec *core.Record, _ *[]error) { rec.OpenGroup(name) })
	return &s2
}

// addAttr copies a as slogsentry does: a group nested as an object (its
// attributes inline when its key is empty; an empty group dropped), so
// that the same slog call reads the same in Sentry through either, and
// dotted paths (TagKeys, EscalateIf's Lookup) find its values. An empty
// key is dropped, as logr's attrToKVs drops it.
func addAttr(rec *core.Record, a slog.Attr, errs *[]error, depth int) {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		attrs := v.Group()
		if len(attrs) == 0 {
			return
		}
		if depth >= render.MaxDepth {
			rec.AddText(core.KindPanic, a.Key, "!TOO DEEP: groups nested more than 100 levels")
			return
		}
		if a.Key != "" {
			rec.OpenGroup(a.Key)
		}
		for _, a := range attrs {
			addAttr(rec, a, errs, depth+1)
		}
		if a.Key != "" {
			rec.CloseGroup()
		}
		return
	}
	if a.Key == "" {
		return
	}
	key := a.Key
	if !render.Plain(rec, key, v) {
		x := v.Any()
		if p, ok := x.(*render.LogValuePanic); ok {
			rec.AddText(core.KindPanic, key, p.Note) // as slogsentry notes it
			return
		}
		addValue(rec, key, x, errs)
	}
}

// attrToKVs appends a to kv as logr's slog handler gives attributes to a
// sink that is no SlogSink: a group's attributes under "group.key", an
// empty key dropped.
func attrToKVs(a slog.Attr, group string, kv []any) []any {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		g := group
		if a.Key != "" {
			g = prefixed(group, a.Key)
		}
		for _, a := range v.Group() {
			kv = attrToKVs(a, g, kv)
		}
		return kv
	}
	if a.Key == "" {
		return kv
	}
	return append(kv, prefixed(group, a.Key), v.Any())
}

func prefixed(group, key string) string {
	if group == "" {
		return key
	}
	return group + "." + key
}

// kvToAttrs returns a logr key/value list as slog attributes, as logr's
// FromSlogHandler sink gives them to its handler's WithAttrs (slog's
// Record.Add: a key that is not a string is "!BADKEY").
func kvToAttrs(kv []any) []slog.Attr {
	r := slog.NewRecord(time.Time{}, 0, "", 0)
	r.Add(kv...)
	attrs := make([]slog.Attr, 0, r.NumAttrs())
	r.Attrs(func(a slog.Attr) bool {
		attrs = append(attrs, a)
		return true
	})
	return attrs
}

package logrsentry

import (
	"context"
	"log/slog"

	"github.com/go-logr/logr"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/internal/render"
)

// slogTee is the sink when next is a logr.SlogSink (funcr, zapr, klog):
// logr.ToSlogHandler hands slog records to such a sink whole, with their
// groups and context, and the user's sink must keep getting them that way,
// or its output changes (funcr nests groups as objects, and flattens them
// to "g.k" when it gets them through Info). It is also the stand-alone
// sink, so that slog records bind to the trail of the slog call's context.
type slogTee struct{ sink }

var _ logr.SlogSink = (*slogTee)(nil)

// out returns s as the sink logr should see: a slogTee when next takes
// slog records (or there is no next), s otherwise, so that logr converts
// slog records to Info and Error calls for next as it did before.
func (s *sink) out() logr.LogSink {
	if s.next == nil || s.slogNext != nil {
		return &slogTee{*s}
	}
	return s
}

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

// Handle passes the record to next and keeps it as logr's own conversion
// would (a level of Error or above is an Error call with a nil err, below
// it V(-level); group keys joined with "."), with the slog call's site and,
// when it carries a trail, its context.
func (s *slogTee) Handle(ctx context.Context, r slog.Record) error {
	var err error
	v := max(0, -int(r.Level)) // logr's V level of r, as logr reads it
	if s.slogNext != nil && (r.Level >= slog.LevelError || s.next.Enabled(v)) {
		// Enabled: this sink's Enabled let r through for logcrumbs' sake.
		err = s.slogNext.Handle(ctx, r)
	}
	d, lvl := s.c.errorDecision(), core.Level(sentryLevel(errorLevel))
	if r.Level < slog.LevelError {
		if d = s.c.infoDecision(v); d == core.Skip {
			return err
		}
		lvl = sentryLevel(-v)
	}
	if ctx == nil || logcrumbs.FromContext(ctx) == nil {
		ctx = s.ctx
	}
	e := core.Entry{Time: r.Time, Level: lvl, Logger: s.name, Message: r.Message, PC: r.PC}
	s.c.core.Log(ctx, d, &e, s.preset, &core.Encoder{
		Fields: func(rec *core.Record, errs *[]error) {
			if d.Kept() == core.Event {
				rec.AddScalar(core.KindNull, "error", 0) // as logr's Error(nil, ...)
			}
			r.Attrs(func(a slog.Attr) bool {
				addAttr(rec, s.group, a, errs)
				return true
			})
		},
	})
	return err
}

// WithAttrs returns a sink whose records carry attrs, passing them to next.
func (s *slogTee) WithAttrs(attrs []slog.Attr) logr.SlogSink {
	s2 := *s
	if s.slogNext != nil {
		s2.setNext(s.slogNext.WithAttrs(attrs))
	}
	s2.preset = s.c.core.With(s.preset, func(rec *core.Record, errs *[]error) {
		for _, a := range attrs {
			addAttr(rec, s.group, a, errs)
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
	s2.group = prefixed(s.group, name)
	return &s2
}

// addAttr copies a, as logr's attrToKVs reads it: a group's attributes
// under "group.key", an empty key dropped.
func addAttr(rec *core.Record, group string, a slog.Attr, errs *[]error) {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		g := group
		if a.Key != "" {
			g = prefixed(group, a.Key)
		}
		for _, a := range v.Group() {
			addAttr(rec, g, a, errs)
		}
		return
	}
	if a.Key == "" {
		return
	}
	key := prefixed(group, a.Key)
	if !render.Plain(rec, key, v) {
		addValue(rec, key, v.Any(), errs)
	}
}

func prefixed(group, key string) string {
	if group == "" {
		return key
	}
	return group + "." + key
}

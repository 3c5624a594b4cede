// Package logrsentry feeds logcrumbs from github.com/go-logr/logr, the
// logging API of Kubernetes (controller-runtime, client-go through klog,
// operators): a logr.LogSink that tees beside the sink that writes your logs.
//
//	log := logrsentry.Wrap(zapr.NewLogger(z), logrsentry.Options{}) // a logr.Logger you have
//	// or, with a sink you build yourself and give to logr.New:
//	log = logr.New(logrsentry.NewSink(yourSink, logrsentry.Options{}))
//	// or stand-alone, feeding logcrumbs only:
//	log = logr.New(logrsentry.NewSink(nil, logrsentry.Options{}))
//
// Info records up to Options.Verbosity (default 1) are copied into the
// trail of their context: V(0) as info breadcrumbs, higher V levels as
// debug ones. Error records become Sentry events that carry that trail,
// with the error passed to Error as the real error value. Your sink sees
// exactly the calls it saw before (names, values, V levels, call depth),
// with one difference: Enabled reports true for a V level logcrumbs keeps
// even when your sink filters it, so code guarded by
// log.V(1).Enabled() runs.
//
// # Contexts
//
// logr gives its sinks no context.Context, so the trail is bound to a
// request-scoped logger: [WithContext] returns one (and a context that
// carries it, for logr.FromContext). Records of a logger with no bound
// context go to the process-wide fallback trail (logcrumbs.Fallback). A
// request that logs through logr and slog with the same context has one
// trail.
//
// logr.FromSlogHandler(slogsentry.NewHandler(...)) does not bind a trail:
// logr hands the slog handler context.Background(), so every record would
// land in the fallback trail; that is why this sink exists. The other way,
// logr.ToSlogHandler(log) of a logger built here (as Kubernetes makes
// klog's logger slog's default) keeps slog records in the trail of the slog
// call's context when it carries one, else of the logger's (a logger bound
// to none sends them through the hub of the call's context, as slogsentry
// does), with their groups nested and their error attribute the exception,
// as slogsentry keeps them; your sink gets them as it did before: whole (groups,
// context), through its Handle, when it is a logr.SlogSink (funcr, zapr,
// klog), through its slog handler when it is logr.FromSlogHandler's (which
// logr.ToSlogHandler unwraps: the record's own level, groups and context),
// and as Info and Error calls otherwise. One difference stays, for a
// handler under logr.FromSlogHandler and a logger of V level n other than
// 0: logr.ToSlogHandler does not unwrap the handler of such a logger, and
// without logcrumbs it got the records as Info and Error calls (groups
// flattened, a warning written as info, no context); through this sink it
// gets them whole, their level lowered by n and not clamped at Info (the
// sink cannot tell such a logger's records apart: V is the logger's, not
// the sink's). Likewise a logger with a call depth (WithCallDepth) made
// slog's and a logr.Logger again as it is (logr.FromSlogHandler of
// logr.ToSlogHandler) keeps that depth: without logcrumbs the handler's new
// logger does not.
//
// # Values
//
// Keys and values keep their types in breadcrumb data and in the event's
// "log" context: numbers stay numbers, durations read "1.5s", times are
// RFC 3339, a logr.Marshaler is replaced by what its MarshalLog returns (as
// funcr does, so a type that hides its secrets that way hides them from
// Sentry too), errors and fmt.Stringers are their text, and other values are
// encoded as JSON. The err of Error is the "error" value (its Error text,
// as in funcr, even when it is a logr.Marshaler) and the event's exception
// (its %w chain, errors.Join and stack traces); any other value that is an
// error is collected too, also when it is shown by its MarshalLog, after
// err (which BeforeSend's hint.OriginalException is), even when it comes
// from WithValues.
//
// # Bad input
//
// As funcr treats them: an odd key/value list gets the value "<no-value>",
// a key that is not a string becomes "<non-string-key: ...>", and a nil err
// is a null "error" value (the record is still an event: a message event,
// unless Options.RequireError). A MarshalLog, String or Error method that
// panics is recovered: the value shows "!PANIC in T.Method: value" instead.
// Text beyond the limits of logcrumbs.Options is cut and marked. A zero
// logr.Logger and logr.Discard() have no sink and never reach this package.
package logrsentry

import (
	"context"
	"log/slog"
	"math"
	"runtime"
	"time"

	"github.com/go-logr/logr"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/internal/render"
)

// DefaultVerbosity is the highest V level kept as a breadcrumb when
// Options.Verbosity is zero: V(1), the debug level of controller-runtime
// and of zapr.
const DefaultVerbosity = 1

// Options configure the sink. The zero value keeps Info records at V(0)
// (info breadcrumbs) and V(1) (debug breadcrumbs) and sends every Error
// record as an event.
type Options struct {
	// Options are the settings shared by every logcrumbs integration.
	logcrumbs.Options

	// Verbosity is the highest V level whose Info records are kept in the
	// trail: V(0) records are info breadcrumbs, V(1) to V(Verbosity) debug
	// ones, and higher ones are not kept (your sink still decides for itself
	// what it writes). Zero means DefaultVerbosity; a negative value keeps
	// V(0) only.
	Verbosity int

	// Logs, when true, also sends records to Sentry Logs (through
	// sentry-go's log API: its batching and BeforeSendLog): every Error
	// record, and the Info records of V level at most LogsVerbosity, with
	// their key-value pairs as typed log attributes (groups flattened with
	// dots), the logger's name, the trace of the bound context, scrubbed and
	// user-gated as events are; it is independent of Verbosity. False, the
	// default, means off, so that no Sentry quota changes. See also
	// logcrumbs.Options.LogsOnEvent.
	Logs bool

	// LogsVerbosity is the highest V level whose Info records go to Sentry
	// Logs when Logs is set: zero means V(0) only; a negative value sends
	// Error records only.
	LogsVerbosity int
}

// config is what every sink derived from one NewSink or Wrap call shares.
type config struct {
	core      *core.Core
	verbosity int
	// logs: Options.Logs; logsVerbosity is the highest V level whose Info
	// records are sent to Sentry Logs (-1 when off: no V level is).
	logs          bool
	logsVerbosity int
	// escalates: Options.EscalateIf may turn an Info record into an event,
	// which then needs its call site.
	escalates bool
}

// infoDecision returns what becomes of an Info record of V level level.
func (c *config) infoDecision(level int) core.Decision {
	d := core.Skip
	if level <= c.verbosity {
		d = core.Breadcrumb
	}
	if level <= c.logsVerbosity {
		d |= core.Logs
	}
	return d
}

// errorDecision returns what becomes of an Error record.
func (c *config) errorDecision() core.Decision {
	if c.logs {
		return core.Event | core.Logs
	}
	return core.Event
}

// sink is the logr.LogSink. With* return a new sink; a sink is not changed
// after logr.New has called Init, so it is safe for concurrent use.
type sink struct {
	c    *config
	next logr.LogSink // the user's sink, or nil
	// slogNext is next as a logr.SlogSink, when it is one.
	slogNext logr.SlogSink
	// slogHandler, when next is logr's FromSlogHandler sink (see
	// slogUnderlier), is the slog handler under it, with the values of
	// WithValues and the attributes and groups of WithAttrs and
	// WithGroup: the handler logr.ToSlogHandler unwraps and hands slog
	// records to, whole, without logcrumbs (see slogTee.Handle).
	slogHandler slog.Handler
	// slogApart: slogHandler has attributes or groups of WithAttrs or
	// WithGroup that next's handler has not; else it is next's handler,
	// which WithValues gives its values once. Such a sink is reached by
	// logr's calls only through logr.FromSlogHandler of a handler
	// logr.ToSlogHandler made of it, which, without logcrumbs, is logr's
	// sink over the handler that ToSlogHandler unwrapped, given those
	// attributes and groups: logr's calls go to slogHandler as that sink
	// makes them slog records (see slogLog), named slogName (the names of
	// WithName since: that sink's).
	slogApart bool
	slogName  string
	group     string          // slog groups opened with WithGroup, joined by "." (for a next that is no SlogSink)
	helper    func()          // next's call stack helper, when it has one
	ctx       context.Context // bound with WithContext, or nil
	preset    *core.Preset    // WithValues, rendered once, with their errors
	name      string          // WithName segments joined by "/", as funcr does
	depth     int             // frames between the user's call and Info/Error
	// initDepth is depth as Init (or Wrap) set it, before WithCallDepth:
	// a sink that goes apart (see slogApart) is a new logger's, whose
	// calls are the user's own, as those of logr's sink over the handler.
	initDepth int
	// inited: Init ran, or Wrap counted the frames (see Init).
	inited bool
}

var (
	_ logr.CallDepthLogSink       = (*sink)(nil)
	_ logr.CallStackHelperLogSink = (*sink)(nil)
)

// NewSink returns a sink that passes every call on to next, unchanged, and
// feeds logcrumbs; a nil next makes a stand-alone sink that only feeds
// logcrumbs. Give it to logr.New, which calls its Init, and so next's.
//
// next must be a sink that no logr.New has initialized yet: logr sinks add
// the call depth Init gives them, so a sink taken from a logger with
// GetSink would count logr's frames twice. For a logr.Logger you already
// have (zapr, funcr, klog), use [Wrap].
func NewSink(next logr.LogSink, opts Options) logr.LogSink {
	v := opts.Verbosity
	switch {
	case v == 0:
		v = DefaultVerbosity
	case v < 0:
		v = 0
	}
	s := &sink{c: &config{
		core:          core.New(opts.Options, "logr", 0),
		verbosity:     v,
		logsVerbosity: -1,
		escalates:     opts.EscalateIf != nil,
	}}
	if opts.Logs {
		s.c.logs, s.c.logsVerbosity = true, max(-1, opts.LogsVerbosity)
	}
	s.setNext(next)
	return s.out()
}

// Wrap returns logger with its sink teed beside a new logcrumbs sink, its V
// level kept: logrsentry.Wrap(zapr.NewLogger(z), opts). The logger's own
// sink is told of the one frame the tee adds (through WithCallDepth, when it
// has it), so the call sites it writes do not change. A logger without a
// sink (logr.Discard()) becomes a stand-alone logcrumbs logger. A logger
// that feeds logcrumbs already (built here, with Wrap or NewSink) is
// returned as it is, its options unchanged: a second tee would keep every
// record twice, the inner one where WithContext cannot bind it (the
// fallback trail).
func Wrap(logger logr.Logger, opts Options) logr.Logger {
	next := logger.GetSink()
	if _, ok := teeOf(next); ok {
		return logger
	}
	if d, ok := next.(logr.CallDepthLogSink); ok {
		next = d.WithCallDepth(1)
	}
	s, _ := teeOf(NewSink(nil, opts))
	s.setNext(next)
	s.depth, s.initDepth = 1, 1 // logr.Logger's Info or Error, as logr.New tells Init
	s.inited = true
	return logger.WithSink(s.out())
}

func (s *sink) setNext(next logr.LogSink) {
	s.next, s.helper, s.slogNext, s.slogHandler, s.slogApart, s.slogName = next, nil, nil, nil, false, ""
	if u, ok := next.(slogUnderlier); ok {
		s.slogHandler = u.GetUnderlying()
	}
	if h, ok := next.(logr.CallStackHelperLogSink); ok {
		s.helper = h.GetCallStackHelper()
	}
	if sl, ok := next.(logr.SlogSink); ok {
		s.slogNext = sl // counts the tee's frame already, as for Info
	}
}

// WithContext returns a logger for one unit of work (a request, a
// Reconcile): logger bound to the trail of ctx, and ctx carrying that logger
// (logr.NewContext), so that logr.FromContext(ctx) down the call chain
// returns it. If ctx carries no trail yet, a new one is attached first, so
// that two loggers made from one base logger never share a trail; use the
// returned context for the rest of the work, so that slog and other loggers
// log into the same trail.
//
//	ctx, log := logrsentry.WithContext(ctx, logr.FromContextOrDiscard(ctx))
//	log.Info("reconciling")           // a breadcrumb of this unit of work
//	log.Error(err, "reconcile failed") // an event with that trail
//
// A logger whose sink is not this package's (not built with Wrap or NewSink,
// or wrapped again by another sink) is returned unchanged.
func WithContext(ctx context.Context, logger logr.Logger) (context.Context, logr.Logger) {
	ctx = core.EnsureTrail(ctx)
	if s, ok := teeOf(logger.GetSink()); ok {
		s2 := *s
		s2.ctx = ctx
		logger = logger.WithSink(s2.out())
	}
	return logr.NewContext(ctx, logger), logger
}

// Init is called by logr.New: the call depth is logr's own frames, and
// next is told of this sink's frame too. logr.New may call it again on a
// sink in use (logr.FromSlogHandler(logr.ToSlogHandler(l)) does): then the
// frames were counted already, and next is told so that what it writes
// does not change from what it writes without logcrumbs:
//   - logr's FromSlogHandler sink, which logr.ToSlogHandler unwraps
//     without logcrumbs (no Init again), is told nothing: its depth is
//     right, and is not written while other goroutines log through it;
//   - any other, whether it adds the depths Init gives it (funcr, zapr:
//     logr's depth once more, as without logcrumbs) or sets its depth to
//     the last (the first Init's then), is told both ways: one call of
//     -1, then one of the depth with this sink's frame.
func (s *sink) Init(info logr.RuntimeInfo) {
	if s.inited {
		if _, slogged := s.next.(slogUnderlier); s.next != nil && !slogged {
			s.next.Init(logr.RuntimeInfo{CallDepth: -1})
			info.CallDepth++
			s.next.Init(info)
		}
		return
	}
	s.depth, s.initDepth, s.inited = info.CallDepth, info.CallDepth, true
	if s.next != nil {
		info.CallDepth++
		s.next.Init(info)
	}
}

// slogUnderlier is logr's FromSlogHandler sink (logr's slogr.Underlier),
// whose Init sets its depth.
type slogUnderlier interface {
	GetUnderlying() slog.Handler
}

// Enabled reports whether next writes, or logcrumbs keeps, Info records of
// V level level.
func (s *sink) Enabled(level int) bool {
	return level <= s.c.verbosity || level <= s.c.logsVerbosity || (s.next != nil && s.nextEnabled(level))
}

// nextEnabled reports whether next writes Info records of V level level:
// slogHandler, when it is apart (see slogApart), as logr's sink over it
// asks it.
func (s *sink) nextEnabled(level int) bool {
	if s.slogApart {
		return s.slogHandler.Enabled(context.Background(), slog.Level(-level))
	}
	return s.next.Enabled(level)
}

// Info passes the record to next if next is enabled for its level, and
// keeps it as a breadcrumb if its level is at most Options.Verbosity.
func (s *sink) Info(level int, msg string, kv ...any) {
	switch {
	case s.next == nil:
	case s.slogApart:
		if s.nextEnabled(level) {
			s.slogLog(s.pc(), nil, msg, slog.Level(-level), kv)
		}
	default:
		if s.helper != nil {
			s.helper() // marks this frame, as logr marked its own
		}
		if s.next.Enabled(level) {
			s.next.Info(level, msg, kv...)
		}
	}
	d := s.c.infoDecision(level)
	if d == core.Skip {
		return
	}
	e := core.Entry{Time: time.Now(), Level: sentryLevel(-level), Logger: s.name, Message: msg}
	if s.c.escalates {
		e.PC = s.pc()
	}
	s.c.core.Log(s.ctx, d, &e, s.preset, &core.Encoder{
		Fields: func(rec *core.Record, errs *[]error) { addValues(rec, kv, errs) },
	})
}

// Error passes the record to next and sends it to Sentry as an event, with
// err as its exception.
func (s *sink) Error(err error, msg string, kv ...any) {
	pc := s.pc()
	switch {
	case s.next == nil:
	case s.slogApart:
		s.slogLog(pc, err, msg, slog.LevelError, kv)
	default:
		if s.helper != nil {
			s.helper()
		}
		s.next.Error(err, msg, kv...)
	}
	e := core.Entry{Time: time.Now(), Level: sentryLevel(errorLevel), Logger: s.name, Message: msg, PC: pc}
	s.c.core.Log(s.ctx, s.c.errorDecision(), &e, s.preset, &core.Encoder{
		Fields: func(rec *core.Record, errs *[]error) {
			// funcr's key and value: err's text (never its MarshalLog),
			// null for nil; and err is the exception even if a Marshaler.
			if err == nil {
				rec.AddScalar(core.KindNull, "error", 0)
			} else {
				n := 0 // the errors of WithValues, gathered first
				if errs != nil {
					n = len(*errs)
				}
				render.Error(rec, "error", err, errs)
				if errs != nil && n > 0 && len(*errs) == n+1 {
					// err leads them, as logrus' WithError error leads:
					// the exception chain's first, and the hint's
					// OriginalException that BeforeSend sees.
					e := *errs
					copy(e[1:], e[:n])
					e[0] = err
				}
			}
			addValues(rec, kv, errs)
		},
	})
}

// slogLog writes a logr call to slogHandler as logr's FromSlogHandler
// sink writes it to its handler (see slogApart): a record at pc, named
// slogName, with err under "err" and kv as slog's Record.Add reads them.
func (s *sink) slogLog(pc uintptr, err error, msg string, level slog.Level, kv []any) {
	r := slog.NewRecord(time.Now(), level, msg, pc)
	if s.slogName != "" {
		r.AddAttrs(slog.String("logger", s.slogName))
	}
	if err != nil {
		r.AddAttrs(slog.Any("err", err))
	}
	r.Add(kv...)
	_ = s.slogHandler.Handle(context.Background(), r)
}

// errorLevel is Error's place on the scale of sentryLevel.
const errorLevel = 2

// sentryLevel maps a place on logr's scale of importance to Sentry's level:
// -V for an Info record (V(0) info, every higher V debug), errorLevel for
// Error. logr has no warning level, nor trace.
func sentryLevel(l int) core.Level { return core.LevelOf(l, math.MinInt, 0, 1, errorLevel, 3) }

// pc returns the return address in the user's call to logr, past the
// frames Init and WithCallDepth counted: the top of the event's stack and
// the call site that dedupe keys on.
func (s *sink) pc() uintptr {
	var pcs [1]uintptr
	// runtime.Callers, pc, Info or Error, then s.depth frames of logr and
	// the user's helpers.
	if runtime.Callers(3+s.depth, pcs[:]) == 0 {
		return 0
	}
	return pcs[0]
}

// WithValues returns a sink whose records carry kv, passing kv to next.
func (s *sink) WithValues(kv ...any) logr.LogSink {
	s2 := *s
	if s.next != nil {
		s2.setNext(s.next.WithValues(kv...))
		if s.slogApart { // as logr's sink gives kv to its handler
			s2.slogHandler, s2.slogApart, s2.slogName = s.slogHandler.WithAttrs(kvToAttrs(kv)), true, s.slogName
		}
	}
	s2.preset = s.c.core.With(s.preset, func(rec *core.Record, errs *[]error) { addValues(rec, kv, errs) })
	return s2.out()
}

// WithName returns a sink whose records are named name after this sink's
// name and a "/", as funcr names them: the breadcrumbs' category and the
// events' logger (unless Options.LoggerName is set).
func (s *sink) WithName(name string) logr.LogSink {
	s2 := *s
	if s.next != nil {
		s2.setNext(s.next.WithName(name))
		// logr's sink names its records, not its handler.
		s2.slogHandler, s2.slogApart, s2.slogName = s.slogHandler, s.slogApart, s.slogName
		if s.slogApart {
			if s2.slogName != "" {
				s2.slogName += "/"
			}
			s2.slogName += name
		}
	}
	if s2.name != "" {
		s2.name += "/"
	}
	s2.name += name
	return s2.out()
}

// WithCallDepth returns a sink that skips depth more frames for the event's
// stack and call site, and passes depth to next if next takes it.
func (s *sink) WithCallDepth(depth int) logr.LogSink {
	s2 := *s
	s2.depth += depth
	if d, ok := s.next.(logr.CallDepthLogSink); ok {
		s2.setNext(d.WithCallDepth(depth))
		s2.slogHandler, s2.slogApart, s2.slogName = s.slogHandler, s.slogApart, s.slogName
	}
	return s2.out()
}

// GetCallStackHelper returns next's helper, or a function that does
// nothing: logr calls it in its own frame for sinks (testr) that mark
// helpers rather than count frames.
func (s *sink) GetCallStackHelper() func() {
	if s.helper != nil {
		return s.helper
	}
	return noHelper
}

func noHelper() {}

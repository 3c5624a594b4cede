// Package zapsentry feeds logcrumbs from go.uber.org/zap: a zapcore.Core to
// tee beside the cores that write your logs.
//
//	logger := zap.New(zapcore.NewTee(yourCore, zapsentry.NewCore(zapsentry.Options{})))
//	// or, to an existing logger:
//	logger = logger.WithOptions(zapsentry.Wrap(zapsentry.Options{}))
//
// Entries below the event level (default Error) and at or above the
// breadcrumb level (default Debug) are copied into the trail of their
// context; entries at or above the event level become Sentry events that
// carry that trail. Your cores are untouched: they write exactly what they
// wrote before, and the tee lets Debug entries reach the trail even where
// your core filters them.
//
// # Contexts
//
// zap's Core.Write is given no context.Context, so the context is bound
// with a field, [Context], which this core reads and every other core skips
// (it is a zapcore.SkipType field: it writes nothing). Bind it once for a
// request with [WithContext], or with logger.With(zapsentry.Context(ctx)),
// or pass it on a single call. Entries with no bound context go to the
// process-wide fallback trail (logcrumbs.Fallback). A request that logs
// through zap and slog with the same context has one trail.
//
// # Fields
//
// Fields keep their types in breadcrumb data and in the event's "log"
// context: numbers stay numbers, durations read "1.5s", times are RFC 3339,
// zap.Object becomes a nested object, zap.Namespace nests the fields after
// it, and zap.Array, zap.Reflect and zap.Any of other values are encoded as
// JSON. The errors of zap.Error, zap.NamedError and zap.Errors fields become
// the event's exception chain as the real error values (types, %w chains,
// errors.Join, stack traces), not as strings: the fields of the log call
// and of With, at the top level. An error field inside zap.Dict or an
// object's MarshalLogObject is its text only.
//
// # Bad input
//
// A MarshalLogObject, MarshalLogArray, String or Error method that panics is
// recovered: the field shows "!PANIC in T.Method: value" instead, and the
// entry is still kept or sent. A nil error (zap.Error(nil)) is no field, as in
// zap; a typed nil error is shown as text and is no exception (an error or
// Stringer whose method dereferences its nil pointer shows "<nil>", as zap
// writes it). Values that cannot be encoded as JSON show "!UNENCODABLE T:
// reason". Invalid UTF-8 is replaced when sent, and values beyond the limits
// of logcrumbs.Options are cut and marked. Write never returns an error and
// never blocks on Sentry, except for Panic and Fatal entries: the process is
// about to stop, so the core waits up to Options.SyncTimeout for the event
// to be delivered.
//
// # Panic, DPanic and Fatal
//
// Inside logcrumbs.Middleware or RunJob, a Panic entry's event is the
// report of the panic zap raises after it: the recovered panic is no second
// event. So is that of a DPanic in a development logger, and of a Fatal
// whose hook panics (zap.WithFatalHook(zapcore.WriteThenPanic)); a DPanic
// in production, or a Fatal whose hook returns, raises none, and a panic
// that follows it is reported as usual.
package zapsentry

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/core"
)

// Options configure the core. The zero value keeps Debug and above as
// breadcrumbs, sends Error and above as events, and waits up to 2 seconds in
// Sync.
type Options struct {
	logcrumbs.Options

	// BreadcrumbLevel decides which entries below the event level are kept
	// in the trail. Nil means zapcore.DebugLevel. A zap.AtomicLevel may be
	// used to change it at run time.
	BreadcrumbLevel zapcore.LevelEnabler

	// EventLevel decides which entries become Sentry events. Nil means
	// zapcore.ErrorLevel.
	EventLevel zapcore.LevelEnabler

	// LogsLevel decides which entries are also sent to Sentry Logs
	// (through sentry-go's log API: its batching and BeforeSendLog), with
	// their fields as typed log attributes (namespaces and objects
	// flattened with dots), the logger's name, the trace of the bound
	// context, scrubbed and user-gated as events are; it is independent of
	// the other two levels. Nil means off, so that no Sentry quota
	// changes; a zap.AtomicLevel changes it at run time. See also
	// logcrumbs.Options.LogsOnEvent.
	LogsLevel zapcore.LevelEnabler

	// SyncTimeout bounds how long Sync, and the Write of a Panic or Fatal
	// entry, wait for the hub's client to send the events sent so far (to
	// drain its queue: whether Sentry accepted them, logcrumbs.Flush with
	// logcrumbs.DeliveryTransport tells). Zero means 2 seconds.
	SyncTimeout time.Duration
}

type config struct {
	core            *core.Core
	levels          core.Levels[zapcore.Level]
	breadcrumbLevel zapcore.LevelEnabler
	eventLevel      zapcore.LevelEnabler
	logsLevel       zapcore.LevelEnabler // nil: Sentry Logs off

	// fixed says every level is a zapcore.Level: then the core is enabled
	// at and above low (levels.Fixed), which Check compares in place.
	low   zapcore.Level
	fixed bool
}

// sentryCore is the zapcore.Core. With returns a new core; a core is never
// changed after it is made, so it is safe for concurrent use.
type sentryCore struct {
	c   *config
	ctx context.Context // bound with Context, or nil

	// preset is the fields added with With, copied when With was called
	// (as zap's encoders copy them), with their errors.
	preset *core.Preset

	// trail is core.TrailOf(ctx), looked up when ctx was bound (see
	// core.Entry.Trail).
	trail *buffer.Trail
}

// NewCore returns a core that feeds logcrumbs and writes nothing else. Tee
// it beside your own: zapcore.NewTee(yourCore, zapsentry.NewCore(opts)).
// Tee one: a core teed beside one that holds a logcrumbs core already
// keeps every record a second time (zapcore.NewTee tells no core of the
// others; Wrap looks, see there).
func NewCore(opts Options) zapcore.Core {
	c := &config{
		core:            core.New(opts.Options, "zap", opts.SyncTimeout),
		breadcrumbLevel: opts.BreadcrumbLevel,
		eventLevel:      opts.EventLevel,
		logsLevel:       opts.LogsLevel,
	}
	if c.breadcrumbLevel == nil {
		c.breadcrumbLevel = zapcore.DebugLevel
	}
	if c.eventLevel == nil {
		c.eventLevel = zapcore.ErrorLevel
	}
	b, bok := c.breadcrumbLevel.(zapcore.Level)
	e, eok := c.eventLevel.(zapcore.Level)
	if bok && eok {
		c.levels = core.FixedLevels(b, e)
	} else {
		c.levels = core.DynamicLevels(c.breadcrumbLevel.Enabled, c.eventLevel.Enabled)
	}
	switch logs := opts.LogsLevel.(type) {
	case nil:
	case zapcore.Level:
		c.levels = c.levels.WithLogs(logs)
	default:
		c.levels = c.levels.WithDynamicLogs(logs.Enabled)
	}
	c.low, c.fixed = c.levels.Fixed()
	return &sentryCore{c: c, trail: buffer.Fallback()} // core.TrailOf(nil): no context bound
}

// Wrap returns a zap.Option that tees a new core beside a logger's own:
// logger.WithOptions(zapsentry.Wrap(opts)). A logger that feeds logcrumbs
// already (its core holds one of NewCore's, teed by Wrap or by you, as a
// constructor that applied Wrap returns it) keeps its core as it is, its
// options unchanged (the first options win, their Hub too): a second core would keep every
// record twice in the trail and send each Sentry Log twice. Wrap finds
// such a core by asking the logger's core for a child (Core.With) with a
// field that writes nothing, once, when the option is applied; a core of
// yours that does not pass With on to the cores it wraps hides it.
func Wrap(opts Options) zap.Option {
	return zap.WrapCore(func(c zapcore.Core) zapcore.Core {
		if feedsLogcrumbs(c) {
			return c
		}
		return zapcore.NewTee(c, NewCore(opts))
	})
}

// probeKey is the key of the field feedsLogcrumbs gives With: a SkipType
// field, which no core writes, whose Interface is a *probe.
const probeKey = "logcrumbs.probe"

// probe is marked by a sentryCore's With that sees it.
type probe struct{ found bool }

// feedsLogcrumbs reports whether c is or holds a sentryCore: a tee
// (zapcore.NewTee's type is unexported) and the cores that wrap others
// (zap's sampler, IncreaseLevel, hooks) pass With on to theirs, and the
// sentryCore among them marks the probe. The child c.With returns is
// dropped.
func feedsLogcrumbs(c zapcore.Core) bool {
	if c == nil {
		return false
	}
	if _, ok := c.(*sentryCore); ok {
		return true
	}
	p := &probe{}
	_ = c.With([]zapcore.Field{{Key: probeKey, Type: zapcore.SkipType, Interface: p}})
	return p.found
}

// Enabled reports whether the entry would be kept or sent.
func (c *sentryCore) Enabled(l zapcore.Level) bool {
	return c.c.levels.Enabled(l)
}

// Level returns the lowest level the core is enabled for, so that
// zap.Logger.Level and zapcore.LevelOf report the tee's true level.
func (c *sentryCore) Level() zapcore.Level {
	l := min(zapcore.LevelOf(c.c.breadcrumbLevel), zapcore.LevelOf(c.c.eventLevel))
	if c.c.logsLevel != nil { // entries only sent to Sentry Logs count too
		l = min(l, zapcore.LevelOf(c.c.logsLevel))
	}
	return l
}

// With returns a core whose entries carry fields. A Context field among them
// binds the core to that context instead of being a field.
func (c *sentryCore) With(fields []zapcore.Field) zapcore.Core {
	if len(fields) == 1 && fields[0].Type == zapcore.SkipType && fields[0].Key == probeKey {
		if p, ok := fields[0].Interface.(*probe); ok { // feedsLogcrumbs asks
			p.found = true
			return c
		}
	}
	c2 := *c
	own := 0
	for i := range fields {
		if ctx, ok := boundContext(&fields[i]); ok {
			c2.ctx, c2.trail = ctx, core.TrailOf(ctx)
			continue
		}
		own++
	}
	if own == 0 {
		return &c2
	}
	c2.preset = c.c.core.With(c.preset, func(rec *core.Record, errs *[]error) {
		for i := range fields {
			if _, ok := boundContext(&fields[i]); !ok {
				addField(rec, &fields[i], errs)
			}
		}
	})
	return &c2
}

// Check adds the core to ce when it is enabled for the entry's level.
//
// Every entry of every core of a tee is checked here, filtered ones too:
// with fixed levels the level is compared in place, where the call to
// Enabled (too large to be inlined) cost about 20 instructions an entry
// (cachegrind, ZapBreadcrumb/json+logcrumbs).
func (c *sentryCore) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if cc := c.c; cc.fixed {
		if ent.Level < cc.low {
			return ce
		}
	} else if !c.Enabled(ent.Level) {
		return ce
	}
	if ce == nil {
		return c.addFirst(ent)
	}
	// ce holds the entry already: AddCore only appends the core to it, and
	// reads its Entry argument only for a nil ce. Given ent, the inlined
	// AddCore copied its 136 bytes to the stack all the same, for nothing.
	return ce.AddCore(zapcore.Entry{}, c)
}

// addFirst is Check for an entry no core of a tee took before this one
// (this core alone, or first in its tee): AddCore takes a CheckedEntry from
// zap's pool and copies ent into it. Out of line, with its code: Check's
// usual case is a core teed after the one that writes the logs.
//
//go:noinline
func (c *sentryCore) addFirst(ent zapcore.Entry) *zapcore.CheckedEntry {
	var ce *zapcore.CheckedEntry
	return ce.AddCore(ent, c)
}

// Write keeps the entry as a breadcrumb or sends it as an event. It returns
// nil: what logcrumbs does never makes a log call fail.
func (c *sentryCore) Write(ent zapcore.Entry, fields []zapcore.Field) error {
	ctx, trail := c.ctx, c.trail
	// Only a SkipType field can be a Context. The loop looks at the types
	// alone, gathering them as bits, and leaves the rest to boundIn: with
	// boundContext's key comparison (a call to memequal) in it, the
	// compiler kept the loop's variables on the stack, 14 instructions a
	// field where 5 do.
	var types uint64
	for i := range fields { // by index: a Field is 64 bytes
		types |= typeBit(fields[i].Type)
	}
	if types&typeBit(zapcore.SkipType) != 0 {
		// A context bound for this entry alone is looked up by the core
		// (not compared with c.ctx: a context type need not be
		// comparable).
		if bound, ok := boundIn(fields, ctx); ok {
			ctx, trail = bound, nil
		}
	}
	// Set field by field: a composite literal was built in a temporary
	// and then copied into e, whose address Log takes (14 instructions an
	// entry more, cachegrind).
	var e core.Entry
	e.Time = ent.Time
	e.Level = level(ent.Level)
	e.Logger = ent.LoggerName
	e.Message = ent.Message
	if ent.Level >= zapcore.DPanicLevel {
		// zap panics with the message next, or exits; after a custom
		// level above Fatal it does neither, and a flush would hold up
		// each such log for the flush timeout. It may not panic after a
		// DPanic (only a development logger does) nor after a Fatal
		// (only with a hook such as zapcore.WriteThenPanic): their notes
		// are tentative, so that a later Panic of the request is still
		// one event. Below DPanic, one comparison leaves all false.
		e.Panics = ent.Level <= zapcore.FatalLevel
		e.Tentative = ent.Level != zapcore.PanicLevel
		e.Exits = ent.Level == zapcore.PanicLevel || ent.Level == zapcore.FatalLevel
	}
	e.Trail = trail
	if ent.Caller.PC != 0 { // zap.AddCaller
		// zap's PC is a runtime.Frame's, the call instruction's; Record.PC
		// is a return address, as runtime.Callers gives (and slog keeps).
		// Not Caller.Defined: an entry built by hand (a bridge from
		// another logger) may define its caller by file and line alone,
		// and PC 1 was then every such entry's call site (one event for
		// unrelated errors, a stack of one empty frame); with no PC the
		// core finds the call site itself.
		e.PC = ent.Caller.PC + 1
	}
	enc := core.Encoder{Copies: types&^plainTypes == 0}
	if enc.Copies {
		// Every field is plain: addPlains copies them all, with no
		// errors to gather, as addFields would in one run, one call
		// less a record (cachegrind, ZapBreadcrumb/json+logcrumbs: 7,679
		// -> 7,641 instructions a record).
		enc.Fields = func(rec *core.Record, _ *[]error) { addPlains((*encoder)(rec), fields) }
	} else {
		enc.Fields = func(rec *core.Record, errs *[]error) { addFields(rec, fields, errs) }
	}
	c.c.core.Log(ctx, c.c.levels.Decide(ent.Level), &e, c.preset, &enc)
	return nil
}

// Sync waits up to Options.SyncTimeout for the core's hub's client to send
// the events sent so far (sentry-go's Client.Flush: its queue drained, not
// Sentry's answer). It returns an error if that did not happen in time; with
// no Sentry client it returns nil at once.
func (c *sentryCore) Sync() error {
	if !c.c.core.Flush(c.ctx) {
		return fmt.Errorf("zapsentry: Sentry did not confirm the events sent within %v: they may be lost; "+
			"check the DSN and the network, or raise Options.SyncTimeout", c.c.core.FlushTimeout())
	}
	return nil
}

// level maps zap's levels to Sentry's: DPanic, Panic and Fatal are fatal.
func level(l zapcore.Level) core.Level {
	return core.LevelOf(l, zapcore.DebugLevel, zapcore.InfoLevel, zapcore.WarnLevel, zapcore.ErrorLevel, zapcore.DPanicLevel)
}

// Package core is what every logger integration is glue over: one flow from
// a logger's record to a breadcrumb or a Sentry event, in the spirit of
// log/slog's commonHandler and zapcore's Core/Encoder split.
//
// An adapter does two things only. It says what its record's level is
// (decided once by [Levels], and mapped to Sentry's with [LevelOf]) and what
// its context is (the record's, or the one bound to the logger); and it
// encodes its logger's fields, and if it wishes its message, into the
// core's [Record] through an [Encoder]. Everything else happens here, once:
// trail lookup or fallback, breadcrumb or event and their limits, the
// With-preset, gathering errors only when needed (Options.EscalateIf),
// capture-once, the bookkeeping of Panic and Fatal records (the panic noted
// for the unit of work, the hub flushed before the process stops), Sync,
// and attaching a trail to a request's context.
//
// The breadcrumb path allocates nothing: [Core.Log] takes the encoder's
// functions as closures that do not escape, so an adapter's closures over
// its stack values stay on the stack.
package core

import (
	"cmp"
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/escalate"
	"github.com/logcrumbs/logcrumbs/internal/event"
	"github.com/logcrumbs/logcrumbs/internal/eventref"
	"github.com/logcrumbs/logcrumbs/internal/policy"
	"github.com/logcrumbs/logcrumbs/internal/unit"
)

// Record is the logger-neutral record an adapter encodes into: typed scalars
// inline, text copied within the limits the core chose.
type Record = buffer.Record

// Kind is the type of a value in a Record.
type Kind = buffer.Kind

// The kinds of values an adapter adds to a Record.
const (
	KindString   = buffer.KindString   // text
	KindInt64    = buffer.KindInt64    // an int64's bits
	KindUint64   = buffer.KindUint64   // a uint64
	KindFloat64  = buffer.KindFloat64  // math.Float64bits
	KindBool     = buffer.KindBool     // 0 or 1
	KindDuration = buffer.KindDuration // nanoseconds, an int64's bits
	KindJSON     = buffer.KindJSON     // one encoded JSON value
	KindPanic    = buffer.KindPanic    // text saying which method panicked
	KindNull     = buffer.KindNull     // a nil value
)

// PanicMatcher is an Entry.PanicValue that tells the value the logger
// panics with, when the adapter holds only a rendering of it that may
// differ (see unit.PanicMatcher).
type PanicMatcher = unit.PanicMatcher

// Level is a Sentry level, as a Record carries it.
type Level = buffer.Level

// LevelOf maps a logger's level l to Sentry's, given the logger's lowest
// levels that are info, warning, error and fatal: below info is debug.
func LevelOf[L cmp.Ordered](l, debug, info, warning, err, fatal L) Level {
	return buffer.LevelOf(l, debug, info, warning, err, fatal)
}

// Preset is what a logger's With added to every record (attributes, open
// groups), rendered once with its errors; a nil *Preset is empty. Make one
// with [Core.With].
type Preset = buffer.Preset

// TextError is an error known only by its text (and maybe a stack), for
// loggers that hand their integration an error's text, not its value.
type TextError = event.TextError

// Decision is what the core does with a record of some level.
type Decision uint8

const (
	// Skip: the record is neither kept nor sent.
	Skip Decision = iota
	// Breadcrumb: the record is kept in its trail.
	Breadcrumb
	// Event: the record is sent to Sentry as an event (and a breadcrumb of
	// it kept in its trail).
	Event

	// Logs is a flag added to Skip, Breadcrumb or Event: the record is also
	// sent to Sentry Logs (the integration's Logs level).
	Logs Decision = 4
)

// Kept returns d without its Logs flag: what becomes of the record in the
// trail and as an event.
func (d Decision) Kept() Decision { return d &^ Logs }

// Levels decide, from a logger's level, whether a record becomes a
// breadcrumb or an event, and whether it also goes to Sentry Logs. Fixed
// levels are compared in place, with no call; dynamic ones (slog.Leveler,
// zapcore.LevelEnabler) cost one call each. The zero value sends every
// record at or above L's zero value as an event: make Levels with
// [FixedLevels] or [DynamicLevels]. Sentry Logs are off unless set with
// [Levels.WithLogs] or [Levels.WithDynamicLogs]: then one flag is tested
// per record.
type Levels[L cmp.Ordered] struct {
	breadcrumbAt, eventAt L
	breadcrumb, event     func(L) bool // nil: fixed
	logsOn                bool
	logsAt                L
	logs                  func(L) bool // nil: fixed at logsAt

	// fast: fixed breadcrumb and event levels, Sentry Logs off (Decide's
	// fast path). low is the lowest of the fixed levels (breadcrumb and
	// event when both are fixed, Logs when fixed), when lowSet: every
	// record at or above it is wanted. allFixed: no level is asked through
	// a func, so that below low nothing is wanted.
	low                    L
	fast, lowSet, allFixed bool
}

// WithLogs returns v that also sends records at or above at to Sentry Logs.
func (v Levels[L]) WithLogs(at L) Levels[L] {
	v.logsOn, v.logsAt, v.logs, v.fast = true, at, nil, false
	if v.lowSet {
		v.low = min(v.low, at)
	} else {
		v.low, v.lowSet = at, true
	}
	return v
}

// WithDynamicLogs returns v that also sends records for which logs returns
// true to Sentry Logs, asking at each record.
func (v Levels[L]) WithDynamicLogs(logs func(L) bool) Levels[L] {
	v.logsOn, v.logs, v.fast, v.allFixed = true, logs, false, false
	return v
}

// FixedLevels returns Levels that keep records at or above breadcrumb as
// breadcrumbs and send those at or above event as events.
func FixedLevels[L cmp.Ordered](breadcrumb, event L) Levels[L] {
	return Levels[L]{breadcrumbAt: breadcrumb, eventAt: event, low: min(breadcrumb, event), fast: true, lowSet: true, allFixed: true}
}

// DynamicLevels returns Levels that ask event, then breadcrumb, at each
// record: for levels the program changes at run time.
func DynamicLevels[L cmp.Ordered](breadcrumb, event func(L) bool) Levels[L] {
	return Levels[L]{breadcrumb: breadcrumb, event: event}
}

// Decide returns what becomes of a record of level l: Skip, Breadcrumb or
// Event, with the Logs flag when it also goes to Sentry Logs.
//
// A breadcrumb of fixed breadcrumb and event levels without Sentry Logs,
// the common case, is decided by two comparisons, inlined where Decide is
// called: every record is decided, some twice, and the generic call costs
// about 29 instructions. Everything else (an event, a record below the
// breadcrumb level, dynamic levels, Sentry Logs) is decided out of line:
// answering events inline too made Decide too costly to inline (87 > 80,
// its dictionary included).
func (v *Levels[L]) Decide(l L) Decision {
	if v.fast && l >= v.breadcrumbAt && l < v.eventAt {
		return Breadcrumb
	}
	return v.decideAll(l)
}

// Enabled reports whether Decide(l) is not Skip: with fixed levels, one
// comparison; with a dynamic one, a decision only below the fixed ones.
// A logger's Enabled (slog.Handler's, zapcore.Core's) asks it for every
// record, filtered ones included.
func (v *Levels[L]) Enabled(l L) bool {
	if v.lowSet && l >= v.low {
		return true
	}
	return !v.allFixed && v.enabledSlow(l)
}

// Fixed reports whether every level is fixed (no func is asked), and if so
// the lowest of them: then Enabled(l) is l >= low, which an integration
// may keep and compare in place of the call.
func (v *Levels[L]) Fixed() (low L, ok bool) { return v.low, v.lowSet && v.allFixed }

// enabledSlow is Enabled below the fixed levels, with a dynamic one (or
// the zero Levels).
//
//go:noinline
func (v *Levels[L]) enabledSlow(l L) bool { return v.decideAll(l) != Skip }

// decideAll is Decide's slow path, kept out of line so that Decide's fast
// one is inlined.
//
//go:noinline
func (v *Levels[L]) decideAll(l L) Decision {
	if v.logsOn {
		return v.decide(l) | v.decideLogs(l)
	}
	return v.decide(l)
}

func (v *Levels[L]) decideLogs(l L) Decision {
	if v.logs != nil {
		if v.logs(l) {
			return Logs
		}
	} else if l >= v.logsAt {
		return Logs
	}
	return Skip
}

func (v *Levels[L]) decide(l L) Decision {
	if v.event == nil {
		switch {
		case l >= v.eventAt:
			return Event
		case l >= v.breadcrumbAt:
			return Breadcrumb
		}
		return Skip
	}
	switch {
	case v.event(l):
		return Event
	case v.breadcrumb(l):
		return Breadcrumb
	}
	return Skip
}

// Entry is what the core needs of a record besides its fields.
type Entry struct {
	// Time plus Elapsed is the record's time (see buffer.Record.Elapsed):
	// Elapsed may be left zero.
	Time    time.Time
	Elapsed time.Duration
	Level   Level   // Sentry's level (see LevelOf)
	PC      uintptr // the call site's return address, or 0
	// Logger is the record's own logger name (zap's named loggers), used
	// when Options.LoggerName is empty; empty means the integration's name.
	Logger string
	// Message is the record's message, unless Encoder.Message writes it.
	Message string
	// Panics says the logger panics with the message right after this
	// record: its event is noted for the unit of work, so that the panic,
	// recovered by Middleware or RunJob, is not sent a second time. The
	// panic value noted is Message, which must then be the whole message
	// the logger panics with, even when Encoder.Message writes the
	// record's: the record's copy is cut at the event limits, and a value
	// that differs from the panic's makes the panic a second event.
	Panics bool
	// Tentative, with Panics, says the logger may not panic after this
	// record after all (zap's DPanic, which panics only in a development
	// logger; a Fatal, which panics only with a hook that does): its note
	// gives way to a later one of the unit of work's, so that the panic of
	// a later record is not taken for this one's unreported (see
	// unit.NotePanic).
	Tentative bool
	// PanicValue, when not nil, is the value the logger panics with, noted
	// instead of Message: for loggers that panic with something other than
	// the message (logrus panics with its *Entry), or a PanicMatcher that
	// tells that value, for an adapter that holds only a rendering of it.
	PanicValue any
	// Exits says the process stops right after this record (Fatal, Panic):
	// the hub's client is flushed, for up to the core's flush timeout.
	Exits bool
	// Exact, when not nil, returns the record's time (Time, Elapsed) more
	// exactly than it was given, at a cost: the core calls it for an
	// event's record once capture-once has not skipped it (see
	// skipRepeat), so that a skipped repeat, whose breadcrumb is all that
	// is kept of it, keeps the cheaper time as breadcrumbs do.
	Exact func() (time.Time, time.Duration)
	// Trail, when not nil, is TrailOf the record's context, which an
	// adapter whose context is bound to its logger (zap's) looked up once,
	// when it was bound: a breadcrumb kept in place (see Log) is
	// then not looked up again (buffer.For, a call through the context's
	// Value: ZapBreadcrumb/json+logcrumbs 7,757 -> 7,713 instructions a
	// record). Nil means the core looks it up.
	Trail *buffer.Trail

	// skipTried says SkipEncoded tried to skip the record as a repeat
	// already: eventRecord does not try again (the scan and the walk to
	// the call site would be made twice).
	skipTried bool
}

// TrailOf returns the trail the records of ctx are kept in: the one ctx
// carries, else the fallback trail (see Entry.Trail). A context is never
// changed, so the answer for one ctx is always the same.
func TrailOf(ctx context.Context) *buffer.Trail { return buffer.For(ctx) }

// Encoder writes a record's message and fields into the core's Record.
// Both are called at most once per record, on the logging goroutine, and
// must not keep rec.
type Encoder struct {
	// Message writes the message (rec.SetMessage, or BeginMessage, writes
	// and EndMessage). Nil means Entry.Message.
	Message func(rec *Record)
	// Fields writes the record's own fields. When errs is not nil, the
	// error values among them are appended to it (for the exception, or
	// for Options.EscalateIf); when it is nil, they need not be gathered.
	Fields func(rec *Record, errs *[]error)

	// Raw, for a core with a Parser (Core.WithParser), is the record's
	// fields as the logger encoded them: a breadcrumb keeps these bytes, to
	// be written into the record by the Parser only if it is ever read (an
	// event carries it, Sentry Logs send it); see buffer.Record.Defer.
	// Parser(rec, Raw) must write what Fields(rec, nil) writes. The core
	// still calls Fields when Raw does not fit the breadcrumb's byte bound,
	// and for events, Sentry Logs and records whose errors are gathered;
	// but for an event that capture-once may skip when the core has an
	// ErrorScan too (Core.WithErrorScan), which gathers its errors from
	// Raw.
	Raw []byte

	// Copies says that Fields(rec, nil) only copies values the caller
	// holds into rec (strings, numbers, group marks): it calls no method
	// of the program's and cannot block or panic. A breadcrumb of such
	// fields is filled in its trail, under the trail's lock, like one
	// whose fields stay encoded (see KeepEncoded).
	Copies bool
}

// Parser writes fields kept as their logger encoded them into a record (see
// Encoder.Raw). It depends on the bytes alone: it runs when the record is
// read, long after the log call.
type Parser = buffer.Parser

// Core is one integration's shared settings and flow. It is immutable and
// safe for concurrent use.
type Core struct {
	esc          *escalate.Escalator
	named        bool // Options.LoggerName was set: it wins over Entry.Logger
	flushTimeout time.Duration
	// parse reads Encoder.Raw, or is nil. It is the core's, not the
	// Encoder's: a function stored from the Encoder would make the
	// compiler move every Encoder's closures to the heap.
	parse Parser
	// parserOf, when not nil, returns the Parser of a record whose fields
	// are kept encoded now (see WithParserOf).
	parserOf func() Parser
	// errorsOf gathers the errors of Encoder.Raw without parsing it, or is
	// nil (see WithErrorScan).
	errorsOf ErrorScan
	// repeats is skipRepeat's storage, made with errorsOf: a scratch for
	// each of errorsOf's slots.
	repeats *repeatScratches
}

// ErrorScan appends to errs the errors among fields kept as their logger
// encoded them (Encoder.Raw): exactly those Encoder.Fields(rec, errs)
// appends, without writing any field. Like a Parser, it depends on the
// bytes alone. With a slot in [0, ScanSlots), no other call of the core's
// scan with that slot runs until this one returns (the core makes such
// calls under a lock of the slot's), so that a scan may keep what it found
// for the next in the slot's storage without a lock of its own: zerolog's
// memo of its last scan, whose lock had been two of a skipped repeat's
// atomic operations. Calls with slot -1 may run at the same time as any
// other.
type ErrorScan func(raw []byte, errs *[]error, slot int)

// ScanSlots is the number of a core's ErrorScan slots, and of its
// skipped repeats' scratches: repeats of requests logged at the same time
// each take one (see Core.scratch), rather than all but one building the
// record that skipping them saves. Eight, so that two requests pick the
// same one once in eight (the second then takes another, after a look at
// the first's lock on every repeat).
const ScanSlots = 1 << scanSlotBits

const scanSlotBits = 3 // scratch picks a slot from the top bits of a hash

// New returns the core of one integration. defaultLogger names its logger
// when Options.LoggerName is empty ("slog", "zap", "zerolog");
// flushTimeout bounds how long an Exits record and Sync wait for delivery,
// and zero means 2 seconds.
//
// Building an integration registers its Options.UserKey with the process
// (policy.Process.RegisterUserKey): one trail serves every integration of a
// unit of work, so every event gates the user data of every key.
func New(opts logcrumbs.Options, defaultLogger string, flushTimeout time.Duration) *Core {
	if flushTimeout <= 0 {
		flushTimeout = 2 * time.Second
	}
	policy.Default().RegisterUserKey(opts.UserKey)
	return &Core{
		esc:          escalate.New(escalate.Options(opts), defaultLogger),
		named:        opts.LoggerName != "",
		flushTimeout: flushTimeout,
	}
}

// WithParser makes c's breadcrumbs keep their fields as encoded
// (Encoder.Raw) and have parse write them into the record only when it is
// read: for loggers whose fields come encoded, where copying bytes costs
// less than parsing them and most breadcrumbs are never sent. It is part of
// building c, and returns c: call it on New's result, before c is used (a
// Core is immutable once in use). It sets c in place, rather than copying
// it, so that a logger built per request costs no allocation more.
func (c *Core) WithParser(parse Parser) *Core {
	c.parse = parse
	return c
}

// WithParserOf makes the records whose fields c keeps as encoded parse
// them with the Parser parserOf returns when they are kept, rather than
// with WithParser's, for a logger whose encoding is read by settings the
// program may change between a record and its parse (zerolog's field
// names): parserOf returns a Parser that reads the fields as they would
// be read now. Like WithParser, which it needs, it is part of building c,
// and returns c.
func (c *Core) WithParserOf(parserOf func() Parser) *Core {
	c.parserOf = parserOf
	return c
}

// parser returns the Parser of a record whose fields are kept encoded now
// (see WithParserOf).
func (c *Core) parser() Parser {
	if c.parserOf != nil {
		return c.parserOf()
	}
	return c.parse
}

// WithErrorScan makes c's events whose errors capture-once may skip
// (escalate.Escalator.MayRepeat) gather their errors with scan and keep
// their fields as encoded (Encoder.Raw), parsed by c's Parser only when the
// event is sent or its key reads them (Options.FingerprintKey): a skipped
// repeat then costs no parse, and its breadcrumb keeps its fields deferred
// like any other, where that reads the same (buffer.Record.AppendRecord:
// not when a value or the attributes could reach the breadcrumb's limits,
// where it is parsed and copied). Like WithParser, which it
// needs, it is part of building c, and returns c.
func (c *Core) WithErrorScan(scan ErrorScan) *Core {
	c.errorsOf = scan
	c.repeats = new(repeatScratches) // their storage made when first used
	return c
}

// FlushTimeout returns the bound on Sync and on Exits records' flushes.
func (c *Core) FlushTimeout() time.Duration { return c.flushTimeout }

// With returns p extended by what render writes (a logger's With fields,
// or a group), rendered once within the breadcrumb and the event limits,
// with the errors render gathers into errs. p is not changed.
func (c *Core) With(p *Preset, render func(rec *Record, errs *[]error)) *Preset {
	return p.With(c.esc.BreadcrumbLimits(), c.esc.EventLimits(), render)
}

// Log keeps a record as a breadcrumb in the trail of ctx (the fallback
// trail when ctx carries none), or sends it as an event carrying that
// trail, as d says; preset's attributes come first. Then, for Exits, it
// flushes the hub. It never blocks on Sentry otherwise, and allocates
// nothing for a breadcrumb once the trail's storage has been used once.
//
// With the Logs flag, the record also goes to Sentry Logs (even when it is
// neither kept nor sent as an event), and is marked in the trail so that
// Options.LogsOnEvent does not send it a second time.
//
// enc is passed by pointer: by value, its six words, stored one by one,
// were copied into Log's arguments and again into breadcrumb's with
// 16-byte moves that waited on store forwarding (perf: a third of the
// zerolog hook's handle and of breadcrumb's own time).
func (c *Core) Log(ctx context.Context, d Decision, ent *Entry, preset *Preset, enc *Encoder) {
	if d == Breadcrumb && enc.Message == nil && enc.Copies {
		// Kept in place, its fields only copies (see KeepEncoded),
		// here rather than in a function of its own: a call less,
		// and its code next to Log's.
		trail := ent.Trail
		if trail == nil {
			trail = buffer.For(ctx)
		}
		if c.esc.Fills(trail, ent.Level) {
			trail.AppendFilled(func(rec *Record) {
				rec.Reset(ent.Time, ent.Level, c.esc.BreadcrumbLimits())
				// fillNames, for a record with no encoder's message.
				rec.PC, rec.Elapsed = ent.PC, ent.Elapsed
				rec.SetNames(c.loggerOf(ent), ent.Message)
				if preset != nil { // AppendTo is a call, even for nil
					preset.AppendTo(rec, false)
				}
				enc.Fields(rec, nil)
				rec.CloseAll()
			})
			c.kept(ctx, ent)
			return
		}
	}
	// Every other record, here, not in a function of Log's: a frame more
	// above event cost an event about 1,200 instructions (its stack trace
	// and call site are found by walking the frames; cachegrind,
	// ZapEvent/json+logcrumbs-empty).
	if d&Logs != 0 {
		c.logged(ctx, d.Kept(), ent, preset, enc)
		return
	}
	switch d {
	case Event:
		c.event(ctx, ent, preset, enc, false)
	case Breadcrumb:
		if c.esc.PassesThroughIn(ctx, ent.Level) {
			// Sent to Sentry Logs whole, as the Logs level sends it,
			// and kept within the breadcrumb limits.
			rec, errs := c.logsRecord(ent, preset, enc, c.esc.CollectsBreadcrumbErrors())
			c.esc.KeepLogged(ctx, rec, errs)
			break
		}
		rec, errs := c.breadcrumb(ent, preset, enc, c.esc.CollectsBreadcrumbErrors(), true)
		c.esc.Keep(ctx, rec, errs)
	default:
		return
	}
	c.kept(ctx, ent)
}

// kept is what Log does after it kept a record (as a breadcrumb or sent it
// as an event): a flush before the process stops.
func (c *Core) kept(ctx context.Context, ent *Entry) {
	if ent.Exits { // the process is about to stop
		c.Flush(ctx)
	}
}

// KeepEncoded is Log for a Breadcrumb decision of a record with no preset
// and no encoder's message whose fields, raw, stay as their logger encoded
// them (WithParser: zerolog's): it keeps the breadcrumb by filling it in
// its trail, in the storage of the record the trail drops
// (buffer.Trail.AppendFilled), and reports whether it did. Log does the
// same itself for a breadcrumb whose fields are only copies
// (Encoder.Copies), with no Parser. Such a breadcrumb is only copies of
// bytes and numbers (the logger's name, the message, the fields), cheap
// enough to make under the trail's lock, where it saves a trip through
// the record pool. When it is not kept so (an Exits record, encoded fields
// that may not fit, for Defer would parse them, or a trail the escalator
// must read the record for first: escalate.Escalator.Fills), KeepEncoded
// did nothing, and the adapter calls Log, which builds the record and
// keeps it. raw is read only during the call.
//
// It is called by the adapter, not from Log: a record kept in one call
// from the adapter skips Log's dispatch and the Encoder (ZerologBreadcrumb/
// hook 3,313 -> 3,264 instructions, cachegrind), and Log's breadcrumbs of
// other loggers keep their path (a test for raw fields in Log cost slog's
// 80 to 115 instructions a record). The two fills are apart: one for both
// had the code of Defer, inlined, in the middle of the copies'
// (cachegrind's instruction cache, ZapBreadcrumb/json+logcrumbs).
func (c *Core) KeepEncoded(ctx context.Context, ent *Entry, raw []byte) bool {
	limits := c.esc.BreadcrumbLimits()
	if ent.Exits || c.parse == nil ||
		len(raw)+min(len(c.loggerOf(ent)), 128)+min(len(ent.Message), limits.MaxValueBytes) > limits.MaxRecordBytes {
		return false
	}
	trail := ent.Trail
	if trail == nil {
		trail = buffer.For(ctx)
	}
	if !c.esc.Fills(trail, ent.Level) {
		return false
	}
	trail.AppendFilled(func(rec *Record) {
		rec.Reset(ent.Time, ent.Level, limits)
		rec.PC, rec.Elapsed = ent.PC, ent.Elapsed
		rec.SetNames(c.loggerOf(ent), ent.Message)
		// Defer fits (above); were it not to, the fields are parsed now,
		// as Encoder.Fields(rec, nil) would write them (see Encoder.Raw).
		if !rec.Defer(raw, c.parser()) {
			c.parse(rec, raw)
			rec.CloseAll()
		}
	})
	return true
}

// logged is Log for a record that also goes to Sentry Logs: apart, so that
// the breadcrumb path is not longer when Logs are off.
func (c *Core) logged(ctx context.Context, d Decision, ent *Entry, preset *Preset, enc *Encoder) {
	switch d {
	case Event:
		c.event(ctx, ent, preset, enc, true)
	case Breadcrumb:
		rec, errs := c.logsRecord(ent, preset, enc, c.esc.CollectsBreadcrumbErrors())
		c.esc.KeepLogged(ctx, rec, errs)
	default: // only sent to Logs: its errors serve nothing
		rec, _ := c.logsRecord(ent, preset, enc, false)
		c.esc.SendLog(ctx, rec)
		buffer.Put(rec)
	}
	if ent.Exits {
		c.Flush(ctx)
	}
}

// logsRecord makes the record of a record below the event level that goes
// to Sentry Logs: within the event limits, as an error record's log is, so
// that the log has what sentry-go's own integrations would send (a 3 KiB
// query, a hundred fields), not a breadcrumb's cut; the breadcrumb kept of
// it is cut to the breadcrumb limits (escalate.Escalator.KeepLogged). Its
// errors are gathered only when errs is true (Options.EscalateIf).
func (c *Core) logsRecord(ent *Entry, preset *Preset, enc *Encoder, errs bool) (*Record, []error) {
	if errs {
		return c.build(ent, preset, enc, true)
	}
	rec := c.start(ent, c.esc.EventLimits(), enc)
	preset.AppendTo(rec, true)
	enc.Fields(rec, nil)
	rec.CloseAll()
	return rec, nil
}

// breadcrumb makes the record of a breadcrumb, within the breadcrumb
// limits, and gathers its errors only when errs is true (Options.EscalateIf
// needs them): a logger's error values are not looked for, nor the preset's
// copied, for a record that will not use them. With lazy, a record whose
// logger gave its fields as encoded bytes (Encoder.Raw, WithParser) keeps
// them unparsed until it is read; a record read now (Sentry Logs) is
// parsed now.
func (c *Core) breadcrumb(ent *Entry, preset *Preset, enc *Encoder, errs, lazy bool) (*Record, []error) {
	if errs {
		return c.build(ent, preset, enc, false)
	}
	rec := c.beginBreadcrumb(ent, preset, enc)
	if !lazy || c.parse == nil || !rec.Defer(enc.Raw, c.parser()) {
		enc.Fields(rec, nil)
		rec.CloseAll()
	}
	return rec, nil
}

// beginBreadcrumb makes the record of a breadcrumb that does not gather
// errors, up to its own fields: its message and the preset's attributes.
func (c *Core) beginBreadcrumb(ent *Entry, preset *Preset, enc *Encoder) *Record {
	rec := c.start(ent, c.esc.BreadcrumbLimits(), enc)
	preset.AppendTo(rec, false)
	return rec
}

// StartBreadcrumb is Log for a Breadcrumb decision in two steps, for an
// adapter that encodes a record's fields into rec itself, partly before
// work of its own and partly after (slog's handler encodes the values that
// call no method of the program's before the wrapped handler runs, so that
// it learns on the way whether the record holds a LogValuer, without a
// separate scan): it returns the record with ent's message and preset's
// attributes, for the adapter to add its fields to and give to
// KeepBreadcrumb. It returns nil when the record needs Log instead: its
// errors are gathered (Options.EscalateIf), it goes to Sentry Logs in the
// trail of ctx (Options.PassThroughLevel: made within the event limits),
// or ent.Exits.
func (c *Core) StartBreadcrumb(ctx context.Context, ent *Entry, preset *Preset) *Record {
	if ent.Exits || c.esc.CollectsBreadcrumbErrors() || c.esc.PassesThroughIn(ctx, ent.Level) {
		return nil
	}
	return c.beginBreadcrumb(ent, preset, &Encoder{})
}

// KeepBreadcrumb closes the groups rec left open and keeps it in the trail
// of ctx, as Log keeps a breadcrumb. It takes rec, which StartBreadcrumb
// made.
func (c *Core) KeepBreadcrumb(ctx context.Context, rec *Record) {
	rec.CloseAll()
	c.esc.Keep(ctx, rec, nil)
}

func (c *Core) event(ctx context.Context, ent *Entry, preset *Preset, enc *Encoder, logs bool) {
	rec, errs, snd, needsSite := c.eventRecord(ctx, ent, preset, enc, logs)
	if rec == nil { // skipped (see skipRepeat)
		return
	}
	// The call site of a record without a pc, which its key may need, is
	// found here: runtime.Callers pays for every frame it reads, and from
	// here the log call is 3 frames nearer (a third of a skipped repeat's
	// time was reading them from deeper down).
	var site event.Site
	if needsSite {
		site = event.LogCallSite()
	}
	// With logs, rec goes to Sentry Logs from there, after the trail that
	// led to it when the event sends that (Options.LogsOnEvent).
	id, ref := c.esc.CaptureAt(ctx, snd, rec, errs, site, logs) // takes rec
	if ent.Panics {
		var p any = ent.Message
		if ent.PanicValue != nil {
			p = ent.PanicValue
			// Whether or not an event was sent: one that was not leaves
			// the panic to Middleware or RunJob, which report it by the
			// message, not by the panic value printed (see NotePanicText).
			unit.NotePanicText(ctx, p, ent.Message)
		}
		unit.NotePanic(ctx, p, eventref.Named{ID: id, Ref: ref}, ent.Tentative)
	}
}

// eventRecord makes the record of an event and gathers its errors: with
// its fields deferred when capture-once may skip it, unless it also goes
// to Sentry Logs, which read it now (see buildDeferred). It returns the
// Sender of ctx, looked up once for the escalator (see escalate.Sender),
// and whether the record's call site is to be found
// (escalate.Escalator.NeedsSite).
//
// Out of line, so that event's code before its call to CaptureAt stays
// short: runtime.Callers, which an event's stack trace calls from below
// CaptureAt, decodes each frame's tables from its function's start to the
// call, and this choice inlined in event made a sent event about 1,500
// instructions dearer (cachegrind, ZerologEvent/hook-empty), and so did
// looking the Sender up there (about 900).
//
// It returns a nil rec, and nothing else, when skipRepeat did what event
// does with the record: unless SkipEncoded tried already (Entry.skipTried).
//
//go:noinline
func (c *Core) eventRecord(ctx context.Context, ent *Entry, preset *Preset, enc *Encoder, logs bool) (rec *Record, errs []error, snd escalate.Sender, needsSite bool) {
	if c.repeats != nil && !logs && !ent.skipTried && preset == nil && enc.Message == nil &&
		c.skipRepeat(ctx, ent, enc.Raw) {
		return nil, nil, escalate.Sender{}, false
	}
	snd = c.esc.SenderWith(ctx, ent.Trail)
	snd = snd.WithClient() // once, for NeedsSite and CaptureAt
	if ent.Exact != nil {
		ent.Time, ent.Elapsed = ent.Exact()
	}
	if !logs && c.errorsOf != nil && c.parse != nil && c.esc.MayRepeat(snd) {
		rec, errs = c.buildDeferred(ent, preset, enc, snd.Trail())
	} else {
		rec, errs = c.build(ent, preset, enc, true)
	}
	return rec, errs, snd, rec.PC == 0 && c.esc.NeedsSite(snd)
}

// fullRepeats turns skipRepeat off (SetSkipRepeats).
var fullRepeats atomic.Bool

// SetSkipRepeats turns skipping repeats without their record
// (escalate.Escalator.SkipRepeat) on, as it is by default, or off: for
// tests that hold it to the path it stands for.
func SetSkipRepeats(on bool) { fullRepeats.Store(!on) }

// repeatScratch is where skipRepeat gathers a record's errors: storage of
// the core's, as a function value's arguments must be (see buildWith). Its
// lock is also the one under which the core's ErrorScan is called with the
// scratch's slot.
type repeatScratch struct {
	mu   sync.Mutex
	raw  []byte // maxScratchRaw bytes
	errs []error
	// Each lock on cache lines of its own: repeats logged at the same time
	// would otherwise take turns at one line.
	_ [128 - 56]byte
}

// repeatScratches are a core's scratches, after a cache line of nothing:
// the compiler checks the pointer for nil with a load from its first byte,
// which on slot 0's lock made every repeat of every other slot miss that
// line while slot 0 was in use (a tenth of ZerologRepeatParallel's CPU
// profile, in one of the runs whose two requests' slots were 0 and
// another).
type repeatScratches struct {
	_ [64]byte
	s [ScanSlots]repeatScratch
}

// scratch locks one of c's scratches, the one t's address picks (a
// request's repeats find its memo in the same slot) or else the next free
// one, and returns it with its slot; or nil and -1 when each is in use. It
// waits for none: the caller does without.
func (c *Core) scratch(t *buffer.Trail) (*repeatScratch, int) {
	slot := buffer.Spread(t, scanSlotBits)
	if sc := &c.repeats.s[slot]; sc.mu.TryLock() {
		return sc, slot
	}
	return c.scratchAfter(slot)
}

// scratchAfter is scratch when the slot it picked is in use: one of the
// others, if free.
//
//go:noinline
func (c *Core) scratchAfter(slot int) (*repeatScratch, int) {
	for range ScanSlots - 1 {
		slot = (slot + 1) % ScanSlots
		if sc := &c.repeats.s[slot]; sc.mu.TryLock() {
			return sc, slot
		}
	}
	return nil, -1
}

// SkipEncoded is what Log does with an Event decision (not for Sentry
// Logs) of a record with no preset and no encoder's message whose fields,
// raw, stay as their logger encoded them (its Encoder's Raw, when it has
// one), when capture-once skips it as a repeat (see skipRepeat): it
// reports whether it did. Else the adapter passes the record to Log as it
// would have, which does not try again (Entry.skipTried). Called before
// the adapter builds the record's Encoder, a skipped repeat goes without
// it and without Log, event and eventRecord: their code, and three of the
// frames skipRepeat walks to its call site less one, its own (cachegrind,
// ZerologRepeat/hook 5,224 -> 5,110 instructions a record, /writer 5,454
// -> 5,350). A record that exits (Entry.Exits) is left to Log, whose
// flush follows a skipped repeat too.
//
// Out of line: the adapter calls it in the frame that calls Log for an
// event, whose tables runtime.Callers decodes from the function's start
// to that call for the event's stack (see eventRecord). Inlined there,
// with the frame less, a skipped repeat cost 5,081 instructions, and a
// sent event 489 more (ZerologEvent/hook-empty 77,604 -> 78,093); out of
// line, 13 more (77,617).
//
//go:noinline
func (c *Core) SkipEncoded(ctx context.Context, ent *Entry, raw []byte) bool {
	return c.repeats != nil && !ent.Exits && c.skipRepeat(ctx, ent, raw)
}

// maxScratchRaw bounds the encoded fields skipRepeat gathers errors from.
const maxScratchRaw = 1024

// skipRepeat does what event does with a record that capture-once skips,
// when escalate.Escalator.SkipRepeat can, and reports whether it did: the
// record's errors gathered from its encoded fields (its core's ErrorScan),
// its call site found, and no record built (see SkipRepeat). Only records
// whose fields stay encoded (encRaw), with no preset nor encoder's
// message, may be: SkipRepeat's breadcrumb holds the names and fields as
// given. It looks the Sender of ctx up itself (eventRecord looks it up
// after it, when the record is built). When it did not skip the record,
// event finds the site again: only the first repeats of a run are not
// skipped. It marks ent tried (Entry.skipTried).
//
//go:noinline
func (c *Core) skipRepeat(ctx context.Context, ent *Entry, encRaw []byte) bool {
	ent.skipTried = true
	if fullRepeats.Load() {
		return false
	}
	snd := c.esc.SenderWith(ctx, ent.Trail)
	if ent.Panics || ent.PC != 0 || c.parse == nil ||
		len(encRaw) > maxScratchRaw || !c.esc.MayRepeat(snd) || !c.esc.SiteKeyed() {
		return false
	}
	sc, slot := c.scratch(snd.Trail())
	if sc == nil { // all in use: the record is built
		return false
	}
	// Copied: enc's bytes handed to a function value would move every
	// Encoder's closures to the heap (see buildWith).
	if sc.raw == nil {
		sc.raw = make([]byte, maxScratchRaw)
	}
	raw := sc.raw[:len(encRaw)]
	copy(raw, encRaw)
	sc.errs = sc.errs[:0]
	c.errorsOf(raw, &sc.errs, slot)
	skipped := false
	if len(sc.errs) == 1 {
		// Found from here, through logcrumbs' own frames (as deep as
		// event's when called from SkipEncoded, two frames deeper from
		// eventRecord): the same site, and the same frame's return
		// address.
		if site := event.LogCallSite(); site.Ret != 0 {
			// Set field by field: a literal is built in a temporary and
			// copied (see bridge.handle in zerologsentry).
			var r buffer.Repeat
			r.Time, r.Elapsed, r.Level = ent.Time, ent.Elapsed, ent.Level
			r.Logger, r.Message, r.Raw, r.Parse = c.loggerOf(ent), ent.Message, raw, c.parser()
			skipped = c.esc.SkipRepeat(snd, &r, sc.errs, site.Ret, slot) // no other repeat of the core's counts in the slot's lane meanwhile
		}
	}
	// Kept alive by no scratch. Not clear, nor the loop over the slice it
	// compiles to: a call with the write barrier's bulk check, about 45
	// instructions for the one error (cachegrind).
	for i := len(sc.errs) - 1; i >= 0; i-- {
		sc.errs[i] = nil
	}
	sc.mu.Unlock()
	return skipped
}

// scanAlone scans raw, a record of t's, with the core's ErrorScan, in a
// slot when one is free (see ErrorScan); else in none, rather than
// waiting.
func (c *Core) scanAlone(t *buffer.Trail, raw []byte, errs *[]error) {
	sc, slot := c.scratch(t)
	c.errorsOf(raw, errs, slot)
	// Unlocked without defer: a scan that panics leaves its slot's lock
	// held, and the scans after it in the other slots or in none (no memo),
	// which is slower, not wrong.
	if sc != nil {
		sc.mu.Unlock()
	}
}

// build makes the record of an event, or of a breadcrumb, within its
// limits, and gathers its errors: the preset's, then the encoder's.
func (c *Core) build(ent *Entry, preset *Preset, enc *Encoder, event bool) (*Record, []error) {
	return c.buildWith(ent, preset, enc, event, nil)
}

// buildDeferred is build for an event that may be a skipped repeat (see
// escalate.Escalator.MayRepeat): its fields stay as encoded, with their
// errors gathered by c's ErrorScan, and are parsed when the escalator
// reads them. Fields that do not fit the record are written at once. t is
// the trail of the record's context.
func (c *Core) buildDeferred(ent *Entry, preset *Preset, enc *Encoder, t *buffer.Trail) (*Record, []error) {
	return c.buildWith(ent, preset, enc, true, t)
}

// buildWith is build, and buildDeferred of a record of deferredIn's when
// deferredIn is not nil.
func (c *Core) buildWith(ent *Entry, preset *Preset, enc *Encoder, event bool, deferredIn *buffer.Trail) (*Record, []error) {
	limits := c.esc.BreadcrumbLimits()
	if event {
		limits = c.esc.EventLimits()
	}
	rec := buffer.Get(ent.Time, ent.Level, limits)
	if event {
		rec.StartEvent()
	}
	c.fillNames(rec, ent, enc)
	preset.AppendTo(rec, event)
	// Gathered in the record's own slot: a local slice whose address went
	// to enc.Fields, a function value, would move to the heap.
	slot := rec.ErrorsSlot(preset.Errors())
	if deferredIn != nil && rec.Defer(enc.Raw, c.parser()) {
		// The record's copy is scanned, not enc.Raw: handing enc's bytes
		// to a function value would move every Encoder's closures to the
		// heap.
		c.scanAlone(deferredIn, rec.DeferredRaw(), slot)
	} else {
		enc.Fields(rec, slot)
		rec.CloseAll()
	}
	errs := *slot
	if len(errs) == 0 {
		// The slot starts on the record's storage, empty but not nil: no
		// errors is nil, as EscalateIf's r.Errors() has always shown it.
		errs = nil
	}
	// Handed over as errs, as Keep and Capture expect; errs may be on the
	// record's own storage, which they release with rec.
	*slot = nil
	return rec, errs
}

// start takes a record for ent from the pool, within limits, and sets its
// names (fillNames).
func (c *Core) start(ent *Entry, limits buffer.Limits, enc *Encoder) *Record {
	rec := buffer.Get(ent.Time, ent.Level, limits)
	c.fillNames(rec, ent, enc)
	return rec
}

// fillNames sets the call site, the time elapsed (Entry.Elapsed), the logger
// name and the message of rec, just reset for ent: what every record starts
// with.
func (c *Core) fillNames(rec *Record, ent *Entry, enc *Encoder) {
	rec.PC, rec.Elapsed = ent.PC, ent.Elapsed
	if enc.Message != nil {
		rec.SetLogger(c.loggerOf(ent))
		enc.Message(rec)
	} else {
		rec.SetNames(c.loggerOf(ent), ent.Message)
	}
}

// loggerOf returns the logger name of ent's record: its own (zap's named
// loggers) unless Options.LoggerName was set, else the integration's.
func (c *Core) loggerOf(ent *Entry) string {
	if ent.Logger != "" && !c.named {
		return ent.Logger
	}
	return c.esc.LoggerName()
}

// Flush waits up to the flush timeout for the client of the hub of ctx to
// send the events handed to it so far (sentry-go's Client.Flush: its queue
// drained, not Sentry's answer). It reports false if that did not happen
// in time, and true at once when the hub has no client.
func (c *Core) Flush(ctx context.Context) bool {
	hub := c.hub(ctx)
	if !hub.Client().IsEnabled() {
		return true
	}
	return hub.Flush(c.flushTimeout)
}

// hub returns the hub that sends the events of ctx: the context's own, else
// Options.Hub, else the current hub.
func (c *Core) hub(ctx context.Context) *sentry.Hub { return c.esc.Hub(ctx) }

// EnsureTrail returns ctx if it carries a trail, else a copy of ctx with a
// new trail attached: what every request-scoped logger binds to, so that
// two request loggers made from one base logger never share a trail.
func EnsureTrail(ctx context.Context) context.Context {
	if logcrumbs.FromContext(ctx) == nil {
		ctx = logcrumbs.NewContext(ctx)
	}
	return ctx
}

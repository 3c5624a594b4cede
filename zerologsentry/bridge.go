package zerologsentry

import (
	"context"
	"encoding/binary"
	"math"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/core"
)

// bridge is what the Hook and the Writer share: the options, and the copy of
// one zerolog record into a trail or an event.
type bridge struct {
	core   *core.Core
	levels core.Levels[zerolog.Level]
	// wholeMessage is the length up to which no record's limits cut a
	// message (see messageRoom), as breadcrumb or as event.
	wholeMessage int
	// eventLevel is the lowest level sent as an event, whose records read
	// time.Now (exactTime) once they are not skipped repeats (see
	// handle).
	eventLevel zerolog.Level
	// wallClock: every record reads time.Now, for Options.EscalateIf may
	// send any kept record as an event.
	wallClock bool
	// crumbBelow is the level below which a hook's record may be a
	// breadcrumb timed by the record clock, kept by crumb: the event level,
	// at most Fatal (Fatal and Panic records flush and note their panic);
	// none with wallClock. Hook.Run compares it in place, so that every
	// other record reaches handle with no frame more (the frames a skipped
	// repeat walks to its call site) and no second Decide.
	crumbBelow zerolog.Level
	// scans are the last scans of the core's ErrorScan slots (see scan).
	scans [core.ScanSlots]scanMemo
}

// scanOf returns b's ErrorScan for the core: gatherErrors, with the last
// scan of its slot kept, when it has one. A closure over b, not the method
// value b.scan, whose wrapper was one more call on every skipped repeat
// (ZerologRepeat/hook: 5,166 -> 5,154 instructions a record, cachegrind).
func (b *bridge) scanOf() core.ErrorScan {
	return func(fields []byte, errs *[]error, slot int) {
		if slot < 0 {
			gatherErrors(fields, errs)
			return
		}
		b.scans[slot].gatherErrors(fields, errs, true)
	}
}

// messageRoom is the length up to which a record's message is kept whole
// under lim: at most MaxValueBytes, and it comes right after the logger's
// name, which takes at most 128 bytes of MaxRecordBytes
// (buffer.Record.SetLogger).
func messageRoom(lim buffer.Limits) int { return min(lim.MaxValueBytes, lim.MaxRecordBytes-128) }

func newBridge(opts Options) *bridge {
	event := opts.EventLevel
	if event == zerolog.DebugLevel {
		event = zerolog.ErrorLevel
	}
	b := &bridge{
		wholeMessage: min(messageRoom(opts.BreadcrumbLimits.WithDefaults(buffer.DefaultBreadcrumbLimits)),
			messageRoom(opts.EventLimits.WithDefaults(buffer.DefaultEventLimits))),
		levels:     core.FixedLevels(opts.BreadcrumbLevel, event),
		eventLevel: event,
	}
	// A breadcrumb keeps zerolog's encoded fields and parses them only if
	// it is read: most are never sent. So does an error record that
	// capture-once may skip, its errors gathered by a scan that copies
	// nothing, or answered from the last one (scanMemo).
	b.core = core.New(opts.Options, "zerolog", opts.FlushTimeout).WithParser(copyFields).WithParserOf(parserNow).WithErrorScan(b.scanOf())
	b.crumbBelow = min(event, zerolog.FatalLevel)
	if opts.EscalateIf != nil {
		b.wallClock = true
		b.crumbBelow = math.MinInt8
	}
	if opts.LogsLevel != zerolog.DebugLevel && opts.LogsLevel <= zerolog.PanicLevel {
		b.levels = b.levels.WithLogs(opts.LogsLevel)
	}
	return b
}

// messageMode says where handle finds a record's message.
type messageMode uint8

const (
	// hookMessage: msg, valid UTF-8, as a hook is given it.
	hookMessage messageMode = iota
	// writerMessage: the message member zerolog writes last in the
	// finished record a writer sees.
	writerMessage
	// hookLastField: a hook's record with no message (Send, Msg("")),
	// whose last field, if it is a string named zerolog.MessageFieldName,
	// is its message: in zerolog's output the same bytes as a message's,
	// which a Writer reads as one (and zerolog's ConsoleWriter shows as
	// one), so the Hook reads it so too, and takes it out of the fields.
	hookLastField
	// hookWritten: msg is a hook's message that was not valid UTF-8, as
	// zerolog writes it (see asWritten).
	hookWritten
)

// handle keeps a record as a breadcrumb or sends it as an event. fields is
// the record's encoded object from its opening brace; mode says where its
// message is (msg, or in fields). trail is core.TrailOf(ctx), when the
// caller looked it up once for every record of ctx (a bound Writer), or
// nil.
func (b *bridge) handle(ctx context.Context, trail *buffer.Trail, l zerolog.Level, msg string, fields []byte, mode messageMode) {
	switch l {
	case zerolog.Disabled:
		return
	case zerolog.NoLevel: // logger.Log(): a record without level
		l = zerolog.InfoLevel
	}
	// Set field by field: a literal is built in a temporary and copied,
	// and reading back the clock's just-stored result in 16-byte moves
	// stalled (measured: a tenth of handle's own time).
	var ent core.Entry
	if b.wallClock {
		ent.Time = time.Now()
	} else {
		ent.Time, ent.Elapsed = recordClock.split()
		if l >= b.eventLevel {
			// An event's time is time.Now's (see exactTime), read only
			// once capture-once has not skipped the record: a skipped
			// repeat is a breadcrumb, timed as one (time.Now was about
			// 7% of ZerologRepeat/hook, benchstat of 10 rounds).
			ent.Exact = exactTime
		}
	}
	ent.Level = level(l)
	ent.Trail = trail
	ent.Message = msg
	ent.Panics = l == zerolog.PanicLevel // zerolog panics with the message next
	// zerolog exits or panics next (Fatal, Panic); it does neither after a
	// numeric level above them, where a flush would hold each log up.
	ent.Exits = l == zerolog.FatalLevel || l == zerolog.PanicLevel
	var enc core.Encoder
	var raw []byte
	var esc bool
	switch mode {
	case writerMessage, hookLastField:
		// The message zerolog writes last (a Writer's), or the last field
		// of a hook's record with no message (see hookLastField).
		open := mode == hookLastField
		raw, esc, fields, _ = splitLast(fields, zerolog.MessageFieldName, open)
		switch {
		case raw == nil:
		case !esc && !ent.Panics && len(raw) <= b.wholeMessage:
			// Text no limit cuts, without escapes: the record copies
			// Entry.Message at once (only a Panic record's outlives the
			// call), so a view of zerolog's bytes serves, and SetMessage
			// costs a hundred instructions less than Encoder.Message's
			// pieces (measured with cachegrind).
			ent.Message = unsafe.String(unsafe.SliceData(raw), len(raw))
		default:
			if ent.Panics { // the value zerolog panics with, whole (see Entry)
				ent.Message = string(unescape(raw, esc))
				if open {
					// zerolog panics with the hook's msg, "", not with
					// the field.
					ent.PanicValue = msg
				} else {
					// A Writer's: zerolog panics with the message as the
					// program gave it (see writtenPanic).
					ent.PanicValue = writtenPanic(ent.Message)
				}
			}
			enc.Message = func(rec *core.Record) {
				rec.BeginMessage()
				writeUnescaped(rec, raw, esc)
				rec.EndMessage()
			}
		}
	case hookWritten:
		if ent.Panics { // zerolog panics with the message as the program gave it
			ent.PanicValue = writtenPanic(msg)
		}
	}
	d := b.levels.Decide(l)
	// A repeat capture-once skips (an error storm's records) goes without
	// the Encoder and the three calls Log takes to it (see
	// core.Core.SkipEncoded). Not an early return: its epilogue before
	// Log's call made an event's stack trace dearer to decode
	// (ZerologEvent/hook-empty: 77,604 -> 78,392 instructions an event;
	// 77,617 so, cachegrind).
	if d != core.Event || enc.Message != nil || !b.core.SkipEncoded(ctx, &ent, fields) {
		enc.Fields = func(rec *core.Record, errs *[]error) {
			if errs == nil {
				copyFields(rec, fields)
				return
			}
			copyWithErrors(rec, fields, errs)
		}
		enc.Raw = fields // see newBridge
		if d == core.Breadcrumb && enc.Message == nil && b.core.KeepEncoded(ctx, &ent, fields) {
			return
		}
		b.core.Log(ctx, d, &ent, nil, &enc)
	}
}

// crumb is handle for a hook's record below crumbBelow, whose message is
// msg, valid UTF-8 (hookMessage): a breadcrumb is kept in one call into
// the core (core.Core.KeepEncoded), without the Encoder, the message's
// modes and the Panic and Fatal bookkeeping handle sets up for every
// record. A record that is no breadcrumb (below the breadcrumb level,
// Sentry Logs), or that KeepEncoded leaves to Log, is handle's, which
// reads the clock again.
func (b *bridge) crumb(ctx context.Context, l zerolog.Level, msg string, fields []byte) {
	if b.levels.Decide(l) != core.Breadcrumb {
		b.handle(ctx, nil, l, msg, fields, hookMessage)
		return
	}
	var ent core.Entry
	ent.Time, ent.Elapsed = recordClock.split()
	ent.Level = level(l)
	ent.Message = msg
	if !b.core.KeepEncoded(ctx, &ent, fields) {
		b.handle(ctx, nil, l, msg, fields, hookMessage)
	}
}

// exactTime is an event record's time (core.Entry.Exact): time.Now's,
// rare enough not to matter, and exact in the checkEvery after a step of
// the wall clock or a resume from suspend, when the record clock is off by
// the step. Read as the clock's check, so that the breadcrumbs after it
// follow the step too (they would be timed before the event's own
// breadcrumb, and put ahead of it in the next event's trail), and within
// maxDrift of the clock's time otherwise.
func exactTime() (time.Time, time.Duration) { return recordClock.check() }

// asWritten returns s with each byte of invalid UTF-8 replaced by U+FFFD,
// as zerolog writes it: the Hook's message, when the program gave one that
// is not valid UTF-8 (hookWritten), and a Panic record's panic value as a
// Writer reads it back (writtenPanic). Each byte becomes one U+FFFD (zerolog's JSON encoder
// writes \ufffd for every byte that utf8.DecodeRuneInString cannot
// decode). One a byte, not one a run as strings.ToValidUTF8 and the
// core's repair of a breadcrumb's text would make it, because:
//   - it is the message the program's own zerolog output shows, and the
//     one the Writer reads back from that output, which cannot tell where
//     a run of bad bytes began: both bindings give the same message;
//   - the fields of the same record, which both bindings read from
//     zerolog's encoded bytes, already hold one U+FFFD a byte: the message
//     agrees with them;
//   - an event's message and a Sentry Logs body are not repaired by the
//     core but by sentry-go's JSON encoding, one U+FFFD a byte too: of
//     what Sentry received from the Hook, only a breadcrumb's message,
//     which the core repairs, had one a run.
//
// Made before the core sees the message, so that the limits cut the text
// as the Writer's (U+FFFD is 3 bytes, a bad byte 1). Only for a message
// that is not all ASCII: Hook.Run's test is what every hook record pays.
func asWritten(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// load64 returns the 8 bytes of s at i, which the caller knows to lie
// within s, as a little-endian number: one load, with no bounds check
// (with s[i:]'s, the two loads of a hook's message cost 10 instructions
// rather than 2: cachegrind, ZerologBreadcrumb/hook).
func load64(s string, i int) uint64 {
	return binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(s)), i))[:])
}

// writtenPanic is the message of a Panic record as a writer reads it from
// zerolog's JSON, where each byte of invalid UTF-8 of the message zerolog
// panics with became U+FFFD, and which may be the last field, named
// "message", of a record with no message, whose panic value is "" (see
// hookLastField): a core.PanicMatcher, so that the panic, when the unit of
// work recovers it, is known as the one the record sent.
type writtenPanic string

// MatchesPanic reports whether p is a message that zerolog writes as w.
func (w writtenPanic) MatchesPanic(p any) bool {
	s, ok := p.(string)
	if !ok {
		return false
	}
	return s == string(w) || s == "" || asWritten(s) == string(w)
}

var _ core.PanicMatcher = writtenPanic("")

// copyFields copies the encoded fields into rec, but those zerolog adds for
// its own output (skipMember). It is the encoder's Fields when no errors are
// gathered and its Parse: a breadcrumb parsed when read is the one parsed
// when logged.
func copyFields(rec *core.Record, fields []byte) {
	if len(fields) == 0 || fields[0] != '{' {
		return
	}
	names := parseNames{zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName}
	copyTop(rec, fields, &names)
	rec.CloseAll()
}

// fieldParser is copyFields for zerolog's field names as they stood when a
// record was logged: a breadcrumb whose fields stay encoded is parsed when
// it is read, maybe after the program set zerolog.LevelFieldName,
// TimestampFieldName or ErrorStackFieldName (a configuration read after
// the first records), and must show its fields as they were left out then.
type fieldParser struct {
	names parseNames
	parse core.Parser // copy, as a Parser
}

// parseNames are zerolog's names of the fields it adds to a record itself,
// which a parse leaves out (see copyTop).
type parseNames struct {
	level, timestamp, stack string
}

func (p *fieldParser) copy(rec *core.Record, fields []byte) {
	if len(fields) == 0 || fields[0] != '{' {
		return
	}
	copyTop(rec, fields, &p.names)
	rec.CloseAll()
}

// lastParser is the fieldParser of the names parserNow saw last.
var lastParser atomic.Pointer[fieldParser]

// parserNow returns the Parser of zerolog's field names as they stand: the
// core's parser of a record whose fields it keeps encoded (core.Core's
// WithParserOf). It makes one only when the names have changed since.
// Every breadcrumb kept encoded calls it: the names that are the very
// strings lastParser's were made of (the same bytes and length, as long as
// the program has not set them) are told here, with no call that would
// make it keep them across (ZerologBreadcrumb/hook: 3,349 -> 3,327
// instructions a record, cachegrind); others get a parser of their own,
// out of line.
func parserNow() core.Parser {
	p := lastParser.Load()
	if p != nil && sameData(p.names.level, zerolog.LevelFieldName) && sameData(p.names.timestamp, zerolog.TimestampFieldName) &&
		sameData(p.names.stack, zerolog.ErrorStackFieldName) {
		return p.parse
	}
	return parserOfNames()
}

// sameData reports whether a and b are the same string in memory: the
// same length and bytes at the same address.
func sameData(a, b string) bool {
	return len(a) == len(b) && unsafe.StringData(a) == unsafe.StringData(b)
}

// parserOfNames is parserNow's when zerolog's field names are not the
// strings of the last parser's: a new one, of these strings, stored as the
// last, so that parserNow tells them in place from then on, though their
// text be the last one's (a configuration naming the defaults: their text
// compared on every record was four times parserNow's cost).
//
//go:noinline
func parserOfNames() core.Parser {
	l, ts, st := zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName
	p := &fieldParser{names: parseNames{l, ts, st}}
	p.parse = p.copy
	lastParser.Store(p)
	return p.parse
}

// copyWithErrors copies the encoded fields into rec and appends the errors
// among them to errs (see errorGatherer).
func copyWithErrors(rec *core.Record, fields []byte, errs *[]error) {
	s := scanner{errs: errorGatherer{errs: errs, first: len(*errs)}}
	s.copy(rec, fields)
	s.errs.done()
}

// gatherErrors appends the errors among the encoded fields to errs, the
// ones copyWithErrors appends, copying no field: the core's ErrorScan.
func gatherErrors(fields []byte, errs *[]error) {
	g := errorGatherer{errs: errs, first: len(*errs)}
	scanErrors(fields, &g)
	g.done()
}

// skipMember leaves out the fields zerolog adds for its own output: the
// level it writes first and the time (the breadcrumb has its own), and the
// error stack (it becomes the exception's). The message is not among the
// fields: a hook runs before zerolog adds it, and a writer takes it off the
// end (splitMessage), so a field of the user's named "message" is kept,
// but the last one of a record with no message (see hookLastField).
// copyTop writes this test out: a change here is one there.
func skipMember(key string, index int) bool {
	return (index == 0 && key == zerolog.LevelFieldName) || key == zerolog.TimestampFieldName ||
		key == zerolog.ErrorStackFieldName
}

// sameName is key == name, with the bytes compared only when the first
// and last agree: the names are variables, so == called memequal for every
// key of a name's length ("took" and "path" for "time"): 38 instructions
// of the bench's breadcrumb (cachegrind, BenchmarkExpand: 2,194 -> 2,156).
// skipMember itself keeps ==: written with sameName it is too large to be
// inlined, and copyTop, which runs for every breadcrumb parsed, writes its
// test out instead.
func sameName(key, name string) bool {
	if len(key) != len(name) {
		return false
	}
	return len(key) == 0 || (key[0] == name[0] && key[len(key)-1] == name[len(name)-1] && key == name)
}

// level maps zerolog's levels to Sentry's: Trace is trace in Sentry Logs
// and debug in breadcrumbs and events, Fatal and Panic are fatal.
func level(l zerolog.Level) core.Level {
	return core.LevelOf(l, zerolog.DebugLevel, zerolog.InfoLevel, zerolog.WarnLevel, zerolog.ErrorLevel, zerolog.FatalLevel)
}

// Package logrussentry feeds logcrumbs from github.com/sirupsen/logrus: a
// logrus.Hook that keeps a request's entries as breadcrumbs of its trail and
// sends its errors to Sentry as events that carry that trail.
//
//	logger := logrus.New()
//	logger.AddHook(logrussentry.NewHook(logrussentry.Options{}))
//
//	log := logger.WithContext(logcrumbs.NewContext(ctx)) // per request
//	log.WithField("path", path).Info("loading cart")      // a breadcrumb
//	log.WithError(err).Error("checkout failed")           // an event with the trail
//
// Entries below the event level (default Error) and at or above the
// breadcrumb level (default Trace) are copied into the trail; entries at or
// above the event level (Error, Fatal, Panic) become Sentry events. The
// hook writes nothing: the logger's formatter and Out produce exactly what
// they produced before.
//
// # Contexts
//
// The trail, and the Sentry hub if any, come from the entry's context, set
// with logger.WithContext(ctx) or entry.WithContext(ctx): a context from
// logcrumbs.NewContext, logcrumbs.Middleware or logcrumbs.RunJob. Entries
// without a context, or whose context carries no trail, go to the
// process-wide fallback trail (logcrumbs.Fallback). A request that logs
// through logrus and slog with the same context has one trail.
//
// # Levels
//
// logrus decides before any hook runs whether an entry exists: the logger's
// level (Info by default) must admit Debug and Trace entries for them to
// reach the trail. To keep them while the output still shows Info and
// above, raise the logger's level and filter the output with
// [LevelFormatter]. The logger's other hooks then see Debug and Trace
// entries too, and logger.IsLevelEnabled(logrus.DebugLevel) reports true.
//
// # Fields
//
// Fields keep their Go types in breadcrumb data and in the event's "log"
// context: numbers stay numbers, durations read "1.5s", times are RFC 3339,
// nested logrus.Fields and map[string]any values become nested objects, and
// other values are encoded as JSON. The error of WithError
// (entry.Data[logrus.ErrorKey]) and every other field whose value is an
// error become the event's exception as the real error values (types, %w
// chains, errors.Join, stack traces), logrus.ErrorKey's first. Fields are
// copied in key order, within the limits of logcrumbs.Options; the entry's
// Data map is only read, and nothing of it is kept.
//
// # Bad input
//
// A String or Error method that panics is recovered: the field shows
// "!PANIC in T.Method: value" instead, and the entry is still kept or sent.
// A nil error is a null field; a typed nil error is shown as text and is no
// exception. Values that cannot be encoded as JSON show
// "!UNENCODABLE T: reason"; a nested map that holds itself shows
// "!CYCLE: the map holds itself" where it recurs. A *logrus.Entry (what
// logrus panics with after a Panic entry, recovered and logged as a field)
// shows its message, as Middleware and RunJob read that panic.
//
// Fire always returns nil and never blocks on Sentry, except for the
// entries of Fatal and Panic (and their f, ln and Fn forms): the process is
// about to stop, so it waits up to Options.FlushTimeout for the events sent
// so far (this one's too) to be delivered. Log, Logf and Logln at
// FatalLevel or PanicLevel neither exit nor panic in logrus, so their
// events are sent as usual, without waiting. The *logrus.Entry that logrus
// panics with after a Panic entry is known to logcrumbs.Middleware and
// logcrumbs.RunJob: they recover it without sending it a second time.
package logrussentry

import (
	"reflect"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/internal/render"
)

// Options configure the hook. The zero value keeps Trace to Warn entries as
// breadcrumbs, sends Error, Fatal and Panic entries as events, and waits up
// to 2 seconds for delivery before logrus exits or panics.
type Options struct {
	logcrumbs.Options

	// BreadcrumbLevel is the least severe level kept in the trail. The zero
	// value, logrus.PanicLevel, means logrus.TraceLevel.
	BreadcrumbLevel logrus.Level

	// EventLevel is the least severe level sent as an event. The zero
	// value, logrus.PanicLevel, means logrus.ErrorLevel; set
	// logrus.FatalLevel to send Fatal and Panic entries only. Panic
	// entries alone cannot be chosen: PanicLevel is the zero value.
	EventLevel logrus.Level

	// LogsLevel is the least severe level also sent to Sentry Logs
	// (through sentry-go's log API: its batching and BeforeSendLog), with
	// the entry's fields as typed log attributes (nested maps flattened with
	// dots), the logger name, the trace of entry.Context, scrubbed and
	// user-gated as events are; it is independent of the other two levels.
	// Trace entries go at Sentry's trace level.
	// The zero value, logrus.PanicLevel, means off, so that no Sentry quota
	// changes. See also logcrumbs.Options.LogsOnEvent.
	LogsLevel logrus.Level

	// FlushTimeout bounds how long a Fatal or Panic entry waits for the
	// events sent so far to be delivered before logrus exits or panics.
	// Zero means 2 seconds.
	FlushTimeout time.Duration
}

// Hook is a logrus.Hook that feeds logcrumbs. It is safe for concurrent use;
// one Hook serves every logger and request.
type Hook struct {
	core   *core.Core
	levels core.Levels[int]
	fired  []logrus.Level
}

// NewHook returns a hook to add with logger.AddHook. Add it after the
// hooks that add fields to entry.Data (trace IDs, request fields): logrus
// fires hooks in the order they were added, and the hook copies the entry
// when it fires, so that fields added by a later hook are in your output
// but not in Sentry.
//
// Add one: a logger given two logcrumbs hooks (two NewHook calls, or the
// same hook added twice, as a package that returns a hooked logger and a
// program that hooks it again do) keeps every entry twice in the trail and
// sends each Sentry Log twice. logrus tells a hook nothing of the others:
// Fire could look them up only in entry.Logger.Hooks, a map that AddHook
// changes under a lock the hook cannot take (a concurrent AddHook would
// make that read a data race), at the price of a map look-up for every
// entry, and the same hook added twice would still look like one.
func NewHook(opts Options) *Hook {
	b, e := opts.BreadcrumbLevel, opts.EventLevel
	if b == logrus.PanicLevel {
		b = logrus.TraceLevel
	}
	if e == logrus.PanicLevel {
		e = logrus.ErrorLevel
	}
	h := &Hook{core: core.New(opts.Options, "logrus", opts.FlushTimeout), levels: core.FixedLevels(rank(b), rank(e))}
	if opts.LogsLevel != logrus.PanicLevel {
		h.levels = h.levels.WithLogs(rank(opts.LogsLevel))
	}
	for _, l := range logrus.AllLevels {
		if h.levels.Decide(rank(l)) != core.Skip {
			h.fired = append(h.fired, l)
		}
	}
	return h
}

// Levels returns the levels the hook keeps or sends: logrus fires it for
// those only.
func (h *Hook) Levels() []logrus.Level { return slices.Clone(h.fired) }

// Fire keeps the entry as a breadcrumb or sends it as an event. It reads
// the entry and keeps nothing of it, and it returns nil: what logcrumbs does
// never makes a log call fail.
func (h *Hook) Fire(e *logrus.Entry) error {
	defer func() { _ = recover() }() // a log call never fails because of logcrumbs
	d := h.levels.Decide(rank(e.Level))
	ent := core.Entry{
		Time:    e.Time,
		Level:   core.LevelOf(rank(e.Level), rank(logrus.DebugLevel), rank(logrus.InfoLevel), rank(logrus.WarnLevel), rank(logrus.ErrorLevel), rank(logrus.FatalLevel)),
		Message: e.Message,
	}
	if e.Level <= logrus.FatalLevel && stopsAfter(e.Level) {
		ent.Exits = true
		if e.Level == logrus.PanicLevel { // logrus panics with this entry next
			ent.Panics, ent.PanicValue = true, e
		}
	}
	if d.Kept() == core.Event {
		ent.PC = callerPC(e.Caller)
	}
	data := e.Data
	h.core.Log(e.Context, d, &ent, nil, &core.Encoder{
		Fields: func(rec *core.Record, errs *[]error) {
			var outer [maxDepth]uintptr
			addFields(rec, data, errs, 0, &outer)
		},
	})
	return nil
}

// callerPC returns the return address of the entry's caller (logrus'
// SetReportCaller, or one the program set), as core.Entry.PC wants it, or
// zero, which makes the event's stack start at the first frame outside
// logrus. Zero too when the caller's counter is inside a logrus function
// inlined into it: the stack would start there.
func callerPC(c *runtime.Frame) uintptr {
	if c == nil || c.PC == 0 {
		return 0
	}
	pc := c.PC + 1 // a Frame's PC is the call's; a return address is after it
	if f := runtime.FuncForPC(pc); f == nil || f.Name() != c.Function {
		return 0
	}
	return pc
}

// stopsAfter reports whether logrus exits or panics once the hooks of an
// entry at level (FatalLevel or PanicLevel) have run: it does for Fatal,
// Fatalf, Fatalln, FatalFn and their Panic counterparts (Entry's, Logger's,
// the package's, a Logger.WriterLevel's), found among the logging call's
// logrus frames; Log, Logf, Logln and LogFn at those levels log the level
// only and return, so waiting for delivery there would only block the
// caller, and a panic noted for the unit of work would hide a real one
// later. It walks a few frames: Fatal and Panic entries only.
func stopsAfter(level logrus.Level) bool {
	prefix := "Fatal"
	if level == logrus.PanicLevel {
		prefix = "Panic"
	}
	var pcs [32]uintptr
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs[:])])
	inLogrus := false
	for {
		f, more := frames.Next()
		name, ok := strings.CutPrefix(f.Function, "github.com/sirupsen/logrus.")
		switch {
		case ok:
			inLogrus = true
			if strings.HasPrefix(name[strings.LastIndexByte(name, '.')+1:], prefix) {
				return true
			}
		case inLogrus: // the caller of logrus: it logged with Log, Logf...
			return false
		}
		if !more {
			return false
		}
	}
}

// rank orders logrus' levels as the core wants them, most severe highest:
// logrus numbers them the other way.
func rank(l logrus.Level) int { return -int(l) }

// maxDepth bounds the nesting of maps, so that deep nesting cannot exhaust
// the stack.
const maxDepth = 32

// addFields copies data in key order, logrus.ErrorKey's value first so that
// WithError's error leads the exception. outer holds the maps data is
// nested in (depth of them), to find a map that holds itself: followed, a
// map with two references to itself would be walked 2^maxDepth times.
func addFields(rec *core.Record, data map[string]any, errs *[]error, depth int, outer *[maxDepth]uintptr) {
	errKey := logrus.ErrorKey
	var errVal any
	hasErr := false
	var buf [32]string // sorted in place: no allocation for up to 32 fields
	keys := buf[:0]
	for k, v := range data {
		if depth == 0 && k == errKey {
			errVal, hasErr = v, true
			continue
		}
		keys = append(keys, k)
	}
	if hasErr {
		addValue(rec, errKey, errVal, errs, depth, outer)
	}
	slices.Sort(keys)
	for _, k := range keys {
		addValue(rec, k, data[k], errs, depth, outer)
	}
}

// addValue copies one field's value with its Go type.
func addValue(rec *core.Record, key string, v any, errs *[]error, depth int, outer *[maxDepth]uintptr) {
	if render.Scalar(rec, key, v) {
		return
	}
	switch x := v.(type) {
	case logrus.Fields:
		addGroup(rec, key, x, errs, depth, outer)
	case map[string]any:
		addGroup(rec, key, x, errs, depth, outer)
	case *logrus.Entry: // what logrus panics with, recovered and logged
		if x == nil {
			rec.AddScalar(core.KindNull, key, 0)
			return
		}
		rec.AddText(core.KindString, key, x.Message) // its JSON never encodes
	default: // errors, Stringers, []byte, anything else as JSON
		render.Any(rec, key, x, errs)
	}
}

// addGroup copies a nested map as a nested object.
func addGroup(rec *core.Record, key string, m map[string]any, errs *[]error, depth int, outer *[maxDepth]uintptr) {
	if depth >= maxDepth {
		rec.AddText(core.KindPanic, key, "!TOO DEEP: maps nested more than 32 levels")
		return
	}
	p := reflect.ValueOf(m).Pointer() // a map's identity; no allocation
	if p != 0 && slices.Contains(outer[:depth], p) {
		rec.AddText(core.KindPanic, key, "!CYCLE: the map holds itself")
		return
	}
	outer[depth] = p
	rec.OpenGroup(key)
	addFields(rec, m, errs, depth+1, outer)
	rec.CloseGroup()
}

// LevelFormatter is a logrus.Formatter that writes only the entries at or
// above Level (as severe or more) with Formatter, and nothing for the
// others. With the logger's level at Trace or Debug, so that those entries
// reach the hook and the trail, it keeps the output as it was at Level:
//
//	logger.SetLevel(logrus.TraceLevel)
//	logger.SetFormatter(logrussentry.LevelFormatter{Formatter: &logrus.JSONFormatter{}, Level: logrus.InfoLevel})
//
// The zero Level, logrus.PanicLevel, writes Panic entries only.
//
// With it, the logger's level decides what logcrumbs keeps, and Level what
// the output shows: to show Debug entries at run time (a log-level switch
// of an admin endpoint), set a LevelFormatter of Level logrus.DebugLevel
// with logger.SetFormatter; logger.SetLevel(logrus.DebugLevel) alone no
// longer changes the output, and a level above Level drops entries from the
// trail too.
//
// The bytes written are those of the logger at Level, but not the calls:
// logrus writes whatever the formatter returns, so each entry below Level
// is a Write of zero bytes to the logger's output (to an *os.File, a system
// call: about 250 ns here). An output that sends every Write as a message
// of its own (log/syslog's Writer) should skip empty ones; wrapping an
// *os.File in such a writer turns off logrus.TextFormatter's colors, which
// it chooses by the output being a terminal file.
type LevelFormatter struct {
	logrus.Formatter
	Level logrus.Level
}

// Format formats e with the Formatter if e is at or above Level, and
// returns nothing otherwise.
func (f LevelFormatter) Format(e *logrus.Entry) ([]byte, error) {
	if e.Level > f.Level {
		return nil, nil
	}
	return f.Formatter.Format(e)
}

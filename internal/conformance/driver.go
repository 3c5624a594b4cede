// Package conformance is the one test suite every logcrumbs integration
// runs: what a user can observe of an integration (the breadcrumbs and
// events that reach Sentry, and the logger's own output) is asserted here
// once, for all loggers. It is an ordinary package so that each adapter's
// conformance_test.go can import it; nothing but tests imports it.
//
// An adapter supplies a Driver: how to make its logger fed to logcrumbs,
// how to bind that logger to a unit of work's context, and how to log a
// record with typed fields. The Driver is small on purpose (about 60 lines
// for a logger), so that a new integration learns nothing of logcrumbs'
// internals to be tested like the others:
//
//	func TestConformance(t *testing.T) { conformance.Run(t, driver) }
//
// The package imports no third-party logger: the drivers do.
package conformance

import (
	"context"
	"io"
	"testing"

	"github.com/logcrumbs/logcrumbs"
)

// Level is a record's level, which a driver maps to its logger's own.
type Level int

// The levels the suite logs at.
const (
	Debug Level = iota
	Info
	Warn
	Error
)

func (l Level) String() string {
	return [...]string{"debug", "info", "warn", "error"}[l]
}

// Field is one key and value of a record. A driver encodes Value with its
// logger's typed field for these kinds, and with its logger's generic field
// (slog.Any, zap.Any, zerolog's Interface) for any other value:
//
//	string, int, bool, float64, time.Duration, time.Time,
//	error (nil and typed nil included, as the logger's error field: slog's
//	"err" attribute, zap.NamedError, zerolog's AnErr; a driver whose
//	integration reads only the logger's own error key logs the suite's
//	"err" field under it, as zerolog's Err does under "error"),
//	fmt.Stringer (as the logger's Stringer field, where it has one),
//	Group (a nested group: slog.Group, zap.Dict, zerolog's Dict).
//
// The alloc tests log only string, int, bool and time.Duration fields,
// whose values a driver must pass on without allocating.
type Field struct {
	Key   string
	Value any
}

// Group is a Field value holding nested fields.
type Group []Field

// Logger is one logger as the suite drives it. It is used from several
// goroutines at once.
type Logger interface {
	// Bind returns the logger for the unit of work of ctx, as a user binds
	// it per request: the context itself for slog, zapsentry.WithContext,
	// zerologsentry.WithContext or Writer.WithContext. Records logged
	// through an unbound logger go to the fallback trail.
	Bind(ctx context.Context) Logger
	// With returns a logger that adds fields to every record.
	With(fields ...Field) Logger
	// Log logs one record. It must not allocate beyond what the logger
	// allocates for the same call written by hand.
	Log(level Level, msg string, fields ...Field)
}

// Config is what the suite asks of a driver's logger.
type Config struct {
	// Options feed logcrumbs: a driver gives them to its integration's
	// options (slogsentry.Options.Options, ...) unchanged.
	Options logcrumbs.Options
	// Out is the logger's own output. It must be deterministic (no
	// timestamps), so that runs compare byte for byte. Nil means no output:
	// the integration stand-alone where it can be (a nil slog handler, the
	// zap core alone), else io.Discard.
	Out io.Writer
	// FilterDebug makes the output filter Debug records (level Info), in
	// the way the integration's README advises (a handler level, a zap core
	// level, a zerolog FilteredLevelWriter), while logcrumbs keeps them.
	FilterDebug bool
	// Logs, when true, sets the integration's Logs level (sending records
	// to Sentry Logs) to LogsLevel, in the logger's own level type:
	// slogsentry's and zapsentry's LogsLevel, zerologsentry's LogsLevel,
	// logrsentry's Logs and LogsVerbosity (Debug is V(1), Info and Warn
	// V(0), Error a negative LogsVerbosity). False leaves it off.
	Logs      bool
	LogsLevel Level
	// Bare makes the same logger without logcrumbs, as the user had it
	// before: its output is compared with the wrapped one's.
	Bare bool
	// WrapTwice feeds the logger to logcrumbs twice, both times with these
	// Options, the way its users do without meaning to: the integration's
	// constructor given what it returned (slogsentry.NewHandler of a
	// *slogsentry.Handler, zapsentry.Wrap applied twice, NewWriter of a
	// *zerologsentry.Writer, logrsentry.Wrap of a wrapped logger, two
	// hooks). A driver whose integration cannot tell (it documents "wrap
	// once") skips the test with t.Skip, saying why.
	WrapTwice bool
}

// Stop is a record at a level after which a logger may stop the program,
// as Driver.Stops logs it.
type Stop int

const (
	// Panic is the logger's panic level (zap's Panic, zerolog's Panic(),
	// logrus' Panic): the logger panics right after the record, with its
	// message (zap, zerolog) or a value of its own (logrus' *Entry).
	Panic Stop = iota
	// NoPanic is a record at a panic level after which the logger does
	// not panic: zap's DPanic in a production logger, zerolog's
	// WithLevel(PanicLevel), logrus' Log(PanicLevel).
	NoPanic
	// Fatal is the logger's fatal level, its exit hook the suite's (see
	// Driver.Stops).
	Fatal
)

func (s Stop) String() string { return [...]string{"Panic", "NoPanic", "Fatal"}[s] }

// Driver is what an adapter supplies to the suite.
type Driver struct {
	// Name names the driver in the subtests: "slog", "zerolog writer".
	Name string
	// Category is the logger's name in breadcrumbs and events: "slog",
	// "zap", "zerolog".
	Category string
	// New returns a logger made as Config says. It may set process-wide
	// state for the test (zerolog.ErrorMarshalFunc) with t.Cleanup.
	New func(t *testing.T, c Config) Logger
	// TextErrors is true when logcrumbs sees only the text of an error
	// (zerolog without zerologsentry.ErrorMarshalFunc): events then carry
	// one exception of type "error", and capture-once goes by text.
	TextErrors bool
	// UserPanicsReachCaller is true when the logger itself calls the
	// user's String/MarshalX methods before logcrumbs sees the record
	// (zerolog), so that their panics reach the log call as they would
	// without logcrumbs; the suite then does not log panicking values.
	UserPanicsReachCaller bool
	// NoWarnLevel is true when the logger has no warning level (logr has
	// V-level Info and Error only): the driver logs the suite's Warn
	// records as Info, and the suite expects them as info breadcrumbs.
	NoWarnLevel bool
	// HookAllocs is what the logger itself allocates per record for having
	// any hook at all, which the allocation case allows on top of the bare
	// logger's count: logrus copies its hook list for every entry it fires
	// hooks for (1), the same for a hook that does nothing. Zero for
	// loggers that pay nothing to call an integration.
	HookAllocs float64
	// Stops, for a logger with panic and fatal levels (zap, zerolog,
	// logrus), logs msg with fields through l, a Logger of New's, as stop
	// says. For Fatal, the logger calls exit where it would exit the
	// process (zap.WithFatalHook, zerolog.FatalExitFunc, logrus'
	// Logger.ExitFunc), for that record only; exit returns (a test's
	// stand-in for os.Exit) or panics with a value of the suite's. Nil
	// for a logger without such levels (slog, logr): the cases that need
	// it are skipped.
	Stops func(l Logger, stop Stop, exit func(), msg string, fields ...Field)
}

// warning is the Sentry level d's Warn records arrive at.
func (d Driver) warning() string {
	if d.NoWarnLevel {
		return "info"
	}
	return "warning"
}

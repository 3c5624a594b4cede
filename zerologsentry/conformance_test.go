package zerologsentry_test

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/internal/conformance"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestConformance runs the shared suite for the hook and for the writer,
// each with zerologsentry.ErrorMarshalFunc (real error values) and without
// it (error texts only, zerolog's default).
func TestConformance(t *testing.T) {
	for _, d := range zerologDrivers() {
		t.Run(d.Name, func(t *testing.T) {
			conformance.Run(t, d)
			if !d.TextErrors {
				conformance.RunE2E(t, d)
			}
		})
	}
}

// TestConformanceAllocs: keeping a breadcrumb allocates nothing, as zerolog
// alone does not.
func TestConformanceAllocs(t *testing.T) {
	for _, d := range zerologDrivers() {
		t.Run(d.Name, func(t *testing.T) { conformance.RunAllocs(t, d) })
	}
}

// zerologDrivers are the hook and the writer, each with and without
// ErrorMarshalFunc.
func zerologDrivers() []conformance.Driver {
	var ds []conformance.Driver
	for _, writer := range []bool{false, true} {
		for _, text := range []bool{false, true} {
			d := conformance.Driver{Name: "zerolog hook", Category: "zerolog", TextErrors: text, UserPanicsReachCaller: true,
				New:   func(t *testing.T, c conformance.Config) conformance.Logger { return newZerolog(t, c, writer, text) },
				Stops: zerologStops}
			if writer {
				d.Name = "zerolog writer"
			}
			if text {
				d.Name += " (text errors)"
			}
			ds = append(ds, d)
		}
	}
	return ds
}

// zerologStops logs with Panic(), with WithLevel(PanicLevel) (zerolog does
// not panic after it) or with Fatal() and the suite's exit as
// zerolog.FatalExitFunc for that record.
func zerologStops(l conformance.Logger, stop conformance.Stop, exit func(), msg string, fields ...conformance.Field) {
	z := l.(zerologLogger)
	switch stop {
	case conformance.Panic:
		zerologFields(z.l.Panic(), fields, z.text).Msg(msg)
	case conformance.NoPanic:
		zerologFields(z.l.WithLevel(zerolog.PanicLevel), fields, z.text).Msg(msg)
	case conformance.Fatal:
		saved := zerolog.FatalExitFunc
		defer func() { zerolog.FatalExitFunc = saved }()
		zerolog.FatalExitFunc = exit
		zerologFields(z.l.Fatal(), fields, z.text).Msg(msg)
	}
}

// newZerolog makes the hook's or the writer's logger as the README's quick
// start does, at Debug; its output filters Debug with a FilteredLevelWriter.
func newZerolog(t *testing.T, c conformance.Config, writer, text bool) conformance.Logger {
	saved := zerolog.ErrorMarshalFunc
	t.Cleanup(func() { zerolog.ErrorMarshalFunc = saved })
	zerolog.ErrorMarshalFunc = func(err error) any { return err } // zerolog's default
	if !text {
		zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(zerolog.ErrorMarshalFunc)
	}
	out := c.Out
	if out == nil {
		out = io.Discard
	}
	if c.FilterDebug {
		out = &zerolog.FilteredLevelWriter{Writer: zerolog.LevelWriterAdapter{Writer: out}, Level: zerolog.InfoLevel}
	}
	opts := zerologsentry.Options{Options: c.Options}
	if c.Logs {
		opts.LogsLevel = zerologLevels[c.LogsLevel]
		if opts.LogsLevel == zerolog.DebugLevel { // the zero value is off
			opts.LogsLevel = zerolog.TraceLevel
		}
	}
	switch {
	case c.Bare:
		return zerologLogger{l: zerolog.New(out).Level(zerolog.DebugLevel), text: text}
	case writer:
		w := zerologsentry.NewWriter(out, opts)
		if c.WrapTwice { // a package returns its logger's writer, and the program wraps it again
			w = zerologsentry.NewWriter(w, opts)
		}
		return zerologLogger{l: zerolog.New(w).Level(zerolog.DebugLevel), w: w, text: text}
	}
	if c.WrapTwice {
		t.Skip("a logger given two logcrumbs hooks keeps each record twice (NewHook's godoc: add one): " +
			"zerolog tells a hook nothing of the others, and finding them in the event's hook list " +
			"would cost every record and could not tell the same hook added twice from once")
	}
	return zerologLogger{l: zerolog.New(out).Level(zerolog.DebugLevel).Hook(zerologsentry.NewHook(opts)), text: text}
}

type zerologLogger struct {
	l    zerolog.Logger
	w    *zerologsentry.Writer // nil: the hook, or bare
	text bool                  // errors logged with Err, see zerologFields
}

func (z zerologLogger) Bind(ctx context.Context) conformance.Logger {
	if z.w != nil {
		_, z.l = z.w.WithContext(ctx, z.l)
	} else {
		z.l = z.l.With().Ctx(ctx).Logger() // as zerologsentry.WithContext binds, without storing it for zerolog.Ctx
	}
	return z
}

func (z zerologLogger) With(fields ...conformance.Field) conformance.Logger {
	c := z.l.With()
	for _, f := range fields {
		if g, ok := f.Value.(conformance.Group); ok { // a nested object, as Dict writes it
			c = c.Dict(f.Key, zerologFields(zerolog.Dict(), g, z.text))
			continue
		}
		c = c.Fields([]any{f.Key, f.Value})
	}
	z.l = c.Logger()
	return z
}

var zerologLevels = [...]zerolog.Level{zerolog.DebugLevel, zerolog.InfoLevel, zerolog.WarnLevel, zerolog.ErrorLevel}

func (z zerologLogger) Log(level conformance.Level, msg string, fields ...conformance.Field) {
	zerologFields(z.l.WithLevel(zerologLevels[level]), fields, z.text).Msg(msg)
}

// zerologFields adds fields to e; with text, an error under "err" is
// logged as zerolog's error field (Err), the one field whose text
// logcrumbs reads as the error when it sees no error values.
func zerologFields(e *zerolog.Event, fields []conformance.Field, text bool) *zerolog.Event {
	for _, f := range fields {
		switch v := f.Value.(type) {
		case string:
			e = e.Str(f.Key, v)
		case int:
			e = e.Int(f.Key, v)
		case bool:
			e = e.Bool(f.Key, v)
		case float64:
			e = e.Float64(f.Key, v)
		case time.Duration:
			e = e.Dur(f.Key, v)
		case time.Time:
			e = e.Time(f.Key, v)
		case error:
			if text && f.Key == "err" {
				e = e.Err(v)
			} else {
				e = e.AnErr(f.Key, v)
			}
		case fmt.Stringer:
			e = e.Stringer(f.Key, v)
		case conformance.Group:
			e = e.Dict(f.Key, zerologFields(zerolog.Dict(), v, text))
		default:
			e = e.Interface(f.Key, v)
		}
	}
	return e
}

package logrsentry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"testing"

	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"

	"github.com/logcrumbs/logcrumbs/internal/conformance"
	"github.com/logcrumbs/logcrumbs/logrsentry"
)

// TestConformance runs the shared suite: what a user of logrsentry can
// observe, asserted as for every integration.
func TestConformance(t *testing.T) {
	conformance.Run(t, logrDriver)
	conformance.RunE2E(t, logrDriver)
}

// TestConformanceAllocs: keeping a breadcrumb adds no allocation.
func TestConformanceAllocs(t *testing.T) { conformance.RunAllocs(t, logrDriver) }

// logr has Info at V levels and Error only: the suite's Warn is V(0) Info.
var logrDriver = conformance.Driver{Name: "logr", Category: "logr", New: newLogr, NoWarnLevel: true}

// newLogr wraps a funcr JSON logger (funcr writes no timestamps unless
// asked), as the README's quick start does.
func newLogr(_ *testing.T, c conformance.Config) conformance.Logger {
	opts := logrsentry.Options{Options: c.Options, Logs: c.Logs}
	switch c.LogsLevel {
	case conformance.Debug:
		opts.LogsVerbosity = 1
	case conformance.Error:
		opts.LogsVerbosity = -1
	}
	var base logr.Logger // logr.Discard(): no sink
	if c.Out != nil {
		verbosity := 1
		if c.FilterDebug {
			verbosity = 0
		}
		out := c.Out
		base = funcr.NewJSON(func(obj string) { _, _ = io.WriteString(out, obj+"\n") }, funcr.Options{Verbosity: verbosity})
	}
	if c.Bare {
		return logrLogger{base}
	}
	if c.Out == nil {
		return logrLogger{logr.New(logrsentry.NewSink(nil, opts))}
	}
	l := logrsentry.Wrap(base, opts)
	if c.WrapTwice { // a library wraps the logger it is given, which the program wrapped already
		l = logrsentry.Wrap(l, opts)
	}
	return logrLogger{l}
}

type logrLogger struct{ l logr.Logger }

func (l logrLogger) Bind(ctx context.Context) conformance.Logger {
	_, b := logrsentry.WithContext(ctx, l.l)
	return logrLogger{b}
}

func (l logrLogger) With(fields ...conformance.Field) conformance.Logger {
	return logrLogger{l.l.WithValues(kvs(nil, fields)...)}
}

// Log logs Debug as V(1), Info and Warn as V(0), and Error with the
// suite's "err" field as Error's err (nil without one).
func (l logrLogger) Log(level conformance.Level, msg string, fields ...conformance.Field) {
	var buf [16]any
	switch level {
	case conformance.Debug:
		l.l.V(1).Info(msg, kvs(buf[:0], fields)...)
	case conformance.Info, conformance.Warn:
		l.l.Info(msg, kvs(buf[:0], fields)...)
	default:
		var err error
		kv := buf[:0]
		for _, f := range fields {
			if e, ok := f.Value.(error); ok && f.Key == "err" {
				err = e
				continue
			}
			if f.Key == "err" && f.Value == nil {
				continue
			}
			kv = kvs(kv, []conformance.Field{f})
		}
		l.l.Error(err, msg, kv...)
	}
}

// kvs appends fields as a logr key/value list; a group is a group value,
// as logr has no groups of its own.
func kvs(to []any, fields []conformance.Field) []any {
	for _, f := range fields {
		v := f.Value
		if g, ok := v.(conformance.Group); ok {
			v = group(g)
		}
		to = append(to, f.Key, v)
	}
	return to
}

// group is a nested group as a user would log it to funcr and Sentry at
// once: an ordered list, which funcr writes in order (a map it would write
// in random order, and outputs would not compare), encoded as a JSON object
// (nested groups too) for Sentry.
type group []conformance.Field

func (g group) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range g {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.Key)
		v := f.Value
		if sub, ok := v.(conformance.Group); ok {
			v = group(sub)
		}
		enc, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(enc)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

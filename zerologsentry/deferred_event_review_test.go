package zerologsentry_test

import (
	"context"
	"reflect"
	"testing"

	pkgerrors "github.com/pkg/errors"
	"github.com/rs/zerolog"
	zpkgerrors "github.com/rs/zerolog/pkgerrors"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestDeferredEventMatchesEager: an event built from a record whose fields
// were deferred (its trail skipped a repeat) reads as the same record's
// event on a fresh trail, built at once: hook and writer, with and without
// ErrorMarshalFunc and error stacks, decoys of the error field.
func TestDeferredEventMatchesEager(t *testing.T) {
	savedS, savedM := zerolog.ErrorStackMarshaler, zerolog.ErrorMarshalFunc
	t.Cleanup(func() { zerolog.ErrorStackMarshaler, zerolog.ErrorMarshalFunc = savedS, savedM })
	for v := range 8 {
		writer, marshal, stack := v&1 != 0, v&2 != 0, v&4 != 0
		zerolog.ErrorStackMarshaler, zerolog.ErrorMarshalFunc = savedS, savedM
		if stack {
			zerolog.ErrorStackMarshaler = zpkgerrors.MarshalStack
		}
		if marshal {
			zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(savedM)
		}
		mk := func(rec *logcrumbstest.Recorder) zerolog.Logger {
			opts := zerologsentry.Options{Options: rec.Options()}
			ctx := rec.Context(context.Background())
			log := boundLogger(ctx, opts, writer)
			return log
		}
		err1 := pkgerrors.New("first")
		err2 := pkgerrors.Wrap(pkgerrors.New("inner"), "second")
		other := pkgerrors.New("decoy")
		target := func(log zerolog.Logger) {
			e := log.Error()
			if stack {
				e = e.Stack()
			}
			e.Str("error", "not this").AnErr("cause", other).Str("esc", "a\"\\\u00e9\x01").
				Dict("d", zerolog.Dict().Str("x", "y").Dict("e", zerolog.Dict())).Ints("arr", []int{1, 2}).
				Err(err2).Str(string(make([]byte, 200)), "longkey").Msg("target")
		}
		a := logcrumbstest.New(t)
		la := mk(a)
		for range 3 {
			la.Error().Err(err1).Msg("rep")
		}
		target(la)
		b := logcrumbstest.New(t)
		target(mk(b))
		ea, eb := a.Events(), b.Events()
		if len(ea) != 2 || len(eb) != 1 {
			t.Fatalf("v%d: events %d, %d", v, len(ea), len(eb))
		}
		x, y := ea[1], eb[0]
		if x.Message != y.Message || x.Level != y.Level || !reflect.DeepEqual(x.LogContext(), y.LogContext()) ||
			!reflect.DeepEqual(x.Tags, y.Tags) || !reflect.DeepEqual(x.Fingerprint, y.Fingerprint) {
			t.Errorf("v%d: deferred event\n%v %v %v %v\neager\n%v %v %v %v", v, x.Message, x.LogContext(), x.Contexts, x.Tags, y.Message, y.LogContext(), y.Contexts, y.Tags)
		}
		xe, ye := x.Exception, y.Exception
		if len(xe) != len(ye) {
			t.Fatalf("v%d: exceptions %+v\n%+v", v, xe, ye)
		}
		for i := range xe {
			if xe[i].Type != ye[i].Type || xe[i].Value != ye[i].Value || (xe[i].Stacktrace == nil) != (ye[i].Stacktrace == nil) {
				t.Errorf("v%d: exception %d: %+v\n%+v", v, i, xe[i], ye[i])
			}
		}
	}
}

package reliability

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strings"
	"testing"

	"github.com/rs/zerolog"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/zapsentry"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

type typedNil struct{}

func (*typedNil) Error() string { return "typed nil" }

type panicError struct{}

func (panicError) Error() string { panic("Error exploded") }

type panicUnwrap struct{}

func (panicUnwrap) Error() string { return "unwrap panics" }
func (panicUnwrap) Unwrap() error { panic("Unwrap exploded") }

type selfWrap struct{}

func (e *selfWrap) Error() string { return "wraps itself" }
func (e *selfWrap) Unwrap() error { return e }

type panicStringer struct{}

func (panicStringer) String() string { panic("String exploded") }

type panicValuer struct{}

func (panicValuer) LogValue() slog.Value { panic("LogValue exploded") }

type panicObject struct{}

func (panicObject) MarshalLogObject(zapcore.ObjectEncoder) error { panic("MarshalLogObject exploded") }

type node struct{ Next *node }

// badInputs are the values of the bad-input matrix, each logged as an
// attribute (or as the error) of one record.
func badInputs() map[string]any {
	deep := errors.New("root")
	for i := range 10000 {
		deep = fmt.Errorf("layer %d: %w", i, deep)
	}
	var tn *typedNil
	cyclic := &node{}
	cyclic.Next = cyclic
	return map[string]any{
		"nil error":       error(nil),
		"typed nil error": error(tn),
		"Error panics":    panicError{},
		"Unwrap panics":   panicUnwrap{},
		"cyclic chain":    &selfWrap{},
		"deep chain":      deep,
		"String panics":   panicStringer{},
		"invalid UTF-8":   "\xff\xfe bad \xc3",
		"10 MiB value":    strings.Repeat("x", 10<<20),
		"NaN and Inf":     []float64{math.NaN(), math.Inf(1), math.Inf(-1)},
		"unencodable":     make(chan int),
		"cyclic value":    cyclic,
	}
}

// TestBadInputMatrix logs every bad input through all three loggers, as a
// breadcrumb and as an event: nothing panics, every error record is an
// event, and every event encodes within Sentry's 1 MB.
func TestBadInputMatrix(t *testing.T) {
	for name, v := range badInputs() {
		for _, logger := range []string{"slog", "zap", "zerolog"} {
			t.Run(logger+"/"+name, func(t *testing.T) {
				rec := logcrumbstest.New(t)
				ctx := rec.Context(context.Background())
				logBad(ctx, logger, rec, v)
				evs := rec.Events()
				if len(evs) != 1 {
					t.Fatalf("%d events, want 1", len(evs))
				}
				out, err := json.Marshal(evs[0].Event)
				if err != nil || len(out) > 1<<20 {
					t.Fatalf("event: %d bytes, %v", len(out), err)
				}
				if len(evs[0].Breadcrumbs()) != 1 {
					t.Errorf("%d breadcrumbs, want the info record's 1", len(evs[0].Breadcrumbs()))
				}
			})
		}
	}
}

func logBad(ctx context.Context, logger string, rec *logcrumbstest.Recorder, v any) {
	err, _ := v.(error)
	huge := strings.Repeat("m", 10<<20)
	switch logger {
	case "slog":
		l := slog.New(slogsentry.NewHandler(slog.NewJSONHandler(io.Discard, nil), slogsentry.Options{Options: rec.Options()}))
		attrs := []any{"v", v, "valuer", panicValuer{}, "\xffkey", 1}
		for i := range 10000 {
			attrs = append(attrs, fmt.Sprint("k", i), i)
		}
		l.InfoContext(ctx, huge, attrs...)
		l.ErrorContext(ctx, huge, append(attrs, "err", err)...)
	case "zap":
		l := zap.New(zapsentry.NewCore(zapsentry.Options{Options: rec.Options()})).With(zapsentry.Context(ctx))
		fields := []zap.Field{zap.Any("v", v), zap.Object("obj", panicObject{}), zap.Int("\xffkey", 1)}
		for i := range 10000 {
			fields = append(fields, zap.Int(fmt.Sprint("k", i), i))
		}
		l.Info(huge, fields...)
		l.Error(huge, append(fields, zap.Error(err))...)
	case "zerolog":
		l := zerolog.New(io.Discard).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: rec.Options()})).With().Ctx(ctx).Logger()
		build := func(e *zerolog.Event) *zerolog.Event {
			if _, ok := v.(panicStringer); !ok { // zerolog calls String itself, and panics
				e = e.Interface("v", v)
			}
			e = e.Int("\xffkey", 1)
			for i := range 10000 {
				e = e.Int(fmt.Sprint("k", i), i)
			}
			return e
		}
		build(l.Info()).Msg(huge)
		if _, ok := err.(panicError); ok {
			err = errors.New("zerolog calls Error itself") // and would panic in the caller
		}
		build(l.Error()).Err(err).Msg(huge)
	}
}

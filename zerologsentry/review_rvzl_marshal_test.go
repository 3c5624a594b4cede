package zerologsentry_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// codedErr is a program's error type, whose value an event should carry.
type codedErr struct{ code int }

func (e *codedErr) Error() string { return fmt.Sprintf("code %d", e.code) }

// TestErrorMarshalFuncOverAStringMarshaler: zerologsentry.ErrorMarshalFunc
// wrapped around a program's zerolog.ErrorMarshalFunc that returns the
// error's text as a string (a common way to control what zerolog writes,
// fmt.Sprintf("%+v", err) for a stack), as its godoc invites, still gives
// the event the real error value, and zerolog writes what it wrote
// without it.
func TestErrorMarshalFuncOverAStringMarshaler(t *testing.T) {
	saved := zerolog.ErrorMarshalFunc
	t.Cleanup(func() { zerolog.ErrorMarshalFunc = saved })
	programs := map[string]func(error) any{
		"text":     func(err error) any { return err.Error() },
		"prefixed": func(err error) any { return "E: " + err.Error() },
	}
	for name, program := range programs {
		for _, writer := range []bool{false, true} {
			err := fmt.Errorf("charge: %w", &codedErr{402})
			var outs [2]syncBuffer
			for i, wrapped := range []bool{false, true} {
				zerolog.ErrorMarshalFunc = program
				if wrapped {
					zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(program)
				}
				rec := logcrumbstest.New(t)
				opts := zerologsentry.Options{Options: rec.Options()}
				var log zerolog.Logger
				ctx := rec.Context(context.Background())
				if writer {
					w := zerologsentry.NewWriter(&outs[i], opts)
					_, log = w.WithContext(ctx, zerolog.New(w))
				} else {
					_, log = zerologsentry.WithContext(ctx, zerolog.New(&outs[i]).Hook(zerologsentry.NewHook(opts)))
				}
				log.Error().Err(err).Msg("failed")
				if !wrapped {
					continue
				}
				var types []string
				for _, ex := range rec.OnlyEvent().Exception {
					types = append(types, ex.Type+"="+ex.Value)
				}
				if got := strings.Join(types, ","); !strings.Contains(got, "*zerologsentry_test.codedErr=code 402") ||
					!strings.Contains(got, "*fmt.wrapError=charge: code 402") {
					t.Errorf("%s, writer %v: exceptions = %v, want the real error chain", name, writer, types)
				}
			}
			if outs[0].String() != outs[1].String() {
				t.Errorf("%s, writer %v: output changed:\n%s%s", name, writer, outs[0].String(), outs[1].String())
			}
		}
	}
}

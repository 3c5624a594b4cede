package conformance

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/logcrumbs/logcrumbs"
)

// panicJSON is a value (not an error, not a Stringer) whose MarshalJSON
// panics: the logger's generic field (slog.Any, zap.Any, a logrus field, a
// logr value) reaches logcrumbs' JSON encoding of it.
type panicJSON struct{}

func (panicJSON) MarshalJSON() ([]byte, error) { panic("marshal exploded") }

// PanickingMarshalJSONCounted: a MarshalJSON method that panics is
// recovered like a String or Error method that panics: the field shows
// "!PANIC ..." with the panic's value, the fields after it are kept, and
// the panic is counted in Stats().UserPanics, which the documentation
// says counts the panics recovered in the user's "String, Error, LogValue,
// Marshal..." methods. On 0e39369 it was not counted: a program that
// exports UserPanics as a metric saw none of them. (Not for loggers that
// encode such values themselves, before logcrumbs sees the record.)
func testPanickingMarshalJSONCounted(t *testing.T, d Driver) {
	if d.UserPanicsReachCaller {
		t.Skip("the logger calls MarshalJSON itself, before logcrumbs sees the record")
	}
	logger, rec := newLogger(t, d, nil)
	log := logger.Bind(rec.Context(context.Background()))
	before := logcrumbs.Stats().UserPanics
	log.Log(Info, "survives", Field{"v", panicJSON{}}, Field{"after", "kept"})
	after := logcrumbs.Stats().UserPanics
	log.Log(Error, "failed")
	ev := one(t, rec)
	data := ev.Breadcrumbs()[0].Data
	if got, _ := data["v"].(string); !strings.HasPrefix(got, "!PANIC") || !strings.Contains(got, "marshal exploded") {
		t.Errorf("v = %q, want the panic recovered and shown", data["v"])
	}
	if data["after"] != "kept" {
		t.Errorf("after = %q, want kept", data["after"])
	}
	if after == before {
		t.Errorf("Stats().UserPanics did not count the MarshalJSON panic (still %d)", after)
	}
}

// nilStringer is a Stringer whose String dereferences its receiver.
type nilStringer struct{ name string }

func (s *nilStringer) String() string { return s.name }

// NilPointerMethods: a nil pointer whose Error or String dereferences it
// (an error or Stringer that does not guard against nil) is shown "<nil>",
// as fmt, slog's handlers and zap's encoders show it, not as a recovered
// panic: it is the program's nil, not a broken method, and is not counted
// in Stats().UserPanics.
func testNilPointerMethods(t *testing.T, d Driver) {
	if d.UserPanicsReachCaller {
		t.Skip("the logger calls String and Error itself, before logcrumbs sees the record")
	}
	logger, rec := newLogger(t, d, nil)
	log := logger.Bind(rec.Context(context.Background()))
	var err *nilErr
	var peer *nilStringer
	before := logcrumbs.Stats().UserPanics
	// Under a key of its own, not "err": logr's Error takes that one as its
	// err, which its records show under logr's "error".
	log.Log(Info, "crumb", Field{"cause", error(err)}, Field{"peer", fmt.Stringer(peer)}, Field{"after", "kept"})
	if n := logcrumbs.Stats().UserPanics - before; n != 0 {
		t.Errorf("Stats().UserPanics counted %d panics for nil pointers", n)
	}
	log.Log(Error, "failed", Field{"cause", error(err)}, Field{"peer", fmt.Stringer(peer)})
	ev := one(t, rec)
	for where, data := range map[string]map[string]any{"breadcrumb": ev.Breadcrumbs()[0].Data, "event": ev.LogContext()} {
		for _, key := range []string{"cause", "peer"} {
			if data[key] != "<nil>" {
				t.Errorf("%s %s = %#v, want \"<nil>\"", where, key, data[key])
			}
		}
	}
	if len(ev.Exception) != 0 {
		t.Errorf("exception %+v from a nil error", ev.Exception)
	}
}

// NilPointerInChain: an error that wraps a nil pointer whose Error
// dereferences it (fmt.Errorf("%w") of one, whose own text reads
// "charge: <nil>", as fmt prints it) is the exception it is: its chain
// shows the nil pointer "<nil>", as fmt, slog and zap show it, not
// "reading the error panicked" in place of the whole chain; no panic is
// counted in Stats().UserPanics.
func testNilPointerInChain(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, nil)
	log := logger.Bind(rec.Context(context.Background()))
	var inner *nilErr
	// The text names the driver: a text-errors driver must not be
	// answered by another driver's error of the same text.
	err := fmt.Errorf("charge (%s): %w", d.Name, error(inner))
	before := logcrumbs.Stats().UserPanics
	log.Log(Error, "failed", Field{"err", err})
	ev := one(t, rec)
	if n := logcrumbs.Stats().UserPanics - before; n != 0 {
		t.Errorf("Stats().UserPanics counted %d panics for a nil pointer", n)
	}
	var values []string
	for _, ex := range ev.Exception {
		values = append(values, ex.Value)
	}
	want := []string{"<nil>", "charge (" + d.Name + "): <nil>"}
	if d.TextErrors { // the error's text alone
		want = want[1:]
	}
	if !slices.Equal(values, want) {
		t.Errorf("exception values %q, want %q", values, want)
	}
}

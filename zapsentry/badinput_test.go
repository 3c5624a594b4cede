package zapsentry_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

type panicObject struct{}

func (panicObject) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddString("partial", "yes")
	enc.OpenNamespace("deeper")
	panic("object exploded")
}

type panicArray struct{}

func (panicArray) MarshalLogArray(zapcore.ArrayEncoder) error { panic("array exploded") }

type panicStringer struct{}

func (panicStringer) String() string { panic("stringer exploded") }

type panicError struct{}

func (panicError) Error() string { panic("error exploded") }

type failingObject struct{}

func (failingObject) MarshalLogObject(zapcore.ObjectEncoder) error {
	return errors.New("cannot marshal")
}

// TestPanickingUserMethods: the user's panicking methods are recovered and
// shown; the entry is kept, the fields after them too, and the process
// goes on. (zap's own JSON encoder does not recover from a panicking
// MarshalLogObject, so the core stands alone here.)
func TestPanickingUserMethods(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	logger := zap.New(zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: hub}}))
	_, log := zapsentry.WithContext(context.Background(), logger)
	log.Info("survives",
		zap.Object("obj", panicObject{}),
		zap.Array("arr", panicArray{}),
		zap.Stringer("str", panicStringer{}),
		zap.Error(panicError{}),
		zap.Inline(panicObject{}),
		zap.Object("failing", failingObject{}),
		zap.String("after", "kept"))
	log.Error("failed", zap.Error(panicError{}))

	ev := rec.OnlyEvent()
	if len(ev.Event.Breadcrumbs) != 1 {
		t.Fatalf("breadcrumbs = %+v", ev.Event.Breadcrumbs)
	}
	d := ev.Event.Breadcrumbs[0].Data
	for key, want := range map[string]string{
		"obj":   "!PANIC in zapsentry_test.panicObject.MarshalLogObject: object exploded",
		"arr":   "!PANIC in zapsentry_test.panicArray.MarshalLogArray: array exploded",
		"str":   "!PANIC in zapsentry_test.panicStringer.String: stringer exploded",
		"error": "!PANIC in zapsentry_test.panicError.Error: error exploded",
		"":      "!PANIC in zapsentry_test.panicObject.MarshalLogObject: object exploded",
		"after": "kept",
	} {
		if d[key] != want {
			t.Errorf("data[%q] = %#v, want %q", key, d[key], want)
		}
	}
	if d["failingError"] != "cannot marshal" {
		t.Errorf("a MarshalLogObject error is not reported as zap does: %#v", d)
	}
	if _, ok := d["deeper"]; ok {
		t.Errorf("a namespace opened by a panicking marshaler leaked out: %#v", d)
	}
	// The panicking error is still the event's exception, typed.
	if len(ev.Exception) != 1 || ev.Exception[0].Type != "zapsentry_test.panicError" {
		t.Errorf("exception = %+v", ev.Exception)
	}
}

// TestMalformedFields: fields built by hand with the wrong Interface for
// their type, or the zero Field, make zap's own Field.AddTo panic; the core
// recovers, shows what went wrong, and keeps the fields around them.
func TestMalformedFields(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	logger := zap.New(zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: hub}}))
	_, log := zapsentry.WithContext(context.Background(), logger)
	log.Info("malformed",
		zap.String("before", "kept"),
		zapcore.Field{Key: "zero"},
		zapcore.Field{Key: "loc", Type: zapcore.TimeType, Integer: 1, Interface: "not a *time.Location"},
		zapcore.Field{Key: "bin", Type: zapcore.BinaryType, Interface: 42},
		zapcore.Field{Key: "cplx", Type: zapcore.Complex128Type, Interface: "nope"},
		zap.Int("after", 7))
	log.Error("failed", zap.Error(errors.New("x")))

	ev := rec.OnlyEvent()
	if len(ev.Event.Breadcrumbs) != 1 {
		t.Fatalf("breadcrumbs = %+v", ev.Event.Breadcrumbs)
	}
	d := ev.Event.Breadcrumbs[0].Data
	if d["before"] != "kept" || d["after"] != int64(7) {
		t.Errorf("fields around the malformed ones lost: %#v", d)
	}
	for _, key := range []string{"zero", "loc", "bin", "cplx"} {
		if v, _ := d[key].(string); !strings.HasPrefix(v, "!PANIC") {
			t.Errorf("data[%q] = %#v, want a !PANIC note", key, d[key])
		}
	}
}

func TestHugeAndInvalidValues(t *testing.T) {
	logger, rec := newLogger(t, zapsentry.Options{}, nil)
	_, log := zapsentry.WithContext(context.Background(), logger)
	huge := strings.Repeat("é", 1<<20)
	log.Info(huge, zap.String("big", huge), zap.ByteString("bad", []byte{0xff, 'a', 0xfe}),
		zap.Reflect("ch", make(chan int)), zap.Any("cyclic", cyclic()))
	log.Error("failed", zap.String("big", huge))
	ev := rec.OnlyEvent()
	b := ev.Event.Breadcrumbs[0]
	const breadcrumbValueBytes, eventValueBytes = 1 << 10, 16 << 10 // the documented defaults
	if len(b.Message) > breadcrumbValueBytes+len("…") || !strings.HasSuffix(b.Message, "…") {
		t.Errorf("breadcrumb message is %d bytes", len(b.Message))
	}
	if s, _ := b.Data["big"].(string); len(s) > breadcrumbValueBytes+len("…") || !utf8.ValidString(s) {
		t.Errorf("breadcrumb value is %d bytes", len(s))
	}
	if s, _ := b.Data["bad"].(string); !utf8.ValidString(s) || !strings.Contains(s, "a") {
		t.Errorf("invalid UTF-8 = %q", s)
	}
	if s, _ := b.Data["ch"].(string); !strings.HasPrefix(s, "!UNENCODABLE chan int") {
		t.Errorf("channel = %#v", b.Data["ch"])
	}
	if s, _ := b.Data["cyclic"].(string); !strings.HasPrefix(s, "!UNENCODABLE") {
		t.Errorf("cyclic = %#v", b.Data["cyclic"])
	}
	if s, _ := ev.Contexts["log"]["big"].(string); len(s) > eventValueBytes+len("…") || len(s) < eventValueBytes/2 {
		t.Errorf("event value is %d bytes", len(s))
	}
}

type node struct{ Next *node }

func cyclic() *node {
	n := &node{}
	n.Next = n
	return n
}

package slogsentry_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

type panicValuer struct{}

func (panicValuer) LogValue() slog.Value { panic("valuer exploded") }

type panicStringer struct{}

func (panicStringer) String() string { panic("stringer exploded") }

type panicError struct{}

func (panicError) Error() string { panic("error exploded") }

type nilErr struct{ msg string }

func (e *nilErr) Error() string { return e.msg } // panics on a nil receiver

type loop struct{ Self *loop }

func TestBadInputNeverPanics(t *testing.T) {
	logger, rec := newLogger(t, nil, slogsentry.Options{})
	ctx := logcrumbs.NewContext(context.Background())
	var typedNil *nilErr
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	l := &loop{}
	l.Self = l
	huge := strings.Repeat("x", 10<<20)
	logger.InfoContext(ctx, "bad values",
		"valuer", panicValuer{},
		"stringer", panicStringer{},
		"error", panicError{},
		"nil", nil,
		"typednil", typedNil,
		"cyclic", cyclic,
		"loop", l,
		"nan", math.NaN(), "inf", math.Inf(-1),
		"utf8", "bad \xff\xfe bytes",
		"bad\xffkey", 1,
		"huge", huge,
		"chan", make(chan int),
	)
	logger.ErrorContext(ctx, "huge message "+huge, "err", typedNil)

	ev := rec.OnlyEvent()
	if len(ev.Exception) != 0 {
		t.Errorf("a typed-nil error became an exception: %+v", ev.Exception)
	}
	if len(ev.Message) > 16<<10+4 || !strings.HasSuffix(ev.Message, "…") {
		t.Errorf("event message is %d bytes and not marked as cut", len(ev.Message))
	}
	d := ev.Event.Breadcrumbs[0].Data
	for key, want := range map[string]string{
		"valuer":   "!PANIC in slogsentry_test.panicValuer.LogValue: valuer exploded",
		"stringer": "!PANIC in slogsentry_test.panicStringer.String: stringer exploded",
		"error":    "!PANIC in slogsentry_test.panicError.Error: error exploded",
		"typednil": "<nil>", // as slog's handlers write it
		"cyclic":   "!UNENCODABLE map[string]interface {}",
		"loop":     "!UNENCODABLE *slogsentry_test.loop",
		"chan":     "!UNENCODABLE chan int",
		"nan":      "NaN",
		"inf":      "-Inf",
		"utf8":     "bad \uFFFD bytes",
	} {
		got, _ := d[key].(string)
		if !strings.HasPrefix(got, want) {
			t.Errorf("%s = %q, want prefix %q", key, got, want)
		}
	}
	if d["nil"] != nil {
		t.Errorf("nil = %v", d["nil"])
	}
	if _, ok := d["bad\uFFFDkey"]; !ok {
		t.Errorf("invalid UTF-8 key not repaired: %v", d)
	}
	if h, _ := d["huge"].(string); len(h) > 1024 || !utf8.ValidString(h) || !strings.HasSuffix(h, "…") {
		t.Errorf("huge value kept %d bytes", len(h))
	}
	if _, err := json.Marshal(ev); err != nil {
		t.Fatalf("event does not encode: %v", err)
	}
}

// TestCopiedAtLogTime: a value changed after it was logged shows in the
// breadcrumb as it was when logged.
func TestCopiedAtLogTime(t *testing.T) {
	logger, rec := newLogger(t, nil, slogsentry.Options{})
	ctx := logcrumbs.NewContext(context.Background())
	buf := []byte("before")
	m := map[string]int{"n": 1}
	logger.InfoContext(ctx, "state", "buf", buf, "m", m)
	copy(buf, "AFTER!")
	m["n"] = 2
	logger.ErrorContext(ctx, "boom", "err", errors.New("x"))
	d := rec.OnlyEvent().Event.Breadcrumbs[0].Data
	if d["buf"] != "before" {
		t.Errorf("buf = %v", d["buf"])
	}
	if mm, _ := d["m"].(map[string]any); mm["n"] != json.Number("1") {
		t.Errorf("m = %v", d["m"])
	}
}

package zapsentry_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// The event size promise (options.go: an event is kept under 800 KiB of
// JSON whatever the limits) with values whose JSON is longer than what the
// record stores (times, numbers) and text that escapes to six bytes a byte.

type times struct{ n int }

const keys = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

var at = time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC)

func (x times) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	for i := range x.n {
		enc.AddTime(keys[i:i+1], at)
	}
	return nil
}

type groups struct{ n, per int }

func (g groups) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	for i := range g.n {
		_ = enc.AddObject(keys[i:i+1], times{g.per})
	}
	return nil
}

func TestEventSizeWithRaisedLimits(t *testing.T) {
	logger, rec := newLogger(t, zapsentry.Options{Options: logcrumbs.Options{EventLimits: logcrumbs.Limits{MaxAttrs: 100000}}}, nil)
	var fields []zap.Field
	for i := range 10 {
		fields = append(fields, zap.Object(keys[i:i+1], groups{58, 62}))
	}
	_, log := zapsentry.WithContext(context.Background(), logger) // a fresh, empty trail
	log.Error("big", fields...)
	ev := rec.OnlyEvent()
	b, _ := json.Marshal(ev)
	t.Logf("event JSON: %d bytes; log context truncated: %v", len(b), ev.Contexts["log"]["logcrumbs.truncated"])
	if len(b) > 800<<10 {
		t.Errorf("event is %d bytes of JSON (%.2f MiB), over the documented 800 KiB (Sentry refuses over 1 MB)", len(b), float64(len(b))/(1<<20))
	}
}

func TestEventSizeDefaultLimits(t *testing.T) {
	logger, rec := newLogger(t, zapsentry.Options{}, nil)
	_, log := zapsentry.WithContext(context.Background(), logger)
	for range 100 {
		log.Info("m", zap.Object("g", times{62}))
	}
	var fields []zap.Field
	for i := range 7 {
		fields = append(fields, zap.Object(keys[i:i+1], times{62}))
	}
	filler := make([]byte, 16<<10-8)
	for i := range filler {
		filler[i] = 1 // a control character: 6 bytes of JSON
	}
	for i := range 6 {
		fields = append(fields, zap.ByteString(fmt.Sprint("f", i), filler))
	}
	fields = append(fields, zap.ByteString("f6", filler[:8000]))
	log.Error("big", append(fields, zap.Error(errors.New("x")))...)
	ev := rec.OnlyEvent()
	b, _ := json.Marshal(ev)
	t.Logf("event JSON: %d bytes, %d breadcrumbs, logcrumbs context %v", len(b), len(ev.Event.Breadcrumbs), ev.Contexts["logcrumbs"])
	if len(b) > 800<<10 {
		t.Errorf("event is %d bytes of JSON with the default limits, over the documented 800 KiB", len(b))
	}
}

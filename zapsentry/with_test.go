package zapsentry_test

import (
	"sync"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

type mutable struct{ v string }

func (m *mutable) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddString("v", m.v)
	return nil
}

// TestWithFieldsCopiedAtWith: fields given to With are copied when With is
// called, as zap's encoders copy them: an event shows what the breadcrumb
// and the user's output show, not a later value.
func TestWithFieldsCopiedAtWith(t *testing.T) {
	logger, rec := newLogger(t, zapsentry.Options{}, nil)
	m := &mutable{v: "at With"}
	log := logger.With(zap.Object("state", m))
	m.v = "changed after With"
	log.Info("crumb")
	log.Error("failed")
	ev := rec.OnlyEvent()
	if got := ev.Contexts["log"]["state"].(map[string]any)["v"]; got != "at With" {
		t.Errorf("event log.state.v = %q, want the value at With", got)
	}
}

// TestWithFieldsNotRaced: the program may change a map it gave to With while
// the logger logs errors: under -race this fails if an event reads it again.
func TestWithFieldsNotRaced(t *testing.T) {
	logger, _ := newLogger(t, zapsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}, nil)
	state := map[string]int{"n": 0}
	log := logger.With(zap.Any("state", state))
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 100 {
			state["n"] = i
		}
	})
	for range 100 {
		log.Error("failed")
	}
	wg.Wait()
}

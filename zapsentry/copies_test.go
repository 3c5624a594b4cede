package zapsentry_test

import (
	"context"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// logsWhenRead is a field value whose method logs through a logger of the
// same trail, as a program's String or MarshalLogObject may.
type logsWhenRead struct{ log *zap.Logger }

func (l logsWhenRead) String() string { l.log.Info("inside String"); return "read" }

func (l logsWhenRead) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	l.log.Info("inside MarshalLogObject")
	enc.AddString("v", "read")
	return nil
}

// TestFieldMethodMayLogToItsTrail: a record whose fields are all plain is
// filled under its trail's lock (core.Encoder.Copies); one with a field
// whose method runs (a Stringer, an ObjectMarshaler) is not, so that the
// method may log to the same trail. Were it filled under the lock, the
// inner log call would wait for that lock for ever.
func TestFieldMethodMayLogToItsTrail(t *testing.T) {
	rec := logcrumbstest.New(t)
	log := zap.New(zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}})).With(zapsentry.Context(logcrumbs.NewContext(context.Background())))
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 2 * logcrumbs.DefaultCapacity { // the ring full: records filled in place
			log.Info("plain", zap.String("k", "v"), zap.Int("n", 1))
		}
		log.Info("stringer", zap.String("k", "v"), zap.Stringer("s", logsWhenRead{log}))
		log.Info("object", zap.Object("o", logsWhenRead{log}))
		log.Error("failed")
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("a log call inside a field's method did not return: its record was filled under the trail's lock")
	}
	data := map[string]map[string]any{}
	for _, c := range rec.OnlyEvent().Breadcrumbs() {
		data[c.Message] = c.Data
	}
	for _, m := range []string{"inside String", "stringer", "inside MarshalLogObject", "object"} {
		if _, ok := data[m]; !ok {
			t.Errorf("no breadcrumb %q", m)
		}
	}
	if s := data["stringer"]["s"]; s != "read" {
		t.Errorf("stringer's breadcrumb s = %v, want read", s)
	}
}

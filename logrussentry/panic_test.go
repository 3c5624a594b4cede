package logrussentry_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"
)

// TestRecoveredPanicEntryAsFieldReadsAsItsMessage: the value a program
// recovers after a Panic entry is the *logrus.Entry logrus panics with;
// logged back as a field, as logrus code does (log.WithField("panic",
// r).Error("recovered"), grpc-ecosystem's logrus recovery), it shows the
// entry's message, as Middleware and RunJob read that panic. On 0e39369 it
// showed "!UNENCODABLE *logrus.Entry: json: unsupported type: func(int)"
// (its Logger's ExitFunc), nothing of the panic.
func TestRecoveredPanicEntryAsFieldReadsAsItsMessage(t *testing.T) {
	l, rec := newLogger(t, nil, nil)
	log := l.WithContext(rec.Context(context.Background()))
	var recovered any
	func() {
		defer func() { recovered = recover() }()
		log.WithField("password", "hunter2").Panic("invariant broken")
	}()
	if _, ok := recovered.(*logrus.Entry); !ok {
		t.Fatalf("logrus panicked with %T, want *logrus.Entry", recovered)
	}
	var none *logrus.Entry
	log.WithField("panic", recovered).WithField("none", none).Info("recovered once")
	log.WithField("panic", recovered).Error("recovered")
	evs := rec.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events, want the Panic entry's and the Error's", len(evs))
	}
	ev := evs[1]
	if got := ev.LogContext()["panic"]; got != "invariant broken" {
		t.Errorf("event's panic = %q, want the entry's message", got)
	}
	var crumb map[string]any
	for _, b := range ev.Breadcrumbs() {
		if b.Message == "recovered once" {
			crumb = b.Data
		}
	}
	if crumb["panic"] != "invariant broken" || crumb["none"] != nil {
		t.Errorf("breadcrumb's data %v, want the entry's message and a null", crumb)
	}
	if b, _ := json.Marshal(ev.Event); strings.Contains(string(b), "hunter2") {
		t.Errorf("the event shows the entry's Data unscrubbed")
	}
}

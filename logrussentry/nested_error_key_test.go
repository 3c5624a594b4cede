package logrussentry_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"
)

// TestNestedErrorKeyInKeyOrder: fields are copied in key order, the
// entry's own logrus.ErrorKey (WithError's) first; a nested field named
// "error" is no WithError and takes its place in its map's key order, so
// that the errors of a nested map make the event's exceptions in the
// order of their keys, whatever their names.
func TestNestedErrorKeyInKeyOrder(t *testing.T) {
	logger, rec := newLogger(t, nil, nil)
	ctx := rec.Context(context.Background())
	logger.WithContext(ctx).WithField("req", logrus.Fields{
		"error": errors.New("under error"),
		"cause": errors.New("under cause"),
	}).Error("failed")
	var got []string
	for _, ex := range rec.OnlyEvent().Exceptions() {
		if ex.Type == "*errors.errorString" {
			got = append(got, ex.Value)
		}
	}
	if want := "under cause|under error"; strings.Join(got, "|") != want {
		t.Errorf("exceptions %q, want %q: the nested map's errors in key order", got, want)
	}
}

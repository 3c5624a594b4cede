package conformance

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// ErrorOfWith: an error given to the logger's With (slog's With, zap's
// With, zerolog's With().Fields, logrus' WithError/WithField, logr's
// WithValues) is the exception of the logger's error records, as the
// error of the call itself is, and capture-once holds for it: the same
// error logged again, wrapped, by an upper layer is no second event.
func testErrorOfWith(t *testing.T, d Driver) {
	if d.TextErrors {
		t.Skip("text errors: only the logger's own error field is read")
	}
	logger, rec := newLogger(t, d, nil)
	ctx := rec.Context(context.Background())
	// Texts of this test's own: zerolog's ErrorMarshalFunc finds an error
	// by its text among those written lately, by other drivers' cases too.
	inner := errors.New("disk full " + t.Name())
	err := fmt.Errorf("save: %w", inner)
	logger.With(Field{"err", err}).Bind(ctx).Log(Error, "save failed")
	ev := one(t, rec)
	if len(ev.Exception) == 0 {
		t.Fatalf("the With error is no exception: %q is a message event", ev.Message)
	}
	if ex := ev.Exceptions(); len(ex) != 2 || ex[0].Type != "*fmt.wrapError" || ex[0].Value != err.Error() || ex[1].Value != inner.Error() {
		t.Errorf("exceptions %+v, want %q (*fmt.wrapError) wrapping %q", ex, err, inner)
	}
	if st := ev.Exception[len(ev.Exception)-1].Stacktrace; st == nil || len(st.Frames) == 0 {
		t.Error("the outermost exception has no stack trace")
	} else {
		checkTopFrame(t, st)
	}
	logger.Bind(ctx).Log(Error, "request failed", Field{"err", fmt.Errorf("h: %w", err)})
	if n := len(rec.Events()); n != 1 {
		t.Errorf("the With error logged again, wrapped: %d events, want 1", n)
	}
}

// UserGatedInBreadcrumbs: the user group of a breadcrumb, logged with the
// record or through With, keeps only its id when the client does not
// collect user info, as an event's user does: its email is never sent.
func testUserGatedInBreadcrumbs(t *testing.T, d Driver) {
	logger, rec := newLogger(t, d, nil)
	log := logger.Bind(rec.Context(context.Background()))
	user := Field{"user", Group{{"id", "u-7"}, {"email", "bob@example.com"}, {"ip_address", "10.1.2.3"}}}
	log.Log(Info, "own", user)
	log.With(user).Log(Info, "with")
	log.Log(Error, "failed", Field{"err", errors.New("boom " + t.Name())})
	ev := one(t, rec)
	bs := ev.Breadcrumbs()
	if len(bs) != 2 {
		t.Fatalf("%d breadcrumbs, want 2", len(bs))
	}
	for _, b := range bs {
		got := js(b.Data)
		if strings.Contains(got, "bob@example.com") || strings.Contains(got, "10.1.2.3") {
			t.Errorf("breadcrumb %q sends gated user data: %s", b.Message, got)
		}
		if !strings.Contains(got, "u-7") {
			t.Errorf("breadcrumb %q lost the user's id: %s", b.Message, got)
		}
	}
}

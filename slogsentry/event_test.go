package slogsentry_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

func TestTagsContextsUserFingerprint(t *testing.T) {
	logger, rec := newLogger(t, nil, slogsentry.Options{Options: logcrumbs.Options{
		TagKeys:        []string{"route", "http.status", "missing"},
		FingerprintKey: "fp",
	}})
	logger.With("route", "/users/:id").WithGroup("http").With("status", 500).Error("failed",
		"err", errors.New("x"),
		slog.Group("user", "id", "42", "email", "a@example.com", "plan", "pro"),
		"fp", "users-timeout")
	ev := rec.OnlyEvent()
	if ev.Tags["route"] != "/users/:id" || ev.Tags["http.status"] != "500" || len(ev.Tags) != 2 {
		t.Errorf("tags = %v", ev.Tags)
	}
	logCtx := ev.Contexts["log"]
	if logCtx["route"] != "/users/:id" {
		t.Errorf("log context lacks the tagged attribute: %v", logCtx)
	}
	http, _ := logCtx["http"].(map[string]any)
	if http["status"] != int64(500) {
		t.Errorf("log context http = %v", logCtx["http"])
	}
	// Record attributes sit inside the handler's open group: http.user.
	if ev.User.ID != "" {
		t.Errorf("user filled from a group that is not at the top level: %+v", ev.User)
	}
	logger2, tr2 := newLogger(t, nil, slogsentry.Options{Options: logcrumbs.Options{FingerprintKey: "fp"}})
	logger2.Error("failed", slog.Group("user", "id", "42"), "fp", "users-timeout")
	ev = tr2.OnlyEvent()
	if ev.User.ID != "42" {
		t.Errorf("user = %+v", ev.User)
	}
	if _, ok := ev.Contexts["log"]["user"]; ok {
		t.Error("user group is also in the log context")
	}
	if len(ev.Fingerprint) != 1 || ev.Fingerprint[0] != "users-timeout" {
		t.Errorf("fingerprint = %v", ev.Fingerprint)
	}
}

// TestUserGroupRespectsUserInfo: the user group's fields other than id reach
// Sentry (in the event's user and in breadcrumbs) only when the client
// collects user info: DataCollection.UserInfo, or the deprecated
// SendDefaultPII it replaces.
func TestUserGroupRespectsUserInfo(t *testing.T) {
	user := slog.Group("user", "id", "42", "email", "a@example.com", "ip_address", "10.1.2.3", "plan", "pro")
	for _, tc := range []struct {
		name      string
		configure func(*sentry.ClientOptions)
		all       bool
	}{
		{"default", nil, false},
		{"UserInfo off", func(o *sentry.ClientOptions) { o.DataCollection = &sentry.DataCollection{UserInfo: sentry.Set(false)} }, false},
		{"UserInfo on", func(o *sentry.ClientOptions) { o.DataCollection = &sentry.DataCollection{UserInfo: sentry.Set(true)} }, true},
		{"SendDefaultPII", func(o *sentry.ClientOptions) {
			//lint:ignore SA1019 the deprecated option is still honoured, through DataCollection
			o.SendDefaultPII = true
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := logcrumbstest.New(t, tc.configure)
			hub := rec.Hub()
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: hub}}))
			ctx := logcrumbs.NewContext(context.Background())
			logger.InfoContext(ctx, "signed in", user)
			logger.ErrorContext(ctx, "failed", user, "err", errors.New("x"))
			ev := rec.OnlyEvent()
			want := sentry.User{ID: "42"}
			if tc.all {
				want = sentry.User{ID: "42", Email: "a@example.com", IPAddress: "10.1.2.3", Data: map[string]string{"plan": "pro"}}
			}
			if fmt.Sprint(ev.User) != fmt.Sprint(want) {
				t.Errorf("event user = %+v, want %+v", ev.User, want)
			}
			if len(ev.Event.Breadcrumbs) != 1 {
				t.Fatalf("%d breadcrumbs, want 1", len(ev.Event.Breadcrumbs))
			}
			bu, _ := ev.Event.Breadcrumbs[0].Data["user"].(map[string]any)
			if bu["id"] != "42" || (bu["email"] != nil) != tc.all || (bu["plan"] != nil) != tc.all {
				t.Errorf("breadcrumb user = %v (all fields wanted: %v)", bu, tc.all)
			}
		})
	}
}

// TestUserGatedUnderWithGroup: a user group logged under the logger's
// WithGroup, as the record's attribute or through With, keeps only its id
// in the event's log context, its breadcrumbs and Sentry Logs without user
// info, and does not fill the event's user.
func TestUserGatedUnderWithGroup(t *testing.T) {
	rec := logcrumbstest.New(t)
	ctx := rec.Context(context.Background())
	l := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options(), LogsLevel: slog.LevelInfo})).WithGroup("app")
	user := slog.Group("user", "id", "u1", "email", "bob@example.com")
	l.InfoContext(ctx, "crumb", user)
	l.With(user).InfoContext(ctx, "with")
	l.ErrorContext(ctx, "failed", "err", errors.New("x"), user)
	ev := rec.OnlyEvent()
	if got := fmt.Sprint(ev.LogContext()); got != "map[app:map[err:x user:map[id:u1]]]" {
		t.Errorf("log context %s, want app.user with its id only", got)
	}
	if len(ev.Event.Breadcrumbs) != 2 {
		t.Fatalf("%d breadcrumbs, want 2", len(ev.Event.Breadcrumbs))
	}
	for _, b := range ev.Event.Breadcrumbs {
		if got := fmt.Sprint(b.Data); got != "map[app:map[user:map[id:u1]]]" {
			t.Errorf("breadcrumb %q data %s, want app.user with its id only", b.Message, got)
		}
	}
	if ev.User.ID != "" {
		t.Errorf("user %+v filled from a nested group", ev.User)
	}
	logs := rec.Logs()
	if len(logs) != 3 {
		t.Fatalf("%d logs, want 3", len(logs))
	}
	for _, lg := range logs {
		if _, ok := lg.Attributes["app.user.id"]; !ok {
			t.Errorf("log %q lost app.user.id", lg.Body)
		}
		if v, ok := lg.Attributes["app.user.email"]; ok {
			t.Errorf("log %q sends app.user.email %v", lg.Body, v.AsInterface())
		}
	}
}

type profile struct {
	ID, Email string
}

func (p profile) String() string { return p.ID + " <" + p.Email + ">" }

// TestUserDataGatedInAnyShape: without user info, the user's email leaves
// the process in no shape: a user value that is not a group (a Stringer, a
// struct too big to keep as JSON), a flat "user.email" key, or the group of
// another integration's UserKey in the same trail.
func TestUserDataGatedInAnyShape(t *testing.T) {
	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	customers := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: hub, UserKey: "customer"}}))
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: hub}}))
	ctx := logcrumbs.NewContext(context.Background())
	const email = "ann@example.com"
	logger.InfoContext(ctx, "stringer", "user", profile{"42", email})
	logger.InfoContext(ctx, "big", "user", map[string]any{"id": "42", "email": email, "bio": strings.Repeat("b", 2000)})
	logger.InfoContext(ctx, "flat", "user.id", "42", "user.email", email)
	customers.InfoContext(ctx, "other key", slog.Group("customer", "id", "42", "email", email))
	logger.ErrorContext(ctx, "failed", "err", errors.New("x"), "user.email", email)
	ev := rec.OnlyEvent()
	raw, _ := json.Marshal(ev)
	if strings.Contains(string(raw), email) {
		t.Errorf("the email reached Sentry: %s", raw)
	}
	data := map[string]map[string]any{}
	for _, b := range ev.Event.Breadcrumbs {
		data[b.Message] = b.Data
	}
	if data["stringer"]["user"] != "[Filtered]" || data["flat"]["user.id"] != "42" {
		t.Errorf("breadcrumbs = %v, want the Stringer filtered and the flat id kept", data)
	}
	if c, _ := data["other key"]["customer"].(map[string]any); c["id"] != "42" {
		t.Errorf("customer group = %v, want its id kept", data["other key"]["customer"])
	}
}

func TestErrorsJoinAndSeveralErrors(t *testing.T) {
	logger, rec := newLogger(t, nil, slogsentry.Options{})
	a, b := errors.New("a failed"), errors.New("b failed")
	logger.Error("batch failed", "err", fmt.Errorf("batch: %w", errors.Join(a, b)))
	ev := rec.OnlyEvent()
	var values []string
	for _, ex := range ev.Exception {
		values = append(values, ex.Value)
	}
	got := strings.Join(values, "|")
	for _, want := range []string{"a failed", "b failed", "batch: a failed\nb failed"} {
		if !strings.Contains(got, want) {
			t.Errorf("exceptions %q lack %q", got, want)
		}
	}
	outer := ev.Exception[len(ev.Exception)-1]
	if outer.Mechanism == nil || outer.Mechanism.ExceptionID != 0 {
		t.Errorf("outermost exception mechanism = %+v", outer.Mechanism)
	}

	rec.Reset()
	logger.Error("two errors", "first", a, "second", b)
	ev = rec.OnlyEvent()
	if len(ev.Exception) != 3 {
		t.Fatalf("two error attributes gave %d exceptions, want 3 (both, joined)", len(ev.Exception))
	}
}

func TestHubFromContextWins(t *testing.T) {
	logger, optsTr := newLogger(t, nil, slogsentry.Options{})
	ctxTr := logcrumbstest.New(t)
	ctxHub := ctxTr.Hub()
	ctx := sentry.SetHubOnContext(logcrumbs.NewContext(context.Background()), ctxHub)
	logger.ErrorContext(ctx, "boom")
	if len(optsTr.Events()) != 0 || len(ctxTr.Events()) != 1 {
		t.Fatalf("events: options hub %d, context hub %d; want 0 and 1", len(optsTr.Events()), len(ctxTr.Events()))
	}
}

func TestNoClientKeepsBreadcrumb(t *testing.T) {
	hub := sentry.NewHub(nil, sentry.NewScope())
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: hub}}))
	ctx := logcrumbs.NewContext(context.Background())
	logger.ErrorContext(ctx, "boom", "err", errors.New("x"))
	crumbs := logcrumbs.FromContext(ctx).Breadcrumbs()
	if len(crumbs) != 1 || crumbs[0].Message != "boom" || crumbs[0].Data["err"] != "x" {
		t.Fatalf("breadcrumbs = %+v", crumbs)
	}
}

func TestScopeBreadcrumbsMergedByTimeAndCapped(t *testing.T) {
	rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) { o.MaxBreadcrumbs = 4 })
	hub := rec.Hub()
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{Hub: hub}}))
	ctx := logcrumbs.NewContext(context.Background())
	t0 := time.Now()
	logAt := func(d time.Duration, msg string) {
		r := slog.NewRecord(t0.Add(d), slog.LevelInfo, msg, 0)
		_ = logger.Handler().Handle(ctx, r)
	}
	logAt(1*time.Second, "log-1")
	hub.AddBreadcrumb(&sentry.Breadcrumb{Message: "scope-2", Timestamp: t0.Add(2 * time.Second)}, nil)
	logAt(3*time.Second, "log-3")
	hub.AddBreadcrumb(&sentry.Breadcrumb{Message: "scope-4", Timestamp: t0.Add(4 * time.Second)}, nil)
	logAt(5*time.Second, "log-5")
	r := slog.NewRecord(t0.Add(6*time.Second), slog.LevelError, "boom", 0)
	_ = logger.Handler().Handle(ctx, r)
	var got []string
	for _, b := range rec.OnlyEvent().Event.Breadcrumbs {
		got = append(got, b.Message)
	}
	if want := "log-1,scope-2,log-3,scope-4,log-5"[6:]; strings.Join(got, ",") != want {
		t.Fatalf("breadcrumbs = %v, want %v", got, want)
	}
}

func TestDebugKeptWhenWrappedHandlerFilters(t *testing.T) {
	var lines strings.Builder
	next := slog.NewTextHandler(&lines, &slog.HandlerOptions{Level: slog.LevelWarn})
	logger, rec := newLogger(t, next, slogsentry.Options{})
	ctx := logcrumbs.NewContext(context.Background())
	logger.DebugContext(ctx, "cache miss")
	logger.InfoContext(ctx, "fetched")
	logger.ErrorContext(ctx, "boom")
	if n := len(rec.OnlyEvent().Event.Breadcrumbs); n != 2 {
		t.Fatalf("event has %d breadcrumbs, want 2 (debug and info)", n)
	}
	if out := lines.String(); strings.Contains(out, "cache miss") || strings.Contains(out, "fetched") || !strings.Contains(out, "boom") {
		t.Fatalf("wrapped handler output = %q", out)
	}

	// Below every level in use, the handler is not enabled at all.
	quiet := slogsentry.NewHandler(next, slogsentry.Options{BreadcrumbLevel: slog.LevelInfo})
	if quiet.Enabled(ctx, slog.LevelDebug) {
		t.Fatal("handler enabled below both its own and the wrapped handler's level")
	}
}

// TestSameErrorTwiceIsOneException: an error value that reaches a record
// twice (through the logger's With and the call, or under two keys) is
// one exception, as when it is logged once, not an exception group of it
// and itself: Sentry would title and group the event by the group, apart
// from the same error logged once.
func TestSameErrorTwiceIsOneException(t *testing.T) {
	err := fmt.Errorf("save: %w", errors.New("disk full"))
	shape := func(log func(*slog.Logger, context.Context)) string {
		logger, rec := newLogger(t, nil, slogsentry.Options{})
		log(logger, rec.Context(context.Background()))
		var out []string
		for _, ex := range rec.OnlyEvent().Exception {
			out = append(out, ex.Type+": "+ex.Value)
		}
		return strings.Join(out, " | ")
	}
	want := shape(func(l *slog.Logger, ctx context.Context) { l.ErrorContext(ctx, "failed", "err", err) })
	for name, log := range map[string]func(*slog.Logger, context.Context){
		"With and call": func(l *slog.Logger, ctx context.Context) { l.With("err", err).ErrorContext(ctx, "failed", "err", err) },
		"two keys":      func(l *slog.Logger, ctx context.Context) { l.ErrorContext(ctx, "failed", "err", err, "cause", err) },
		"in a group": func(l *slog.Logger, ctx context.Context) {
			l.ErrorContext(ctx, "failed", "err", err, slog.Group("req", "err", err))
		},
	} {
		if got := shape(log); got != want {
			t.Errorf("%s: exceptions %q, want %q", name, got, want)
		}
	}
	// An error whose == would panic (a struct holding a slice in an
	// interface) logged twice is not compared: both are kept.
	bad := valueErr{[]int{1}}
	got := shape(func(l *slog.Logger, ctx context.Context) { l.ErrorContext(ctx, "failed", "a", bad, "b", bad) })
	if !strings.Contains(got, "joinError") {
		t.Errorf("uncomparable error logged twice: exceptions %q, want both, joined", got)
	}
}

// valueErr is an error by value whose == panics when v holds a slice.
type valueErr struct{ v any }

func (e valueErr) Error() string { return fmt.Sprint(e.v) }

// hostErr is an error by value, as crypto/x509's HostnameError and
// CertificateInvalidError are: a struct whose == does not panic.
type hostErr struct {
	host string
	code int
}

func (e hostErr) Error() string { return fmt.Sprintf("host %s: code %d", e.host, e.code) }

// aggregateErr is a slice of errors that is an error, as Kubernetes'
// utilerrors.Aggregate is: uncomparable, but one value when it is the same
// slice.
type aggregateErr []error

func (a aggregateErr) Error() string { return errors.Join(a...).Error() }

// TestSameValueErrorTwiceIsOneException: TestSameErrorTwiceIsOneException
// for errors that are no pointers: a struct error by value (x509's) and a
// slice of errors (Kubernetes' Aggregate), logged twice, are one
// exception, not an exception group of themselves; two different values
// of either stay two.
func TestSameValueErrorTwiceIsOneException(t *testing.T) {
	shape := func(a, b error) string {
		logger, rec := newLogger(t, nil, slogsentry.Options{})
		logger.With("err", a).ErrorContext(rec.Context(context.Background()), "failed", "err", b)
		var out []string
		for _, ex := range rec.OnlyEvent().Exception {
			out = append(out, ex.Type)
		}
		return strings.Join(out, " | ")
	}
	host := hostErr{"example.com", 3}
	agg := aggregateErr{errors.New("a"), errors.New("b")}
	for name, c := range map[string]struct {
		a, b  error
		group bool
	}{
		"struct twice":        {host, host, false},
		"equal structs":       {host, hostErr{"example.com", 3}, false},
		"two structs":         {host, hostErr{"example.org", 3}, true},
		"slice twice":         {agg, agg, false},
		"two slices":          {agg, aggregateErr{agg[0], agg[1]}, true},
		"a slice and its end": {agg, agg[:1], true},
	} {
		if got := shape(c.a, c.b); strings.Contains(got, "joinError") != c.group {
			t.Errorf("%s: exceptions %q, want a group: %v", name, got, c.group)
		}
	}
}

package crosstest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	sentryhttp "github.com/getsentry/sentry-go/http"
	"github.com/rs/zerolog"
	"go.uber.org/zap"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/e2e"
	"github.com/logcrumbs/logcrumbs/slogsentry"
	"github.com/logcrumbs/logcrumbs/zapsentry"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestEndToEndUnitsOfWork sends through sentry-go's real HTTP transport to a
// real Sentry receiver: a request that panics, two overlapping requests, and
// a job with a child trail, each event with exactly its own trail.
func TestEndToEndUnitsOfWork(t *testing.T) {
	r := e2e.Start(t)
	hub := r.Hub(t)
	logger := slog.New(slogsentry.NewHandler(nil, noDedupe))
	var inFlight, proceed sync.WaitGroup
	inFlight.Add(2)
	proceed.Add(1)
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		logger.InfoContext(ctx, "start "+r.URL.Path)
		switch r.URL.Path {
		case "/panic":
			panic("index out of range")
		case "/job":
			_ = logcrumbs.RunJob(ctx, "receipt", logcrumbs.JobOptions{Child: true}, func(ctx context.Context) error {
				logger.InfoContext(ctx, "rendering")
				logger.ErrorContext(ctx, "job failed")
				return nil
			})
		default:
			inFlight.Done()
			proceed.Wait()
			logger.ErrorContext(ctx, "failed "+r.URL.Path)
		}
	})
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}, Recover: true})(app)
	do := func(path string) { h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil)) }

	var wg sync.WaitGroup
	for _, p := range []string{"/a", "/b"} {
		wg.Add(1)
		go func() { defer wg.Done(); do(p) }()
	}
	inFlight.Wait()
	proceed.Done()
	wg.Wait()
	do("/panic")
	do("/job")

	if !hub.Flush(5 * time.Second) {
		t.Fatal("flush timed out")
	}
	r.WaitReports(t, 4)
	time.Sleep(200 * time.Millisecond) // a fifth, duplicate event would arrive now
	reports := r.Reports(t)
	if len(reports) != 4 {
		t.Fatalf("%d events, want 4", len(reports))
	}
	want := map[string]string{
		"failed /a": "start /a",
		"failed /b": "start /b",
		"panic in GET /panic: index out of range": "start /panic",
		"job failed": "start /job,rendering",
	}
	for _, rep := range reports {
		ev := rep.Event
		var got []string
		for _, b := range ev.Breadcrumbs {
			got = append(got, b.Message)
		}
		w, ok := want[ev.Message]
		if !ok {
			t.Errorf("unexpected event %q", ev.Message)
			continue
		}
		if strings.Join(got, ",") != w {
			t.Errorf("%q: breadcrumbs %v, want %s", ev.Message, got, w)
		}
		if ev.Message == "panic in GET /panic: index out of range" &&
			(ev.Level != "fatal" || len(ev.Exception) != 1 || ev.Exception[0].Type != "panic") {
			t.Errorf("panic event = %s %+v", ev.Level, ev.Exception)
		}
	}
}

// TestEndToEndHotLoopAndShutdown: 10,000 records of one error from one line
// reach the real receiver as a handful of events whose repeat counts add up;
// an event logged just before Flush arrives.
func TestEndToEndHotLoopAndShutdown(t *testing.T) {
	const n, window = 10000, 200 * time.Millisecond
	r := e2e.Start(t)
	hub := r.Hub(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{
		Options: logcrumbs.Options{Hub: hub, DedupeWindow: window},
	}))
	ctx := logcrumbs.NewContext(context.Background())
	start := time.Now()
	for i := range n {
		logger.ErrorContext(ctx, "poll failed", "err", fmt.Errorf("poll %d: %w", i, errors.New("timeout")))
		if i > 0 && i%2500 == 0 {
			time.Sleep(250 * time.Millisecond) // let the window pass: a new event
		}
	}
	elapsed := time.Since(start)
	logger.ErrorContext(ctx, "last words", "err", errors.New("shutting down"))
	if !logcrumbs.Flush(5 * time.Second) {
		t.Fatal("Flush timed out")
	}
	// No waiting here: Flush returned, so everything must have arrived.
	reports := r.Reports(t)
	events, repeats, lastWords := 0, 0, false
	var polls, summaries []e2e.Event
	for _, rep := range reports {
		switch {
		case rep.Event.Message == "last words":
			lastWords = true
		default:
			events++
			var c struct{ Repeats int }
			_ = json.Unmarshal(rep.Event.Contexts["logcrumbs"], &c)
			repeats += c.Repeats
			if rep.Event.Tags["logcrumbs.summary"] == "true" {
				summaries = append(summaries, rep.Event)
			} else {
				polls = append(polls, rep.Event)
			}
		}
	}
	if !lastWords {
		t.Error("the event logged just before Flush did not arrive")
	}
	// At least one event per window the sleeps let pass, and at most one per
	// window the loop lasted (a loaded machine, or the race detector, makes
	// it outlast more windows), the first, and Flush's summary.
	most := int(elapsed/window) + 2
	if events < 4 || events > most || events+repeats-1 != n { // -1: Flush's summary is no record
		t.Errorf("%d events (want 4 to %d: the loop took %v) with %d repeats for %d records", events, most, elapsed, repeats, n)
	}
	// The summary is of the same issue as the last event of the loop: the
	// same message, exception chain and stack.
	if len(summaries) != 1 {
		t.Fatalf("%d summaries, want 1", len(summaries))
	}
	sum := summaries[0]
	for _, p := range polls {
		if len(p.Exception) > 0 && len(sum.Exception) > 0 && p.Exception[len(p.Exception)-1].Value == sum.Exception[len(sum.Exception)-1].Value {
			sameIssueReceived(t, "poll failed", p, sum)
			return
		}
	}
	t.Errorf("the summary %q %+v repeats none of the events sent", sum.Message, sum.Exception)
}

// TestEndToEndTrailOnEveryEvent: through the real receiver, a panic
// sentryhttp recovers inside the logcrumbs middleware and an error captured
// by hand both carry the request's trail, and an error captured by hand and
// logged (in either order), or logged and then panicked with, is one event.
func TestEndToEndTrailOnEveryEvent(t *testing.T) {
	r := e2e.Start(t)
	hub := r.Hub(t)
	logger := slog.New(slogsentry.NewHandler(nil, noDedupe))
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		logger.InfoContext(ctx, "start "+r.URL.Path)
		h := sentry.GetHubFromContext(ctx)
		switch r.URL.Path {
		case "/panic":
			panic("kaput")
		case "/manual":
			h.CaptureException(errors.New("captured by hand"))
		case "/captured-then-logged":
			err := errors.New("first by hand")
			h.CaptureException(err)
			logger.ErrorContext(ctx, "then logged", "err", fmt.Errorf("wrapped: %w", err))
		case "/logged-then-captured":
			err := errors.New("first logged")
			logger.ErrorContext(ctx, "logged", "err", fmt.Errorf("wrapped: %w", err))
			h.CaptureException(err)
		case "/logged-then-panicked": // sentryhttp recovers the panic: one event
			err := errors.New("logged, then panicked with")
			logger.ErrorContext(ctx, "logged before the panic", "err", err)
			panic(err)
		}
	})
	h := logcrumbs.Middleware(logcrumbs.MiddlewareOptions{Options: logcrumbs.Options{Hub: hub}, Recover: true})(
		sentryhttp.New(sentryhttp.Options{Repanic: true}).Handle(app))
	paths := []string{"/panic", "/manual", "/captured-then-logged", "/logged-then-captured", "/logged-then-panicked"}
	for _, p := range paths {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", p, nil))
	}
	if !hub.Flush(5 * time.Second) {
		t.Fatal("flush timed out")
	}
	r.WaitReports(t, len(paths))
	time.Sleep(200 * time.Millisecond)
	reports := r.Reports(t)
	if len(reports) != len(paths) {
		var got []string
		for _, rep := range reports {
			got = append(got, rep.Event.Message)
		}
		t.Fatalf("%d events %q, want %d (one per request)", len(reports), got, len(paths))
	}
	for _, rep := range reports {
		ev := rep.Event
		if len(ev.Breadcrumbs) == 0 || !strings.HasPrefix(ev.Breadcrumbs[0].Message, "start /") {
			t.Errorf("event %q (%v) has no request trail: %+v", ev.Message, ev.Exception, ev.Breadcrumbs)
		}
	}
}

// TestEndToEndSecretsNeverLeave logs records full of secrets through all
// three loggers, as breadcrumbs, events, tags and Sentry Logs, and checks
// that none of the secret values is anywhere in what the receiver got.
func TestEndToEndSecretsNeverLeave(t *testing.T) {
	r := e2e.Start(t)
	hub := r.Hub(t)
	opts := logcrumbs.Options{Hub: hub, DedupeWindow: -1, TagKeys: []string{"api_key", "user_id"}, PassThroughLevel: sentry.LevelInfo}
	secrets := []string{"hunter2", "sk_live_123", "Bearer abc.def", "sess-777", "tok-zap", "pw-zerolog", "cookie-v", "pk-nested",
		"ann@example.com",                                       // a user's email, which only SendDefaultPII would send
		"url-pw", "url-tok", "url-key", "url-sig", "url-nested"} // in URLs under innocent keys
	ctx := logcrumbs.Bind(context.Background(), hub.Clone())

	sl := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	sl.InfoContext(ctx, "login", "user_id", "u1", "password", secrets[0], "api_key", secrets[1],
		slog.Group("http", "Authorization", secrets[2], "Set-Cookie", secrets[6]), slog.Group("user", "id", "u1", "email", secrets[8]),
		"callback", "https://bob:url-pw@idp.example/oauth/cb?access_token=url-tok&state=s1")
	sl.ErrorContext(ctx, "login failed", "err", errors.New("denied"), "session_id", secrets[3],
		"config", map[string]any{"db": map[string]any{"private_key": secrets[7]}}, "api_key", secrets[1],
		slog.Group("upstream", "url", "https://api.example/v2/charge?api_key=url-key&page=2"))

	_, zl := zapsentry.WithContext(ctx, zap.New(zapsentry.NewCore(zapsentry.Options{Options: opts})))
	zl.Info("zap step", zap.String("access_token", secrets[4]), zap.String("download", "https://files.example/r.pdf?X-Amz-Signature=url-sig"))
	zl.Error("zap failed", zap.Error(errors.New("zap error")), zap.Dict("user", zap.String("id", "u1"), zap.String("email", secrets[8])),
		zap.Namespace("auth"), zap.String("token", secrets[4]))

	zero := zerolog.New(io.Discard).Hook(zerologsentry.NewHook(zerologsentry.Options{Options: opts})).With().Ctx(ctx).Logger()
	zero.Info().Dict("creds", zerolog.Dict().Str("passwd", secrets[5])).Interface("form", url.Values{"password": {"url-nested"}, "next": {"/home"}}).Msg("zerolog step")
	zero.Error().Str("client_secret", secrets[5]).Dict("user", zerolog.Dict().Str("id", "u1").Str("email", secrets[8])).Msg("zerolog failed")

	sentry.GetHubFromContext(ctx).CaptureException(errors.New("captured by hand")) // carries the trail

	if !logcrumbs.Flush(5 * time.Second) {
		t.Fatal("flush timed out")
	}
	r.WaitReports(t, 4)
	raw := string(r.Raw(t))
	for _, s := range secrets {
		if strings.Contains(raw, s) {
			t.Errorf("secret %q reached Sentry", s)
		}
	}
	if !strings.Contains(raw, "[Filtered]") || !strings.Contains(raw, `"user_id":"u1"`) || !strings.Contains(raw, `"user":{"id":"u1"}`) {
		t.Errorf("the events lost what is not secret too:\n%.2000s", raw)
	}
	// The URLs stay readable: host, path and the other parameters are sent
	// (as a breadcrumb, the event's attributes and a Sentry log).
	for _, kept := range []string{"https://bob:[Filtered]@idp.example/oauth/cb?access_token=[Filtered]", "state=s1",
		"https://api.example/v2/charge?api_key=[Filtered]", "page=2", "https://files.example/r.pdf?X-Amz-Signature=[Filtered]", "/home"} {
		if !strings.Contains(strings.ReplaceAll(raw, `\u0026`, "&"), kept) {
			t.Errorf("%q is not in what Sentry received:\n%.3000s", kept, raw)
		}
	}
}

// TestEndToEndRepeatsJoinTheirIssue: through the real receiver, the summary
// Flush sends for an event's pending repeats carries what Sentry groups the
// event on, as received: the fingerprint, the exception chain (types,
// values, mechanisms, stack frames), and for a message event its message
// and stack. The summary is built from the sent event in the shared event
// path (internal/escalate), whichever logger logged it: slog proves it here
// (TestRepeatsSummaryJoinsItsIssue checks every logger in memory).
func TestEndToEndRepeatsJoinTheirIssue(t *testing.T) {
	r := e2e.Start(t)
	hub := r.Hub(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{
		Options: logcrumbs.Options{Hub: hub, DedupeWindow: time.Minute, FingerprintKey: "fp"},
	}))
	for i := range 200 {
		ctx := logcrumbs.NewContext(context.Background())
		logger.InfoContext(ctx, "request started", "n", i)
		logger.ErrorContext(ctx, "query failed", "err", fmt.Errorf("query: %w", errDown))
		if i < 50 {
			logger.WarnContext(ctx, "slow")
			logger.ErrorContext(ctx, "cache gone") // a message event
			logger.ErrorContext(ctx, "grouped by hand", "fp", []any{"cache", "gone"})
		}
	}
	if !logcrumbs.Flush(5 * time.Second) {
		t.Fatal("Flush timed out")
	}
	r.WaitReports(t, 6)
	time.Sleep(200 * time.Millisecond) // a seventh event would arrive now
	reports := r.Reports(t)
	if len(reports) != 6 {
		t.Fatalf("%d events, want 3 and a summary of each", len(reports))
	}
	sent, summaries := map[string]e2e.Event{}, map[string]e2e.Event{}
	for _, rep := range reports {
		if rep.Event.Tags["logcrumbs.summary"] == "true" {
			summaries[rep.Event.Message] = rep.Event
		} else {
			sent[rep.Event.Message] = rep.Event
		}
	}
	for msg, want := range map[string]int{"query failed": 199, "cache gone": 49, "grouped by hand": 49} {
		orig, sum := sent[msg], summaries[msg]
		if orig.Message == "" || sum.Message == "" {
			t.Errorf("%q: want an event and a summary, got %q and %q", msg, orig.Message, sum.Message)
			continue
		}
		var c struct{ Repeats int }
		_ = json.Unmarshal(sum.Contexts["logcrumbs"], &c)
		if c.Repeats != want || len(sum.Breadcrumbs) != 0 {
			t.Errorf("%q: summary of %d repeats with %d breadcrumbs, want %d and none", msg, c.Repeats, len(sum.Breadcrumbs), want)
		}
		switch {
		case msg == "query failed" && (len(orig.Exception) != 2 || orig.Exception[1].Stacktrace == nil || len(orig.Exception[1].Stacktrace.Frames) == 0),
			msg == "cache gone" && (len(orig.Threads) != 1 || orig.Threads[0].Stacktrace == nil || len(orig.Threads[0].Stacktrace.Frames) == 0),
			msg == "grouped by hand" && strings.Join(orig.Fingerprint, ",") != "cache,gone":
			t.Errorf("%q as received lacks what Sentry groups it on: %+v", msg, orig)
		}
		sameIssueReceived(t, msg, orig, sum)
	}
}

// sameIssueReceived checks that the received summary sum carries what
// Sentry groups the received event orig on.
func sameIssueReceived(t *testing.T, msg string, orig, sum e2e.Event) {
	t.Helper()
	if sum.Message != orig.Message || sum.Level != orig.Level || sum.Logger != orig.Logger ||
		strings.Join(sum.Fingerprint, "\x00") != strings.Join(orig.Fingerprint, "\x00") {
		t.Errorf("%q: summary %q %s %s %v, want %q %s %s %v", msg, sum.Message, sum.Level, sum.Logger, sum.Fingerprint,
			orig.Message, orig.Level, orig.Logger, orig.Fingerprint)
	}
	// The exceptions and threads, with their stack frames, mechanisms and
	// in_app flags, as the receiver got them.
	o, _ := json.Marshal([]any{orig.Exception, orig.Threads})
	s, _ := json.Marshal([]any{sum.Exception, sum.Threads})
	if string(o) != string(s) {
		t.Errorf("%q: summary's exceptions and stacks\n%s\nwant\n%s", msg, s, o)
	}
}

package logcrumbs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/getsentry/sentry-go/attribute"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// printedEvent is an event as logcrumbs builds them, with fixed times, so
// that the summary can be compared whole.
func printedEvent() *sentry.Event {
	at := time.Date(2026, 3, 4, 10, 20, 30, 123e6, time.UTC)
	frames := make([]sentry.Frame, 7)
	for i := range frames {
		frames[i] = sentry.Frame{Module: "main", Function: "f" + string(rune('0'+i)), AbsPath: "/src/app/main.go", Lineno: 10 + i}
	}
	ev := sentry.NewEvent()
	ev.Level, ev.Logger, ev.Message, ev.Timestamp = sentry.LevelError, "slog", "checkout failed", at
	ev.Exception = []sentry.Exception{ // innermost first, as sentry-go lists them
		{Type: "*errors.errorString", Value: "out of stock"},
		{Type: "*fmt.wrapError", Value: "reserve: out of stock", Stacktrace: &sentry.Stacktrace{Frames: frames}},
	}
	ev.Request = &sentry.Request{Method: "POST", URL: "http://shop.example/checkout"}
	ev.Tags = map[string]string{"route": "/checkout"}
	ev.User = sentry.User{ID: "u-1"}
	ev.Fingerprint = []string{"checkout"}
	ev.Contexts["log"] = map[string]any{"err": "reserve: out of stock", "user": map[string]any{"id": "u-1"}, "empty": ""}
	ev.Breadcrumbs = []*sentry.Breadcrumb{
		{Level: sentry.LevelInfo, Category: "slog", Message: "request started", Timestamp: at.Add(-20 * time.Millisecond),
			Data: map[string]any{"method": "GET", "n": 3}},
		{Level: sentry.LevelDebug, Category: "zap", Message: "cache miss", Timestamp: at.Add(-5 * time.Millisecond)},
	}
	return ev
}

// TestPrintTransportSummary is the summary's golden output: times, the
// chain outermost first, the top 5 frames innermost first, tags, user,
// fingerprint, the log context and one breadcrumb a line.
func TestPrintTransportSummary(t *testing.T) {
	var out bytes.Buffer
	tr := logcrumbs.PrintTransport(&out, logcrumbs.PrintOptions{})
	tr.SendEvent(printedEvent())
	logs := &sentry.Event{Type: "log", Logs: []sentry.Log{{
		Timestamp: time.Date(2026, 3, 4, 10, 20, 31, 0, time.UTC), Level: sentry.LogLevelInfo, Body: "retrying",
		Attributes: map[string]attribute.Value{"attempt": attribute.IntValue(2), "sentry.sdk.name": attribute.StringValue("sentry.go")},
	}}}
	tr.SendEvent(logs)
	want := `sentry event: 2026-03-04T10:20:30Z error [slog] checkout failed
  exception: *fmt.wrapError: reserve: out of stock
      at main.f6 (main.go:16)
      at main.f5 (main.go:15)
      at main.f4 (main.go:14)
      at main.f3 (main.go:13)
      at main.f2 (main.go:12)
      ... 2 more frames
    caused by: *errors.errorString: out of stock
  request: POST http://shop.example/checkout
  tags: route=/checkout
  user: id=u-1
  fingerprint: checkout
  log: empty="" err="reserve: out of stock" user={"id":"u-1"}
  breadcrumbs (2, oldest first):
    10:20:30.103 info    slog: request started method=GET n=3
    10:20:30.118 debug   zap: cache miss
sentry log: 10:20:31.000 info retrying attempt=2
`
	if got := out.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestPrintTransportAllFramesAndJSON: Frames -1 prints every frame; JSON
// prints the whole event, which decodes back to it.
func TestPrintTransportAllFramesAndJSON(t *testing.T) {
	var out bytes.Buffer
	logcrumbs.PrintTransport(&out, logcrumbs.PrintOptions{Frames: -1, OmitTimes: true}).SendEvent(printedEvent())
	if n := strings.Count(out.String(), "      at "); n != 7 || strings.Contains(out.String(), "more frame") || strings.Contains(out.String(), "2026") {
		t.Errorf("Frames -1, OmitTimes: %d frames printed:\n%s", n, out.String())
	}

	out.Reset()
	logcrumbs.PrintTransport(&out, logcrumbs.PrintOptions{JSON: true}).SendEvent(printedEvent())
	var got struct {
		Message     string
		Breadcrumbs []struct{ Message string }
		Exception   []struct {
			Stacktrace struct{ Frames []any }
		}
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out.String())
	}
	if got.Message != "checkout failed" || len(got.Breadcrumbs) != 2 || len(got.Exception) != 2 || len(got.Exception[1].Stacktrace.Frames) != 7 {
		t.Errorf("JSON event: %+v", got)
	}
}

// TestPrintTransportThroughClient: a client with the transport prints the
// events logcrumbs sends (with the unit's trail and no other's), and the
// Sentry Logs entries of PassThroughLevel, which sentry-go batches and
// hands over at Flush.
func TestPrintTransportThroughClient(t *testing.T) {
	var out bytes.Buffer
	client, err := sentry.NewClient(sentry.ClientOptions{
		Transport: logcrumbs.PrintTransport(&out, logcrumbs.PrintOptions{OmitTimes: true, Frames: 1}),
	})
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: logcrumbs.Options{
		Hub: sentry.NewHub(client, sentry.NewScope()), PassThroughLevel: sentry.LevelInfo,
	}}))
	other := logcrumbs.NewContext(context.Background())
	logger.InfoContext(other, "another request")
	ctx := logcrumbs.NewContext(context.Background())
	logger.InfoContext(ctx, "fetching invoice", "id", 7)
	logger.ErrorContext(ctx, "fetch failed", "err", errors.New("timeout"))
	logger.InfoContext(ctx, "retrying with the replica")
	if !client.Flush(time.Second) {
		t.Fatal("Flush: false")
	}
	// The frames below the call site are the testing package's.
	got := regexp.MustCompile(`(?m)^      (at|\.\.\.) .*\n`).ReplaceAllString(out.String(), "")
	want := `sentry event: error [slog] fetch failed
  exception: *errors.errorString: timeout
  log: err=timeout
  breadcrumbs (1, oldest first):
    info    slog: fetching invoice id=7
sentry log: info retrying with the replica logcrumbs.logger=slog
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// printLogger is a slog logger on a client printing through tr, with Sentry
// Logs from info up, so that both sentry-go paths into the transport run:
// events on the logging goroutine, Logs batches on sentry-go's own.
func printLogger(t *testing.T, tr sentry.Transport) (*slog.Logger, *sentry.Client) {
	t.Helper()
	client, err := sentry.NewClient(sentry.ClientOptions{Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
	return slog.New(slogsentry.NewHandler(nil, slogsentry.Options{
		Options:   logcrumbs.Options{Hub: sentry.NewHub(client, sentry.NewScope())},
		LogsLevel: slog.LevelInfo,
	})), client
}

// TestPrintTransportNilWriter: a nil writer prints on os.Stderr; it used to
// lose every event (counted as failed) and end the program when sentry-go
// handed it a Sentry Logs batch.
func TestPrintTransportNilWriter(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = f
	defer func() { os.Stderr = stderr }()
	logger, client := printLogger(t, logcrumbs.PrintTransport(nil, logcrumbs.PrintOptions{OmitTimes: true}))
	ctx := logcrumbs.NewContext(context.Background())
	logger.InfoContext(ctx, "fetching invoice", "id", 7)
	logger.ErrorContext(ctx, "fetch failed", "err", errors.New("timeout"))
	client.Flush(time.Second)
	os.Stderr = stderr
	out, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"sentry event: error [slog] fetch failed\n", "sentry log: info fetching invoice id=7"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("stderr lacks %q:\n%s", want, out)
		}
	}
}

type panickingWriter struct{}

func (panickingWriter) Write([]byte) (int, error) { panic("broken writer") }

// TestPrintTransportPanickingWriter: a Write that panics loses what it
// prints, not the program (sentry-go's Logs goroutine does not recover).
func TestPrintTransportPanickingWriter(t *testing.T) {
	logger, client := printLogger(t, logcrumbs.PrintTransport(panickingWriter{}, logcrumbs.PrintOptions{}))
	ctx := logcrumbs.NewContext(context.Background())
	logger.InfoContext(ctx, "fetching invoice", "id", 7)
	logger.ErrorContext(ctx, "fetch failed", "err", errors.New("timeout"))
	if !client.Flush(time.Second) {
		t.Error("Flush: false")
	}
}

// TestPrintTransportTrimpathFrames: built with -trimpath a frame has no
// AbsPath and its Filename is a module path; the summary shows the file's
// base name either way, as the README's excerpt does.
func TestPrintTransportTrimpathFrames(t *testing.T) {
	ev := printedEvent()
	ev.Exception[1].Stacktrace.Frames = []sentry.Frame{
		{Module: "main", Function: "handler", Filename: "example.com/shop/cmd/shop/main.go", Lineno: 42},
		{Module: "main", Function: "gen", Lineno: 7},
	}
	var out bytes.Buffer
	logcrumbs.PrintTransport(&out, logcrumbs.PrintOptions{}).SendEvent(ev)
	for _, want := range []string{"      at main.handler (main.go:42)\n", "      at main.gen (:7)\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
}

// TestPrintTransportOneLine: a message, an error text (errors.Join's holds a
// newline) or a value with a control character stays on its line, quoted;
// before, it broke the summary's one-breadcrumb-a-line layout and passed
// terminal escape sequences through.
func TestPrintTransportOneLine(t *testing.T) {
	var out bytes.Buffer
	logger, client := printLogger(t, logcrumbs.PrintTransport(&out, logcrumbs.PrintOptions{OmitTimes: true, Frames: 1}))
	ctx := logcrumbs.NewContext(context.Background())
	logger.InfoContext(ctx, "step one\nstep two", "note", "red\x1b[31m", "cr", "a\rb")
	logger.ErrorContext(ctx, "sync failed", "err", errors.Join(errors.New("disk full"), errors.New("retry later")))
	client.Flush(time.Second)
	got := out.String()
	for _, want := range []string{
		`    info    slog: "step one\nstep two" cr="a\rb" note="red\x1b[31m"` + "\n",
		`  exception: *errors.joinError: "disk full\nretry later"` + "\n",
		`sentry log: info "step one\nstep two" cr="a\rb" logcrumbs.logger=slog note="red\x1b[31m"` + "\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	if strings.ContainsAny(got, "\x1b\r") {
		t.Errorf("summary holds a raw control character:\n%q", got)
	}
}

// TestPrintTransportKeysOnOneLine: TestPrintTransportOneLine for what the
// summary prints besides messages and values: attribute keys (of the
// breadcrumbs, of the "log" context, of Sentry Logs), which a program may
// take from its input (a header's or a query parameter's name), and the
// fingerprint, the value of an attribute. A control character in them
// stays on its line, quoted, and no escape sequence reaches the terminal.
func TestPrintTransportKeysOnOneLine(t *testing.T) {
	var out bytes.Buffer
	client, err := sentry.NewClient(sentry.ClientOptions{Transport: logcrumbs.PrintTransport(&out, logcrumbs.PrintOptions{OmitTimes: true, Frames: 1})})
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{
		Options:   logcrumbs.Options{Hub: sentry.NewHub(client, sentry.NewScope()), FingerprintKey: "code", DedupeWindow: -1},
		LogsLevel: slog.LevelInfo,
	}))
	ctx := logcrumbs.NewContext(context.Background())
	logger.InfoContext(ctx, "header seen", "X-Evil\x1b[2J", "v1", "line\nkey", "v2")
	logger.ErrorContext(ctx, "sync failed", "err", errors.New("x"), "code", "E1\nfake line", "cr\rkey", 1)
	client.Flush(time.Second)
	got := out.String()
	if strings.ContainsAny(got, "\x1b\r") {
		t.Errorf("summary holds a raw control character:\n%q", got)
	}
	for _, bad := range []string{"line\nkey", "E1\nfake line"} {
		if strings.Contains(got, bad) {
			t.Errorf("summary breaks a line inside %q:\n%s", bad, got)
		}
	}
	for _, want := range []string{`"X-Evil\x1b[2J"=v1`, `"line\nkey"=v2`, `"cr\rkey"=1`} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %s:\n%q", want, got)
		}
	}
}

// TestPrintTransportBreadcrumbLevelsAligned: the categories of breadcrumbs
// start in one column whatever their level; "warning", Sentry's longest,
// pushed its row two columns right of the others.
func TestPrintTransportBreadcrumbLevelsAligned(t *testing.T) {
	var out bytes.Buffer
	tr := logcrumbs.PrintTransport(&out, logcrumbs.PrintOptions{OmitTimes: true})
	ev := &sentry.Event{Level: sentry.LevelError, Message: "failed"}
	for _, l := range []sentry.Level{sentry.LevelDebug, sentry.LevelInfo, sentry.LevelWarning, sentry.LevelError, sentry.LevelFatal} {
		ev.Breadcrumbs = append(ev.Breadcrumbs, &sentry.Breadcrumb{Level: l, Category: "slog", Message: "step"})
	}
	tr.SendEvent(ev)
	col := -1
	for _, line := range strings.Split(out.String(), "\n") {
		i := strings.Index(line, " slog: step")
		if i < 0 {
			continue
		}
		if col >= 0 && i != col {
			t.Errorf("breadcrumb %q: category at column %d, want %d as the rows before:\n%s", line, i, col, out.String())
		}
		col = i
	}
	if col < 0 {
		t.Fatalf("no breadcrumbs printed:\n%s", out.String())
	}
}

package conformance

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/e2e"
)

// RunE2E sends through sentry-go's real HTTP transport to a real Sentry
// envelope receiver (internal/e2e; skipped loudly without Node, failed with
// CI=true): two requests through one base logger, the scenario
// e2e.CheckTwoRequests asserts (two events, each with its own trail, A's
// with its exception chain and stack, capture once across %w), plus a
// group in a breadcrumb, and the logger's own output written.
func RunE2E(t *testing.T, d Driver) {
	t.Helper()
	t.Run("EndToEnd", func(t *testing.T) {
		r := e2e.Start(t)
		hub := r.Hub(t)
		var out syncBuffer
		base := d.New(t, Config{Options: logcrumbs.Options{Hub: hub, TagKeys: []string{"route"}}, Out: &out})
		a := base.With(Field{"route", "/orders"}).Bind(logcrumbs.Bind(logcrumbs.NewContext(t.Context()), hub.Clone()))
		b := base.Bind(logcrumbs.Bind(logcrumbs.NewContext(t.Context()), hub.Clone()))
		a.Log(Debug, "parsing body", Field{"bytes", 512})
		b.Log(Info, "request B started")
		a.Log(Info, "order loaded", Field{"order", Group{{"id", "o-17"}, {"items", 3}}})
		a.Log(Warn, "retrying", Field{"attempt", 2}, Field{"after", "250ms"})
		err := fmt.Errorf("charge card: %w", errors.New("connection refused"))
		a.Log(Error, "payment failed", Field{"err", err})
		a.Log(Error, "request failed", Field{"err", fmt.Errorf("handler: %w", err)})
		b.Log(Error, "request B failed", Field{"err", errors.New("timeout")})

		// hub.Flush, not logcrumbs.Flush: every record of a driver comes from
		// one call site (its Log), so logcrumbs.Flush would also send the
		// summary of "request failed", counted as a repeat of "payment
		// failed". "": the top frame is checked below, as Run checks it.
		ev := e2e.CheckTwoRequestsAt(t, r, func() bool { return hub.Flush(5 * time.Second) }, d.Category, "", d.warning())
		if st := ev.Exception[1].Stacktrace; st != nil && len(st.Frames) > 0 {
			if top := st.Frames[len(st.Frames)-1]; !strings.HasSuffix(top.Module, "_test") && !strings.HasSuffix(top.Module, "internal/conformance") {
				t.Errorf("stack trace starts in %s.%s, want the test's code", top.Module, top.Function)
			}
		}
		if o, _ := ev.Breadcrumbs[1].Data["order"].(map[string]any); o["id"] != "o-17" || o["items"] != float64(3) {
			t.Errorf("group in breadcrumb = %v", ev.Breadcrumbs[1].Data)
		}
		if !strings.Contains(out.String(), "request failed") {
			t.Error("the logger's own output lacks the second error")
		}
	})
	t.Run("LogsEndToEnd", func(t *testing.T) { testLogsEndToEnd(t, d) })
}

// LogsEndToEnd: through sentry-go's HTTP transport, the Logs level (Error)
// and LogsOnEvent send the failing unit's trail and its error record, each
// once, with the event's trace, scrubbed; the passing unit sends nothing.
func testLogsEndToEnd(t *testing.T, d Driver) {
	r := e2e.Start(t)
	hub := r.Hub(t)
	logger := d.New(t, Config{Options: logcrumbs.Options{Hub: hub, LogsOnEvent: true}, Logs: true, LogsLevel: Error})
	pass := logger.Bind(logcrumbs.Bind(logcrumbs.NewContext(t.Context()), hub.Clone()))
	fail := logger.Bind(logcrumbs.Bind(logcrumbs.NewContext(t.Context()), hub.Clone()))
	pass.Log(Info, "passing step")
	fail.Log(Info, "step 1", Field{"n", 7}, Field{"token", "tok-secret"})
	fail.Log(Error, "failed", Field{"err", errors.New("boom")})
	ev := r.WaitReports(t, 1)[0]
	var trace struct {
		TraceID string `json:"trace_id"`
	}
	_ = json.Unmarshal(ev.Event.Contexts["trace"], &trace)
	if !hub.Flush(5 * time.Second) {
		t.Fatal("flush timed out")
	}
	var logs []e2e.Log
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if logs = r.Logs(t); len(logs) >= 2 {
			break
		}
	}
	var got []string
	for _, l := range logs {
		got = append(got, l.Message)
		if l.TraceID == "" || l.TraceID != trace.TraceID {
			t.Errorf("log %q: trace %q, want the event's %q", l.Message, l.TraceID, trace.TraceID)
		}
	}
	if strings.Join(got, "|") != "step 1|failed" {
		t.Fatalf("logs %q, want the trail, then the error record at its level", got)
	}
	if a := logs[0].Attributes; fmt.Sprint(a["n"]) != "7" || a["token"] != "[Filtered]" {
		t.Errorf("step 1 attributes %v: want n 7 and token filtered", a)
	}
}

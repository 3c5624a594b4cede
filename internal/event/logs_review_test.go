package event

import (
	"context"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/getsentry/sentry-go/attribute"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/golden"
)

// dumpLog renders a Sentry log as a user sees it: level, severity, body,
// trace and span (named by the test), and every attribute with its type.
func dumpLog(l *sentry.Log, names map[string]string) string {
	var b strings.Builder
	name := func(id string) string {
		if n, ok := names[id]; ok {
			return n
		}
		if strings.Trim(id, "0") == "" {
			return "zero"
		}
		return "unnamed"
	}
	fmt.Fprintf(&b, "level=%s severity=%d body=%q trace=%s span=%s\n", l.Level, l.Severity, l.Body,
		name(l.TraceID.String()), name(l.SpanID.String()))
	keys := make([]string, 0, len(l.Attributes))
	for k := range l.Attributes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "sentry.server.address" {
			continue
		}
		v := l.Attributes[k]
		fmt.Fprintf(&b, "  %q=%s:%#v\n", k, v.Type(), v.AsInterface())
	}
	return b.String()
}

// reviewRecord builds a record of level with the message msg and logger name.
func reviewRecord(level buffer.Level, logger, msg string, fill func(r *buffer.Record)) *buffer.Record {
	r := buffer.Get(time.Unix(1, 5), level, buffer.DefaultEventLimits)
	if logger != "" {
		r.SetLogger(logger)
	}
	r.SetMessage(msg)
	if fill != nil {
		fill(r)
	}
	return r
}

// TestReviewLogsDump sends records of every shape through SendLog, with
// scope, user, trace, hub and client changes between them, and writes what
// BeforeSendLog saw to $LOGS_REVIEW_DUMP (to be compared between main and
// a branch), and checks a few things directly.
func TestReviewLogsDump(t *testing.T) {
	withUserKeys(t, "acct")
	var (
		mu   sync.Mutex
		out  strings.Builder
		logs []*sentry.Log
	)
	names := map[string]string{}
	scrubCalls := []string{}
	capture := func(l *sentry.Log) *sentry.Log {
		mu.Lock()
		logs = append(logs, l)
		mu.Unlock()
		return nil
	}
	newClient := func(pii bool, release string) *sentry.Client {
		c, err := sentry.NewClient(sentry.ClientOptions{
			//lint:ignore SA1019 the golden dump was made with the deprecated option, which is still honoured
			SendDefaultPII: pii,
			Release:        release,
			Environment:    "env-" + release,
			ServerName:     "host",
			BeforeSendLog:  capture,
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c1 := newClient(false, "r1")
	c2 := newClient(true, "r2")
	hub := sentry.NewHub(c1, sentry.NewScope())
	pc := sentry.PropagationContext{TraceID: sentry.TraceID{1, 2, 3}, SpanID: sentry.SpanID{4, 5}}
	hub.Scope().SetPropagationContext(pc)
	names[pc.TraceID.String()] = "scope-trace-1"
	names[pc.SpanID.String()] = "scope-span-1"

	builders := map[string]*Builder{
		"default": NewBuilder(nil, "", "", nil, nil),
		"custom":  NewBuilder(nil, "", "", []string{"Nick"}, nil),
		"scrub": NewBuilder(nil, "", "", nil, func(k string, v any) any {
			scrubCalls = append(scrubCalls, fmt.Sprintf("%q=%#v", k, v))
			if s, ok := v.(string); ok {
				return strings.ToUpper(s)
			}
			return v
		}),
	}
	bnames := []string{"default", "custom", "scrub"}

	step := 0
	send := func(b *Builder, bname string, ctx context.Context, h *sentry.Hub, onCtx bool, rec *buffer.Record, late bool) {
		step++
		scrubCalls = scrubCalls[:0]
		logs = nil
		b.SendLog(ctx, h, onCtx, rec, late)
		sort.Strings(scrubCalls) // a map's order
		fmt.Fprintf(&out, "step %d builder %s onCtx %v late %v: %d logs, scrub calls %v\n", step, bname, onCtx, late, len(logs), scrubCalls)
		for _, l := range logs {
			out.WriteString(dumpLog(l, names))
		}
	}

	msgs := []string{"plain", "100% done", "%d %s %% %v %!", "%", "%!(EXTRA string=x)", "", "bad \xff body", "split \xe2", "tab\tnl\n", "%[1]*d"}
	levels := []buffer.Level{buffer.LevelDebug, buffer.LevelInfo, buffer.LevelWarning, buffer.LevelError, buffer.LevelFatal}
	shapes := func() map[string]*buffer.Record {
		recs := logsRecords()
		add := func(name string, fill func(r *buffer.Record)) {
			recs[name] = reviewRecord(buffer.LevelInfo, "", "m", fill)
		}
		add("utf8", func(r *buffer.Record) {
			r.AddText(buffer.KindString, "cl\u00e9", "\u20ac \U0001F600")
			r.AddText(buffer.KindString, "cut\xe2", "\x82\xac rest")
			r.AddText(buffer.KindString, "k\xe2\x82", "\xacv")
			r.AddText(buffer.KindError, "err", "\xff")
			r.AddText(buffer.KindJSON, "j\xff", "{\"a\":\"\xff\"}")
			r.AddText(buffer.KindJSON, "jbad", "{\"a\":\xff")
			r.OpenGroup("g\xff")
			r.AddText(buffer.KindString, "x\xfe", "y\xfd")
			r.CloseGroup()
			r.AddScalar(buffer.KindFloat64, "\xffnan", math.Float64bits(math.NaN()))
		})
		add("utf8-split-in-valid-text", func(r *buffer.Record) { // the whole text valid, its pieces not
			r.AddText(buffer.KindString, "cut\xe2", "\x82\xac rest")
			r.AddText(buffer.KindString, "k\xe2\x82", "\xacv")
			r.AddText(buffer.KindString, "clé", "\xf0\x9f")
			r.AddText(buffer.KindString, "\x98\x80x", "y")
			r.OpenGroup("g\xe2")
			r.AddText(buffer.KindString, "\x82\xac", "z")
			r.CloseGroup()
		})
		add("utf8-valid-around-invalid-msg", func(r *buffer.Record) {
			r.AddText(buffer.KindString, "\xe2\x82\xac", "\xe2\x82\xac")
			r.AddText(buffer.KindString, "user.email", "\xe2@x")
			r.AddText(buffer.KindString, "Nick", "n")
			r.AddText(buffer.KindString, "nick", "n")
		})
		add("secrets", func(r *buffer.Record) {
			r.AddText(buffer.KindString, "Authorization", "Bearer x")
			r.AddText(buffer.KindString, "X-Api-Key", "k")
			r.AddText(buffer.KindString, "password", "p")
			r.AddText(buffer.KindString, "db.password", "p")
			r.AddText(buffer.KindString, "passwd\xff", "p")
			r.AddText(buffer.KindString, "url", "https://a:b@h/?token=1&x=2")
			r.AddText(buffer.KindString, "Nick", "n")
			r.OpenGroup("creds")
			r.AddText(buffer.KindString, "secret", "s")
			r.AddText(buffer.KindString, "ok", "o")
			r.CloseGroup()
			r.AddText(buffer.KindString, "u", "user")
			r.AddText(buffer.KindString, "usr", "x")
			r.AddText(buffer.KindString, "users", "x")
			r.AddText(buffer.KindString, "user_name", "x")
			r.AddText(buffer.KindString, "acct", "x")
			r.AddText(buffer.KindString, "acct.email", "x")
			r.AddText(buffer.KindString, "a", "x")
			r.AddText(buffer.KindString, "", "empty key")
		})
		add("dotted-nomap", func(r *buffer.Record) {
			r.AddText(buffer.KindString, "a.b", "1")
			r.AddText(buffer.KindString, "a", "2")
			r.OpenGroup("")
			r.AddText(buffer.KindString, "c.d", "3")
			r.CloseGroup()
		})
		add("dotted-json-late", func(r *buffer.Record) {
			r.AddText(buffer.KindJSON, "a", `{"b":1}`)
			r.AddText(buffer.KindString, "a.b", "2")
		})
		add("unnamed-group-json", func(r *buffer.Record) {
			r.OpenGroup("")
			r.AddText(buffer.KindJSON, "a", `{"b":1}`)
			r.CloseGroup()
			r.AddText(buffer.KindString, "a.b", "2")
		})
		return recs
	}
	shapeNames := func() []string {
		var ns []string
		for n := range shapes() {
			ns = append(ns, n)
		}
		sort.Strings(ns)
		return ns
	}()

	bg := context.Background()
	// 1. every shape at every level, through the fallback hub, each builder.
	for _, bn := range bnames {
		for _, lv := range levels {
			for _, sn := range shapeNames {
				rec := shapes()[sn]
				rec.Level = lv
				fmt.Fprintf(&out, "shape %s level %v\n", sn, lv)
				send(builders[bn], bn, bg, hub, false, rec, lv == buffer.LevelError)
			}
		}
	}
	// 2. bodies and logger names.
	for _, bn := range bnames {
		for _, m := range msgs {
			for _, lg := range []string{"", "slog", "bad\xfflogger"} {
				send(builders[bn], bn, bg, hub, false, reviewRecord(buffer.LevelWarning, lg, m, func(r *buffer.Record) {
					r.AddText(buffer.KindString, "k", "%s")
				}), false)
			}
		}
	}
	// 3. scope changes between records: attributes, user, trace.
	b := builders["default"]
	rec := func() *buffer.Record {
		return reviewRecord(buffer.LevelInfo, "l", "scope", func(r *buffer.Record) { r.AddText(buffer.KindString, "k", "v") })
	}
	send(b, "default", bg, hub, false, rec(), false)
	hub.Scope().SetAttributes(attribute.String("scope.attr", "1"))
	hub.Scope().SetUser(sentry.User{ID: "u1", Email: "e@x"})
	send(b, "default", bg, hub, false, rec(), false)
	pc2 := sentry.PropagationContext{TraceID: sentry.TraceID{9, 9}, SpanID: sentry.SpanID{8, 8}}
	names[pc2.TraceID.String()] = "scope-trace-2"
	hub.Scope().SetPropagationContext(pc2)
	hub.Scope().SetAttributes(attribute.Int("scope.attr", 2))
	send(b, "default", bg, hub, false, rec(), false)
	// a span on the record's context.
	spanHub := sentry.NewHub(c1, sentry.NewScope())
	span := sentry.StartSpan(sentry.SetHubOnContext(bg, spanHub), "op")
	names[span.TraceID.String()] = "span-trace"
	names[span.SpanID.String()] = "span-span"
	send(b, "default", span.Context(), hub, false, rec(), false)
	// a request hub on the context.
	req := hub.Clone()
	req.Scope().SetUser(sentry.User{ID: "req"})
	req.Scope().SetAttributes(attribute.String("req.attr", "r"))
	pc3 := sentry.PropagationContext{TraceID: sentry.TraceID{7, 7}}
	names[pc3.TraceID.String()] = "req-trace"
	req.Scope().SetPropagationContext(pc3)
	reqCtx := sentry.SetHubOnContext(bg, req)
	send(b, "default", reqCtx, req, true, rec(), false)
	send(b, "default", bg, hub, false, rec(), false)
	spanReq := sentry.StartSpan(reqCtx, "op2")
	names[spanReq.TraceID.String()] = "req-span-trace"
	names[spanReq.SpanID.String()] = "req-span-span"
	send(b, "default", spanReq.Context(), req, true, rec(), false)
	// 4. the hub's client replaced: the new client's release, PII.
	hub.BindClient(c2)
	for _, sn := range shapeNames {
		fmt.Fprintf(&out, "client 2 shape %s\n", sn)
		send(b, "default", bg, hub, false, shapes()[sn], false)
	}
	send(b, "default", reqCtx, req, true, rec(), false) // req still has c1
	hub.BindClient(c1)
	send(b, "default", bg, hub, false, rec(), false)
	span.Finish()
	spanReq.Finish()

	if p := os.Getenv("LOGS_REVIEW_DUMP"); p != "" {
		if err := os.WriteFile(p, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	// testdata/logs_review_main.golden is this dump as main (before the
	// Sentry Logs fast paths) made it.
	golden.Check(t, out.String(), "testdata/logs_review_main.golden")
}

// TestReviewSendLogConcurrent: goroutines logging at once through one
// builder (its cached entries), each with its own hub, scope, trace, level
// and keys, some through the fallback hub whose client is replaced
// meanwhile, with keys new to the scrubber's cache (promoted meanwhile):
// every log carries its own record's level, attributes and trace, and
// nothing of another's.
func TestReviewSendLogConcurrent(t *testing.T) {
	var mu sync.Mutex
	var logs []*sentry.Log
	newClient := func(release string) *sentry.Client {
		c, err := sentry.NewClient(sentry.ClientOptions{
			Release: release,
			BeforeSendLog: func(l *sentry.Log) *sentry.Log {
				mu.Lock()
				logs = append(logs, l)
				mu.Unlock()
				return nil
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c1, c2 := newClient("r1"), newClient("r2")
	fallback := sentry.NewHub(c1, sentry.NewScope())
	b := NewBuilder(nil, "", "", []string{"nick", "password"}, nil) // a scrubber cache of its own
	levels := []buffer.Level{buffer.LevelDebug, buffer.LevelInfo, buffer.LevelWarning, buffer.LevelError, buffer.LevelFatal}
	want := map[buffer.Level]sentry.LogLevel{buffer.LevelDebug: sentry.LogLevelDebug, buffer.LevelInfo: sentry.LogLevelInfo,
		buffer.LevelWarning: sentry.LogLevelWarn, buffer.LevelError: sentry.LogLevelError, buffer.LevelFatal: sentry.LogLevelFatal}
	const workers, rounds = 8, 300
	traces := make([]sentry.TraceID, workers)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var rebinds sync.WaitGroup
	rebinds.Add(1)
	go func() { // the fallback hub's client replaced back and forth
		defer rebinds.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if i%2 == 0 {
				fallback.BindClient(c2)
			} else {
				fallback.BindClient(c1)
			}
			time.Sleep(50 * time.Microsecond)
		}
	}()
	for w := range workers {
		hub := sentry.NewHub(c1, sentry.NewScope())
		pc := sentry.NewPropagationContext()
		traces[w] = pc.TraceID
		hub.Scope().SetPropagationContext(pc)
		hub.Scope().SetAttributes(attribute.Int("worker.scope", w))
		ctx := sentry.SetHubOnContext(context.Background(), hub)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				lv := levels[(w+i)%len(levels)]
				rec := reviewRecord(lv, fmt.Sprintf("logger-%d", w), fmt.Sprintf("w%d i%d %%", w, i), func(r *buffer.Record) {
					r.AddScalar(buffer.KindInt64, "w", uint64(w))
					r.AddScalar(buffer.KindInt64, "i", uint64(i))
					r.AddText(buffer.KindString, fmt.Sprintf("only_%d", w), "x")
					r.AddText(buffer.KindString, fmt.Sprintf("k_%d_%d", w, i%97), "v") // new keys for the cache
					r.AddText(buffer.KindString, fmt.Sprintf("password_%d", i%13), "secret")
					r.AddText(buffer.KindString, "nick", "n")
				})
				if i%3 == 0 {
					b.SendLog(context.Background(), fallback, false, rec, false)
				} else {
					b.SendLog(ctx, hub, true, rec, false)
				}
				buffer.Put(rec)
			}
		}()
	}
	wg.Wait()
	close(stop)
	rebinds.Wait()
	if len(logs) != workers*rounds {
		t.Fatalf("%d logs, want %d", len(logs), workers*rounds)
	}
	for _, l := range logs {
		w, i := l.Attributes["w"].AsInt64(), l.Attributes["i"].AsInt64()
		if l.Body != fmt.Sprintf("w%d i%d %%", w, i) {
			t.Errorf("body %q for w%d i%d", l.Body, w, i)
		}
		if got := l.Level; got != want[levels[(int(w)+int(i))%len(levels)]] {
			t.Errorf("w%d i%d: level %v", w, i, got)
		}
		if got := l.Attributes[loggerKey].AsString(); got != fmt.Sprintf("logger-%d", w) {
			t.Errorf("w%d i%d: logger %q", w, i, got)
		}
		if l.Attributes["password_"+fmt.Sprint(i%13)].AsString() != Filtered || l.Attributes["nick"].AsString() != Filtered {
			t.Errorf("w%d i%d: a secret sent: %v", w, i, l.Attributes)
		}
		for k := range l.Attributes {
			if strings.HasPrefix(k, "only_") && k != fmt.Sprintf("only_%d", w) ||
				strings.HasPrefix(k, "k_") && k != fmt.Sprintf("k_%d_%d", w, i%97) ||
				strings.HasPrefix(k, "password_") && k != fmt.Sprintf("password_%d", i%13) {
				t.Errorf("w%d i%d: another record's attribute %q", w, i, k)
			}
		}
		if i%3 != 0 {
			if l.TraceID != traces[w] || l.Attributes["worker.scope"].AsInt64() != w {
				t.Errorf("w%d i%d: trace %v, scope %v: not its hub's", w, i, l.TraceID, l.Attributes["worker.scope"])
			}
			if r := l.Attributes["sentry.release"].AsString(); r != "r1" {
				t.Errorf("w%d i%d: release %q, want its hub's client's r1", w, i, r)
			}
		} else if _, ok := l.Attributes["worker.scope"]; ok {
			t.Errorf("w%d i%d: a worker's scope on a fallback log", w, i)
		}
	}
}

package event

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"os"
	"reflect"
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

// attrEntry is a sentry.LogEntry that keeps the attributes it is given,
// with their types, as sentry-go's own entry would send them.
type attrEntry map[string]any

func (e attrEntry) WithCtx(context.Context) sentry.LogEntry            { return e }
func (e attrEntry) StringSlice(k string, v []string) sentry.LogEntry   { e[k] = v; return e }
func (e attrEntry) String(k, v string) sentry.LogEntry                 { e[k] = v; return e }
func (e attrEntry) Int(k string, v int) sentry.LogEntry                { e[k] = int64(v); return e }
func (e attrEntry) Int64Slice(k string, v []int64) sentry.LogEntry     { e[k] = v; return e }
func (e attrEntry) Int64(k string, v int64) sentry.LogEntry            { e[k] = v; return e }
func (e attrEntry) Float64Slice(k string, v []float64) sentry.LogEntry { e[k] = v; return e }
func (e attrEntry) Float64(k string, v float64) sentry.LogEntry        { e[k] = v; return e }
func (e attrEntry) BoolSlice(k string, v []bool) sentry.LogEntry       { e[k] = v; return e }
func (e attrEntry) Bool(k string, v bool) sentry.LogEntry              { e[k] = v; return e }
func (e attrEntry) Uint64(k string, v uint64) sentry.LogEntry          { e[k] = v; return e }
func (e attrEntry) Emit(...any)                                        {}
func (e attrEntry) Emitf(string, ...any)                               {}

// logsRecords are records of every shape flatAttrs treats: each kind,
// secrets at the top and in groups, URLs with secrets in texts and in a
// url.URL's JSON, user data flat and as groups, unnamed and nested
// groups, invalid UTF-8, dropped attributes.
func logsRecords() map[string]*buffer.Record {
	recs := map[string]*buffer.Record{}
	add := func(name string, limits buffer.Limits, fill func(r *buffer.Record)) {
		r := buffer.Get(time.Unix(1, 0), buffer.LevelInfo, limits)
		r.SetMessage("m")
		fill(r)
		recs[name] = r
	}
	add("kinds", buffer.DefaultEventLimits, func(r *buffer.Record) {
		r.AddText(buffer.KindString, "path", "/a")
		r.AddScalar(buffer.KindInt64, "status", uint64(500))
		r.AddScalar(buffer.KindInt64, "neg", uint64(1<<64-3))
		r.AddScalar(buffer.KindUint64, "big", 1<<63+5)
		r.AddScalar(buffer.KindFloat64, "ratio", math.Float64bits(0.25))
		r.AddScalar(buffer.KindFloat64, "nan", math.Float64bits(math.NaN()))
		r.AddScalar(buffer.KindFloat64, "inf", math.Float64bits(math.Inf(-1)))
		r.AddScalar(buffer.KindBool, "cached", 1)
		r.AddScalar(buffer.KindDuration, "took", uint64(1500*time.Millisecond))
		r.AddScalar(buffer.KindTime, "at", uint64(time.Unix(2, 5).UnixNano()))
		r.AddText(buffer.KindJSON, "u", `{"Host":"x","RawQuery":"a=1&token=s","Fragment":"access_token=t"}`)
		r.AddText(buffer.KindJSON, "list", `[1,"https://x/?token=s",{"password":"p"}]`)
		r.AddText(buffer.KindJSON, "bad", `{"a":`)
		r.AddScalar(buffer.KindNull, "none", 0)
		r.AddText(buffer.KindError, "error", "dial https://u:pw@db/?sslkey=k failed")
		r.AddText(buffer.KindPanic, "p", "String panicked")
		r.AddText(buffer.KindString, "password", "hunter2")
		r.AddScalar(buffer.KindInt64, "api_key", 7)
		r.AddText(buffer.KindString, "url", "https://x/cb?code=1&token=s#frag")
		r.AddText(buffer.KindString, "bad\xffkey", "bad\xffvalue")
		r.AddText(buffer.KindString, "path", "/b") // a repeat: the last one wins
	})
	add("user-flat", buffer.DefaultEventLimits, func(r *buffer.Record) {
		r.AddText(buffer.KindString, "user.id", "42")
		r.AddText(buffer.KindString, "user.email", "a@x")
		r.AddText(buffer.KindString, "user", "bob")
		r.AddText(buffer.KindString, "acct.owner", "carol")
		r.AddText(buffer.KindString, "acct.id", "9")
	})
	add("dotted-json", buffer.DefaultEventLimits, func(r *buffer.Record) {
		r.AddText(buffer.KindString, "acct.id", "9")
		r.AddText(buffer.KindJSON, "acct", `{"id":1,"name":"n"}`)
	})
	add("dotted-group", buffer.DefaultEventLimits, func(r *buffer.Record) {
		r.OpenGroup("acct.owner")
		r.AddText(buffer.KindString, "id", "o")
		r.CloseGroup()
		r.OpenGroup("acct")
		r.AddText(buffer.KindString, "id", "1")
		r.CloseGroup()
		r.AddText(buffer.KindString, "acct.id", "9")
	})
	add("groups", buffer.DefaultEventLimits, func(r *buffer.Record) {
		r.OpenGroup("http")
		r.AddScalar(buffer.KindInt64, "status", 200)
		r.AddText(buffer.KindString, "token", "t")
		r.OpenGroup("req")
		r.AddText(buffer.KindString, "url", "https://x/?sig=1")
		r.CloseGroup()
		r.CloseGroup()
		r.OpenGroup("user")
		r.AddText(buffer.KindString, "id", "42")
		r.AddText(buffer.KindString, "email", "a@x")
		r.OpenGroup("addr")
		r.AddText(buffer.KindString, "city", "c")
		r.CloseGroup()
		r.OpenGroup("")
		r.AddText(buffer.KindString, "name", "n")
		r.CloseGroup()
		r.CloseGroup()
		r.OpenGroup("session")
		r.AddText(buffer.KindString, "x", "y")
		r.CloseGroup()
		r.OpenGroup("")
		r.AddText(buffer.KindString, "inlined", "i")
		r.OpenGroup("user")
		r.AddText(buffer.KindString, "id", "again")
		r.CloseGroup()
		r.CloseGroup()
		r.OpenGroup("acct")
		r.AddText(buffer.KindString, "id", "1")
		r.AddText(buffer.KindString, "plan", "p")
		r.CloseGroup()
		r.OpenGroup("http") // a group again: merged
		r.AddScalar(buffer.KindBool, "ok", 0)
		r.CloseGroup()
	})
	add("collision", buffer.DefaultEventLimits, func(r *buffer.Record) {
		r.AddText(buffer.KindString, "a", "scalar")
		r.OpenGroup("a")
		r.AddText(buffer.KindString, "b", "in group")
		r.CloseGroup()
	})
	add("rawquery-group", buffer.DefaultEventLimits, func(r *buffer.Record) {
		r.OpenGroup("u")
		r.AddText(buffer.KindString, "Host", "x")
		r.AddText(buffer.KindString, "RawQuery", "token=s")
		r.CloseGroup()
	})
	add("dropped", buffer.Limits{MaxAttrs: 2, MaxValueBytes: 64, MaxRecordBytes: 1024}, func(r *buffer.Record) {
		for _, k := range []string{"a", "b", "c", "d"} {
			r.AddText(buffer.KindString, k, k)
		}
	})
	return recs
}

// TestFlatAttrsAsData: for every record shape, user gate and Scrub
// function, the attributes SendLog sends without a data map (flatAttrs)
// are those the map path sends (Data, scrubber.clean, addAttributes), key
// for key and type for type; where they would differ, needsMap takes the
// map path.
func TestFlatAttrsAsData(t *testing.T) {
	withUserKeys(t, "acct")
	scrubs := map[string]func(string, any) any{
		"none": nil,
		"upper": func(k string, v any) any {
			if s, ok := v.(string); ok {
				return strings.ToUpper(s)
			}
			return v
		},
		"to-group": func(k string, v any) any {
			if k == "user" {
				return map[string]any{"id": "1", "email": "e"}
			}
			return v
		},
	}
	mapped := 0
	for name, rec := range logsRecords() {
		for sname, fn := range scrubs {
			for _, all := range []bool{false, true} {
				s := newScrubber(nil, fn)
				text := rec.AllText()
				want := attrEntry{}
				data := rec.DataIn(text)
				s.clean(data, &userGate{decided: true, all: all})
				addData(want, data, rec.DroppedAttrs > 0)
				if needsMap(rec, text, s) {
					mapped++
					continue
				}
				got := attrEntry{}
				flatAttrs(got, rec, rec.CheckedText(), newScrubber(nil, fn), &userGate{decided: true, all: all}, -1)
				if !reflect.DeepEqual(map[string]any(got), map[string]any(want)) {
					t.Errorf("%s, scrub %s, user info %v:\n flat %v\n want %v", name, sname, all, got, want)
				}
			}
		}
	}
	// the collision, RawQuery and dotted records always (4 records × 3
	// scrubs × 2 gates), the groups and user-flat records with a Scrub
	// function (2 × 2 × 2); the others never.
	if want := 4*3*2 + 2*2*2; mapped != want {
		t.Errorf("%d cases took the map path, want %d", mapped, want)
	}
}

// TestSendLogHub: a record goes through the hub SendLog is given, with
// that hub's scope and trace, whether its context carries the hub (a unit
// of work's) or not (Options.Hub or the current hub: the cached logger is
// then bound to it, and the context gets no hub of its own); a span on the
// context gives the trace either way; records alternating between the two
// keep one logger, built once.
func TestSendLogHub(t *testing.T) {
	fallback, logs := logsHub(t)
	fallback.Scope().SetUser(sentry.User{ID: "fallback"})
	fallbackTrace := sentry.NewPropagationContext()
	fallback.Scope().SetPropagationContext(fallbackTrace)
	request := fallback.Clone()
	request.Scope().SetUser(sentry.User{ID: "request"})
	requestTrace := sentry.NewPropagationContext()
	request.Scope().SetPropagationContext(requestTrace)
	reqCtx := sentry.SetHubOnContext(context.Background(), request)
	span := sentry.StartSpan(context.Background(), "op") // on no hub's context
	defer span.Finish()

	b := NewBuilder(nil, "", "", nil, nil)
	rec := buffer.Get(time.Unix(1, 0), buffer.LevelInfo, buffer.DefaultBreadcrumbLimits)
	rec.SetMessage("m")
	cases := []struct {
		name  string
		ctx   context.Context
		hub   *sentry.Hub
		onCtx bool
		user  string
		trace sentry.TraceID
	}{
		{"fallback", context.Background(), fallback, false, "fallback", fallbackTrace.TraceID},
		{"request", reqCtx, request, true, "request", requestTrace.TraceID},
		{"fallback-again", context.Background(), fallback, false, "fallback", fallbackTrace.TraceID},
		{"fallback-span", span.Context(), fallback, false, "fallback", span.TraceID},
		{"request-again", reqCtx, request, true, "request", requestTrace.TraceID},
	}
	var first *logsCache
	for _, c := range cases {
		*logs = nil
		b.SendLog(c.ctx, c.hub, c.onCtx, rec, false, "")
		if len(*logs) != 1 {
			t.Fatalf("%s: %d logs sent, want 1", c.name, len(*logs))
		}
		if got := (*logs)[0].Attributes["user.id"].AsString(); got != c.user {
			t.Errorf("%s: user.id %q, want %q (the hub's scope)", c.name, got, c.user)
		}
		if (*logs)[0].TraceID != c.trace {
			t.Errorf("%s: trace %v, want %v", c.name, (*logs)[0].TraceID, c.trace)
		}
		if first == nil {
			first = b.logs.Load()
		} else if b.logs.Load() != first {
			t.Errorf("%s: a new logger was built", c.name)
		}
	}
	if first.hub != fallback {
		t.Errorf("the logger is bound to %p, want the fallback hub %p", first.hub, fallback)
	}
}

// logsHub returns a hub of its own client, whose BeforeSendLog appends
// the logs it is handed to *logs, and sends none on.
func logsHub(t *testing.T) (hub *sentry.Hub, logs *[]*sentry.Log) {
	t.Helper()
	logs = new([]*sentry.Log)
	client, err := sentry.NewClient(sentry.ClientOptions{
		BeforeSendLog: func(l *sentry.Log) *sentry.Log { *logs = append(*logs, l); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	return sentry.NewHub(client, sentry.NewScope()), logs
}

// TestSendLogLevels: each record level is sent at the level and severity
// of sentry-go's own entry for it (LFatal for Fatal, which does not exit),
// and the entries SendLog copies for every record keep nothing of the
// records before: two records of one level in a row each send their own
// attributes only.
func TestSendLogLevels(t *testing.T) {
	hub, logs := logsHub(t)
	b := NewBuilder(nil, "", "", nil, nil)
	for _, c := range []struct {
		level    buffer.Level
		want     sentry.LogLevel
		severity int
	}{
		{buffer.LevelDebug, sentry.LogLevelDebug, sentry.LogSeverityDebug},
		{buffer.LevelInfo, sentry.LogLevelInfo, sentry.LogSeverityInfo},
		{buffer.LevelWarning, sentry.LogLevelWarn, sentry.LogSeverityWarning},
		{buffer.LevelError, sentry.LogLevelError, sentry.LogSeverityError},
		{buffer.LevelFatal, sentry.LogLevelFatal, sentry.LogSeverityFatal},
	} {
		for _, key := range []string{"first", "second"} {
			*logs = nil
			rec := buffer.Get(time.Unix(1, 0), c.level, buffer.DefaultBreadcrumbLimits)
			rec.SetMessage("m")
			rec.AddText(buffer.KindString, key, "v")
			b.SendLog(context.Background(), hub, false, rec, false, "")
			buffer.Put(rec)
			if len(*logs) != 1 {
				t.Fatalf("level %v: %d logs sent, want 1", c.level, len(*logs))
			}
			l := (*logs)[0]
			if l.Level != c.want || l.Severity != c.severity {
				t.Errorf("level %v: sent at %q, severity %d, want %q, %d", c.level, l.Level, l.Severity, c.want, c.severity)
			}
			if _, ok := l.Attributes[key]; !ok {
				t.Errorf("level %v: %q not sent: %v", c.level, key, l.Attributes)
			}
			if _, ok := l.Attributes["first"]; ok && key != "first" {
				t.Errorf("level %v: the record before's attribute sent again: %v", c.level, l.Attributes)
			}
		}
	}
}

// TestSendLogBodyAsIs: a record's message is the log's body byte for byte,
// whether it holds a '%' (a format verb, if it were one) or not, and the
// log has no template attributes (SendLog emits a body without '%' as a
// format without arguments).
func TestSendLogBodyAsIs(t *testing.T) {
	hub, logs := logsHub(t)
	b := NewBuilder(nil, "", "", nil, nil)
	for _, msg := range []string{"plain", "100% done", "%d %s %% %v %!", "%", "bad \xff utf8", "tab\tand\nnewline"} {
		*logs = nil
		rec := buffer.Get(time.Unix(1, 0), buffer.LevelInfo, buffer.DefaultBreadcrumbLimits)
		rec.SetMessage(msg)
		b.SendLog(context.Background(), hub, false, rec, false, "")
		buffer.Put(rec)
		if len(*logs) != 1 {
			t.Fatalf("%q: %d logs sent, want 1", msg, len(*logs))
		}
		if (*logs)[0].Body != msg {
			t.Errorf("body %q, want %q", (*logs)[0].Body, msg)
		}
		for k := range (*logs)[0].Attributes {
			if strings.HasPrefix(k, "sentry.message.") {
				t.Errorf("%q: attribute %q sent", msg, k)
			}
		}
	}
}

// s30Keys are the keys random records draw from: plain ones, dotted ones,
// user keys and user-prefixed keys, secrets, a url.URL's fields, keys
// logcrumbs or Sentry write in a log (and one so prefixed), the empty
// key, and two invalid keys that are the same key once repaired.
var s30Keys = []string{"a", "b", "a.b", "user", "user.email", "user.id", "id", "email", "password",
	"token", "url", "Host", "RawQuery", "", "x\xff", "x\xfe", "acct", "acct.id",
	"sentry", "sentry.", "sentry.release", "sentry.password", "attr.sentry.release", "logcrumbs.time", "attr.logcrumbs.time"}

// s30JSON are the JSON values random records draw from: maps (a user's,
// a secret's, a url.URL's), a list, scalars, and a text that does not
// decode.
var s30JSON = []string{`{"b":1}`, `{"id":1,"email":"e"}`, `[1,"https://u:p@h/?token=s"]`,
	`"https://u:p@h/"`, `{"password":"p","c":{"d":2}}`, `1`, `{"Host":"x","RawQuery":"token=s"}`, `{"a":`}

var s30Texts = []string{"v", "https://bob:hunter2@h/p?token=t&x=1", "bad \xff text", "é", "a@x"}

// s30Record fills a random record: every kind, groups named and unnamed
// up to three deep, keys and values drawn from the pools above.
func s30Record(rng *rand.Rand) *buffer.Record {
	r := buffer.Get(time.Unix(1, 0), buffer.LevelInfo, buffer.DefaultEventLimits)
	r.SetMessage("m")
	depth := 0
	for n := rng.Intn(8); n >= 0; n-- {
		k := s30Keys[rng.Intn(len(s30Keys))]
		switch c := rng.Intn(14); {
		case c == 0 && depth < 3:
			if rng.Intn(3) == 0 {
				k = ""
			}
			r.OpenGroup(k)
			depth++
		case c == 1 && depth > 0:
			r.CloseGroup()
			depth--
		case c <= 3:
			r.AddText(buffer.KindJSON, k, s30JSON[rng.Intn(len(s30JSON))])
		case c == 4:
			r.AddScalar(buffer.KindInt64, k, uint64(rng.Intn(1000)))
		case c == 5:
			r.AddScalar(buffer.KindUint64, k, 1<<63+uint64(rng.Intn(9)))
		case c == 6:
			r.AddScalar(buffer.KindFloat64, k, math.Float64bits([]float64{0.5, math.NaN(), math.Inf(1)}[rng.Intn(3)]))
		case c == 7:
			r.AddScalar(buffer.KindBool, k, uint64(rng.Intn(2)))
		case c == 8:
			r.AddScalar(buffer.KindDuration, k, uint64(1500*time.Millisecond))
		case c == 9:
			r.AddScalar(buffer.KindNull, k, 0)
		case c == 10:
			r.AddText(buffer.KindError, k, s30Texts[rng.Intn(len(s30Texts))])
		default:
			r.AddText(buffer.KindString, k, s30Texts[rng.Intn(len(s30Texts))])
		}
	}
	r.CloseAll()
	return r
}

// TestFlatAttrsAsDataRandom holds SendLog's flat path (flatAttrs)
// to the map path (Data, scrubber.clean, addAttributes) for random
// records, under both user gates and with and without a Scrub function:
// wherever needsMap lets a record go flat, its Sentry Logs attributes are
// those the map path sends, key for key and type for type.
func TestFlatAttrsAsDataRandom(t *testing.T) {
	withUserKeys(t, "acct")
	scrubs := []func(string, any) any{nil, func(k string, v any) any {
		if s, ok := v.(string); ok {
			return strings.ToUpper(s)
		}
		return v
	}}
	rng := rand.New(rand.NewSource(30))
	flat, bad := 0, 0
	for i := 0; i < 20000 && bad < 5; i++ {
		rec := s30Record(rng)
		fn := scrubs[i%2]
		all := i%4 >= 2
		text := rec.AllText()
		s := newScrubber(nil, fn)
		if needsMap(rec, text, s) {
			buffer.Put(rec)
			continue
		}
		flat++
		want := attrEntry{}
		data := rec.DataIn(text)
		s.clean(data, &userGate{decided: true, all: all})
		addData(want, data, rec.DroppedAttrs > 0)
		got := attrEntry{}
		flatAttrs(got, rec, rec.CheckedText(), newScrubber(nil, fn), &userGate{decided: true, all: all}, -1)
		if !reflect.DeepEqual(map[string]any(got), map[string]any(want)) {
			bad++
			t.Errorf("record %s (scrub %v, user info %v):\n flat %v\n want %v", s30Dump(rec), fn != nil, all, got, want)
		}
		buffer.Put(rec)
	}
	if flat < 1000 {
		t.Errorf("only %d records took the flat path", flat)
	}
}

// s30Dump lists a record's attributes: kind, key and text.
func s30Dump(r *buffer.Record) string {
	var b strings.Builder
	for i := range r.Len() {
		a := r.Attr(i)
		fmt.Fprintf(&b, "[%d %q %q] ", a.Kind, r.Key(a), r.Text(a))
	}
	return b.String()
}

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

// TestLogsDump sends records of every shape through SendLog, with
// scope, user, trace, hub and client changes between them, and writes what
// BeforeSendLog saw to $LOGS_DUMP (to be compared between main and
// a branch), and checks a few things directly.
func TestLogsDump(t *testing.T) {
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
		b.SendLog(ctx, h, onCtx, rec, late, "")
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

	if p := os.Getenv("LOGS_DUMP"); p != "" {
		if err := os.WriteFile(p, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	// testdata/logs_dump.golden is this dump as main (before the
	// Sentry Logs fast paths) made it.
	golden.Check(t, out.String(), "testdata/logs_dump.golden")
}

// TestSendLogConcurrent: goroutines logging at once through one
// builder (its cached entries), each with its own hub, scope, trace, level
// and keys, some through the fallback hub whose client is replaced
// meanwhile, with keys new to the scrubber's cache (promoted meanwhile):
// every log carries its own record's level, attributes and trace, and
// nothing of another's.
func TestSendLogConcurrent(t *testing.T) {
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
					b.SendLog(context.Background(), fallback, false, rec, false, "")
				} else {
					b.SendLog(ctx, hub, true, rec, false, "")
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

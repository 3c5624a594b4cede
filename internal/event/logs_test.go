package event

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
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
				addAttributes(want, "", data)
				if needsMap(rec, text, s) {
					mapped++
					continue
				}
				got := attrEntry{}
				flatAttrs(got, rec, rec.CheckedText(), newScrubber(nil, fn), &userGate{decided: true, all: all})
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
		b.SendLog(c.ctx, c.hub, c.onCtx, rec, false)
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
			b.SendLog(context.Background(), hub, false, rec, false)
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
		b.SendLog(context.Background(), hub, false, rec, false)
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

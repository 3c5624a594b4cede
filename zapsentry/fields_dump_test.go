package zapsentry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/golden"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// Review of perf-zapic: a differential dump of what teed zap makes of
// every field type, through tees in both orders, nested tees, sampling,
// hooks, With/Named loggers, Check, escalation, small limits, Sentry Logs
// and a ring refilled in place. The golden file was written by main before
// perf-zapic was merged (5d23320) and by perf-zapic's base (b82c5e5), the
// same bytes; LOGCRUMBS_UPDATE_GOLDEN=1 rewrites it (see internal/golden),
// ZAPIC_DUMP=file writes the dump for a diff with another tree's.

type zapicStringer struct{ s string }

func (z zapicStringer) String() string { return z.s }

type zapicObj struct{ n int }

func (o zapicObj) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddInt("n", o.n)
	enc.OpenNamespace("ns")
	enc.AddString("in", "ns")
	enc.AddFloat32("f32", float32(math.Inf(-1)))
	enc.AddUint8("u8", 255)
	return nil
}

type zapicErrObj struct{}

func (zapicErrObj) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddString("partial", "yes")
	return errors.New("object failed")
}

type zapicWrapErr struct{ inner error }

func (e zapicWrapErr) Error() string { return "wrapped: " + e.inner.Error() }
func (e zapicWrapErr) Unwrap() error { return e.inner }

// zapicFields is one log call's fields of every zap type, hand-made fields
// with values zap's constructors never make among them.
func zapicFields() [][]zap.Field {
	loc := time.FixedZone("X", -(3*3600 + 30*60))
	at := time.Date(2026, 3, 4, 5, 6, 7, 8, time.UTC)
	long := strings.Repeat("é", 700) // 1,400 bytes: cut at 1 KiB
	raw := func(t zapcore.FieldType, i int64) zap.Field {
		return zap.Field{Key: fmt.Sprintf("raw%d_%x", t, uint64(i)), Type: t, Integer: i}
	}
	return [][]zap.Field{
		{zap.String("s", "v"), zap.Int("i", -1), zap.Duration("d", 1500*time.Millisecond), zap.Bool("b", true)},
		{zap.Int64("min", math.MinInt64), zap.Int64("max", math.MaxInt64), zap.Int32("i32", math.MinInt32), zap.Int16("i16", -32768), zap.Int8("i8", -128)},
		{zap.Uint64("u64", math.MaxUint64), zap.Uint32("u32", math.MaxUint32), zap.Uint16("u16", 65535), zap.Uint8("u8", 255), zap.Uintptr("up", ^uintptr(0)), zap.Uint("u", 7)},
		{zap.Float64("nan", math.NaN()), zap.Float64("inf", math.Inf(1)), zap.Float64("ninf", math.Inf(-1)), zap.Float64("nz", math.Copysign(0, -1)),
			zap.Float64("tiny", math.SmallestNonzeroFloat64), zap.Float64("big", math.MaxFloat64), zap.Float64("f", 0.1)},
		{zap.Float32("nan32", float32(math.NaN())), zap.Float32("inf32", float32(math.Inf(1))), zap.Float32("nz32", float32(math.Copysign(0, -1))),
			zap.Float32("f32", 0.1), zap.Float32("max32", math.MaxFloat32)},
		{zap.Complex128("c128", complex(1.5, -2)), zap.Complex64("c64", complex64(complex(math.Inf(1), math.NaN())))},
		{zap.Duration("dneg", -time.Nanosecond), zap.Duration("dmax", math.MaxInt64), zap.Duration("dmin", math.MinInt64)},
		{zap.Time("utc", at), zap.Time("loc", at.In(loc)), zap.Time("zero", time.Time{}), zap.Time("unix0", time.Unix(0, 0)), zap.Time("far", time.Date(3000, 1, 1, 0, 0, 0, 0, time.FixedZone("", 14*3600)))},
		{zap.Binary("bin", []byte{0, 1, 2, 0xff}), zap.ByteString("bs", []byte("a\xffb\"c")), zap.Binary("empty", nil)},
		{zap.Stringer("st", zapicStringer{"str"}), zap.Stringer("nilst", (*time.Location)(nil)), zap.Error(errors.New("plain")), zap.NamedError("ne", zapicWrapErr{errors.New("inner")}),
			zap.Error(nil), zap.Errors("errs", []error{errors.New("e1"), nil, errors.New("e2")})},
		{zap.Reflect("r", map[string]any{"a": 1, "b": []int{1, 2}}), zap.Reflect("rnil", nil), zap.Reflect("ch", make(chan int)), zap.Any("anyf", 1.5), zap.Any("anyi", int8(-3))},
		{zap.Object("obj", zapicObj{3}), zap.Object("objerr", zapicErrObj{}), zap.Ints("ints", []int{1, -2}), zap.Strings("strs", []string{"a", ""}),
			zap.Inline(zapicObj{4}), zap.Bools("bools", nil)},
		{zap.String("before", "x"), zap.Namespace("ns1"), zap.Int("in1", 1), zap.Namespace("ns2"), zap.Int32("in2", 2), zap.Skip(), zap.String("in3", "3")},
		{raw(zapcore.Int32Type, 1<<40|5), raw(zapcore.Int16Type, 70000), raw(zapcore.Int8Type, 300), raw(zapcore.Int8Type, -129),
			raw(zapcore.Uint32Type, -1), raw(zapcore.Uint16Type, -1), raw(zapcore.Uint8Type, 511), raw(zapcore.UintptrType, -2),
			raw(zapcore.BoolType, 2), raw(zapcore.BoolType, -1), raw(zapcore.Float32Type, -1), raw(zapcore.Float32Type, 0x7f800001),
			raw(zapcore.Float64Type, 0x7ff0000000000001), raw(zapcore.Float64Type, -1), raw(zapcore.DurationType, -5), raw(zapcore.Uint64Type, -1)},
		{zap.String("ok", "1"), {Key: "unknown", Type: zapcore.UnknownType}, zap.String("after", "2"), {Key: "t40", Type: 40, Integer: 1}, {Key: "t200", Type: 200, String: "x"}},
		{zap.String("", "emptykey"), zap.String("dup", "1"), zap.Int("dup", 2), zap.String("long", long), zap.String("nl", "a\nb\x00c")},
		func() []zap.Field {
			var fs []zap.Field
			for i := range 80 { // past 64 attributes
				fs = append(fs, zap.Int(fmt.Sprintf("k%02d", i), i))
			}
			return fs
		}(),
		func() []zap.Field {
			var fs []zap.Field
			for i := range 8 { // past 4 KiB a record
				fs = append(fs, zap.String(fmt.Sprintf("big%d", i), strings.Repeat(string(rune('a'+i)), 700)))
			}
			return fs
		}(),
	}
}

var zapicFrameLine = regexp.MustCompile(`"(lineno|abs_path|pre_context|post_context|context_line|colno)":("[^"]*"|\d+|\[[^\]]*\]),?`)

// zapicDump writes events and logs with what varies between runs left out.
func zapicDump(sb *strings.Builder, rec *logcrumbstest.Recorder) {
	for _, ev := range rec.Sent() {
		e := *ev
		e.EventID, e.Timestamp, e.Sdk, e.Platform, e.ServerName, e.Release, e.Environment = "", time.Time{}, sentry.SdkInfo{}, "", "", "", ""
		e.Contexts = nil
		e.Modules = nil
		e.Threads = nil
		crumbs := make([]*sentry.Breadcrumb, len(ev.Breadcrumbs))
		for i, b := range ev.Breadcrumbs {
			c := *b
			c.Timestamp = time.Time{}
			crumbs[i] = &c
		}
		e.Breadcrumbs = crumbs
		js, err := json.Marshal(&e)
		if err != nil {
			fmt.Fprintf(sb, "EVENT marshal error %v\n", err)
			continue
		}
		fmt.Fprintf(sb, "EVENT %s\n", zapicFrameLine.ReplaceAll(js, nil))
		keys := make([]string, 0, len(ev.Contexts))
		for k := range ev.Contexts {
			if k != "device" && k != "os" && k != "runtime" && k != "trace" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			cj, _ := json.Marshal(ev.Contexts[k])
			fmt.Fprintf(sb, "  ctx %s %s\n", k, cj)
		}
	}
	for _, l := range rec.Logs() {
		keys := make([]string, 0, len(l.Attributes))
		for k := range l.Attributes {
			if !strings.HasPrefix(k, "sentry.") && k != "server.address" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		fmt.Fprintf(sb, "LOG %v %q", l.Level, l.Body)
		for _, k := range keys {
			fmt.Fprintf(sb, " %s=%#v", k, l.Attributes[k].AsInterface())
		}
		sb.WriteString("\n")
	}
}

type zapicClock struct{}

func (zapicClock) Now() time.Time                         { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
func (zapicClock) NewTicker(d time.Duration) *time.Ticker { return time.NewTicker(d) }

// zapicCore is the user's core: it writes the entry zap hands it (fields
// only counted: zap's JSON encoder panics on the hand-made ones).
type zapicCore struct {
	out    *bytes.Buffer
	fields int
}

func (c *zapicCore) Enabled(zapcore.Level) bool { return true }
func (c *zapicCore) With(fs []zapcore.Field) zapcore.Core {
	c2 := *c
	c2.fields += len(fs)
	return &c2
}
func (c *zapicCore) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	return ce.AddCore(ent, c)
}
func (c *zapicCore) Write(ent zapcore.Entry, fs []zapcore.Field) error {
	fmt.Fprintf(c.out, "%v %q %q %v %v %d\n", ent.Level, ent.LoggerName, ent.Message, ent.Time.UTC(), ent.Caller.Defined, c.fields+len(fs))
	return nil
}
func (c *zapicCore) Sync() error { return nil }

func zapicUser(out *bytes.Buffer) zapcore.Core { return &zapicCore{out: out} }

// zapicRun logs every field set at debug, info and warn (breadcrumbs), then
// an error (an event carrying them), through the logger build makes.
func zapicRun(t *testing.T, sb *strings.Builder, name string, opts zapsentry.Options, trailCap int,
	build func(ours zapcore.Core, user zapcore.Core) *zap.Logger,
) {
	rec := logcrumbstest.New(t)
	o := rec.Options()
	o.BreadcrumbLimits, o.EventLimits, o.EscalateIf, o.LoggerName, o.PassThroughLevel, o.LogsOnEvent = opts.BreadcrumbLimits, opts.EventLimits, opts.EscalateIf, opts.LoggerName, opts.PassThroughLevel, opts.LogsOnEvent
	opts.Options = o
	var out bytes.Buffer
	logger := build(zapsentry.NewCore(opts), zapicUser(&out)).WithOptions(zap.WithClock(zapicClock{}))
	ctx := logcrumbs.ContextWithTrail(context.Background(), logcrumbs.NewTrail(trailCap))
	_, log := zapsentry.WithContext(ctx, logger)
	for i, fs := range zapicFields() {
		log.Debug(fmt.Sprintf("debug %d", i), fs...)
		log.Info(fmt.Sprintf("info %d", i), fs...)
		if ce := log.Check(zap.WarnLevel, fmt.Sprintf("check %d", i)); ce != nil {
			ce.Write(fs...)
		}
		log.Named("sub").With(zap.String("w", "with")).Warn(fmt.Sprintf("named %d", i), fs...)
		if i%4 == 3 {
			log.Error(fmt.Sprintf("event %d", i), fs...)
		}
	}
	func() {
		defer func() { _ = recover() }()
		log.DPanic("dpanic")
		log.Panic("panic", zap.Int("n", 1))
	}()
	log.Error("last")
	fmt.Fprintf(sb, "=== %s\n", name)
	zapicDump(sb, rec)
	fmt.Fprintf(sb, "USER %s\n", out.String())
}

func zapicAll(t *testing.T) string {
	var sb strings.Builder
	tee := func(ours, user zapcore.Core) *zap.Logger { return zap.New(zapcore.NewTee(user, ours)) }
	small := zapsentry.Options{Options: logcrumbs.Options{BreadcrumbLimits: logcrumbs.Limits{MaxAttrs: 5, MaxValueBytes: 9, MaxRecordBytes: 90}}}
	builds := []struct {
		name  string
		build func(ours, user zapcore.Core) *zap.Logger
	}{
		{"tee user,ours", tee},
		{"tee ours,user", func(ours, user zapcore.Core) *zap.Logger { return zap.New(zapcore.NewTee(ours, user)) }},
		{"alone", func(ours, _ zapcore.Core) *zap.Logger { return zap.New(ours) }},
		{"nested", func(ours, user zapcore.Core) *zap.Logger {
			return zap.New(zapcore.NewTee(zapcore.NewTee(user, zapcore.NewNopCore()), zapcore.NewTee(zapcore.NewNopCore(), ours, user)))
		}},
		{"sampled", func(ours, user zapcore.Core) *zap.Logger {
			return zap.New(zapcore.NewSamplerWithOptions(zapcore.NewTee(user, ours), time.Hour, 3, 5))
		}},
		{"sampled ours", func(ours, user zapcore.Core) *zap.Logger {
			return zap.New(zapcore.NewTee(user, zapcore.NewSamplerWithOptions(ours, time.Hour, 2, 3)))
		}},
		{"hooks", func(ours, user zapcore.Core) *zap.Logger {
			return zap.New(zapcore.NewTee(user, ours), zap.Hooks(func(zapcore.Entry) error { return errors.New("hook") }), zap.ErrorOutput(zapcore.AddSync(new(bytes.Buffer))))
		}},
		{"user filters", func(ours, user zapcore.Core) *zap.Logger {
			return zap.New(zapcore.NewTee(zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(new(bytes.Buffer)), zapcore.ErrorLevel), ours, user))
		}},
		{"caller", func(ours, user zapcore.Core) *zap.Logger {
			return zap.New(zapcore.NewTee(user, ours), zap.AddCaller(), zap.AddStacktrace(zap.WarnLevel))
		}},
		{"with fields", func(ours, user zapcore.Core) *zap.Logger {
			return zap.New(zapcore.NewTee(user, ours)).With(zap.Int("w1", 1), zap.Float64("wf", math.NaN()), zap.Int8("w8", -1), zap.Namespace("wns"), zap.Object("wo", zapicObj{9}))
		}},
	}
	for _, b := range builds {
		zapicRun(t, &sb, b.name, zapsentry.Options{}, 0, b.build)
	}
	zapicRun(t, &sb, "ring of 3", zapsentry.Options{}, 3, tee)
	zapicRun(t, &sb, "small limits", small, 0, tee)
	zapicRun(t, &sb, "small limits ring", small, 4, tee)
	zapicRun(t, &sb, "tiny limits ring", zapsentry.Options{Options: logcrumbs.Options{BreadcrumbLimits: logcrumbs.Limits{MaxAttrs: 1, MaxValueBytes: 1, MaxRecordBytes: 3}}}, 2, tee)
	zapicRun(t, &sb, "negative limits", zapsentry.Options{Options: logcrumbs.Options{BreadcrumbLimits: logcrumbs.Limits{MaxAttrs: -1, MaxValueBytes: -1, MaxRecordBytes: -1}}}, 2, tee)
	zapicRun(t, &sb, "logger name", zapsentry.Options{Options: logcrumbs.Options{LoggerName: "svc"}}, 0, tee)
	zapicRun(t, &sb, "escalate", zapsentry.Options{Options: logcrumbs.Options{EscalateIf: func(r logcrumbs.Record) bool {
		return len(r.Errors()) > 1 || strings.HasPrefix(r.Message(), "info 1")
	}}}, 5, tee)
	zapicRun(t, &sb, "dynamic levels", zapsentry.Options{BreadcrumbLevel: zap.NewAtomicLevelAt(zap.InfoLevel), EventLevel: zap.NewAtomicLevelAt(zap.ErrorLevel)}, 0, tee)
	zapicRun(t, &sb, "breadcrumbs at warn", zapsentry.Options{BreadcrumbLevel: zap.WarnLevel}, 0, tee)
	zapicRun(t, &sb, "logs", zapsentry.Options{LogsLevel: zap.InfoLevel}, 0, tee)
	zapicRun(t, &sb, "pass through", zapsentry.Options{Options: logcrumbs.Options{PassThroughLevel: sentry.LevelInfo}}, 0, tee)
	zapicRun(t, &sb, "logs on event", zapsentry.Options{Options: logcrumbs.Options{LogsOnEvent: true}}, 6, tee)
	zapicRun(t, &sb, "events only", zapsentry.Options{BreadcrumbLevel: zap.FatalLevel + 1, EventLevel: zap.DebugLevel}, 0, tee)
	return zapicID.ReplaceAllString(sb.String(), "ID")
}

var zapicID = regexp.MustCompile(`"sentry.event_id":"[0-9a-f]*…?"|[0-9a-f]{32}|"timestamp":"[^"]*"|"sentry.release":{"value":"[^"]*"`)

// TestFieldsDump compares the dump with main's.
func TestFieldsDump(t *testing.T) {
	var dumps [2]string
	for i := range dumps { // one call site: the event's stack and call site name its line
		dumps[i] = zapicAll(t)
	}
	got, again := dumps[0], dumps[1]
	if p := os.Getenv("ZAPIC_DUMP"); p != "" {
		_ = os.WriteFile(p+".2", []byte(again), 0o644)
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if again != got {
		t.Fatal("the dump differs between two runs: not deterministic")
	}
	golden.Check(t, got, "testdata/fields_dump.golden.gz")
}

// TestPlainFieldsConcurrentRefill: goroutines logging plain fields through
// one teed logger bound to a ring of 5, refilled in place, while others
// send events reading it: every breadcrumb an event carries is whole, its
// fields those of its own message. Run under -race.
func TestPlainFieldsConcurrentRefill(t *testing.T) {
	rec := logcrumbstest.New(t)
	user := zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(io.Discard), zapcore.InfoLevel)
	logger := zap.New(zapcore.NewTee(user, zapsentry.NewCore(zapsentry.Options{Options: rec.Options()})))
	ctx := logcrumbs.ContextWithTrail(context.Background(), logcrumbs.NewTrail(5))
	_, log := zapsentry.WithContext(ctx, logger.With(zap.String("svc", "x")))
	done := make(chan struct{})
	for g := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 400 {
				id := fmt.Sprintf("g%d-%d", g, i)
				sub := log
				if i%3 == 0 {
					sub = log.Named("n" + id[:2])
				}
				if i%50 == 49 {
					sub.Error("event "+id, zap.String("id", id))
					continue
				}
				sub.Info("crumb "+id, zap.String("id", id), zap.Int8("i8", int8(i)), zap.Float32("f", float32(i)), zap.Namespace("ns"), zap.Int("i", i))
			}
		}()
	}
	for range 4 {
		<-done
	}
	evs := rec.Events()
	if len(evs) != 4*8 {
		t.Fatalf("%d events, want %d", len(evs), 4*8)
	}
	for _, ev := range evs {
		for _, b := range ev.Breadcrumbs() {
			if strings.HasPrefix(b.Message, "event ") {
				continue
			}
			id := strings.TrimPrefix(b.Message, "crumb ")
			var i int
			fmt.Sscanf(id[strings.IndexByte(id, '-')+1:], "%d", &i)
			ns, _ := b.Data["ns"].(map[string]any)
			if b.Data["id"] != id || b.Data["svc"] != "x" || b.Data["i8"] != int64(int8(i)) || b.Data["f"] != float64(i) || ns["i"] != int64(i) {
				t.Fatalf("breadcrumb %q: %+v", b.Message, b.Data)
			}
		}
	}
}

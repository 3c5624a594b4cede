package zapsentry_test

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

// TestFilledInPlaceAsAppended: a breadcrumb of plain fields is filled in
// its trail's ring (AppendFilled, which moves a full ring on by hand, with
// the trail cached at bind time); with Options.EscalateIf it is built
// first and appended (Append). Through several turns of the ring, both
// must keep the same breadcrumbs, count the same drops, and add the same
// counts to the process's Stats.
func TestFilledInPlaceAsAppended(t *testing.T) {
	run := func(opts zapsentry.Options) (crumbs []string, dropped, kept, droppedAll uint64) {
		logger, rec := newLogger(t, opts, nil)
		s0 := logcrumbs.Stats()
		// In a unit of work: its counts are exact in Stats once it ends.
		_ = logcrumbs.RunJob(context.Background(), "job", logcrumbs.JobOptions{Options: logcrumbs.Options{Hub: rec.Hub()}}, func(ctx context.Context) error {
			log := logger.With(zapsentry.Context(ctx), zap.String("pre", "set"))
			for i := range 3*logcrumbs.DefaultCapacity + 45 {
				log.Info(fmt.Sprint("m", i), zap.Int("i", i), zap.String(fmt.Sprint("key", i%19, "-of-some-length"), "v"))
			}
			trail := logcrumbs.FromContext(ctx)
			for _, b := range trail.Breadcrumbs() {
				crumbs = append(crumbs, fmt.Sprint(b.Level, b.Category, b.Message, b.Data))
			}
			dropped = trail.Dropped()
			return nil
		})
		s1 := logcrumbs.Stats()
		return crumbs, dropped, s1.BreadcrumbsKept - s0.BreadcrumbsKept, s1.BreadcrumbsDropped - s0.BreadcrumbsDropped
	}
	c1, d1, k1, a1 := run(zapsentry.Options{})
	c2, d2, k2, a2 := run(zapsentry.Options{Options: logcrumbs.Options{EscalateIf: func(logcrumbs.Record) bool { return false }}})
	if fmt.Sprint(c1) != fmt.Sprint(c2) || d1 != d2 {
		t.Errorf("filled in place: dropped %d\n%q\nappended: dropped %d\n%q", d1, c1, d2, c2)
	}
	if k1 != k2 || a1 != a2 || k1 == 0 || a1 == 0 {
		t.Errorf("Stats: filled in place kept %d dropped %d, appended kept %d dropped %d", k1, a1, k2, a2)
	}
}

// logsWhenRead is a field value whose method logs through a logger of the
// same trail, as a program's String or MarshalLogObject may.
type logsWhenRead struct{ log *zap.Logger }

func (l logsWhenRead) String() string { l.log.Info("inside String"); return "read" }

func (l logsWhenRead) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	l.log.Info("inside MarshalLogObject")
	enc.AddString("v", "read")
	return nil
}

// TestFieldMethodMayLogToItsTrail: a record whose fields are all plain is
// filled under its trail's lock (core.Encoder.Copies); one with a field
// whose method runs (a Stringer, an ObjectMarshaler) is not, so that the
// method may log to the same trail. Were it filled under the lock, the
// inner log call would wait for that lock for ever.
func TestFieldMethodMayLogToItsTrail(t *testing.T) {
	rec := logcrumbstest.New(t)
	log := zap.New(zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}})).With(zapsentry.Context(logcrumbs.NewContext(context.Background())))
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 2 * logcrumbs.DefaultCapacity { // the ring full: records filled in place
			log.Info("plain", zap.String("k", "v"), zap.Int("n", 1))
		}
		log.Info("stringer", zap.String("k", "v"), zap.Stringer("s", logsWhenRead{log}))
		log.Info("object", zap.Object("o", logsWhenRead{log}))
		log.Error("failed")
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("a log call inside a field's method did not return: its record was filled under the trail's lock")
	}
	data := map[string]map[string]any{}
	for _, c := range rec.OnlyEvent().Breadcrumbs() {
		data[c.Message] = c.Data
	}
	for _, m := range []string{"inside String", "stringer", "inside MarshalLogObject", "object"} {
		if _, ok := data[m]; !ok {
			t.Errorf("no breadcrumb %q", m)
		}
	}
	if s := data["stringer"]["s"]; s != "read" {
		t.Errorf("stringer's breadcrumb s = %v, want read", s)
	}
}

// TestPlainBreadcrumbFilledAsBuilt: a breadcrumb whose fields are all plain
// (filled in its trail under the lock, core.Encoder.Copies) is the one the
// same call makes with one more field that writes nothing but is not plain
// (built from the pool and kept): random presets of With (namespaces left
// open, Context and Skip fields among them), named loggers, messages,
// keys and values empty, multi-byte, invalid UTF-8 or over the limits,
// and limits small enough to be hit, exactly or not, in a ring small
// enough that most records are filled in the storage of the one dropped.
func TestPlainBreadcrumbFilledAsBuilt(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	notPlain := zap.Inline(zapcore.ObjectMarshalerFunc(func(zapcore.ObjectEncoder) error { return nil }))
	text := func() string {
		switch rng.Intn(5) {
		case 0:
			return ""
		case 1:
			return strings.Repeat("é", rng.Intn(40))
		case 2:
			return "\xff\xfe" + strings.Repeat("x", rng.Intn(60))
		default:
			return strings.Repeat("k", rng.Intn(20))
		}
	}
	plain := func() zapcore.Field {
		switch rng.Intn(7) {
		case 0:
			return zap.Namespace(text())
		case 1:
			return zap.Int(text(), rng.Int())
		case 2:
			return zap.Skip()
		case 3:
			return zap.Duration(text(), time.Duration(rng.Int63()))
		default:
			return zap.String(text(), text())
		}
	}
	for round := range 1000 {
		lim := logcrumbs.Limits{MaxAttrs: 1 + rng.Intn(8), MaxValueBytes: 1 + rng.Intn(50), MaxRecordBytes: 1 + rng.Intn(200)}
		base := zap.New(zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{BreadcrumbLimits: lim}}))
		var preset []zapcore.Field
		for range rng.Intn(10) {
			preset = append(preset, plain())
		}
		filled, built := logcrumbs.NewTrail(4), logcrumbs.NewTrail(4)
		lf := base.With(preset...).With(zapsentry.Context(logcrumbs.ContextWithTrail(context.Background(), filled)))
		lb := base.With(preset...).With(zapsentry.Context(logcrumbs.ContextWithTrail(context.Background(), built)))
		if rng.Intn(2) == 0 {
			name := text()
			lf, lb = lf.Named(name), lb.Named(name)
		}
		for i := range 10 {
			var fields []zapcore.Field
			for range rng.Intn(6) {
				fields = append(fields, plain())
			}
			msg := text()
			lf.Info(msg, fields...)
			lb.Info(msg, append(fields, notPlain)...)
			got, want := filled.Breadcrumbs(), built.Breadcrumbs()
			for _, b := range append(got, want...) {
				b.Timestamp = time.Time{} // each call reads the clock
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d, record %d, limits %+v: filled in the trail\n%+v\nbuilt\n%+v", round, i, lim, got[len(got)-1], want[len(want)-1])
			}
		}
	}
}

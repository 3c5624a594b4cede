package slogsentry_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// countStringer shows how many times its String method was called: a value
// whose text depends on who calls it first.
type countStringer struct{ n *atomic.Int32 }

func (s countStringer) String() string { return strconv.Itoa(int(s.n.Add(1))) }

// TestBreadcrumbPlainValuesFirst: a breadcrumb's strings, numbers and
// times are copied before the wrapped handler runs, its other values after
// it. With plain values before, between and after a Stringer, a LogValuer
// and a group holding one, the wrapped handler writes what it writes alone
// (it calls the Stringer first, as without logcrumbs), each LogValue is
// called once, and the breadcrumb holds every value, the
// LogValuers' resolved.
func TestBreadcrumbPlainValuesFirst(t *testing.T) {
	rec := logcrumbstest.New(t)
	ctx := rec.Context(context.Background())
	run := func(wrap bool) (string, int32) {
		var out bytes.Buffer
		var h slog.Handler = slog.NewTextHandler(&out, &slog.HandlerOptions{ReplaceAttr: noTime})
		if wrap {
			h = slogsentry.NewHandler(h, slogsentry.Options{Options: rec.Options()})
		}
		var s, v atomic.Int32
		slog.New(h).InfoContext(ctx, "crumb", "a", "x", "b", 2, "s", countStringer{&s}, "c", 1.5,
			"v", countValuer{&v}, slog.Group("g", "t", true, "v", countValuer{&v}), "d", time.Second)
		return out.String(), v.Load()
	}
	plain, plainCalls := run(false)
	wrapped, wrappedCalls := run(true)
	if wrapped != plain || wrappedCalls != plainCalls {
		t.Errorf("wrapped output (%d LogValue calls):\n%s\nplain output (%d calls):\n%s", wrappedCalls, wrapped, plainCalls, plain)
	}
	slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()})).ErrorContext(ctx, "boom")
	crumbs := rec.WaitEvents(1, time.Second)[0].Breadcrumbs()
	if len(crumbs) != 1 {
		t.Fatalf("breadcrumbs: %+v", crumbs)
	}
	// The Stringer's second call is logcrumbs', after the wrapped handler's.
	want := "map[a:x b:2 c:1.5 d:1s g:map[t:true v:2] s:2 v:1]"
	if got := fmt.Sprint(crumbs[0].Data); got != want {
		t.Errorf("breadcrumb data %s, want %s", got, want)
	}
}

type splitValuer struct{ v slog.Value }

func (f splitValuer) LogValue() slog.Value { return f.v }

type splitStringer string

func (s splitStringer) String() string { return string(s) }

func splitKey(rng *rand.Rand) string {
	switch rng.Intn(6) {
	case 0:
		return ""
	case 1:
		return strings.Repeat("k", 120+rng.Intn(20))
	}
	return []string{"a", "b", "c", "éé", "d"}[rng.Intn(5)]
}

func splitPlain(rng *rand.Rand) slog.Value {
	switch rng.Intn(7) {
	case 0:
		return slog.StringValue(strings.Repeat("x", rng.Intn(40)) + "é")
	case 1:
		return slog.Int64Value(rng.Int63())
	case 2:
		return slog.BoolValue(rng.Intn(2) == 0)
	case 3:
		return slog.DurationValue(time.Duration(rng.Int63()))
	case 4:
		return slog.TimeValue(time.Unix(rng.Int63n(1e9), 0).UTC())
	case 5:
		return slog.Float64Value(rng.Float64())
	}
	return slog.Uint64Value(rng.Uint64())
}

func splitValue(rng *rand.Rand, depth int) slog.Value {
	switch n := rng.Intn(12); {
	case n < 5 || depth > 2:
		return splitPlain(rng)
	case n == 5:
		return slog.AnyValue(splitStringer("str"))
	case n == 6:
		return slog.AnyValue(splitValuer{splitValue(rng, depth+1)})
	case n == 7:
		return slog.AnyValue(splitValuer{slog.GroupValue()})
	case n == 8:
		return slog.AnyValue(nil)
	case n == 9:
		return slog.AnyValue(errors.New("err"))
	default:
		var as []slog.Attr
		for range rng.Intn(3) {
			as = append(as, slog.Attr{Key: splitKey(rng), Value: splitValue(rng, depth+1)})
		}
		return slog.GroupValue(as...)
	}
}

// TestBreadcrumbSplitPathSameAsLog: a breadcrumb copied in two halves,
// its leading plain values before the wrapped handler and the rest after
// (core.StartBreadcrumb, KeepBreadcrumb), holds what the one-step path
// (core.Log, which EscalateIf forces) holds, and the wrapped handler
// writes the same: random records of plain values, Stringers, errors,
// nils, LogValuers (giving plain values, groups, empty groups), nested
// groups, empty, duplicate and over-long keys, behind WithAttrs and
// WithGroup, within small limits (MaxAttrs, MaxRecordBytes and
// MaxValueBytes cut or drop at the boundary of the halves), with no
// wrapped handler, an enabled one and a disabled one.
func TestBreadcrumbSplitPathSameAsLog(t *testing.T) {
	ctxBase := context.Background()
	recs := [2]*logcrumbstest.Recorder{logcrumbstest.New(t), logcrumbstest.New(t)}
	for seed := int64(0); seed < 3000; seed++ {
		rng := rand.New(rand.NewSource(seed))
		var attrs []any
		for range rng.Intn(8) {
			attrs = append(attrs, slog.Attr{Key: splitKey(rng), Value: splitValue(rng, 0)})
		}
		limits := logcrumbs.Limits{MaxAttrs: 1 + rng.Intn(10), MaxValueBytes: 4 + rng.Intn(40), MaxRecordBytes: 5 + rng.Intn(300)}
		nextKind := rng.Intn(3)
		var withs []func(*slog.Logger) *slog.Logger
		for range rng.Intn(3) {
			if rng.Intn(2) == 0 {
				g := splitKey(rng)
				withs = append(withs, func(l *slog.Logger) *slog.Logger { return l.WithGroup(g) })
			} else {
				a := slog.Attr{Key: splitKey(rng), Value: splitPlain(rng)}
				withs = append(withs, func(l *slog.Logger) *slog.Logger { return l.With(a) })
			}
		}
		run := func(old bool) (string, string) {
			rec := recs[0]
			if old {
				rec = recs[1]
			}
			rec.Reset()
			ctx := rec.Context(ctxBase)
			opts := rec.Options()
			opts.BreadcrumbLimits = limits
			if old {
				opts.EscalateIf = func(logcrumbs.Record) bool { return false }
			}
			var out bytes.Buffer
			var next slog.Handler
			switch nextKind {
			case 1:
				next = slog.NewJSONHandler(&out, &slog.HandlerOptions{ReplaceAttr: noTime})
			case 2:
				next = slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelError, ReplaceAttr: noTime})
			}
			l := slog.New(slogsentry.NewHandler(next, slogsentry.Options{Options: opts}))
			for _, w := range withs {
				l = w(l)
			}
			l.InfoContext(ctx, "crumb", attrs...)
			slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()})).ErrorContext(ctx, "boom")
			ev := rec.WaitEvents(1, time.Second)[0]
			return fmt.Sprintf("%+v", ev.Breadcrumbs()), out.String()
		}
		newC, newOut := run(false)
		oldC, oldOut := run(true)
		if newC != oldC || newOut != oldOut {
			t.Fatalf("seed %d: breadcrumb\nnew %s\nold %s\nout\nnew %s\nold %s", seed, newC, oldC, newOut, oldOut)
		}
	}
}

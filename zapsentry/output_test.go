package zapsentry_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zapsentry"
)

type fixedClock struct{}

func (fixedClock) Now() time.Time { return time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC) }

func (fixedClock) NewTicker(d time.Duration) *time.Ticker { return time.NewTicker(d) }

// logAll logs the same entries through logger, whatever cores it has.
func logAll(logger *zap.Logger) {
	ctx := logcrumbs.NewContext(context.Background())
	req := logger.With(zapsentry.Context(ctx), zap.String("route", "/orders")).Named("api")
	req.Debug("filtered by the user's level", zap.Int("n", 1))
	req.Info("loaded", zap.Object("order", order{"A-1", 2}), zap.Namespace("db"), zap.Int("rows", 3))
	req.Info("one call bound", zapsentry.Context(ctx), zap.Stringer("peer", addr{"db"}))
	req.Warn("slow", zap.Duration("took", time.Second), zap.Strings("tables", []string{"a", "b"}))
	req.Error("failed", zap.Error(fmt.Errorf("save: %w", errors.New("disk full"))), zap.Errors("more", []error{errors.New("x")}))
	req.With(zap.Namespace("inner"), zap.Bool("b", true)).Error("nested", zap.Error(errors.New("y")))
}

// TestUserOutputUnchanged: the user's JSON output is byte-identical with and
// without the logcrumbs core teed beside it, context fields included.
func TestUserOutputUnchanged(t *testing.T) {
	var without, with bytes.Buffer
	opts := []zap.Option{zap.WithClock(fixedClock{}), zap.AddCaller(), zap.AddStacktrace(zapcore.ErrorLevel)}

	logAll(zap.New(userCore(&without), opts...))

	rec := logcrumbstest.New(t)
	hub := rec.Hub()
	sentryOpts := zapsentry.Options{Options: logcrumbs.Options{Hub: hub}}
	logAll(zap.New(userCore(&with), opts...).WithOptions(zapsentry.Wrap(sentryOpts)))

	// Callers and stacks name the line of each call, which is the same in
	// both runs; the stacks differ only in frames below logAll.
	strip := func(s string) string {
		var out []string
		for _, line := range strings.Split(s, "\n") {
			if i := strings.Index(line, `"stacktrace":`); i >= 0 {
				line = line[:i]
			}
			out = append(out, line)
		}
		return strings.Join(out, "\n")
	}
	if !strings.Contains(without.String(), `"msg":"loaded"`) || !strings.Contains(without.String(), `"inner":{"b":true`) {
		t.Fatalf("the user's core wrote too little to compare:\n%s", without.String())
	}
	if strip(without.String()) != strip(with.String()) {
		t.Errorf("output changed by the tee:\nwithout:\n%s\nwith:\n%s", without.String(), with.String())
	}
	if strings.Contains(with.String(), "logcrumbs.context") {
		t.Error("the context field was written")
	}
	if n := len(rec.Events()); n != 2 {
		t.Errorf("the tee sent %d events, want 2", n)
	}
}

// TestUnderSampler: the core works inside zap's sampler (the sampler then
// decides for breadcrumbs too) and beside it (every breadcrumb is kept).
func TestUnderSampler(t *testing.T) {
	for _, tc := range []struct {
		name   string
		inside bool
		want   int
	}{{"inside", true, 1}, {"beside", false, 3}} {
		t.Run(tc.name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			hub := rec.Hub()
			ours := zapsentry.NewCore(zapsentry.Options{Options: logcrumbs.Options{Hub: hub, DedupeWindow: -1}}) // both subtests fail on one line
			sample := func(c zapcore.Core) zapcore.Core {
				return zapcore.NewSamplerWithOptions(c, time.Minute, 1, 0)
			}
			var core zapcore.Core
			if tc.inside {
				core = sample(zapcore.NewTee(userCore(new(bytes.Buffer)), ours))
			} else {
				core = zapcore.NewTee(sample(userCore(new(bytes.Buffer))), ours)
			}
			_, log := zapsentry.WithContext(context.Background(), zap.New(core))
			for range 3 {
				log.Info("repeated")
			}
			log.Error("failed")
			if n := len(rec.OnlyEvent().Event.Breadcrumbs); n != tc.want {
				t.Errorf("%d breadcrumbs, want %d", n, tc.want)
			}
		})
	}
}

package zerologsentry_test

import (
	"context"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"
	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

func TestLevelsNoLevelAndLoggerName(t *testing.T) {
	logger, rec := newLogger(t, zerologsentry.Options{
		Options:         logcrumbs.Options{LoggerName: "billing"},
		BreadcrumbLevel: zerolog.InfoLevel,
		EventLevel:      zerolog.WarnLevel,
	}, nil)
	_, log := zerologsentry.WithContext(context.Background(), logger)
	log.Debug().Msg("dropped")
	log.Info().Msg("kept")
	log.Log().Msg("no level")
	log.Warn().Msg("sent")
	ev := rec.OnlyEvent()
	if ev.Message != "sent" || ev.Level != sentry.LevelWarning || ev.Logger != "billing" {
		t.Errorf("event = %q %q %q", ev.Message, ev.Level, ev.Logger)
	}
	var got []string
	for _, b := range ev.Event.Breadcrumbs {
		got = append(got, string(b.Level)+":"+b.Category+":"+b.Message)
	}
	if want := "info:billing:kept,info:billing:no level"; strings.Join(got, ",") != want {
		t.Errorf("breadcrumbs = %v, want %s", got, want)
	}
}

// TestEventLevelDebugMeansError: EventLevel's zero value, DebugLevel, and
// an explicit DebugLevel both mean Error, as its godoc says: Warn stays a
// breadcrumb and Error is the event.
func TestEventLevelDebugMeansError(t *testing.T) {
	for _, opts := range []zerologsentry.Options{{}, {EventLevel: zerolog.DebugLevel}} {
		logger, rec := newLogger(t, opts, nil)
		_, log := zerologsentry.WithContext(context.Background(), logger)
		log.Debug().Msg("debug")
		log.Warn().Msg("warn")
		log.Error().Msg("error")
		ev := rec.OnlyEvent()
		if ev.Message != "error" || len(ev.Event.Breadcrumbs) != 2 {
			t.Errorf("EventLevel %v: event %q with %d breadcrumbs, want \"error\" with 2", opts.EventLevel, ev.Message, len(ev.Event.Breadcrumbs))
		}
	}
}

// TestLevelFiltering: the global level and the logger's level hide records
// from the trail (zerolog drops them before hooks run); filtering the output
// with FilteredLevelWriter instead keeps them.
func TestLevelFiltering(t *testing.T) {
	t.Run("global level hides", func(t *testing.T) {
		t.Cleanup(func() { zerolog.SetGlobalLevel(zerolog.TraceLevel) })
		zerolog.SetGlobalLevel(zerolog.InfoLevel)
		logger, rec := newLogger(t, zerologsentry.Options{}, nil)
		_, log := zerologsentry.WithContext(context.Background(), logger)
		log.Debug().Msg("hidden")
		log.Error().Msg("failed")
		if n := len(rec.OnlyEvent().Event.Breadcrumbs); n != 0 {
			t.Errorf("%d breadcrumbs, want 0", n)
		}
	})
	t.Run("filtered writer keeps", func(t *testing.T) {
		rec := logcrumbstest.New(t)
		hub := rec.Hub()
		var out syncBuffer
		w := &zerolog.FilteredLevelWriter{Writer: zerolog.LevelWriterAdapter{Writer: &out}, Level: zerolog.InfoLevel}
		logger := zerolog.New(w).Level(zerolog.DebugLevel).
			Hook(zerologsentry.NewHook(zerologsentry.Options{Options: logcrumbs.Options{Hub: hub}}))
		_, log := zerologsentry.WithContext(context.Background(), logger)
		log.Debug().Msg("only in the trail")
		log.Error().Msg("failed")
		if strings.Contains(out.String(), "only in the trail") {
			t.Error("the filtered output has the debug record")
		}
		if bs := rec.OnlyEvent().Event.Breadcrumbs; len(bs) != 1 || bs[0].Message != "only in the trail" {
			t.Errorf("breadcrumbs = %+v", bs)
		}
	})
}

// TestSampler: a sampler drops events before hooks run, so sampled-out
// records are not in the trail; the event of an error still is sent.
func TestSampler(t *testing.T) {
	logger, rec := newLogger(t, zerologsentry.Options{}, nil)
	logger = logger.Sample(zerolog.LevelSampler{InfoSampler: &zerolog.BasicSampler{N: 2}})
	_, log := zerologsentry.WithContext(context.Background(), logger)
	for range 4 {
		log.Info().Msg("sampled")
	}
	log.Error().Msg("failed")
	if n := len(rec.OnlyEvent().Event.Breadcrumbs); n != 2 {
		t.Errorf("%d breadcrumbs, want 2 (every second of 4)", n)
	}
}

// TestWriterWrite: records written with Write, without a level argument,
// take their level from the level field.
func TestWriterWrite(t *testing.T) {
	var out syncBuffer
	w, rec := newWriter(t, &out)
	line := `{"level":"warn","k":"v","message":"written directly"}` + "\n"
	if n, err := w.Write([]byte(line)); n != len(line) || err != nil {
		t.Fatalf("Write = %d, %v", n, err)
	}
	if _, err := w.Write([]byte(`{"level":"error","message":"boom"}` + "\n")); err != nil {
		t.Fatal(err)
	}
	ev := rec.OnlyEvent()
	if ev.Message != "boom" || ev.Level != "error" {
		t.Errorf("event = %q %q", ev.Message, ev.Level)
	}
	if !strings.Contains(out.String(), "written directly") {
		t.Error("Write did not pass the record on")
	}
	found := false
	for _, b := range logcrumbs.Fallback().Breadcrumbs() {
		found = found || (b.Message == "written directly" && b.Level == "warning" && b.Data["k"] == "v")
	}
	if !found {
		t.Error("the unbound writer's warn record is not in the fallback trail")
	}
}

// TestWriterCustomLevelNames: GCP-style levels via LevelFieldMarshalFunc and
// Write (the diode path) are read.
func TestWriterCustomLevelNames(t *testing.T) {
	saved := zerolog.LevelFieldMarshalFunc
	t.Cleanup(func() { zerolog.LevelFieldMarshalFunc = saved })
	zerolog.LevelFieldMarshalFunc = func(l zerolog.Level) string {
		switch l {
		case zerolog.WarnLevel:
			return "WARNING"
		case zerolog.FatalLevel:
			return "CRITICAL"
		}
		return map[zerolog.Level]string{zerolog.ErrorLevel: "ERROR", zerolog.InfoLevel: "INFO"}[l]
	}
	w, rec := newWriter(t, new(syncBuffer))
	l := zerolog.New(struct{ *zerologsentry.Writer }{w}) // only Write reachable
	_ = l
	w.Write([]byte(`{"level":"ERROR","message":"boom"}` + "\n"))
	if n := len(rec.Events()); n != 1 {
		t.Errorf("%d events", n)
	}
}

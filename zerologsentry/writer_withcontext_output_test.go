package zerologsentry_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestWriterWithContextKeepsOtherOutputs: Writer.WithContext given a
// logger that does not write to the Writer directly (the Writer inside
// zerolog.MultiLevelWriter, next to the program's console) leaves the
// logger's output as it is: its records still reach every writer, not
// the Writer alone; the Writer among them is bound to the request.
func TestWriterWithContextKeepsOtherOutputs(t *testing.T) {
	rec := logcrumbstest.New(t)
	w := zerologsentry.NewWriter(nil, zerologsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}})
	var console, bare syncBuffer
	logger := zerolog.New(zerolog.MultiLevelWriter(&console, w))
	_, log := w.WithContext(logcrumbs.ContextWithTrail(context.Background(), logcrumbs.NewTrail(10)), logger)
	log.Info().Str("k", "v").Msg("to the console too")
	plain := zerolog.New(&bare)
	plain.Info().Str("k", "v").Msg("to the console too")
	if console.String() != bare.String() {
		t.Errorf("console got %q, want %q", console.String(), bare.String())
	}
	// The Writer among the writers is bound: another request's records
	// are not in this one's trail.
	_, other := w.WithContext(logcrumbs.ContextWithTrail(context.Background(), logcrumbs.NewTrail(10)), logger)
	other.Info().Msg("another request's")
	log.Error().Msg("failed")
	if got := rec.OnlyEvent().BreadcrumbMessages(); strings.Join(got, ",") != "to the console too" {
		t.Errorf("breadcrumbs %q, want this request's", got)
	}
}

// TestWithContextBindsAWriterAmongWriters: the package's WithContext, given
// a logger with the Hook that writes to a Writer among other writers (the
// Hook steps aside for it), binds that Writer, and keeps the output.
func TestWithContextBindsAWriterAmongWriters(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := zerologsentry.Options{Options: logcrumbs.Options{Hub: rec.Hub()}}
	var console syncBuffer
	logger := zerolog.New(zerolog.MultiLevelWriter(&console, zerologsentry.NewWriter(nil, opts))).Hook(zerologsentry.NewHook(opts))
	_, log := zerologsentry.WithContext(context.Background(), logger)
	_, other := zerologsentry.WithContext(context.Background(), logger)
	log.Info().Msg("this request's")
	other.Info().Msg("another request's")
	log.Error().Msg("failed")
	if got := rec.OnlyEvent().BreadcrumbMessages(); strings.Join(got, ",") != "this request's" {
		t.Errorf("breadcrumbs %q, want this request's", got)
	}
	if n := strings.Count(console.String(), "\n"); n != 3 {
		t.Errorf("console got %d records: %q", n, console.String())
	}
}

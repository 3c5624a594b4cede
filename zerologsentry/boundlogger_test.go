package zerologsentry_test

import (
	"context"
	"io"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// boundLogger returns a zerolog logger writing to io.Discard and bound to
// ctx through a Hook of opts, or, if writer, through a Writer of opts: the
// two ways a program keeps zerolog records, for the tests that run both.
func boundLogger(ctx context.Context, opts zerologsentry.Options, writer bool) zerolog.Logger {
	if writer {
		w := zerologsentry.NewWriter(io.Discard, opts)
		_, log := w.WithContext(ctx, zerolog.New(w))
		return log
	}
	_, log := zerologsentry.WithContext(ctx, zerolog.New(io.Discard).Hook(zerologsentry.NewHook(opts)))
	return log
}

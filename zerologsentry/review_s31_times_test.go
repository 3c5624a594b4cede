package zerologsentry_test

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestS31SkippedRepeatTimes: the breadcrumbs of an error logged again and
// again in one unit of work (the first sent, the others skipped repeats
// of it, or on the full path with core.SetSkipRepeats(false)) are timed
// within their log calls, through a Hook and a Writer: an error record's
// time is its clock's base plus the time elapsed since it (Entry.Elapsed),
// which a skipped repeat's breadcrumb must keep (buffer.Repeat.Elapsed).
// Sleeps between the calls put the elapsed time well past the slack.
func TestS31SkippedRepeatTimes(t *testing.T) {
	defer core.SetSkipRepeats(true)
	const slack = 3 * time.Millisecond // the record clock's maxDrift, and rounding
	for _, skip := range []bool{true, false} {
		for _, viaWriter := range []bool{false, true} {
			core.SetSkipRepeats(skip)
			rec := logcrumbstest.New(t)
			o := rec.Options()
			o.DedupeWindow = time.Minute // skipped repeats are counted on their fingerprint's entry
			opts := zerologsentry.Options{Options: o}
			ctx := rec.Context(context.Background())
			var l zerolog.Logger
			if viaWriter {
				w := zerologsentry.NewWriter(io.Discard, opts)
				_, l = w.WithContext(ctx, zerolog.New(w))
			} else {
				_, l = zerologsentry.WithContext(ctx, zerolog.New(io.Discard).Hook(zerologsentry.NewHook(opts)))
			}
			boom := errors.New("s31 times")
			var windows [][2]time.Time
			for range 6 {
				time.Sleep(15 * time.Millisecond)
				before := time.Now()
				l.Error().Err(boom).Msg("charge failed")
				windows = append(windows, [2]time.Time{before, time.Now()})
			}
			if n := len(rec.Events()); n != 1 {
				t.Fatalf("skip %v, writer %v: %d events, want 1", skip, viaWriter, n)
			}
			var i int
			for _, c := range logcrumbs.FromContext(ctx).Breadcrumbs() {
				if c.Message != "charge failed" {
					continue
				}
				if i >= len(windows) {
					t.Fatalf("skip %v, writer %v: more breadcrumbs than records", skip, viaWriter)
				}
				w := windows[i]
				if c.Timestamp.Before(w[0].Add(-slack)) || c.Timestamp.After(w[1].Add(slack)) {
					t.Errorf("skip %v, writer %v: breadcrumb %d at %v, logged between %v and %v", skip, viaWriter, i,
						c.Timestamp.Format(time.StampMicro), w[0].Format(time.StampMicro), w[1].Format(time.StampMicro))
				}
				if _, ok := c.Data["sentry.event_id"]; !ok {
					t.Errorf("skip %v, writer %v: breadcrumb %d names no event", skip, viaWriter, i)
				}
				i++
			}
			if i != len(windows) {
				t.Errorf("skip %v, writer %v: %d breadcrumbs of %d records", skip, viaWriter, i, len(windows))
			}
		}
	}
}

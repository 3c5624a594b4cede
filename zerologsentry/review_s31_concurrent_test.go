package zerologsentry_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/core"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestS31ConcurrentRepeatsCounted: goroutines of several units of work
// log one error value again and again from one line, through a Hook and
// a Writer, with skipped repeats (core.SetSkipRepeats) and without. One
// event is sent (the deduplication window spans the run); every other
// record is a repeat of it, counted once (the summaries of Flush), and
// every unit keeps a breadcrumb of each of its records, none of which
// names an event that was never sent ("a breadcrumb never names an event
// that was not sent", buffer.Trail.Recaptured). Rounds are repeated, as
// the records race.
func TestS31ConcurrentRepeatsCounted(t *testing.T) {
	defer core.SetSkipRepeats(true)
	for _, skip := range []bool{false, true} {
		for round := range 20 {
			if msg := s31Round(t, skip, round); msg != "" {
				t.Fatalf("skip %v, round %d: %s", skip, round, msg)
			}
		}
	}
}

func s31Round(t *testing.T, skip bool, round int) string {
	core.SetSkipRepeats(skip)
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.DedupeWindow = time.Minute
	hook := zerologsentry.NewHook(zerologsentry.Options{Options: opts})
	writer := zerologsentry.NewWriter(io.Discard, zerologsentry.Options{Options: opts})
	boom := fmt.Errorf("s31 boom %v %d", skip, round)
	const units, goroutines, each = 4, 6, 15
	var ctxs []context.Context
	for range units {
		ctxs = append(ctxs, rec.Context(context.Background()))
	}
	var wg sync.WaitGroup
	for u, ctx := range ctxs {
		for g := range goroutines {
			wg.Go(func() {
				var l zerolog.Logger
				if (u+g)%2 == 0 {
					_, l = zerologsentry.WithContext(ctx, zerolog.New(io.Discard).Hook(hook))
				} else {
					_, l = writer.WithContext(ctx, zerolog.New(writer))
				}
				for range each {
					l.Error().Err(boom).Str("path", "/cart").Msg("charge failed")
				}
			})
		}
	}
	wg.Wait()
	sent := len(rec.Events())
	logcrumbs.Flush(time.Second)
	repeats := 0
	for _, ev := range rec.Events()[sent:] {
		n, _ := ev.Contexts["logcrumbs"]["repeats"].(int)
		repeats += n
	}
	var problems []string
	if total := units * goroutines * each; sent != 1 || sent+repeats != total {
		problems = append(problems, fmt.Sprintf("%d events sent and %d repeats counted, of %d records", sent, repeats, total))
	}
	ids := map[string]bool{}
	for _, ev := range rec.Events()[:sent] {
		ids[string(ev.EventID)] = true
	}
	for i, ctx := range ctxs {
		n, unsent := 0, 0
		for _, c := range logcrumbs.FromContext(ctx).Breadcrumbs() {
			if c.Message != "charge failed" {
				continue
			}
			n++
			if id, _ := c.Data["sentry.event_id"].(string); !ids[id] {
				unsent++
			}
		}
		if n != goroutines*each || unsent > 0 {
			problems = append(problems, fmt.Sprintf("unit %d keeps %d breadcrumbs of %d records, %d naming no event sent", i, n, goroutines*each, unsent))
		}
	}
	return strings.Join(problems, "; ")
}

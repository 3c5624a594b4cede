package zerologsentry_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestHookAndWriterSameOutcomeRandom: random sequences of records (every
// level below Fatal, messages with escapes, non-ASCII and lengths past
// the limits, random fields with groups, zerolog's own names, RawJSON,
// errors and their repeats, ErrorMarshalFunc set or not, a logger's With
// fields, random limits) logged through a Hook and through a Writer (in
// front of a ConsoleWriter now and then), each bound to a request of its
// own, send the same events, with the same
// breadcrumbs and Logs, and leave the same trails: the two bindings
// "differ only in how they learn the request". Some records have no
// message (Send), some of those a last field named "message", which
// zerolog's output cannot tell from a message. Messages hold invalid
// UTF-8 now and then (zlText's 0xff bytes, and runs of bad bytes), which
// the Writer reads as zerolog wrote it, one \ufffd a byte, and the Hook
// as the program gave it.
func TestHookAndWriterSameOutcomeRandom(t *testing.T) {
	seeds := 150
	if testing.Short() {
		seeds = 30
	}
	prev := zerolog.ErrorMarshalFunc
	defer func() { zerolog.ErrorMarshalFunc = prev }()
	for seed := range uint64(seeds) {
		var dumps [2][]string
		for i, writer := range []bool{false, true} {
			r := rand.New(rand.NewPCG(seed, 31))
			zlSmall = seed%3 == 0
			zerolog.ErrorMarshalFunc = prev
			if r.IntN(2) == 0 {
				zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(prev)
			}
			rec := logcrumbstest.New(t)
			opts := zerologsentry.Options{Options: rec.Options()}
			opts.LogsOnEvent = r.IntN(3) == 0
			if r.IntN(2) == 0 {
				opts.BreadcrumbLimits = zlLimits(r)
				opts.EventLimits = zlLimits(r)
			}
			run := fmt.Sprintf(" #%d", seed)
			errs := []error{errors.New("declined" + run), fmt.Errorf("charge: %w", errors.New("declined"+run)), errors.New("out of stock" + run)}
			ctx := rec.Context(context.Background())
			log := boundLogger(ctx, opts, writer)
			if r.IntN(4) == 0 {
				// Output through a ConsoleWriter, with the Writer in front
				// of it (behind it, it is given no JSON to read).
				console := zerolog.ConsoleWriter{Out: io.Discard, NoColor: true}
				if writer {
					w := zerologsentry.NewWriter(console, opts)
					_, log = w.WithContext(ctx, zerolog.New(w))
				} else {
					_, log = zerologsentry.WithContext(ctx, zerolog.New(console).Hook(zerologsentry.NewHook(opts)))
				}
			}
			if r.IntN(3) == 0 {
				log = addRandomContext(r, log.With()).Logger()
			}
			for range 4 + r.IntN(12) {
				var e *zerolog.Event
				switch r.IntN(6) {
				case 0:
					e = log.Debug()
				case 1:
					e = log.Info()
				case 2:
					e = log.Warn()
				case 3:
					e = log.Log()
				default:
					e = log.Error()
				}
				if r.IntN(2) == 0 {
					e = e.Err(errs[r.IntN(len(errs))])
				}
				e = addRandomFields(r, e, 0)
				msg := "m" + zlText(r, zlSize(r))
				if r.IntN(4) == 0 { // a run of bad bytes: a cut-off rune, then 0xfe
					msg += "\xe2\x82\xfe" + zlText(r, zlSize(r))
				}
				switch r.IntN(5) {
				case 0:
					// No message, a last field of the program's named
					// "message": in zerolog's output, the message.
					e.Str(zerolog.MessageFieldName, msg).Send()
				case 1:
					e.Send() // no message; maybe a last field "message" of addRandomFields'
				default:
					e.Msg(msg)
				}
			}
			dumps[i] = dumpRepeats(rec, len(rec.Events()), []context.Context{ctx}, nil, run)
		}
		if strings.Join(dumps[0], "\n") != strings.Join(dumps[1], "\n") {
			for i := range min(len(dumps[0]), len(dumps[1])) {
				if dumps[0][i] != dumps[1][i] {
					t.Fatalf("seed %d: line %d differs:\nhook:   %s\nwriter: %s", seed, i, dumps[0][i], dumps[1][i])
				}
			}
			t.Fatalf("seed %d: %d lines through the hook, %d through the writer", seed, len(dumps[0]), len(dumps[1]))
		}
	}
	zlSmall = false
}

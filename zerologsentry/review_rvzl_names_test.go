package zerologsentry_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestBreadcrumbFieldNamesAsLogged: a breadcrumb shows the record's fields
// as zerolog's field names stood when it was logged, whether its fields were
// parsed then (Options.EscalateIf set: the predicate reads them) or kept
// encoded and parsed when an event carries them: a program that sets
// zerolog.TimestampFieldName, LevelFieldName or ErrorStackFieldName after
// its first records (a configuration read at start-up, after init's logs)
// must not see those records' own fields vanish, nor zerolog's time and
// level fields appear as data.
func TestBreadcrumbFieldNamesAsLogged(t *testing.T) {
	defer func(l, ts, st string) {
		zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName = l, ts, st
	}(zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName)
	run := func(t *testing.T, writer, eager bool) []string {
		zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName = "level", "time", "stack"
		rec := logcrumbstest.New(t)
		opts := zerologsentry.Options{Options: rec.Options()}
		if eager {
			opts.EscalateIf = func(logcrumbs.Record) bool { return false }
		}
		log := boundLogger(rec.Context(context.Background()), opts, writer)
		log.Info().Str("ts", "user's ts").Str("sev", "user's sev").Str("trace", "user's trace").
			Str("time", "zerolog's time").Msg("before")
		zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName = "sev", "ts", "trace"
		log.Info().Str("ts", "zerolog's ts").Str("time", "user's time").Msg("after")
		log.Error().Msg("failed")
		var lines []string
		for _, b := range rec.OnlyEvent().Breadcrumbs() {
			keys := make([]string, 0, len(b.Data))
			for k := range b.Data {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			line := b.Message + ":"
			for _, k := range keys {
				line += fmt.Sprintf(" %s=%v", k, b.Data[k])
			}
			lines = append(lines, line)
		}
		return lines
	}
	for _, writer := range []bool{false, true} {
		eager := run(t, writer, true)
		deferred := run(t, writer, false)
		want := []string{
			"before: sev=user's sev trace=user's trace ts=user's ts",
			"after: time=user's time",
		}
		if strings.Join(eager, "\n") != strings.Join(want, "\n") {
			t.Errorf("writer %v, parsed when logged:\n%s\nwant\n%s", writer, strings.Join(eager, "\n"), strings.Join(want, "\n"))
		}
		if strings.Join(deferred, "\n") != strings.Join(eager, "\n") {
			t.Errorf("writer %v, parsed when read:\n%s\nparsed when logged:\n%s", writer, strings.Join(deferred, "\n"), strings.Join(eager, "\n"))
		}
	}
}

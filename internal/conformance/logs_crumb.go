package conformance

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// LogsKeepSameBreadcrumb: turning the Logs level on changes nothing of the
// trail: the breadcrumb kept of a record the Logs level sends (made within
// the event limits for Sentry Logs, then cut to the breadcrumb limits) is
// the breadcrumb kept of the same record without it, whatever the record
// holds past the breadcrumb limits (a long value, message or error, many
// fields, a group of long values, fields of the logger's With), and
// whether Options.EscalateIf (declining) has the record's errors gathered.
func testLogsKeepSameBreadcrumb(t *testing.T, d Driver) {
	forSameBreadcrumbCases(t, func(t *testing.T, msg string, with, fields []Field, set func(*logcrumbs.Options)) {
		logsKeepSameBreadcrumb(t, d, msg, with, fields, set)
	})
}

// forSameBreadcrumbCases runs run for each record shape past the
// breadcrumb limits (a long value, message or error, many fields, a group
// of long values, fields of the logger's With), without and with
// Options.EscalateIf (declining: the record is then built with its errors
// gathered, and the trail keeps a copy of it), as set.
func forSameBreadcrumbCases(t *testing.T, run func(t *testing.T, msg string, with, fields []Field, set func(*logcrumbs.Options))) {
	long := strings.Repeat("v", 3000)
	many := func(n int) []Field {
		fs := make([]Field, n)
		for i := range fs {
			fs[i] = Field{fmt.Sprintf("a%03d", i), i}
		}
		return fs
	}
	cases := []struct {
		name   string
		msg    string
		with   []Field
		fields []Field
	}{
		{"long value", "m", nil, []Field{{"q", long}, {"n", 1}}},
		{"long message", long, nil, []Field{{"n", 1}}},
		{"long error", "m", nil, []Field{{"err", errors.New(long)}}},
		{"100 fields", "m", nil, many(100)},
		{"600 fields", "m", nil, many(600)},
		{"group of long values", "m", nil, []Field{{"g", Group{{"a", long}, {"b", long}, {"c", long}, {"d", long}}}, {"after", 1}}},
		{"long values past the record's bytes", "m", nil, []Field{{"a", long}, {"b", long}, {"c", long}, {"d", long}, {"e", 1}}},
		{"with fields", "m", append(many(40), Field{"w", long}), many(40)},
		{"with 70 fields", "m", many(70), []Field{{"own", 1}}},
		{"with long values past the record's bytes", "m", []Field{{"a", long}, {"b", long}, {"c", long}, {"d", long}, {"e", 1}}, []Field{{"own", long}}},
		{"with a group of long values", "m", []Field{{"g", Group{{"a", long}, {"b", long}, {"c", long}, {"d", long}}}}, []Field{{"own", 1}}},
		{"with an error", "m", []Field{{"werr", errors.New(long)}}, []Field{{"own", long}}},
	}
	escalateIf := func(o *logcrumbs.Options) {
		o.EscalateIf = func(logcrumbs.Record) bool { return false }
	}
	for _, c := range cases {
		for _, set := range []func(*logcrumbs.Options){nil, escalateIf} {
			name := c.name
			if set != nil {
				name += " with EscalateIf"
			}
			t.Run(name, func(t *testing.T) { run(t, c.msg, c.with, c.fields, set) })
		}
	}
}

// logsKeepSameBreadcrumb logs msg with fields through a logger of d (with
// the fields of with), then an error, with the Logs level off and on, and
// compares the breadcrumbs of the first record.
func logsKeepSameBreadcrumb(t *testing.T, d Driver, msg string, with, fields []Field, set func(*logcrumbs.Options)) {
	var crumbs [2][]logcrumbstest.Breadcrumb
	for i, logs := range []bool{false, true} {
		logger, rec := newLogsLogger(t, d, logs, Info, set)
		log := logger.Bind(rec.Context(context.Background()))
		if with != nil {
			log = log.With(with...)
		}
		log.Log(Info, msg, fields...)
		log.Log(Error, "failed", Field{"err", errors.New("boom " + t.Name())})
		crumbs[i] = rec.OnlyEvent().Breadcrumbs()
		if logs && len(rec.Logs()) != 2 {
			t.Fatalf("%d logs, want the Info and the Error record", len(rec.Logs()))
		}
	}
	if len(crumbs[0]) == 0 || len(crumbs[1]) == 0 {
		t.Fatalf("breadcrumbs: %d without Logs, %d with", len(crumbs[0]), len(crumbs[1]))
	}
	if a, b := crumbs[0][0], crumbs[1][0]; !reflect.DeepEqual(a, b) {
		t.Errorf("the Info record's breadcrumb differs with the Logs level on:\nwithout: %.400v (%d data)\nwith:    %.400v (%d data)", a, len(a.Data), b, len(b.Data))
	}
}

// PassThroughKeepSameBreadcrumb: a record Options.PassThroughLevel sends to
// Sentry Logs, made within the event limits (PassThroughWholeValues), keeps
// the breadcrumb it would keep with PassThroughLevel off, as a record of
// the Logs level does (LogsKeepSameBreadcrumb).
func testPassThroughKeepSameBreadcrumb(t *testing.T, d Driver) {
	forSameBreadcrumbCases(t, func(t *testing.T, msg string, with, fields []Field, set func(*logcrumbs.Options)) {
		var crumbs [2]logcrumbstest.Breadcrumb
		for i, pass := range []bool{false, true} {
			logger, rec := newLogger(t, d, func(o *logcrumbs.Options) {
				if set != nil {
					set(o)
				}
				if pass {
					o.PassThroughLevel = sentry.LevelInfo
				}
			})
			log := logger.Bind(rec.Context(context.Background()))
			if with != nil {
				log = log.With(with...)
			}
			log.Log(Error, "failed", Field{"err", errors.New("boom " + t.Name())})
			log.Log(Info, msg, fields...)
			log.Log(Error, "failed again", Field{"err", errors.New("bang " + t.Name())})
			evs := rec.Events()
			if len(evs) != 2 {
				t.Fatalf("%d events %q, want 2", len(evs), messages(evs))
			}
			bcs := evs[1].Breadcrumbs()
			if len(bcs) < 2 {
				t.Fatalf("second event's breadcrumbs %v, want the first error's and the Info record's", bcs)
			}
			crumbs[i] = bcs[len(bcs)-1]
			if pass {
				n := 0
				for _, l := range rec.Logs() {
					if l.Body == msg {
						n++
					}
				}
				if n != 1 {
					t.Errorf("the Info record sent to Sentry Logs %d times, want once (%d logs)", n, len(rec.Logs()))
				}
			}
		}
		if a, b := crumbs[0], crumbs[1]; !reflect.DeepEqual(a, b) {
			t.Errorf("the Info record's breadcrumb differs with PassThroughLevel on:\nwithout: %.400v (%d data)\nwith:    %.400v (%d data)", a, len(a.Data), b, len(b.Data))
		}
	})
}

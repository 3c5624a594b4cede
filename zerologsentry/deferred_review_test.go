package zerologsentry_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// randomText returns a field text or key for TestDeferredRepeatBreadcrumbs:
// mostly short, else long, escaped, invalid UTF-8 or over 128 bytes.
func randomText(r *rand.Rand) string {
	if r.Intn(3) > 0 {
		return "s"
	}
	switch r.Intn(6) {
	case 0:
		return strings.Repeat("é", r.Intn(700))
	case 1:
		return "a\"b\\c\n\x01" + strings.Repeat("x", r.Intn(40))
	case 2:
		return string([]byte{0xff, 0xfe, 'a'})
	case 3:
		return strings.Repeat("k", 120+r.Intn(30))
	default:
		return fmt.Sprint("v", r.Intn(100))
	}
}

// TestDeferredRepeatBreadcrumbs: on random records (escapes, invalid
// UTF-8, keys over 128 bytes, values over the limits, empty and nested
// dicts, arrays, AnErr and "error" decoys) under limits of every kind (the
// breadcrumb's over the event's, and under), the breadcrumb of a skipped
// repeat whose fields stay deferred reads as the one before it, parsed at
// once.
func TestDeferredRepeatBreadcrumbs(t *testing.T) {
	limits := []logcrumbs.Options{
		{},
		{BreadcrumbLimits: logcrumbs.Limits{MaxAttrs: 6}},
		{BreadcrumbLimits: logcrumbs.Limits{MaxAttrs: 6}, EventLimits: logcrumbs.Limits{MaxAttrs: 9}},
		{BreadcrumbLimits: logcrumbs.Limits{MaxAttrs: 10, MaxValueBytes: 50, MaxRecordBytes: 400}},
		{EventLimits: logcrumbs.Limits{MaxAttrs: 8, MaxValueBytes: 40, MaxRecordBytes: 300}},
		{EventLimits: logcrumbs.Limits{MaxAttrs: 20, MaxValueBytes: 100, MaxRecordBytes: 3000}, BreadcrumbLimits: logcrumbs.Limits{MaxAttrs: 20, MaxValueBytes: 100, MaxRecordBytes: 3000}},
		{EventLimits: logcrumbs.Limits{MaxAttrs: 30, MaxValueBytes: 200, MaxRecordBytes: 2000}, BreadcrumbLimits: logcrumbs.Limits{MaxAttrs: 100, MaxValueBytes: 2000, MaxRecordBytes: 20000}},
	}
	for seed := range 400 {
		r := rand.New(rand.NewSource(int64(seed)))
		lim := limits[seed%len(limits)]
		rec := logcrumbstest.New(t)
		o := rec.Options()
		o.BreadcrumbLimits, o.EventLimits = lim.BreadcrumbLimits, lim.EventLimits
		opts := zerologsentry.Options{Options: o}
		ctx := rec.Context(context.Background())
		_, log := zerologsentry.WithContext(ctx, zerolog.New(io.Discard).Hook(zerologsentry.NewHook(opts)))
		nf := r.Intn(40)
		type f struct {
			kind int
			k, v string
		}
		var fields []f
		for i := 0; i < nf; i++ {
			k := fmt.Sprint("k", i)
			if r.Intn(8) == 0 {
				k = randomText(r)
			}
			fields = append(fields, f{r.Intn(7), k, randomText(r)})
		}
		err1, err2 := errors.New("boom"), errors.New("other")
		fail := func(err error) {
			e := log.Error()
			for _, x := range fields {
				switch x.kind {
				case 0:
					e = e.Str(x.k, x.v)
				case 1:
					e = e.Int(x.k, len(x.v))
				case 2:
					e = e.Dict(x.k, zerolog.Dict())
				case 3:
					e = e.Dict(x.k, zerolog.Dict().Str("a", x.v).Dict("b", zerolog.Dict()))
				case 4:
					e = e.RawJSON(x.k, []byte(`[1,"`+strings.Repeat("z", len(x.v)%300)+`"]`))
				case 5:
					e = e.AnErr(x.k, err)
				case 6:
					e = e.Str("error", x.v)
				}
			}
			e.Err(err).Msg("failed")
		}
		fail(err1)
		fail(err1)
		fail(err1)
		fail(err2)
		events := rec.Events()
		if len(events) < 1 {
			t.Fatalf("seed %d: %d events", seed, len(events))
		}
		crumbs := events[len(events)-1].Breadcrumbs()
		if len(crumbs) < 3 {
			t.Fatalf("seed %d: %d crumbs", seed, len(crumbs))
		}
		if !reflect.DeepEqual(crumbs[1], crumbs[2]) {
			t.Fatalf("seed %d lim %d:\n%+v\n%+v", seed, seed%len(limits), crumbs[1], crumbs[2])
		}
		if len(events) != 2 {
			t.Fatalf("seed %d: %d events", seed, len(events))
		}
	}
}

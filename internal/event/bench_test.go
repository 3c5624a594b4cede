package event

import (
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/policy"
)

// benchTrail returns a full trail of n records like the bench module's info
// record: a message and 4 attributes (string, int, duration, bool).
func benchTrail(n int) *buffer.Trail {
	t := buffer.NewTrail(n)
	now := time.Now()
	for range n {
		r := buffer.Get(now, buffer.LevelInfo, buffer.DefaultBreadcrumbLimits)
		r.SetLogger("slog")
		r.SetMessage("request served")
		r.AddText(buffer.KindString, "path", "/users/42")
		r.AddScalar(buffer.KindInt64, "status", 200)
		r.AddScalar(buffer.KindDuration, "took", uint64(3*time.Millisecond))
		r.AddScalar(buffer.KindBool, "cached", 0)
		t.Append(r)
	}
	return t
}

// BenchmarkBreadcrumbs is the event path's share of a trail: converting,
// scrubbing and gating its records as an event's breadcrumbs, and with
// "+before" passing each through a client's BeforeBreadcrumb that keeps
// it. Per breadcrumb: (trail100 - trail20) / 80.
func BenchmarkBreadcrumbs(b *testing.B) {
	client, err := sentry.NewClient(sentry.ClientOptions{})
	if err != nil {
		b.Fatal(err)
	}
	keep := func(b *sentry.Breadcrumb, _ *sentry.BreadcrumbHint) *sentry.Breadcrumb { return b }
	for _, before := range []bool{false, true} {
		for _, n := range []int{20, 100} {
			name := "trail" + itoa(n)
			conf := policy.ClientConf{Client: client, MaxBreadcrumbs: 100}
			if before {
				name += "+before"
				conf.BeforeBreadcrumb = keep
			}
			b.Run(name, func(b *testing.B) {
				trail := benchTrail(n)
				b.ReportAllocs()
				for b.Loop() {
					crumbs, _ := breadcrumbs(trail, conf, Default.scrub, &userGate{client: client})
					if len(crumbs) != n {
						b.Fatalf("%d breadcrumbs, want %d", len(crumbs), n)
					}
				}
			})
		}
	}
}

func itoa(n int) string {
	if n == 20 {
		return "20"
	}
	return "100"
}

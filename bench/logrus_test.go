package bench

import (
	"context"
	"io"
	"testing"

	"github.com/getsentry/sentry-go"
	"github.com/sirupsen/logrus"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logrussentry"
)

// noFormat is a logrus formatter that writes nothing: the hook stand-alone.
type noFormat struct{}

func (noFormat) Format(*logrus.Entry) ([]byte, error) { return nil, nil }

func logrusOpts(hub *sentry.Hub) logrussentry.Options {
	return logrussentry.Options{Options: logcrumbs.Options{Hub: hub, DedupeWindow: noDedupe}}
}

// newLogrus returns a logger at Info writing JSON to io.Discard (nothing
// with json false), with the logcrumbs hook when hub is not nil.
func newLogrus(json bool, hub *sentry.Hub, opts func(*logrussentry.Options)) *logrus.Logger {
	l := logrus.New()
	l.SetOutput(io.Discard)
	l.SetFormatter(noFormat{})
	if json {
		l.SetFormatter(&logrus.JSONFormatter{})
	}
	if hub != nil {
		o := logrusOpts(hub)
		if opts != nil {
			opts(&o)
		}
		l.AddHook(logrussentry.NewHook(o))
	}
	return l
}

// logrusCases: logrus' JSON formatter, the logcrumbs hook alone (a
// formatter that writes nothing) and the hook beside the JSON output.
func logrusCases(b *testing.B) []struct {
	name string
	l    *logrus.Logger
	tr   *countingTransport
} {
	hub, tr := newHub(b)
	hub2, tr2 := newHub(b)
	return []struct {
		name string
		l    *logrus.Logger
		tr   *countingTransport
	}{
		{"json", newLogrus(true, nil, nil), nil},
		{"logcrumbs", newLogrus(false, hub, nil), tr},
		{"json+logcrumbs", newLogrus(true, hub2, nil), tr2},
	}
}

func logLogrusInfo(e *logrus.Entry) {
	e.WithFields(logrus.Fields{"path": path, "status": status, "took": took, "cached": cached}).Info(msg)
}

func BenchmarkLogrusBreadcrumb(b *testing.B) {
	for _, c := range logrusCases(b) {
		b.Run(c.name, func(b *testing.B) {
			e := c.l.WithContext(logcrumbs.NewContext(context.Background()))
			warm(func() { logLogrusInfo(e) })
			b.ReportAllocs()
			for b.Loop() {
				logLogrusInfo(e)
			}
		})
	}
}

func BenchmarkLogrusBreadcrumbParallel(b *testing.B) {
	for _, c := range logrusCases(b) {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				e := c.l.WithContext(logcrumbs.NewContext(context.Background()))
				for pb.Next() {
					logLogrusInfo(e)
				}
			})
		})
	}
}

// BenchmarkLogrusFiltered: a debug entry where every level in use is info
// (logrus drops it before any hook, by the logger's level).
func BenchmarkLogrusFiltered(b *testing.B) {
	hub, _ := newHub(b)
	for _, c := range []struct {
		name string
		l    *logrus.Logger
	}{
		{"json", newLogrus(true, nil, nil)},
		{"json+logcrumbs", newLogrus(true, hub, func(o *logrussentry.Options) { o.BreadcrumbLevel = logrus.InfoLevel })},
	} {
		b.Run(c.name, func(b *testing.B) {
			e := c.l.WithContext(logcrumbs.NewContext(context.Background()))
			b.ReportAllocs()
			for b.Loop() {
				e.WithFields(logrus.Fields{"path": path, "status": status, "took": took, "cached": cached}).Debug(msg)
			}
		})
	}
}

func BenchmarkLogrusEvent(b *testing.B) {
	for _, trail := range trails {
		for _, name := range []string{"logcrumbs", "json+logcrumbs"} {
			b.Run(name+"-"+trail.name, func(b *testing.B) {
				hub, tr := newHub(b)
				runEvents(b, tr, logrusEvents(newLogrus(name == "json+logcrumbs", hub, nil), trail.n, b))
			})
		}
	}
}

// logrusEvents is the op of a BenchmarkLogrusEvent row (see eventOp).
func logrusEvents(l *logrus.Logger, n int, tm timer) func(i int) {
	return eventOp(n, tm, l.WithContext, logLogrusInfo, func(e *logrus.Entry, i int) {
		e.WithFields(logrus.Fields{"path": path, "status": status, "took": took}).WithError(newError(i)).Error("charge failed")
	})
}

// BenchmarkLogrusRepeat: one request logs the same error value from one
// call site over and over; after the first, capture-once and repeat
// counting skip it (events/op near 0). Compared with logrus' JSON
// formatter alone. Deduplication is on, as by default.
func BenchmarkLogrusRepeat(b *testing.B) {
	err := newError(0)
	for _, name := range []string{"json", "json+logcrumbs"} {
		b.Run(name, func(b *testing.B) {
			hub, tr := newHub(b)
			var h *sentry.Hub
			if name == "json+logcrumbs" {
				h = hub
			}
			e := newLogrus(true, h, func(o *logrussentry.Options) { o.DedupeWindow = 0 }).WithContext(logcrumbs.NewContext(context.Background()))
			b.ReportAllocs()
			for b.Loop() {
				e.WithFields(logrus.Fields{"path": path, "status": status, "took": took}).WithError(err).Error("charge failed")
			}
			reportEvents(b, tr)
		})
	}
}

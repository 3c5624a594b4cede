package logrussentry_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/sirupsen/logrus"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logrussentry"
)

func TestProbeLogFatalBlocks(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	defer srv.Close()
	defer close(release)
	client, _ := sentry.NewClient(sentry.ClientOptions{Dsn: strings.Replace(srv.URL, "http://", "http://key@", 1) + "/1"})
	l := logrus.New()
	l.SetOutput(&bytes.Buffer{})
	l.AddHook(logrussentry.NewHook(logrussentry.Options{Options: logcrumbs.Options{Hub: sentry.NewHub(client, sentry.NewScope())}}))
	log := l.WithContext(logcrumbs.NewContext(context.Background()))
	start := time.Now()
	log.Log(logrus.FatalLevel, "not exiting")
	log.Logf(logrus.PanicLevel, "not panicking %d", 1)
	t.Logf("took %v", time.Since(start))
}

func TestProbeLogPanicThenPanic(t *testing.T) {
	l, rec := newLogger(t, nil, nil)
	func() {
		defer func() { _ = recover() }()
		_ = logcrumbs.RunJob(context.Background(), "job", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
			log := l.WithContext(ctx)
			log.Log(logrus.PanicLevel, "severity only")
			log.Panic("real")
			return nil
		})
	}()
	for _, e := range rec.Events() {
		t.Logf("event %q", e.Message)
	}
}

package logrussentry_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/sirupsen/logrus"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/conformance"
	"github.com/logcrumbs/logcrumbs/logrussentry"
)

// TestOnlyExitsAndPanicsWait: Fatal and Panic in all their forms wait for
// delivery; Log, Logf and Logln at FatalLevel or PanicLevel, which logrus
// documents as neither exiting nor panicking, are sent without waiting (they
// waited up to FlushTimeout each, 2 seconds with Sentry unreachable).
func TestOnlyExitsAndPanicsWait(t *testing.T) {
	tr := &conformance.HeldTransport{}
	client, err := sentry.NewClient(sentry.ClientOptions{Dsn: "https://k@example.com/1", Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
	l := logrus.New()
	l.SetOutput(&bytes.Buffer{})
	l.ExitFunc = func(int) {}
	l.AddHook(logrussentry.NewHook(logrussentry.Options{Options: logcrumbs.Options{Hub: sentry.NewHub(client, sentry.NewScope())}}))
	log := l.WithContext(logcrumbs.NewContext(context.Background()))
	for i, c := range []struct {
		name  string
		log   func(msg string)
		waits bool
	}{
		{"Entry.Log(Fatal)", func(m string) { log.Log(logrus.FatalLevel, m) }, false},
		{"Entry.Logf(Panic)", func(m string) { log.Logf(logrus.PanicLevel, "%s", m) }, false},
		{"Logger.Logln(Fatal)", func(m string) { l.Logln(logrus.FatalLevel, m) }, false},
		{"Logger.Log(Panic)", func(m string) { l.Log(logrus.PanicLevel, m) }, false},
		{"Entry.Fatal", func(m string) { log.Fatal(m) }, true},
		{"Entry.Fatalf", func(m string) { log.Fatalf("%s", m) }, true},
		{"Logger.Fatalln", func(m string) { l.Fatalln(m) }, true},
		{"Logger.FatalFn", func(m string) { l.FatalFn(func() []any { return []any{m} }) }, true},
		{"Entry.Panic", func(m string) { log.Panic(m) }, true},
		{"Logger.Panicf", func(m string) { l.Panicf("%s", m) }, true},
		{"Entry.Panicln", func(m string) { log.Panicln(m) }, true},
	} {
		tr.FlushWithContext(context.Background()) // deliver what is held
		before := tr.Delivered()
		func() {
			defer func() { _ = recover() }()
			c.log(fmt.Sprint(c.name, " ", i))
		}()
		if waited := tr.Delivered() > before; waited != c.waits {
			t.Errorf("%s: waited for delivery %v, want %v", c.name, waited, c.waits)
		}
	}
}

// TestFireDoesNotBlock: with sentry-go's HTTP transport and a Sentry that
// never answers, Error entries return at once.
func TestFireDoesNotBlock(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	defer srv.Close()
	defer close(release)
	client, err := sentry.NewClient(sentry.ClientOptions{Dsn: strings.Replace(srv.URL, "http://", "http://key@", 1) + "/1"})
	if err != nil {
		t.Fatal(err)
	}
	l := logrus.New()
	l.SetOutput(&bytes.Buffer{})
	l.AddHook(logrussentry.NewHook(logrussentry.Options{Options: logcrumbs.Options{Hub: sentry.NewHub(client, sentry.NewScope())}}))
	log := l.WithContext(logcrumbs.NewContext(context.Background()))
	start := time.Now()
	for i := range 20 {
		log.WithError(fmt.Errorf("e%d", i)).Errorf("failed %d", i)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("20 Error entries took %v", d)
	}
}

package slogsentry_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestWrappingTheDefaultHandler: the newcomer's one-liner
//
//	slog.SetDefault(slog.New(slogsentry.NewHandler(slog.Default().Handler(), opts)))
//
// points the log package, through which slog's own default handler
// writes, back at the new default: each record would come back to the
// handler that is writing it, and the first one deadlocks on log's lock.
// Logging must go on: records are written as slog's default handler writes
// them (log's prefix and flags, then level, message and attributes), to
// where log wrote before, and logcrumbs sees them.
func TestWrappingTheDefaultHandler(t *testing.T) {
	for _, c := range []struct {
		flags  int
		prefix string
	}{{0, ""}, {log.Lmsgprefix, "app: "}, {log.Lshortfile, "app: "}, {log.Lshortfile | log.Lmsgprefix, "app: "}} {
		wrapDefaultHandler(t, c.flags, c.prefix)
	}
}

func wrapDefaultHandler(t *testing.T, flags int, prefix string) {
	if _, ok := slog.Default().Handler().(*slogsentry.Handler); ok {
		t.Fatal("slog's default handler was replaced by an earlier test")
	}
	savedDefault, savedFlags, savedPrefix := slog.Default(), log.Flags(), log.Prefix()
	var out bytes.Buffer
	log.SetOutput(&out)
	log.SetFlags(flags)
	log.SetPrefix(prefix)
	deadlocked := false
	defer func() {
		slog.SetDefault(savedDefault) // the default handler: log's output is not restored by it
		if deadlocked {
			return // log's lock is held for good: restoring it would hang too
		}
		log.SetOutput(os.Stderr)
		log.SetFlags(savedFlags)
		log.SetPrefix(savedPrefix)
	}()
	rec := logcrumbstest.New(t)
	ctx := rec.Context(context.Background())
	logSome := func(l *slog.Logger) {
		l.InfoContext(ctx, "cart loaded", "items", 3, "note", "two words", "msg", "mine")
		l.With("user", "u1").WithGroup("req").ErrorContext(ctx, "checkout failed", "err", errors.New("card declined"), "path", "/cart")
		l.WarnContext(ctx, "no attributes")
	}

	// What slog's default handler writes, unwrapped: the reference.
	logSome(slog.New(slog.Default().Handler()))
	want := out.String()
	out.Reset()

	slog.SetDefault(slog.New(slogsentry.NewHandler(slog.Default().Handler(), slogsentry.Options{Options: rec.Options()})))
	done := make(chan struct{})
	go func() {
		defer close(done)
		logSome(slog.Default())
		log.Print("legacy") // the log package, which SetDefault sent to slog
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		deadlocked = true
		t.Fatal("logging through slog.SetDefault(slog.New(slogsentry.NewHandler(slog.Default().Handler(), ...))) deadlocked")
	}
	got := out.String()
	last := strings.LastIndex(strings.TrimSuffix(got, "\n"), "\n") + 1
	if legacy := got[last:]; !strings.Contains(legacy, "INFO ") || !strings.HasSuffix(legacy, "legacy\n") {
		t.Errorf("flags %d, prefix %q: log.Print wrote %q, want it through slog: ...INFO legacy", flags, prefix, legacy)
	}
	if got := got[:last]; got != want {
		t.Errorf("flags %d, prefix %q: wrote\n%q\nwant what slog's default handler writes\n%q", flags, prefix, got, want)
	}
	ev := rec.OnlyEvent()
	if ev.Message != "checkout failed" || len(ev.BreadcrumbMessages()) != 1 || ev.BreadcrumbMessages()[0] != "cart loaded" {
		t.Errorf("event %q with breadcrumbs %v, want checkout failed with [cart loaded]", ev.Message, ev.BreadcrumbMessages())
	}
}

// TestRestoringTheDefaultHandler: a program (or a test) that makes the
// wrapper the default and later gives slog its original default back
// (slog.SetDefault(saved), as a deferred restore does) goes on logging.
// slog.SetDefault does not give the log package its writer back: slog's
// default handler writes through log, which still sends its output to the
// wrapper, which hands it back to slog's default handler, and logging hung
// on log's lock. Records are written once, where the wrapper wrote them.
func TestRestoringTheDefaultHandler(t *testing.T) {
	if _, ok := slog.Default().Handler().(*slogsentry.Handler); ok {
		t.Fatal("slog's default handler was replaced by an earlier test")
	}
	saved, savedFlags := slog.Default(), log.Flags()
	var out bytes.Buffer
	log.SetOutput(&out)
	log.SetFlags(0)
	deadlocked := false
	defer func() {
		slog.SetDefault(saved)
		if deadlocked {
			return // log's lock is held for good
		}
		log.SetOutput(os.Stderr)
		log.SetFlags(savedFlags)
	}()
	rec := logcrumbstest.New(t)
	for _, logBefore := range []bool{true, false} {
		rec.Reset()
		ctx := rec.Context(context.Background())
		out.Reset()
		log.SetOutput(&out)
		// Flags that write nothing, but not 0: the restore without logging
		// in between is told by SetDefault clearing them (see
		// flagsCleared); with log's flags 0 from the start it deadlocks.
		log.SetFlags(log.Lmsgprefix)
		l := slog.New(slogsentry.NewHandler(slog.Default().Handler(), slogsentry.Options{Options: rec.Options()}))
		slog.SetDefault(l)
		if logBefore {
			slog.InfoContext(ctx, "before the restore")
		}
		slog.SetDefault(saved)
		done := make(chan struct{})
		go func() {
			defer close(done)
			slog.InfoContext(ctx, "after the restore", "n", 1)
			log.Print("legacy")
			l.InfoContext(ctx, "through the wrapper")
			l.ErrorContext(ctx, "failed")
		}()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			deadlocked = true
			t.Fatalf("logging before the restore %v: slog.SetDefault(original) after slog.SetDefault(slog.New(slogsentry.NewHandler(slog.Default().Handler(), ...))): logging deadlocked", logBefore)
		}
		// slog's default handler writes "INFO after..." through log, which
		// hands it to the wrapper as a message (without its context), as it
		// would to any handler made the default before.
		want := "INFO INFO after the restore n=1\nINFO legacy\nINFO through the wrapper\nERROR failed\n"
		crumbs := "[through the wrapper]"
		if logBefore {
			want = "INFO before the restore\n" + want
			crumbs = "[before the restore through the wrapper]"
		}
		if got := out.String(); got != want {
			t.Errorf("logging before the restore %v: wrote\n%q\nwant\n%q", logBefore, got, want)
		}
		if ev := rec.OnlyEvent(); ev.Message != "failed" || fmt.Sprint(ev.BreadcrumbMessages()) != crumbs {
			t.Errorf("logging before the restore %v: event %q with breadcrumbs %v, want failed with each record once: %s", logBefore, ev.Message, ev.BreadcrumbMessages(), crumbs)
		}
	}
}

// TestWrappedDefaultAfterSetFlagsZero: a program that wraps slog's
// default handler without making the wrapper the default, and later clears
// log's flags itself (log.SetFlags(0), as programs that run under a
// supervisor adding its own timestamps do), and points log elsewhere,
// writes through the wrapper what slog's default handler writes: with log's
// flags and writer of now, not those of when NewHandler was called.
func TestWrappedDefaultAfterSetFlagsZero(t *testing.T) {
	if _, ok := slog.Default().Handler().(*slogsentry.Handler); ok {
		t.Fatal("slog's default handler was replaced by an earlier test")
	}
	savedFlags, savedPrefix := log.Flags(), log.Prefix()
	defer func() {
		log.SetOutput(os.Stderr)
		log.SetFlags(savedFlags)
		log.SetPrefix(savedPrefix)
	}()
	var before, out bytes.Buffer
	log.SetOutput(&before)
	log.SetFlags(log.Lshortfile)
	log.SetPrefix("")
	rec := logcrumbstest.New(t)
	ctx := rec.Context(context.Background())
	l := slog.New(slogsentry.NewHandler(slog.Default().Handler(), slogsentry.Options{Options: rec.Options()}))
	log.SetFlags(0)
	log.SetOutput(&out)
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.InfoContext(ctx, "cart loaded", "items", 3)
		slog.New(slog.Default().Handler()).InfoContext(ctx, "cart loaded", "items", 3) // the reference
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("logging deadlocked")
	}
	if want := "INFO cart loaded items=3\n"; before.String() != "" || out.String() != want+want {
		t.Errorf("wrote %q where log wrote when NewHandler was called, %q where it writes now; want %q, twice, where it writes now, as slog's default handler writes",
			before.String(), out.String(), want)
	}
	if n := len(logcrumbs.FromContext(ctx).Breadcrumbs()); n != 1 {
		t.Errorf("%d breadcrumbs, want 1", n)
	}
}

// TestWrappedDefaultThroughNewLogLogger: a program that wraps slog's default
// handler without making the wrapper the default, clears log's flags, and
// hands the wrapper to a log.Logger of its own (slog.NewLogLogger, for an
// http.Server's ErrorLog) has its slog records written as slog's default
// handler writes them, where log writes now, after a line of that logger
// too. (That line itself is written as when NewHandler was called: from
// the stack, the guard cannot tell that logger from log's, whose lock may
// be held.)
func TestWrappedDefaultThroughNewLogLogger(t *testing.T) {
	savedFlags, savedPrefix := log.Flags(), log.Prefix()
	defer func() {
		log.SetOutput(os.Stderr)
		log.SetFlags(savedFlags)
		log.SetPrefix(savedPrefix)
	}()
	var before, out bytes.Buffer
	log.SetOutput(&before)
	log.SetFlags(log.Lshortfile)
	log.SetPrefix("")
	rec := logcrumbstest.New(t)
	ctx := rec.Context(context.Background())
	h := slogsentry.NewHandler(slog.Default().Handler(), slogsentry.Options{Options: rec.Options()})
	log.SetFlags(0)
	log.SetOutput(&out)
	done := make(chan struct{})
	go func() {
		defer close(done)
		slog.NewLogLogger(h, slog.LevelError).Print("accept failed")
		slog.New(h).InfoContext(ctx, "cart loaded", "items", 3)
		slog.New(h).InfoContext(ctx, "cart saved")
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("logging deadlocked")
	}
	if n := strings.Count(before.String()+out.String(), "ERROR accept failed\n"); n != 1 {
		t.Errorf("the log.Logger's line written %d times (%q where log wrote when NewHandler was called, %q where it writes now), want once",
			n, before.String(), out.String())
	}
	if want := "INFO cart loaded items=3\nINFO cart saved\n"; !strings.HasSuffix(out.String(), want) || strings.Contains(before.String(), "cart") {
		t.Errorf("wrote %q where log wrote when NewHandler was called, %q where it writes now; want %q at the end where it writes now, as slog's default handler writes",
			before.String(), out.String(), want)
	}
	if n := len(logcrumbs.FromContext(ctx).Breadcrumbs()); n != 2 {
		t.Errorf("%d breadcrumbs, want 2", n)
	}
}

// TestRestoredDefaultAfterALoggerLine: after the restore of
// TestRestoringTheDefaultHandler, a line of log's logger through its
// methods (log.Default().Print, which the guard cannot tell from another
// log.Logger's) and log's flags set again without log's writer (a deferred
// restore of log's flags) must not leave the next record to loop back to
// log's lock.
func TestRestoredDefaultAfterALoggerLine(t *testing.T) {
	if _, ok := slog.Default().Handler().(*slogsentry.Handler); ok {
		t.Fatal("slog's default handler was replaced by an earlier test")
	}
	saved, savedFlags := slog.Default(), log.Flags()
	var out bytes.Buffer
	log.SetOutput(&out)
	log.SetFlags(log.Lmsgprefix)
	deadlocked := false
	defer func() {
		slog.SetDefault(saved)
		if deadlocked {
			return // log's lock is held for good
		}
		log.SetOutput(os.Stderr)
		log.SetFlags(savedFlags)
	}()
	rec := logcrumbstest.New(t)
	ctx := rec.Context(context.Background())
	l := slog.New(slogsentry.NewHandler(slog.Default().Handler(), slogsentry.Options{Options: rec.Options()}))
	slog.SetDefault(l)
	slog.SetDefault(saved)
	done := make(chan struct{})
	go func() {
		defer close(done)
		log.Default().Print("legacy")
		log.SetFlags(log.Lmsgprefix)
		slog.InfoContext(ctx, "after the restore")
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		deadlocked = true
		t.Fatal("slog.Info after the restore, log.Default().Print and log.SetFlags: logging deadlocked")
	}
	if want := "INFO legacy\nINFO INFO after the restore\n"; out.String() != want {
		t.Errorf("wrote %q, want %q", out.String(), want)
	}
}

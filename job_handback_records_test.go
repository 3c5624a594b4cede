package logcrumbs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// TestJobHandBackErrorWrapsRecordsOther: a unit of work logs a record of
// an error and its cause side by side (one event), then a job returns the
// error, which it sent as its own event. The job's error logged again
// alone, or wrapped, is the job's event: its chain holds the record's
// other error as its cause, not beside it as a join's member does
// (TestJobHandBackRecordLoggedAsAJoin).
func TestJobHandBackErrorWrapsRecordsOther(t *testing.T) {
	s := newCauseScene(t)
	s.logNames(t, s.errSync, s.job, "the job's error logged alone")
	s.logNames(t, fmt.Errorf("cleanup: %w", s.errSync), s.job, "the job's error wrapped")
}

// TestJobHandBackErrorWrapsRecordsOtherBesideAnother: as
// TestJobHandBackErrorWrapsRecordsOther, with the job's error logged last
// beside an error of another event: no other error of the record's is
// beside it (its cause is under it), so the record of the two names the
// job's event, by its last error, as it did before the job's error's
// own chain was looked in (29dd97b).
func TestJobHandBackErrorWrapsRecordsOtherBesideAnother(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	errCause := errors.New("connection reset")
	errSync := fmt.Errorf("sync failed: %w", errCause)
	errOther := errors.New("quota exceeded")
	logger.ErrorContext(ctx, "quota", "err", errOther)
	other := logcrumbs.LastEventID(ctx)
	logger.ErrorContext(ctx, "save failed", "err", errSync, "cause", errCause)
	record := logcrumbs.LastEventID(ctx)
	var job sentry.EventID
	_ = logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
		logger.ErrorContext(ctx, "cleanup failed", "err", errSync)
		job = logcrumbs.LastEventID(ctx)
		return errSync
	})
	n := len(rec.Events())
	logger.ErrorContext(ctx, "both failed", "quota", errOther, "err", errSync)
	if got := logcrumbs.LastEventID(ctx); got != job {
		t.Errorf("LastEventID %q (the record's %q, the other's %q), want the job's event %q", got, record, other, job)
	}
	if got := len(rec.Events()); got != n {
		t.Errorf("%d events, want %d", got, n)
	}
}

// TestJobHandBackJoinConcurrent: goroutines of one unit of work log, at
// once, a record's two errors as a join and the job's error alone, after
// the job handed its error back: the join names the record's event, the
// job's error the job's, every time, and nothing is sent again (run with
// -race).
func TestJobHandBackJoinConcurrent(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	errSync, errRollback := errors.New("sync failed"), errors.New("rollback failed")
	logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
	record := logcrumbs.LastEventID(ctx)
	var job sentry.EventID
	_ = logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
		logger.ErrorContext(ctx, "cleanup failed", "err", errSync)
		job = logcrumbs.LastEventID(ctx)
		return errSync
	})
	n := len(rec.Events())
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				if (g+i)%2 == 0 {
					logger.ErrorContext(ctx, "save failed", "err", errors.Join(errSync, errRollback))
				} else {
					logger.ErrorContext(ctx, "cleanup failed", "err", errSync)
				}
			}
		}()
	}
	wg.Wait()
	if got := len(rec.Events()); got != n {
		t.Errorf("%d events, want %d", got, n)
	}
	logger.ErrorContext(ctx, "done", "err", errors.New("last"))
	evs := rec.Events()
	joins, alone := 0, 0
	for _, b := range evs[len(evs)-1].Breadcrumbs() {
		want := job
		switch b.Message {
		case "save failed":
			want = record
			joins++
		case "cleanup failed":
			alone++
		default:
			continue
		}
		if got := b.Data["sentry.event_id"]; got != string(want) {
			t.Errorf("breadcrumb %q names %v, want %q (record %q, job %q)", b.Message, got, want, record, job)
		}
	}
	if joins == 0 || alone == 0 { // the trail keeps the last of them
		t.Errorf("breadcrumbs: %d joins and %d alone, want both", joins, alone)
	}
}

// TestJobHandBackMultiErrorBothAnswers: a unit of work logs a record of two
// errors (one event), then runs a job twice (a retry) that logs and returns
// the second of them: each run's event is handed back. Logged alone by
// the caller, that error names the last run's event (RunJob's godoc), and
// the record of both errors logged again names its own first event, the
// only one with both, in either order, and with the caller's table of
// captured errors full or not (the entry handed back goes before or after
// the record's, see Trail.HandBackNamed). Nothing is sent again.
func TestJobHandBackMultiErrorBothAnswers(t *testing.T) {
	for _, c := range []struct {
		name        string
		fill        int
		recordFirst bool
	}{
		{"ErrorFirst", 0, false},
		{"RecordFirst", 0, true},
		{"FullErrorFirst", 30, false},
		{"FullRecordFirst", 30, true},
		{"FullPastRecord", 31, false},
		{"NotFull", 28, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
			ctx := rec.Context(context.Background())
			for i := range c.fill {
				logger.ErrorContext(ctx, "step failed", "err", fmt.Errorf("step %d failed", i))
			}
			errSync, errRollback := errors.New("sync failed"), errors.New("rollback failed")
			logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
			first := logcrumbs.LastEventID(ctx)
			var err error
			for range 2 {
				err = logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
					logger.ErrorContext(ctx, "cleanup failed", "err", errRollback)
					return errRollback
				})
			}
			evs := rec.Events()
			n := len(evs)
			if n != c.fill+3 {
				t.Fatalf("%d events, want %d (the caller's, each run's): %v", n, c.fill+3, evMessages(evs))
			}
			job := evs[n-1].EventID
			record := func() {
				logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
				if got := logcrumbs.LastEventID(ctx); got != first {
					t.Errorf("the record of both errors logged again: LastEventID %q, want its first event %q (the only one with both)", got, first)
				}
			}
			alone := func() {
				logger.ErrorContext(ctx, "cleanup failed", "err", err)
				if got := logcrumbs.LastEventID(ctx); got != job {
					t.Errorf("the job's error logged alone: LastEventID %q, want the last run's event %q", got, job)
				}
				logger.ErrorContext(ctx, "cleanup failed", "err", fmt.Errorf("giving up: %w", err))
				if got := logcrumbs.LastEventID(ctx); got != job {
					t.Errorf("the job's error wrapped: LastEventID %q, want the last run's event %q", got, job)
				}
			}
			if c.recordFirst {
				record()
				alone()
			} else {
				alone()
				record()
			}
			if got := len(rec.Events()); got != n {
				t.Errorf("%d events, want %d: %v", got, n, evMessages(rec.Events()[n:]))
			}
		})
	}
}

// TestTopJobHandBackBesideARecordAfterARepeat: at the top of a program
// (the fallback trail, whose captures count for FallbackCaptureWindow), an
// error logged alone once (its entry then expired), then again in a record
// of two errors (a second event), then alone again (folded into the
// record's event), is returned by a job that sent it as its own event: the
// caller's log of it then names the job's event (RunJob's godoc), as it
// does without the repeat before the job. Seen in the breadcrumb of the
// caller's log (sentry.event_id) on a later event from the fallback trail.
func TestTopJobHandBackBesideARecordAfterARepeat(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.FallbackCaptureWindow = 300 * time.Millisecond // the steps after the sleep take far less
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	ctx := sentry.SetHubOnContext(context.Background(), rec.Hub())
	// The fallback trail outlives the test: texts of this run alone.
	name := fmt.Sprintf("%s-%d", t.Name(), time.Now().UnixNano())
	errSync, errRollback := errors.New("sync failed "+name), errors.New("rollback failed "+name)
	logger.ErrorContext(ctx, "rollback failed", "err", errRollback)
	time.Sleep(2 * opts.FallbackCaptureWindow) // that capture expired
	logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
	logger.ErrorContext(ctx, "rollback failed again", "err", errRollback) // the record's event
	var job string
	err := logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: opts}, func(ctx context.Context) error {
		logger.ErrorContext(ctx, "cleanup failed", "err", errRollback)
		job = string(logcrumbs.LastEventID(ctx))
		return errRollback
	})
	evs := rec.Events()
	if len(evs) != 3 || job == "" {
		t.Fatalf("%d events, want 3 (the first log's, the record's, the job's, %q): %v", len(evs), job, evMessages(evs))
	}
	caller := "message failed " + name
	logger.ErrorContext(ctx, caller, "err", err)
	logger.ErrorContext(ctx, "marker "+name, "err", errors.New("marker "+name))
	evs = rec.Events()
	if len(evs) != 4 {
		t.Fatalf("%d events, want 4 with the marker: %v", len(evs), evMessages(evs))
	}
	for _, b := range evs[3].Breadcrumbs() {
		if b.Message == caller {
			if got := b.Data["sentry.event_id"]; got != job {
				t.Errorf("the caller's log of the job's error names %v, want the job's event %q (the record's: %q)", got, job, evs[1].EventID)
			}
			return
		}
	}
	t.Fatalf("no breadcrumb %q on the marker event: %q", caller, evs[3].BreadcrumbMessages())
}

// TestJobHandBackRecordBesideOthers: a unit of work logs a record of two
// errors (one event), and around it one of those errors is in another
// record of two errors too (SharedWithAnEarlierRecord), or both errors are
// returned by jobs that sent each as their own event (BothHandedBack). The
// record logged again names its own event, the only one with both errors,
// as it does when one of them alone was handed back
// (TestJobHandBackMultiErrorBothAnswers); the job's error logged alone
// names the job's event. Nothing is sent again.
func TestJobHandBackRecordBesideOthers(t *testing.T) {
	for _, c := range []struct {
		name         string
		earlier      bool // errSync in an earlier record of two errors
		syncHandBack bool // a job returns errSync too
	}{
		{"SharedWithAnEarlierRecord", true, false},
		{"BothHandedBack", false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := logcrumbstest.New(t)
			logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
			ctx := rec.Context(context.Background())
			errSync, errRollback, errAudit := errors.New("sync failed"), errors.New("rollback failed"), errors.New("audit failed")
			if c.earlier {
				logger.ErrorContext(ctx, "audit failed", "err", errSync, "audit", errAudit)
			}
			logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
			record := logcrumbs.LastEventID(ctx)
			job := func(err error) sentry.EventID {
				var id sentry.EventID
				_ = logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
					logger.ErrorContext(ctx, "cleanup failed", "err", err)
					id = logcrumbs.LastEventID(ctx)
					return err
				})
				return id
			}
			if c.syncHandBack {
				job(errSync)
			}
			rollbackJob := job(errRollback)
			n := len(rec.Events())
			logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
			if got := logcrumbs.LastEventID(ctx); got != record {
				t.Errorf("the record of both errors logged again: LastEventID %q, want its first event %q (the only one with both)", got, record)
			}
			logger.ErrorContext(ctx, "cleanup failed", "err", errRollback)
			if got := logcrumbs.LastEventID(ctx); got != rollbackJob {
				t.Errorf("the job's error logged alone: LastEventID %q, want the job's event %q", got, rollbackJob)
			}
			if got := len(rec.Events()); got != n {
				t.Errorf("%d events, want %d: %v", got, n, evMessages(rec.Events()[n:]))
			}
		})
	}
}

// TestJobHandBackRecordLoggedAsAJoin: a unit of work logs a record of two
// errors side by side (one event), then a job returns one of them, which
// it sent as its own event. The two errors logged again as one value, a
// join (errors.Join, or wrapped by fmt.Errorf), are the record's event,
// the only one with both, as the record logged again side by side is
// (TestJobHandBackRecordBesideOthers), whichever member the job returned
// and whichever comes first in the join; the job's error alone stays the
// job's event. Nothing is sent again.
func TestJobHandBackRecordLoggedAsAJoin(t *testing.T) {
	for _, jobFirst := range []bool{true, false} {
		for _, wrapped := range []bool{false, true} {
			t.Run(fmt.Sprintf("JobErrorFirst=%v/Wrapped=%v", jobFirst, wrapped), func(t *testing.T) {
				rec := logcrumbstest.New(t)
				logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
				ctx := rec.Context(context.Background())
				errSync, errRollback := errors.New("sync failed"), errors.New("rollback failed")
				logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
				record := logcrumbs.LastEventID(ctx)
				var job sentry.EventID
				_ = logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
					logger.ErrorContext(ctx, "cleanup failed", "err", errSync)
					job = logcrumbs.LastEventID(ctx)
					return errSync
				})
				n := len(rec.Events())
				join := errors.Join(errRollback, errSync)
				if jobFirst {
					join = errors.Join(errSync, errRollback)
				}
				if wrapped {
					join = fmt.Errorf("save: %w", join)
				}
				logger.ErrorContext(ctx, "save failed", "err", join)
				if got := logcrumbs.LastEventID(ctx); got != record {
					t.Errorf("the record's errors logged as a join: LastEventID %q (the job's %q), want the record's event %q (the only one with both)", got, job, record)
				}
				logger.ErrorContext(ctx, "cleanup failed", "err", errSync)
				if got := logcrumbs.LastEventID(ctx); got != job {
					t.Errorf("the job's error logged alone: LastEventID %q, want the job's event %q", got, job)
				}
				if got := len(rec.Events()); got != n {
					t.Errorf("%d events, want %d", got, n)
				}
			})
		}
	}
}

// TestJobHandBackErrorWrapsRecordsOtherInAJoin: as
// TestJobHandBackErrorWrapsRecordsOther, with the job's error logged again
// in a join (of it alone, or beside a new error, as it is or wrapped): the
// record's other error is under the job's error, its cause, not beside it
// as a join's member, so the join is the job's event, as the job's error
// alone or wrapped is.
//
// Skipped: not fixed. The chain capture-once looks in (errorChain) is
// the errors in preorder, each once, so errors.Join(errSync) and
// errors.Join(errSync, errCause) have one chain, [join, errSync,
// errCause]: under the trail's lock, which calls no Unwrap, it cannot tell
// a cause under the job's error from a member beside it, and the second
// is the record logged as a join (the record's event, as
// TestJobHandBackRecordLoggedAsAJoin has it). A fix needs the chain walk
// (outside the lock) to keep which errors are under which: not small.
func TestJobHandBackErrorWrapsRecordsOtherInAJoin(t *testing.T) {
	t.Skip("known: a join's chain cannot tell the job's error's cause from a member beside it (see the comment)")
	for c, err := range map[string]func(errSync error) error{
		"JoinOfOne":            func(e error) error { return errors.Join(e) },
		"JoinBesideNew":        func(e error) error { return errors.Join(e, errors.New("close failed")) },
		"WrappedJoinBesideNew": func(e error) error { return fmt.Errorf("cleanup: %w", errors.Join(errors.New("close failed"), e)) },
	} {
		t.Run(c, func(t *testing.T) {
			s := newCauseScene(t)
			s.logNames(t, err(s.errSync), s.job, "the job's error logged in a join")
		})
	}
}

// TestJobHandBackErrorAndItsCauseLoggedAsAJoin: the record of an error and
// its cause side by side, logged again as a join of the two after a job
// returned the error, is the record's event (the only one with both), as
// the record logged again side by side is; whichever comes first.
func TestJobHandBackErrorAndItsCauseLoggedAsAJoin(t *testing.T) {
	s := newCauseScene(t)
	s.logNames(t, errors.Join(s.errSync, s.errCause), s.record, "the record's errors logged as a join, the job's error first")
	s.logNames(t, errors.Join(s.errCause, s.errSync), s.record, "the record's errors logged as a join, the cause first")
}

// causeScene is a unit of work that logged errSync, which wraps errCause,
// beside errCause (the record's event), after which a job returned errSync,
// which it sent as its own event (the job's).
type causeScene struct {
	rec               *logcrumbstest.Recorder
	logger            *slog.Logger
	ctx               context.Context
	errCause, errSync error
	record, job       sentry.EventID
}

func newCauseScene(t *testing.T) *causeScene {
	s := &causeScene{rec: logcrumbstest.New(t)}
	s.logger = slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: s.rec.Options()}))
	s.ctx = s.rec.Context(context.Background())
	s.errCause = errors.New("connection reset")
	s.errSync = fmt.Errorf("sync failed: %w", s.errCause)
	s.logger.ErrorContext(s.ctx, "save failed", "err", s.errSync, "cause", s.errCause)
	s.record = logcrumbs.LastEventID(s.ctx)
	_ = logcrumbs.RunJob(s.ctx, "cleanup", logcrumbs.JobOptions{Options: s.rec.Options()}, func(ctx context.Context) error {
		s.logger.ErrorContext(ctx, "cleanup failed", "err", s.errSync)
		s.job = logcrumbs.LastEventID(ctx)
		return s.errSync
	})
	return s
}

// logNames logs err in s's unit and checks that it names want, and that
// nothing is sent.
func (s *causeScene) logNames(t *testing.T, err error, want sentry.EventID, what string) {
	t.Helper()
	n := len(s.rec.Events())
	s.logger.ErrorContext(s.ctx, "failed again", "err", err)
	if got := logcrumbs.LastEventID(s.ctx); got != want {
		t.Errorf("%s: LastEventID %q (the record's %q, the job's %q), want %q", what, got, s.record, s.job, want)
	}
	if got := len(s.rec.Events()); got != n {
		t.Errorf("%s: %d events, want %d", what, got, n)
	}
}

// TestJobHandBackCauseConcurrent: as TestJobHandBackJoinConcurrent, for a
// record of an error and its cause side by side, on a full table, after a
// job run twice returned the error: goroutines of the unit log at once the
// job's error alone, wrapped, beside its cause (the record), and the two
// as a join the cause first (the record): each names its event every
// time, and nothing is sent again (run with -race).
func TestJobHandBackCauseConcurrent(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	for i := range 30 {
		logger.ErrorContext(ctx, "step failed", "err", fmt.Errorf("step %d failed", i))
	}
	errCause := errors.New("connection reset")
	errSync := fmt.Errorf("sync failed: %w", errCause)
	logger.ErrorContext(ctx, "save failed", "err", errSync, "cause", errCause)
	record := logcrumbs.LastEventID(ctx)
	var job sentry.EventID
	for range 2 {
		_ = logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
			logger.ErrorContext(ctx, "cleanup failed", "err", errSync)
			job = logcrumbs.LastEventID(ctx)
			return errSync
		})
	}
	n := len(rec.Events())
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				var args []any
				switch (g + i) % 4 {
				case 0:
					args = []any{"err", errSync}
				case 1:
					args = []any{"err", fmt.Errorf("cleanup: %w", errSync)}
				case 2:
					args = []any{"cause", errCause, "err", errSync}
				default:
					args = []any{"err", errors.Join(errCause, errSync)}
				}
				// The unit's LastEventID is shared by the goroutines: each
				// answer is read from the breadcrumb its record leaves.
				logger.ErrorContext(ctx, fmt.Sprintf("case %d", (g+i)%4), args...)
			}
		}()
	}
	wg.Wait()
	if got := len(rec.Events()); got != n {
		t.Errorf("%d events, want %d", got, n)
	}
	logger.ErrorContext(ctx, "done", "err", errors.New("last"))
	evs := rec.Events()
	seen := map[string]int{}
	for _, b := range evs[len(evs)-1].Breadcrumbs() {
		var want sentry.EventID
		switch b.Message {
		case "case 0", "case 1":
			want = job
		case "case 2", "case 3":
			want = record
		default:
			continue
		}
		seen[b.Message]++
		if got := b.Data["sentry.event_id"]; got != string(want) {
			t.Errorf("breadcrumb %q names %v, want %q (record %q, job %q)", b.Message, got, want, record, job)
		}
	}
	if len(seen) != 4 { // the trail keeps the last of them
		t.Errorf("breadcrumbs of cases %v, want all four", seen)
	}
}

// TestJobHandBackAnswersMatrix: a unit of work logs a record of two errors
// side by side (one event), then a job returns one of them (once, or run
// twice), which it sent as its own event, on a table empty or full. Each
// log of the job's error without the record's other one beside it (alone,
// wrapped, wrapped twice, in a join with a new error, as it is or
// wrapped) names the last run's event; each log of the two together (side
// by side in either order, as a join in either order, wrapped) names the
// record's. Nothing is sent again.
func TestJobHandBackAnswersMatrix(t *testing.T) {
	for _, fill := range []int{0, 29, 30, 31} {
		for _, runs := range []int{1, 2} {
			for _, jobFirst := range []bool{true, false} {
				t.Run(fmt.Sprintf("Fill=%d/Runs=%d/JobFirst=%v", fill, runs, jobFirst), func(t *testing.T) {
					rec := logcrumbstest.New(t)
					logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
					ctx := rec.Context(context.Background())
					for i := range fill {
						logger.ErrorContext(ctx, "step failed", "err", fmt.Errorf("step %d failed", i))
					}
					errJob, errOther := errors.New("sync failed"), errors.New("rollback failed")
					if jobFirst {
						logger.ErrorContext(ctx, "save failed", "err", errJob, "other", errOther)
					} else {
						logger.ErrorContext(ctx, "save failed", "other", errOther, "err", errJob)
					}
					record := logcrumbs.LastEventID(ctx)
					for range runs {
						_ = logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
							logger.ErrorContext(ctx, "cleanup failed", "err", errJob)
							return errJob
						})
					}
					evs := rec.Events()
					n := len(evs)
					job := evs[n-1].EventID
					newErr := errors.New("close failed")
					for _, c := range []struct {
						name string
						args []any
						want string
					}{
						{"Alone", []any{"err", errJob}, "job"},
						{"Wrapped", []any{"err", fmt.Errorf("a: %w", errJob)}, "job"},
						{"WrappedTwice", []any{"err", fmt.Errorf("b: %w", fmt.Errorf("a: %w", errJob))}, "job"},
						{"JoinWithNew", []any{"err", errors.Join(newErr, errJob)}, "job"},
						{"WrappedJoinWithNew", []any{"err", fmt.Errorf("c: %w", errors.Join(errJob, newErr))}, "job"},
						{"SideBySide", []any{"err", errJob, "other", errOther}, "record"},
						{"SideBySideOtherFirst", []any{"other", errOther, "err", errJob}, "record"},
						{"SideBySideWrapped", []any{"other", errOther, "err", fmt.Errorf("a: %w", errJob)}, "record"},
						{"Join", []any{"err", errors.Join(errJob, errOther)}, "record"},
						{"JoinOtherFirst", []any{"err", errors.Join(errOther, errJob)}, "record"},
						{"WrappedJoin", []any{"err", fmt.Errorf("c: %w", errors.Join(errOther, errJob))}, "record"},
						{"Alone", []any{"err", errJob}, "job"},
					} {
						logger.ErrorContext(ctx, "again", c.args...)
						want := map[string]string{"job": string(job), "record": string(record)}[c.want]
						if got := logcrumbs.LastEventID(ctx); string(got) != want {
							t.Errorf("%s: LastEventID %q (the job's %q, the record's %q), want the %s's", c.name, got, job, record, c.want)
						}
					}
					if got := len(rec.Events()); got != n {
						t.Errorf("%d events, want %d: %v", got, n, evMessages(rec.Events()[n:]))
					}
				})
			}
		}
	}
}

// TestJobHandBackKeepsAMultiErrorRecordsEvent: a unit of work logs a
// record with two errors (one event, both its exceptions), then runs a job
// that logs and returns the second of them as it is (the job's event, with
// that error alone). The caller's record of both errors logged again is
// the caller's first event, the only one that holds both: not the job's,
// which never held the first error (the hand-back renamed the caller's
// entry of the returned error, one of the two entries of that record, and
// capture-once answered a record of several errors with the event of its
// last error's entry).
func TestJobHandBackKeepsAMultiErrorRecordsEvent(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	errSync, errRollback := errors.New("sync failed"), errors.New("rollback failed")
	logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
	first := logcrumbs.LastEventID(ctx)
	_ = logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
		logger.ErrorContext(ctx, "cleanup failed", "err", errRollback)
		return errRollback
	})
	logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
	if evs := rec.Events(); len(evs) != 2 {
		t.Errorf("%d events, want 2 (the caller's, the job's): %v", len(evs), evMessages(evs))
	}
	if got := logcrumbs.LastEventID(ctx); got != first {
		t.Errorf("the record of both errors logged again: LastEventID %q, want its first event %q (the only one with both)", got, first)
	}
}

// TestJobHandBackKeepsAMultiErrorRecordsEventRingFull: as
// TestJobHandBackKeepsAMultiErrorRecordsEvent, with the caller's table of
// captured errors full (32 entries) when the job hands its error back: the
// entry remembered beside the record's goes in place of the oldest, at a
// lower index than the record's entries, and is found first: the record of
// both errors logged again named the job's event (it goes on to the
// record's entry now: captured.recordOf).
func TestJobHandBackKeepsAMultiErrorRecordsEventRingFull(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	for i := range 30 {
		logger.ErrorContext(ctx, "step failed", "err", fmt.Errorf("step %d failed", i))
	}
	errSync, errRollback := errors.New("sync failed"), errors.New("rollback failed")
	logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
	first := logcrumbs.LastEventID(ctx)
	_ = logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
		logger.ErrorContext(ctx, "cleanup failed", "err", errRollback)
		return errRollback
	})
	n := len(rec.Events())
	logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
	if evs := rec.Events(); len(evs) != n {
		t.Errorf("%d events, want %d: the record of both errors logged again sent one: %v", len(evs), n, evMessages(evs[n:]))
	}
	if got := logcrumbs.LastEventID(ctx); got != first {
		t.Errorf("the record of both errors logged again: LastEventID %q, want its first event %q (the only one with both)", got, first)
	}
}

// TestJobHandBackRetryOfAMultiErrorRecordsError: a unit of work logs a
// record with two errors (one event), then runs a job (a retry) that logs
// and returns the second of them. RunJob's godoc: an error the job sent as
// an event and returns is that event in the caller's unit of work too, and
// LastEventID of ctx names the job's. The caller logging that error alone
// names the job's event.
func TestJobHandBackRetryOfAMultiErrorRecordsError(t *testing.T) {
	rec := logcrumbstest.New(t)
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	errSync, errRollback := errors.New("sync failed"), errors.New("rollback failed")
	logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
	err := logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
		logger.ErrorContext(ctx, "cleanup failed", "err", errRollback)
		return errRollback
	})
	evs := rec.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2 (the caller's, the job's): %v", len(evs), evMessages(evs))
	}
	job := evs[1].EventID
	logger.ErrorContext(ctx, "cleanup failed", "err", err)
	if got := logcrumbs.LastEventID(ctx); got != job {
		t.Errorf("the job's error logged alone: LastEventID %q, want the job's event %q (RunJob's godoc), not the record's %q", got, job, evs[0].EventID)
	}
	if n := len(rec.Events()); n != 2 {
		t.Errorf("%d events, want 2", n)
	}
}

// TestJobHandBackKeepsADroppedMultiErrorRecordsNone: as
// TestJobHandBackKeepsAMultiErrorRecordsEvent, with the caller's record of
// both errors dropped by BeforeSend: logged again, it is that dropped
// event's repeat, and names none (not the job's event, which never held
// its first error).
func TestJobHandBackKeepsADroppedMultiErrorRecordsNone(t *testing.T) {
	rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
		o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			if ev.Message == "save failed" {
				return nil
			}
			return ev
		}
	})
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: rec.Options()}))
	ctx := rec.Context(context.Background())
	errSync, errRollback := errors.New("sync failed"), errors.New("rollback failed")
	logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
	_ = logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: rec.Options()}, func(ctx context.Context) error {
		logger.ErrorContext(ctx, "cleanup failed", "err", errRollback)
		return errRollback
	})
	logger.ErrorContext(ctx, "save failed", "err", errSync, "rollback", errRollback)
	if evs := rec.Events(); len(evs) != 1 {
		t.Errorf("%d events, want the job's alone: %v", len(evs), evMessages(evs))
	}
	if got := logcrumbs.LastEventID(ctx); got != "" {
		t.Errorf("the dropped record of both errors logged again: LastEventID %q, want none", got)
	}
}

// TestTopJobHandBackPastADroppedMultiErrorRecordsWindow: at the top of a
// program (the fallback trail), a record of two errors is dropped by
// BeforeSend; past the FallbackCaptureWindow, a job returns one of them,
// sending its own event, and the caller logs what it returned. That log is
// the job's event (handed back), not a second event of the same error:
// the hand-back found the dropped record's expired entry, took it for one
// of a record's several errors that stays theirs, and neither renamed it
// (counting from now) nor remembered the job's error beside it.
func TestTopJobHandBackPastADroppedMultiErrorRecordsWindow(t *testing.T) {
	rec := logcrumbstest.New(t, func(o *sentry.ClientOptions) {
		o.BeforeSend = func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			if len(ev.Message) >= 11 && ev.Message[:11] == "save failed" {
				return nil
			}
			return ev
		}
	})
	opts := rec.Options()
	opts.FallbackCaptureWindow = 20 * time.Millisecond
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	ctx := sentry.SetHubOnContext(context.Background(), rec.Hub())
	// The fallback trail outlives the test: texts of this run alone.
	name := fmt.Sprintf("%s-%d", t.Name(), time.Now().UnixNano())
	errSync, errRollback := errors.New("sync failed "+name), errors.New("rollback failed "+name)
	logger.ErrorContext(ctx, "save failed "+name, "err", errSync, "rollback", errRollback)
	time.Sleep(3 * opts.FallbackCaptureWindow)
	var jobEvent string
	err := logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: opts}, func(ctx context.Context) error {
		logger.ErrorContext(ctx, "cleanup failed "+name, "err", errRollback)
		jobEvent = string(logcrumbs.LastEventID(ctx))
		return errRollback
	})
	logger.ErrorContext(ctx, "message failed "+name, "err", err)
	if evs := rec.Events(); len(evs) != 1 {
		t.Errorf("%d events, want the job's alone (%q): %v", len(evs), jobEvent, evMessages(evs))
	}
}

// TestTopJobHandBackPastAMultiErrorRecordsWindow: as
// TestTopJobHandBackPastADroppedMultiErrorRecordsWindow, with the record of
// two errors sent: the caller's log of what the job returned is no third
// event.
func TestTopJobHandBackPastAMultiErrorRecordsWindow(t *testing.T) {
	rec := logcrumbstest.New(t)
	opts := rec.Options()
	opts.FallbackCaptureWindow = 20 * time.Millisecond
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{Options: opts}))
	ctx := sentry.SetHubOnContext(context.Background(), rec.Hub())
	name := fmt.Sprintf("%s-%d", t.Name(), time.Now().UnixNano())
	errSync, errRollback := errors.New("sync failed "+name), errors.New("rollback failed "+name)
	logger.ErrorContext(ctx, "save failed "+name, "err", errSync, "rollback", errRollback)
	time.Sleep(3 * opts.FallbackCaptureWindow)
	err := logcrumbs.RunJob(ctx, "cleanup", logcrumbs.JobOptions{Options: opts}, func(ctx context.Context) error {
		logger.ErrorContext(ctx, "cleanup failed "+name, "err", errRollback)
		return errRollback
	})
	logger.ErrorContext(ctx, "message failed "+name, "err", err)
	if evs := rec.Events(); len(evs) != 2 {
		t.Errorf("%d events, want the record's and the job's: %v", len(evs), evMessages(evs))
	}
}

package event

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/getsentry/sentry-go"
)

// everyThird is an error whose Error panics on every third call (a lazily
// computed text, a value shared with other code), until it was called
// limit times: then it stops, so that a test of a loop over it ends.
type everyThird struct {
	calls *int
	limit int
}

func (e everyThird) Error() string {
	*e.calls++
	if *e.calls%3 == 0 && *e.calls < e.limit {
		panic("every third")
	}
	return "flaky"
}

type plainErr string

func (p plainErr) Error() string { return string(p) }

// TestSetChainEndsWhenEveryErrorReadsAlone: when the errors of a record
// panic read together but not alone, setChain gives up after one retry
// (the exception that says reading panicked), instead of retrying the same
// errors for ever: on fd143b6 a record with an error whose Error panics
// every third call recursed until the goroutine's stack overflowed (a
// fatal error, the process gone).
func TestSetChainEndsWhenEveryErrorReadsAlone(t *testing.T) {
	calls := 0
	ev := &sentry.Event{}
	setChain(ev, []error{everyThird{calls: &calls, limit: 1000}, plainErr("disk full")}, 10, 0)
	if calls > 20 {
		t.Errorf("Error called %d times: setChain retried the same errors over and over", calls)
	}
	if len(ev.Exception) != 1 || !strings.Contains(ev.Exception[0].Value, "reading the error panicked") {
		t.Errorf("exceptions %+v, want the one that says reading the error panicked", ev.Exception)
	}
}

type explodingErr struct{}

func (explodingErr) Error() string { panic("error exploded") }

// TestSetChainJoinWithPanickingMember: one error that joins a real error
// and one whose Error panics (errors.Join(err, bad), logged as one value)
// loses the real error's chain to the exception that says reading the
// error panicked, where the same two errors logged side by side keep it
// (setChain retries the record's errors, not a join's members).
func TestSetChainJoinWithPanickingMember(t *testing.T) {
	ev := &sentry.Event{}
	setChain(ev, []error{errors.Join(plainErr("disk full"), explodingErr{})}, 10, 0)
	for _, ex := range ev.Exception {
		if ex.Type == "event.plainErr" {
			return
		}
	}
	t.Errorf("exceptions %+v, want disk full's among them", ev.Exception)
}

// TestSetChainJoinOpensNestedJoins: a join with a panicking member inside
// another join keeps the readable members of both, as the same errors
// logged side by side would.
func TestSetChainJoinOpensNestedJoins(t *testing.T) {
	ev := &sentry.Event{}
	setChain(ev, []error{errors.Join(errors.Join(plainErr("disk full"), explodingErr{}), plainErr("retry failed"))}, 10, 0)
	var got []string
	for _, ex := range ev.Exception {
		if ex.Type == "event.plainErr" {
			got = append(got, ex.Value)
		}
	}
	if strings.Join(got, "|") != "disk full|retry failed" && strings.Join(got, "|") != "retry failed|disk full" {
		t.Errorf("exceptions %+v, want disk full's and retry failed's", ev.Exception)
	}
}

// TestSetChainJoinOfJoinsEnds: joins whose members are one panicking join
// twice over, many levels deep (2^60 paths through them), are read in a
// bounded number of steps: the exception that says reading panicked.
func TestSetChainJoinOfJoinsEnds(t *testing.T) {
	var err error = explodingErr{}
	for range 60 {
		err = errors.Join(err, err)
	}
	ev := &sentry.Event{}
	setChain(ev, []error{err}, -1, 0)
	if len(ev.Exception) != 1 || !strings.Contains(ev.Exception[0].Value, "reading the error panicked") {
		t.Errorf("exceptions %+v, want the one that says reading the error panicked", ev.Exception)
	}
}

// TestSetChainReadableJoinKeepsItsShape: a join that reads fine is one
// exception group, its members under it, as sentry-go makes it.
func TestSetChainReadableJoinKeepsItsShape(t *testing.T) {
	ev := &sentry.Event{}
	setChain(ev, []error{errors.Join(plainErr("disk full"), plainErr("retry failed"))}, 10, 0)
	want := &sentry.Event{}
	want.SetException(errors.Join(plainErr("disk full"), plainErr("retry failed")), 10)
	if len(ev.Exception) != 3 || len(want.Exception) != 3 {
		t.Fatalf("exceptions %+v, want sentry-go's %+v", ev.Exception, want.Exception)
	}
	for i := range ev.Exception {
		g, w := ev.Exception[i], want.Exception[i]
		if g.Type != w.Type || g.Value != w.Value || (g.Mechanism == nil) != (w.Mechanism == nil) ||
			(g.Mechanism != nil && (g.Mechanism.IsExceptionGroup != w.Mechanism.IsExceptionGroup || g.Mechanism.Source != w.Mechanism.Source)) {
			t.Errorf("exception %d: %+v, want sentry-go's %+v", i, g, w)
		}
	}
}

// selfJoin is a join that holds itself, by value, and cannot be read.
type selfJoin []error

func (selfJoin) Error() string     { panic("self join") }
func (j selfJoin) Unwrap() []error { return j }

// TestSetChainSelfJoinEnds: a join of another kind than a pointer that
// holds itself, in a chain of unbounded depth (a negative MaxErrorDepth),
// is read in a bounded number of steps, and keeps its readable member.
func TestSetChainSelfJoinEnds(t *testing.T) {
	j := selfJoin{nil, plainErr("disk full")}
	j[0] = j
	ev := &sentry.Event{}
	setChain(ev, []error{j}, -1, 0)
	for _, ex := range ev.Exception {
		if ex.Type == "event.plainErr" {
			return
		}
	}
	t.Errorf("exceptions %+v, want disk full's among them", ev.Exception)
}

// causeOnly is a wrapper of the kind of pkg/errors before Go 1.13: a
// Cause method and no Unwrap, which sentry-go's chain follows. Its Error
// panics.
type causeOnly struct{ cause error }

func (causeOnly) Error() string  { panic("causeOnly.Error") }
func (c causeOnly) Cause() error { return c.cause }

// TestSetChainPanickingCauseWrapper: a wrapper whose Error panics around
// a real error, the wrapper known by its Cause method alone (sentry-go's
// chain, and the guarded chain, follow Cause as they follow Unwrap), keeps
// the real error's exception, as one known by Unwrap does
// (TestPanickingWrapperBesideWhatItWraps), rather than the exception that
// says reading the error panicked.
func TestSetChainPanickingCauseWrapper(t *testing.T) {
	ev := &sentry.Event{}
	setChain(ev, []error{causeOnly{plainErr("disk full")}}, 10, 0)
	for _, ex := range ev.Exception {
		if ex.Type == "event.plainErr" && ex.Value == "disk full" {
			return
		}
	}
	t.Errorf("exceptions %+v, want disk full's among them", ev.Exception)
}

// TestSetChainReadsAloneNotTogetherByDepth: errors that read alone but
// not together, not because an Error panics on some calls only (see
// TestSetChainEndsWhenEveryErrorReadsAlone) but because of where they
// stand: with MaxErrorDepth 3, a joins twice over a wrapper w (whose text
// reads, fmt made it; what it wraps does not) reads alone, as sentry-go's
// chain meets w first at depth 3, where it stops, and skips it next as
// seen; under the join of the record's errors, one deeper, w is met first
// where its error is read, and panics. The record's other error, which
// reads, is lost to the exception that says reading panicked, where the
// user wants it. Found by TestSetChainProperty at small depths.
//
// Skipped: not a small fix. Reading each error alone one deeper (where it
// stands in the join) opens a (its members do not read: nothing of it
// left) where the record [bad, a] keeps a's chain today; a fallback when
// every error reads alone and not together (chainAfterPanic's loop) is a
// change of setChain's shape for its own review.
func TestSetChainReadsAloneNotTogetherByDepth(t *testing.T) {
	t.Skip("known: errors that read alone but not together by depth lose the readable ones (see comment)")
	w := fmt.Errorf("around: %w", explodingErr{})
	a := errors.Join(errors.Join(errors.Join(w)), w)
	ev := &sentry.Event{}
	setChain(ev, []error{a, plainErr("disk full")}, 3, 0)
	for _, ex := range ev.Exception {
		if ex.Type == "event.plainErr" && ex.Value == "disk full" {
			return
		}
	}
	t.Errorf("exceptions %+v, want disk full's among them", ev.Exception)
}

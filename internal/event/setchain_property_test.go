package event

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
)

// The property of setChain for records of readable errors with unreadable
// values at random places (see TestSetChainProperty).

// propBad's Error panics.
type propBad struct{ id int }

func (*propBad) Error() string { panic("propBad.Error") }

// propBadWrapper's Error panics; its Unwrap reads.
type propBadWrapper struct{ err error }

func (*propBadWrapper) Error() string   { panic("propBadWrapper.Error") }
func (w *propBadWrapper) Unwrap() error { return w.err }

// propNil's Error dereferences a nil it holds: it panics, as fmt and
// setChain say (a non-nil pointer's method is broken).
type propNil struct{ code *int }

func (e *propNil) Error() string { return "db error " + strconv.Itoa(*e.code) }

// propNilRecv's Error dereferences its receiver: a typed nil of it reads
// "<nil>", as fmt prints it (the program's nil, not a broken method).
type propNilRecv struct{ code int }

func (e *propNilRecv) Error() string { return "db error " + strconv.Itoa(e.code) }

// propBadUnwrap's text reads; its Unwrap panics.
type propBadUnwrap struct {
	text string
	err  error
}

func (e *propBadUnwrap) Error() string { return e.text }
func (e *propBadUnwrap) Unwrap() error { panic("propBadUnwrap.Unwrap") }

// propBadJoin's text reads; its Unwrap panics.
type propBadJoin struct{ text string }

func (e *propBadJoin) Error() string { return e.text }
func (*propBadJoin) Unwrap() []error { panic("propBadJoin.Unwrap") }

// propCause is a wrapper of the kind of pkg/errors before Unwrap: a Cause
// method alone, which sentry-go's chain follows; bad, its Error panics.
type propCause struct {
	text  string
	cause error
	bad   bool
}

func (e *propCause) Error() string {
	if e.bad {
		panic("propCause.Error")
	}
	return e.text
}
func (e *propCause) Cause() error { return e.cause }

// propSliceJoin is a join that cannot be a map key (a struct of a
// slice), its text its own: sentry-go's chain sees two errors that are not
// pointers, of one type and text, as one.
type propSliceJoin struct {
	id   int
	errs []error
}

func (j propSliceJoin) Error() string {
	var b strings.Builder
	b.WriteString("sj" + strconv.Itoa(j.id) + ":")
	for i, e := range j.errs {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(e.Error())
	}
	return b.String()
}
func (j propSliceJoin) Unwrap() []error { return j.errs }

// propGen builds random errors.
type propGen struct {
	r    *rand.Rand
	n    int
	pool []error // readable errors built so far, to use again
	bads []error // unreadable ones
	bad  bool    // may put in unreadable values
}

func (g *propGen) leaf() error {
	g.n++
	if len(g.pool) > 0 && g.r.IntN(3) == 0 {
		return g.pool[g.r.IntN(len(g.pool))]
	}
	var e error
	switch g.r.IntN(4) {
	case 0:
		e = plainErr("plain " + strconv.Itoa(g.n))
	case 1:
		// A typed nil read through fmt's %w (the record never holds one
		// alone: render keeps no typed nil, and a join's Error of one
		// panics, as fmt says): the wrapper's chain shows it "<nil>".
		e = fmt.Errorf("around nil %d: %w", g.n, (*propNilRecv)(nil))
	default:
		e = errors.New("new " + strconv.Itoa(g.n))
	}
	g.pool = append(g.pool, e)
	return e
}

func (g *propGen) unreadable(depth int) error {
	if len(g.bads) > 0 && g.r.IntN(5) == 0 {
		return g.bads[g.r.IntN(len(g.bads))]
	}
	e := g.newUnreadable(depth)
	g.bads = append(g.bads, e)
	return e
}

func (g *propGen) newUnreadable(depth int) error {
	g.n++
	switch g.r.IntN(8) {
	case 6:
		return &propBadJoin{"bad join " + strconv.Itoa(g.n)}
	case 7:
		return &propCause{bad: true, cause: g.err(depth + 1)}
	case 0:
		return &propBad{g.n}
	case 1:
		return &propBadWrapper{g.err(depth + 1)}
	case 2:
		return errors.Join(g.err(depth+1), g.unreadable(depth+1))
	case 3:
		return &propNil{}
	case 4:
		return &propBadUnwrap{"bad unwrap " + strconv.Itoa(g.n), g.err(depth + 1)}
	default: // a readable text around an unreadable value
		return fmt.Errorf("around %d: %w", g.n, g.unreadable(depth+1))
	}
}

// err returns a random error, unreadable in places when g.bad.
func (g *propGen) err(depth int) error {
	if g.bad && g.r.IntN(5) == 0 {
		return g.unreadable(depth)
	}
	if depth >= 3 {
		return g.leaf()
	}
	switch g.r.IntN(7) {
	case 0, 1:
		return g.leaf()
	case 6:
		g.n++
		return &propCause{text: "cause " + strconv.Itoa(g.n), cause: g.err(depth + 1)}
	case 2:
		g.n++
		return fmt.Errorf("wrap %d: %w", g.n, g.err(depth+1))
	case 3, 4:
		ms := make([]error, 1+g.r.IntN(3))
		for i := range ms {
			ms[i] = g.err(depth + 1)
		}
		if g.r.IntN(4) == 0 {
			g.n++
			return propSliceJoin{g.n, ms}
		}
		return errors.Join(ms...)
	default:
		if len(g.pool) > 0 {
			return g.pool[g.r.IntN(len(g.pool))]
		}
		return g.leaf()
	}
}

// record returns a record's errors.
func (g *propGen) record() []error {
	errs := make([]error, 1+g.r.IntN(4))
	for i := range errs {
		errs[i] = g.err(0)
		if len(errs) > 1 && g.r.IntN(6) == 0 && i > 0 {
			errs[i] = errs[g.r.IntN(i)] // the same error logged again
		}
	}
	return errs
}

// propText is err's text, and whether it reads.
func propText(err error) (text string, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
			if v := reflect.ValueOf(err); v.Kind() == reflect.Pointer && v.IsNil() {
				text, ok = "<nil>", true // as fmt prints it
			}
		}
	}()
	return err.Error(), true
}

// propMembers is what err wraps or joins, and whether it has any (an Unwrap
// that panics: none).
func propMembers(err error) (ms []error, ok bool) {
	defer func() {
		if recover() != nil {
			ms, ok = nil, false
		}
	}()
	switch v := err.(type) {
	case interface{ Unwrap() []error }:
		return v.Unwrap(), true
	case interface{ Unwrap() error }:
		return []error{v.Unwrap()}, true
	case interface{ Cause() error }:
		return []error{v.Cause()}, true
	}
	return nil, false
}

type propEx struct{ typ, value string }

// propChain appends the exceptions of err's chain, err at depth, not
// deduplicated, down to maxDepth, and reports whether every error of it
// reads.
func propChain(out []propEx, err error, depth, maxDepth int) ([]propEx, bool) {
	if maxDepth >= 0 && depth > maxDepth {
		return out, true
	}
	text, ok := propText(err)
	if !ok {
		return out, false
	}
	out = append(out, propEx{reflect.TypeOf(err).String(), text})
	if maxDepth >= 0 && depth >= maxDepth {
		return out, true
	}
	ms, _ := propMembers(err)
	for _, m := range ms {
		if m == nil {
			continue
		}
		if out, ok = propChain(out, m, depth+1, maxDepth); !ok {
			return out, false
		}
	}
	return out, true
}

// propReadsTogether reports whether sentry-go's chain of err reads: every
// error of it, down to maxDepth, that it does not skip as seen (a pointer
// met before, or a value of the same type and text) reads.
func propReadsTogether(err error, maxDepth int) bool {
	seen := map[string]bool{}
	var walk func(err error, depth int) bool
	walk = func(err error, depth int) bool {
		text, ok := propText(err)
		if !ok {
			return false
		}
		key := text
		if v := reflect.ValueOf(err); v.Kind() == reflect.Pointer && !v.IsNil() {
			key = fmt.Sprintf("%p", err)
		} else {
			key = v.String() + text
		}
		if seen[key] {
			return true
		}
		seen[key] = true
		if maxDepth >= 0 && depth >= maxDepth {
			return true
		}
		ms, _ := propMembers(err)
		for _, m := range ms {
			if m != nil && !walk(m, depth+1) {
				return false
			}
		}
		return true
	}
	return walk(err, 0)
}

// propHashable reports whether err can be a map key.
func propHashable(err error) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	_ = map[error]bool{err: true}
	return true
}

// propExpected is the model: the readable errors the user logged, in the
// record's order: each error of the record that reads, and of each that
// does not, the members that do (opened through joins and wrappers). An
// error logged alone n times stays n times; one that is (also) a member
// of unreadable values stands once for them all, unless logged alone more.
func propExpected(errs []error, maxDepth int) []error {
	propReadable := func(err error) bool { return propReadsTogether(err, maxDepth) }
	var out []error
	alone := map[error]int{}
	member := map[error]bool{}
	counted := map[error]int{} // in out so far
	opened := map[error]bool{}
	var open func(err error, depth int)
	open = func(err error, depth int) {
		if maxDepth >= 0 && depth >= maxDepth { // deeper than its chain would show
			return
		}
		if propHashable(err) {
			if opened[err] { // a join or wrapper met twice is opened once
				return
			}
			opened[err] = true
		}
		ms, _ := propMembers(err)
		for _, m := range ms {
			switch {
			case m == nil:
			case propReadable(m):
				if !propHashable(m) {
					out = append(out, m)
				} else if !member[m] {
					member[m] = true
					if counted[m] == 0 {
						counted[m]++
						out = append(out, m)
					}
				}
			default:
				open(m, depth+1)
			}
		}
	}
	for _, e := range errs {
		if !(len(errs) == 1 && !propReadable(e)) && propReadable(e) {
			if !propHashable(e) {
				out = append(out, e)
				continue
			}
			alone[e]++
			if counted[e] < alone[e] {
				counted[e]++
				out = append(out, e)
			}
			continue
		}
		open(e, 0)
	}
	return out
}

func propDescribe(err error) string {
	switch v := err.(type) {
	case *propBad:
		return "bad"
	case *propNil:
		return "nil"
	case *propBadWrapper:
		return "badwrap(" + propDescribe(v.err) + ")"
	case *propBadJoin:
		return "badjoin[" + v.text + "]"
	case *propCause:
		if v.bad {
			return "badcause(" + propDescribe(v.cause) + ")"
		}
		return "cause[" + v.text + "](" + propDescribe(v.cause) + ")"
	case *propBadUnwrap:
		return "badunwrap[" + v.text + "](" + propDescribe(v.err) + ")"
	case propSliceJoin:
		return "sj" + propDescribeAll(v.errs)
	case interface{ Unwrap() []error }:
		return "join" + propDescribeAll(v.Unwrap())
	case interface{ Unwrap() error }:
		text, _ := propText(err)
		return fmt.Sprintf("wrap[%.10q](%s)", text, propDescribe(v.Unwrap()))
	default:
		text, _ := propText(err)
		return fmt.Sprintf("%s%q@%p", reflect.TypeOf(err), text, err)
	}
}

func propDescribeAll(errs []error) string {
	s := make([]string, len(errs))
	for i, e := range errs {
		s[i] = propDescribe(e)
	}
	return "[" + strings.Join(s, ", ") + "]"
}

// propSetChain is setChain, logged at this function's line.
func propSetChain(ev *sentry.Event, errs []error, maxDepth int) {
	pc, _, _, _ := runtime.Caller(0)
	setChain(ev, errs, maxDepth, pc) //nolint
}

// TestSetChainProperty: for records of readable errors (plain, %w
// wrappers, joins, Cause wrappers, nested, the same error more than once),
// with unreadable values at random places (an Error that panics, alone, as
// a wrapper or a Cause wrapper of a readable error, as a join's member, a
// typed nil; an Unwrap that panics; fmt's text around any of them),
// setChain gives what a user wants, without panicking, in bounded time:
// (1) when sentry-go reads the record, sentry-go's own chain (types,
// texts, mechanisms); (2) with unreadable values, every readable error the
// user logged (alone, or as a member of an unreadable join or wrapper)
// with its chain, no exception more times than those errors hold it, and
// the outermost one the join of the model's errors (propExpected: the
// record's order, an error logged alone n times n times, one that is a
// member of unreadable values once); (3) with none readable, the one
// exception that says reading panicked, with the caller's stack. A chain
// that reads as it is (an Unwrap that panics ends it) keeps its shape: its
// errors are the model's. Seeded (a failure names its seed and record).
func TestSetChainProperty(t *testing.T) {
	// LOGCRUMBS_SETCHAIN_CASES runs more cases for each depth (100,000
	// run in about 2.5s).
	cases := uint64(1500)
	if n, err := strconv.Atoi(os.Getenv("LOGCRUMBS_SETCHAIN_CASES")); err == nil {
		cases = uint64(n)
	}
	start := time.Now()
	// 10, and unbounded; 2, where the chain's depth cuts the records
	// built. 3 to 5 find TestSetChainReadsAloneNotTogetherByDepth.
	for _, maxDepth := range []int{10, -1, 2} {
		t.Run(strconv.Itoa(maxDepth), func(t *testing.T) { setChainProperty(t, cases, maxDepth) })
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v, want under 2s", d)
	}
}

func setChainProperty(t *testing.T, cases uint64, maxDepth int) {
	var kinds [3]int // cases of (1), (2) and (3)
	fails := 0
	for seed := range cases {
		g := &propGen{r: rand.New(rand.NewPCG(seed, 7)), bad: seed%4 != 0}
		errs := g.record()
		fail := func(format string, args ...any) {
			t.Helper()
			fails++
			if fails <= 10 {
				t.Errorf("seed %d, record %s: %s", seed, propDescribeAll(errs), fmt.Sprintf(format, args...))
			}
		}
		ev := &sentry.Event{}
		caseStart := time.Now()
		func() {
			defer func() {
				if p := recover(); p != nil {
					fail("setChain panicked: %v", p)
				}
			}()
			propSetChain(ev, errs, maxDepth)
		}()
		if d := time.Since(caseStart); d > 100*time.Millisecond {
			fail("took %v", d)
		}
		got := make([]propEx, len(ev.Exception))
		for i, ex := range ev.Exception {
			got[i] = propEx{ex.Type, ex.Value}
		}

		top := errs[0]
		if len(errs) > 1 {
			top = errors.Join(errs...)
		}
		together := propReadsTogether(top, maxDepth)
		want := &sentry.Event{}
		if together && func() (ok bool) {
			defer func() { _ = recover() }()
			want.SetException(top, maxDepth)
			return true
		}() { // (1): sentry-go reads it
			kinds[0]++
			if len(want.Exception) != len(ev.Exception) {
				fail("exceptions %v, want sentry-go's %+v", got, want.Exception)
				continue
			}
			for i := range ev.Exception {
				g, w := ev.Exception[i], want.Exception[i]
				if g.Type != w.Type || g.Value != w.Value || !reflect.DeepEqual(g.Mechanism, w.Mechanism) {
					fail("exception %d: %+v, want sentry-go's %+v", i, g, w)
				}
			}
			continue
		}

		var logged []error // the chain read, an Unwrap that panics ending it
		if together {
			logged = errs
		} else {
			logged = propExpected(errs, maxDepth)
		}
		if len(logged) == 0 { // (3)
			kinds[2]++
			if len(ev.Exception) != 1 || !strings.HasPrefix(ev.Exception[0].Value, "logcrumbs: reading the error panicked: ") {
				fail("exceptions %v, want the one that says reading panicked", got)
				continue
			}
			st := ev.Exception[0].Stacktrace
			if st == nil || len(st.Frames) == 0 || !strings.HasSuffix(st.Frames[len(st.Frames)-1].Function, "propSetChain") {
				fail("stack %+v, want the caller's, propSetChain on top", st)
			}
			continue
		}

		// (2)
		kinds[1]++
		if len(got) == 1 && strings.HasPrefix(got[0].value, "logcrumbs: reading the error panicked") {
			fail("exceptions %v, want those of %s", got, propDescribeAll(logged))
			continue
		}
		have := map[propEx]int{}
		for _, x := range got {
			have[x]++
		}
		allowed := map[propEx]int{}
		at := 0
		if len(logged) > 1 {
			at = 1 // under the join of them
		}
		for _, e := range logged {
			chain, _ := propChain(nil, e, at, maxDepth)
			for i, x := range chain {
				allowed[x]++
				// sentry-go's chain shows an error met twice once, where
				// met first: with a small depth, maybe below the depth
				// it shows. The error itself always shows.
				if have[x] == 0 && (i == 0 || maxDepth < 0 || maxDepth >= 10) {
					fail("exceptions %v lack %v (of %s, logged)", got, x, propDescribe(e))
				}
			}
		}
		root := got[len(got)-1]
		if len(logged) > 1 {
			texts := make([]string, len(logged))
			for i, e := range logged {
				texts[i], _ = propText(e)
			}
			wantRoot := propEx{"*errors.joinError", strings.Join(texts, "\n")}
			if root != wantRoot {
				fail("outermost exception %q, want the join of %s: %q", root, propDescribeAll(logged), wantRoot)
			}
			have[root]--
		}
		for x, n := range have {
			if n > allowed[x] {
				fail("exception %v %d times, logged %d times (want %s)", x, n, allowed[x], propDescribeAll(logged))
			}
		}
	}
	t.Logf("%d cases: %d without an unreadable value, %d with readable errors, %d with none", cases, kinds[0], kinds[1], kinds[2])
}

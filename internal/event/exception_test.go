package event

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"
	"unsafe"

	"github.com/getsentry/sentry-go"
)

// sentryExceptions is how setException made the exception chain before
// exceptionsOf: sentry-go's Event.SetException, the outermost exception's
// stack then trimmed. Its frames stand where setException's did.
//
//go:noinline
func sentryExceptions(err error, maxDepth int, pc uintptr) []sentry.Exception {
	var event sentry.Event
	event.SetException(err, maxDepth)
	if n := len(event.Exception); n > 0 {
		trimLoggingFrames(event.Exception[n-1].Stacktrace, pc)
	}
	return event.Exception
}

// ownExceptions calls exceptionsOf from where setException does.
//
//go:noinline
func ownExceptions(err error, maxDepth int, pc uintptr) []sentry.Exception {
	return exceptionsOf(err, maxDepth, pc, false)
}

// bothExceptions returns both chains of err, taken from the same frame;
// withPC gives them the program counter of its caller's call, as a logger
// records its caller.
//
//go:noinline
func bothExceptions(err error, maxDepth int, withPC bool) (want, got []sentry.Exception) {
	var pc uintptr
	if withPC {
		var pcs [1]uintptr
		runtime.Callers(2, pcs[:])
		pc = pcs[0]
	}
	return sentryExceptions(err, maxDepth, pc), ownExceptions(err, maxDepth, pc)
}

type strErr string

func (e strErr) Error() string { return string(e) }

type valErr struct{ msg string }

func (e valErr) Error() string { return e.msg }

type nilSafeErr struct{}

func (e *nilSafeErr) Error() string { return "nil-safe" }

// stackErr carries its stack as pkg/errors' errors do.
type stackErr struct {
	msg string
	pcs []uintptr
}

func newStackErr(msg string) *stackErr {
	pcs := make([]uintptr, 32)
	return &stackErr{msg, pcs[:runtime.Callers(1, pcs)]}
}
func (e *stackErr) Error() string         { return e.msg }
func (e *stackErr) StackTrace() []uintptr { return e.pcs }

// frameErr carries its stack as golang.org/x/xerrors' errors do.
type frameErr struct {
	msg   string
	frame struct{ frames [3]uintptr }
}

func newFrameErr(msg string) *frameErr {
	e := &frameErr{msg: msg}
	runtime.Callers(0, e.frame.frames[:])
	return e
}
func (e *frameErr) Error() string { return e.msg }

type causeErr struct{ cause error }

func (e causeErr) Error() string { return "cause: " + e.cause.Error() }
func (e causeErr) Cause() error  { return e.cause }

type multiErr []error

func (m multiErr) Error() string   { return fmt.Sprint(len(m), " errors") }
func (m multiErr) Unwrap() []error { return m }

// TestExceptionsAsSentry: exceptionsOf makes the exception chain sentry-go's
// Event.SetException made (then trimmed as setException trimmed it): the
// same types, values, mechanisms and stacks, the current stack's too, with
// and without the caller's program counter, asked again (from its cache),
// from deeper than sentry-go reads a stack, for errors that carry stacks
// of their own and for the chains sentry-go walks (Unwrap, joins, Cause,
// errors seen twice, maximum depths).
func TestExceptionsAsSentry(t *testing.T) {
	base := errors.New("base")
	wrapped := fmt.Errorf("outer: %w", fmt.Errorf("inner: %w", base))
	errs := map[string]error{
		"new":        base,
		"wrapped":    wrapped,
		"join":       errors.Join(wrapped, strErr("s"), nil, valErr{"v"}),
		"join-twice": errors.Join(base, base, strErr("s"), strErr("s"), valErr{"v"}, valErr{"v"}),
		"multi-nil":  multiErr{base, nil, valErr{"v"}},
		"str":        strErr("text"),
		"val":        valErr{"value"},
		"nil-ptr":    (*nilSafeErr)(nil),
		"stack":      fmt.Errorf("w: %w", newStackErr("pkg")),
		"stack-top":  newStackErr("pkg"),
		"frame":      fmt.Errorf("w: %w", newFrameErr("x")),
		"frame-top":  newFrameErr("x"),
		"cause":      causeErr{fmt.Errorf("c: %w", base)},
		"deep":       fmt.Errorf("1: %w", fmt.Errorf("2: %w", fmt.Errorf("3: %w", fmt.Errorf("4: %w", fmt.Errorf("5: %w", base))))),
	}
	for name, err := range errs {
		for _, depth := range []int{-1, 0, 1, 2, 100} {
			for _, withPC := range []bool{false, true} {
				for round := range 2 { // the second from the stack cache
					want, got := bothExceptions(err, depth, withPC)
					if !withPC {
						want, got = dropOwnFrames(want), dropOwnFrames(got)
					}
					if !reflect.DeepEqual(got, want) {
						w, _ := json.MarshalIndent(want, "", " ")
						g, _ := json.MarshalIndent(got, "", " ")
						t.Fatalf("%s, depth %d, pc %v, round %d:\ngot  %s\nwant %s", name, depth, withPC, round, g, w)
					}
				}
			}
		}
	}
	for _, frames := range []int{50, 97, 98, 99, 100, 150} {
		var want, got []sentry.Exception
		var deep func(n int)
		deep = func(n int) {
			if n == 0 {
				want, got = bothExceptions(wrapped, -1, false)
				return
			}
			deep(n - 1)
		}
		deep(frames)
		want, got = dropOwnFrames(want), dropOwnFrames(got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%d frames deep: got %d frames, want %d", frames, len(got[len(got)-1].Stacktrace.Frames), len(want[len(want)-1].Stacktrace.Frames))
		}
	}
}

// dropOwnFrames drops the frame of sentryExceptions or ownExceptions from
// the top of the outermost exception's stack: without a program counter,
// setException trims the frames of the loggers and logcrumbs from it, but
// here every frame is logcrumbs', so none is trimmed. The frames of what
// they call are not dropped: neither stack shows them (sentry-go's own
// frames are left out, and currentStack skips exceptionsOf's and its own).
func dropOwnFrames(ex []sentry.Exception) []sentry.Exception {
	st := ex[len(ex)-1].Stacktrace
	own := map[string]bool{"sentryExceptions": true, "ownExceptions": true}
	n := len(st.Frames)
	for n > 0 && own[st.Frames[n-1].Function] {
		n--
	}
	st.Frames = st.Frames[:n]
	return ex
}

// TestExceptionsOwnStack: each event gets a stack of its own: changing one
// (a BeforeSend may) leaves the next event's, from the cache, as it was.
// Every round asks from the same call site, so that the later rounds' stacks
// come from the cache the first round's filled (two calls from two lines
// are two stacks, two keys, and would not share a cached slice).
func TestExceptionsOwnStack(t *testing.T) {
	err := errors.New("x")
	var want []sentry.Frame
	for round := range 3 {
		ex := ownExceptions(err, -1, 0)
		frames := ex[0].Stacktrace.Frames
		if round == 0 {
			want = slices.Clone(frames)
		} else if !reflect.DeepEqual(frames, want) {
			t.Fatalf("round %d: a changed stack changed the next event's: %+v", round, frames)
		}
		for i := range frames { // a BeforeSend may
			frames[i].Function, frames[i].InApp = "changed", !frames[i].InApp
		}
	}
}

// oldCallerStacktrace is callerStacktrace as it was before its frames were
// remembered, symbolizing the stack on every call.
func oldCallerStacktrace(pc uintptr) *sentry.Stacktrace {
	pcs := make([]uintptr, 100)
	n := runtime.Callers(2, pcs)
	if f := callerFrames(pcs[:n], pc); f != nil {
		return &sentry.Stacktrace{Frames: f}
	}
	return nil
}

// bothCallerStacks returns oldCallerStacktrace's and callerStacktrace's
// stacks, taken from the same frame, for pc (withPC: its caller's call, as
// a logger records its caller; else none).
//
//go:noinline
func bothCallerStacks(withPC bool) (want, got *sentry.Stacktrace) {
	var pc uintptr
	if withPC {
		var pcs [1]uintptr
		runtime.Callers(2, pcs[:])
		pc = pcs[0]
	}
	return oldCallerStacktrace(pc), callerStacktrace(pc)
}

// TestCallerStacktraceCached: a message event's stack, remembered per
// stack, is the one worked out anew, on the first call and from the cache,
// for each pc; each event gets a copy of its own.
func TestCallerStacktraceCached(t *testing.T) {
	for _, withPC := range []bool{false, true} {
		for round := range 3 {
			want, got := bothCallerStacks(withPC)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("pc %v, round %d: got %+v, want %+v", withPC, round, got, want)
			}
			if got != nil && len(got.Frames) > 0 {
				got.Frames[0].Function = "changed" // a BeforeSend may
			}
		}
	}
}

// TestExceptionsStackStartsAtSetException: a stack of logcrumbs' frames
// alone (here every frame is this package's test's; a goroutine that runs a
// logger's method, such as go logger.Error(...) without a caller PC, is
// another) is kept whole, as nothing else is left once the loggers' frames
// are trimmed, and it starts at setException, where sentry-go's
// NewStacktrace started it (its own frames skipped): not at the frames
// exceptionsOf reads it through, which no stack had before.
func TestExceptionsStackStartsAtSetException(t *testing.T) {
	for round := range 2 { // the second from the cache
		var event sentry.Event
		setException(&event, []error{errors.New("x")}, -1, 0, false)
		frames := event.Exception[0].Stacktrace.Frames
		if top := frames[len(frames)-1].Function; top != "setException" {
			t.Errorf("round %d: the stack's top frame is %s, want setException", round, top)
		}
	}
}

// TestExceptionsWideJoin: the errors of a chain are looked up among those
// seen as sentry-go's visited maps look them up, in constant time, not by a
// scan of all seen so far: converting a join of 16000 errors known by their
// text (a value type's, not a pointer's) takes about as long as sentry-go
// takes (the scan made it 13 to 40 times as long, a join of 50000 errors
// 5.8 s where sentry-go took 0.8 s). Each is timed at its best of 3, in the
// same run, so that the machine's load weighs on both.
func TestExceptionsWideJoin(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	errs := make([]error, 16000)
	for i := range errs {
		errs[i] = strErr("item " + strconv.Itoa(i))
	}
	err := errors.Join(errs...)
	best := func(exceptions func(error, int, uintptr) []sentry.Exception) time.Duration {
		d := time.Duration(math.MaxInt64)
		for range 3 {
			runtime.GC()
			start := time.Now()
			if n := len(exceptions(err, 100, 0)); n != len(errs)+1 {
				t.Fatalf("%d exceptions, want %d", n, len(errs)+1)
			}
			d = min(d, time.Since(start))
		}
		return d
	}
	want, got := best(sentryExceptions), best(ownExceptions)
	if got > 4*want {
		t.Errorf("a join of %d errors took %v, sentry-go's conversion %v", len(errs), got, want)
	}
}

// TestStackCacheBounded: what a stack cache keeps, keys and frames, stays
// under maxStackBytes, whether its stacks have no frame of their own (all
// runtime or sentry-go frames) or one frame under the longest key: such
// stacks once counted nothing, or one frame, against the bound.
func TestStackCacheBounded(t *testing.T) {
	long := make([]byte, len(stackKeyBuf{}))
	for _, tc := range []struct {
		name   string
		key    []byte
		frames []sentry.Frame
	}{
		{"no frames", nil, nil},
		{"one frame, longest key", long, make([]sentry.Frame, 1)},
	} {
		var c stackCache
		held := 0
		for i := range 100_000 {
			key := binary.LittleEndian.AppendUint64(append([]byte(nil), tc.key...), uint64(i))
			c.put(key, tc.frames)
			if _, ok := c.m[string(key)]; ok {
				held += len(key) + len(tc.frames)*int(unsafe.Sizeof(sentry.Frame{}))
			}
		}
		if held > maxStackBytes {
			t.Errorf("%s: %d stacks kept, %d bytes of keys and frames, want at most %d", tc.name, len(c.m), held, maxStackBytes)
		}
	}
}

// deepStack returns the program counters of a stack whose top depth frames
// are this package's (logging frames, trimmed), under a frame of package
// slices (the caller's, kept).
func deepStack(depth int) []uintptr {
	var pcs []uintptr
	var rec func(int)
	rec = func(n int) {
		if n > 0 {
			rec(n - 1)
			return
		}
		var buf [100]uintptr
		pcs = slices.Clone(buf[:runtime.Callers(1, buf[:])])
	}
	slices.SortFunc([]int{1, 2}, func(a, b int) int {
		if pcs == nil {
			rec(depth)
		}
		return a - b
	})
	return pcs
}

// TestStackCacheBoundCountsHeld: what a stack cache holds stays under
// maxStackBytes counting the frames' arrays as held, not only the frames
// kept after trimming: a stack trimmed of many logging frames counted its
// few frames while its array held them all.
func TestStackCacheBoundCountsHeld(t *testing.T) {
	pcs := deepStack(80)
	var c stackCache
	build := func(pcs []uintptr, _ uintptr) []sentry.Frame { return stackFrames(pcs, 0) }
	for i := range 20_000 {
		c.lookup(uintptr(i+1), pcs, build)
	}
	held := 0
	for k, f := range c.m {
		held += cap(f)*int(unsafe.Sizeof(sentry.Frame{})) + len(k)
	}
	if held > maxStackBytes {
		t.Errorf("%d stacks held %d bytes of keys and frames, want at most %d", len(c.m), held, maxStackBytes)
	}
}

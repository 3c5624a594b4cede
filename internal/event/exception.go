package event

import (
	"encoding/binary"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/getsentry/sentry-go"
)

// exceptionsOf returns the exception chain of err as sentry-go's
// Event.SetException(err, maxDepth) makes it (v0.50.0's
// convertErrorToExceptions: the same exceptions, types, values, mechanisms
// and stacks), with the outermost exception's stack, when err carries none,
// trimmed as trimLoggingFrames trims it (see currentStack).
//
// It is sentry-go's, minus what made it most of an event's cost: the
// current stack symbolized anew for every event (runtime.CallersFrames and
// a sentry.Frame per frame), now remembered per stack; every error asked
// by reflection for a stack it carries (three method look-ups and a field
// look-up that panics for an error with no "frame" field), now asked only
// of the types that could carry one; and the look-up maps, pointers and
// mechanisms allocated one by one. TestExceptionsAsSentry holds it to
// sentry-go's output.
//
//go:noinline
func exceptionsOf(err error, maxDepth int, pc uintptr, guarded bool) []sentry.Exception {
	// The usual chain of a few errors fits these buffers, on the stack:
	// chainBuilder is passed and returned by value, not through a pointer,
	// which would move them to the heap.
	var excBuf [4]sentry.Exception
	var infoBuf [4]exceptionInfo
	var ptrBuf [4]uintptr
	c := chainBuilder{maxDepth: maxDepth, guarded: guarded, exceptions: excBuf[:0], infos: infoBuf[:0], ptrs: seenSet[uintptr]{list: ptrBuf[:0]}}
	c = c.convert(err, -1, "", 0)
	n := len(c.exceptions)
	if n == 0 {
		return nil
	}
	out, mechs, ids, st := chainStorage(n)
	copy(out, c.exceptions)
	if n > 1 { // a single exception has no mechanism (see convertErrorToExceptions)
		for i := range out {
			ids[i] = i
			mechs[i] = sentry.Mechanism{
				Type:             sentry.MechanismTypeChained,
				ExceptionID:      i,
				Source:           c.infos[i].source,
				IsExceptionGroup: c.infos[i].group,
			}
			if p := c.infos[i].parent; p < 0 {
				mechs[i].Type, mechs[i].Source = sentry.MechanismTypeGeneric, ""
			} else {
				mechs[i].ParentID = &ids[p]
			}
			out[i].Mechanism = &mechs[i]
		}
	}
	slices.Reverse(out)
	if out[n-1].Stacktrace == nil {
		out[n-1].Stacktrace = currentStack(pc, st)
	} else {
		trimLoggingFrames(out[n-1].Stacktrace, pc)
	}
	return out
}

// chainStorage returns the storage of a chain of n exceptions: the
// exceptions, their mechanisms and the IDs their ParentIDs point at (none
// for a single exception, which has no mechanism), and the outermost
// exception's stack when the error carries none (nil: currentStack makes
// it). A chain of up to 4 exceptions, as most are, gets all of them in one
// allocation, not four (SlogEvent/json+logcrumbs-empty, a %w-wrapped error:
// 44 -> 41 allocs/op); the event keeps all of them or none.
func chainStorage(n int) (out []sentry.Exception, mechs []sentry.Mechanism, ids []int, st *sentry.Stacktrace) {
	switch n {
	case 1:
		b := new(struct {
			exc [1]sentry.Exception
			st  sentry.Stacktrace
		})
		return b.exc[:], nil, nil, &b.st
	case 2:
		b := new(struct {
			exc   [2]sentry.Exception
			mechs [2]sentry.Mechanism
			ids   [2]int
			st    sentry.Stacktrace
		})
		return b.exc[:], b.mechs[:], b.ids[:], &b.st
	case 3:
		b := new(struct {
			exc   [3]sentry.Exception
			mechs [3]sentry.Mechanism
			ids   [3]int
			st    sentry.Stacktrace
		})
		return b.exc[:], b.mechs[:], b.ids[:], &b.st
	case 4:
		b := new(struct {
			exc   [4]sentry.Exception
			mechs [4]sentry.Mechanism
			ids   [4]int
			st    sentry.Stacktrace
		})
		return b.exc[:], b.mechs[:], b.ids[:], &b.st
	}
	return make([]sentry.Exception, n), make([]sentry.Mechanism, n), make([]int, n), nil
}

// chainBuilder is convertErrorDFS's state.
type chainBuilder struct {
	maxDepth   int
	guarded    bool // an Unwrap or Cause that panics ends the chain (see wrapped)
	exceptions []sentry.Exception
	infos      []exceptionInfo // of each exception, for its mechanism
	// The errors seen, by address (non-nil pointers) or by key.
	ptrs seenSet[uintptr]
	keys seenSet[string]
}

// maxSeenScan is how many errors seen a seenSet looks up by a scan of a
// slice; beyond it, in a map: a wide join's thousands of errors are then
// looked up in constant time, as sentry-go's maps look them up, not each by
// a scan of all before it.
const maxSeenScan = 32

// seenSet is a set of the errors seen: a slice while it is small (on the
// caller's stack where it can be), a map beyond maxSeenScan. It is passed
// by value, with its chainBuilder.
type seenSet[T comparable] struct {
	list []T
	set  map[T]struct{}
}

// add adds v to s and reports whether it was in s already.
func (s seenSet[T]) add(v T) (seenSet[T], bool) {
	if s.set == nil && len(s.list) >= maxSeenScan {
		s.set = make(map[T]struct{}, 2*len(s.list))
		for _, q := range s.list {
			s.set[q] = struct{}{}
		}
	}
	if s.set != nil {
		if _, ok := s.set[v]; ok {
			return s, true
		}
		s.set[v] = struct{}{}
		return s, false
	}
	if slices.Contains(s.list, v) {
		return s, true
	}
	s.list = append(s.list, v)
	return s, false
}

// exceptionInfo is what an exception's mechanism says of it: its parent's
// index (-1 for none), where the parent holds it, and whether it joins
// errors.
type exceptionInfo struct {
	parent int
	source string
	group  bool
}

// convert is sentry-go's convertErrorDFS: err's exception, then, depth
// first, those of the errors it wraps or joins, or of its Cause. It
// returns c with them added.
func (c chainBuilder) convert(err error, parent int, source string, depth int) chainBuilder {
	if err == nil {
		return c
	}
	var seen, nilPtr bool
	if c, seen, nilPtr = c.seen(err); seen {
		return c
	}
	_, isGroup := err.(interface{ Unwrap() []error })
	var text string
	if nilPtr {
		text = nilPointerText(err)
	} else {
		text = err.Error()
	}
	ex := sentry.Exception{
		Value:      text,
		Type:       reflect.TypeOf(err).String(),
		Stacktrace: errorStack(err),
	}
	id := len(c.exceptions)
	if parent < 0 {
		source = ""
	}
	c.exceptions = append(c.exceptions, ex)
	c.infos = append(c.infos, exceptionInfo{parent, source, isGroup})
	if c.maxDepth >= 0 && depth >= c.maxDepth {
		return c
	}
	if c.guarded {
		source, many, one := wrapped(err)
		for i, e := range many {
			if e != nil {
				c = c.convert(e, id, "errors["+strconv.Itoa(i)+"]", depth+1)
			}
		}
		if one != nil {
			c = c.convert(one, id, source, depth+1)
		}
		return c
	}
	switch v := err.(type) {
	case interface{ Unwrap() []error }:
		for i, e := range v.Unwrap() {
			if e != nil {
				c = c.convert(e, id, "errors["+strconv.Itoa(i)+"]", depth+1)
			}
		}
	case interface{ Unwrap() error }:
		if e := v.Unwrap(); e != nil {
			c = c.convert(e, id, sentry.MechanismTypeUnwrap, depth+1)
		}
	case interface{ Cause() error }:
		if e := v.Cause(); e != nil {
			c = c.convert(e, id, sentry.MechanismSourceCause, depth+1)
		}
	}
	return c
}

// wrapped returns what err wraps (Unwrap() []error, or Unwrap() error or
// Cause() with the mechanism's source of it), or nothing when that method
// panics: the chain ends at err, whose own text reads, as capture-once's
// chain ends there (buffer's errorChain), rather than a panic replacing
// the whole chain (see setChain). Only a guarded chainBuilder reads what
// each error wraps through it, once reading the chain unguarded panicked
// (see chainAfterPanic): an event's chain pays for no deferred recover of
// each of its errors.
func wrapped(err error) (source string, many []error, one error) {
	defer func() {
		if recover() != nil {
			source, many, one = "", nil, nil
		}
	}()
	switch v := err.(type) {
	case interface{ Unwrap() []error }:
		return "", v.Unwrap(), nil
	case interface{ Unwrap() error }:
		return sentry.MechanismTypeUnwrap, nil, v.Unwrap()
	case interface{ Cause() error }:
		return sentry.MechanismSourceCause, nil, v.Cause()
	}
	return "", nil, nil
}

// seen is sentry-go's visited.seenError: a non-nil pointer is seen by its
// address, any other error by its reflect.Value's String and its text. It
// returns c with err noted, and whether err is a nil pointer (whose text
// is nilPointerText's).
func (c chainBuilder) seen(err error) (_ chainBuilder, dup, nilPtr bool) {
	v := reflect.ValueOf(err)
	switch {
	case v.Kind() != reflect.Pointer:
		c.keys, dup = c.keys.add(v.String() + err.Error())
	case !v.IsNil():
		c.ptrs, dup = c.ptrs.add(v.Pointer())
	default:
		nilPtr = true
		c.keys, dup = c.keys.add(v.String() + nilPointerText(err))
	}
	return c, dup, nilPtr
}

// nilPointerText is the text of err, a nil pointer: its Error's, or
// "<nil>" when that panics (it dereferences the nil it does not guard
// against), as fmt prints it and the record shows it (see render.Error),
// not a panic that replaces the whole chain (see chainAfterPanic): the
// nil pointer an error wraps (fmt.Errorf's %w of one) is the program's
// nil, not a broken method.
func nilPointerText(err error) (text string) {
	defer func() {
		if recover() != nil {
			text = "<nil>"
		}
	}()
	return err.Error()
}

// errorStack is sentry.ExtractStacktrace(err), asked only of errors whose
// type could answer: ExtractStacktrace looks for methods StackFrames,
// StackTrace or GetStackTracer (go-errors, pkg/errors, pingcap) and for a
// "frame" field of a pointed-to struct (xerrors), the last by a reflection
// that panics and recovers when there is none, which was most of its cost.
// Without any of them it returns nil, whatever the error's value.
func errorStack(err error) *sentry.Stacktrace {
	t := reflect.TypeOf(err)
	mayCarry, ok := stackTypes.Load(t)
	if !ok {
		mayCarry = mayCarryStack(t)
		stackTypes.Store(t, mayCarry)
	}
	if !mayCarry.(bool) {
		return nil
	}
	return sentry.ExtractStacktrace(err)
}

// stackTypes remembers, per error type, mayCarryStack's answer. Types are
// finite in a program, so it needs no bound.
var stackTypes sync.Map // reflect.Type -> bool

// mayCarryStack reports whether sentry.ExtractStacktrace could find a stack
// in an error of type t (see errorStack).
func mayCarryStack(t reflect.Type) bool {
	for _, m := range []string{"StackFrames", "StackTrace", "GetStackTracer"} {
		if _, ok := t.MethodByName(m); ok {
			return true
		}
	}
	if t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return false // extractXErrorsPC's Elem or FieldByName panics
	}
	_, ok := t.Elem().FieldByName("frame")
	return ok
}

// maxStackDepth is how many program counters currentStack reads, from
// setException's frame down: sentry-go's NewStacktrace reads 100 from its
// own, three frames above setException (NewStacktrace,
// convertErrorToExceptions and Event.SetException, inlined but frames of
// the stack, and all left out of the stack as sentry-go's), so that a
// stack deeper than that is cut where NewStacktrace cut it.
const maxStackDepth = 97

// stackSkip is how many frames currentStack's runtime.Callers skips:
// runtime.Callers, currentStack and exceptionsOf, which no stack showed
// before (sentry-go's own frames are left out of it), so that the stack
// starts at setException as NewStacktrace's did, even when no frame is
// trimmed from it (a stack of logcrumbs' and the loggers' frames alone).
const stackSkip = 3

// currentStack returns the current goroutine's stack as sentry-go's
// NewStacktrace takes it for the outermost exception of an error that
// carries none, trimmed by trimLoggingFrames(st, pc): the same frames,
// from the caller's log call down, in st (a new one if nil).
//
// The frames are worked out once per stack (its program counters and pc):
// symbolizing every frame of it, and making a sentry.Frame of each, was a
// third of an event's cost. Each event gets a copy, which it may change.
//
// It must be called from exceptionsOf, called from setException (see
// maxStackDepth and stackSkip).
//
//go:noinline
func currentStack(pc uintptr, st *sentry.Stacktrace) *sentry.Stacktrace {
	var pcs [maxStackDepth]uintptr
	n := runtime.Callers(stackSkip, pcs[:])
	if n == 0 {
		return nil
	}
	frames := stacks.lookup(pc, pcs[:n], stackFrames)
	if st == nil {
		st = new(sentry.Stacktrace)
	}
	st.Frames = slices.Clone(frames)
	return st
}

// stackFrames is what NewStacktrace and trimLoggingFrames make of pcs,
// the log call (see isSite) found among all of pcs' frames: the runtime's,
// which the stack leaves out, too.
func stackFrames(pcs []uintptr, pc uintptr) []sentry.Frame {
	var frames []runtime.Frame
	it := runtime.CallersFrames(pcs)
	for {
		f, more := it.Next()
		frames = append(frames, f)
		if !more {
			break
		}
	}
	slices.Reverse(frames)
	for i := len(frames) - 1; i >= 0; i-- { // trimPanicFrames
		if frames[i].Function == "runtime.gopanic" {
			frames = frames[:i]
			break
		}
	}
	var out []sentry.Frame // createFrames
	var links []siteLinks  // of out's frames, by the whole stack (see trimLoggingFramesBy)
	if len(frames) > 0 {
		out = make([]sentry.Frame, 0, len(frames))
		links = make([]siteLinks, 0, len(frames))
	}
	for k, f := range frames {
		sf := sentry.NewFrame(f)
		if !skipFrame(sf.Module) {
			out = append(out, sf)
			links = append(links, siteLinks{
				calleeSite:   k+1 < len(frames) && isSite(frames[k+1].Function),
				loggerCaller: k > 0 && isLoggerFrame(frames[k-1].Function),
			})
		}
	}
	for i := len(out) - 1; i > 0; i-- { // cleanupFunctionNamePrefix
		if parent := out[i-1].Function + "."; strings.HasPrefix(out[i].Function, parent) {
			out[i].Function = out[i].Function[len(parent):]
		}
	}
	st := &sentry.Stacktrace{Frames: out}
	trimLoggingFramesBy(st, pc, links)
	return st.Frames
}

// skipFrame is sentry-go's shouldSkipFrame: Go's runtime and testing, and
// sentry-go's own frames, are left out of a stack.
func skipFrame(module string) bool {
	return module == "runtime" || module == "testing" ||
		strings.HasPrefix(module, "github.com/getsentry/sentry-go") && !strings.HasSuffix(module, "_test")
}

// maxStackBytes bounds what each stackCache holds: its frames (a
// sentry.Frame's size each: their strings are the runtime's own), its
// keys and a map entry's overhead. A program logs errors from a few
// hundred stacks, some 3,500 frames at 20 a stack; past the bound, stacks
// are worked out anew.
const maxStackBytes = 1 << 20

// stackCost is what a stack of n frames under key counts against
// maxStackBytes: a stack with no frame of its own still costs its key and
// entry, so that such stacks cannot grow the map without bound.
func stackCost(key []byte, n int) int {
	return n*int(unsafe.Sizeof(sentry.Frame{})) + len(key) + 64
}

// stackKey returns the key of a stack's frames in a stackCache: pc and
// pcs, written in buf.
func stackKey(pc uintptr, pcs []uintptr, buf *stackKeyBuf) []byte {
	key := binary.LittleEndian.AppendUint64(buf[:0], uint64(pc))
	for _, p := range pcs {
		key = binary.LittleEndian.AppendUint64(key, uint64(p))
	}
	return key
}

// stackKeyBuf holds a stack's key: pc and up to 100 program counters.
type stackKeyBuf [8 * 101]byte

// stacks remembers currentStack's frames by program counters.
var stacks stackCache

// stackCache is a map of stacks' frames, up to maxStackBytes, safe for
// concurrent use.
type stackCache struct {
	mu    sync.RWMutex
	m     map[string][]sentry.Frame
	bytes int
}

// lookup returns the frames build makes of the stack pcs logged at pc,
// remembered: build runs only for a stack not seen yet (or past the bound).
func (s *stackCache) lookup(pc uintptr, pcs []uintptr, build func(pcs []uintptr, pc uintptr) []sentry.Frame) []sentry.Frame {
	var keyBuf stackKeyBuf
	key := stackKey(pc, pcs, &keyBuf)
	frames, ok := s.get(key)
	if !ok {
		frames = build(slices.Clone(pcs), pc) // a copy: CallersFrames keeps it, and pcs stays on the caller's stack
		if cap(frames) > len(frames) {
			// Kept, it would hold its whole array (the logging frames
			// trimmed off, append's spare room) where stackCost counts
			// its frames.
			frames = slices.Clone(frames)
		}
		s.put(key, frames)
	}
	return frames
}

func (s *stackCache) get(key []byte) ([]sentry.Frame, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	frames, ok := s.m[string(key)]
	return frames, ok
}

func (s *stackCache) put(key []byte, frames []sentry.Frame) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = make(map[string][]sentry.Frame)
	}
	if _, ok := s.m[string(key)]; !ok && s.bytes+stackCost(key, len(frames)) <= maxStackBytes {
		s.m[string(key)] = frames
		s.bytes += stackCost(key, len(frames))
	}
}

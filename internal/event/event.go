// Package event builds Sentry events from logcrumbs' records: a record,
// its errors and its trail, with the client's options, become a
// *sentry.Event: the message, level and logger, the exception chain as
// sentry-go's Event.SetException makes it (built here, see exceptionsOf)
// with its stack (or the caller's stack), the record's attributes as the
// "log" context, opt-in tags, the user and the fingerprint, and the trail
// as breadcrumbs. Everything that leaves the process is scrubbed here
// (secret keys and URL secrets, user data gated by the client's
// DataCollection) and fitted under Sentry's size limit. It also builds the
// Sentry Logs entries of pass-through records and merges a unit's trail
// into events other code captured.
//
// It decides nothing about whether an event is sent: capture-once, noise
// control and the hand-over to the client live in internal/escalate and
// internal/policy.
package event

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/policy"
	"github.com/logcrumbs/logcrumbs/internal/render"
)

// LogContext names the event context that holds a record's attributes.
const LogContext = "log"

// truncatedKey is the log context's entry that says the record's text was
// cut to fit its limits.
const truncatedKey = "logcrumbs.truncated"

// maxTagValue is Sentry's limit on a tag value's length, in characters.
const maxTagValue = 200

// Builder holds the options that shape one integration's events. It is
// immutable and safe for concurrent use; a nil *Builder builds as Default.
type Builder struct {
	tagKeys        []string
	fingerprintKey string
	userKey        string // "-": none
	scrub          *scrubber
	logs           atomic.Pointer[logsCache] // see Builder.logger
}

// NewBuilder returns a Builder: tagKeys are the attributes that become
// tags, fingerprintKey the one that becomes the fingerprint (none if
// empty), userKey the group that becomes the user ("user" if empty, none if
// "-"), secretKeys the attribute names whose values are filtered
// (DefaultSecretKeys if nil), and scrub the user's own scrubber (or nil).
func NewBuilder(tagKeys []string, fingerprintKey, userKey string, secretKeys []string, scrub func(key string, value any) any) *Builder {
	if userKey == "" {
		userKey = "user"
	}
	return &Builder{tagKeys: tagKeys, fingerprintKey: fingerprintKey, userKey: userKey, scrub: newScrubber(secretKeys, scrub)}
}

// Default builds with the default options: no tags, no fingerprint, the
// user group "user" and the default secret keys.
var Default = NewBuilder(nil, "", "", nil, nil)

func (b *Builder) or() *Builder {
	if b == nil {
		return Default
	}
	return b
}

// Event builds the event for rec: message, level, time, logger, the
// exception chain of errs (or the caller's stack for a message event), the
// attributes as the "log" context, tags, user and fingerprint, and the
// trail as breadcrumbs (through the client's BeforeBreadcrumb), scrubbed
// and fitted under Sentry's size limit. It consumes rec's data.
func (b *Builder) Event(rec *buffer.Record, errs []error, trail *buffer.Trail, conf policy.ClientConf) *sentry.Event {
	e := b.or()
	msg, logger, data := rec.Fields()
	event := &sentry.Event{
		Level:     rec.Level.SentryLevel(),
		Message:   msg,
		Timestamp: rec.When(),
		Logger:    logger,
	}
	if len(errs) > 1 {
		errs = distinct(errs)
	}
	if len(errs) > 0 {
		// setChain's first step, here: its frame above setException is
		// one more for the stack trace's runtime.Callers to decode (about
		// 2,400 instructions an event, cachegrind,
		// SlogEvent/json+logcrumbs-empty).
		if setException(event, errs, conf.MaxErrorDepth, rec.PC, false) != nil {
			chainAfterPanic(event, errs, conf.MaxErrorDepth, rec.PC)
		}
	} else {
		event.Threads = []sentry.Thread{{Stacktrace: callerStacktrace(rec.PC), Current: true}}
	}

	gate := &userGate{client: conf.Client}
	if data != nil {
		e.scrub.clean(data, gate)
		e.fillFromData(event, data)
		if rec.Truncated {
			buffer.KeepUserKeys(data, truncatedKey) // the user's kept: see buffer.UserKeyPrefix
			data[truncatedKey] = true
		}
		event.Contexts = map[string]sentry.Context{LogContext: data}
	}
	var worst int
	event.Breadcrumbs, worst = breadcrumbs(trail, conf, e.scrub, gate)
	for _, ex := range event.Exception {
		worst += 6*len(ex.Value) + 256 + worstStackBytes(ex.Stacktrace)
	}
	for _, th := range event.Threads {
		worst += 256 + worstStackBytes(th.Stacktrace)
	}
	fitSize(event, worst+worstJSONBytes(rec))
	return event
}

// distinct returns errs without the errors that are an earlier one again
// (the same value, reached through a logger's With and the call, or under
// two keys): logged twice, an error is still one exception, not a group of
// it and itself, which Sentry would title and group apart from the error
// logged once. Errors are compared with == only where it cannot panic:
// pointers, as most errors are, numbers and strings, and structs and
// arrays that hold no uncomparable value (x509's errors by value); a slice
// or map of errors (Kubernetes' Aggregate) is a repeat when it is the same
// one (same type, same elements); any other error is kept. errs is
// returned as it is when it holds no repeat, and is not changed.
func distinct(errs []error) []error {
	var out []error // nil while errs holds no repeat
	for i, err := range errs {
		repeat := false
		if t := reflect.TypeOf(err); t != nil {
			switch k := t.Kind(); {
			case safelyComparable(k) || (k != reflect.Slice && k != reflect.Map && reflect.ValueOf(err).Comparable()):
				// err's == with any other error cannot panic: one of
				// another dynamic type is unequal, and one of err's
				// type compares as err's comparable parts do.
				for _, prev := range errs[:i] {
					if prev == err {
						repeat = true
						break
					}
				}
			case k == reflect.Slice || k == reflect.Map:
				v := reflect.ValueOf(err)
				for _, prev := range errs[:i] {
					if reflect.TypeOf(prev) == t && sameReference(v, reflect.ValueOf(prev)) {
						repeat = true
						break
					}
				}
			}
		}
		switch {
		case repeat && out == nil:
			out = append(make([]error, 0, len(errs)-1), errs[:i]...)
		case !repeat && out != nil:
			out = append(out, err)
		}
	}
	if out == nil {
		return errs
	}
	return out
}

// sameReference reports whether a and b, slices or maps of one type, are
// the same one: the same map, or the same elements of one array.
func sameReference(a, b reflect.Value) bool {
	if a.Kind() == reflect.Slice && a.Len() != b.Len() {
		return false
	}
	return a.Pointer() == b.Pointer()
}

// safelyComparable reports whether values of kind k compare with == without
// a run-time panic.
func safelyComparable(k reflect.Kind) bool {
	switch k {
	case reflect.Pointer, reflect.UnsafePointer, reflect.Chan, reflect.String, reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return true
	}
	return false
}

// setChain sets the exception chain of errs (see setException). An Error
// or Unwrap method that panics leaves the chain of the other errors, those
// that can be read alone; when none can (or all can, but not together), an
// exception that says so instead of the chain, with the caller's stack.
func setChain(event *sentry.Event, errs []error, maxDepth int, pc uintptr) {
	if setException(event, errs, maxDepth, pc, false) != nil {
		chainAfterPanic(event, errs, maxDepth, pc)
	}
}

// chainAfterPanic is setChain once setException of errs panicked.
// An Unwrap or Cause that panicked ends the chain at its error, whose text
// reads, as capture-once's chain ends there (see wrapped). One bad value
// logged beside the real error must not replace the real error's chain:
// errs are then read again without those that cannot be read alone. Nor
// one joined with it (errors.Join(err, bad), logged as one value, or
// wrapped): a join that cannot be read stands for its members that can, as
// if they had been logged side by side, and so does a wrapper of one (see
// readableMembers). A chain that reads keeps its shape: only one that
// panicked is read again.
func chainAfterPanic(event *sentry.Event, errs []error, maxDepth int, pc uintptr) {
	p := setException(event, errs, maxDepth, pc, true)
	if p == nil {
		return
	}
	// Joins are opened on the first try only, and the tries after it read
	// fewer errors each time: errors that read alone but not together (an
	// Error that panics on some calls only) are not retried for ever, and
	// get the exception that says reading them panicked.
	ok, opened := readableErrors(errs, maxDepth, pc, true)
	for len(ok) > 0 && (opened || len(ok) < len(errs)) {
		if p = setException(event, ok, maxDepth, pc, true); p == nil {
			return
		}
		errs = ok
		ok, opened = readableErrors(errs, maxDepth, pc, false)
	}
	err := errs[0]
	if len(errs) > 1 {
		err = errors.Join(errs...)
	}
	// Here, not in setException's deferred recover, where the stack would
	// start at the panic (runtime.gopanic).
	event.Exception = []sentry.Exception{{
		Type:       reflect.TypeOf(err).String(),
		Value:      "logcrumbs: reading the error panicked: " + render.Text(p),
		Stacktrace: trimPanicked(callerStacktrace(pc)),
	}}
}

// trimPanicked drops from st the frames from the innermost runtime.gopanic
// on, as stackFrames does: a recovered panic's stack (CapturePanic) ends
// where the program panicked, not in the recovery that reports it.
func trimPanicked(st *sentry.Stacktrace) *sentry.Stacktrace {
	if st == nil {
		return nil
	}
	for i := len(st.Frames) - 1; i > 0; i-- {
		if f := st.Frames[i]; f.Module == "runtime" && f.Function == "gopanic" {
			st.Frames = st.Frames[:i]
			break
		}
	}
	return st
}

// readableErrors returns those of errs, which cannot be read together,
// that can be read alone, and with joins, in the place of each join among
// the others, its members that can (readableMembers), and whether it found
// any such member. One error, which was just read alone, is not read again.
// An error is kept once, whether read alone or as a member: a wrapper that
// cannot be read, logged beside what it wraps, stands for that error once.
// One the record logged twice, read alone each time, is kept twice, as
// it reads without the errors that cannot be (see firstAlone).
func readableErrors(errs []error, maxDepth int, pc uintptr, joins bool) (ok []error, opened bool) {
	o := joinOpener{maxDepth: maxDepth, pc: pc, budget: maxOpenedJoins}
	for _, e := range errs {
		if len(errs) > 1 && setException(&sentry.Event{}, []error{e}, maxDepth, pc, true) == nil {
			if o.firstAlone(e) {
				ok = append(ok, e)
			}
			continue
		}
		if joins {
			n := len(ok)
			ok = o.readableMembers(ok, e, 0)
			opened = opened || len(ok) > n
		}
	}
	return ok, opened
}

// maxOpenedJoins bounds how many joins readableErrors opens: a join met
// twice is opened once when it can be a map key (errors.Join's, a
// pointer, can), but one that cannot and holds itself would be opened for
// ever when the chain's depth is not bounded (a negative MaxErrorDepth).
const maxOpenedJoins = 1024

// joinOpener is readableMembers' state: the chain's depth and the
// caller's pc (see setException), the joins opened and the members found
// so far, and how many more joins it may open.
type joinOpener struct {
	maxDepth int
	pc       uintptr
	seen     map[error]struct{}
	alone    map[error]struct{} // of seen, those noted by firstAlone
	budget   int
}

// readableMembers appends to ok the members of err, an error that cannot
// be read alone, that can, when err is a join (Unwrap() []error); of a
// member that is itself such a join, its own, down to the depth its chain
// would show (maxDepth, with err at depth): errors.Join(err, bad) reads
// as err. A wrapper (Unwrap() error, or Cause() error without it, as
// sentry-go's chain and wrapped follow) that cannot be read is opened as a
// join of one, so that fmt.Errorf("cleanup: %w", errors.Join(err, bad))
// reads as err too (its text, made by fmt, reads; the join under it does
// not). A join met twice (errors.Join(j, j)) is opened once, and a
// member met twice is appended once, when they can be map keys (see
// first). An Unwrap that panics opens nothing.
func (o *joinOpener) readableMembers(ok []error, err error, depth int) []error {
	j, isJoin := err.(interface{ Unwrap() []error })
	var unwrap func() error // a wrapper's, as wrapped reads it: Unwrap, else Cause
	if w, ok := err.(interface{ Unwrap() error }); ok {
		unwrap = w.Unwrap
	} else if c, ok := err.(interface{ Cause() error }); ok {
		unwrap = c.Cause
	}
	isWrapper := unwrap != nil
	if (!isJoin && !isWrapper) || (o.maxDepth >= 0 && depth >= o.maxDepth) || o.budget == 0 || !o.first(err) {
		return ok
	}
	o.budget--
	members := func() (ms []error) {
		defer func() {
			if recover() != nil {
				ms = nil
			}
		}()
		if isJoin {
			return j.Unwrap()
		}
		// A wrapper that cannot be read, for what it wraps: a join
		// under it stands for its members as it would alone.
		return []error{unwrap()}
	}()
	for _, m := range members {
		switch {
		case m == nil, isNilPointer(m):
			// A typed nil member is no error of its own, as a typed nil
			// logged is none (render.Error): read alone its text is
			// "<nil>" (see nilPointerText), but a join of it with the
			// others, which the chain is made of, calls its Error.
		case setException(&sentry.Event{}, []error{m}, o.maxDepth, o.pc, true) == nil:
			if o.first(m) {
				ok = append(ok, m)
			}
		default:
			ok = o.readableMembers(ok, m, depth+1)
		}
	}
	return ok
}

// first notes err and reports whether it was not noted before. An error
// that cannot be a map key (its dynamic value holds a map, a slice or a
// func), whose hash panics, is never noted: first, every time.
func (o *joinOpener) first(err error) (first bool) {
	defer func() {
		if recover() != nil {
			first = true
		}
	}()
	if _, dup := o.seen[err]; dup {
		return false
	}
	if o.seen == nil {
		o.seen = map[error]struct{}{}
	}
	o.seen[err] = struct{}{}
	return true
}

// firstAlone is first for an error of the record read alone: one noted
// before as a member is a repeat the first time it is read alone (the
// member stands for it), one read alone before is not, the record logged
// it twice: [w(a), a, a] reads as [a, a, w(a)] does, a twice. An error
// that cannot be a map key is never noted: first, every time.
func (o *joinOpener) firstAlone(err error) (first bool) {
	defer func() {
		if recover() != nil {
			first = true
		}
	}()
	if o.alone == nil {
		o.alone = map[error]struct{}{}
	}
	if _, dup := o.seen[err]; dup {
		_, alone := o.alone[err]
		o.alone[err] = struct{}{}
		return alone
	}
	if o.seen == nil {
		o.seen = map[error]struct{}{}
	}
	o.seen[err] = struct{}{}
	o.alone[err] = struct{}{}
	return true
}

// setException sets the exception chain of errs: one error as itself, more
// as errors.Join of them. The outermost exception gets the caller's stack
// when the error carries none of its own. If an Error or Unwrap method
// panics, it sets none and returns what it panicked with (see setChain).
// guarded, once it panicked (see chainAfterPanic): an Unwrap or Cause that
// panics ends the chain at its error (see wrapped); an Error that panics
// still makes it return what it panicked with.
func setException(event *sentry.Event, errs []error, maxDepth int, pc uintptr, guarded bool) (p any) {
	err := errs[0]
	if len(errs) > 1 {
		err = errors.Join(errs...)
	}
	defer func() {
		if r := recover(); r != nil {
			event.Exception, p = nil, r
		}
	}()
	// sentry-go's event.SetException(err, maxDepth), with the outermost
	// exception's stack starting at the caller's log call (see exceptionsOf).
	if ex := exceptionsOf(err, maxDepth, pc, guarded); len(ex) > 0 {
		event.Exception = ex
	}
	fixTextErrors(event, errs)
	for i := range event.Exception {
		event.Exception[i].Value = cut(event.Exception[i].Value, maxExceptionValue)
	}
	return nil
}

// maxExceptionValue bounds each exception's text: in a deep %w chain every
// layer repeats the text of all below it.
const maxExceptionValue = 4 << 10

// breadcrumbs converts the trail for the event, passing each breadcrumb
// through the client's BeforeBreadcrumb as sentry-go does for its own.
func breadcrumbs(trail *buffer.Trail, conf policy.ClientConf, scrub *scrubber, gate *userGate) (_ []*sentry.Breadcrumb, worstBytes int) {
	if conf.MaxBreadcrumbs == 0 {
		return nil, 0
	}
	batch := trail.Copy()
	defer batch.Release()
	recs := batch.Recs
	before := conf.BeforeBreadcrumb
	out := make([]*sentry.Breadcrumb, 0, len(recs))
	var c buffer.Cleaner // nil: cleaned after converting
	if len(recs) > 0 {
		if cc := scrub.cleaner(gate); cc != nil {
			defer cc.done(gate)
			c = cc
		}
	}
	values := buffer.Breadcrumbs(recs, c)
	// Each breadcrumb gets a hint of its own, empty and not nil, as
	// sentry-go's Hub.AddBreadcrumb gives: made as one array for the trail,
	// so that a hint costs its map alone, not also a pointer's allocation.
	var hints []sentry.BreadcrumbHint
	if before != nil {
		hints = make([]sentry.BreadcrumbHint, len(recs))
	}
	for i, r := range recs {
		worstBytes += worstJSONBytes(r)
		b := &values[i]
		if c == nil {
			scrub.clean(b.Data, gate)
		}
		if before != nil {
			hints[i] = sentry.BreadcrumbHint{}
			if b = before(b, &hints[i]); b == nil {
				continue
			}
		}
		out = append(out, b)
	}
	return out, worstBytes
}

// fillFromData sets the event's tags, user and fingerprint from the record's
// attributes. The user group moves out of data into the event's user.
//
// Without the client's DataCollection.UserInfo (SendDefaultPII), the group
// holds only its id by now (see gateUser).
func (e *Builder) fillFromData(event *sentry.Event, data map[string]any) {
	for _, key := range e.tagKeys {
		if v, ok := lookup(data, key); ok && isScalar(v) {
			if event.Tags == nil {
				event.Tags = make(map[string]string, len(e.tagKeys))
			}
			event.Tags[key] = oneLine(cutChars(fmt.Sprint(v), maxTagValue))
		}
	}
	if e.fingerprintKey != "" {
		if v, ok := lookup(data, e.fingerprintKey); ok {
			event.Fingerprint = fingerprint(v)
		}
	}
	if e.userKey != "-" {
		if m, ok := data[e.userKey].(map[string]any); ok {
			event.User = user(m)
			delete(data, e.userKey)
		}
	}
}

// lookup finds a dotted path in nested maps.
func lookup(data map[string]any, path string) (any, bool) {
	cur := data
	for {
		head, rest, nested := strings.Cut(path, ".")
		if !nested {
			v, ok := cur[path]
			return v, ok
		}
		if v, ok := cur[path]; ok { // a key that itself contains dots
			return v, true
		}
		m, ok := cur[head].(map[string]any)
		if !ok {
			return nil, false
		}
		cur, path = m, rest
	}
}

func isScalar(v any) bool {
	switch v.(type) {
	case map[string]any, []any, nil:
		return false
	}
	return true
}

func fingerprint(v any) []string {
	switch v := v.(type) {
	case []any:
		out := make([]string, 0, len(v))
		for _, p := range v {
			out = append(out, fmt.Sprint(p))
		}
		return out
	case nil:
		return nil
	default:
		return []string{fmt.Sprint(v)}
	}
}

// cut cuts s to at most n bytes at a UTF-8 boundary, marked with "…".
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n-len("…")], "") + "…"
}

// cutChars cuts s to at most n characters (runes), the last of them "…":
// Sentry counts a tag value's length in characters, so that a value in a
// script of several bytes a character keeps as many as an ASCII one.
func cutChars(s string, n int) string {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	end, chars := 0, 0
	for i := range s {
		if chars == n-1 {
			end = i
			break
		}
		chars++
	}
	return strings.ToValidUTF8(s[:end], "") + "…"
}

// oneLine returns s with its line breaks made spaces: Sentry drops a tag
// whose value holds a newline.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
}

// AppendFingerprintKey appends rec's key for deduplication to dst (see
// policy.AppendFingerprintKey): the user's fingerprint when rec has one,
// else its call site.
func (b *Builder) AppendFingerprintKey(dst []byte, client *sentry.Client, rec *buffer.Record, errs []error) []byte {
	return b.AppendFingerprintKeyAt(dst, policy.ClientID(client), rec, errs, "")
}

// SiteKeyed reports whether the key of a record without a user
// fingerprint field is the only one the builder makes: no
// Options.FingerprintKey is set.
func (b *Builder) SiteKeyed() bool { return b.or().fingerprintKey == "" }

// AppendFingerprintKeyAt is AppendFingerprintKey, for the client of
// number client (policy.ClientID), with rec's call site found already
// (LogCallSite), or "" to find it.
func (b *Builder) AppendFingerprintKeyAt(dst []byte, client uint64, rec *buffer.Record, errs []error, site string) []byte {
	e := b.or()
	var fp []string
	if e.fingerprintKey != "" {
		if v, ok := lookup(rec.Data(), e.fingerprintKey); ok {
			fp = fingerprint(v)
		}
	}
	if len(fp) > 0 {
		site = ""
	} else if site == "" { // the key falls back on the call site
		site = callSite(rec.PC)
	}
	return policy.AppendFingerprintKeyOf(dst, client, rec.Logger(), fp, site, errs, rec.Message())
}

// RecordID returns what identifies rec's fingerprint key for a skipped
// repeat (see policy.RepeatMemo), when the key falls back on a call site
// that rec's program counter gives, or for a record without one, that
// siteRet gives (Site.Ret, when not 0); else false. client is the number
// of the client its key is of (policy.ClientID).
func (b *Builder) RecordID(client uint64, rec *buffer.Record, errs []error, siteRet uintptr) (policy.RecordID, bool) {
	pc, walked := rec.PC, false
	if pc == 0 {
		pc, walked = siteRet, true
	}
	if pc == 0 || b.or().fingerprintKey != "" {
		return policy.RecordID{}, false
	}
	id := policy.RecordID{Client: client, Logger: rec.LoggerBytes(), PC: pc, Walked: walked}
	return id, id.SetErrors(errs)
}

// SetRecordID sets id to RecordID's answer for a record of logger and
// errs without a program counter, whose site was found in the frame of
// return address siteRet (Site.Ret, not 0), and reports whether it has
// one. id is set in place: returned, the RecordID's nine words were copied
// twice (cachegrind, ZerologRepeat/hook: about 40 instructions).
func (b *Builder) SetRecordID(id *policy.RecordID, client *sentry.Client, logger string, errs []error, siteRet uintptr) bool {
	if siteRet == 0 || b.or().fingerprintKey != "" {
		return false
	}
	id.Client, id.PC, id.Walked = policy.ClientID(client), siteRet, true
	id.Logger = unsafe.Slice(unsafe.StringData(logger), len(logger)) // read only
	return id.SetErrors(errs)
}

// AddTrail merges trail into an event other code captured through a unit
// of work's hub (hub.CaptureException, sentryhttp), as logcrumbs' own
// events have it: scrubbed, through client's BeforeBreadcrumb, in time
// order with the scope's, capped, and the event fitted under the size
// limit.
func (b *Builder) AddTrail(event *sentry.Event, trail *buffer.Trail, client *sentry.Client) {
	if !client.IsEnabled() {
		return
	}
	conf := policy.Default().Conf(client)
	crumbs, _ := breadcrumbs(trail, conf, b.or().scrub, &userGate{client: client})
	event.Breadcrumbs = append(event.Breadcrumbs, crumbs...)
	sortAndCap(event, conf.MaxBreadcrumbs)
	fitSize(event, maxEventBytes+1) // what other code put in the event is unknown: measure
}

// MarkUnhandled marks the event's outermost exception as not handled by
// the program, as Sentry shows crashes.
func MarkUnhandled(event *sentry.Event) {
	if n := len(event.Exception); n > 0 {
		m := event.Exception[n-1].Mechanism
		if m == nil {
			m = &sentry.Mechanism{Type: "generic"}
			event.Exception[n-1].Mechanism = m
		}
		handled := false
		m.Handled = &handled
	}
}

// isNilPointer reports whether err is a nil pointer.
func isNilPointer(err error) bool {
	v := reflect.ValueOf(err)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

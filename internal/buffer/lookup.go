package buffer

import (
	"strings"

	"github.com/getsentry/sentry-go"
)

// maxPathDepth bounds the segments of a path Lookup follows.
const maxPathDepth = 16

// Lookup returns the value of the attribute at a dotted path through groups
// ("http.status" is status in the group http), converted as Data converts
// it, and whether there is one: what Data holds at the path. A group's
// value is its data map, groups of one key merged. When a key appears
// twice, the last one wins, as in Data. A path that goes on into a
// JSON value (a map or a struct a logger encoded as JSON: logr's values,
// slog.Any, zap.Any) follows the value's objects as Data decodes them, as
// TagKeys and FingerprintKey do. Lookup allocates only the value it
// returns (and, for such a path, the decoded JSON value; for a path
// through both a JSON value and a group, which Data merges, the record's
// Data).
func (r *Record) Lookup(path string) (any, bool) {
	var segs [maxPathDepth]string
	n := 0
	for rest := path; n < maxPathDepth; n++ {
		seg, tail, more := strings.Cut(rest, ".")
		segs[n] = seg
		if !more {
			n++
			break
		}
		rest = tail
	}
	var found Attr
	ok := false
	inJSON := 0 // when found is a JSON value the path goes on into: its segment's index + 1
	// The groups the path names since a value last replaced one of them
	// (or an ancestor): Data merges a key's groups into one map, and a
	// value of the key, or of an ancestor's, starts it anew.
	var groupsArr [4]int
	groups := groupsArr[:0]
	// Whether a JSON value and a group lie on the path: Data merges a
	// group into an object of its key before it, and such a record is
	// looked up in its Data (see below).
	jsonOnPath, groupOnPath := false, false
	depth, matched := 0, 0 // depth of named groups; how many of them match the path
	var unnamed [64]bool   // which open groups, by nesting, are unnamed
	open := 0              // groups open, named or not
	for i, a := range r.attrs {
		switch a.Kind {
		case KindGroupOpen:
			key := r.str(a.key)
			if open < len(unnamed) {
				unnamed[open] = key == ""
			}
			open++
			if key == "" {
				continue // unnamed groups are inlined
			}
			if matched == depth && depth < n && key == segs[depth] {
				groupOnPath = true
				if depth == n-1 {
					found, ok, inJSON = a, true, 0 // the path names this group
					groups = append(groups, i)
				} else {
					matched++
				}
			}
			depth++
		case KindGroupClose:
			open--
			if open >= 0 && open < len(unnamed) && unnamed[open] {
				continue
			}
			depth--
			matched = min(matched, depth)
		default:
			if matched == depth && depth < n && r.str(a.key) == segs[depth] {
				// The value replaces the path's groups, or an ancestor's;
				// the path may go on inside a JSON value.
				found, ok, inJSON = a, depth == n-1, 0
				jsonOnPath = jsonOnPath || a.Kind == KindJSON
				if !ok && a.Kind == KindJSON {
					ok, inJSON = true, depth+1
				}
				groups = groups[:0]
			}
		}
	}
	if jsonOnPath && groupOnPath {
		// Rare, and what Data makes of it is the answer: a group after
		// an object of its key (or of an ancestor's) merges into it.
		return lookupData(r.Data(), segs[:n])
	}
	if !ok {
		return nil, false
	}
	if found.Kind == KindGroupOpen {
		return r.groupData(groups), true
	}
	v := r.Value(found)
	if inJSON == 0 {
		return v, true
	}
	if m, isObject := v.(map[string]any); isObject {
		return lookupData(m, segs[inJSON:n])
	}
	return nil, false
}

// lookupData returns the value at the path segs in data, through its maps.
func lookupData(data map[string]any, segs []string) (any, bool) {
	var v any = data
	for _, seg := range segs {
		m, isObject := v.(map[string]any)
		if !isObject {
			return nil, false
		}
		if v, isObject = m[seg]; !isObject {
			return nil, false
		}
	}
	return v, true
}

// groupData converts the groups opened at attrs[open] for each open of
// opens to one data map, as Data merges groups of one key.
func (r *Record) groupData(opens []int) map[string]any {
	sub := Record{data: r.data, limits: r.limits}
	for _, open := range opens {
		depth := 0
		for _, a := range r.attrs[open+1:] {
			if a.Kind == KindGroupOpen {
				depth++
			}
			if a.Kind == KindGroupClose {
				if depth == 0 {
					break
				}
				depth--
			}
			sub.attrs = append(sub.attrs, a)
		}
	}
	return sub.Data()
}

// SentryLevel returns r's level as Sentry's.
func (r *Record) SentryLevel() sentry.Level { return r.Level.SentryLevel() }

// Errors returns the errors the record carries, when its integration
// collected them (see SetErrors).
func (r *Record) Errors() []error { return r.errs }

// SetErrors notes the errors the record carries, for Errors.
func (r *Record) SetErrors(errs []error) { r.errs = errs }

// ErrorsSlot starts the record's errors with first (copied) and returns
// where the record notes them, for an encoder to append to while the record
// is built: a slot in the record itself, so that gathering errors through
// an encoder's function value allocates no slice header of its own, on
// storage of the record's own for the first few, so that gathering them
// allocates no slice either (an error storm logs one error a record). The
// slice the slot holds stays valid until ReleaseErrors or Put.
func (r *Record) ErrorsSlot(first []error) *[]error {
	r.errs = append(r.errBuf[:0], first...)
	r.errBufUsed = true
	return &r.errs
}

// ReleaseErrors forgets the record's errors, and clears the storage
// ErrorsSlot gave them: a record kept in a trail must not keep its errors
// alive.
//
// Most records have no errors: a field is written only when it holds one,
// since clearing it anyway costs a write barrier while the GC runs, on
// every breadcrumb; and the storage is looked at only when ErrorsSlot gave
// it out (each breadcrumb is released twice, when kept and when reused:
// reading the storage both times was about 40 instructions). The clearing
// is out of line (releaseErrors), so that the Reset of every breadcrumb,
// which ReleaseErrors is inlined in, does not carry its code.
func (r *Record) ReleaseErrors() {
	if r.errs != nil || r.errBufUsed {
		r.releaseErrors()
	}
}

//go:noinline
func (r *Record) releaseErrors() {
	if r.errs != nil {
		r.errs = nil
	}
	if !r.errBufUsed {
		return
	}
	for i := range r.errBuf {
		if r.errBuf[i] != nil {
			r.errBuf[i] = nil
		}
	}
	r.errBufUsed = false
}

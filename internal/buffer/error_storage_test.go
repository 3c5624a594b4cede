package buffer

import (
	"errors"
	"testing"
	"time"
)

// TestReleaseErrorsClearsSlotStorage: the errors gathered in a record's own
// storage (ErrorsSlot) are cleared by ReleaseErrors and by Reset, also
// after the slot itself was emptied (as Core.build hands errs over), so
// that a record kept in a trail or the pool keeps no error alive; and a
// record whose storage was never given out is left as it is.
func TestReleaseErrorsClearsSlotStorage(t *testing.T) {
	e1, e2 := errors.New("one"), errors.New("two")
	for _, release := range []struct {
		name string
		f    func(*Record)
	}{
		{"ReleaseErrors", (*Record).ReleaseErrors},
		{"Reset", func(r *Record) { r.Reset(time.Time{}, LevelInfo, DefaultBreadcrumbLimits) }},
	} {
		r := Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
		slot := r.ErrorsSlot([]error{e1})
		*slot = append(*slot, e2)
		if got := r.Errors(); len(got) != 2 || &got[0] != &r.errBuf[0] {
			t.Fatalf("%s: errors %v not on the record's storage", release.name, got)
		}
		*slot = nil // handed over
		release.f(r)
		if r.errBuf != [2]error{} || r.Errors() != nil {
			t.Errorf("%s: errors kept: %v, %v", release.name, r.errBuf, r.Errors())
		}
		// Given out again after the release, the storage is cleared again.
		r.ErrorsSlot([]error{e2})
		release.f(r)
		if r.errBuf != [2]error{} {
			t.Errorf("%s, second time: errors kept: %v", release.name, r.errBuf)
		}
		Put(r)
	}
}

// TestCopyReleasesSlotStorage: a copy of a record whose errors are on its
// own storage (ErrorsSlot) holds them on its storage too, and releasing
// the copy clears them: copyFrom must carry the flag that says the storage
// was given out, or ReleaseErrors and Reset skip it and the copy keeps
// the errors alive for as long as it sits in the pool or a Batch.
func TestCopyReleasesSlotStorage(t *testing.T) {
	src := Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
	defer Put(src)
	src.ErrorsSlot([]error{errors.New("one"), errors.New("two")})
	for _, release := range []struct {
		name string
		f    func(*Record)
	}{
		{"ReleaseErrors", (*Record).ReleaseErrors},
		{"Reset", func(r *Record) { r.Reset(time.Time{}, LevelInfo, DefaultBreadcrumbLimits) }},
	} {
		var c Record
		c.copyFrom(src)
		if c.errBuf != src.errBuf {
			t.Fatalf("%s: copy's storage %v, want %v", release.name, c.errBuf, src.errBuf)
		}
		release.f(&c)
		if c.errBuf != [2]error{} || c.Errors() != nil {
			t.Errorf("%s: the copy kept its errors: %v, %v", release.name, c.errBuf, c.Errors())
		}
	}
}

// TestCopyOverSlotStorage: copying a record without errors over one whose
// errors are on its own storage leaves no error there (copyFrom reads the
// storage only when either record's flag says it was given out).
func TestCopyOverSlotStorage(t *testing.T) {
	src := Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
	defer Put(src)
	var c Record
	c.ErrorsSlot([]error{errors.New("one"), errors.New("two")})
	c.copyFrom(src)
	if c.errBuf != [2]error{} || c.errBufUsed || c.Errors() != nil {
		t.Errorf("the copy kept the errors it held: %v, %v", c.errBuf, c.Errors())
	}
}

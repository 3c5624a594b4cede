package buffer

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
	"unsafe"
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

// TestErrorStorageRandomOps: after any sequence of the writers of a
// record's errors (ErrorsSlot and appends through its slot, SetErrors,
// ReleaseErrors, Reset, copyFrom between records, Relimit's precondition
// aside), a record's storage holds errors only while its flag says so,
// and a copy holds exactly its source's errors and storage, as copying
// every element did before copyFrom skipped unused storage: never those
// of the record it overwrote, which would keep them alive in the pool.
func TestErrorStorageRandomOps(t *testing.T) {
	errs := []error{errors.New("a"), errors.New("b"), errors.New("c"), errors.New("d")}
	someErrs := func(rng *rand.Rand) []error {
		n := rng.IntN(4)
		out := make([]error, n)
		for i := range out {
			out[i] = errs[rng.IntN(len(errs))]
		}
		return out
	}
	for seed := range 2000 {
		rng := rand.New(rand.NewPCG(uint64(seed), 5))
		var recs [4]*Record
		slots := [4]*[]error{}
		for i := range recs {
			recs[i] = Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
		}
		for step := range 40 {
			i := rng.IntN(len(recs))
			r := recs[i]
			switch rng.IntN(7) {
			case 0:
				slots[i] = r.ErrorsSlot(someErrs(rng))
			case 1:
				if slots[i] != nil {
					*slots[i] = append(*slots[i], errs[rng.IntN(len(errs))])
				}
			case 2:
				r.SetErrors(someErrs(rng))
			case 3:
				r.ReleaseErrors()
				slots[i] = nil
			case 4:
				r.Reset(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
				slots[i] = nil
			case 5, 6:
				j := rng.IntN(len(recs))
				if j == i {
					continue
				}
				src := recs[j]
				r.copyFrom(src)
				slots[i] = nil
				if r.errBuf != src.errBuf || r.errBufUsed != src.errBufUsed || len(r.errs) != len(src.errs) ||
					unsafe.SliceData(r.errs) != unsafe.SliceData(src.errs) || (r.errs == nil) != (src.errs == nil) {
					t.Fatalf("seed %d step %d: copy holds %v %v %v, its source %v %v %v",
						seed, step, r.errBuf, r.errBufUsed, r.errs, src.errBuf, src.errBufUsed, src.errs)
				}
			}
			for k, q := range recs {
				if !q.errBufUsed && q.errBuf != [2]error{} {
					t.Fatalf("seed %d step %d: record %d's storage holds %v, its flag unset", seed, step, k, q.errBuf)
				}
			}
		}
		for _, r := range recs {
			r.ReleaseErrors()
			if r.errBuf != [2]error{} || r.errs != nil || r.errBufUsed {
				t.Fatalf("seed %d: released record holds %v %v", seed, r.errBuf, r.errs)
			}
			Put(r)
		}
	}
}

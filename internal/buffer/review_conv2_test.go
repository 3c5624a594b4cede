package buffer

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
	"unsafe"
)

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

// TestCachedKeyEveryLengthAndByte: a record's key that differs from the
// cached key of the record before at the same position, in any one byte
// of a key of any length 1 to 40 (for 9 to 16 bytes the two 8-byte loads
// overlap, past 16 they cannot cover the key), or by being a byte longer
// or shorter, is its own key in its breadcrumb, under a cleaner (whose
// verdict is cached with the key) and without; an equal key is the cached
// string itself.
func TestCachedKeyEveryLengthAndByte(t *testing.T) {
	base := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = 'a' + byte(i%26)
		}
		return string(b)
	}
	check := func(first, second string) {
		t.Helper()
		recs := make([]*Record, 0, 3)
		for _, k := range []string{first, second, second} {
			r := Get(time.Unix(1, 0), LevelInfo, DefaultBreadcrumbLimits)
			r.AddText(KindString, "pad", "p")
			r.AddText(KindString, k, "v")
			r.AddScalar(KindInt64, "n", 300)
			recs = append(recs, r)
		}
		defer PutAll(recs)
		for _, c := range []Cleaner{nil, modelCleaner{}} {
			bs := Breadcrumbs(recs, c)
			for i, want := range []string{first, second, second} {
				d := bs[i].Data
				if _, ok := d[want]; !ok || len(d) != 3 {
					t.Fatalf("keys %q then %q, cleaner %v: breadcrumb %d has %v, want key %q", first, second, c != nil, i, d, want)
				}
			}
		}
	}
	for n := 0; n <= 40; n++ {
		k := base(n)
		check(k, k)
		check(k, k+"x")
		check(k+"x", k)
		for pos := range n {
			b := []byte(k)
			b[pos] ^= 0x20 // upper case: still ASCII, still plain
			check(k, string(b))
			check(string(b), k)
		}
	}
}

// TestSlabElementsTakenOnce: every string and number a trail's conversion
// boxes points to storage of its own (the slab's element, taken once, or
// the runtime's copy), never to one another value of the trail points to
// (where a later value would overwrite an earlier breadcrumb's), and a
// second conversion of the same records boxes into none of the first's.
func TestSlabElementsTakenOnce(t *testing.T) {
	for seed := range 200 {
		rng := rand.New(rand.NewPCG(uint64(seed), 11))
		recs := reviewTrail(rng, seed%2 == 1)
		seen := map[unsafe.Pointer]string{}
		for pass := range 2 {
			for _, c := range []Cleaner{nil, modelCleaner{}} {
				for i, b := range Breadcrumbs(recs, c) {
					for k, v := range b.Data {
						switch v.(type) {
						case string, int64, uint64, float64:
						default:
							continue
						}
						e := (*eface)(unsafe.Pointer(&v))
						if s, ok := v.(string); ok && (s == "" || s == "[Filtered]") {
							continue // the runtime's shared empty string, the cleaner's constant
						}
						if n, ok := v.(int64); ok && uint64(n) < 256 {
							continue // boxed from the runtime's static array
						}
						if n, ok := v.(uint64); ok && n < 256 {
							continue
						}
						where := fmt.Sprintf("pass %d cleaner %v breadcrumb %d key %q = %v", pass, c != nil, i, k, v)
						if other, ok := seen[e.data]; ok {
							t.Fatalf("seed %d: %s shares its storage with %s", seed, where, other)
						}
						seen[e.data] = where
					}
				}
			}
		}
		PutAll(recs)
	}
}

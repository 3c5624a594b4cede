package buffer

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/logcrumbs/logcrumbs/internal/race"
)

// boxCases are values a slab boxes, each with the slab's way of boxing it.
func boxCases(s *slab) []struct{ got, want any } {
	long := strings.Repeat("x", 100)
	return []struct{ got, want any }{
		{s.string(""), ""},
		{s.string("a"), "a"},
		{s.string(long), long},
		{s.string("héllo \u00b5s"), "héllo \u00b5s"},
		{s.int64(0), int64(0)},
		{s.int64(255), int64(255)},
		{s.int64(256), int64(256)},
		{s.int64(-1), int64(-1)},
		{s.int64(math.MaxInt64), int64(math.MaxInt64)},
		{s.int64(math.MinInt64), int64(math.MinInt64)},
		{s.uint64(math.MaxUint64), uint64(math.MaxUint64)},
		{s.uint64(1 << 40), uint64(1 << 40)},
		{s.float64(0.5), 0.5},
		{s.float64(-1e300), -1e300},
		{s.float64(math.Copysign(0, -1)), math.Copysign(0, -1)},
		{s.float64(math.SmallestNonzeroFloat64), math.SmallestNonzeroFloat64},
	}
}

// TestSlabBoxesAsRuntime: a value boxed from a slab is indistinguishable
// from the same value boxed by the runtime, for everything that reads an
// interface value: reflect, ==, type switches, map keys, encoding/json, fmt.
func TestSlabBoxesAsRuntime(t *testing.T) {
	s := newSlab(4, 12)
	for _, c := range boxCases(&s) {
		if reflect.TypeOf(c.got) != reflect.TypeOf(c.want) {
			t.Errorf("%#v: type %v, want %v", c.want, reflect.TypeOf(c.got), reflect.TypeOf(c.want))
		}
		if c.got != c.want || !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%#v: got %#v, not equal", c.want, c.got)
		}
		if m := map[any]bool{c.want: true}; !m[c.got] {
			t.Errorf("%#v: not found as a map key", c.want)
		}
		var switched any
		switch v := c.got.(type) {
		case string:
			switched = v
		case int64:
			switched = v
		case uint64:
			switched = v
		case float64:
			switched = v
		}
		if switched != c.want {
			t.Errorf("%#v: type switch gave %#v", c.want, switched)
		}
		gotJSON, err1 := json.Marshal(c.got)
		wantJSON, err2 := json.Marshal(c.want)
		if string(gotJSON) != string(wantJSON) || (err1 == nil) != (err2 == nil) {
			t.Errorf("%#v: JSON %s (%v), want %s (%v)", c.want, gotJSON, err1, wantJSON, err2)
		}
		for _, verb := range []string{"%v", "%#v", "%T", "%q", "%x"} {
			if got, want := fmt.Sprintf(verb, c.got), fmt.Sprintf(verb, c.want); got != want {
				t.Errorf("%#v: %s gives %s, want %s", c.want, verb, got, want)
			}
		}
	}
}

// TestSlabFallsBack: a nil or full slab boxes as the runtime does.
func TestSlabFallsBack(t *testing.T) {
	var full slab
	for _, s := range []*slab{nil, &full} {
		for _, c := range boxCases(s) {
			if c.got != c.want || reflect.TypeOf(c.got) != reflect.TypeOf(c.want) {
				t.Errorf("%#v: got %#v", c.want, c.got)
			}
		}
	}
}

// TestSlabOutlivesItsHolder: the garbage collector keeps a slab alive
// through the interface values that point into it, and never frees or
// reuses its memory while they do.
func TestSlabOutlivesItsHolder(t *testing.T) {
	var boxed []any
	for i := range 100 {
		s := newSlab(1, 1)
		text := strings.Repeat("v", 20) + fmt.Sprint(i)
		boxed = append(boxed, s.string(text), s.int64(int64(1000+i)))
	}
	for range 3 {
		runtime.GC()
		_ = make([]string, 1<<16) // garbage, to reuse freed memory
	}
	for i := range 100 {
		if want := strings.Repeat("v", 20) + fmt.Sprint(i); boxed[2*i] != want {
			t.Fatalf("string %d = %#v after GC, want %q", i, boxed[2*i], want)
		}
		if boxed[2*i+1] != int64(1000+i) {
			t.Fatalf("int %d = %#v after GC", i, boxed[2*i+1])
		}
	}
}

// slabRecords returns records with a value of every kind, in groups too.
func slabRecords() []*Record {
	var recs []*Record
	for i := range 3 {
		r := Get(time.Unix(int64(i), 0), LevelInfo, DefaultBreadcrumbLimits)
		r.SetLogger("slog")
		r.SetMessage(fmt.Sprint("message ", i))
		r.AddText(KindString, "path", "/users/42")
		r.AddText(KindError, "err", "bad \xff byte")
		r.AddText(KindPanic, "p", "String panicked")
		r.AddScalar(KindInt64, "small", 200)
		r.AddScalar(KindInt64, "big", 1<<40+uint64(i))
		r.AddScalar(KindInt64, "neg", uint64(math.MaxUint64))
		r.AddScalar(KindUint64, "u", math.MaxUint64)
		r.AddScalar(KindFloat64, "f", math.Float64bits(2.5))
		r.AddScalar(KindFloat64, "nan", math.Float64bits(math.NaN()))
		r.AddScalar(KindDuration, "took", uint64(1500*time.Microsecond*time.Duration(i+1)))
		r.AddScalar(KindDuration, "long", uint64(math.MaxInt64))
		r.AddScalar(KindDuration, "min", uint64(1<<63))
		r.OpenGroup("g")
		r.AddScalar(KindTime, "at", uint64(time.Date(2262, 4, 11, 23, 47, 16, 854775807, time.UTC).UnixNano()))
		r.AddScalar(KindTime, "old", uint64(1<<63))
		r.AddText(KindJSON, "j", `{"a":[1,"x"]}`)
		r.AddScalar(KindBool, "ok", 1)
		r.AddScalar(KindNull, "none", 0)
		r.CloseGroup()
		r.AddText(KindString, "after", "group")
		recs = append(recs, r)
	}
	return recs
}

// TestSlabConversionMatchesBoxing: the data of breadcrumbs converted with
// a slab equal those converted value by value, and the slab is taken whole.
func TestSlabConversionMatchesBoxing(t *testing.T) {
	recs := slabRecords()
	for i, b := range Breadcrumbs(recs, nil) {
		r := recs[i]
		want := r.DataIn(r.AllText()) // boxed one by one
		if !reflect.DeepEqual(b.Data, want) {
			t.Errorf("record %d:\n got %#v\nwant %#v", i, b.Data, want)
		}
		gotJSON, _ := json.Marshal(b.Data)
		wantJSON, _ := json.Marshal(want)
		if string(gotJSON) != string(wantJSON) {
			t.Errorf("record %d: JSON %s, want %s", i, gotJSON, wantJSON)
		}
	}
	s, all, flat := newSlabFor(recs)
	for _, r := range recs {
		r.dataIn(checkedText(all[:len(r.data)]), &s, nil, nil, flat)
		all = all[len(r.data):]
	}
	if s.nstr != len(s.strs) || s.nnum != len(s.nums) {
		t.Errorf("slab left %d strings and %d numbers untaken", len(s.strs)-s.nstr, len(s.nums)-s.nnum)
	}
}

// TestRenderedMatchesStrings: durations and times are rendered as
// time.Duration.String and RFC 3339 in UTC write them, within
// maxRenderedBytes.
func TestRenderedMatchesStrings(t *testing.T) {
	durations := []time.Duration{0, 1, -1, 999, 1000, 1500 * time.Microsecond, time.Second, 90 * time.Minute, math.MaxInt64, math.MinInt64}
	for _, d := range durations {
		a := Attr{Kind: KindDuration, num: uint64(d)}
		if got := renderString(a); got != d.String() || len(got) > maxRenderedBytes {
			t.Errorf("duration %d: %q, want %q", int64(d), got, d.String())
		}
	}
	for _, ns := range []int64{0, 1, math.MaxInt64, math.MinInt64, time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC).UnixNano()} {
		a := Attr{Kind: KindTime, num: uint64(ns)}
		want := time.Unix(0, ns).UTC().Format(time.RFC3339Nano)
		if got := renderString(a); got != want || len(got) > maxRenderedBytes {
			t.Errorf("time %d: %q, want %q", ns, got, want)
		}
	}
}

// TestBreadcrumbsAllocs: a trail's breadcrumbs cost their data maps (two
// allocations each, for up to 8 entries: the map and its first group of
// slots) and four allocations for the whole trail (the shared text, the
// string and number slabs, the breadcrumbs' array), whatever their values.
func TestBreadcrumbsAllocs(t *testing.T) {
	if race.Enabled {
		t.Skip("allocation counts are checked without -race")
	}
	var recs []*Record
	for i := range 3 {
		r := Get(time.Unix(int64(i), 0), LevelInfo, DefaultBreadcrumbLimits)
		r.SetLogger("slog")
		r.SetMessage("request served")
		r.AddText(KindString, "path", "/users/42")
		r.AddText(KindError, "err", "connection refused")
		r.AddScalar(KindInt64, "big", 1<<40+uint64(i))
		r.AddScalar(KindUint64, "u", math.MaxUint64)
		r.AddScalar(KindFloat64, "f", math.Float64bits(2.5))
		r.AddScalar(KindDuration, "took", uint64(3*time.Millisecond))
		r.AddScalar(KindTime, "at", uint64(time.Now().UnixNano()))
		r.AddScalar(KindBool, "cached", 1)
		recs = append(recs, r)
	}
	got := testing.AllocsPerRun(100, func() { Breadcrumbs(recs, nil) })
	if want := float64(2*len(recs) + 4); got != want {
		t.Errorf("Breadcrumbs of %d records: %v allocations, want %v", len(recs), got, want)
	}
}

// TestSmallNumbersBoxAsRuntime: every number that boxes free (see
// smallNums), as each kind of number, boxes from a slab, nil or not, to
// the value the runtime boxes, and takes none of the slab's elements.
func TestSmallNumbersBoxAsRuntime(t *testing.T) {
	s := newSlab(0, 1)
	for _, s := range []*slab{nil, &s} {
		for i := range uint64(256) {
			f := math.Float64frombits(i)
			for _, c := range []struct{ got, want any }{
				{s.int64(int64(i)), int64(i)},
				{s.uint64(i), i},
				{s.float64(f), f},
			} {
				if c.got != c.want || reflect.TypeOf(c.got) != reflect.TypeOf(c.want) || fmt.Sprint(c.got) != fmt.Sprint(c.want) {
					t.Errorf("%d: got %#v, want %#v", i, c.got, c.want)
				}
			}
		}
		if s != nil && s.nnum != 0 {
			t.Errorf("%d number elements taken, want 0", s.nnum)
		}
	}
	if smallNums[255] != 255 || smallNums[0] != 0 {
		t.Errorf("smallNums changed: %d, %d", smallNums[0], smallNums[255])
	}
}

// TestSlabNeedsByKind holds newSlabFor's count (kindNeeds, a table by
// kind) to a switch on the kind, for every kind and numbers that box
// free, not, and floats that are not finite: the slab's elements must be
// what value takes; and its flat, what Record.flat says of each kind.
func TestSlabNeedsByKind(t *testing.T) {
	// want returns the string elements, number elements and rendered
	// bytes of a.
	want := func(a *Attr) (strs, nums, room int) {
		switch a.Kind {
		case KindString, KindError, KindPanic:
			return 1, 0, 0
		case KindDuration:
			return 1, 0, 16
		case KindTime:
			return 1, 0, maxRenderedBytes
		case KindFloat64:
			if _, ok := nonFinite(math.Float64frombits(a.num)); ok {
				return 0, 0, 0
			}
			fallthrough
		case KindInt64, KindUint64:
			if !boxesFree(a.num) {
				return 0, 1, 0
			}
		}
		return 0, 0, 0
	}
	nums := []uint64{0, 1, 255, 256, 1 << 40, math.MaxUint64, math.Float64bits(1.5), math.Float64bits(math.NaN()),
		math.Float64bits(math.Inf(1)), math.Float64bits(math.Inf(-1)), math.Float64bits(-math.MaxFloat64),
		0x7ff0000000000001, 0xfff8000000000000}
	for k := range kindCount {
		for _, n := range nums {
			a := Attr{Kind: k, num: n}
			r := &Record{attrs: []Attr{a, a}, data: []byte("text")}
			s, _, flat := newSlabFor([]*Record{r, r})
			if flat != r.flat() {
				t.Errorf("kind %d: newSlabFor's flat %v, Record.flat %v", k, flat, r.flat())
			}
			ws, wn, wr := want(&a)
			if len(s.strs) != 4*ws || len(s.nums) != 4*wn || cap(s.rend) != 4*wr {
				t.Errorf("kind %d, num %#x: %d strings, %d numbers, %d bytes; want %d, %d, %d",
					k, n, len(s.strs), len(s.nums), cap(s.rend), 4*ws, 4*wn, 4*wr)
			}
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

package buffer

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/logcrumbs/logcrumbs/internal/race"
)

// Copying a Record (copyFrom), resetting it, and growing its storage.

func TestCopyFromIsIndependent(t *testing.T) {
	src := Get(time.Unix(5, 0), LevelWarning, DefaultBreadcrumbLimits)
	src.SetMessage("original")
	src.AddText(KindString, "k", "v1")
	dst := Get(time.Time{}, LevelDebug, DefaultBreadcrumbLimits)
	dst.copyFrom(src)
	src.Reset(time.Time{}, LevelDebug, DefaultBreadcrumbLimits)
	src.SetMessage("changed")
	src.AddText(KindString, "k", "v2")
	if dst.Message() != "original" || dst.Data()["k"] != "v1" || dst.Level != LevelWarning || !dst.Time.Equal(time.Unix(5, 0)) {
		t.Errorf("copy changed with its source: %q %v", dst.Message(), dst.Data())
	}
}

func TestResetReusesStorage(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
	r.AddText(KindString, "k", strings.Repeat("x", 100))
	before := cap(r.data)
	r.Reset(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
	if r.Len() != 0 || len(r.data) != 0 || cap(r.data) != before || r.Message() != "" {
		t.Errorf("after Reset: %d attrs, %d bytes, cap %d (was %d)", r.Len(), len(r.data), cap(r.data), before)
	}
}

// TestCopyFromBothWays: after CopyFrom, writing to either record (in place,
// into spare capacity, or after Reset) leaves the other as it was, and the
// copy carries the whole state: groups open, counters, limits.
func TestCopyFromBothWays(t *testing.T) {
	limits := Limits{MaxAttrs: 3, MaxValueBytes: 8, MaxRecordBytes: 512}
	src := Get(time.Unix(7, 0), LevelError, limits)
	src.SetLogger("lg")
	src.SetMessage("a message too long")
	src.AddText(KindString, "k", "v")
	src.OpenGroup("g")
	src.AddScalar(KindInt64, "n", 1)
	src.AddScalar(KindInt64, "dropped", 2)
	src.data = append(make([]byte, 0, 1024), src.data...) // spare capacity an alias would share
	src.attrs = append(make([]Attr, 0, 64), src.attrs...)

	dst := Get(time.Time{}, LevelDebug, DefaultBreadcrumbLimits)
	dst.AddText(KindString, "old", strings.Repeat("o", 200))
	dstCap := cap(dst.data)
	dst.copyFrom(src)
	if cap(dst.data) != dstCap {
		t.Errorf("CopyFrom did not reuse the copy's storage: cap %d, was %d", cap(dst.data), dstCap)
	}
	before := fmt.Sprint(dst.Breadcrumb())
	if fmt.Sprint(src.Breadcrumb()) != before {
		t.Fatalf("copy %s differs from source %s", before, fmt.Sprint(src.Breadcrumb()))
	}
	if dst.Depth() != 1 || dst.DroppedAttrs != 1 || !dst.Truncated || dst.limits != limits {
		t.Errorf("copy state: depth %d, dropped %d, truncated %v, limits %+v", dst.Depth(), dst.DroppedAttrs, dst.Truncated, dst.limits)
	}

	src.data[0] ^= 0xff // in place
	src.attrs[0].num = 99
	src.CloseAll() // appends into spare capacity
	src.limits.MaxAttrs = 100
	src.AddText(KindString, "more", "text")
	if got := fmt.Sprint(dst.Breadcrumb()); got != before || dst.Depth() != 1 {
		t.Errorf("the copy changed with its source:\n%s\nwas\n%s", got, before)
	}

	srcNow := fmt.Sprint(src.Breadcrumb())
	dst.CloseAll()
	dst.data[0] = 'X'
	dst.AddText(KindString, "mine", "x")
	dst.Reset(time.Time{}, LevelInfo, limits)
	if got := fmt.Sprint(src.Breadcrumb()); got != srcNow {
		t.Errorf("the source changed with its copy:\n%s\nwas\n%s", got, srcNow)
	}
}

func TestResetClearsState(t *testing.T) {
	r := Get(time.Unix(1, 0), LevelFatal, Limits{MaxAttrs: 1, MaxValueBytes: 4, MaxRecordBytes: 64})
	r.SetLogger("lg")
	r.SetMessage("long message")
	r.OpenGroup("g")
	r.OpenGroup("dropped")
	r.AddScalar(KindInt64, "dropped", 1)
	r.BeginText(KindString, "unfinished")
	attrsCap := cap(r.attrs)
	r.Reset(time.Unix(2, 0), LevelDebug, DefaultBreadcrumbLimits)
	if r.Truncated || r.DroppedAttrs != 0 || r.Depth() != 0 || r.Logger() != "" || r.Message() != "" || r.Len() != 0 {
		t.Errorf("Reset left state: %+v", r)
	}
	if cap(r.attrs) != attrsCap || r.textStart != -1 || r.limits != DefaultBreadcrumbLimits || r.Level != LevelDebug || !r.Time.Equal(time.Unix(2, 0)) {
		t.Errorf("after Reset: %+v", r)
	}
	_, _ = r.WriteString("after reset") // no text begun: discarded
	r.AddText(KindString, "k", "long value now fits")
	if len(r.data) != len("k")+len("long value now fits") || r.Data()["k"] != "long value now fits" {
		t.Errorf("the new limits do not apply, or a stray write was kept: %q", r.data)
	}
}

// TestGrow: Grow makes room within the record's limits.
func TestGrow(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, Limits{MaxAttrs: 4, MaxValueBytes: 100, MaxRecordBytes: 64})
	r.attrs, r.data = nil, nil // a pooled record keeps its last use's storage
	r.Grow(1<<20, 1<<20)
	if cap(r.data) > 128 || cap(r.attrs) > 8 {
		t.Errorf("Grow past the limits: cap(data) %d, cap(attrs) %d", cap(r.data), cap(r.attrs))
	}
	r.Grow(-1, -1) // nothing to make room for
}

// TestGrowAllocs: filling what Grow made room for allocates nothing more.
func TestGrowAllocs(t *testing.T) {
	if race.Enabled {
		t.Skip("allocation counts are checked without -race")
	}
	full := Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
	allocs := testing.AllocsPerRun(10, func() {
		full.Reset(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
		full.attrs, full.data = nil, nil
		full.Grow(40, 3)
		full.SetLogger("slog")
		full.SetMessage("request served")
		full.AddText(KindString, "path", "/users/42")
		full.AddScalar(KindInt64, "status", 200)
		full.AddScalar(KindBool, "ok", 1)
	})
	if allocs != 2 {
		t.Errorf("filling a grown record: %v allocations, want 2 (its text and attributes)", allocs)
	}
}

// TestResetClearsEveryField sets every field of a Record, exported or not,
// to a value other than its zero, then checks that Reset leaves exactly
// what a new record reset with the same arguments holds (the storage kept
// aside): Reset writes its fields one by one, and a field added to Record
// must be added there too.
func TestResetClearsEveryField(t *testing.T) {
	var r Record
	fillNonZero(t, reflect.ValueOf(&r).Elem(), "Record")
	attrs, data := r.attrs, r.data
	at, limits := time.Unix(3, 0), Limits{MaxAttrs: 5, MaxValueBytes: 6, MaxRecordBytes: 7}
	r.Reset(at, LevelWarning, limits)

	var want Record
	want.Reset(at, LevelWarning, limits)
	want.attrs, want.data = attrs[:0], data[:0]
	if !reflect.DeepEqual(&r, &want) {
		t.Errorf("after Reset:\n%+v\nwant\n%+v", r, want)
	}
	if &r.attrs[:1][0] != &attrs[0] || &r.data[:1][0] != &data[0] {
		t.Error("Reset did not keep the record's storage")
	}
}

// TestCopyFromCopiesEveryField: copyFrom, which copies field by field,
// leaves every field of the copy equal to the source's (the slices' content,
// the same parser) whatever the copy held before, into its own storage.
func TestCopyFromCopiesEveryField(t *testing.T) {
	var src, dst Record
	fillNonZero(t, reflect.ValueOf(&src).Elem(), "src")
	fillNonZero(t, reflect.ValueOf(&dst).Elem(), "dst")
	dst.attrs, dst.data = make([]Attr, 1, 8), make([]byte, 1, 8)

	var empty Record // every field of the copy's is overwritten
	dst.copyFrom(&empty)
	if len(dst.attrs) != 0 || len(dst.data) != 0 {
		t.Errorf("copy of an empty record kept %d attributes, %d bytes", len(dst.attrs), len(dst.data))
	}
	dst.attrs, dst.data = nil, nil
	if !reflect.DeepEqual(&dst, &empty) {
		t.Errorf("copy of an empty record:\n%+v\nwant\n%+v", dst, empty)
	}

	dst.attrs, dst.data = make([]Attr, 0, 8), make([]byte, 0, 8)
	storage := &dst.data[:1][0]
	dst.copyFrom(&src)
	if reflect.ValueOf(dst.parse).Pointer() != reflect.ValueOf(src.parse).Pointer() {
		t.Error("copyFrom did not copy the parser")
	}
	want := src
	want.parse, dst.parse = nil, nil
	if !reflect.DeepEqual(&dst, &want) {
		t.Errorf("after copyFrom:\n%+v\nwant\n%+v", dst, want)
	}
	if &dst.data[:1][0] != storage {
		t.Error("copyFrom did not keep the copy's storage")
	}
}

// fillNonZero sets v, reached through unexported fields too, to a value
// that is not its zero.
func fillNonZero(t *testing.T, v reflect.Value, path string) {
	t.Helper()
	if !v.CanSet() {
		v = reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(2)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(2)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2001, 2, 3, 4, 5, 6, 7, time.FixedZone("x", 3600))))
			return
		}
		for i := range v.NumField() {
			fillNonZero(t, v.Field(i), path+"."+v.Type().Field(i).Name)
		}
	case reflect.Array:
		for i := range v.Len() {
			fillNonZero(t, v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 4)
		fillNonZero(t, s.Index(0), path+"[0]")
		v.Set(s)
	case reflect.Interface:
		v.Set(reflect.ValueOf(fmt.Errorf("%s", path)))
	case reflect.Func:
		v.Set(reflect.MakeFunc(v.Type(), func([]reflect.Value) []reflect.Value { return nil }))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
	default:
		t.Fatalf("%s: no non-zero value for a %s: teach fillNonZero one", path, v.Kind())
	}
	if v.IsZero() {
		t.Fatalf("%s is still zero", path)
	}
}

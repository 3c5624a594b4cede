package buffer

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzRecord builds a record from arbitrary operations and checks what any
// record promises: no panic, the byte budget held, every group balanced, and
// a breadcrumb that is valid UTF-8 and encodes as JSON.
func FuzzRecord(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6}, "key", "value é\xff", 4, 16, 64)
	f.Add([]byte{3, 3, 3, 4, 4, 4, 4, 0}, "", "{\"a\":1}", 1, 1, 1)
	f.Add([]byte{5, 5, 1, 6, 2}, "k\x00", "ééééééééé", 64, 3, 10)
	f.Fuzz(func(t *testing.T, ops []byte, key, val string, maxAttrs, maxValue, maxRecord int) {
		limits := Limits{MaxAttrs: maxAttrs % 200, MaxValueBytes: maxValue % 4096, MaxRecordBytes: maxRecord % 8192}.WithDefaults(DefaultBreadcrumbLimits)
		r := Get(time.Unix(1, 0), LevelInfo, limits)
		r.SetMessage(val)
		for i, op := range ops {
			switch op % 8 {
			case 0:
				r.AddText(KindString, key, val)
			case 1:
				r.AddScalar(KindInt64, key, uint64(i))
			case 2:
				r.AddText(KindJSON, key, val)
			case 3:
				r.OpenGroup(key)
			case 4:
				r.CloseGroup()
			case 5:
				r.BeginText(KindString, key)
				_, _ = r.WriteString(val)
				_, _ = r.Write([]byte(val))
				r.EndText()
			case 6:
				r.AddScalar(KindFloat64, key, uint64(i)<<52)
			case 7:
				c := Get(time.Time{}, 0, limits)
				c.CopyFrom(r)
				r.AppendRecord(c)
			}
		}
		r.CloseAll()
		if len(r.data) > limits.MaxRecordBytes {
			t.Fatalf("record keeps %d bytes, budget %d", len(r.data), limits.MaxRecordBytes)
		}
		if r.Depth() != 0 {
			t.Fatalf("depth %d after CloseAll", r.Depth())
		}
		open := 0
		for _, a := range r.attrs {
			switch a.Kind {
			case KindGroupOpen:
				open++
			case KindGroupClose:
				open--
			}
			if open < 0 {
				t.Fatal("a group closes that was never opened")
			}
		}
		b := r.Breadcrumb()
		if !utf8.ValidString(b.Message) {
			t.Fatalf("message %q is not valid UTF-8", b.Message)
		}
		out, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("breadcrumb does not encode: %v", err)
		}
		if !utf8.Valid(out) {
			t.Fatal("encoded breadcrumb is not valid UTF-8")
		}
	})
}

// FuzzTrail appends and snapshots in an arbitrary order and checks that a
// snapshot is always the newest records, oldest first, and that what was
// dropped is counted.
func FuzzTrail(f *testing.F) {
	f.Add(uint8(3), []byte{0, 0, 0, 0, 1, 0, 1})
	f.Add(uint8(1), []byte{1, 0, 1, 0, 0})
	f.Add(uint8(0), []byte{0})
	f.Fuzz(func(t *testing.T, capacity uint8, ops []byte) {
		tr := NewTrail(int(capacity % 16))
		appended := 0
		for _, op := range ops {
			if op%4 != 0 {
				r := Get(time.Now(), LevelInfo, DefaultBreadcrumbLimits)
				r.SetMessage(fmt.Sprint(appended))
				tr.Append(r)
				appended++
				continue
			}
			recs := tr.Snapshot(nil)
			want := min(appended, tr.Cap())
			if len(recs) != want {
				t.Fatalf("snapshot of %d records, want %d", len(recs), want)
			}
			for i, r := range recs {
				if r.Message() != fmt.Sprint(appended-want+i) {
					t.Fatalf("snapshot[%d] = %s, want %d", i, r.Message(), appended-want+i)
				}
			}
			PutAll(recs)
		}
		if d := tr.Dropped(); d != uint64(max(0, appended-tr.Cap())) {
			t.Fatalf("dropped %d, want %d", d, max(0, appended-tr.Cap()))
		}
	})
}

// FuzzChain: any error tree of wraps, joins, cycles and panics gives a
// bounded chain without panicking, and capture-once answers.
func FuzzChain(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4})
	f.Add([]byte{2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3})
	f.Fuzz(func(t *testing.T, ops []byte) {
		var err error = errors.New("root")
		for i, op := range ops {
			switch op % 5 {
			case 0:
				err = fmt.Errorf("wrap %d: %w", i, err)
			case 1:
				err = errors.Join(err, errors.New("other"), err)
			case 2:
				err = &selfErr{}
			case 3:
				err = panicUnwrap{}
			case 4:
				err = sliceErr{[]string{fmt.Sprint(i)}}
			}
		}
		if n := len(Chain(err, nil)); n == 0 || n > maxChain {
			t.Fatalf("chain of %d errors", n)
		}
		tr := NewTrail(1)
		tr.CaptureOnce([]error{err}, "a", time.Now(), 0)
		tr.CaptureOnce([]error{err}, "b", time.Now(), 0)
	})
}

package buffer

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestRelimitRefuses: each state of a record that a copy under the
// breadcrumb limits would not keep as it is makes Relimit refuse the
// record, which is otherwise within those limits. Each case fails when
// the check of Relimit it names is left out (random records built by the
// Add methods, closed, never reach most of these states).
func TestRelimitRefuses(t *testing.T) {
	lim := DefaultBreadcrumbLimits
	small := func() *Record {
		r := &Record{textStart: -1}
		r.Reset(time.Unix(1700000000, 0), LevelError, DefaultEventLimits)
		r.SetMessage("failed")
		r.AddScalar(KindInt64, "n", 1)
		return r
	}
	cases := []struct {
		name string
		make func() *Record
	}{
		{"parse: deferred fields, not parsed", func() *Record {
			r := small()
			r.Defer([]byte("a=1"), func(rec *Record, raw []byte) { rec.AddText(KindString, "a", "1") })
			return r
		}},
		{"open: a group left open (the event ID would land in it)", func() *Record {
			r := small()
			r.OpenGroup("g")
			r.AddScalar(KindInt64, "m", 2)
			return r
		}},
		{"droppedOpen: a dropped group left open", func() *Record {
			r := &Record{textStart: -1}
			r.Reset(time.Unix(1700000000, 0), LevelError, Limits{MaxAttrs: 1, MaxValueBytes: 100, MaxRecordBytes: 100})
			r.AddScalar(KindInt64, "n", 1)
			r.OpenGroup("g")
			return r
		}},
		{"full: an attribute dropped for room (the event ID would be too)", func() *Record {
			r := &Record{textStart: -1}
			r.Reset(time.Unix(1700000000, 0), LevelError, Limits{MaxAttrs: 10, MaxValueBytes: 100, MaxRecordBytes: 10})
			r.AddText(KindString, "k", "12345678")
			r.AddScalar(KindInt64, "long key", 1)
			return r
		}},
		{"errBufUsed: errors not released (handed over, as core.build does)", func() *Record {
			r := small()
			slot := r.ErrorsSlot(nil)
			*slot = append(*slot, errors.New("e"))
			*slot = nil // the errors are the caller's now, still on r's storage
			return r
		}},
		{"errs: errors not released", func() *Record {
			r := small()
			r.SetErrors([]error{errors.New("e")})
			return r
		}},
		{"cap(data): storage the pool does not keep", func() *Record {
			r := small()
			r.Grow(maxPooledBytes+1, 0)
			return r
		}},
		{"cap(attrs): storage the pool does not keep", func() *Record {
			r := &Record{textStart: -1}
			r.Reset(time.Unix(1700000000, 0), LevelError, Limits{MaxAttrs: 4 * maxPooledAttrs, MaxValueBytes: 100, MaxRecordBytes: 100})
			r.AddScalar(KindInt64, "n", 1)
			r.Grow(0, 2*maxPooledAttrs)
			return r
		}},
		{"data: bytes no span names past MaxRecordBytes (a replaced message)", func() *Record {
			r := small()
			r.SetMessage(strings.Repeat("x", lim.MaxRecordBytes))
			r.BeginMessage()
			_, _ = r.WriteString("short")
			r.EndMessage()
			return r
		}},
	}
	if r := small(); !r.Relimit(lim, 0, 0, "") {
		t.Fatal("a small closed record refused: the cases below test nothing")
	}
	if r := small(); r.Relimit(lim, 0, 0, "n") {
		t.Error("absent: a record holding the key its caller adds taken in place")
	}
	for _, c := range cases {
		if r := c.make(); r.Relimit(lim, 0, 0, "") {
			t.Errorf("%s: taken in place", c.name)
		}
	}
}

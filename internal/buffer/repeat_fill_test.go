package buffer

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// sameRecord reports where a and b differ, the storage's capacity aside;
// "" when they do not.
func sameRecord(a, b *Record) string {
	switch {
	case !a.Time.Equal(b.Time) || a.Elapsed != b.Elapsed || a.Level != b.Level || a.PC != b.PC:
		return "time, level or PC"
	case a.logger != b.logger || a.msg != b.msg || a.limits != b.limits:
		return "names or limits"
	case !reflect.DeepEqual(a.attrs, b.attrs) && (len(a.attrs) > 0 || len(b.attrs) > 0):
		return "attributes"
	case string(a.data) != string(b.data):
		return "data"
	case a.Truncated != b.Truncated || a.DroppedAttrs != b.DroppedAttrs || a.Logged != b.Logged || a.event != b.event:
		return "marks"
	case a.open != b.open || a.droppedOpen != b.droppedOpen || a.textStart != b.textStart || a.textTotal != b.textTotal || a.full != b.full:
		return "state"
	case a.errs != nil || b.errs != nil || a.errBufUsed != b.errBufUsed || a.errBuf != b.errBuf:
		return "errors"
	case a.deferred != b.deferred || (a.parse == nil) != (b.parse == nil):
		return "deferred fields"
	}
	return ""
}

// TestAppendRepeatAgreesWithRelimit: whenever Repeat.Fits, the breadcrumb
// Trail.AppendRepeat fills is the record the path it stands for makes (an
// event record from the pool, its names set, its fields deferred, its
// errors gathered in its slot and released, Relimit, AddTextBeforeFields),
// field for field, before and after its fields are parsed; and that path's
// Relimit takes every record Fits says it does. Random names, fields, IDs
// and limits, around the bounds; trails full and not, their dropped records
// of storage the pool keeps or not.
func TestAppendRepeatAgreesWithRelimit(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 3))
	size := func(n int) int { return r.IntN(n + 1) }
	limits := func() Limits {
		if r.IntN(3) == 0 {
			return DefaultBreadcrumbLimits
		}
		return Limits{MaxAttrs: 1 + r.IntN(40), MaxValueBytes: 1 + r.IntN(300), MaxRecordBytes: 1 + r.IntN(600)}
	}
	fits, refused := 0, 0
	for i := range 20000 {
		var pairs []string
		for n := r.IntN(6); n > 0; n-- {
			pairs = append(pairs, strings.Repeat("k", 1+size(4))+"="+strings.Repeat("v", size(60)))
		}
		c := Repeat{
			Time: time.Unix(1700000000, int64(i)), Elapsed: time.Duration(r.IntN(3)), Level: LevelError,
			EventLimits: limits(), Limits: limits(),
			Logger: strings.Repeat("l", size(140)), Message: strings.Repeat("m", size(200)),
			Raw: []byte(strings.Join(pairs, ",")), Parse: parsePairs,
			Key: "sentry.event_id", ID: strings.Repeat("0", size(32)),
		}
		if r.IntN(4) == 0 {
			c.EventLimits = DefaultEventLimits
		}
		// The path AppendRepeat stands for (core's buildDeferred, then
		// escalate's breadcrumbOf).
		want := Get(c.Time, c.Level, c.EventLimits)
		want.StartEvent()
		want.Elapsed = c.Elapsed
		want.SetNames(c.Logger, c.Message)
		slot := want.ErrorsSlot(nil)
		deferred := want.Defer(c.Raw, c.Parse)
		*slot = nil
		want.ReleaseErrors()
		whole := int(want.logger.len) == len(c.Logger) && int(want.msg.len) == len(c.Message)
		taken := deferred && whole && want.Relimit(c.Limits, len(c.Key)+len(c.ID), 1, c.Key)
		if !c.Fits() {
			refused++
			if taken && len(c.Logger)+len(c.Message)+len(c.Raw)+len(c.Key)+len(c.ID) <= maxRepeatBytes {
				t.Errorf("%d: Fits refuses a repeat Relimit takes (%+v)", i, c.Limits)
			}
			continue
		}
		fits++
		if !taken {
			t.Fatalf("%d: Fits takes a repeat the path does not keep in place (deferred %v, whole %v)", i, deferred, whole)
		}
		want.AddTextBeforeFields(KindString, c.Key, c.ID)

		tr := NewTrail(2)
		for range r.IntN(3) { // empty, one record, full
			old := Get(c.Time, LevelInfo, DefaultBreadcrumbLimits)
			old.SetNames("old", strings.Repeat("o", size(100)))
			if r.IntN(4) == 0 {
				old.Grow(maxPooledBytes+1, 0) // not reused
			}
			tr.Append(old)
		}
		tr.AppendRepeat(&c)
		tr.mu.Lock()
		got := tr.recs[(tr.head+tr.n-1)%len(tr.recs)]
		tr.mu.Unlock()
		if d := sameRecord(got, want); d != "" {
			t.Fatalf("%d: the breadcrumb differs in its %s", i, d)
		}
		if tr.LastEvent() != c.ID {
			t.Fatalf("%d: last event %q, want %q", i, tr.LastEvent(), c.ID)
		}
		got.Expand()
		want.Expand()
		if d := sameRecord(got, want); d != "" {
			t.Fatalf("%d: parsed, the breadcrumb differs in its %s", i, d)
		}
		Put(want)
	}
	if fits < 2000 || refused < 2000 {
		t.Fatalf("%d repeats fit, %d did not: the cases test too little of one side", fits, refused)
	}
}

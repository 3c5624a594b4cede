package buffer

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestAppendRecordOfDeferred: a record whose fields are deferred copied
// into another (an event's record into its breadcrumb) reads exactly as
// the copy of that record parsed first, whether its fields stay deferred
// in the copy (kept says they must) or it is parsed to be copied.
func TestAppendRecordOfDeferred(t *testing.T) {
	var many []string
	for i := range 80 {
		many = append(many, fmt.Sprintf("k%d=v", i))
	}
	longKey := strings.Repeat("κ", 80) // 160 bytes: cut to 128
	for _, tc := range []struct {
		name     string
		src, dst Limits
		raw      string
		kept     bool
	}{
		{"short", DefaultEventLimits, DefaultBreadcrumbLimits, "a=1,b=two", true},
		{"within MaxAttrs of the copy", DefaultEventLimits, DefaultBreadcrumbLimits, strings.Join(many[:20], ","), true},
		{"over MaxAttrs of the copy", DefaultEventLimits, DefaultBreadcrumbLimits, strings.Join(many, ","), false},
		{"over MaxAttrs of both", Limits{MaxAttrs: 40}.WithDefaults(DefaultEventLimits), Limits{MaxAttrs: 30}.WithDefaults(DefaultBreadcrumbLimits), strings.Join(many, ","), false},
		// Opened past the copy's MaxAttrs, an empty group counts as
		// dropped; opened in the source, below its own, it is taken out
		// again and its copy counts nothing.
		{"empty groups past MaxAttrs of the copy", DefaultEventLimits, DefaultBreadcrumbLimits, strings.Join(many[:70], ",") + ",e={},f={}", false},
		{"long key", DefaultEventLimits, Limits{MaxAttrs: 200}.WithDefaults(DefaultBreadcrumbLimits), longKey + "=1,b=2", true},
		{"a value cut in the copy", DefaultEventLimits, DefaultBreadcrumbLimits, "a=" + strings.Repeat("é", 700) + ",b=2", false},
		{"a value cut in both", Limits{MaxValueBytes: 1030}.WithDefaults(DefaultEventLimits), DefaultBreadcrumbLimits, "a=" + strings.Repeat("é", 700), false},
		{"copy keeps more attributes", Limits{MaxAttrs: 10}.WithDefaults(DefaultEventLimits), DefaultBreadcrumbLimits, strings.Join(many, ","), false},
		{"copy short of room", DefaultEventLimits, Limits{MaxRecordBytes: 300}.WithDefaults(DefaultBreadcrumbLimits), strings.Join(many, ","), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := func() *Record {
				r := Get(time.Unix(1, 0), LevelError, tc.src)
				r.SetLogger("test")
				r.SetMessage("failed")
				r.OpenGroup("with")
				r.AddText(KindString, "svc", "api")
				if !r.Defer([]byte(tc.raw), parsePairsAndGroups) {
					t.Fatal("not deferred")
				}
				return r
			}
			dst := func() *Record {
				r := Get(time.Unix(1, 0), LevelError, tc.dst)
				r.SetLogger("test")
				r.SetMessage("failed")
				r.AddText(KindString, "sentry.event_id", "0123")
				return r
			}
			parsed := src()
			parsed.Expand()
			want := dst()
			want.AppendRecord(parsed)
			want.CloseAll()

			got := dst()
			got.AppendRecord(src())
			got.CloseAll()
			if got.Deferred() != tc.kept {
				t.Fatalf("copy deferred: %v, want %v", got.Deferred(), tc.kept)
			}
			got.Expand()
			if !reflect.DeepEqual(got.Breadcrumb(), want.Breadcrumb()) || got.Truncated != want.Truncated ||
				got.DroppedAttrs != want.DroppedAttrs || got.Bytes() != want.Bytes() || got.Len() != want.Len() {
				t.Fatalf("copied deferred:\n%+v (truncated %v, dropped %d)\ncopied parsed:\n%+v (truncated %v, dropped %d)",
					got.Breadcrumb(), got.Truncated, got.DroppedAttrs, want.Breadcrumb(), want.Truncated, want.DroppedAttrs)
			}
		})
	}
}

// parsePairsAndGroups is parsePairs, with a value of {} an empty group.
func parsePairsAndGroups(rec *Record, raw []byte) {
	for _, kv := range strings.Split(string(raw), ",") {
		k, v, _ := strings.Cut(kv, "=")
		if v == "{}" {
			rec.OpenGroup(k)
			rec.CloseGroup()
			continue
		}
		rec.AddText(KindString, k, v)
	}
}

package buffer

import (
	"encoding/json"
	"math"
	"testing"
	"time"
)

func TestValues(t *testing.T) {
	r := Get(time.Unix(10, 0), LevelError, DefaultBreadcrumbLimits)
	r.SetLogger("slog")
	r.SetMessage("bad \xff utf8")
	r.AddScalar(KindFloat64, "nan", math.Float64bits(math.NaN()))
	r.AddScalar(KindFloat64, "inf", math.Float64bits(math.Inf(1)))
	r.AddScalar(KindFloat64, "ninf", math.Float64bits(math.Inf(-1)))
	r.AddScalar(KindDuration, "d", uint64(1500*time.Millisecond))
	r.AddScalar(KindTime, "t", uint64(time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("x", 3600)).UnixNano()))
	r.AddText(KindJSON, "j", `{"a":[1,2.5,"x"]}`)
	r.AddText(KindJSON, "broken", `{"a":`)
	r.AddText(KindString, "bad\xffkey", "v\xfe")
	r.AddScalar(KindNull, "null", 0)
	b := r.Breadcrumb()
	d := b.Data
	if d["nan"] != "NaN" || d["inf"] != "+Inf" || d["ninf"] != "-Inf" || d["d"] != "1.5s" || d["t"] != "2026-01-02T02:04:05.000000006Z" {
		t.Errorf("scalars = %#v", d)
	}
	j, _ := d["j"].(map[string]any)
	if arr, _ := j["a"].([]any); len(arr) != 3 || arr[0] != json.Number("1") || arr[2] != "x" {
		t.Errorf("JSON = %#v", d["j"])
	}
	if d["broken"] != `{"a":` {
		t.Errorf("broken JSON = %#v, want its text", d["broken"])
	}
	if d["bad\uFFFDkey"] != "v\uFFFD" || b.Message != "bad \uFFFD utf8" {
		t.Errorf("invalid UTF-8 not replaced: %q %#v", b.Message, d)
	}
	if v, ok := d["null"]; !ok || v != nil {
		t.Errorf("null = %#v", d)
	}
	if b.Type != "error" || b.Category != "slog" || b.Level != "error" || !b.Timestamp.Equal(time.Unix(10, 0)) {
		t.Errorf("breadcrumb = %+v", b)
	}
	if _, err := json.Marshal(b); err != nil {
		t.Errorf("breadcrumb does not encode: %v", err)
	}
}

func TestDroppedAttrsCounted(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, Limits{MaxAttrs: 1, MaxValueBytes: 10, MaxRecordBytes: 100})
	r.AddScalar(KindInt64, "a", 1)
	r.AddScalar(KindInt64, "b", 2)
	if r.Data()[DroppedAttrsKey] != 1 {
		t.Errorf("data = %v", r.Data())
	}
	if Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits).Data() != nil {
		t.Error("a record without attributes has data")
	}
}

package buffer

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var small = Limits{MaxAttrs: 4, MaxValueBytes: 8, MaxRecordBytes: 64}

func TestLimitsCutAtRuneBoundaryAndMark(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, small)
	r.SetMessage("ééééé") // 10 bytes, 8 allowed
	r.AddText(KindString, "k", "abcdefghij")
	r.BeginText(KindString, "w")
	_, _ = r.WriteString("ééé")
	_, _ = r.WriteString("ééé")
	r.EndText()
	if m := r.Message(); m != "éé…" || !utf8.ValidString(m) {
		t.Errorf("message = %q, want cut at a rune boundary with …", m)
	}
	if v := r.Text(r.Attr(0)); v != "abcde…" {
		t.Errorf("AddText value = %q", v)
	}
	if v := r.Text(r.Attr(1)); v != "éé…" || r.Attr(1).Num() != 12 {
		t.Errorf("written value = %q (original length %d)", v, r.Attr(1).Num())
	}
	if !r.Truncated {
		t.Error("Truncated not set")
	}
}

func TestMaxAttrsAndRecordBytes(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, small)
	for i := range 10 {
		r.AddScalar(KindInt64, "n", uint64(i))
	}
	if r.Len() != 4 || r.DroppedAttrs != 6 {
		t.Errorf("kept %d, dropped %d; want 4 and 6", r.Len(), r.DroppedAttrs)
	}
	r = Get(time.Time{}, LevelInfo, Limits{MaxAttrs: 100, MaxValueBytes: 1000, MaxRecordBytes: 50})
	for range 20 {
		r.AddText(KindString, "key", strings.Repeat("x", 30))
	}
	if len(r.data) > 50 {
		t.Errorf("record keeps %d bytes, budget 50", len(r.data))
	}
}

func TestGroups(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
	r.OpenGroup("empty")
	r.CloseGroup()
	r.OpenGroup("a")
	r.AddScalar(KindBool, "x", 1)
	r.OpenGroup("b")
	r.AddScalar(KindInt64, "y", 2)
	d := r.Depth()
	r.OpenGroup("c") // left open, closed by CloseTo
	r.CloseTo(d)
	r.CloseAll()
	data := r.Data()
	if _, ok := data["empty"]; ok {
		t.Errorf("an empty group was kept: %v", data)
	}
	a, _ := data["a"].(map[string]any)
	b, _ := a["b"].(map[string]any)
	if a["x"] != true || b["y"] != int64(2) || len(b) != 1 {
		t.Errorf("data = %v", data)
	}
	if r.Depth() != 0 {
		t.Errorf("depth = %d after CloseAll", r.Depth())
	}
}

// TestGroupsBeyondMaxAttrs: a group opened after MaxAttrs is dropped with
// its close, so that the groups before it still close in order.
func TestGroupsBeyondMaxAttrs(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, Limits{MaxAttrs: 2, MaxValueBytes: 100, MaxRecordBytes: 100})
	r.OpenGroup("g")
	r.AddScalar(KindInt64, "a", 1)
	r.OpenGroup("dropped")
	r.AddScalar(KindInt64, "b", 2)
	r.CloseGroup()
	r.AddScalar(KindInt64, "c", 3)
	r.CloseAll()
	g, _ := r.Data()["g"].(map[string]any)
	if g["a"] != int64(1) || len(g) != 1 {
		t.Errorf("data = %v", r.Data())
	}
}

func TestAppendRecordKeepsOpenGroups(t *testing.T) {
	pre := Get(time.Time{}, 0, DefaultBreadcrumbLimits)
	pre.AddText(KindString, "svc", "api")
	pre.OpenGroup("req")
	r := Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
	r.AppendRecord(pre)
	r.AddScalar(KindInt64, "n", 1)
	r.CloseAll()
	req, _ := r.Data()["req"].(map[string]any)
	if r.Data()["svc"] != "api" || req["n"] != int64(1) {
		t.Errorf("data = %v", r.Data())
	}
}

func TestCopyFromIsIndependent(t *testing.T) {
	src := Get(time.Unix(5, 0), LevelWarning, DefaultBreadcrumbLimits)
	src.SetMessage("original")
	src.AddText(KindString, "k", "v1")
	dst := Get(time.Time{}, LevelDebug, DefaultBreadcrumbLimits)
	dst.CopyFrom(src)
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

func TestBeginMessage(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, small)
	r.BeginMessage()
	_, _ = r.Write([]byte("hello "))
	_, _ = r.Write([]byte("world"))
	r.EndMessage()
	if r.Message() != "hello…" {
		t.Errorf("message = %q", r.Message())
	}
}

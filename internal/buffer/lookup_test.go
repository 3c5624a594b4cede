package buffer

import (
	"fmt"
	"testing"
	"time"
)

func TestLookup(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
	r.AddScalar(KindInt64, "status", 200)
	r.OpenGroup("http")
	r.AddScalar(KindInt64, "status", 503)
	r.OpenGroup("") // inlined
	r.AddText(KindString, "route", "/x")
	r.CloseGroup()
	r.OpenGroup("req")
	r.AddText(KindString, "id", "r1")
	r.CloseGroup()
	r.CloseGroup()
	r.OpenGroup("other")
	r.AddScalar(KindInt64, "status", 1)
	r.CloseGroup()
	r.AddText(KindString, "a.b", "dotted key")
	for path, want := range map[string]any{
		"status":      int64(200),
		"http.status": int64(503),
		"http.route":  "/x",
		"http.req.id": "r1",
	} {
		if got, ok := r.Lookup(path); !ok || got != want {
			t.Errorf("Lookup(%q) = %v, %v; want %v", path, got, ok, want)
		}
	}
	if g, ok := r.Lookup("http.req"); !ok || g.(map[string]any)["id"] != "r1" {
		t.Errorf("Lookup of a group = %v, %v", g, ok)
	}
	for _, path := range []string{"missing", "req.id", "http.missing", "status.x", ""} {
		if v, ok := r.Lookup(path); ok {
			t.Errorf("Lookup(%q) = %v, want none", path, v)
		}
	}
}

// TestLookupIntoJSON: a path that goes on into a JSON value (a map a logger
// encoded as JSON) follows its objects as Data decodes them; the last of a
// key wins, a group or a JSON value alike, as in Data.
func TestLookupIntoJSON(t *testing.T) {
	r := Get(time.Time{}, LevelInfo, DefaultBreadcrumbLimits)
	defer Put(r)
	r.AddText(KindJSON, "http", `{"status":503,"req":{"id":"r1"},"list":[1]}`)
	r.OpenGroup("later")
	r.AddScalar(KindInt64, "n", 1)
	r.CloseGroup()
	r.AddText(KindJSON, "later", `{"n":2}`)
	for path, want := range map[string]string{"http.status": "503", "http.req.id": "r1", "later.n": "2"} {
		if got, ok := r.Lookup(path); !ok || fmt.Sprint(got) != want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", path, got, ok, want)
		}
	}
	for _, path := range []string{"http.missing", "http.status.x", "http.list.0", "http.req.id.x"} {
		if v, ok := r.Lookup(path); ok {
			t.Errorf("Lookup(%q) = %v, want none", path, v)
		}
	}
}

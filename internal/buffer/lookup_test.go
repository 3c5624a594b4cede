package buffer

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
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

// TestLookupAsData holds Lookup, which Options.EscalateIf reads
// records through, to its doc: the value at a dotted path through groups
// is the one Data holds there ("converted as Data converts it ... When a
// key appears twice, the last one wins, as in Data"). Random records of
// few keys repeat them at every depth, named and unnamed groups, groups
// of one key twice (Data merges them into one map) and values that
// replace a group, or one of its ancestors, of their key.
func TestLookupAsData(t *testing.T) {
	keys := []string{"a", "b", "c", ""}
	var paths []string
	for _, x := range keys {
		paths = append(paths, x)
		for _, y := range keys {
			paths = append(paths, x+"."+y)
			for _, z := range keys[:3] {
				paths = append(paths, x+"."+y+"."+z)
			}
		}
	}
	// JSON values (objects, which Data merges a later group of their key
	// into, and others), among groups of the same keys.
	jsonValues := []string{`{"a":1}`, `{"b":{"c":"x"},"a":[1,2]}`, `{"c":{"a":{"b":true}}}`, `[1]`, `"s"`, `{}`}
	rng := rand.New(rand.NewSource(31))
	bad := 0
	for i := 0; i < 20000 && bad < 5; i++ {
		r := Get(time.Time{}, LevelInfo, DefaultEventLimits)
		depth := 0
		for n := rng.Intn(12); n >= 0; n-- {
			k := keys[rng.Intn(len(keys))]
			switch c := rng.Intn(7); {
			case c <= 1 && depth < 3:
				r.OpenGroup(k)
				depth++
			case c == 2 && depth > 0:
				r.CloseGroup()
				depth--
			case c == 3:
				r.AddScalar(KindInt64, k, uint64(rng.Intn(1000)))
			case c == 4:
				// A JSON value Lookup follows a path into (review-s30-x),
				// among the groups it merges (review-s30-core).
				r.AddText(KindJSON, k, jsonValues[rng.Intn(len(jsonValues))])
			default:
				r.AddText(KindString, k, "v")
			}
		}
		r.CloseAll()
		data := r.Data()
		for _, path := range paths {
			got, gok := r.Lookup(path)
			want, wok := walkData(data, path)
			if gok != wok || !reflect.DeepEqual(got, want) {
				bad++
				t.Errorf("record %s: Lookup(%q) = %#v, %v; Data holds %#v, %v", s30DumpAttrs(r), path, got, gok, want, wok)
				break
			}
		}
		Put(r)
	}
}

// walkData returns the value at path in data, segment by segment through
// its maps (no key holds a dot).
func walkData(data map[string]any, path string) (any, bool) {
	segs := strings.Split(path, ".")
	cur := data
	for _, s := range segs[:len(segs)-1] {
		m, ok := cur[s].(map[string]any)
		if !ok {
			return nil, false
		}
		cur = m
	}
	v, ok := cur[segs[len(segs)-1]]
	return v, ok
}

// s30DumpAttrs lists r's attributes: groups as braces, values as key=text.
func s30DumpAttrs(r *Record) string {
	var b strings.Builder
	for _, a := range r.attrs {
		switch a.Kind {
		case KindGroupOpen:
			b.WriteString(r.str(a.key) + "{ ")
		case KindGroupClose:
			b.WriteString("} ")
		default:
			b.WriteString(r.str(a.key) + "=" + r.str(a.text) + " ")
		}
	}
	return b.String()
}

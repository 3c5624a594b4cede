package buffer

import (
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestReviewS30LookupAsData holds Lookup, which Options.EscalateIf reads
// records through, to its doc: the value at a dotted path through groups
// is the one Data holds there ("converted as Data converts it ... When a
// key appears twice, the last one wins, as in Data"). Random records of
// few keys repeat them at every depth, named and unnamed groups, groups
// of one key twice (Data merges them into one map) and values that
// replace a group, or one of its ancestors, of their key.
func TestReviewS30LookupAsData(t *testing.T) {
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

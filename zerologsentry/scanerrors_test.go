package zerologsentry

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// randomFields returns the fields of a record as a hook sees them, or a
// malformed or cut piece of one: members whose keys are zerolog's own
// (level first or later, time, stack, error) and others, escaped keys,
// strings, scalars, arrays and objects nested up to past maxDepth, with
// white space, and bytes left out or added at random.
func randomFields(r *rand.Rand) []byte {
	keys := []string{"level", "time", "stack", "error", "message", "k", `e\"rror`, `st\u0061ck`, "a2345678"}
	var sb strings.Builder
	var value func(depth int)
	object := func(depth int) {
		sb.WriteByte('{')
		for n := r.IntN(4); n > 0; n-- {
			if r.IntN(8) == 0 {
				sb.WriteString(" \t")
			}
			sb.WriteString(`"` + keys[r.IntN(len(keys))] + `"`)
			if r.IntN(8) == 0 {
				sb.WriteByte(' ')
			}
			sb.WriteByte(':')
			if r.IntN(8) == 0 {
				sb.WriteByte('\n')
			}
			value(depth + 1)
			if n > 1 {
				sb.WriteByte(',')
			}
		}
		sb.WriteByte('}')
	}
	value = func(depth int) {
		switch k := r.IntN(10); {
		case k < 3:
			sb.WriteString([]string{`"x"`, `"charge order 0: connection refused"`, `"a\"b\\"`, `""`, `"12345678\u00e9"`}[r.IntN(5)])
		case k < 5:
			sb.WriteString([]string{"1", "-2", "true", "null", "1.5e3", "tru", ""}[r.IntN(7)])
		case k < 7 && depth < maxDepth+4:
			chain := 0
			if r.IntN(3) == 0 { // a deep chain, to reach maxDepth
				for range maxDepth + r.IntN(3) - 1 - depth {
					sb.WriteString(`{"o":`)
					chain++
				}
			}
			object(depth + chain)
			sb.WriteString(strings.Repeat("}", chain))
		case k < 9:
			sb.WriteString([]string{`[1,"]"]`, `[{"error":"in"}]`, `[[`, `[]`, `{"a":[}]}`, `{"a" 1}`, `{1}`, `{"error":"x"}`}[r.IntN(8)])
		default:
			sb.WriteString([]string{"", `"open`, `}`, `,`, `:`, `]`}[r.IntN(6)])
		}
	}
	sb.WriteByte('{')
	for n := r.IntN(6); n > 0; n-- {
		if n > 1 || r.IntN(2) == 0 {
			sb.WriteString(`"` + keys[r.IntN(len(keys))] + `":`)
			value(0)
			sb.WriteByte(',')
		}
	}
	b := []byte(strings.TrimSuffix(sb.String(), ","))
	switch r.IntN(4) {
	case 0:
		b = b[:r.IntN(len(b)+1)]
	case 1:
		if i := r.IntN(len(b)); len(b) > 1 {
			b = append(b[:i:i], b[i+1:]...)
		}
	}
	return b
}

// TestScanErrorsRandom: scanErrors shows the error gatherer the members
// the scanner before perf-zlparse showed it (its errors and its stack
// member), for random fields near zerolog's, malformed ones included.
func TestScanErrorsRandom(t *testing.T) {
	fixed := []string{
		`{"o":{"error":"open`, `{"o":{"a":"x\"`, `{"o":{"a`, `{"o":{"a":`, `{"o":{"a" `, `{"o":{"a":1 `,
		`{"o":{"a":[1,"]`, `{"stack":"open`, `{"stack":[1,"x"]`, `{"stack":1,"error":"e"}`, `{"level":"x","level":"y"}`,
		`{"error":"e" , "o" : { } , "error" : "f"}`, `{"o":{}}` + `,"error":"after"`, `{"o":{"p":{}},"error":"g"`,
	}
	r := rand.New(rand.NewPCG(20, 3))
	for n := range 20000 + len(fixed) {
		var b []byte
		if n < len(fixed) {
			b = []byte(fixed[n])
		} else {
			b = randomFields(r)
		}
		var got, want []error
		g := errorGatherer{errs: &got}
		scanErrors(b, &g)
		o := oldScanner{errs: errorGatherer{errs: &want}}
		o.scan(b)
		if dumpErrors(got) != dumpErrors(want) || string(g.stack) != string(o.errs.stack) || (g.stack == nil) != (o.errs.stack == nil) {
			t.Fatalf("%q: errors %s stack %q, before perf-zlparse %s stack %q", b, dumpErrors(got), g.stack, dumpErrors(want), o.errs.stack)
		}
	}
}

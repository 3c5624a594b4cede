package zerologsentry

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// strsFields returns the fields zerolog encodes for an error record with an
// .Err field of err and a .Strs field of n strings, none an error's text;
// with escapes, each string holds a quote zerolog escapes.
func strsFields(err error, n int, escapes bool) []byte {
	strs := make([]string, n)
	for i := range strs {
		strs[i] = fmt.Sprintf("order-%d", i)
		if escapes {
			strs[i] = fmt.Sprintf("order \"%d\"", i)
		}
	}
	var buf bytes.Buffer
	log := zerolog.New(&buf)
	log.Error().Err(err).Strs("ids", strs).Send()
	return bytes.TrimSpace(buf.Bytes())
}

// TestErrsArrayOfStringsCostBounded: an error record with a long .Strs
// field (thousands of strings, none an error's text) costs no allocation
// per string when the table of recent errors is in use (ErrorMarshalFunc):
// each string is looked up there as .Errs writes its errors' texts as
// one, and a string with escapes was unescaped into memory of its own
// first, one allocation per element; and it still finds the error.
func TestErrsArrayOfStringsCostBounded(t *testing.T) {
	err := errors.New("errs array cost " + t.Name())
	_ = rememberedOf(err).Error() // the table is in use, and knows err
	for _, escapes := range []bool{false, true} {
		fields := strsFields(err, 2000, escapes)
		var errs []error
		gatherErrors(fields, &errs)
		if len(errs) != 1 || errs[0] != err {
			t.Fatalf("escapes %v: gathered %v, want the error", escapes, errs)
		}
		allocs := testing.AllocsPerRun(20, func() {
			errs = errs[:0]
			gatherErrors(fields, &errs)
		})
		if allocs > 1 {
			t.Errorf("escapes %v: %.0f allocations gathering the errors of a record with 2,000 strings, want at most 1", escapes, allocs)
		}
	}
}

// BenchmarkErrsArrayOfStrings: gathering the errors of an error record
// with an .Strs field of 2,000 strings, none an error's text, with the
// table of recent errors in use.
func BenchmarkErrsArrayOfStrings(b *testing.B) {
	err := errors.New("errs array bench")
	_ = rememberedOf(err).Error()
	for _, escapes := range []bool{false, true} {
		b.Run(fmt.Sprint("escapes=", escapes), func(b *testing.B) {
			fields := strsFields(err, 2000, escapes)
			var errs []error
			b.ReportAllocs()
			for b.Loop() {
				errs = errs[:0]
				gatherErrors(fields, &errs)
			}
		})
	}
}

// BenchmarkErrsRecordMembers: gathering the errors of a usual error
// record (its .Err, a remembered error, and a few string fields), with the
// table of recent errors in use: each string member is looked up too.
func BenchmarkErrsRecordMembers(b *testing.B) {
	err := errors.New("errs members bench")
	_ = rememberedOf(err).Error()
	var buf bytes.Buffer
	log := zerolog.New(&buf)
	log.Error().Err(err).Str("user", "u-1").Str("path", "/orders/7").Str("method", "POST").Send()
	fields := bytes.TrimSpace(buf.Bytes())
	var errs []error
	b.ReportAllocs()
	for b.Loop() {
		errs = errs[:0]
		gatherErrors(fields, &errs)
	}
}

// BenchmarkErrsArrayOfStringsParallel: BenchmarkErrsArrayOfStrings from
// every core at once (records of many goroutines), where a lock per
// string was shared by all of them.
func BenchmarkErrsArrayOfStringsParallel(b *testing.B) {
	err := errors.New("errs array bench")
	_ = rememberedOf(err).Error()
	fields := strsFields(err, 2000, false)
	b.RunParallel(func(pb *testing.PB) {
		var errs []error
		for pb.Next() {
			errs = errs[:0]
			gatherErrors(fields, &errs)
		}
	})
}

// TestErrorTableFilter: the filter never rules out a text an entry holds
// (with escapes or not, through adds, replacements and sheds), and its
// bits are those its counts say, as counted from the entries.
func TestErrorTableFilter(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var tab errorTable
	texts := []string{"", "a", "not found", "quote \"q\"", "tab\there", "é ünïcode", "nl\nx", strings.Repeat("x", 600)}
	for i := range 40 {
		texts = append(texts, fmt.Sprint("text ", i))
	}
	check := func(step int) {
		t.Helper()
		var counts [filterBits]uint16
		for _, e := range &tab.entries {
			if !e.used() {
				continue
			}
			a, b := filterBitsOf(hashOf(e.text))
			counts[a]++
			counts[b]++
			raw, _ := json.Marshal(e.text)
			raw = raw[1 : len(raw)-1]
			if !tab.mayHold(raw, bytes.IndexByte(raw, '\\') >= 0) {
				t.Fatalf("step %d: the filter rules out %q (%s), an entry's text", step, e.text, raw)
			}
		}
		if counts != tab.counts {
			t.Fatalf("step %d: counts differ from the entries'", step)
		}
		for i, c := range counts {
			if set := tab.filter[i/64].Load()&(1<<(i%64)) != 0; set != (c > 0) {
				t.Fatalf("step %d: bit %d set %v, count %d", step, i, set, c)
			}
		}
	}
	for step := range 3000 {
		text := texts[r.IntN(len(texts))]
		if r.IntN(50) == 0 {
			text = strings.Repeat("big ", maxRecentBytes/4/8) + fmt.Sprint(step) // sheds the oldest
		}
		tab.add(text, &remembered{err: errors.New(text)})
		if step%13 == 0 {
			check(step)
		}
	}
	check(-1)
}

func hashOf(text string) uint64 {
	raw, _ := json.Marshal(text)
	raw = raw[1 : len(raw)-1]
	if bytes.IndexByte(raw, '\\') >= 0 {
		return unescapedHash(raw)
	}
	return maphashString(text)
}

// TestErrsArrayFindsWhatEachLookupFinds: array gathers, from arrays of
// error texts (with escapes or not), texts of no error, nulls, objects
// and nested arrays, the errors a look-up of each string element finds,
// in their order: the filter rules out no error.
func TestErrsArrayFindsWhatEachLookupFinds(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var texts []string
	escapedFound := 0
	for i := range 30 {
		text := fmt.Sprintf("array find %d %s", i, t.Name())
		switch i % 3 {
		case 1:
			text += " \"quoted\"\t"
		case 2:
			text += " \u2028 é"
		}
		texts = append(texts, text)
		if i%2 == 0 {
			_ = rememberedOf(errors.New(text)).Error()
		}
	}
	for round := range 300 {
		var elems []any
		for range r.IntN(40) {
			switch k := r.IntN(10); {
			case k < 5:
				elems = append(elems, texts[r.IntN(len(texts))])
			case k < 7:
				elems = append(elems, fmt.Sprint("other ", r.IntN(100)))
			case k == 7:
				elems = append(elems, nil)
			case k == 8:
				elems = append(elems, map[string]any{"k": texts[r.IntN(len(texts))]})
			default:
				elems = append(elems, []any{texts[r.IntN(len(texts))]})
			}
		}
		raw, err := json.Marshal(elems)
		if err != nil {
			t.Fatal(err)
		}
		var want []error
		for _, e := range elems {
			if s, ok := e.(string); ok {
				if err := recent.find(s); err != nil {
					want = append(want, err)
				}
			}
		}
		var got []error
		g := errorGatherer{errs: &got}
		g.array(raw)
		if dumpErrors(got) != dumpErrors(want) || len(got) != len(want) {
			t.Fatalf("round %d: %s: gathered %s, want %s", round, raw, dumpErrors(got), dumpErrors(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("round %d: %s: error %d is another value of its text", round, raw, i)
			}
			if strings.ContainsAny(got[i].Error(), "\"\u2028") {
				escapedFound++
			}
		}
	}
	if escapedFound == 0 {
		t.Error("no error of a text with escapes found: the test tests less than it says")
	}
}

// TestErrsArrayTakesNoLockPerString: the strings of an array that the
// table's filter rules out are not looked up under its lock: gathering
// the errors of a record of 2,000 of them completes while another
// goroutine holds the lock (a record's .Strs does not wait on, nor
// hold up, every other record's errors).
func TestErrsArrayTakesNoLockPerString(t *testing.T) {
	_ = rememberedOf(errors.New("no lock " + t.Name())).Error()
	var strs []string
	for i := 0; len(strs) < 2000; i++ {
		s := fmt.Sprint("id-", i)
		if !recent.mayHold([]byte(s), false) {
			strs = append(strs, s)
		}
	}
	var buf bytes.Buffer
	log := zerolog.New(&buf)
	log.Error().Str("msg", "batch").Strs("ids", strs).Send()
	fields := bytes.TrimSpace(buf.Bytes())
	done := make(chan []error)
	recent.mu.Lock()
	go func() {
		var errs []error
		gatherErrors(fields, &errs)
		done <- errs
	}()
	select {
	case errs := <-done:
		recent.mu.Unlock()
		if len(errs) != 0 {
			t.Errorf("gathered %s, want none", dumpErrors(errs))
		}
	case <-time.After(10 * time.Second):
		recent.mu.Unlock()
		<-done
		t.Fatal("gathering the errors of a record of strings no error has waited on the table's lock")
	}
}

func maphashString(s string) uint64 { return maphash.String(filterSeed, s) }

// arrayReference is array as it was before the table's filter: every
// string element looked up under the lock.
func arrayReference(g *errorGatherer, raw []byte) {
	for i := 1; i < len(raw); {
		switch raw[i] {
		case '"':
			end, esc, ok := strEnd(raw, i)
			if !ok {
				return
			}
			if err := recent.find(text(raw[i+1:end], esc)); err != nil {
				*g.errs = append(*g.errs, err)
			}
			i = end + 1
		case '{', '[':
			end, ok := skipValue(raw, i)
			if !ok {
				return
			}
			i = end
		default:
			i++
		}
	}
}

// FuzzErrsArray: array gathers from arbitrary bytes what a look-up of each
// string element under the lock finds, the table holding texts with and
// without escapes.
func FuzzErrsArray(f *testing.F) {
	texts := []string{"fuzz a", "fuzz \"b\"", "fuzz\tc\u2028", "é fuzz", "", "x"}
	for _, text := range texts {
		_ = rememberedOf(errors.New(text)).Error()
		raw, _ := json.Marshal([]any{text, "other", nil, map[string]string{"k": text}, []string{text}})
		f.Add(raw)
	}
	f.Add([]byte(`["fuzz \"b\"","fuzz\tc\u2028","\u00e9 fuzz","x\`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) == 0 || b[0] != '[' {
			return
		}
		var got, want []error
		g := errorGatherer{errs: &got}
		g.array(b)
		arrayReference(&errorGatherer{errs: &want}, b)
		if len(got) != len(want) {
			t.Fatalf("%q: gathered %s, want %s", b, dumpErrors(got), dumpErrors(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%q: error %d %s, want %s", b, i, dumpErrors(got[i:i+1]), dumpErrors(want[i:i+1]))
			}
		}
	})
}

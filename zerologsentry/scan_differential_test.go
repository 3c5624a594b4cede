package zerologsentry

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

// differentialInputs are fields as a hook or writer sees them, and ones no
// zerolog writes: every scalar quickScalar reads or declines, after which
// byte, and strings with escapes at every offset of str's 8-byte words.
func differentialInputs() []string {
	scalars := []string{
		"0", "7", "-0", "00", "007", "-007", "+1", "1e5", "1E5", "1.5", "-", "--1", "-a", "1-", "01.",
		"true", "false", "null", "tru", "fals", "nul", "truex", "falsey", "nullx", "True", "NULL", "nan", "NaN", "inf", "-Inf",
		"999999999999999999", "-999999999999999999", "1000000000000000000", "-1000000000000000000",
		"9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
		"18446744073709551615", "18446744073709551616", "0000000000000000001", "-0000000000000000001",
		"123456789012345678", "1234567890123456789",
	}
	afters := []string{"", ",", "}", "]", " ", "\t", "\n", "\r", "\x00", "\x7f", "\x80", "é", "\"", ":", "{", "[", "x", "0", "-", ".", "e", ",\"z\":1"}
	var in []string
	for _, v := range scalars {
		for _, a := range afters {
			in = append(in,
				`{"k":`+v+a,
				`{"k":`+v+a+`}`,
				`{"a":[`+v+a+`],"k":`+v+a,
				`{"o":{"p":`+v+a+`},"q":1}`,
				`{"o":{"p":{"r":[1,`+v+a+`]}},"k":`+v+a+`}`,
				`{"k" : `+v+a+` , "error":"e"}`,
			)
		}
	}
	for n := 0; n < 20; n++ {
		pad := strings.Repeat("a", n)
		for _, e := range []string{`\"`, `\\`, `\\\"`, `\\\\`, `\u00e9`, `\`, `\\\`, "\x7f", "\x80\xa2\xdc", "\xff\"", `\n"x`} {
			in = append(in,
				`{"error":"`+pad+e+`","m":"`+pad+e+pad+`"}`,
				`{"error":"`+pad+e,
				`{"`+pad+e+`":"x","error":"y"}`,
			)
		}
	}
	// copyTop's own reads: the names skipMember leaves out beside keys of
	// their length and first or last byte (sameName), level other than
	// first; and keys and string values of every length up to 20 that
	// end at or near the end of the bytes, where plainEnd leaves the
	// search to strEnd, cut short or closed.
	in = append(in,
		`{"level":"x","time":"t","tame":1,"timE":2,"tIme":3,"stack":[1],"stuck":2,"stacK":3,"level":"y","lever":4}`,
		`{"path":"p","took":3,"time":"t","x":1,"stack":"s","level":"l"`,
		`{"time":1`, `{"time":`, `{"level"`, `{"stack":{"a":1},"k":2`,
		// The comma and quote read as one, and a skipped member's
		// string read by plainEnd, each beside what it leaves to the
		// loop's other tests.
		`{"a":1,"`, `{"a":1,`, `{"a":1,,"b":2`, `{"a":1, "b":2`, `{"a":1,}`, `{"a":1,"b`, `{,"a":1`,
		`{"level":"info"`, `{"level":"info","a":1`, `{"level":"in\"fo","a":1`, `{"level":"info\`,
		`{"time":"2024-01-01T00:00:00Z","a":1`, `{"time":"2024-01-01T00:00:00Z\"","a":1`, `{"time":12,"a":1`,
		`{"level":"info`, `{"level": "info","a":1`, `{"level":"info" ,"a":1`)
	for n := 0; n <= 20; n++ {
		pad := strings.Repeat("k", n)
		in = append(in,
			`{"`+pad+`":"`+pad+`"`, `{"`+pad+`":"`+pad, `{"`+pad+`"`, `{"`+pad,
			`{"a":1,"`+pad+`":"`+pad+`","b":true`, `{"`+pad+`":true`, `{"`+pad+`":false,"z":-`+pad)
	}
	return in
}

// TestScannerDifferentialNames: copyTop tests skipMember's names with
// sameName, the scanner before the merge with ==; the two agree for
// names zerolog's users may set, empty and of one byte included.
func TestScannerDifferentialNames(t *testing.T) {
	defer func(l, ts, st string) {
		zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName = l, ts, st
	}(zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName)
	inputs := []string{
		`{"":1,"a":2,"b":3,"ab":4,"ba":5,"aa":6,"abc":7,"lvl":"x","t":"y"}`,
		`{"lvl":"x","":1,"t":2,"time":3,"level":4}`,
		`{"a":"x","lvl":"y","lvl":"z","level":1}`,
	}
	for _, names := range [][3]string{
		{"", "", ""}, {"a", "b", "ab"}, {"lvl", "t", "a"}, {"level", "", "time"}, {"aa", "ab", "ba"},
	} {
		zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName = names[0], names[1], names[2]
		for _, in := range inputs {
			checkDifferential(t, []byte(in))
		}
		for _, in := range differentialInputs() {
			checkDifferential(t, []byte(in))
		}
	}
}

// TestScannerDifferential: the scanner copies, and its error scan finds,
// exactly what the scanner before perf-zlparse did, for every input of
// differentialInputs.
func TestScannerDifferential(t *testing.T) {
	for _, in := range differentialInputs() {
		checkDifferential(t, []byte(in))
	}
	for _, in := range zerologInputs(t) {
		checkDifferential(t, in)
	}
}

// zerologInputs are records zerolog writes, with the integers at int64's
// and uint64's bounds, floats, and durations as each of
// DurationFieldInteger and DurationFieldUnit writes them.
func zerologInputs(t *testing.T) [][]byte {
	defer func(i bool, u time.Duration) { zerolog.DurationFieldInteger, zerolog.DurationFieldUnit = i, u }(
		zerolog.DurationFieldInteger, zerolog.DurationFieldUnit)
	var out [][]byte
	for _, integer := range []bool{false, true} {
		for _, unit := range []time.Duration{time.Nanosecond, time.Microsecond, time.Millisecond, time.Second, time.Hour} {
			zerolog.DurationFieldInteger, zerolog.DurationFieldUnit = integer, unit
			var buf bytes.Buffer
			l := zerolog.New(&buf)
			l.Info().
				Dur("d0", 0).Dur("d1", 3*time.Millisecond).Dur("d2", 1500*time.Microsecond).Dur("d3", -time.Nanosecond).
				Dur("dmax", math.MaxInt64).Dur("dmin", math.MinInt64).Durs("ds", []time.Duration{time.Second, -2 * time.Hour}).
				Int64("imin", math.MinInt64).Int64("imax", math.MaxInt64).Uint64("umax", math.MaxUint64).
				Int64("i18", -999999999999999999).Int64("i19", 1000000000000000000).
				Float64("f", 1.5).Float64("fz", math.Copysign(0, -1)).Float64("fbig", 1e21).Float64("nan", math.NaN()).
				Bool("t", true).Bool("f", false).Interface("n", nil).Ints("is", []int{0, -1, 7}).
				Dict("o", zerolog.Dict().Int("x", 42).Bool("y", true).Interface("z", nil)).
				Err(errors.New("boom")).Msg("m")
			b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
			if raw, _, rest, ok := splitMessage(b, zerolog.MessageFieldName); ok && string(raw) == "m" {
				b = rest
			} else {
				t.Fatalf("no message in %s", b)
			}
			out = append(out, b, append(bytes.Clone(b), '}'))
		}
	}
	return out
}

// FuzzScannerDifferential: the same, for arbitrary bytes.
func FuzzScannerDifferential(f *testing.F) {
	for _, seed := range scannerSeeds {
		f.Add(seed)
	}
	for _, in := range differentialInputs()[:200] {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkDifferential(t, b) })
}

func checkDifferential(t *testing.T, b []byte) {
	t.Helper()
	// The third limits let most records be deferred, and cut some of them.
	for _, limits := range []buffer.Limits{buffer.DefaultBreadcrumbLimits, {MaxAttrs: 3, MaxValueBytes: 4, MaxRecordBytes: 12},
		{MaxAttrs: 4, MaxValueBytes: 6, MaxRecordBytes: 600}} {
		nrec := buffer.Get(time.Unix(1, 0), buffer.LevelInfo, limits)
		orec := buffer.Get(time.Unix(1, 0), buffer.LevelInfo, limits)
		var nerrs, oerrs []error
		ns := scanner{errs: errorGatherer{errs: &nerrs}}
		ns.copy(nrec, b)
		ns.errs.done()
		os := oldScanner{errs: errorGatherer{errs: &oerrs}}
		os.copy(orec, b)
		os.errs.done()
		if ns.i != os.i || ns.members != os.members {
			t.Fatalf("%q: copy ends at %d after %d members, before the merge at %d after %d", b, ns.i, ns.members, os.i, os.members)
		}
		if got, want := dumpRecord(nrec), dumpRecord(orec); got != want {
			t.Fatalf("%q: copied\n%s\nbefore the merge\n%s", b, got, want)
		}
		if got, want := dumpErrors(nerrs), dumpErrors(oerrs); got != want {
			t.Fatalf("%q: copy's errors %s, before the merge %s", b, got, want)
		}
		// A breadcrumb without errors gathered (copyFields).
		plain := buffer.Get(time.Unix(1, 0), buffer.LevelInfo, limits)
		copyFields(plain, b)
		if got, want := dumpRecord(plain), dumpRecord(orec); got != want {
			t.Fatalf("%q: copyFields\n%s\nbefore the merge\n%s", b, got, want)
		}
		// The same breadcrumb parsed when read (Defer, then Expand), as
		// an event parses it: in place, over its own encoded bytes. The
		// record has been used (as a trail's copies have), so that its
		// attributes are stored within its capacity, the keys copied by
		// add's own loads and stores.
		lazy := buffer.Get(time.Unix(1, 0), buffer.LevelInfo, buffer.Limits{MaxAttrs: 64, MaxValueBytes: 1024, MaxRecordBytes: 4096})
		for range 64 {
			lazy.AddScalar(buffer.KindInt64, "sixteen-byte-key", 1)
		}
		lazy.Reset(time.Unix(1, 0), buffer.LevelInfo, limits)
		raw := bytes.Clone(b)
		if lazy.Defer(raw, copyFields) {
			clear(raw) // zerolog reuses its buffer for the next record
			lazy.Expand()
			if got, want := dumpCut(lazy), dumpCut(plain); got != want {
				t.Fatalf("%q: parsed when read\n%s\nparsed when logged\n%s", b, got, want)
			}
		}
		// The error scan, now and before.
		var nscan, oscan []error
		gatherErrors(b, &nscan)
		og := oldScanner{errs: errorGatherer{errs: &oscan}}
		og.scan(b)
		og.errs.done()
		if got, want := dumpErrors(nscan), dumpErrors(oscan); got != want || got != dumpErrors(nerrs) {
			t.Fatalf("%q: scan's errors %s, before the merge %s, the copy's %s", b, got, want, dumpErrors(nerrs))
		}
		// The stack member the scan saw, which done decodes.
		var serrs []error
		sg := errorGatherer{errs: &serrs}
		scanErrors(b, &sg)
		if string(sg.stack) != string(og.errs.stack) || (sg.stack == nil) != (og.errs.stack == nil) {
			t.Fatalf("%q: scan's stack member %q, before the merge %q", b, sg.stack, og.errs.stack)
		}
		// What a user sees: the breadcrumb's Data.
		nj, nerr := json.Marshal(nrec.Breadcrumb())
		oj, oerr := json.Marshal(orec.Breadcrumb())
		if string(nj) != string(oj) || (nerr == nil) != (oerr == nil) {
			t.Fatalf("%q: breadcrumb %s %v, before the merge %s %v", b, nj, nerr, oj, oerr)
		}
		buffer.Put(nrec)
		buffer.Put(orec)
		buffer.Put(plain)
	}
}

func dumpRecord(r *buffer.Record) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "len %d bytes %d depth %d\n", r.Len(), r.Bytes(), r.Depth())
	for i := 0; i < r.Len(); i++ {
		a := r.Attr(i)
		fmt.Fprintf(&sb, "%v %q %q %d\n", a.Kind, r.Key(a), r.Text(a), a.Num())
	}
	return sb.String()
}

// dumpCut is dumpRecord, and what r's limits cut.
func dumpCut(r *buffer.Record) string {
	return dumpRecord(r) + fmt.Sprintf("truncated %v dropped %d\n", r.Truncated, r.DroppedAttrs)
}

func dumpErrors(errs []error) string {
	var sb strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&sb, "%T %q; ", e, e.Error())
		if te, ok := e.(interface{ Unwrap() error }); ok && te.Unwrap() != nil {
			fmt.Fprintf(&sb, "(%q) ", te.Unwrap().Error())
		}
	}
	return sb.String()
}

// TestSpecialLowestMarkExact: str decides at once the byte of special's
// lowest mark, so that mark must be the first quote or backslash of every
// word, and there must be none when special marks nothing. Every word of
// the bytes around the borrows and high bits of the has-zero-byte trick:
// the quote and backslash, the bytes one above each (a borrow's false mark:
// 0x23, 0x5D), those with the high bit set that differ from them only in it
// (0xA2, 0xDC), and 0x00, 0x21, 0xFF.
func TestSpecialLowestMarkExact(t *testing.T) {
	vals := [...]byte{'"', '\\', 0x23, 0x5D, 0xA2, 0xDC, 0x00, 0x21, 0xFF}
	var idx [8]int
	var w [8]byte
	for {
		var word uint64
		first := 8
		for k := 7; k >= 0; k-- {
			w[k] = vals[idx[k]]
			word = word<<8 | uint64(w[k])
			if w[k] == '"' || w[k] == '\\' {
				first = k
			}
		}
		m := special(word)
		got := 8
		if m != 0 {
			got = bits.TrailingZeros64(m) >> 3
		}
		if got != first {
			t.Fatalf("special(% x): lowest mark at %d, first quote or backslash at %d", w, got, first)
		}
		k := 0
		for k < 8 {
			if idx[k]++; idx[k] < len(vals) {
				break
			}
			idx[k] = 0
			k++
		}
		if k == 8 {
			return
		}
	}
}

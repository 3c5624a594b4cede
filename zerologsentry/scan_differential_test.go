package zerologsentry

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
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

// TestScannerDifferentialZerologRandom: copyFields (copyTop) and the
// scanner's copy keep what the scanner before perf-zlparse kept, for
// records zerolog itself encodes, of random fields of every type zerolog
// has (strings with escapes, invalid UTF-8 and of every length around
// plainEnd's 8-byte words; integers of 17 to 20 digits, signed and not;
// floats incl. NaN, Inf and -0; durations, times, raw JSON, Interface,
// Dict, arrays, errors and stacks), under keys that are, or are alike to,
// zerolog's level, time, stack and error field names, set to their
// defaults or to odd names (empty, one byte, alike), with and without
// zerolog's own level and timestamp members.
func TestScannerDifferentialZerologRandom(t *testing.T) {
	defer func(l, ts, st, e, m string, esm func(error) any, dfi bool) {
		zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName = l, ts, st
		zerolog.ErrorFieldName, zerolog.MessageFieldName = e, m
		zerolog.ErrorStackMarshaler, zerolog.DurationFieldInteger = esm, dfi
	}(zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName,
		zerolog.ErrorFieldName, zerolog.MessageFieldName, zerolog.ErrorStackMarshaler, zerolog.DurationFieldInteger)
	zerolog.ErrorStackMarshaler = func(err error) any {
		return []map[string]string{{"func": "f", "source": "s.go", "line": "7"}}
	}
	names := [][3]string{ // level, time, stack
		{"level", "time", "stack"}, {"", "", ""}, {"l", "t", "s"}, {"lvl", "ts", "stk"},
		{"a", "b", "ab"}, {"time", "level", "error"}, {"k", "kk", "kkkkkkkk"},
	}
	keys := []string{"", "a", "k", "kk", "level", "levem", "lever", "time", "tame", "timE", "took", "stack", "stacK",
		"stuck", "error", "message", "l", "t", "s", "ab", "ba", "ts", "stk", "kkkkkkkk", "kkkkkkkkk", "kkkkkkk",
		"k\"ey", `k\ey`, "ké", "k\x80", "k\ny"}
	rng := rand.New(rand.NewPCG(28, 0xa))
	str := func() string {
		const alphabet = "ab\"\\\n\x00\x1f\x7fé\xff\x80/<>&\u2028\U0001F600"
		var sb strings.Builder
		n := rng.IntN(40)
		if rng.IntN(8) == 0 {
			n = 100 + rng.IntN(400)
		}
		for range n {
			if rng.IntN(4) == 0 {
				r := []rune(alphabet)
				sb.WriteString(string(r[rng.IntN(len(r))]))
				if rng.IntN(6) == 0 {
					sb.WriteByte("\xff\x80\xc3"[rng.IntN(3)])
				}
			} else {
				sb.WriteByte('a' + byte(rng.IntN(26)))
			}
		}
		return sb.String()
	}
	integer := func() int64 {
		switch rng.IntN(5) {
		case 0:
			return rng.Int64N(100) - 50
		case 1:
			return []int64{math.MaxInt64, math.MinInt64, 999999999999999999, -999999999999999999,
				1000000000000000000, -1000000000000000000, 99999999999999999, -99999999999999999}[rng.IntN(8)]
		default:
			n := rng.Int64() >> rng.IntN(64)
			if rng.IntN(2) == 0 {
				n = -n
			}
			return n
		}
	}
	float := func() float64 {
		return []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), 1e21, -1e-7, 1.5,
			math.MaxFloat64, math.SmallestNonzeroFloat64, float64(integer()), rng.NormFloat64() * 1e10}[rng.IntN(12)]
	}
	var field func(e *zerolog.Event, depth int) *zerolog.Event
	field = func(e *zerolog.Event, depth int) *zerolog.Event {
		k := keys[rng.IntN(len(keys))]
		switch rng.IntN(22) {
		case 0, 1:
			return e.Str(k, str())
		case 2:
			return e.Int64(k, integer())
		case 3:
			return e.Uint64(k, uint64(integer())*uint64(1+rng.IntN(3)))
		case 4:
			return e.Float64(k, float())
		case 5:
			return e.Float32(k, float32(float()))
		case 6:
			return e.Bool(k, rng.IntN(2) == 0)
		case 7:
			zerolog.DurationFieldInteger = rng.IntN(2) == 0
			return e.Dur(k, time.Duration(integer()))
		case 8:
			return e.Time(k, time.Unix(integer()%1e10, integer()%1e9).UTC())
		case 9:
			return e.RawJSON(k, []byte([]string{`{"x":1,"y":[true,null]}`, `[1,"a\"b",{}]`, `"raw"`, `12345678901234567890`, `-0`, `null`, `1e999`}[rng.IntN(7)]))
		case 10:
			return e.Interface(k, map[string]any{"s": str(), "n": integer(), "f": 1.25, "l": []any{nil, true}})
		case 11:
			if depth > 3 {
				return e.Int(k, 1)
			}
			d := zerolog.Dict()
			for range rng.IntN(4) {
				d = field(d, depth+1)
			}
			return e.Dict(k, d)
		case 12:
			return e.Strs(k, []string{str(), str()})
		case 13:
			return e.Ints64(k, []int64{integer(), integer()})
		case 14:
			return e.Err(errors.New(str()))
		case 15:
			return e.Stack().Err(errors.New(str()))
		case 16:
			return e.AnErr(k, errors.New(str()))
		case 17:
			return e.Bytes(k, []byte(str()))
		case 18:
			return e.Hex(k, []byte(str()))
		case 19:
			return e.IPAddr(k, net.IPv4(10, 0, 0, byte(rng.IntN(256))))
		case 20:
			return e.Interface(k, nil)
		default:
			return e.Uint8(k, uint8(integer()))
		}
	}
	levels := []zerolog.Level{zerolog.TraceLevel, zerolog.DebugLevel, zerolog.InfoLevel, zerolog.WarnLevel,
		zerolog.ErrorLevel, zerolog.NoLevel, zerolog.Level(7), zerolog.Level(-3)}
	n := 4000
	if testing.Short() {
		n = 500
	}
	for i := range n {
		nm := names[rng.IntN(len(names))]
		zerolog.LevelFieldName, zerolog.TimestampFieldName, zerolog.ErrorStackFieldName = nm[0], nm[1], nm[2]
		var buf bytes.Buffer
		l := zerolog.New(&buf)
		if rng.IntN(2) == 0 {
			l = l.With().Timestamp().Logger()
		}
		e := l.WithLevel(levels[rng.IntN(len(levels))])
		for range rng.IntN(8) {
			e = field(e, 0)
		}
		e.Msg(str())
		b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		checkDifferential(t, b) // the message member kept, and closing brace
		if _, _, rest, ok := splitMessage(b, zerolog.MessageFieldName); ok {
			checkDifferential(t, rest) // as a writer hands it over
		}
		if i%50 == 0 { // cut short anywhere, as no zerolog writes it
			checkDifferential(t, b[:rng.IntN(len(b)+1)])
		}
	}
}

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

package zerologsentry

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

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

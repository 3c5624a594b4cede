package conformance

import (
	"context"
	"math"
	"math/big"
	"testing"
)

// LogsExactIntegers: the integers of a structured value (a map, a struct)
// reach Sentry Logs exactly, as the logger wrote them: a uint64 past
// int64 as a uint64 (as a top-level one goes), an integer past uint64 as
// its digits; never a float64 that rounds them (an ID of 18446744073709551615
// read 18446744073709552000). Floats stay floats.
func testLogsExactIntegers(t *testing.T, d Driver) {
	logger, rec := newLogsLogger(t, d, true, Info, nil)
	log := logger.Bind(rec.Context(context.Background()))
	type ids struct {
		Order uint64
		Min   int64
		Ratio float64
		Big   *big.Int // JSON's number 123456789012345678901234567890
	}
	n, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
	log.Log(Info, "ids",
		Field{"m", map[string]any{"u": uint64(math.MaxUint64), "i": int64(math.MinInt64), "f": 1.5}},
		Field{"s", ids{Order: 1<<63 + 1, Min: math.MinInt64 + 1, Ratio: 0.25, Big: n}})
	logs := rec.Logs()
	if len(logs) != 1 {
		t.Fatalf("logs %q, want ids", bodies(logs))
	}
	for k, want := range map[string]any{
		"m.u": uint64(math.MaxUint64), "m.i": int64(math.MinInt64), "m.f": 1.5,
		"s.Order": uint64(1<<63 + 1), "s.Min": int64(math.MinInt64 + 1), "s.Ratio": 0.25,
		"s.Big": "123456789012345678901234567890",
	} {
		if got := logs[0].Attributes[k].AsInterface(); got != want {
			t.Errorf("log's %s = %T %v, want %T %v", k, got, got, want, want)
		}
	}
}

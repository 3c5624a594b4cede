package zerologsentry

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

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

package buffer

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestAddTextAsWrittenInPieces: a text added whole (AddText, which
// zerologsentry now uses for a string member without escapes) leaves a
// record exactly as BeginText, Write and EndText did: the same attributes
// (key, text span and original length), bytes, Truncated, dropped count
// and fullness, for random sequences of texts of multi-byte, invalid and
// ellipsis runes, under limits of 1..4 attributes, 0..11 bytes a value and
// 0..39 bytes a record. TestWrittenTextCutsAsSetText compares one text's
// bytes and mark; it passes when AddText stores a wrong original length.
func TestAddTextAsWrittenInPieces(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	parts := []string{"a", "é", "€", "😀", "\xff", "\x80", "\xe2\x82", "…"}
	for range 50000 {
		lim := Limits{MaxAttrs: 1 + rng.IntN(4), MaxValueBytes: rng.IntN(12), MaxRecordBytes: rng.IntN(40)}
		type op struct{ k, v string }
		var ops []op
		for range rng.IntN(5) {
			var b strings.Builder
			for range rng.IntN(8) {
				b.WriteString(parts[rng.IntN(len(parts))])
			}
			ops = append(ops, op{strings.Repeat("k", rng.IntN(4)), b.String()})
		}
		a := Get(time.Time{}, LevelInfo, lim)
		w := Get(time.Time{}, LevelInfo, lim)
		for _, o := range ops {
			a.AddText(KindString, o.k, o.v)
			w.BeginText(KindString, o.k)
			w.Write([]byte(o.v))
			w.EndText()
		}
		if !(len(a.attrs) == len(w.attrs) && (len(a.attrs) == 0 || reflect.DeepEqual(a.attrs, w.attrs))) || string(a.data) != string(w.data) || a.Truncated != w.Truncated || a.DroppedAttrs != w.DroppedAttrs || a.full != w.full {
			t.Fatalf("%+v %q:\nAddText %+v %q cut %v dropped %d\nwritten %+v %q cut %v dropped %d", lim, ops, a.attrs, a.data, a.Truncated, a.DroppedAttrs, w.attrs, w.data, w.Truncated, w.DroppedAttrs)
		}
		Put(a)
		Put(w)
	}
}

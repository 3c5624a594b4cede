package zerologsentry

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestStrAgreesWithReference checks str, which reads eight bytes at a
// time, against the byte-by-byte strReference on strings of every length
// up to a few words, made of quotes, backslashes and the bytes one bit
// away from them (which a wrong mask would take for either), with the
// quote that opens the string at every offset.
func TestStrAgreesWithReference(t *testing.T) {
	alphabet := []byte{'"', '\\', 'a', '"' ^ 0x80, '\\' ^ 0x80, '"' ^ 1, '\\' ^ 1, '"' - 1, '\\' - 1, 0, 1, 0xff, 0x80, 0x7f}
	rng := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, 0, 40)
	for n := 0; n < 200000; n++ {
		b = append(b[:0], '"')
		size := rng.IntN(cap(b))
		for range size {
			if rng.IntN(4) == 0 {
				b = append(b, alphabet[rng.IntN(len(alphabet))])
			} else {
				b = append(b, 'a'+byte(rng.IntN(26)))
			}
		}
		for i, c := range b {
			if c != '"' {
				continue
			}
			s := scanner{b: b, i: i}
			raw, esc, ok := s.str()
			wraw, wesc, wok, wend := strReference(b, i)
			if ok != wok || esc != wesc || !bytes.Equal(raw, wraw) || (ok && s.i != wend) {
				t.Fatalf("str at %d of %q: %q %v %v (end %d), want %q %v %v (end %d)", i, b, raw, esc, ok, s.i, wraw, wesc, wok, wend)
			}
		}
	}
}

package zerologsentry

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// splitMessageRef is splitMessage as it was before it read eight
// bytes at a time: the reference the differential tests compare with.
func splitMessageRef(b []byte, key string) (raw []byte, esc bool, rest []byte, ok bool) {
	end := len(b)
	for end > 0 && (b[end-1] == '\n' || b[end-1] == '\r' || b[end-1] == ' ' || b[end-1] == '\t') {
		end--
	}
	if end < 2 || b[end-1] != '}' || b[end-2] != '"' {
		return nil, false, b, false
	}
	closing := end - 2
	opening := -1
	for j := closing - 1; j >= 0; j-- {
		if b[j] != '"' {
			continue
		}
		slashes := 0
		for k := j - 1; k >= 0 && b[k] == '\\'; k-- {
			slashes++
		}
		if slashes%2 == 0 {
			opening = j
			break
		}
	}
	start := opening - len(key) - len(`"":`)
	if opening < 0 || start < 1 || b[start] != '"' || string(b[start+1:opening-2]) != key || b[opening-2] != '"' ||
		b[opening-1] != ':' || (b[start-1] != ',' && b[start-1] != '{') {
		return nil, false, b, false
	}
	raw = b[opening+1 : closing]
	esc = bytes.IndexByte(raw, '\\') >= 0
	if b[start-1] == ',' {
		start--
	}
	return raw, esc, b[:start], true
}

// checkSplitMessage fails t if splitMessage and splitMessageRef differ on b.
func checkSplitMessage(t *testing.T, b []byte, key string) {
	t.Helper()
	raw, esc, rest, ok := splitMessage(b, key)
	wraw, wesc, wrest, wok := splitMessageRef(b, key)
	if ok != wok || esc != wesc || !bytes.Equal(raw, wraw) || !bytes.Equal(rest, wrest) ||
		(raw == nil) != (wraw == nil) || len(rest) != len(wrest) {
		t.Fatalf("splitMessage(%q, %q) = %q %v %q %v, want %q %v %q %v", b, key, raw, esc, rest, ok, wraw, wesc, wrest, wok)
	}
}

// TestSplitMessageDifferential compares splitMessage with the byte loop it
// replaced on records whose messages hold quotes, runs of backslashes and
// escaped quotes at every position of the eight-byte words it reads, and
// on random bytes of the characters that matter.
func TestSplitMessageDifferential(t *testing.T) {
	texts := []string{``, `a`, `"`, `\"`, `\\`, `\\\"`, `\\"`, `x\"y`, `ab"cd`, `"message":"`, `,"message":"x`,
		`"#`, `\"#`, `"#"#`, `#"`, `!"!`} // '#' is '"'^1: a borrow from a quote below marks it
	for _, key := range []string{"message", "msg", "m", ""} {
		for _, prefix := range []string{`{`, `{"level":"info"`, `{"level":"info","a":"b\"c",`, `{"k":1`} {
			for _, text := range texts {
				for pad := range 20 {
					msg := bytes.Repeat([]byte("p"), pad)
					for _, at := range []int{0, pad / 2, pad} {
						m := append(append(append([]byte(nil), msg[:at]...), text...), msg[at:]...)
						for _, sep := range []string{``, `,`} {
							for _, tail := range []string{`}`, "}\n", "} \r\n\t", `}}`, ``} {
								b := append([]byte(prefix+sep+`"`+key+`":"`), m...)
								b = append(b, `"`+tail...)
								checkSplitMessage(t, b, key)
							}
						}
					}
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "\"\\:,{} \nmesagx#!"
	for range 200000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		if r.IntN(2) == 0 {
			b = append(b, `"}`...)
		}
		checkSplitMessage(t, b, "m")
		checkSplitMessage(t, b, "")
	}
}

// FuzzSplitMessage compares splitMessage with splitMessageRef.
func FuzzSplitMessage(f *testing.F) {
	f.Add([]byte(`{"level":"info","message":"a \"quoted\" \\ text that runs past a word"}`+"\n"), "message")
	f.Add([]byte(`{"message":"\\\"\\"}`), "message")
	f.Add([]byte(`"}`), "")
	f.Fuzz(func(t *testing.T, b []byte, key string) {
		checkSplitMessage(t, b, key)
	})
}

package event

import (
	"encoding/binary"
	"testing"
	"unsafe"

	"github.com/getsentry/sentry-go"
)

// TestStackCacheBounded: what a stack cache keeps, keys and frames, stays
// under maxStackBytes, whether its stacks have no frame of their own (all
// runtime or sentry-go frames) or one frame under the longest key: such
// stacks once counted nothing, or one frame, against the bound.
func TestStackCacheBounded(t *testing.T) {
	long := make([]byte, len(stackKeyBuf{}))
	for _, tc := range []struct {
		name   string
		key    []byte
		frames []sentry.Frame
	}{
		{"no frames", nil, nil},
		{"one frame, longest key", long, make([]sentry.Frame, 1)},
	} {
		var c stackCache
		held := 0
		for i := range 100_000 {
			key := binary.LittleEndian.AppendUint64(append([]byte(nil), tc.key...), uint64(i))
			c.put(key, tc.frames)
			if _, ok := c.m[string(key)]; ok {
				held += len(key) + len(tc.frames)*int(unsafe.Sizeof(sentry.Frame{}))
			}
		}
		if held > maxStackBytes {
			t.Errorf("%s: %d stacks kept, %d bytes of keys and frames, want at most %d", tc.name, len(c.m), held, maxStackBytes)
		}
	}
}

package event

import (
	"encoding/binary"
	"testing"
)

// TestStackCacheBounded: stacks that leave no frame of their own (all
// runtime or sentry-go frames) still count against the cache's bound, so
// that distinct such stacks cannot grow it without end.
func TestStackCacheBounded(t *testing.T) {
	var c stackCache
	for i := range 4 * maxStackFrames {
		c.put(binary.LittleEndian.AppendUint64(nil, uint64(i)), nil)
	}
	if n := len(c.m); n > maxStackFrames {
		t.Errorf("%d stacks without frames kept, want at most %d", n, maxStackFrames)
	}
}

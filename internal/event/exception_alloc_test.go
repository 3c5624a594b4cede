package event

import (
	"errors"
	"fmt"
	"testing"

	"github.com/logcrumbs/logcrumbs/internal/race"
)

// TestExceptionChainAllocs: the exception chain of an error that carries no
// stack, of 1 to 4 exceptions (a bare error, up to three %w wrappings),
// costs two allocations: its storage (the exceptions, their mechanisms and
// parent IDs, and the outermost exception's stack) and the copy of the
// stack's frames the event may change. Each was one of its own: 3 for a
// single exception, 5 for a chain.
func TestExceptionChainAllocs(t *testing.T) {
	if race.Enabled {
		t.Skip("allocation counts are checked without -race")
	}
	// The cache as a process starts: the package's other tests may have
	// filled it (up to maxStackBytes), and a stack it has no room for is
	// worked out on every event.
	stacks.mu.Lock()
	saved, savedBytes := stacks.m, stacks.bytes
	stacks.m, stacks.bytes = nil, 0
	stacks.mu.Unlock()
	t.Cleanup(func() {
		stacks.mu.Lock()
		stacks.m, stacks.bytes = saved, savedBytes
		stacks.mu.Unlock()
	})
	err := errors.New("connection refused")
	for n := 1; n <= 4; n++ {
		e := err
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var got []int
			run := func() { got = append(got[:0], len(ownExceptions(e, -1, 0))) }
			run() // the stack's frames worked out once (see currentStack)
			if a := testing.AllocsPerRun(100, run); a != 2 || got[0] != n {
				t.Errorf("a chain of %d exceptions (%v) allocates %.1f times, want 2", got[0], e, a)
			}
		})
		err = fmt.Errorf("layer %d: %w", n, err)
	}
}

//go:build !amd64 || !gc

package event

// canWalkFrames is false where the stack is not walked by frame pointers:
// call sites are found by runtime.Callers alone.
const canWalkFrames = false

func callerFP() uintptr { return 0 }

func frameAt(uintptr) (ret, next uintptr) { return 0, 0 }

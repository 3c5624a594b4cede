//go:build gc

package event

// canWalkFrames: on amd64 every Go function that calls another keeps a
// frame pointer (the execution tracer unwinds by them too).
const canWalkFrames = true

// callerFP returns the frame pointer of its caller's frame.
func callerFP() uintptr

// frameAt returns the return address saved in the frame fp points to (an
// address in the caller of that frame's function) and the caller's frame
// pointer. It is assembly, so that no unsafe.Pointer is made of an
// integer, and NOSPLIT: calling it is no point where the stack can move.
func frameAt(fp uintptr) (ret, next uintptr)

//go:build gc && !race

package event

// walkHints follows the frames from fp, the next frame to read, while the
// return address of each is that of the hint (frameSite.next) of the entry
// before it, starting with f, the entry of a passFrame; it stops after a
// frame whose entry is not a passFrame, at a fp of 0, or after limit frames.
// It returns the entry of the last frame it followed (f when none), that
// frame's return address, the frame pointer after it, and how many frames
// it followed, and the entry of the frame before the last (f when it
// followed one or none): the frame the last one called, and, when the last
// is not a passFrame, its hint if the frame after it (its caller's) has
// the hint's return address, else nil: the frame that decides the kind of
// one whose kind its caller decides (frameSite.callerAfter); n is -1, and
// nothing is read, when walkSite's frame pointer is not fp0: the stack
// moved since fp was read (see walkSite). It is assembly, NOSPLIT and
// calls nothing, and no goroutine is preempted in assembly: the stack
// cannot move while it runs.
func walkHints(fp, fp0 uintptr, f *frameSite, limit int) (last *frameSite, ret, next uintptr, n int, before, after *frameSite)

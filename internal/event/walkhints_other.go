//go:build !amd64 || !gc || race

package event

// walkHints follows no frame (see walkHints in walkhints_amd64.go) where
// the stack is not walked by frame pointers, and in -race builds: the
// race detector does not see the assembly's loads of the hints, which
// synchronize with their atomic stores, and would report the entries'
// fields read after them. walkSite looks every frame up in frameSites.
func walkHints(fp, _ uintptr, f *frameSite, _ int) (last *frameSite, ret, next uintptr, n int, before, after *frameSite) {
	return f, 0, fp, 0, f, nil
}

package buffer

import (
	"testing"
	"unsafe"
)

// TestRecordSizeClass: a Record stays within the 288-byte size class of
// Go's allocator, as it was before its event reference: a field that
// takes it past, to 320 bytes, costs every pooled record and ring 11%
// more memory, and the breadcrumbs an event converts more cache lines.
func TestRecordSizeClass(t *testing.T) {
	if n := unsafe.Sizeof(Record{}); n > 288 {
		t.Errorf("Record is %d bytes, over the 288-byte size class: pack its fields (flags next to Level)", n)
	}
}

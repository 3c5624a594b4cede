package buffer

import (
	"sync"
	"time"
)

// maxPooledBytes keeps records that grew unusually large (an event record
// with a long message) out of the pool, so that the pool's memory stays close
// to what breadcrumbs need.
const maxPooledBytes = 16 << 10

var pool = sync.Pool{New: func() any { return &Record{textStart: -1} }}

// Get returns an empty record, reset for a line at time t.
func Get(t time.Time, level Level, limits Limits) *Record {
	r := pool.Get().(*Record)
	r.Reset(t, level, limits)
	return r
}

// Put returns r to the pool. r must not be used afterwards.
func Put(r *Record) {
	if r == nil || cap(r.data) > maxPooledBytes || cap(r.attrs) > 1024 {
		return
	}
	pool.Put(r)
}

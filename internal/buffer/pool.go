package buffer

import (
	"sync"
	"time"
)

// maxPooledBytes keeps records that grew unusually large (an event record
// with a long message) out of the pool, so that the pool's memory stays close
// to what breadcrumbs need.
const maxPooledBytes = 16 << 10

// maxPooledAttrs bounds the attribute storage of the records the pool keeps.
const maxPooledAttrs = 1024

// pool holds the records not in any trail. A full trail's append pushes
// its oldest record out to here, and the next breadcrumb takes it back
// from the same P's private slot: no atomic instruction either way.
//
// A one-record spare in the trail itself, taken with an atomic swap (the
// core looking the trail up before it takes a record) and refilled with a
// compare-and-swap, was measured and is slower: it saves sync.Pool's
// instructions (cachegrind, ZerologBreadcrumb/hook: 232 -> 116 in
// sync.Pool, logcrumbs' own 772 -> 818, net -70 a record), but its two
// locked instructions (full fences, right after the stores that fill the
// record) cost more than the pool's Get and Put: a breadcrumb's buffer
// share (BenchmarkAppendFull) took 63.7 -> 73.8 ns CPU a record, and the
// goroutines of BreadcrumbParallel/logcrumbs-fallback, which share one
// trail, 328 -> 413 ns a record, wall (its records move between CPUs). A
// spare without the atomics (unsafe, single-goroutine) would have saved
// 7 ns: the whole of what the pool costs here. A record that is only
// copies of bytes (a zerolog breadcrumb, its fields kept encoded; a zap
// breadcrumb of plain fields) skips the pool instead: Trail.AppendFilled fills it under the trail's lock,
// which Append takes anyway, in the storage of the record it drops.
var pool = sync.Pool{New: func() any { return &Record{textStart: -1} }}

// Get returns an empty record, reset for a line at time t.
func Get(t time.Time, level Level, limits Limits) *Record {
	r := pool.Get().(*Record)
	r.Reset(t, level, limits)
	return r
}

// Put returns r to the pool. r must not be used afterwards.
func Put(r *Record) {
	if r == nil || cap(r.data) > maxPooledBytes || cap(r.attrs) > maxPooledAttrs {
		return
	}
	pool.Put(r)
}

package buffer

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestTakeUnloggedOnceAcrossChildren: a record that child trails copied
// (NewChild, and a child's child) is taken for Sentry Logs once in all,
// whichever trails take it and in whatever order, concurrently too; a
// record of one trail alone is taken by it; a record sent before the copy
// (Logged) is taken by none.
func TestTakeUnloggedOnceAcrossChildren(t *testing.T) {
	add := func(tr *Trail, msg string, logged bool) {
		r := Get(time.Unix(1, 0), LevelInfo, DefaultBreadcrumbLimits)
		r.SetNames("", msg)
		r.Logged = logged
		tr.Append(r)
	}
	for round := range 200 {
		p := NewTrail(8)
		add(p, "sent", true)
		for i := range 4 {
			add(p, fmt.Sprint("p", i), false)
		}
		c := p.NewChild()
		add(c, "c", false)
		add(p, "p-after", false)
		g := c.NewChild()
		add(g, "g", false)

		var mu sync.Mutex
		taken := map[string]int{}
		var wg sync.WaitGroup
		trails := []*Trail{p, c, g}
		for i := range trails {
			tr := trails[(i+round)%len(trails)]
			wg.Add(1)
			go func() {
				defer wg.Done()
				recs := tr.TakeUnlogged(nil)
				mu.Lock()
				for _, r := range recs {
					taken[r.Message()]++
				}
				mu.Unlock()
				PutAll(recs)
			}()
		}
		wg.Wait()
		want := map[string]int{"p0": 1, "p1": 1, "p2": 1, "p3": 1, "c": 1, "p-after": 1, "g": 1}
		if fmt.Sprint(taken) != fmt.Sprint(want) {
			t.Fatalf("round %d: taken %v, want %v", round, taken, want)
		}
		// Once taken, never again: a later event of any unit sends nothing
		// of these.
		for _, tr := range trails {
			if recs := tr.TakeUnlogged(nil); len(recs) != 0 {
				t.Fatalf("round %d: taken again: %d records", round, len(recs))
			}
		}
		for _, tr := range trails {
			tr.Release()
		}
	}
}

// TestNewChildMarkNotReused: a record's shared mark does not outlive it in
// the pool: a record taken from the pool after one with a mark starts
// without one, so a new record is not taken as sent.
func TestNewChildMarkNotReused(t *testing.T) {
	p := NewTrail(2)
	for i := range 2 {
		r := Get(time.Unix(1, 0), LevelInfo, DefaultBreadcrumbLimits)
		r.SetNames("", fmt.Sprint("old", i))
		p.Append(r)
	}
	c := p.NewChild()
	PutAll(c.TakeUnlogged(nil)) // the shared marks now say sent
	for i := range 2 {          // the old records leave p's ring, to the pool or filled in place
		p.AppendFilled(func(r *Record) {
			r.Reset(time.Unix(2, 0), LevelInfo, DefaultBreadcrumbLimits)
			r.SetNames("", fmt.Sprint("new", i))
		})
	}
	r := Get(time.Unix(3, 0), LevelInfo, DefaultBreadcrumbLimits)
	r.SetNames("", "newest")
	p.Append(r)
	var got []string
	for _, r := range p.TakeUnlogged(nil) {
		got = append(got, r.Message())
	}
	if fmt.Sprint(got) != "[new1 newest]" {
		t.Errorf("taken %v, want [new1 newest]", got)
	}
}

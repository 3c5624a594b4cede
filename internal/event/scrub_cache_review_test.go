package event

import (
	"fmt"
	"sync"
	"testing"
)

// TestReviewSecretKeysConcurrent: readers of the scrubber's verdict cache
// while goroutines add new keys and promote them, past the bound, and
// secretParam reading it too: every verdict is match's, and the cache stays
// bounded under ever new keys.
func TestReviewSecretKeysConcurrent(t *testing.T) {
	s := newSecretKeys(DefaultSecretKeys)
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 3000 {
				var k string
				switch i % 4 {
				case 0:
					k = fmt.Sprintf("w%d_new_%d", w, i) // new every time
				case 1:
					k = fmt.Sprintf("shared_%d", i%50)
				case 2:
					k = fmt.Sprintf("session_token_%d", i%50)
				default:
					k = "password"
				}
				if got, want := s.secret(k), s.match(k); got != want {
					t.Errorf("secret(%q) = %v, want %v", k, got, want)
					return
				}
				if i%10 == 0 {
					s.secretParam(k)
				}
			}
		}()
	}
	wg.Wait()
	if m := s.known.Load(); m == nil || len(*m) > maxKnownKeys {
		t.Fatalf("known grew past %d", maxKnownKeys)
	}
	// Adversarial: 100,000 new keys, long ones; the cache stays bounded.
	for i := range 100000 {
		s.secret(fmt.Sprintf("%0200d", i))
	}
	s.mu.Lock()
	dirty := len(s.dirty)
	s.mu.Unlock()
	if m := s.known.Load(); len(*m) > maxKnownKeys || dirty > maxKnownKeys {
		t.Errorf("known %d keys, dirty %d: past %d", len(*m), dirty, maxKnownKeys)
	}
}

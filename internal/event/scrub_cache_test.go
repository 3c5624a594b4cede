package event

import (
	"fmt"
	"sync"
	"testing"
	"unsafe"
)

// TestSecretKeysCache: the cached verdicts are match's, for keys seen once
// and again, from goroutines at once, past the cache's bound (whose keys
// are matched every time); the cache holds at most maxKnownKeys keys, and
// copies of them, not the caller's bytes.
func TestSecretKeysCache(t *testing.T) {
	s := newSecretKeys(DefaultSecretKeys)
	keys := make([]string, maxKnownKeys+500)
	for i := range keys {
		if i%7 == 0 {
			keys[i] = fmt.Sprintf("api_token_%d", i)
		} else {
			keys[i] = fmt.Sprintf("field_%d", i)
		}
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 3 {
				for i := range keys {
					k := keys[(i+w*1000)%len(keys)]
					if got, want := s.secret(k), s.match(k); got != want {
						t.Errorf("round %d: secret(%q) = %v, want %v", round, k, got, want)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	m := s.known.Load()
	if m == nil || len(*m) > maxKnownKeys || !s.full.Load() {
		t.Fatalf("known: %v keys, full %v; want at most %d, full", len(*m), s.full.Load(), maxKnownKeys)
	}
	for k, v := range *m {
		if v != s.match(k) {
			t.Errorf("known[%q] = %v, want %v", k, v, !v)
		}
	}

	// A key given as a view of bytes that change afterwards.
	s = newSecretKeys(DefaultSecretKeys)
	b := []byte("password")
	view := unsafe.String(&b[0], len(b))
	if !s.secret(view) {
		t.Fatal("password is no secret")
	}
	copy(b, "nickname")
	if !s.secret("password") || s.secret("nickname") {
		t.Error("the cache kept the caller's bytes, not a copy")
	}
}

// TestSecretKeysConcurrent: readers of the scrubber's verdict cache
// while goroutines add new keys and promote them, past the bound, and
// secretParam reading it too: every verdict is match's, and the cache stays
// bounded under ever new keys.
func TestSecretKeysConcurrent(t *testing.T) {
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

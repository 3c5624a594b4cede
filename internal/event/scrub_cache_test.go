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

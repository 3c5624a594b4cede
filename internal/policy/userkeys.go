package policy

import (
	"sync"
	"sync/atomic"
)

// defaultUserKey is Options.UserKey's default, always registered.
const defaultUserKey = "user"

// maxUserKeys bounds the registry; a program that makes integrations with
// ever new user keys gates the first ones.
const maxUserKeys = 16

// UserKey is one registered user key: "user", "user.", "user.id".
type UserKey struct {
	Key, Prefix, ID string
}

// userKeys holds the keys of the user groups of every integration made in
// the process (Options.UserKey), and "user": one trail serves all the
// integrations of a unit of work, so every event gates them all. It is
// copied on write; a program has one or two.
type userKeys struct {
	mu   sync.Mutex
	keys atomic.Pointer[[]UserKey]
}

// RegisterUserKey adds k to the user keys every event gates (see
// UserKeys). The core registers each integration's Options.UserKey when it
// builds the integration; "-" (no user key) registers nothing. Past 16
// keys, new ones are not registered.
func (p *Process) RegisterUserKey(k string) {
	if k != "" && k != "-" {
		p.users.register(k)
	}
}

// UserKeys returns the registered user keys, "user" first. The slice is
// shared: do not change it.
func (p *Process) UserKeys() []UserKey { return *p.users.keys.Load() }

func (u *userKeys) register(k string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	var keys []UserKey
	if p := u.keys.Load(); p != nil {
		keys = *p
	}
	for _, uk := range keys {
		if uk.Key == k {
			return
		}
	}
	if len(keys) >= maxUserKeys {
		return
	}
	keys = append(keys[:len(keys):len(keys)], UserKey{k, k + ".", k + ".id"})
	u.keys.Store(&keys)
}

func (u *userKeys) reset() {
	u.mu.Lock()
	keys := []UserKey{{defaultUserKey, defaultUserKey + ".", defaultUserKey + ".id"}}
	u.keys.Store(&keys)
	u.mu.Unlock()
}

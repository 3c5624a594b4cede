package escalate

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/getsentry/sentry-go"
)

// userKeys holds the keys of the user groups of every integration made in
// the process (Options.UserKey), and "user": one trail serves all the
// integrations of a unit of work, so every event gates them all. It is
// copied on write; a program has one or two.
var userKeys atomic.Pointer[[]userKey]

var userKeysMu sync.Mutex

// maxUserKeys bounds the registry; a program that makes integrations with
// ever new user keys gates the first ones.
const maxUserKeys = 16

type userKey struct {
	key, prefix, id string // "user", "user.", "user.id"
}

func init() { registerUserKey("user") }

func registerUserKey(k string) {
	userKeysMu.Lock()
	defer userKeysMu.Unlock()
	var keys []userKey
	if p := userKeys.Load(); p != nil {
		keys = *p
	}
	for _, u := range keys {
		if u.key == k {
			return
		}
	}
	if len(keys) >= maxUserKeys {
		return
	}
	keys = append(keys[:len(keys):len(keys)], userKey{k, k + ".", k + ".id"})
	userKeys.Store(&keys)
}

// userGate decides, at most once per event, whether the user's data other
// than the id may leave the process: the client's
// DataCollection.UserInfo says. When ClientOptions.DataCollection is nil,
// the deprecated SendDefaultPII decides (false by default); once
// DataCollection is set, sentry-go treats an unset UserInfo as true.
// Reading it copies the client's options, so it is read only when there is
// user data to gate.
type userGate struct {
	client  *sentry.Client
	decided bool
	all     bool
}

func (g *userGate) sendsAll() bool {
	if !g.decided {
		g.decided = true
		g.all = g.client != nil && g.client.GetDataCollection().UserInfo.Value
	}
	return g.all
}

// gateUser removes from m, unless g allows them, the user's data other than
// the id, for every user key: the fields of a user group but "id", a user
// value that is not a group (it becomes Filtered: its id cannot be told
// apart), and flat keys such as "user.email". A program that logs who its
// user is, for its own log files, does not send their email or address to
// Sentry unless it opted in.
func gateUser(m map[string]any, g *userGate) {
	if len(m) == 0 {
		return
	}
	for _, u := range *userKeys.Load() {
		if v, ok := m[u.key]; ok {
			switch v := v.(type) {
			case map[string]any:
				for k := range v {
					if k != "id" && !g.sendsAll() {
						delete(v, k)
					}
				}
			default:
				if !g.sendsAll() {
					m[u.key] = Filtered
				}
			}
		}
		for k := range m {
			if strings.HasPrefix(k, u.prefix) && k != u.id && !g.sendsAll() {
				delete(m, k)
			}
		}
	}
}

func user(m map[string]any) sentry.User {
	var u sentry.User
	for k, v := range m {
		s := fmt.Sprint(v)
		switch k {
		case "id":
			u.ID = s
		case "email":
			u.Email = s
		case "username":
			u.Username = s
		case "name":
			u.Name = s
		case "ip_address", "ip":
			u.IPAddress = s
		default:
			if u.Data == nil {
				u.Data = make(map[string]string)
			}
			u.Data[k] = s
		}
	}
	return u
}

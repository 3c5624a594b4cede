package event

import (
	"fmt"
	"strings"
	"unsafe"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/policy"
)

// userGate decides, at most once per event, whether the user's data other
// than the id may leave the process: the client's
// DataCollection.UserInfo says. When ClientOptions.DataCollection is nil,
// the deprecated SendDefaultPII decides (false by default); once
// DataCollection is set, sentry-go treats an unset UserInfo as true.
// Reading it copies the client's options, so it is read only when there is
// user data to gate.
//
// It also remembers the verdicts on the top-level keys of the event's data
// and breadcrumbs (see key).
type userGate struct {
	client  *sentry.Client
	decided bool
	all     bool
	// passed says the gate let user data beyond the id through, as
	// client's options allow (see Builder.SendLog).
	passed bool
	keys   keyMemo
}

// keyVerdict is what clean decides from a top-level key alone.
type keyVerdict struct {
	secret    bool        // scrubber.secret: the value is Filtered
	gate      gateVerdict // gateKey
	isUserKey bool        // gateKey
}

// keyMemo holds the verdicts on up to len(keys) keys.
type keyMemo struct {
	n        int
	keys     [16]string
	verdicts [16]keyVerdict
}

// key returns the verdict on the top-level key k, for scrubber s (the
// builder's, the same for the whole event). An event's breadcrumbs repeat
// a few keys, and deciding one anew (the scrubber's cache shared by every
// goroutine, the registered user keys) cost a fifth of cleaning a
// breadcrumb; an event with more distinct keys than the memo holds decides
// the others every time.
func (g *userGate) key(s *scrubber, k string) keyVerdict {
	m := &g.keys
	// The conversion hands over the same string for a key its records
	// repeat (see buffer.Breadcrumbs): found by its address first, without
	// comparing the bytes of the other keys. A key found by its bytes is
	// remembered at its new address (the event's own record, decided
	// first, has its keys in a text of its own).
	p := unsafe.StringData(k)
	for i, known := range m.keys[:m.n] {
		if unsafe.StringData(known) == p && len(known) == len(k) {
			return m.verdicts[i]
		}
	}
	for i, known := range m.keys[:m.n] {
		if known == k {
			m.keys[i] = k
			return m.verdicts[i]
		}
	}
	v := keyVerdict{secret: s.secret(k)}
	v.gate, v.isUserKey = gateKey(k, g)
	if m.n < len(m.keys) {
		m.keys[m.n], m.verdicts[m.n] = k, v
		m.n++
	}
	return v
}

// userKeys returns the registered user keys (policy.Process.UserKeys).
func userKeys() []policy.UserKey { return policy.Default().UserKeys() }

func (g *userGate) sendsAll() bool {
	if !g.decided {
		g.decided = true
		g.all = g.client != nil && g.client.GetDataCollection().UserInfo.Value
	}
	if g.all {
		g.passed = true
	}
	return g.all
}

// gateUser says what becomes of the entry k, v of data, at any depth (see
// scrubber.data; only a top-level user group fills the event's user),
// unless g allows the user's data to leave the process: the id is kept,
// the rest removed, for every user key. A flat key under a user key, such as
// "user.email", is removed (all but "user.id"; a user key under another,
// "acct.owner" under "acct", is such a key too, whichever integration was
// made first); a user group keeps only its "id" field (gateUser deletes the
// others in place); a user value that is not a group is filtered (its id
// cannot be told apart). A program that logs who its user is, for its own
// log files, does not send their email or address to Sentry unless it
// opted in.
//
// The client's options are read only when there is something to gate: an
// id alone is sent either way.
func gateUser(k string, v any, g *userGate) gateVerdict {
	verdict, isUserKey := gateKey(k, g)
	return gateEntry(verdict, isUserKey, v, g)
}

// gateEntry is gateUser with gateKey's verdict on the entry's key known.
func gateEntry(verdict gateVerdict, isUserKey bool, v any, g *userGate) gateVerdict {
	if verdict != gateKeep || !isUserKey {
		return verdict
	}
	m, ok := v.(map[string]any)
	if !ok {
		if g.sendsAll() {
			return gateKeep
		}
		return gateFilter
	}
	for f := range m {
		if !isIDKey(f) {
			if g.sendsAll() {
				return gateKeep
			}
			delete(m, f)
		}
	}
	return gateKeep
}

// gateKey is what gateUser decides from the key k alone: gateRemove for a
// flat key under a user key, unless g allows the user's data; and whether
// k is a user key itself, whose value gateUser then looks at.
func gateKey(k string, g *userGate) (verdict gateVerdict, isUserKey bool) {
	for _, u := range userKeys() {
		// A key that does not start as u.Key does is neither u.Key nor
		// under u.Prefix: most keys of most records, told apart by their
		// first byte (u.Key is never empty: see policy.RegisterUserKey).
		// The string comparisons cost about 55 instructions a key, and
		// Sentry Logs gate every key of every record (cachegrind, bench
		// SlogLogs/logcrumbs-logs, BeforeSendLog dropping the log:
		// 25,230 -> 25,020 instructions a record).
		// The keys match whatever their case, as SecretKeys do: a Go
		// struct logged as JSON (slog.Any, zap.Any, logrus) names its
		// field "User", its fields "Email" and "ID".
		if len(k) < len(u.Key) || lowerASCII(k[0]) != lowerASCII(u.Key[0]) {
			continue
		}
		if len(k) >= len(u.Prefix) && strings.EqualFold(k[:len(u.Prefix)], u.Prefix) && !strings.EqualFold(k, u.ID) {
			if g.sendsAll() {
				return gateKeep, false
			}
			return gateRemove, false
		}
		isUserKey = isUserKey || strings.EqualFold(k, u.Key)
	}
	return gateKeep, isUserKey
}

// lowerASCII returns b lowercased if it is an ASCII capital letter.
func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// isIDKey reports whether k, a field of a user group, is its id, whatever
// its case ("ID", a Go struct's field logged as JSON).
func isIDKey(k string) bool { return strings.EqualFold(k, "id") }

// gateVerdict is what the user gate does to an entry.
type gateVerdict int8

const (
	gateKeep   gateVerdict = iota // send it (a user group may have lost fields)
	gateFilter                    // send Filtered instead
	gateRemove                    // do not send the entry
)

// user is the event's user of its UserKey group m. Its fields are matched
// whatever their case, as the gate matches the id ("ID", "Email",
// "IPAddress": a Go struct logged as JSON).
func user(m map[string]any) sentry.User {
	var u sentry.User
	for k, v := range m {
		s := fmt.Sprint(v)
		switch strings.ToLower(k) {
		case "id":
			u.ID = s
		case "email":
			u.Email = s
		case "username":
			u.Username = s
		case "name":
			u.Name = s
		case "ip_address", "ip", "ipaddress":
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

package buffer

import "slices"

// UserKeyPrefix prefixes the key of a user's field that has the name of a
// key logcrumbs writes itself (EventIDKey in a breadcrumb; in a Sentry
// Log, the logger's name, the record's time and the count of dropped
// attributes): logcrumbs' keys are its own, and a user's field of the same
// name is kept under this prefix rather than replace, or be replaced by,
// logcrumbs' entry. As for an event's contexts, which the scope's cannot
// replace, logcrumbs' entry wins; the user's is not lost.
//
// A user's field whose key is such a key already prefixed (once or more)
// is prefixed once more in turn, wherever logcrumbs writes that key
// ("attr.sentry.event_id" is sent as "attr.attr.sentry.event_id"): no two
// of the user's keys become one, and none is lost.
const UserKeyPrefix = "attr."

// OfOwnKey reports whether key is own prefixed with UserKeyPrefix one or
// more times: the key of a user's field that is kept prefixed once more
// where logcrumbs writes own (see UserKeyPrefix).
func OfOwnKey(key, own string) bool {
	if len(key) <= len(own) {
		return false
	}
	for len(key) > len(own) {
		if key[:len(UserKeyPrefix)] != UserKeyPrefix {
			return false
		}
		key = key[len(UserKeyPrefix):]
	}
	return key == own
}

// KeepUserKeys makes room in data, a record's data, for logcrumbs' entry
// own: the user's top-level entries of own, and of own prefixed (see
// OfOwnKey), are each moved under their key prefixed once more. The
// caller then sets own. For the few records whose data logcrumbs writes
// own into (an error record's breadcrumb, a record that dropped
// attributes or was cut).
func KeepUserKeys(data map[string]any, own string) {
	shiftUserKeys(data, own)
	if user, ok := data[own]; ok {
		data[UserKeyPrefix+own] = user
		delete(data, own)
	}
}

// shiftUserKeys is KeepUserKeys for the keys OfOwnKey finds: the longest
// first, so that none is moved onto another not moved yet.
func shiftUserKeys(data map[string]any, own string) {
	var keysArr [4]string
	keys := keysArr[:0]
	for k := range data {
		if len(k) > len(own) && k[0] == UserKeyPrefix[0] && OfOwnKey(k, own) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b string) int { return len(b) - len(a) })
	for _, k := range keys {
		data[UserKeyPrefix+k] = data[k]
		delete(data, k)
	}
}

// ownID says whose a record's attributes of EventIDKey are.
type ownID uint8

const (
	// idNone: logcrumbs named no event in the record; any attribute of
	// EventIDKey is the user's, and kept under its key.
	idNone ownID = iota
	// idFirst: the first attribute of EventIDKey at the top level is
	// logcrumbs' own (AddEventID, Repeat.fill), the others the user's.
	idFirst
	// idNoneOwn: an error record's breadcrumb that names no event (its
	// event was not sent: NoEventID; or dropped, and logcrumbs' own
	// attribute taken out: unnameEvent); every attribute of EventIDKey
	// is the user's, and is not to read as the event the breadcrumb
	// names.
	idNoneOwn
)

// AddEventID notes that r, an error record's breadcrumb, names the event
// id under EventIDKey: added before the fields r keeps deferred, if any,
// and before every attribute of that key the record holds, as a copy of
// the record made after it would (see escalate's breadcrumbOf, and
// Relimit's absent). A user's field of the same name is kept under
// UserKeyPrefix when the breadcrumb is made (see Breadcrumbs).
func (r *Record) AddEventID(id string) {
	r.AddTextBeforeFields(KindString, EventIDKey, id)
	r.ownID = idFirst
}

// NoEventID notes that r, an error record's breadcrumb, names no event
// (its event was dropped, or not sent): a user's field of EventIDKey is
// kept under UserKeyPrefix all the same, so that EventIDKey in an error
// record's breadcrumb is only ever the event logcrumbs sent.
func (r *Record) NoEventID() { r.ownID = idNoneOwn }

// ownEventID makes data, r's breadcrumb data, hold the event logcrumbs
// noted under EventIDKey, and a user's field of that key under
// UserKeyPrefix+EventIDKey: in a map the last entry of a key wins, and
// logcrumbs' own is the first. Only for a record whose ownID is set: an
// error record's breadcrumb, a few in a trail.
func (r *Record) ownEventID(t text, data map[string]any) {
	var own string
	found, users, prefixed := false, 0, false
	r.eachTop(t, func(_ int, a *Attr, k string) {
		if a.Kind == KindGroupOpen {
			if k == EventIDKey {
				users++
			} else if OfOwnKey(k, EventIDKey) {
				prefixed = true
			}
			return
		}
		if a.key.len < uint32(len(EventIDKey)) {
			return
		}
		if a.key.len > uint32(len(EventIDKey)) {
			// A user's "attr.sentry.event_id" (and so on) moves up one.
			if t.all[a.key.off] == UserKeyPrefix[0] && OfOwnKey(t.valid(a.key), EventIDKey) {
				prefixed = true
			}
			return
		}
		if t.valid(a.key) != EventIDKey {
			return
		}
		if r.ownID == idFirst && !found {
			found = true
			if a.Kind == KindString {
				own = t.valid(a.text)
			}
			return
		}
		users++
	})
	if prefixed {
		shiftUserKeys(data, EventIDKey)
	}
	if users == 0 {
		return
	}
	user, ok := data[EventIDKey]
	if !ok {
		return // left out by the cleaner
	}
	data[UserKeyPrefix+EventIDKey] = user
	if found {
		data[EventIDKey] = own
	} else {
		delete(data, EventIDKey)
	}
}

// OwnEventIDIn returns the index among r's attributes of the one under
// EventIDKey that logcrumbs wrote (AddEventID: the event an error
// record's breadcrumb names) and its value, within t, or -1 when r names
// no event so; and whether r holds another attribute of that key at the
// top level (the user's, which Data keeps under the key as the last one
// of it). For a record sent to Sentry Logs after it was kept: the link is
// logcrumbs', the others the user's (see ownEventID).
func (r *Record) OwnEventIDIn(t Text) (index int, id string, users bool) {
	index = -1
	if r.ownID != idFirst {
		return index, "", false
	}
	r.eachTop(t.t, func(i int, a *Attr, k string) {
		if a.Kind == KindGroupOpen {
			users = users || k == EventIDKey
			return
		}
		if a.key.len != uint32(len(EventIDKey)) || t.t.valid(a.key) != EventIDKey {
			return
		}
		if index < 0 && a.Kind == KindString {
			index, id = i, t.t.valid(a.text)
			return
		}
		users = true
	})
	return index, id, users
}

// eachTop calls f with each of r's attributes at the top level (in no
// named group; an inline group's are at the top) and its index, and with
// the opening of each group at the top level and its key k (k is "" for
// the others): the walk ownEventID and OwnEventIDIn share.
func (r *Record) eachTop(t text, f func(i int, a *Attr, k string)) {
	depth := 0 // named groups open
	var namedArr [8]bool
	named := namedArr[:0]
	for i := range r.attrs {
		a := &r.attrs[i]
		switch a.Kind {
		case KindGroupOpen:
			k := t.valid(a.key)
			if depth == 0 {
				f(i, a, k)
			}
			named = append(named, k != "")
			if k != "" {
				depth++
			}
		case KindGroupClose:
			if n := len(named); n > 0 {
				if named[n-1] {
					depth--
				}
				named = named[:n-1]
			}
		default:
			if depth == 0 {
				f(i, a, "")
			}
		}
	}
}

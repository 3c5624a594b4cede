package policy

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
)

// TestRepeatMemo: a repeat counted by its key remembers its record's
// identity in the key's entry, and the next repeat is counted there without
// its key only if it has that identity (logger, program counter, error
// types: what its key is made of), repeats one of the entry's events (whose
// client the key's is) and the entry is still the key's (not swept, the
// table not reset). Whichever client it was logged through: a repeat of an
// event after the program bound another client is counted on its event.
func TestRepeatMemo(t *testing.T) {
	p := newProcess()
	client, err := sentry.NewClient(sentry.ClientOptions{Transport: &keep{}})
	if err != nil {
		t.Fatal(err)
	}
	errs := []error{fmt.Errorf("w: %w", errors.New("x"))}
	idOf := func(logger string, pc uintptr, client *sentry.Client, errs []error) *RecordID {
		id := &RecordID{Client: ClientID(client), Logger: []byte(logger), PC: pc}
		if !id.SetErrors(errs) {
			t.Fatalf("%d errors not identified", len(errs))
		}
		return id
	}
	key := AppendFingerprintKey(nil, client, "app", nil, "main.go:10", errs, "failed")
	now := time.Now()
	if !p.Admit(client, string(key), now, time.Hour, "ev1").Send {
		t.Fatal("first event not admitted")
	}
	repeats := func() int { return p.noise.recent[string(key)].total() }
	var m RepeatMemo
	id := idOf("app", 1, client, errs)
	if p.RepeatRemembered(&m, "ev1", id) {
		t.Fatal("an empty memo counted a repeat")
	}
	p.RepeatNoted(&m, key, "ev1", *id)
	if !p.RepeatRemembered(&m, "ev1", idOf("app", 1, client, errs)) || repeats() != 2 {
		t.Fatalf("the same record: %d repeats, want 2, the second by the memo", repeats())
	}
	if p.RepeatRemembered(&m, "another event", id) || repeats() != 2 {
		t.Errorf("a repeat of another event: %d repeats, want it left to its key (2)", repeats())
	}
	other, err := sentry.NewClient(sentry.ClientOptions{Transport: &keep{}})
	if err != nil {
		t.Fatal(err)
	}
	if !p.RepeatRemembered(&m, "ev1", idOf("app", 1, other, errs)) || repeats() != 3 {
		t.Errorf("a repeat of ev1 through another client: %d repeats, want 3, by the memo", repeats())
	}
	if !p.RepeatRemembered(&m, "ev1", idOf("app", 1, nil, errs)) || repeats() != 4 {
		t.Errorf("a repeat of ev1 without its client read: %d repeats, want 4, by the memo", repeats())
	}
	for name, id := range map[string]*RecordID{
		"logger":      idOf("ap", 1, client, errs),
		"longer name": idOf("app|", 1, client, errs),
		"pc":          idOf("app", 2, client, errs),
		"error type":  idOf("app", 1, client, []error{errors.New("x")}),
		"errors":      idOf("app", 1, client, append(errs, errs[0])),
	} {
		if p.RepeatRemembered(&m, "ev1", id) {
			t.Errorf("another %s: counted by the memo", name)
		}
	}
	if (&RecordID{}).SetErrors(make([]error, maxIDTypes+1)) {
		t.Errorf("%d errors identified, want at most %d", maxIDTypes+1, maxIDTypes)
	}

	p.noise.mu.Lock()
	p.noise.sweep(now.Add(2*time.Hour), time.Hour) // pending repeats keep it: make them none
	p.noise.mu.Unlock()
	p.noise.mu.Lock()
	p.noise.recent[string(key)].settle()
	p.noise.recent[string(key)].repeats = 0
	p.noise.sweep(now.Add(2*time.Hour), time.Hour)
	p.noise.mu.Unlock()
	if _, ok := p.noise.recent[string(key)]; ok {
		t.Fatal("the entry was not swept")
	}
	if p.RepeatRemembered(&m, "ev1", id) {
		t.Error("a swept entry counted a repeat")
	}

	if !p.Admit(client, string(key), now, time.Hour, "ev2").Send {
		t.Fatal("event not admitted")
	}
	p.RepeatNoted(&m, key, "ev2", *id)
	p.Reset()
	if p.RepeatRemembered(&m, "ev2", id) {
		t.Error("an entry of a reset table counted a repeat")
	}
}

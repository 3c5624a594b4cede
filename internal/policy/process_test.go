package policy

import (
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
)

// Reset returns the one process state to its start: what a test changed
// (the rate limit, an exempt client, a user key, a remembered fingerprint
// and client) is gone, and the defaults are back.
func TestReset(t *testing.T) {
	p := Default()
	t.Cleanup(p.Reset)
	client, err := sentry.NewClient(sentry.ClientOptions{Transport: &keep{}})
	if err != nil {
		t.Fatal(err)
	}
	p.SetRateLimit(1, 1)
	p.Unlimit(client)
	p.RegisterUserKey("acct")
	now := time.Now()
	if v := p.Admit(client, "k", now, time.Hour, "a"); !v.Send {
		t.Fatal("first event not admitted")
	}
	h := p.HandingOver(client, "a")
	h.Done(nil)

	p.Reset()

	if p.unlimited.has(client) || len(p.clients()) != 0 {
		t.Error("Reset kept an exempt or remembered client")
	}
	if keys := p.UserKeys(); len(keys) != 1 || keys[0].Key != "user" {
		t.Errorf("user keys after Reset: %v, want only user", keys)
	}
	if v := p.Admit(client, "k", now, time.Hour, "b"); !v.Send {
		t.Error("Reset kept the fingerprint: its repeat was suppressed")
	}
	admitted := 0
	for i := range 200 { // the default limit: a burst of 100
		if p.Admit(client, string(rune('A'+i%50))+string(rune(i)), now, -1, "x").Send {
			admitted++
		}
	}
	if admitted != 99 { // one token went to "b" above
		t.Errorf("%d events admitted in a burst after Reset, want 99 (default burst 100)", admitted)
	}
}

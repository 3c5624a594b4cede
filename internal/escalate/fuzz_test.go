package escalate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

// keep is a transport that keeps the last event.
type keep struct{ last *sentry.Event }

func (k *keep) Configure(sentry.ClientOptions)        {}
func (k *keep) SendEvent(e *sentry.Event)             { k.last = e }
func (k *keep) Flush(time.Duration) bool              { return true }
func (k *keep) FlushWithContext(context.Context) bool { return true }
func (k *keep) Close()                                {}

type cycle struct{}

func (c *cycle) Error() string { return "cycle" }
func (c *cycle) Unwrap() error { return c }

type panicErr struct{}

func (panicErr) Error() string { panic("Error exploded") }

// FuzzEvent builds events from random attribute trees and error chains, with
// a 100-record trail at the limits: no panic, an event that encodes as JSON
// within Sentry's 1 MB, breadcrumbs in time order.
func FuzzEvent(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7}, "key", "value", []byte{0, 1, 2})
	f.Add([]byte{3, 3, 3, 3, 4}, "user", "{\"id\":1}", []byte{3, 4, 5, 1, 1})
	f.Add([]byte{6, 6, 6}, "fp", "\xff\xfe", []byte{2, 2, 2, 2})
	f.Fuzz(func(t *testing.T, ops []byte, key, val string, errOps []byte) {
		tr := &keep{}
		client, err := sentry.NewClient(sentry.ClientOptions{Transport: tr})
		if err != nil {
			t.Fatal(err)
		}
		hub := sentry.NewHub(client, sentry.NewScope())
		e := New(Options{Hub: hub, TagKeys: []string{key, "a.b"}, FingerprintKey: "fp", DedupeWindow: -1}, "fuzz")
		trail := buffer.NewTrail(100)
		ctx := buffer.NewContext(context.Background(), trail)
		big := string(make([]byte, 4096))
		for i := range 100 {
			r := buffer.Get(time.Unix(int64(i), 0), buffer.LevelInfo, e.BreadcrumbLimits())
			r.SetMessage(big)
			for j := range 64 {
				r.AddText(buffer.KindString, fmt.Sprint(j), big)
			}
			trail.Append(r)
		}
		rec := buffer.Get(time.Now(), buffer.LevelError, e.EventLimits())
		rec.SetMessage(val)
		for i, op := range ops {
			switch op % 7 {
			case 0:
				rec.AddText(buffer.KindString, key, val)
			case 1:
				rec.AddScalar(buffer.KindInt64, key, uint64(i))
			case 2:
				rec.AddText(buffer.KindJSON, key, val)
			case 3:
				rec.OpenGroup(key)
			case 4:
				rec.CloseGroup()
			case 5:
				rec.AddScalar(buffer.KindNull, key, 0)
			case 6:
				rec.AddText(buffer.KindError, key, val)
			}
		}
		rec.CloseAll()
		var errs []error
		var chain error = errors.New(val)
		for i, op := range errOps {
			switch op % 5 {
			case 0:
				chain = fmt.Errorf("wrap %d: %w", i, chain)
			case 1:
				chain = errors.Join(chain, errors.New("other"))
			case 2:
				chain = &cycle{}
			case 3:
				chain = panicErr{}
			case 4:
				errs = append(errs, chain)
			}
		}
		errs = append(errs, chain)
		e.Capture(ctx, rec, errs)
		if tr.last == nil {
			return // a panicking Error may drop the event; the record is kept
		}
		out, err := json.Marshal(tr.last)
		if err != nil {
			t.Fatalf("event does not encode: %v", err)
		}
		if len(out) > 1<<20 {
			t.Fatalf("event is %d bytes, over Sentry's 1 MB", len(out))
		}
		bs := tr.last.Breadcrumbs
		for i := 1; i < len(bs); i++ {
			if bs[i].Timestamp.Before(bs[i-1].Timestamp) {
				t.Fatal("breadcrumbs out of order")
			}
		}
	})
}

package zerologsentry_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/internal/e2e"
	"github.com/logcrumbs/logcrumbs/zerologsentry"
)

// TestEndToEnd sends through sentry-go's real HTTP transport to a real
// Sentry envelope receiver (see e2e.CheckTwoRequests for what it asserts),
// from two request loggers made from one base logger, with real error values
// through ErrorMarshalFunc.
func TestEndToEnd(t *testing.T) {
	saved := zerolog.ErrorMarshalFunc
	t.Cleanup(func() { zerolog.ErrorMarshalFunc = saved })
	zerolog.ErrorMarshalFunc = zerologsentry.ErrorMarshalFunc(zerolog.ErrorMarshalFunc)

	r := e2e.Start(t)
	hub := r.Hub(t)
	var out syncBuffer
	base := zerolog.New(&out).Level(zerolog.DebugLevel).Hook(zerologsentry.NewHook(zerologsentry.Options{
		Options: logcrumbs.Options{Hub: hub, TagKeys: []string{"route"}},
	}))

	_, a := zerologsentry.WithContext(context.Background(), base.With().Str("route", "/orders").Logger())
	_, b := zerologsentry.WithContext(context.Background(), base)
	a.Debug().Int("bytes", 512).Msg("parsing body")
	b.Info().Msg("request B started")
	a.Info().Dict("order", zerolog.Dict().Str("id", "o-17").Int("items", 3)).Msg("order loaded")
	a.Warn().Int("attempt", 2).Str("after", (250 * time.Millisecond).String()).Msg("retrying")
	err := fmt.Errorf("charge card: %w", errors.New("connection refused"))
	a.Error().Err(err).Msg("payment failed")
	a.Error().Err(fmt.Errorf("handler: %w", err)).Msg("request failed")
	b.Error().Err(errors.New("timeout")).Msg("request B failed")

	ev := e2e.CheckTwoRequests(t, r, func() bool { return hub.Flush(5 * time.Second) }, "zerolog", "TestEndToEnd")
	if o, _ := ev.Breadcrumbs[1].Data["order"].(map[string]any); o["id"] != "o-17" || o["items"] != float64(3) {
		t.Errorf("Dict in breadcrumb = %v", ev.Breadcrumbs[1].Data)
	}
	if ev.Exception[1].Type != "*fmt.wrapError" {
		t.Errorf("exception type = %q, want the real error's", ev.Exception[1].Type)
	}
	if !strings.Contains(out.String(), `"message":"request failed"`) {
		t.Error("the output lacks the second error")
	}
}

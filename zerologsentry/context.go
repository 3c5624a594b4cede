package zerologsentry

import (
	"context"
	"net/http"

	"github.com/rs/zerolog"

	"github.com/logcrumbs/logcrumbs/internal/core"
)

// WithContext returns a logger for one request: logger bound to ctx (as
// logger.With().Ctx(ctx) binds it), with a new trail attached to ctx first
// if it carries none, and the context, which also carries the logger for
// zerolog.Ctx. Two request loggers made from one base logger never share a
// trail. Use the returned context for the rest of the request, so that slog
// and other loggers add to the same trail. The logger must have the Hook,
// or write to a [Writer] (zerolog.New(w), or through
// zerolog.MultiLevelWriter): that one is bound as [Writer.WithContext]
// binds it.
func WithContext(ctx context.Context, logger zerolog.Logger) (context.Context, zerolog.Logger) {
	if w := writerOfLogger(&logger); w != nil {
		return w.WithContext(ctx, logger)
	}
	ctx = core.EnsureTrail(ctx)
	l := logger.With().Ctx(ctx).Logger()
	return l.WithContext(ctx), l
}

// Handler binds each request's zerolog logger (zerolog.Ctx of the request's
// context, as hlog.NewHandler stores it) to a trail of its own, with
// WithContext (a logger with the Hook, or writing to a Writer), so that hlog.FromRequest and zerolog.Ctx return a logger
// whose records go to that request's trail. Put it right after
// hlog.NewHandler.
func Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, _ := WithContext(r.Context(), *zerolog.Ctx(r.Context()))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

package zapsentry

import (
	"context"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/logcrumbs/logcrumbs/internal/core"
)

// contextKey is the key of the Context field. zap writes no SkipType field,
// so the key never appears in any output; it only tells the field apart from
// other SkipType fields.
const contextKey = "logcrumbs.context"

// Context returns a field that binds a log call, or a logger made with
// logger.With, to ctx: its entries go to the trail ctx carries (the
// fallback trail if it carries none) and its events to the hub ctx carries,
// if any. Other cores write nothing for it. A nil ctx unbinds.
func Context(ctx context.Context) zap.Field {
	return zap.Field{Key: contextKey, Type: zapcore.SkipType, Interface: ctx}
}

// boundContext returns the context f binds and true if f is a Context
// field.
func boundContext(f *zapcore.Field) (context.Context, bool) {
	if f.Type != zapcore.SkipType || f.Key != contextKey {
		return nil, false
	}
	ctx, _ := f.Interface.(context.Context)
	return ctx, true
}

// boundIn returns the context the last Context field among fields binds
// and true, or ctx and false if none does.
func boundIn(fields []zapcore.Field, ctx context.Context) (context.Context, bool) {
	found := false
	for i := range fields { // by index: a Field is 64 bytes
		if bound, ok := boundContext(&fields[i]); ok {
			ctx, found = bound, true
		}
	}
	return ctx, found
}

// WithContext returns a logger for one request: logger bound to the trail
// of ctx. If ctx carries no trail yet, a new one is attached first, so that
// two request loggers made from one base logger never share a trail; use the
// returned context for the rest of the request, so that slog and other
// loggers log into the same trail.
//
//	ctx, log := zapsentry.WithContext(r.Context(), baseLogger)
//	log.Info("loading cart")                       // a breadcrumb of this request
//	slog.InfoContext(ctx, "cart loaded")           // the same trail
func WithContext(ctx context.Context, logger *zap.Logger) (context.Context, *zap.Logger) {
	ctx = core.EnsureTrail(ctx)
	return ctx, logger.With(Context(ctx))
}

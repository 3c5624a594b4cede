package event

import (
	"context"
	"fmt"
	"sort"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

// SendLog sends rec to Sentry Logs through hub, its attributes scrubbed
// and flattened to dotted keys (Sentry Logs attributes are flat).
func (b *Builder) SendLog(ctx context.Context, hub *sentry.Hub, rec *buffer.Record) {
	if ctx == nil {
		ctx = context.Background()
	}
	logger := sentry.NewLogger(sentry.SetHubOnContext(ctx, hub))
	var entry sentry.LogEntry
	switch rec.Level {
	case buffer.LevelDebug:
		entry = logger.Debug()
	case buffer.LevelInfo:
		entry = logger.Info()
	case buffer.LevelWarning:
		entry = logger.Warn()
	case buffer.LevelError:
		entry = logger.Error()
	default:
		entry = logger.LFatal() // Fatal would exit
	}
	entry = entry.String("logcrumbs.logger", rec.Logger())
	data := rec.Data()
	b.or().scrub.clean(data, &userGate{client: hub.Client()})
	addAttributes(entry, "", data)
	entry.Emit(rec.Message())
}

func addAttributes(entry sentry.LogEntry, prefix string, data map[string]any) {
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys) // stable order, for readers and tests
	for _, k := range keys {
		key := prefix + k
		switch v := data[k].(type) {
		case map[string]any:
			addAttributes(entry, key+".", v)
		case string:
			entry.String(key, v)
		case bool:
			entry.Bool(key, v)
		case int64:
			entry.Int64(key, v)
		case uint64:
			entry.Int64(key, int64(v))
		case float64:
			entry.Float64(key, v)
		default:
			entry.String(key, fmt.Sprint(v))
		}
	}
}

package event

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/stats"
)

// timeKey is the attribute that carries a record's own time when it is sent
// to Sentry Logs after the fact (Options.LogsOnEvent): sentry-go stamps
// each log with the time it is emitted.
const timeKey = "logcrumbs.time"

// loggerKey is the attribute naming the record's logger.
const loggerKey = "logcrumbs.logger"

// noMessage is the body of a record logged without a message (zerolog's
// Send, slog's Error("", ...)): sentry-go drops a log whose body is empty,
// which would lose the record and its attributes without a word.
const noMessage = "(no message)"

// logsCache is the sentry.Logger of the last client a Builder sent Logs
// through. sentry.NewLogger reads the client's options and the host name
// (a system call) each time: once per client, not per record.
type logsCache struct {
	client *sentry.Client
	logger sentry.Logger
}

// logger returns a sentry.Logger for client. The logger's own hub is a
// fresh one on client, so that the cache keeps no request's scope alive:
// each entry names its own hub through its context.
func (b *Builder) logger(client *sentry.Client) sentry.Logger {
	if c := b.logs.Load(); c != nil && c.client == client {
		return c.logger
	}
	hub := sentry.NewHub(client, sentry.NewScope())
	l := sentry.NewLogger(sentry.SetHubOnContext(context.Background(), hub))
	b.logs.Store(&logsCache{client: client, logger: l})
	return l
}

// SendLog sends rec to Sentry Logs through hub, with the trace of ctx (a
// sentry-go span on it, else hub's propagation context), its attributes
// scrubbed and user-gated as an event's are, and flattened to dotted keys
// (Sentry Logs attributes are flat). late adds the record's own time as
// the attribute "logcrumbs.time", for records sent after the fact. A
// record without a message is sent with the body "(no message)". A panic in
// the client's BeforeSendLog is recovered and counted as a user panic:
// logging never panics, and an event sent beside the log stays sent.
func (b *Builder) SendLog(ctx context.Context, hub *sentry.Hub, rec *buffer.Record, late bool) {
	client := hub.Client()
	if !client.IsEnabled() {
		return
	}
	defer func() {
		if recover() != nil {
			stats.UserPanics.Add(1)
		}
	}()
	if ctx == nil {
		ctx = context.Background()
	}
	if sentry.GetHubFromContext(ctx) != hub {
		ctx = sentry.SetHubOnContext(ctx, hub)
	}
	logger := b.or().logger(client)
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
	entry = entry.WithCtx(ctx).String(loggerKey, rec.Logger())
	if late {
		entry = entry.String(timeKey, rec.Time.Format(time.RFC3339Nano))
	}
	if data := rec.Data(); data != nil {
		b.or().scrub.clean(data, &userGate{client: client})
		addAttributes(entry, "", data)
	}
	body := rec.Message()
	if body == "" {
		body = noMessage
	}
	entry.Emit(body)
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
		case int:
			entry.Int64(key, int64(v))
		case uint64:
			if u, ok := entry.(interface {
				Uint64(string, uint64) sentry.LogEntry
			}); ok {
				u.Uint64(key, v) // sentry-go's own, not in the interface
			} else {
				entry.Int64(key, int64(v))
			}
		case float64:
			entry.Float64(key, v)
		case json.Number: // inside a JSON value
			if i, err := v.Int64(); err == nil {
				entry.Int64(key, i)
			} else if f, err := v.Float64(); err == nil {
				entry.Float64(key, f)
			} else {
				entry.String(key, v.String())
			}
		case nil:
			entry.String(key, "null")
		case []any: // a list, as JSON: Sentry Logs have no mixed lists
			var b strings.Builder
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false) // URLs' & as written
			if err := enc.Encode(v); err == nil {
				entry.String(key, strings.TrimSuffix(b.String(), "\n"))
			} else {
				entry.String(key, fmt.Sprint(v))
			}
		default:
			entry.String(key, fmt.Sprint(v))
		}
	}
}

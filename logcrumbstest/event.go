package logcrumbstest

import (
	"github.com/getsentry/sentry-go"
)

// Event is one recorded event, with helpers that read well in a test. The
// embedded *sentry.Event has everything else.
type Event struct{ *sentry.Event }

// Breadcrumb is one breadcrumb of an Event.
type Breadcrumb struct {
	Level    sentry.Level   // the record's level: debug, info, warning, error or fatal
	Category string         // the logger: "slog", "zap", the zap logger's name, "zerolog"
	Message  string         // the record's message
	Data     map[string]any // the record's attributes, groups as nested maps; nil when it had none, empty when all were gated away
}

// Exception is one exception of an Event's chain.
type Exception struct {
	Type  string // the Go type, "*fmt.wrapError"; "error" or "panic" when only the text is known
	Value string // the error's text
}

// Breadcrumbs returns the event's breadcrumbs, oldest first.
func (e Event) Breadcrumbs() []Breadcrumb {
	out := make([]Breadcrumb, len(e.Event.Breadcrumbs))
	for i, b := range e.Event.Breadcrumbs {
		out[i] = Breadcrumb{Level: b.Level, Category: b.Category, Message: b.Message, Data: b.Data}
	}
	return out
}

// BreadcrumbMessages returns the messages of the event's breadcrumbs,
// oldest first.
func (e Event) BreadcrumbMessages() []string {
	out := make([]string, len(e.Event.Breadcrumbs))
	for i, b := range e.Event.Breadcrumbs {
		out[i] = b.Message
	}
	return out
}

// Exceptions returns the event's exception chain, outermost first (the
// error that was logged, then what it wraps).
func (e Event) Exceptions() []Exception {
	out := make([]Exception, len(e.Exception))
	for i, ex := range e.Exception {
		out[len(out)-1-i] = Exception{Type: ex.Type, Value: ex.Value}
	}
	return out
}

// LogContext returns the record's attributes, as the event's "log" context
// holds them (the user group moved to the event's User, tags still there).
func (e Event) LogContext() map[string]any { return e.Contexts["log"] }

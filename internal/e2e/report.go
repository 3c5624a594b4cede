package e2e

import "encoding/json"

// Report is one event as sentry-testkit parsed it from an envelope. Event
// is the event exactly as it arrived; the other fields are testkit's summary.
type Report struct {
	Message string            `json:"message"`
	Level   string            `json:"level"`
	Tags    map[string]string `json:"tags"`
	Event   Event             `json:"originalReport"`
}

// Event is the part of a Sentry event payload the tests look at.
type Event struct {
	EventID     string                     `json:"event_id"`
	Message     string                     `json:"message"`
	Level       string                     `json:"level"`
	Logger      string                     `json:"logger"`
	Timestamp   json.RawMessage            `json:"timestamp"`
	Tags        map[string]string          `json:"tags"`
	User        map[string]any             `json:"user"`
	Fingerprint []string                   `json:"fingerprint"`
	Contexts    map[string]json.RawMessage `json:"contexts"`
	Breadcrumbs []Breadcrumb               `json:"breadcrumbs"`
	Exception   []Exception                `json:"exception"`
	Threads     []Thread                   `json:"threads"`
}

// Thread is one thread of an Event: a message event's stack.
type Thread struct {
	Current    bool `json:"current"`
	Stacktrace *struct {
		Frames []Frame `json:"frames"`
	} `json:"stacktrace"`
}

// Breadcrumb is one breadcrumb of an Event.
type Breadcrumb struct {
	Type      string          `json:"type"`
	Category  string          `json:"category"`
	Message   string          `json:"message"`
	Level     string          `json:"level"`
	Timestamp json.RawMessage `json:"timestamp"`
	Data      map[string]any  `json:"data"`
}

// Exception is one exception of an Event's chain, innermost first.
type Exception struct {
	Type       string `json:"type"`
	Value      string `json:"value"`
	Module     string `json:"module"`
	Stacktrace *struct {
		Frames []Frame `json:"frames"`
	} `json:"stacktrace"`
	Mechanism *struct {
		Type        string `json:"type"`
		Handled     *bool  `json:"handled"`
		ExceptionID int    `json:"exception_id"`
		ParentID    *int   `json:"parent_id"`
	} `json:"mechanism"`
}

// Frame is one stack frame, outermost first as Sentry orders them.
type Frame struct {
	Function string `json:"function"`
	Module   string `json:"module"`
	Filename string `json:"filename"`
	AbsPath  string `json:"abs_path"`
	Lineno   int    `json:"lineno"`
	InApp    bool   `json:"in_app"`
}

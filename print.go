package logcrumbs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/policy"
)

// PrintOptions sets what PrintTransport prints. The zero value prints a
// compact summary of each event, with times and the top 5 frames of each
// stack.
type PrintOptions struct {
	// JSON prints each event whole, as indented JSON (the body sentry-go
	// would send), instead of the summary. Default false.
	JSON bool
	// Frames is how many of the top frames of each stack trace the summary
	// shows: 0 means 5, a negative number all of them.
	Frames int
	// OmitTimes leaves the event's and breadcrumbs' times out of the
	// summary, so that output can be compared from run to run (golden
	// files, examples). Default false.
	OmitTimes bool
}

// PrintTransport returns a sentry.Transport that prints what would be sent
// to w instead of sending it: a development mode to see, without a Sentry
// project, the events logcrumbs builds and the trail they carry. Put it in
// sentry.ClientOptions.Transport when no DSN is set:
//
//	opts := sentry.ClientOptions{Dsn: os.Getenv("SENTRY_DSN")}
//	if opts.Dsn == "" { // no Sentry project: print what would be sent
//		opts.Transport = logcrumbs.PrintTransport(os.Stderr, logcrumbs.PrintOptions{})
//	}
//
// A transport replaces sending: with it, nothing reaches Sentry even when a
// DSN is set, which is why it is never used unless you put it there.
//
// Each event prints as a block: its level, logger and message; the
// exception chain, outermost error first, with the top frames of each
// stack (the errors of a join, errors.Join or a record's several errors,
// each "joined:", indented under the join); the request (with its query),
// tags, user and fingerprint; the record's attributes (the event's "log"
// context); logcrumbs' own notes (the "logcrumbs" context: how many
// repeats of the event were not sent, what size fitting dropped); then the
// breadcrumbs, oldest first, one a line (time, level, category, message,
// data). A transaction prints as one line,
// and each entry of a Sentry Logs batch (an integration's LogsLevel,
// Options.LogsOnEvent, Options.PassThroughLevel) as one line. With
// PrintOptions.JSON each prints whole, as indented JSON.
//
// SendEvent writes each block with one Write, under a lock, on the
// goroutine that captured the event (sentry-go calls a custom transport
// there; Sentry Logs batches on sentry-go's own goroutine): a slow w slows
// the logging call that sends an event, so print to a terminal or a
// buffer, not a network. A nil w means os.Stderr. Write errors are
// ignored, and a panicking Write is recovered (on sentry-go's Logs
// goroutine it would end the program). Flush returns true at once: there
// is no queue.
func PrintTransport(w io.Writer, opts PrintOptions) sentry.Transport {
	if opts.Frames == 0 {
		opts.Frames = 5
	}
	if w == nil { // the zero value of a development switch: print, not panic
		w = os.Stderr
	}
	return &printTransport{w: w, opts: opts}
}

type printTransport struct {
	mu   sync.Mutex
	w    io.Writer
	opts PrintOptions
}

func (p *printTransport) Configure(sentry.ClientOptions)        {}
func (p *printTransport) Flush(time.Duration) bool              { return true }
func (p *printTransport) FlushWithContext(context.Context) bool { return true }
func (p *printTransport) Close()                                {}

func (p *printTransport) SendEvent(ev *sentry.Event) {
	if ev == nil {
		return
	}
	var b bytes.Buffer
	func() {
		defer func() {
			if r := recover(); r != nil { // a value whose MarshalJSON panics
				fmt.Fprintf(&b, "logcrumbs: cannot print the event: %v\n", r)
			}
		}()
		if p.opts.JSON {
			p.json(&b, ev)
		} else {
			p.summary(&b, ev)
		}
	}()
	p.mu.Lock()
	defer p.mu.Unlock()
	defer func() { _ = recover() }() // printing must not take the program down
	_, _ = p.w.Write(b.Bytes())
}

func (p *printTransport) json(b *bytes.Buffer, ev *sentry.Event) {
	out, err := json.MarshalIndent(ev, "", "  ")
	if err != nil {
		fmt.Fprintf(b, "logcrumbs: cannot encode the event: %v\n", err)
		return
	}
	b.Write(out)
	b.WriteByte('\n')
}

func (p *printTransport) when(t time.Time, layout string) string {
	if p.opts.OmitTimes || t.IsZero() {
		return ""
	}
	return t.UTC().Format(layout) + " "
}

func (p *printTransport) summary(b *bytes.Buffer, ev *sentry.Event) {
	switch ev.Type {
	case "": // an error or message event
	case "log":
		for _, l := range ev.Logs {
			fmt.Fprintf(b, "sentry log: %s%s %s", p.when(l.Timestamp, "15:04:05.000"), l.Level, oneLine(l.Body))
			keys := make([]string, 0, len(l.Attributes))
			for k := range l.Attributes {
				if !strings.HasPrefix(k, "sentry.") { // sentry-go's own: sdk, environment, ...
					keys = append(keys, k)
				}
			}
			sort.Strings(keys)
			for _, k := range keys {
				b.WriteByte(' ')
				b.WriteString(oneLine(k))
				b.WriteByte('=')
				b.WriteString(value(l.Attributes[k].AsInterface()))
			}
			b.WriteByte('\n')
		}
		return
	case "transaction":
		fmt.Fprintf(b, "sentry transaction: %s%s (%d spans)\n", p.when(ev.StartTime, time.RFC3339), oneLine(ev.Transaction), len(ev.Spans))
		return
	default:
		fmt.Fprintf(b, "sentry %s: %s\n", ev.Type, oneLine(ev.Message))
		return
	}

	logger := ""
	if ev.Logger != "" {
		logger = " [" + oneLine(ev.Logger) + "]"
	}
	msg := ev.Message
	if msg == "" && len(ev.Exception) > 0 {
		msg = ev.Exception[len(ev.Exception)-1].Value
	}
	fmt.Fprintf(b, "sentry event: %s%s%s %s\n", p.when(ev.Timestamp, time.RFC3339), ev.Level, logger, oneLine(msg))

	// sentry-go lists the chain innermost first; print it as errors read.
	// The errors of a join (errors.Join, a record's several errors) are
	// siblings, not each the cause of the next: each is "joined", indented
	// under its group (sentry-go's mechanism links each to its parent).
	groups := exceptionGroups(ev.Exception)
	for i := len(ev.Exception) - 1; i >= 0; i-- {
		ex := ev.Exception[i]
		g := groups[i]
		label := "exception:"
		switch {
		case g.joined:
			label = "  joined:"
		case i < len(ev.Exception)-1:
			label = "  caused by:"
		}
		indent := strings.Repeat("  ", g.depth)
		fmt.Fprintf(b, "  %s%s %s: %s\n", indent, label, ex.Type, oneLine(ex.Value))
		if ex.Stacktrace != nil {
			p.frames(b, indent, ex.Stacktrace.Frames)
		}
	}
	if len(ev.Exception) == 0 && len(ev.Threads) > 0 && ev.Threads[0].Stacktrace != nil {
		b.WriteString("  stack:\n")
		p.frames(b, "", ev.Threads[0].Stacktrace.Frames)
	}
	if r := ev.Request; r != nil && r.URL != "" {
		url := r.URL
		if r.QueryString != "" { // sentry-go keeps it apart (scrubbed, as sent)
			url += "?" + r.QueryString
		}
		fmt.Fprintf(b, "  request: %s %s\n", r.Method, oneLine(url))
	}
	if len(ev.Tags) > 0 {
		b.WriteString("  tags:")
		writeMap(b, ev.Tags)
		b.WriteByte('\n')
	}
	if u := ev.User; !u.IsEmpty() {
		b.WriteString("  user:")
		fields := map[string]string{}
		for k, v := range map[string]string{"id": u.ID, "email": u.Email, "username": u.Username, "name": u.Name, "ip_address": u.IPAddress} {
			if v != "" {
				fields[k] = v
			}
		}
		writeMap(b, fields)
		b.WriteByte('\n')
	}
	if len(ev.Fingerprint) > 0 {
		b.WriteString("  fingerprint:")
		for _, f := range ev.Fingerprint {
			b.WriteByte(' ')
			b.WriteString(oneLine(f))
		}
		b.WriteByte('\n')
	}
	// The record's attributes, then logcrumbs' own notes: the repeats an
	// event (or a summary Flush sends) stands for, what size fitting
	// dropped.
	for _, name := range []string{"log", policy.RepeatsKey} {
		c := ev.Contexts[name]
		if name == policy.RepeatsKey && p.opts.OmitTimes && c["repeats_since"] != nil {
			c = maps.Clone(c)
			delete(c, "repeats_since")
		}
		if len(c) > 0 {
			fmt.Fprintf(b, "  %s:", name)
			writeMap(b, c)
			b.WriteByte('\n')
		}
	}
	if len(ev.Breadcrumbs) > 0 {
		fmt.Fprintf(b, "  breadcrumbs (%d, oldest first):\n", len(ev.Breadcrumbs))
	}
	for _, bc := range ev.Breadcrumbs {
		fmt.Fprintf(b, "    %s%-7s %s: %s", p.when(bc.Timestamp, "15:04:05.000"), bc.Level, oneLine(bc.Category), oneLine(bc.Message))
		writeMap(b, bc.Data)
		b.WriteByte('\n')
	}
}

// frames prints the top frames of a stack, the innermost (where the error
// was made) first; sentry-go lists them outermost first.
func (p *printTransport) frames(b *bytes.Buffer, indent string, frames []sentry.Frame) {
	n := len(frames)
	if p.opts.Frames > 0 && n > p.opts.Frames {
		n = p.opts.Frames
	}
	for i := len(frames) - 1; i >= len(frames)-n; i-- {
		f := frames[i]
		fn := f.Function
		if f.Module != "" {
			fn = f.Module + "." + fn
		}
		// The file's base name, with or without -trimpath (which leaves
		// no AbsPath and a module path, always with slashes, in Filename).
		file := f.Filename
		if file != "" {
			file = path.Base(file)
		}
		if f.AbsPath != "" {
			file = filepath.Base(f.AbsPath)
		}
		fmt.Fprintf(b, "%s      at %s (%s:%d)\n", indent, fn, file, f.Lineno)
	}
	if n < len(frames) {
		more := "frames"
		if len(frames)-n == 1 {
			more = "frame"
		}
		fmt.Fprintf(b, "%s      ... %d more %s\n", indent, len(frames)-n, more)
	}
}

// exceptionGroup is where one exception of a chain sits in its tree.
type exceptionGroup struct {
	joined bool // its parent is an exception group: it is one of a join's errors
	depth  int  // how many exception groups it is inside
}

// exceptionGroups places each exception of exs by its mechanism's parent
// link; exceptions without mechanisms read as one chain.
func exceptionGroups(exs []sentry.Exception) []exceptionGroup {
	out := make([]exceptionGroup, len(exs))
	byID := make(map[int]*sentry.Mechanism, len(exs))
	for _, ex := range exs {
		if ex.Mechanism != nil {
			byID[ex.Mechanism.ExceptionID] = ex.Mechanism
		}
	}
	for i, ex := range exs {
		m := ex.Mechanism
		for hops := 0; m != nil && m.ParentID != nil && hops < len(exs); hops++ { // hops: a cycle ends
			parent := byID[*m.ParentID]
			if parent == nil {
				break
			}
			if parent.IsExceptionGroup {
				if hops == 0 {
					out[i].joined = true
				}
				out[i].depth++
			}
			m = parent
		}
	}
	return out
}

// writeMap writes " k=v" for each entry, sorted by key.
func writeMap[V any](b *bytes.Buffer, m map[string]V) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.WriteByte(' ')
		b.WriteString(oneLine(k))
		b.WriteByte('=')
		b.WriteString(value(m[k]))
	}
}

// value formats one attribute: strings bare unless they need quotes,
// everything else as compact JSON (groups as objects).
func value(v any) string {
	if s, ok := v.(string); ok {
		if s == "" || strings.ContainsAny(s, " =\"") || hasControl(s) {
			return strconv.Quote(s)
		}
		return s
	}
	out, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(out)
}

// oneLine keeps a message, an error's text (errors.Join's has newlines), a
// Logs body, a key (which a program may take from its input), a logger's
// name or a fingerprint on its line: quoted, with escapes, when it holds a control
// character (a newline would look like the next line of the summary, and an
// escape sequence would reach the terminal as a command).
func oneLine(s string) string {
	if hasControl(s) {
		return strconv.Quote(s)
	}
	return s
}

func hasControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }) >= 0
}

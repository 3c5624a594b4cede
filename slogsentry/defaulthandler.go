package slogsentry

import (
	"bytes"
	"context"
	"io"
	"log"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// slog's own default handler writes each record through the log package's
// default logger. slog.SetDefault with any other handler points the log
// package back at slog, so a handler that wraps the default one and is made
// the default (slog.SetDefault(slog.New(NewHandler(slog.Default().Handler(),
// opts))), a newcomer's one-liner) would hand each record back to itself,
// and the first one deadlocks on log's lock. NewHandler wraps such a next
// in a defaultGuard, which passes records on to it as long as slog's
// default is still a default handler, and otherwise writes them itself, as
// slog's default handler writes them, to where the log package wrote when
// NewHandler was called.

// isSlogDefault reports whether h is slog's own default handler.
func isSlogDefault(h slog.Handler) bool {
	t := reflect.TypeOf(h)
	return t != nil && t.Kind() == reflect.Pointer && t.Elem().PkgPath() == "log/slog" && t.Elem().Name() == "defaultHandler"
}

// isSlogWriter reports whether w is the writer slog.SetDefault gives the
// log package, which sends its output to slog.
func isSlogWriter(w io.Writer) bool {
	t := reflect.TypeOf(w)
	return t != nil && t.Kind() == reflect.Pointer && t.Elem().PkgPath() == "log/slog" && t.Elem().Name() == "handlerWriter"
}

// defaultGuard is slog's default handler, as next of a Handler.
type defaultGuard struct {
	next slog.Handler // slog's default handler (with the attrs and groups added)
	text slog.Handler // writes the attributes as next does (see write)
	out  *guardOut
}

// guardOut is where a defaultGuard writes when it writes itself.
type guardOut struct {
	mu     sync.Mutex // held while text writes into buf, and the line goes out
	buf    bytes.Buffer
	logger *log.Logger // log's writer, prefix and flags when NewHandler was called (no file flags)
	prefix string      // with Lmsgprefix and a file flag: written before the message
	file   int         // log.Lshortfile or log.Llongfile, if log's flags had one

	// redirected is set once slog.SetDefault is seen to have pointed the
	// log package at slog: it does not point it back when slog's original
	// default is made the default again, so that next's output would still
	// come back here.
	redirected atomic.Bool
	flags      int // log's flags when NewHandler was called (see flagsCleared)
	// maybe is set while a log.Logger's method was last seen writing to
	// slog (see restored): log's own, perhaps, so that log's flags, set
	// again, say nothing until log's writer is looked at.
	maybe atomic.Bool
}

// The level and message of the record text writes: its built-in attributes
// are dropped by these values, so that a record's own "level" or "msg"
// attribute is written.
const (
	guardLevel = slog.Level(math.MinInt32 + 7)
	guardMsg   = "\x00logcrumbs: message\x00"
)

func newDefaultGuard(next slog.Handler) *defaultGuard {
	w, prefix, flags := log.Writer(), log.Prefix(), log.Flags()
	if isSlogWriter(w) { // slog.SetDefault was called already: log's own writer is gone
		w, prefix, flags = os.Stderr, "", log.LstdFlags
	}
	out := &guardOut{file: flags & (log.Lshortfile | log.Llongfile), flags: log.Flags()}
	if out.file != 0 {
		flags &^= log.Lshortfile | log.Llongfile
		if flags&log.Lmsgprefix != 0 {
			out.prefix, prefix = prefix, ""
			flags &^= log.Lmsgprefix
		}
	}
	out.logger = log.New(w, prefix, flags)
	text := slog.NewTextHandler(&out.buf, &slog.HandlerOptions{
		Level: slog.Level(math.MinInt32),
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && (a.Key == slog.LevelKey && a.Value.Kind() == slog.KindAny && a.Value.Any() == guardLevel ||
				a.Key == slog.MessageKey && a.Value.Kind() == slog.KindString && a.Value.String() == guardMsg) {
				return slog.Attr{}
			}
			return a
		},
	})
	return &defaultGuard{next: next, text: text, out: out}
}

func (g *defaultGuard) Enabled(ctx context.Context, l slog.Level) bool {
	return g.next.Enabled(ctx, l)
}

func (g *defaultGuard) Handle(ctx context.Context, r slog.Record) error {
	if !g.out.redirected.Load() {
		if isSlogDefault(slog.Default().Handler()) {
			restored, sure := g.out.restored()
			if !restored { // log writes where it did: no loop
				return g.next.Handle(ctx, r)
			}
			if !sure {
				// A log.Logger's output comes here, log's own (whose
				// lock is held) or another's: written here, not by
				// next, but no sign that log goes to slog.
				return g.write(ctx, r)
			}
		}
		// slog's default is another handler, or it was and slog's original
		// default is back (slog.SetDefault(saved)), which does not give log
		// its writer back: log's output comes here, from where log's lock is
		// held, and next would wait on it for good.
		g.out.redirected.Store(true)
	}
	return g.write(ctx, r)
}

// flagsCleared reports whether log's flags, which were not 0 when NewHandler
// was called, are 0 now: slog.SetDefault of another handler clears them
// (and points log at slog), and giving slog its own default back restores
// neither, so that a program that did both without logging in between is
// told apart from one that never called SetDefault by an atomic load, not
// a look at the stack (3.2 µs a record, measured, for every program that
// wraps slog's default handler without making it the default). With log's
// flags 0 to begin with, that program still deadlocks.
func (o *guardOut) flagsCleared() bool {
	return o.flags != 0 && log.Flags() == 0
}

// restored reports whether slog's default handler, the default now, was
// given back after slog.SetDefault of another handler pointed log at slog:
// log's flags were cleared (see flagsCleared), and log's output is being
// handled (log's lock is held) or goes to slog. Flags cleared by the
// program itself (log.SetFlags(0)), with log's writer its own, are no
// restore: next writes, as slog's default handler does, with log's flags
// and writer of now. Only such a program pays for the look at the stack.
// sure is false when a log.Logger's method is writing to slog: log's own
// (log.Default()) or another's (slog.NewLogLogger), which the stack does
// not tell apart; log's lock may be held, so restored is true, and the next
// record out of such a line looks again, whatever log's flags.
func (o *guardOut) restored() (restored, sure bool) {
	maybe := o.maybe.Load()
	if !maybe && !o.flagsCleared() {
		return false, true
	}
	switch inLogBridge() {
	case bridgeLog:
		return true, true
	case bridgeLogger:
		if !maybe {
			o.maybe.Store(true)
		}
		return true, false
	}
	if isSlogWriter(log.Writer()) { // log.Writer takes log's lock: not held here
		return true, true
	}
	if maybe {
		o.maybe.Store(false) // another log.Logger's
	}
	return false, true
}

// What inLogBridge sees on the stack.
const (
	bridgeNone   = iota // no log.Logger writing to slog
	bridgeLog           // log's output (its lock held) sent to slog
	bridgeLogger        // a log.Logger's method writing to slog: log's own or another's
)

// inLogBridge reports whether a log.Logger's output, sent to slog (by
// slog.SetDefault for log's, by slog.NewLogLogger for another), is what is
// being handled, and whether it is certainly log's: written by log's
// functions (log.Print) or by slog's default handler.
func inLogBridge() int {
	var pcs [32]uintptr
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs[:])])
	bridged := false
	for {
		f, more := frames.Next()
		switch {
		case f.Function == "log/slog.(*handlerWriter).Write":
			bridged = true
		case bridged && f.Function != "log.(*Logger).output":
			// log.(*Logger).output's caller: log's functions, and the
			// output slog's default handler writes with, use log's
			// logger; its methods, on log.Default() or another logger,
			// and a Write that is not a log.Logger's, may not.
			if strings.HasPrefix(f.Function, "log.") && !strings.HasPrefix(f.Function, "log.(*Logger).") {
				return bridgeLog
			}
			return bridgeLogger
		}
		if !more {
			if bridged {
				return bridgeLogger
			}
			return bridgeNone
		}
	}
}

// write writes r as slog's default handler does: log's header, the level,
// the message, then the attributes as a TextHandler writes them (both are
// slog's text encoding), each after a space.
func (g *defaultGuard) write(ctx context.Context, r slog.Record) error {
	attrs := slog.NewRecord(time.Time{}, guardLevel, guardMsg, 0) // no time: none written
	r.Attrs(func(a slog.Attr) bool {
		attrs.AddAttrs(a)
		return true
	})
	o := g.out
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Reset()
	if err := g.text.Handle(ctx, attrs); err != nil {
		return err
	}
	line := make([]byte, 0, 64+len(r.Message)+o.buf.Len())
	if o.file != 0 {
		file, lineNo := "???", 0
		if r.PC != 0 {
			f, _ := runtime.CallersFrames([]uintptr{r.PC}).Next()
			if f.File != "" {
				file, lineNo = f.File, f.Line
			}
		}
		if o.file&log.Lshortfile != 0 {
			file = filepath.Base(file)
		}
		line = append(line, file...)
		line = append(line, ':')
		line = strconv.AppendInt(line, int64(lineNo), 10)
		line = append(line, ": "...)
		line = append(line, o.prefix...)
	}
	line = append(line, r.Level.String()...)
	line = append(line, ' ')
	line = append(line, r.Message...)
	if a := bytes.TrimSuffix(o.buf.Bytes(), []byte("\n")); len(a) > 0 {
		line = append(line, ' ')
		line = append(line, a...)
	}
	return o.logger.Output(0, string(line))
}

func (g *defaultGuard) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &defaultGuard{next: g.next.WithAttrs(attrs), text: g.text.WithAttrs(attrs), out: g.out}
}

func (g *defaultGuard) WithGroup(name string) slog.Handler {
	return &defaultGuard{next: g.next.WithGroup(name), text: g.text.WithGroup(name), out: g.out}
}

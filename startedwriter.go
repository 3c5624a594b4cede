package logcrumbs

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

// startedWriter is the http.ResponseWriter a handler gets from Middleware
// with Recover or EventIDHeader: it notes whether the response has started
// (a status other than an informational 1xx, a byte of body, a flush or a hijack), after
// which a 500 can no longer be sent and a recovered panic must abort the
// response instead, and, as it starts, sets the event ID header when the
// request sent an event. The handler may write from other goroutines,
// hence the atomic.
//
// It keeps what handlers look for on a ResponseWriter: http.Flusher and
// FlushError, http.Hijacker (an error when no writer beneath has one, as
// http.ResponseController finds them through each writer's Unwrap),
// io.ReaderFrom (net/http's sendfile path) and Unwrap for
// http.ResponseController.
type startedWriter struct {
	http.ResponseWriter
	started atomic.Bool
	// final101: a 101 is the response (HTTP/1; HTTP/2 and 3 have none:
	// see WriteHeader).
	final101 bool
	idHeader string          // MiddlewareOptions.EventIDHeader, or ""
	ctx      context.Context // the request's unit of work, for LastEventID
	// nested is the last of the units of work of Middlewares nested in
	// this one's (a sub-router's), each before it on its prev: their
	// events are the request's, and the header names the last of them
	// all (see eventID).
	nested atomic.Pointer[nestedUnit]
	// outer is the startedWriter with an EventIDHeader of the Middleware
	// this one is nested in, if any (see headerWriterOf).
	outer *startedWriter
}

// nestedUnit is the unit of work of a Middleware nested in another's, as
// the outer one's startedWriter knows it (see nest).
type nestedUnit struct {
	trail *nestedTrail
	prev  *nestedUnit
}

// nestedTrail is the trail of a nested Middleware's unit of work while it
// runs, and its parent unit's once it returned, which has its last event
// then (see endNested): its trail is not kept until the request ends (a
// batch endpoint calling a sub-router's Middleware for each item).
type nestedTrail struct{ atomic.Pointer[buffer.Trail] }

// headerWriterKey is the context key of the startedWriter of a Middleware
// with an EventIDHeader, on the context its unit of work is made from:
// a Middleware nested in it finds it there, whatever writers the
// middlewares between the two wrap the response in (one that does not
// Unwrap hides the writers beneath).
type headerWriterKey struct{}

// headerWriterOf returns the startedWriter with an EventIDHeader of the
// innermost Middleware whose request ctx belongs to, or nil.
func headerWriterOf(ctx context.Context) *startedWriter {
	sw, _ := ctx.Value(headerWriterKey{}).(*startedWriter)
	return sw
}

// nest tells the startedWriters with an EventIDHeader of the Middlewares
// whose request parent belongs to that trail, the one of a Middleware
// inside theirs, is part of their request: an event it sends may be the
// one their header names. It returns what endNested clears when the
// nested Middleware returns, or nil when no header is asked for.
func nest(parent context.Context, trail *buffer.Trail) *nestedTrail {
	sw := headerWriterOf(parent)
	if sw == nil {
		return nil
	}
	held := new(nestedTrail)
	held.Store(trail)
	for ; sw != nil; sw = sw.outer {
		for {
			prev := sw.nested.Load()
			if sw.nested.CompareAndSwap(prev, &nestedUnit{trail: held, prev: prev}) {
				break
			}
		}
	}
	return held
}

// endNested ends the unit of work of a Middleware nested in the one of
// parent, whose trail is trail: its last event becomes parent's, if later
// than parent's own (LastEventID in the outer one's router names it), and
// the startedWriters nest told of it (held, nil when none was) read
// parent's trail in its stead: its trail is let go, and their header still
// names its last event, though parent's unit be none they know of (a Bind
// unit between two Middlewares, on the outer one's trail). A parent without
// a trail of one request or job (none, the fallback trail, a shared
// BaseContext Bind unit's: see Trail.MarkAdopts) keeps it there.
func endNested(parent context.Context, trail *buffer.Trail, held *nestedTrail) {
	pt := buffer.FromContext(parent)
	if !pt.AdoptLastEvent(trail) {
		// No trail, the fallback trail, or one of a unit that is not one
		// request's (a server's BaseContext bound with Bind): the
		// startedWriters keep reading trail.
		return
	}
	if held != nil {
		held.Store(pt)
	}
}

// responseStarted reports whether the response w writes has started:
// through w, or through a startedWriter beneath it, reached as
// http.ResponseController reaches a writer (through each writer's
// Unwrap), that of a Middleware w's is nested in, whose router may have
// written before calling the nested one. A writer between the two that
// does not Unwrap hides it (see startedAbove).
func (w *startedWriter) responseStarted() bool {
	if w.started.Load() {
		return true
	}
	for rw := w.ResponseWriter; rw != nil; {
		if s, ok := rw.(*startedWriter); ok && s.started.Load() {
			return true
		}
		u, ok := rw.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return false
		}
		rw = u.Unwrap()
	}
	return false
}

// startedAbove reports whether the response h is the header of (that of
// a nested Middleware's writer) has started through the startedWriter of
// a Middleware with an EventIDHeader the request parent belongs to is
// nested in (see headerWriterOf), or one beneath it: found on the context,
// where a writer between the two that does not Unwrap cannot hide it from
// responseStarted. The same response, because the same header: a router
// may give the nested Middleware a writer of its own (a batch call's
// recorder), whose start is not the outer response's. Only on a recovered
// panic.
func startedAbove(parent context.Context, h http.Header) bool {
	for sw := headerWriterOf(parent); sw != nil; sw = sw.outer {
		if sameHeader(sw.Header(), h) && sw.responseStarted() {
			return true
		}
	}
	return false
}

// sameHeader reports whether a and b are one map: the header of one
// response, reached through two writers.
func sameHeader(a, b http.Header) bool {
	return a != nil && reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

// setsHeader reports whether w, the startedWriter of a Middleware with an
// EventIDHeader, or one it is nested in (see outer), sets the header name
// (as http.Header names it, in any case) on the response rw writes (the
// same Header: a router may give a nested Middleware a writer of its own,
// a batch call's recorder, whose header the outer one does not set): w may
// be nil.
func (w *startedWriter) setsHeader(name string, rw http.ResponseWriter) bool {
	for ; w != nil; w = w.outer {
		if w.idHeader != "" && strings.EqualFold(w.idHeader, name) {
			return sameHeader(w.Header(), rw.Header())
		}
	}
	return false
}

// eventID returns the request's event: the last event sent by w's own
// unit of work or a unit nested in it (see nest), whichever was sent
// last.
func (w *startedWriter) eventID() sentry.EventID {
	id, seq := buffer.FromContext(w.ctx).LastEventSeq()
	for n := w.nested.Load(); n != nil; n = n.prev {
		if nid, nseq := n.trail.Load().LastEventSeq(); nid != "" && (id == "" || nseq.After(seq)) {
			id, seq = nid, nseq
		}
	}
	return sentry.EventID(id)
}

// start notes that the response starts; the first time, it sets the event
// ID header (the last moment a header can be set).
func (w *startedWriter) start() {
	if !w.started.CompareAndSwap(false, true) || w.idHeader == "" {
		return
	}
	w.setIDHeader()
}

// setIDHeader sets the event ID header, if the request sent an event and
// the handler set none; it reports whether it set it.
func (w *startedWriter) setIDHeader() bool {
	if id := w.eventID(); id != "" {
		if h := w.ResponseWriter.Header(); h.Get(w.idHeader) == "" {
			h.Set(w.idHeader, string(id))
			return true
		}
	}
	return false
}

// writeInvalid passes on a WriteHeader of a code outside 100-999, which
// net/http's writers panic on before sending anything: then the response
// has not started (a recovered panic can still be a 500, naming its own
// event). Another writer that takes it starts the response, and may send
// its headers then: the event ID header is set before, as for any start,
// and taken back if the writer panics.
func (w *startedWriter) writeInvalid(code int) {
	first := w.started.CompareAndSwap(false, true)
	set := first && w.idHeader != "" && w.setIDHeader()
	taken := false
	defer func() {
		if taken || !first {
			return
		}
		if set {
			w.ResponseWriter.Header().Del(w.idHeader)
		}
		w.started.Store(false)
	}()
	w.ResponseWriter.WriteHeader(code)
	taken = true
}

func (w *startedWriter) WriteHeader(code int) {
	if code < 100 || code > 999 {
		w.writeInvalid(code)
		return
	}
	// A 1xx is informational (103 Early Hints), but for 101 Switching
	// Protocols, which net/http sends as the response over HTTP/1; HTTP/2
	// has no 101 (RFC 9113 8.6), and its writer sends one as it sends any
	// 1xx, the response still to come.
	if code >= 200 || (code == http.StatusSwitchingProtocols && w.final101) {
		w.start()
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *startedWriter) Write(b []byte) (int, error) {
	w.start()
	return w.ResponseWriter.Write(b)
}

func (w *startedWriter) ReadFrom(r io.Reader) (int64, error) {
	w.start()
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(w.ResponseWriter, r)
}

// FlushError flushes the response and returns the error of writing it to
// the connection (a client gone), as net/http's own writer does, so that
// http.ResponseController's Flush, which calls it, still reports it. The
// writer beneath is reached as http.ResponseController reaches it, through
// the Unwrap of another middleware's writer that offers nothing else;
// http.ErrNotSupported when none can flush: then nothing was sent, and the
// response has not started (http.TimeoutHandler's writer buffers it all; a
// panic after such a Flush can still be a 500, and a header still name a
// later event).
func (w *startedWriter) FlushError() error {
	if !canFlush(w.ResponseWriter) {
		return http.ErrNotSupported
	}
	w.start()
	return http.NewResponseController(w.ResponseWriter).Flush()
}

// canFlush reports whether http.ResponseController finds a flusher in rw,
// as its Flush looks for one: rw or a writer beneath, through each
// writer's Unwrap.
func canFlush(rw http.ResponseWriter) bool {
	for rw != nil {
		switch t := rw.(type) {
		case *startedWriter: // a Middleware's this one is nested in: its own flusher is no answer
			rw = t.ResponseWriter
		case interface{ FlushError() error }, http.Flusher:
			return true
		case interface{ Unwrap() http.ResponseWriter }:
			rw = t.Unwrap()
		default:
			return false
		}
	}
	return false
}

func (w *startedWriter) Flush() { _ = w.FlushError() }

// Hijack hijacks the connection of the writer beneath, reached as
// FlushError reaches it.
func (w *startedWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, buf, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil {
		w.started.Store(true)
	}
	return conn, buf, err
}

// Unwrap returns the writer it wraps, for http.ResponseController.
func (w *startedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

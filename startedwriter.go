package logcrumbs

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"sync/atomic"
)

// startedWriter is the http.ResponseWriter a handler gets from Middleware
// with Recover or EventIDHeader: it notes whether the response has started
// (a status other than 1xx, a byte of body, a flush or a hijack), after
// which a 500 can no longer be sent and a recovered panic must abort the
// response instead, and, as it starts, sets the event ID header when the
// request sent an event. The handler may write from other goroutines,
// hence the atomic.
//
// It keeps what handlers look for on a ResponseWriter: http.Flusher,
// http.Hijacker (an error when the underlying writer has none),
// io.ReaderFrom (net/http's sendfile path) and Unwrap for
// http.ResponseController.
type startedWriter struct {
	http.ResponseWriter
	started  atomic.Bool
	idHeader string          // MiddlewareOptions.EventIDHeader, or ""
	ctx      context.Context // the request's unit of work, for LastEventID
}

// start notes that the response starts; the first time, it sets the event
// ID header (the last moment a header can be set).
func (w *startedWriter) start() {
	if !w.started.CompareAndSwap(false, true) || w.idHeader == "" {
		return
	}
	if id := LastEventID(w.ctx); id != "" {
		if h := w.ResponseWriter.Header(); h.Get(w.idHeader) == "" {
			h.Set(w.idHeader, string(id))
		}
	}
}

func (w *startedWriter) WriteHeader(code int) {
	if code >= 200 || code < 100 {
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

func (w *startedWriter) Flush() {
	w.start()
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *startedWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, http.ErrNotSupported
	}
	w.started.Store(true)
	return h.Hijack()
}

// Unwrap returns the writer it wraps, for http.ResponseController.
func (w *startedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

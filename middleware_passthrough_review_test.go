package logcrumbs_test

import (
	"bufio"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// unwrapOnly is the ResponseWriter wrapper Go 1.20 made the rule for
// middleware (a status recorder, an access log): it offers nothing but
// Unwrap, and http.ResponseController reaches the response's Flush,
// Hijack and FlushError through it.
type unwrapOnly struct{ http.ResponseWriter }

func (w unwrapOnly) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// passthroughModes are the MiddlewareOptions under which the handler's
// writer is Middleware's wrapper, and the zero options, under which it is
// not (what the handler sees without logcrumbs' wrapper).
var passthroughModes = []struct {
	name string
	opts logcrumbs.MiddlewareOptions
}{
	{"plain", logcrumbs.MiddlewareOptions{}}, // the handler gets the writer as it is: the control
	{"Recover", logcrumbs.MiddlewareOptions{Recover: true}},
	{"EventIDHeader", logcrumbs.MiddlewareOptions{EventIDHeader: "X-Sentry-Event-ID"}},
}

// TestMiddlewareFlushesThroughAnUnwrapOnlyWriter: inside another
// middleware whose writer offers only Unwrap, http.ResponseController's
// Flush still flushes the response, as it does without logcrumbs (or
// without Recover and EventIDHeader): a streaming handler (server-sent
// events) must not be left buffering.
func TestMiddlewareFlushesThroughAnUnwrapOnlyWriter(t *testing.T) {
	for _, m := range passthroughModes {
		t.Run(m.name, func(t *testing.T) {
			opts := m.opts
			opts.Hub = logcrumbstest.New(t).Hub()
			var flushErr error
			h := logcrumbs.Middleware(opts)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, "data: 1\n\n")
				flushErr = http.NewResponseController(w).Flush()
			}))
			rec := httptest.NewRecorder()
			h.ServeHTTP(unwrapOnly{rec}, httptest.NewRequest("GET", "/events", nil))
			if flushErr != nil || !rec.Flushed {
				t.Errorf("ResponseController.Flush: error %v, response flushed %v; want nil, true (as without logcrumbs)", flushErr, rec.Flushed)
			}
		})
	}
}

// TestMiddlewareHijacksThroughAnUnwrapOnlyWriter: inside another
// middleware whose writer offers only Unwrap, http.ResponseController's
// Hijack still hijacks the connection (a websocket upgrade), as it does
// without logcrumbs.
func TestMiddlewareHijacksThroughAnUnwrapOnlyWriter(t *testing.T) {
	for _, m := range passthroughModes {
		t.Run(m.name, func(t *testing.T) {
			opts := m.opts
			opts.Hub = logcrumbstest.New(t).Hub()
			inner := logcrumbs.Middleware(opts)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				conn, buf, err := http.NewResponseController(w).Hijack()
				if err != nil {
					t.Errorf("ResponseController.Hijack: %v, want the connection (as without logcrumbs)", err)
					return
				}
				defer conn.Close()
				_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhijacked")
				_ = buf.Flush()
			}))
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				inner.ServeHTTP(unwrapOnly{w}, r)
			}))
			srv.Config.ErrorLog = log.New(io.Discard, "", 0)
			defer srv.Close()
			res, err := http.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if string(body) != "hijacked" {
				t.Errorf("status %d, body %q; want the hijacked connection's", res.StatusCode, body)
			}
		})
	}
}

// TestMiddlewareFlushReportsAGoneClient: a streaming handler learns that
// its client went away from http.ResponseController's Flush, whose error
// net/http's response gives (FlushError); through Middleware's writer the
// error must still reach it, else the handler streams into a dead
// connection for ever.
func TestMiddlewareFlushReportsAGoneClient(t *testing.T) {
	for _, m := range passthroughModes {
		t.Run(m.name, func(t *testing.T) {
			opts := m.opts
			opts.Hub = logcrumbstest.New(t).Hub()
			clientGone := make(chan struct{})
			result := make(chan error, 1)
			h := logcrumbs.Middleware(opts)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rc := http.NewResponseController(w)
				_, _ = io.WriteString(w, "data: first\n\n")
				if err := rc.Flush(); err != nil {
					result <- err
					return
				}
				<-clientGone
				chunk := strings.Repeat("x", 32<<10)
				deadline := time.Now().Add(3 * time.Second)
				for time.Now().Before(deadline) {
					_, _ = io.WriteString(w, chunk)
					if err := rc.Flush(); err != nil {
						result <- err
						return
					}
					time.Sleep(10 * time.Millisecond)
				}
				result <- nil
			}))
			srv := httptest.NewServer(h)
			srv.Config.ErrorLog = log.New(io.Discard, "", 0)
			defer srv.Close()
			conn, err := net.Dial("tcp", srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.WriteString(conn, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
			line, err := bufio.NewReader(conn).ReadString('\n')
			if err != nil || !strings.Contains(line, "200") {
				t.Fatalf("status line %q, %v", line, err)
			}
			conn.Close()
			close(clientGone)
			if err := <-result; err == nil {
				t.Error("Flush reported no error for 3 s of writes to a closed connection; without logcrumbs' writer it does")
			}
		})
	}
}

package logcrumbs

import (
	"context"
	"net/http"
	"sync/atomic"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/unit"
)

// MiddlewareOptions configure Middleware. The zero value clones
// sentry.CurrentHub() for each request and re-panics after reporting a
// panic.
type MiddlewareOptions struct {
	// Options shape the event of a panic, as they shape every event.
	Options

	// Recover, when true, answers 500 Internal Server Error (no body, and
	// none of the headers the handler set for the body it meant to send:
	// Content-Type, Content-Disposition, caching and validators) after
	// reporting a panic, instead of panicking again for the server's own recovery
	// (net/http logs it and drops the connection). A response that has
	// started (a status sent, a byte of body written or flushed, by the
	// handler, or by the router of a Middleware this one is nested in
	// before it called this one, one with Recover or an EventIDHeader,
	// whose writer notes it) cannot become a 500: it is aborted with
	// http.ErrAbortHandler, as net/http does, so that the client does not
	// take a cut response for a whole one. (An outer Middleware with
	// neither does not wrap the response, and net/http does not tell
	// whether it started; nor does another middleware's writer between the
	// two that does not Unwrap, unless the outer one has an
	// EventIDHeader and the writer the same Header. A writer of its own,
	// such as a batch call's recorder, is another response: a 500 there.)
	// Either way the panic is one event. The handler's ResponseWriter
	// is then a wrapper that still offers http.Flusher, http.Hijacker,
	// io.ReaderFrom and Unwrap (for http.ResponseController), and whose
	// Flush and Hijack reach the writer beneath as http.ResponseController
	// does (through another middleware's Unwrap), Flush's error (a client
	// gone) included.
	Recover bool

	// EventIDHeader, when not empty, names a response header (such as
	// "X-Sentry-Event-ID") that Middleware sets to the request's
	// LastEventID when the response starts (the handler's first
	// WriteHeader with a final status, 200 or more or an HTTP/1 101,
	// Write, Flush (of a writer beneath that can flush) or ReadFrom, else
	// the end of the handler, when net/http sends its implicit 200) after
	// the request sent an event: a logged error, a hand capture, or (with
	// Recover) the panic whose 500 Middleware writes, or the event of a job
	// or a nested Middleware the panic went on up through. An event sent
	// after the response started cannot be named: headers are sent with
	// the status, and a trailer is not worth its cost to clients. A header
	// the handler set itself is kept. With Middlewares nested (a router's
	// and a sub-router's), the events of the inner ones' units are the
	// request's: the header names the last event any of their units sent
	// (an inner one's, or the outer's own after the inner returned: the
	// panic whose 500 it writes), and is set once, by the outermost
	// Middleware that asks for that header (an inner one returning is not
	// the response's start: the outer one's router may still write, or
	// panic), but for an inner one given a writer of its own (a batch
	// call's recorder), which sets it on that response. Off by default: an event ID tells a client that its request
	// failed in a way Sentry saw.
	//
	// The handler chain needs no option for the ID: LastEventID(r.Context())
	// returns it, for an error page's "reference" or a feedback form (in a
	// router, once a nested Middleware returned, the last event of its
	// unit's or the router's own).
	EventIDHeader string
}

// Middleware returns net/http middleware that makes each request a unit of
// work: a trail of its own on the request's context (records logged with
// that context, through any logger, become its breadcrumbs), a Sentry hub
// of its own (a clone of Options.Hub or sentry.CurrentHub(), unless the
// request already has one of its own, as sentryhttp gives it: that one is
// used, not cloned again; a hub the request inherits from a shared base
// context is cloned) with the request on its scope, and one event for a
// panic, with the request's trail. The trail is emptied when the request
// ends.
//
// A hub Middleware clones starts the request's trace: the caller's, when
// the request carries sentry-trace and baggage headers (as sentryhttp
// continues it; a baggage header that does not parse is ignored), else a
// new one, so that every event of the request shares one trace ID, and two
// requests do not. A handler learns the ID of the
// event its request sent with LastEventID(r.Context()), and
// MiddlewareOptions.EventIDHeader puts it on the response.
//
// It composes with sentryhttp in either order: a panic is reported once,
// by whichever of the two recovers it first. Wrapping a nil handler
// panics, as http.Handle does.
func Middleware(opts MiddlewareOptions) func(http.Handler) http.Handler {
	esc := newEscalator(opts.Options, "http")
	return func(next http.Handler) http.Handler {
		if next == nil { // as http.Handle: say so now, not as a 500 on every request
			panic("logcrumbs: Middleware was given a nil handler to wrap: pass your handler (http.DefaultServeMux for handlers registered with http.HandleFunc)")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			parent := r.Context() // a unit of work this request is nested in, if any
			var sw *startedWriter
			base := parent // what the unit's context is made from
			if opts.Recover || opts.EventIDHeader != "" {
				sw = &startedWriter{ResponseWriter: w, idHeader: opts.EventIDHeader, final101: r.ProtoMajor < 2}
				w = sw
				if opts.EventIDHeader != "" {
					// Beneath the unit's context, whose trail the
					// request's records look up first: found by the
					// Middlewares nested in this one (see nest).
					sw.outer = headerWriterOf(parent)
					base = context.WithValue(parent, headerWriterKey{}, sw)
					if sw.outer.setsHeader(opts.EventIDHeader, sw.ResponseWriter) {
						// A Middleware this one is nested in sets the
						// header on this response, when it starts, with
						// the events of this unit and its own: this one
						// returning is not the response's start (the
						// outer one's router may still write, or panic).
						sw.idHeader = ""
					}
				}
			}
			ctx, trail := begin(base, esc, opts.Hub, true, nil, func(hub *sentry.Hub) {
				// As sentryhttp does: the caller's trace if it sent one
				// (sentry-trace and baggage headers), else a new one. A
				// baggage header that does not parse is left out: with it
				// sentry-go sets an all-zero propagation context, the one
				// trace ID of every such request.
				trace, bag := header(r.Header, traceHeader), header(r.Header, baggageHeader)
				if bag != "" {
					if _, err := sentry.DynamicSamplingContextFromHeader([]byte(bag)); err != nil {
						bag = ""
					}
				}
				if trace == "" && bag == "" {
					// What ContinueTrace sets for no headers (a new trace
					// and span, no sampling context), without the span
					// option it returns: an allocation per request.
					hub.Scope().SetPropagationContext(sentry.NewPropagationContext())
					return
				}
				sentry.ContinueTrace(hub, trace, bag)
			})
			defer trail.Release()
			trail.MarkAdopts()     // one request's: a nested Middleware's events are its (see endNested)
			r = r.WithContext(ctx) // the caller's request is left as it was
			hub := sentry.GetHubFromContext(ctx)
			if collectsBodies(hub.Client()) {
				hub.Scope().SetRequest(r) // the handler reads the body through a copy for the event
			} else {
				// SetRequest would have the handler read the body
				// through a copy for the event, kept whether or not the
				// client sends it (by default, it does not).
				body := r.Body
				r.Body = nil
				hub.Scope().SetRequest(r)
				r.Body = body
			}
			if sw != nil {
				sw.ctx = ctx
			}
			if unit.HubOf(parent) != nil {
				// Inside another unit of work (a router's Middleware,
				// this a sub-router's): this unit's events are its too,
				// for its EventIDHeader while this one runs, and for
				// LastEventID once it returned (registered before the
				// recovery below, so that it runs after it: the panic's
				// event is this unit's last).
				defer endNested(parent, trail, nest(parent, trail))
			}
			defer func() {
				if p := recover(); p != nil {
					if p == http.ErrAbortHandler { // net/http's own way to abort: no bug
						panic(p)
					}
					// A logger's Panic record's event, when the unit
					// adopted its note (a logger used without the
					// request's context): no event of the unit's passes
					// the processor of a unit this one is nested in (a
					// logcrumbs Middleware further out), which must learn
					// of it here, as RunJob tells the unit running it.
					prior, reported := unit.Of(ctx).ReportedAs(p)
					// The request in the hint's context, as sentryhttp
					// gives it, for a BeforeSend that reads it
					// (sentry.RequestContextKey); on the panic's path
					// only, which is rare.
					ev := esc.CapturePanic(context.WithValue(ctx, sentry.RequestContextKey, r), p, r.Method+" "+r.URL.Path)
					if ev.ID == "" && prior.ID != "" {
						// Reported already, by a job or a nested
						// Middleware it went on up through (or a
						// logger's Panic record): the request's event
						// too, for LastEventID and the EventIDHeader of
						// the 500, as a record capture once folds into
						// an earlier event is.
						trail.NoteEventNamed(prior)
					}
					if !opts.Recover {
						if ev.ID == "" {
							ev = prior
						}
						if ev.ID != "" || reported {
							unit.Of(parent).ReportedNested(p, ev)
						}
						panic(p)
					}
					if sw.responseStarted() || startedAbove(parent, sw.Header()) {
						panic(http.ErrAbortHandler) // too late for a 500
					}
					// No body follows: the headers the handler set for
					// the one it meant to write do not describe it (a
					// length would cut the 500 short; a cache, a browser
					// would keep or save it as that body). Others stay:
					// CORS, and Content-Encoding, a compressing
					// middleware's (as http.Error, go.dev/issue/66343).
					for _, k := range bodyHeaders {
						sw.Header().Del(k)
					}
					sw.WriteHeader(http.StatusInternalServerError) // with the panic's event ID, if asked
				}
			}()
			next.ServeHTTP(w, r)
			if sw != nil {
				// A handler that wrote nothing: net/http starts the
				// response itself, after this returns (an implicit 200),
				// with the headers as they are now.
				sw.start()
			}
		})
	}
}

// bodyPolicy is whether a client collects request bodies, remembered for
// the last client asked (a program has one): its DataCollection is fixed
// when it is made, and reading it copies it.
type bodyPolicy struct {
	client  *sentry.Client
	collect bool
}

var lastBodyPolicy atomic.Pointer[bodyPolicy]

// collectsBodies reports whether client c (nil when there is none) puts the
// body of an incoming request in its events.
func collectsBodies(c *sentry.Client) bool {
	if !c.IsEnabled() {
		return false
	}
	if p := lastBodyPolicy.Load(); p != nil && p.client == c {
		return p.collect
	}
	dc := c.GetDataCollection()
	p := &bodyPolicy{client: c, collect: dc.CollectHTTPBody(sentry.BodyIncomingRequest)}
	lastBodyPolicy.Store(p)
	return p.collect
}

// bodyHeaders are the headers of a response's body that a recovered
// panic's 500 (with none) does not keep: those http.ServeContent drops from
// its error answers but Content-Encoding, and the body's length, type, file
// name, range and expiry.
var bodyHeaders = [...]string{
	"Content-Length", "Content-Type", "Content-Disposition", "Content-Range",
	"Cache-Control", "Expires", "Etag", "Last-Modified",
}

// The canonical forms of sentry-go's trace header names, for header.
var (
	traceHeader   = http.CanonicalHeaderKey(sentry.SentryTraceHeader)
	baggageHeader = http.CanonicalHeaderKey(sentry.SentryBaggageHeader)
)

// header returns the first value of the header named key, which is in
// canonical form, as h.Get(key) does: h.Get canonicalizes its key, which
// allocates for a name that is not already canonical, as sentry-go's are.
func header(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

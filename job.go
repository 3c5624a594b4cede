package logcrumbs

import (
	"context"
	"fmt"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/eventref"
	"github.com/logcrumbs/logcrumbs/internal/policy"
	"github.com/logcrumbs/logcrumbs/internal/render"
	"github.com/logcrumbs/logcrumbs/internal/unit"
)

// JobOptions configure RunJob. The zero value gives the job a fresh trail
// and re-panics after reporting a panic.
type JobOptions struct {
	// Options shape the event of a panic, as they shape every event.
	Options

	// Child, when true, starts the job's trail with a copy of the records
	// of the trail ctx carries: for work a request hands on, so that the
	// job's events tell what led up to it. The copy is taken when RunJob
	// starts; in a goroutine that may be after the request ended and its
	// trail was emptied, so take the copy in the go statement, whose
	// arguments are evaluated before the goroutine starts:
	//
	//	go logcrumbs.RunJob(logcrumbs.NewChildContext(context.WithoutCancel(ctx)), "send-receipt",
	//		logcrumbs.JobOptions{Child: true}, sendReceipt)
	Child bool

	// Recover, when true, makes RunJob return a panic as an error (after
	// reporting it) instead of panicking again: one that wraps the panic
	// value if it is an error, and is the panic's event to the caller's
	// unit of work (logged there, it sends no second event).
	Recover bool
}

// RunJob runs fn as a unit of work that is not an HTTP request (a queue
// message, a cron run, a goroutine started for a request): fn gets a
// context with a trail of its own, and a Sentry hub of its own (a clone of
// the hub ctx carries, else of Options.Hub or sentry.CurrentHub()) with the
// tag "job" set to name, in the trace of the unit of work ctx belongs to
// (a request that runs the job), else in a trace of its own. A panic in fn is one event with the job's trail,
// then panics again or, with Recover, is returned as an error. RunJob
// returns fn's error, and empties the trail when fn returns. An error the
// job sent as an event (logged, or captured through its hub) and returns
// is that event in the unit of work of ctx too (or, when ctx belongs to
// none, as at the top of a consumer's loop, to the records logged without
// one): logged there again, as it is or wrapped, it sends no second event
// (capture once), and LastEventID of ctx names the job's. One whose event
// the client dropped (BeforeSend, sampling) is dropped there too: logged
// again, it is not offered again, and names no event.
//
// The context keeps ctx's values and its cancellation: for work that must
// outlive a request, pass context.WithoutCancel(ctx).
//
// A nil fn is the caller's mistake, not the job's: RunJob panics with an
// error that says so (with Recover, returns it), and sends no event.
func RunJob(ctx context.Context, name string, opts JobOptions, fn func(context.Context) error) (err error) {
	if fn == nil { // the caller's mistake: say so, before any unit of work begins
		err := fmt.Errorf("logcrumbs: RunJob %q was given a nil fn: pass the function the job runs", name)
		if !opts.Recover {
			panic(err)
		}
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	var t *buffer.Trail // a new one
	parent := buffer.FromContext(ctx)
	if opts.Child && parent != nil {
		t = parent.NewChild()
	}
	esc := newEscalator(opts.Options, "job")
	outer := unit.Of(ctx) // the unit of work that runs the job, if any
	ctx, t = begin(ctx, esc, opts.Hub, false, t, nil)
	defer t.Release()
	t.MarkAdopts() // one job's: a nested Middleware's events are its (see endNested)
	// handBack tells the trail the caller logs in (ctx's, or the fallback
	// trail at the top of a program: a consumer's loop) that err is the
	// job's event id: the caller logging it again, as it is or wrapped, is
	// the layer above the job's, and sends no second event (capture once).
	// An empty id is an event the client dropped (BeforeSend, sampling:
	// Trail.NotSent): the caller's log of err is folded into none, as an
	// upper layer's is in one unit of work, not offered again.
	// By the event's reference when it has one (an event of another unit
	// the job's record was deduplicated against may be in its client's
	// hands still, and dropped: then it names none here either).
	handBack := func(err error, ev eventref.Named) {
		switch {
		case parent == nil:
			// The fallback trail keeps each client's captures apart.
			owner := policy.ClientID(sentry.GetHubFromContext(ctx).Client())
			buffer.Fallback().HandBackNamed(owner, err, ev, time.Now())
		case parent != t:
			parent.HandBackNamed(nil, err, ev, time.Now())
		}
	}
	sentry.GetHubFromContext(ctx).Scope().SetTag("job", name)
	defer func() {
		if p := recover(); p != nil {
			prior, reported := unit.Of(ctx).ReportedAs(p) // a logger's Panic record's event
			id := esc.CapturePanic(ctx, p, "job "+name)
			// The unit running the job noted the event as it passed its
			// processor, before BeforeSend or a processor dropped it, and
			// never saw one the panic folded into (a logged error's,
			// capture once, or a logger's Panic record's) nor one not
			// sent at all (the rate limit). A panic going on up through
			// it is that event there (or none), not offered again; one
			// recovered here only takes back a dropped event's ID.
			// With its reference, if any: an earlier event the panic (or
			// the logger's Panic record) was folded into may be in its
			// client's hands still, and dropped.
			eid := id
			if id.ID == "" {
				eid = prior // "" when not reported
			}
			if !opts.Recover {
				outer.ReportedNested(p, eid)
				panic(p)
			}
			if eid.ID == "" {
				outer.NotSentNested(p)
			}
			err = &jobPanic{job: name, value: p}
			switch {
			case id.ID != "" || reported:
				// Its event, a logger's Panic record's, or "": one that
				// was not sent, whose panic the caller's log must not
				// offer again.
				handBack(err, eid)
			default:
				// Not sent: a panic with an error value whose event the
				// client dropped is that error's entry under no event
				// (a rate-limited one is forgotten), as for an error fn
				// returns; any other value's is not found here.
				if ev, captured := t.CapturedAsNamed(err); captured {
					handBack(err, ev)
				}
			}
		}
	}()
	err = fn(ctx)
	if !render.IsNil(err) {
		// captured: sent as id, or "" for an event the client dropped (a
		// rate-limited one is forgotten: not captured).
		if ev, captured := t.CapturedAsNamed(err); captured {
			handBack(err, ev)
		}
	}
	return err
}

// jobPanic is the error RunJob returns for a panic it recovered: it wraps
// the panic value when that is an error.
type jobPanic struct {
	job   string
	value any
}

func (e *jobPanic) Error() string {
	return fmt.Sprintf("logcrumbs: job %q panicked: %s", e.job, render.Text(e.value))
}

func (e *jobPanic) Unwrap() error {
	err, _ := e.value.(error)
	return err
}

// NewChildContext returns a copy of ctx with a new trail that starts with a
// copy of the records of the trail ctx carries (none if it carries none): for
// work that goes on beside or after the unit ctx belongs to, whose own
// records must not mix into the parent's trail. When ctx is a unit of
// work's (Middleware, RunJob, Bind), the child is one too, as Bind makes
// it, with a clone of the unit's hub (in the unit's trace): events other
// code captures through the hub of the returned context carry the child's
// trail, and capture-once holds between them and the child's logged
// errors. A logger's panic-level record logged with the child on the unit's
// goroutine (zap's Panic) is the report of the panic that goes on up to the
// unit's Middleware or RunJob: one event.
func NewChildContext(ctx context.Context) context.Context {
	parent := buffer.FromContext(ctx)
	if parent == nil {
		return NewContext(ctx)
	}
	child := parent.NewChild()
	if hub := unit.HubOf(ctx); hub != nil && sentry.GetHubFromContext(ctx) == hub {
		if unit.UnitTrail(ctx).Adopts() {
			// A child of one request's or job's unit is that request's
			// work too: a RunJob begun in it keeps the trace (see begin),
			// as one begun in the request's own context does.
			child.MarkAdopts()
		}
		return unit.BindChild(ctx, hub.Clone(), child, unit.BuilderOf(ctx))
	}
	return buffer.NewContext(ctx, child)
}

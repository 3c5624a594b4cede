// Package escalate is the capture sequence, in one place: every record
// that becomes an event goes capture-once (its trail), then noise control
// (dedupe and rate limit, internal/policy), then is built
// (internal/event), handed to the client and recorded (policy's delivery
// and summaries, the unit's panic); every record kept as a breadcrumb goes
// through Keep (EscalateIf, Sentry Logs pass-through). An Escalator holds
// one integration's normalized options.
package escalate

import (
	"context"
	"fmt"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
	"github.com/logcrumbs/logcrumbs/internal/event"
	"github.com/logcrumbs/logcrumbs/internal/eventref"
	"github.com/logcrumbs/logcrumbs/internal/policy"
	"github.com/logcrumbs/logcrumbs/internal/render"
	"github.com/logcrumbs/logcrumbs/internal/stats"
	"github.com/logcrumbs/logcrumbs/internal/unit"
)

// eventIDKey names the breadcrumb data entry that links an error record to
// the event it was sent as, or to the earlier event of the same error.
const eventIDKey = buffer.EventIDKey

const defaultFallbackWindow = 10 * time.Second

// Options are logcrumbs.Options, field for field (the integrations convert
// with escalate.Options(opts.Options); the compiler keeps the two in step).
// They are repeated here so that this package need not import the root
// package, which uses it for its middleware.
type Options struct {
	Hub                   *sentry.Hub
	LoggerName            string
	TagKeys               []string
	FingerprintKey        string
	UserKey               string
	RequireError          bool
	BreadcrumbLimits      buffer.Limits
	EventLimits           buffer.Limits
	FallbackCaptureWindow time.Duration
	DedupeWindow          time.Duration
	EscalateIf            func(Record) bool
	PassThroughLevel      sentry.Level
	LogsOnEvent           bool
	SecretKeys            []string
	Scrub                 func(key string, value any) any
}

// Record is logcrumbs.Record: the same interface literal, so that the two
// Options convert.
type Record = interface {
	SentryLevel() sentry.Level
	Message() string
	Lookup(path string) (any, bool)
	Errors() []error
}

// escalates reports whether rec, kept as a breadcrumb, must be sent as an
// event too (Options.EscalateIf). A panic in the predicate counts as no.
func (e *Escalator) escalates(rec *buffer.Record) (yes bool) {
	if e.opts.EscalateIf == nil {
		return false
	}
	defer func() {
		if recover() != nil {
			stats.UserPanics.Add(1)
			yes = false
		}
	}()
	return e.opts.EscalateIf(rec)
}

// Keep keeps rec, a record below the event level with its errors (gathered
// only when CollectsBreadcrumbErrors), in the trail of ctx; or sends it as
// an event when Options.EscalateIf picks it; and, once the trail has sent
// an event, also to Sentry Logs when it is at or above
// Options.PassThroughLevel. It takes ownership of rec.
func (e *Escalator) Keep(ctx context.Context, rec *buffer.Record, errs []error) {
	if e.opts.EscalateIf != nil && e.escalatesWith(rec, errs) {
		e.Capture(ctx, rec, errs)
		return
	}
	trail := buffer.For(ctx)
	if e.passThrough >= 0 && rec.Level >= e.passThrough && !rec.Logged && trail.Escalated() {
		e.SendLog(ctx, rec)
	}
	rec.ReleaseErrors() // errs may be on rec's storage (see Record.ErrorsSlot)
	trail.Append(rec)
}

// PassesThroughIn reports whether a record of level below the event level
// goes to Sentry Logs for Options.PassThroughLevel in the trail of ctx (see
// passesThrough): then it is to be made within the event limits and kept
// by KeepLogged, so that its log holds what the Logs level would send,
// and its breadcrumb what Keep would keep. The trail is looked up only for
// a record at or above the level.
func (e *Escalator) PassesThroughIn(ctx context.Context, level buffer.Level) bool {
	return e.passThrough >= 0 && level >= e.passThrough && buffer.For(ctx).Escalated()
}

// passesThrough reports whether a record of level in trail also goes to
// Sentry Logs for Options.PassThroughLevel: at or above it, in a trail
// that sent an event.
func (e *Escalator) passesThrough(trail *buffer.Trail, level buffer.Level) bool {
	return e.passThrough >= 0 && level >= e.passThrough && trail.Escalated()
}

// escalatesWith reports whether Options.EscalateIf, which is set, picks
// rec with its errors errs.
func (e *Escalator) escalatesWith(rec *buffer.Record, errs []error) bool {
	rec.Expand() // the predicate reads the fields
	rec.SetErrors(errs)
	escalates := e.escalates(rec)
	rec.SetErrors(nil)
	return escalates
}

// KeepLogged is Keep for a record that also goes to Sentry Logs (the
// integration's Logs level, or Options.PassThroughLevel: see
// PassesThroughIn), made within the event limits: it sends rec
// there and keeps it, within the breadcrumb limits; or, when
// Options.EscalateIf picks it, sends it as an event that sends rec to
// Logs itself, after the trail that led to it (Options.LogsOnEvent: see
// capture's logs). It takes ownership of rec.
func (e *Escalator) KeepLogged(ctx context.Context, rec *buffer.Record, errs []error) {
	if e.opts.EscalateIf != nil && e.escalatesWith(rec, errs) {
		e.capture(ctx, e.SenderOf(ctx), rec, errs, nil, event.Site{}, true)
		return
	}
	// Sent and marked, as Keep's pass-through would send it.
	e.SendLog(ctx, rec)
	rec.ReleaseErrors() // errs may be on rec's storage (see Record.ErrorsSlot)
	if !rec.Relimit(e.breadcrumbLimits, 0, 0, "") {
		b := copyRecord(rec, e.breadcrumbLimits)
		buffer.Put(rec)
		rec = b
	}
	buffer.For(ctx).Append(rec)
}

// Fills reports whether a breadcrumb of level may be kept in trail, the
// trail of its context, by filling it there under the trail's lock
// (buffer.Trail.AppendFilled): what Keep does with a record built
// beforehand, when nothing needs to read the record before it is kept. It
// may not, and the caller builds the record and calls Keep, when
// Options.EscalateIf must see the record, or the record goes to Sentry
// Logs too (Options.PassThroughLevel, once the trail has sent an event).
// It is inlined where it is called, with no call of its own but the
// atomic load of Escalated: as a method that also appended, it cost a
// call layer per breadcrumb (cachegrind).
func (e *Escalator) Fills(trail *buffer.Trail, level buffer.Level) bool {
	return e.opts.EscalateIf == nil && (e.passThrough < 0 || level < e.passThrough || !trail.Escalated())
}

// SendLog sends rec to Sentry Logs through the hub of ctx, with the trace
// of ctx (its span, else the hub's propagation context), and marks it as
// sent, its deferred fields parsed first (see buffer.Record.Defer). It
// does not take rec.
func (e *Escalator) SendLog(ctx context.Context, rec *buffer.Record) { e.sendLogOf(ctx, rec, "") }

// sendLogOf is SendLog for an error record that names no event itself
// yet: its log names the event id (not ""), which it was sent as, or
// folded into (see event.Builder.SendLog).
func (e *Escalator) sendLogOf(ctx context.Context, rec *buffer.Record, id string) {
	rec.Expand()
	hub, onCtx := e.hubOf(ctx)
	e.build.SendLog(ctx, hub, onCtx, rec, false, id)
	rec.Logged = true
}

// logsOnEvent sends to Sentry Logs, for Options.LogsOnEvent, the records of
// trail not sent there yet, then rec, the event's own record, naming its
// event id: what led up to the event, with the event's trace (the same ctx
// and hub). The records
// are marked, so that a second event of the unit sends only the newer ones.
// The fallback trail is no unit of work's: its records are not sent.
func (e *Escalator) logsOnEvent(ctx context.Context, hub *sentry.Hub, trail *buffer.Trail, rec *buffer.Record, id string) {
	if !e.opts.LogsOnEvent || trail == buffer.Fallback() {
		return
	}
	onCtx := ctx != nil && sentry.GetHubFromContext(ctx) == hub
	var arr [buffer.DefaultCapacity]*buffer.Record
	recs := trail.TakeUnlogged(arr[:0])
	for _, r := range recs {
		e.build.SendLog(ctx, hub, onCtx, r, true, "") // a breadcrumb names its event itself
	}
	buffer.PutAll(recs)
	if !rec.Logged {
		e.build.SendLog(ctx, hub, onCtx, rec, false, id)
		rec.Logged = true
	}
}

// CollectsBreadcrumbErrors reports whether the integrations must gather a
// breadcrumb's errors (for EscalateIf).
func (e *Escalator) CollectsBreadcrumbErrors() bool { return e.opts.EscalateIf != nil }

// Escalator holds the normalized shared options of one integration. It is
// immutable but for what it remembers of its repeats, and safe for
// concurrent use.
type Escalator struct {
	opts             Options
	breadcrumbLimits buffer.Limits
	eventLimits      buffer.Limits
	dedupeWindow     time.Duration // <= 0: off
	passThrough      buffer.Level  // < 0: off
	build            *event.Builder
	proc             *policy.Process // noise control, clients, delivery
	repeats          policy.RepeatMemo
}

// New returns an Escalator for opts. defaultLogger is the integration's name
// for its logger, used when opts.LoggerName is empty. It changes no
// process-wide policy: the integration registers its Options.UserKey
// (policy.Process.RegisterUserKey) when it is built.
func New(opts Options, defaultLogger string) *Escalator {
	if opts.LoggerName == "" {
		opts.LoggerName = defaultLogger
	}
	if opts.UserKey == "" {
		opts.UserKey = "user"
	}
	if opts.FallbackCaptureWindow <= 0 {
		opts.FallbackCaptureWindow = defaultFallbackWindow
	}
	e := &Escalator{
		opts:             opts,
		breadcrumbLimits: opts.BreadcrumbLimits.WithDefaults(buffer.DefaultBreadcrumbLimits),
		eventLimits:      opts.EventLimits.WithDefaults(buffer.DefaultEventLimits),
		dedupeWindow:     opts.DedupeWindow,
		proc:             policy.Default(),
	}
	if e.dedupeWindow == 0 {
		e.dedupeWindow = policy.DefaultDedupeWindow
	}
	e.passThrough = buffer.LevelOfSentry(opts.PassThroughLevel)
	e.build = event.NewBuilder(opts.TagKeys, opts.FingerprintKey, opts.UserKey, opts.SecretKeys, opts.Scrub)
	return e
}

// Builder returns the builder of the integration's events, or nil for a
// nil e (event.Default builds then).
func (e *Escalator) Builder() *event.Builder {
	if e == nil {
		return nil
	}
	return e.build
}

// LoggerName returns the logger name records should carry.
func (e *Escalator) LoggerName() string { return e.opts.LoggerName }

// BreadcrumbLimits returns the limits for records kept in a trail.
func (e *Escalator) BreadcrumbLimits() buffer.Limits { return e.breadcrumbLimits }

// EventLimits returns the limits for records that become events.
func (e *Escalator) EventLimits() buffer.Limits { return e.eventLimits }

// Hub returns the hub that sends ctx's events: the context's own, else the
// options', else the current hub.
func (e *Escalator) Hub(ctx context.Context) *sentry.Hub {
	hub, _ := e.hubOf(ctx)
	return hub
}

// hubOf is Hub, and whether ctx carries that hub: when it does not, the hub
// is one that lives as long as e (what event.Builder.SendLog needs to know,
// which would otherwise walk ctx for it again).
func (e *Escalator) hubOf(ctx context.Context) (hub *sentry.Hub, onCtx bool) {
	if ctx != nil {
		if h := sentry.GetHubFromContext(ctx); h != nil {
			return h, true
		}
	}
	if e.opts.Hub != nil {
		return e.opts.Hub, false
	}
	return sentry.CurrentHub(), false
}

// Capture sends rec, built with EventLimits, as an event carrying errs and
// the trail of ctx, and keeps a breadcrumb of it in that trail. It takes
// ownership of rec, whose fields may be deferred (see MayRepeat).
//
// It sends nothing, and keeps rec as an error breadcrumb, when the hub has no
// client, when RequireError is set and errs is empty, or when every error in
// errs was already sent from this trail (capture-once; the breadcrumb then
// names the earlier event). It never panics: a panic in user code it calls
// (Error, Unwrap, BeforeSend, BeforeBreadcrumb) drops the event and keeps the
// breadcrumb.
//
// It returns the ID of the event it sent, or "".
func (e *Escalator) Capture(ctx context.Context, rec *buffer.Record, errs []error) (id string) {
	id, _ = e.capture(ctx, e.SenderOf(ctx), rec, errs, nil, event.Site{}, false)
	return id
}

// CaptureAt is Capture through s, SenderOf(ctx), for a record whose call
// site its caller found (event.LogCallSite), or the zero Site for none.
// It also returns the reference of the event id names, if any: an
// earlier event rec was folded into may be in its client's hands still,
// and dropped (see eventref), as the panic a logger raises after rec is
// then (unit.NotePanic). With logs, rec also goes to Sentry Logs (the
// integration's Logs level), whatever becomes of the event: after the
// trail that led to it, when the event sends it (Options.LogsOnEvent).
func (e *Escalator) CaptureAt(ctx context.Context, s Sender, rec *buffer.Record, errs []error, site event.Site, logs bool) (id string, ref *eventref.Ref) {
	return e.capture(ctx, s, rec, errs, nil, site, logs)
}

// Sender is the trail of a context (buffer.For) and the hub that sends
// its events (Escalator.Hub), with its client once read (WithClient),
// looked up once for MayRepeat, NeedsSite, SkipRepeat and CaptureAt: each
// look-up walks the context, and the second of each was about 300
// instructions of a skipped zerolog repeat (cachegrind,
// ZerologRepeat/hook). SkipRepeat does without the client: reading it
// takes two of the hub's read locks, four atomic operations, a tenth of a
// skipped zerolog repeat's time (CPU profile of ZerologRepeat/hook).
type Sender struct {
	trail  *buffer.Trail
	hub    *sentry.Hub
	client *sentry.Client // nil: not read, or none (read again then: rare)
}

// Trail returns the trail of s's context.
func (s Sender) Trail() *buffer.Trail { return s.trail }

// SenderOf returns the Sender of ctx, its client read.
func (e *Escalator) SenderOf(ctx context.Context) Sender { return e.SenderWith(ctx, nil).WithClient() }

// SenderWith is SenderOf with the trail of ctx (buffer.For) looked up
// already, or nil: a bound logger's (core.Entry.Trail) is not looked up
// again (cachegrind, ZerologRepeat/writer: about 35 instructions). Its
// client is not read: SkipRepeat does without it, and NeedsSite and
// CaptureAt read it if WithClient did not.
func (e *Escalator) SenderWith(ctx context.Context, trail *buffer.Trail) Sender {
	if trail == nil {
		trail = buffer.For(ctx)
	}
	return Sender{trail: trail, hub: e.Hub(ctx)}
}

// WithClient returns s with its hub's client read, once.
func (s Sender) WithClient() Sender {
	if s.client == nil {
		s.client = s.hub.Client()
	}
	return s
}

// MayRepeat reports whether a record with errors sent through s (the
// Sender of its context) is likely a capture-once repeat: its trail has skipped one already (repeats come
// in runs). Capture reads a record's fields only when it sends it as an
// event, or keys a repeat by them (Options.FingerprintKey), so that a
// caller may then hand it a record whose fields are deferred
// (buffer.Record.Defer), with its errors gathered: a skipped repeat keeps
// them deferred in its breadcrumb, parsed only if read, unless they could
// read otherwise there (see buffer.Record.AppendRecord). It is
// a hint, not a promise: a record handed over deferred reads the same
// either way, and one that is sent costs a scan for its errors more.
// Asking whether the trail sent an event before made the events of a
// unit that had sent one (ZerologEvent/hook-trail20) 2,500 instructions
// dearer each.
func (e *Escalator) MayRepeat(s Sender) bool { return s.trail.Repeated() }

// NeedsSite reports whether Capture may need the call site of a record
// without a program counter sent through s: its key is the call site (no
// Options.FingerprintKey), and its hub has a client (else nothing is
// sent, and the rare repeat counted then finds its site itself:
// unbound). Its caller may then find the site for CaptureAt.
func (e *Escalator) NeedsSite(s Sender) bool {
	return e.build.SiteKeyed() && s.WithClient().client.IsEnabled()
}

// SiteKeyed reports whether a record's key is its call site (no
// Options.FingerprintKey): SkipRepeat may then skip a repeat found there.
func (e *Escalator) SiteKeyed() bool { return e.build.SiteKeyed() }

// capture is Capture; a non-nil recovered is the panic value the event
// reports, which makes it unhandled and tells Units about it; a non-empty
// site is rec's call site (see CaptureAt); s is the Sender of ctx. ref is
// the reference of the event id names, if it has one (see CaptureAt).
// With logs, rec goes to Sentry Logs too: once the event is sent, by
// logsOnEvent after the trail that led to it, when LogsOnEvent sends that
// (sent first, the error's log came before its causes in the Logs view:
// sentry-go stamps a log when it is handed over, and batches logs in that
// order); else, whatever the outcome, before its breadcrumb is kept.
// A record at or above Options.PassThroughLevel of a trail that sent an
// event before it goes to Sentry Logs so too, as Keep sends a
// breadcrumb's.
func (e *Escalator) capture(ctx context.Context, s Sender, rec *buffer.Record, errs []error, recovered any, site event.Site, logs bool) (id string, ref *eventref.Ref) {
	s = s.WithClient()
	trail := s.trail
	logs = logs || e.passesThrough(trail, rec.Level)
	var handover policy.Handover
	// newID is made only for an event that is not a capture-once repeat,
	// with its reference newRef (which the unit's other goroutines, and other
	// units deduplicated against it, may name while the client decides
	// it); sent is set once the client took it.
	var newID string
	var newRef *eventref.Ref
	sent := false
	// named is the reference of the event id names, if any: the
	// breadcrumb and the trail's last event name it by it (a repeat's
	// earlier event may be in its client's hands still, and dropped).
	var named *eventref.Ref
	// key is the event's fingerprint key once noise control admitted it
	// and kept it as its fingerprint's event (admitted), as newID.
	var key string
	admitted := false
	defer func() {
		panicked := recover() != nil
		// Nothing once Done; else CaptureEvent panicked, or ended its
		// goroutine (runtime.Goexit): no outcome will come, and Flush must
		// not wait for it.
		handover.Abandon()
		if panicked {
			stats.EventsFailed.Add(1)
			if !sent {
				// Not sent (the user's BeforeSend panicked): capture-once
				// keeps errs, as for a dropped event, under no event, so
				// that their repeats name none and LastEventID is not it;
				// nor does what named it meanwhile.
				newRef.Drop()
				trail.NotSent(newID)
				if admitted {
					// Dedupe too: the fingerprint's repeats are those of
					// a dropped event, which name none.
					e.proc.Sent(key, newID, s.client, nil, false)
				}
			}
			id = ""
		}
		rec.ReleaseErrors() // errs may be on rec's storage (see Record.ErrorsSlot)
		if logs && !rec.Logged {
			// Not sent by logsOnEvent. Marked before its breadcrumb is
			// made, so that LogsOnEvent does not send it again. Naming
			// the event it was sent as, or folded into, as its
			// breadcrumb will (and as LogsOnEvent sends a breadcrumb):
			// none if that event was dropped meanwhile.
			e.sendLogOf(ctx, rec, eventref.Name(id, named))
		}
		// Noted if sent, or folded into an earlier event (logcrumbs.LastEventID).
		b := e.breadcrumbOf(rec, id)
		ref = nil
		if id != "" && named != nil {
			b.SetEvent(named)
			ref = named
		}
		trail.AppendEvent(b, id)
		if b != rec {
			buffer.Put(rec)
		}
	}()
	hub, client := s.hub, s.client
	if !client.IsEnabled() {
		if recovered == nil {
			id, named = e.unbound(trail, rec, errs, site)
		}
		return id, nil
	}
	if e.opts.RequireError && len(errs) == 0 {
		return "", nil
	}
	// Made by newEvent, for an event that is not a capture-once repeat.
	var now time.Time
	newEvent := func() eventref.Named {
		newRef, now, key = e.newEvent(client, rec, errs, site)
		newID = newRef.ID()
		return eventref.Of(newRef)
	}
	var v policy.Verdict
	if len(errs) == 0 {
		newEvent()
		v = e.proc.AdmitEvent(client, key, now, e.dedupeWindow, newRef)
	} else {
		var window time.Duration
		var owner any
		if trail == buffer.Fallback() { // shared by every client: keep them apart
			// By the client's number, not the client: the process-wide
			// trail would keep up to 32 clients the program dropped alive.
			window, owner = e.opts.FallbackCaptureWindow, policy.ClientID(client)
		}
		// The earlier event's ID, or the new one errs are remembered under
		// as noise control settled it: under the trail's lock, so that the
		// unit's other goroutines never find errs under an ID noise control
		// deduplicated or dropped (their breadcrumbs would name it, and
		// their repeats be counted under an event it does not know). Noise
		// control's lock takes no trail's, and Admit calls no user code.
		once, first := trail.CaptureOnceSettled(owner, errs, newEvent, rec.When(), window, func(id eventref.Named) (eventref.Named, bool) {
			v = e.proc.AdmitEvent(client, key, now, e.dedupeWindow, id.Ref)
			return settled(v, id)
		})
		if !first {
			earlier := once.ID
			named = once.Ref
			if recovered != nil {
				unit.Of(ctx).Sent(recovered, once)
			}
			// Counted if it repeats its own fingerprint's event (a hot loop),
			// not when an upper layer logs the error again. "": that event
			// was dropped (NotSent), and so are its repeats. A record like
			// the integration's last repeat goes to its entry without its
			// key (see policy.RepeatMemo). (A record that found errs only
			// once its key was built, another goroutine of the unit having
			// captured them meanwhile, builds it again: a rare race.) The
			// key is that of the client the event went to, which the hub
			// may no longer hold (sentry.Init again): its repeats are
			// counted on its entry, and summarized through that client.
			if earlier != "" {
				keyClient := once.Ref.Client()
				if keyClient == 0 { // an event known by its ID alone
					keyClient = policy.ClientID(client)
				}
				e.countRepeat(keyClient, rec, errs, earlier, site, buffer.Spread(trail, policy.RepeatLaneBits))
			}
			return earlier, nil
		}
	}
	// Sent does nothing for an event noise control did not keep
	// (deduplication off, or no room in its table): not called, it builds
	// no summary (two allocations) to throw away.
	admitted = v.Send && v.Kept
	if v.Send {
		named = newRef
	}
	if !v.Send {
		earlier := v.Earlier
		if v.EarlierDropped { // a repeat of an event the client dropped: no event
			earlier = ""
		}
		named = v.EarlierRef // the client may be deciding it still
		if recovered != nil {
			unit.Of(ctx).Sent(recovered, eventref.Named{ID: earlier, Ref: named})
		}
		return earlier, nil
	}
	conf := e.proc.Conf(client)
	ev := e.build.Event(rec, errs, trail, conf)
	ev.EventID = sentry.EventID(newID)
	if v.Repeats > 0 {
		if ev.Contexts == nil {
			ev.Contexts = map[string]sentry.Context{}
		}
		ev.Contexts[policy.RepeatsKey] = policy.RepeatsContext(v)
	}
	// The hint and the scope escape into the client: one allocation for both.
	pass := &struct {
		hint  sentry.EventHint
		scope event.MergeScope
	}{hint: sentry.EventHint{Context: ctx, RecoveredException: recovered, Data: policy.Ours{}}}
	if len(errs) > 0 {
		pass.hint.OriginalException = errs[0]
	}
	if recovered != nil {
		event.MarkUnhandled(ev)
	}
	var span *sentry.Span
	if ctx != nil { // zap and zerolog records may have none
		span = sentry.SpanFromContext(ctx)
	}
	// The fingerprint counts as sent even when the client drops the event
	// (BeforeSend, sampling): its repeats are the same event, and a hot loop
	// must not build every one of them.
	handover = e.proc.HandingOver(client, ev.EventID) // first: sentry-go may deliver it before CaptureEvent returns
	pass.scope = event.MergeScope{Scope: hub.Scope(), Span: span, Conf: conf}
	sentID := client.CaptureEvent(ev, &pass.hint, &pass.scope)
	sent = sentID != nil
	handover.Done(sentID)
	// The summary of its repeats is read from the event as sent, with what
	// the scope gave it (and BeforeSend, when it changed the event in
	// place); read only, as the transport may be encoding it. An event the
	// client dropped (BeforeSend, an event processor, sampling) has none:
	// the summary would go through BeforeSend without the original error
	// in its hint, and past the scope's processors, and reach Sentry.
	if sentID == nil {
		// Dropped (BeforeSend, a processor): first marked, so that what
		// named it while the client decided (the unit's other goroutines'
		// repeats, other units deduplicated against it: their breadcrumbs,
		// capture-once entries and last events) names no event from now
		// on, without a lock held across the user's code or a walk over
		// them; and so that a verdict of noise control before Sent below
		// sees it dropped.
		newRef.Drop()
	}
	if admitted {
		e.proc.Sent(key, newID, client, ev, sentID != nil)
	}
	if sentID == nil {
		// A record capture-once folds into it later must not name it, nor
		// make it LastEventID (the entries' mark says so already; NotSent
		// lets their reference go).
		trail.NotSent(newID)
		stats.EventsFailed.Add(1)
		return "", nil
	}
	// Options.PassThroughLevel: the unit has sent an event. One the client
	// dropped (BeforeSend filtering an error type, sampling) is none. The
	// fallback trail is no unit of work: one event of it would make every
	// later record of the process without one a Sentry Log (LogsOnEvent
	// leaves it out too).
	if trail != buffer.Fallback() {
		trail.MarkEscalated()
	}
	e.logsOnEvent(ctx, hub, trail, rec, newID)
	stats.EventsSent.Add(1)
	return newID, nil
}

// newEvent makes what rec needs, as an event that is not a capture-once
// repeat, before noise control sees it: its ID, its time and its key
// (see capture), which read rec's fields. Until then, they may be
// deferred (see MayRepeat), and a skipped repeat's breadcrumb keeps them
// so (breadcrumbOf). Not inlined: capture's code, whose tables
// runtime.Callers decodes for the event's stack, stays as small as it was.
//
//go:noinline
func (e *Escalator) newEvent(client *sentry.Client, rec *buffer.Record, errs []error, site event.Site) (ev *eventref.Ref, now time.Time, key string) {
	rec.Expand()
	// Most keys fit: built here, a key allocates only as a string.
	var keyBuf [256]byte
	id := policy.ClientID(client)
	key = string(e.build.AppendFingerprintKeyAt(keyBuf[:0], id, rec, errs, site.Text))
	return eventref.NewFor(id), time.Now(), key
}

// settled is what capture-once remembers the errors of the event id under,
// once noise control decided v for it (see buffer.Trail.CaptureOnceSettled):
// id when it is sent; the earlier event it repeats when deduplicated;
// when that event was dropped by its client (BeforeSend, an event
// processor), no event: the errors stay captured, so that the bug is not
// offered again when an upper layer logs it, but their repeats name none
// (buffer.Trail.NotSent); and not at all when the rate limit dropped it.
func settled(v policy.Verdict, id eventref.Named) (as eventref.Named, keep bool) {
	switch {
	case v.Send:
		return id, true
	case v.EarlierDropped:
		return eventref.Named{}, true
	default:
		// The earlier event with its reference: its client may be
		// deciding it still, and drop it.
		return eventref.Named{ID: v.Earlier, Ref: v.EarlierRef}, v.Earlier != ""
	}
}

// SkipRepeat does what capture does with a record that capture-once skips
// and counts by its RecordID on the entry its integration's last repeat was
// counted on (see policy.RepeatMemo), and keeps in place as its breadcrumb
// (breadcrumbOf, when Relimit takes it), without the record: c says what
// the record would be (an event record, its fields deferred), with
// c.Limits, c.EventLimits, c.Key and c.ID left for SkipRepeat to set; errs
// are its errors, siteRet its site's return address (Site.Ret), s the
// Sender of its context, lane the lane its repeat is counted in (see
// policy.RecordID.Lane). It reports whether it did; when it did not, it
// changed nothing, and the caller builds the record for CaptureAt, which
// answers as SkipRepeat would have, or otherwise (a trail's answer may
// change meanwhile, as between CaptureAt's own steps). Only the common
// case is taken: one error, a trail that is a unit of work's (the
// fallback trail's capture-once is by client and window), capture-once
// answered by the trail's last look-up (buffer.Trail.AppendRepeatOf), an
// earlier event that was sent, a record whose names and fields Relimit
// takes whole (buffer.Repeat.Fits). A skipped zerolog repeat's record
// from the pool, its relimiting, capture's steps around them and the
// dropped record given back to the pool were about 500 of the 3,450
// instructions it cost beyond zerolog's own (cachegrind,
// ZerologRepeat/hook).
//
// It reads no client (see Sender): a repeat of an event that was sent is
// counted on that event's entry (see policy.RepeatMemo), whichever client
// the hub holds now, and its breadcrumb names the event even once the
// program unbound the client, as capture's does then (unbound),
// sending nothing.
func (e *Escalator) SkipRepeat(s Sender, c *buffer.Repeat, errs []error, siteRet uintptr, lane int) bool {
	trail := s.trail
	if len(errs) != 1 || siteRet == 0 || trail == buffer.Fallback() || e.passesThrough(trail, c.Level) {
		// A repeat for Options.PassThroughLevel goes to Sentry Logs:
		// built, by capture.
		return false
	}
	var id policy.RecordID
	if !e.build.SetRecordID(&id, nil, c.Logger, errs, siteRet) { // no client: see policy.RecordID
		return false
	}
	id.Lane = lane
	c.EventLimits, c.Limits, c.Key = e.eventLimits, e.breadcrumbLimits, eventIDKey
	// Counted under the trail's lock, with the look-up and the append:
	// noise control's lock takes no trail's, and counting cannot panic.
	return trail.AppendRepeatOf(errs[0], c, func(earlier string) bool {
		return e.proc.RepeatRemembered(&e.repeats, earlier, &id)
	})
}

// unbound is capture of rec while the hub has no client: a repeat of the
// event the trail sent last names it, as SkipRepeat, which reads no
// client, does, and it returns that event. It is counted as a repeat is
// while the hub holds a client, on that event's entry, keyed by the client
// the event went to (countRepeat): for every logger, not only for those
// whose memo finds the entry. A record without a program counter gets its
// call site here, which its core looks for only when the hub has a client
// (NeedsSite). An event known by its ID alone (no reference) names no
// client: its repeats are not counted while unbound. Out of capture, whose
// code runtime.Callers decodes for every event's stack.
//
//go:noinline
func (e *Escalator) unbound(trail *buffer.Trail, rec *buffer.Record, errs []error, site event.Site) (string, *eventref.Ref) {
	if len(errs) != 1 || trail == buffer.Fallback() {
		return "", nil
	}
	once, ok := trail.LastRepeatOf(errs[0])
	if !ok {
		return "", nil
	}
	if client := once.Ref.Client(); client != 0 {
		if rec.PC == 0 && site.Text == "" && e.build.SiteKeyed() {
			site = event.LogCallSite()
		}
		e.countRepeat(client, rec, errs, once.ID, site, buffer.Spread(trail, policy.RepeatLaneBits))
	}
	return once.ID, once.Ref
}

// countRepeat counts a capture-once hit of the event earlier by rec on the
// fingerprint entry of its key with the client of number client: by its
// RecordID when it has one (see policy.RepeatMemo), on the entry the
// integration's last repeat was counted on if rec has the identity of that
// repeat's record, else by its key, remembering the key's entry; without a
// RecordID, by its key. A function of its own, kept out of capture so
// that capture's code for records without a pc, whose key reads the stack
// (callSite), stays as it was: runtime.Callers measured 9% slower for zap
// when capture also held this path (its frame's tables are decoded for
// every frame it reads).
//
//go:noinline
func (e *Escalator) countRepeat(client uint64, rec *buffer.Record, errs []error, earlier string, site event.Site, lane int) {
	var keyBuf [256]byte // most keys fit: built here, a key allocates only as a string
	id, ok := e.build.RecordID(client, rec, errs, site.Ret)
	id.Lane = lane
	if !ok {
		rec.Expand() // the key may read the fields (Options.FingerprintKey)
		e.proc.Repeat(e.build.AppendFingerprintKeyAt(keyBuf[:0], client, rec, errs, site.Text), earlier)
		return
	}
	if !e.proc.RepeatRemembered(&e.repeats, earlier, &id) {
		e.proc.RepeatNoted(&e.repeats, e.build.AppendFingerprintKeyAt(keyBuf[:0], client, rec, errs, site.Text), earlier, id)
	}
}

// breadcrumbOf returns the breadcrumb of the event rec became, noted with
// its id: rec itself when it is within the breadcrumb limits as it stands
// (most are: a skipped repeat's copy was a sixth of its cost), else a copy
// within them, so that an event's large record never sits in a trail. rec's
// errors must have been released.
func (e *Escalator) breadcrumbOf(rec *buffer.Record, id string) *buffer.Record {
	extraBytes, extraAttrs, absent := 0, 0, ""
	if id != "" {
		extraBytes, extraAttrs, absent = len(eventIDKey)+len(id), 1, eventIDKey
	}
	// The ID is noted last, not first as in a copy: the same breadcrumb
	// only when rec has no entry of its key (see Relimit).
	if rec.Relimit(e.breadcrumbLimits, extraBytes, extraAttrs, absent) {
		if id != "" {
			// Before the fields a skipped repeat keeps encoded, if any.
			rec.AddEventID(id)
		} else {
			rec.NoEventID()
		}
		return rec
	}
	return copyBreadcrumb(rec, e.breadcrumbLimits, id)
}

// copyBreadcrumb copies rec within lim, with id noted first, for
// breadcrumbOf.
func copyBreadcrumb(rec *buffer.Record, lim buffer.Limits, id string) *buffer.Record {
	b := startCopy(rec, lim, len(eventIDKey)+len(id), 1)
	if id != "" {
		b.AddEventID(id)
	} else {
		b.NoEventID()
	}
	b.AppendRecord(rec)
	b.CloseAll()
	return b
}

// copyRecord copies rec, a record below the event level, within lim.
func copyRecord(rec *buffer.Record, lim buffer.Limits) *buffer.Record {
	b := startCopy(rec, lim, 0, 0)
	b.AppendRecord(rec)
	b.CloseAll()
	return b
}

// startCopy starts a copy of rec within lim, with room for extraBytes and
// extraAttrs more, up to rec's fields.
func startCopy(rec *buffer.Record, lim buffer.Limits, extraBytes, extraAttrs int) *buffer.Record {
	b := buffer.Get(rec.When(), rec.Level, lim)
	// A record new from the pool would otherwise grow a few times over.
	b.Grow(rec.Bytes()+extraBytes, rec.Len()+extraAttrs)
	b.SetNamesOf(rec) // copies bytes: no string is made of them
	b.Logged = rec.Logged
	return b
}

// CapturePanic sends the panic p, recovered in the unit of work of ctx, as
// one unhandled event of level fatal that carries the trail of ctx: its
// error chain if p is an error, else its text as an exception of type
// "panic", with the stack of the panic. what names the unit ("GET /orders",
// "job send-email"). It sends nothing if the unit's hub already reported p,
// and returns the event's ID or "", with its reference if it has one (an
// earlier event p was folded into may be in its client's hands still, and
// dropped: see eventref).
func (e *Escalator) CapturePanic(ctx context.Context, p any, what string) eventref.Named {
	u := unit.Of(ctx)
	if u.Reported(p) {
		return eventref.Named{}
	}
	// A logger's panic value that is not its record's message (logrus'
	// *Entry) reads as the message (unit.NotePanicText).
	text, noted := u.PanicText(p)
	if !noted {
		// Not with fmt alone: a value that holds itself overflows the
		// stack (see render.Text).
		text = render.Text(p)
	}
	err, ok := p.(error)
	switch {
	case noted:
		err = &event.TextError{Text: text, Type: "panic"}
	case !ok || render.IsNil(err):
		err = &event.TextError{Text: text, Type: "panic"}
	}
	rec := buffer.Get(time.Now(), buffer.LevelFatal, e.eventLimits)
	rec.SetLogger(e.LoggerName())
	rec.BeginMessage()
	_, _ = fmt.Fprintf(rec, "panic in %s: %s", what, text)
	rec.EndMessage()
	id, ref := e.capture(ctx, e.SenderOf(ctx), rec, []error{err}, p, event.Site{}, false)
	return eventref.Named{ID: id, Ref: ref}
}

package buffer

import (
	"slices"
	"time"
)

// Preset is what a logger's With added to every record it logs (attributes,
// open groups), rendered once, when With was called, within the breadcrumb
// limits and within the event limits, with the errors among it. Values are
// read that once, as the loggers' own encoders read them: a value the
// program changes afterwards is never read again, nor raced with. A nil
// *Preset is empty. A Preset never changes once made.
type Preset struct {
	crumb, event *Record
	errs         []error
}

// With returns p extended by what render writes into a record (once, within
// the event limits) and the errors it collects; p is not changed.
func (p *Preset) With(crumbLimits, eventLimits Limits, render func(rec *Record, errs *[]error)) *Preset {
	part := Get(time.Time{}, 0, eventLimits)
	defer Put(part)
	q := &Preset{crumb: Get(time.Time{}, 0, crumbLimits), event: Get(time.Time{}, 0, eventLimits)}
	if p != nil {
		q.crumb.copyFrom(p.crumb)
		q.event.copyFrom(p.event)
		q.errs = slices.Clip(p.errs)
	}
	render(part, &q.errs)
	q.crumb.AppendRecord(part)
	q.event.AppendRecord(part)
	return q
}

// AppendTo appends p's attributes to rec: as rendered within the event
// limits for an event's record, else within the breadcrumb limits. Groups
// p opened stay open in rec.
func (p *Preset) AppendTo(rec *Record, event bool) {
	switch {
	case p == nil:
	case event:
		rec.AppendRecord(p.event)
	default:
		rec.AppendRecord(p.crumb)
	}
}

// Errors returns the errors among p's attributes, in a slice the caller may
// append to.
func (p *Preset) Errors() []error {
	if p == nil {
		return nil
	}
	return slices.Clip(p.errs)
}

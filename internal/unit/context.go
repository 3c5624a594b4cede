package unit

import (
	"context"

	"github.com/getsentry/sentry-go"

	"github.com/logcrumbs/logcrumbs/internal/buffer"
)

// unitContext is the context of a unit of work. It carries the unit, its
// trail and its hub as three context.WithValue would, in one allocation:
// every request and job makes one.
type unitContext struct {
	context.Context
	unit Unit
}

// ownTrailContext is the context of a unit of work whose trail is new: the
// trail is made in the same allocation.
type ownTrailContext struct {
	unitContext
	trail buffer.DefaultTrail
}

// Value returns the unit, its trail or its hub for their keys, else the
// parent's value. buffer.ContextKey and unitKey are told by their types
// alone (they have no fields, so every value of their type is the key): a
// switch on the key's value called runtime.efaceeq for each case whose
// type matched, twice on every breadcrumb's look-up of its trail. The
// trail's key is asked first, as every breadcrumb asks it. The hub's key
// is one value of sentry-go's unexported key type, so it is still compared
// by value (efaceeq, only for keys of that type).
func (c *unitContext) Value(key any) any {
	if _, ok := key.(buffer.ContextKey); ok {
		return c.unit.trail
	}
	if _, ok := key.(unitKey); ok {
		return &c.unit
	}
	if key == sentry.HubContextKey {
		return c.unit.hub
	}
	return c.Context.Value(key)
}

// String describes the context as context.WithValue's String does, rather
// than as fmt would print the struct.
func (c *unitContext) String() string {
	return buffer.ContextName(c.Context) + ".WithValue(unit.unitKey, *unit.Unit)"
}

// GoString makes %#v print the context as String does. Printed field by
// field, it would read the unit's panic state while the unit reports a
// panic (a data race), where context.WithValue's shows a pointer.
func (c *unitContext) GoString() string { return c.String() }

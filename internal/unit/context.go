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
// parent's value.
func (c *unitContext) Value(key any) any {
	switch key {
	case unitKey{}:
		return &c.unit
	case buffer.ContextKey{}:
		return c.unit.trail
	case sentry.HubContextKey:
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

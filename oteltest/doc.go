// Package oteltest holds logcrumbs' tests with OpenTelemetry: a module of
// its own, so that the root module does not require OpenTelemetry. It has
// no API; its tests check that events carry the trace of an OTel span
// through sentry-go's OpenTelemetry integration (sentryotel).
package oteltest

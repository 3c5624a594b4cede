// Package legacy measures the existing bridges that no longer compile
// against the sentry-go logcrumbs uses: github.com/TheZeroSlave/zapsentry
// and github.com/getsentry/sentry-go/zerolog still set sentry.Event.Extra,
// which sentry-go v0.46.0 removed. This module pins sentry-go v0.45.1 for
// them; the benchmark names match the main bench module's, so that one
// benchstat table holds both. See ../README.md.
package legacy

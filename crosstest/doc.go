// Package crosstest holds the tests of the root package's behaviour that
// need the third-party loggers: one request's trail across slog, zap and
// zerolog, capture-once of one error logged through each of them, and the
// root features (EscalateIf, scrubbing, repeats, the middleware) shown to
// reach every integration. It is its own Go module, with a replace of the
// root, zapsentry and zerologsentry to this clone, so that the root
// module's go.mod requires no logger (test files count for go.mod). It has
// no code of its own. It sits outside internal/ on purpose: logcrumbs drops
// the frames of github.com/logcrumbs/logcrumbs/internal/... from the top of
// an event's stack as its own, so tests there would have no call site of
// their own (sentry-go keeps its cross-integration tests in crosstest too).
package crosstest

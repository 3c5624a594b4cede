// Package bench measures logcrumbs against the bare loggers and the existing
// Sentry bridges. It is a module of its own, so that the bridges it compares
// against never enter logcrumbs' go.mod. See README.md for the results and
// the command that produces them.
package bench

module github.com/logcrumbs/logcrumbs/examples/quickstart-logr

go 1.25.0

replace (
	github.com/logcrumbs/logcrumbs => ../..
	github.com/logcrumbs/logcrumbs/logrsentry => ../../logrsentry
)

require (
	github.com/getsentry/sentry-go v0.50.0
	github.com/go-logr/logr v1.4.4
	github.com/logcrumbs/logcrumbs v0.0.0
	github.com/logcrumbs/logcrumbs/logrsentry v0.0.0
)

require (
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/text v0.41.0 // indirect
)

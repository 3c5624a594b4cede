module github.com/logcrumbs/logcrumbs/examples/quickstart-zap

go 1.25.0

replace (
	github.com/logcrumbs/logcrumbs => ../..
	github.com/logcrumbs/logcrumbs/zapsentry => ../../zapsentry
)

require (
	github.com/getsentry/sentry-go v0.50.0
	github.com/logcrumbs/logcrumbs v0.0.0
	github.com/logcrumbs/logcrumbs/zapsentry v0.0.0
	go.uber.org/zap v1.28.0
)

require (
	go.uber.org/multierr v1.10.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/text v0.41.0 // indirect
)

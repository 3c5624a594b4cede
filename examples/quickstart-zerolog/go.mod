module github.com/logcrumbs/logcrumbs/examples/quickstart-zerolog

go 1.25.0

replace (
	github.com/logcrumbs/logcrumbs => ../..
	github.com/logcrumbs/logcrumbs/zerologsentry => ../../zerologsentry
)

require (
	github.com/getsentry/sentry-go v0.50.0
	github.com/logcrumbs/logcrumbs v0.0.0
	github.com/logcrumbs/logcrumbs/zerologsentry v0.0.0
	github.com/rs/zerolog v1.35.1
)

require (
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/text v0.41.0 // indirect
)

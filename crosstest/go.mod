module github.com/logcrumbs/logcrumbs/crosstest

go 1.25.0

require (
	github.com/getsentry/sentry-go v0.50.0
	github.com/getsentry/sentry-go/slog v0.50.0
	github.com/logcrumbs/logcrumbs v0.0.0
	github.com/logcrumbs/logcrumbs/zapsentry v0.0.0
	github.com/logcrumbs/logcrumbs/zerologsentry v0.0.0
	github.com/rs/zerolog v1.35.1
	go.uber.org/zap v1.28.0
)

require (
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	go.uber.org/multierr v1.10.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/text v0.41.0 // indirect
)

replace (
	github.com/logcrumbs/logcrumbs => ../
	github.com/logcrumbs/logcrumbs/zapsentry => ../zapsentry
	github.com/logcrumbs/logcrumbs/zerologsentry => ../zerologsentry
)

module github.com/logcrumbs/logcrumbs/bench/legacy

go 1.25.0

require (
	github.com/TheZeroSlave/zapsentry v1.23.0
	github.com/getsentry/sentry-go v0.45.1
	github.com/getsentry/sentry-go/zerolog v0.34.1
	github.com/rs/zerolog v1.35.1
	go.uber.org/zap v1.28.0
)

require (
	github.com/buger/jsonparser v1.1.1 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	go.uber.org/multierr v1.10.0 // indirect
	golang.org/x/sys v0.29.0 // indirect
	golang.org/x/text v0.14.0 // indirect
)

module github.com/logcrumbs/logcrumbs/oteltest

go 1.25.0

replace github.com/logcrumbs/logcrumbs => ../

require (
	github.com/getsentry/sentry-go v0.50.0
	github.com/getsentry/sentry-go/otel v0.50.0
	github.com/logcrumbs/logcrumbs v0.0.0
	go.opentelemetry.io/otel/sdk v1.45.0
	go.opentelemetry.io/otel/trace v1.45.0
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/go-logr/logr v1.4.4 // indirect
	github.com/go-logr/stdr v1.2.2 // indirect
	github.com/google/uuid v1.6.0 // indirect
	go.opentelemetry.io/auto/sdk v1.2.1 // indirect
	go.opentelemetry.io/otel v1.45.0 // indirect
	go.opentelemetry.io/otel/metric v1.45.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/text v0.41.0 // indirect
)

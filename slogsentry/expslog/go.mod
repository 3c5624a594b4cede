module github.com/logcrumbs/logcrumbs/slogsentry/expslog

go 1.25.0

require (
	github.com/getsentry/sentry-go v0.50.0
	github.com/logcrumbs/logcrumbs v0.0.0
	golang.org/x/exp v0.0.0-20260813180055-c1d0aacb2297
)

require (
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/text v0.41.0 // indirect
)

replace github.com/logcrumbs/logcrumbs => ../..

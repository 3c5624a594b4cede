module github.com/logcrumbs/logcrumbs/logrussentry

go 1.25.0

require (
	github.com/getsentry/sentry-go v0.50.0
	github.com/logcrumbs/logcrumbs v0.0.0
	github.com/sirupsen/logrus v1.10.2
)

require (
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/text v0.41.0 // indirect
)

replace github.com/logcrumbs/logcrumbs => ../

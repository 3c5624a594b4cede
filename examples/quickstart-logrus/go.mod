module github.com/logcrumbs/logcrumbs/examples/quickstart-logrus

go 1.25.0

replace (
	github.com/logcrumbs/logcrumbs => ../..
	github.com/logcrumbs/logcrumbs/logrussentry => ../../logrussentry
)

require (
	github.com/getsentry/sentry-go v0.50.0
	github.com/logcrumbs/logcrumbs v0.0.0
	github.com/logcrumbs/logcrumbs/logrussentry v0.0.0
	github.com/sirupsen/logrus v1.10.2
)

require (
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/text v0.41.0 // indirect
)

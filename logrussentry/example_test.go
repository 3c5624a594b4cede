package logrussentry_test

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/getsentry/sentry-go"
	"github.com/sirupsen/logrus"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logrussentry"
)

// printEvents returns a hub whose client prints what it would send, so that
// the examples show it; a real program calls sentry.Init with its DSN.
func printEvents() *sentry.Hub {
	client, _ := sentry.NewClient(sentry.ClientOptions{
		BeforeSend: func(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			fmt.Printf("event %q with %d exceptions, tags %v\n", ev.Message, len(ev.Exception), ev.Tags)
			for _, b := range ev.Breadcrumbs {
				fmt.Printf("  breadcrumb %s %s %q %v\n", b.Level, b.Category, b.Message, b.Data)
			}
			return ev // no DSN: sent nowhere
		},
	})
	return sentry.NewHub(client, sentry.NewScope())
}

// Add the hook to a logger: the request's entries become its trail, the
// error an event that carries it, and the logger writes what it wrote.
func ExampleNewHook() {
	logger := logrus.New()
	logger.SetOutput(os.Stdout)
	logger.SetFormatter(&logrus.JSONFormatter{DisableTimestamp: true})
	logger.AddHook(logrussentry.NewHook(logrussentry.Options{
		Options: logcrumbs.Options{
			Hub:     printEvents(), // usually omitted: sentry.CurrentHub()
			TagKeys: []string{"order"},
		},
	}))

	ctx := logcrumbs.NewContext(context.Background()) // one trail per request
	log := logger.WithContext(ctx).WithField("order", "A-17")
	log.WithField("items", 3).Info("charging card")
	err := fmt.Errorf("charge: %w", errors.New("card declined"))
	log.WithError(err).Error("checkout failed")

	// Output:
	// {"items":3,"level":"info","msg":"charging card","order":"A-17"}
	// event "checkout failed" with 2 exceptions, tags map[order:A-17]
	//   breadcrumb info logrus "charging card" map[items:3 order:A-17]
	// {"error":"charge: card declined","level":"error","msg":"checkout failed","order":"A-17"}
}

// Keep Debug entries in the trail while the output still shows Info and
// above: the logger admits Debug, the formatter writes Info and above.
func ExampleLevelFormatter() {
	logger := logrus.New()
	logger.SetOutput(os.Stdout)
	logger.SetLevel(logrus.DebugLevel)
	logger.SetFormatter(logrussentry.LevelFormatter{
		Formatter: &logrus.TextFormatter{DisableTimestamp: true, DisableColors: true},
		Level:     logrus.InfoLevel,
	})
	logger.AddHook(logrussentry.NewHook(logrussentry.Options{Options: logcrumbs.Options{Hub: printEvents()}}))

	log := logger.WithContext(logcrumbs.NewContext(context.Background()))
	log.WithField("key", "user:42").Debug("cache miss")
	log.Info("loaded from the database")
	log.Error("render failed")

	// Output:
	// level=info msg="loaded from the database"
	// event "render failed" with 0 exceptions, tags map[]
	//   breadcrumb debug logrus "cache miss" map[key:user:42]
	//   breadcrumb info logrus "loaded from the database" map[]
	// level=error msg="render failed"
}

// A unit of work: RunJob gives the job its trail, and a logrus Panic in
// it is one event, the Panic entry's (RunJob recovers the entry logrus
// panics with and, knowing it was sent, sends nothing more).
func ExampleHook_Fire_runJob() {
	logger := logrus.New()
	logger.SetOutput(os.Stdout)
	logger.SetFormatter(&logrus.TextFormatter{DisableTimestamp: true, DisableColors: true})
	hub := printEvents()
	logger.AddHook(logrussentry.NewHook(logrussentry.Options{Options: logcrumbs.Options{Hub: hub}}))

	err := logcrumbs.RunJob(context.Background(), "reindex", logcrumbs.JobOptions{Options: logcrumbs.Options{Hub: hub}, Recover: true},
		func(ctx context.Context) error {
			log := logger.WithContext(ctx)
			log.WithField("shard", 3).Info("reindexing")
			log.Panic("index corrupt")
			return nil
		})
	fmt.Println(err != nil)

	// Output:
	// level=info msg=reindexing shard=3
	// event "index corrupt" with 0 exceptions, tags map[job:reindex]
	//   breadcrumb info logrus "reindexing" map[shard:3]
	// level=panic msg="index corrupt"
	// true
}

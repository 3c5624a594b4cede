package logrsentry_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/logrsentry"
)

// Wrap tees logcrumbs beside a logr.Logger you have (funcr here; zapr or
// klog alike): its output does not change.
func ExampleWrap() {
	base := funcr.New(func(prefix, args string) { fmt.Println(prefix, args) }, funcr.Options{})
	log := logrsentry.Wrap(base, logrsentry.Options{})

	ctx, log := logrsentry.WithContext(context.Background(), log.WithName("api"))
	log.Info("loading cart", "items", 3) // written by funcr, and a breadcrumb
	fmt.Println(len(logcrumbs.FromContext(ctx).Breadcrumbs()), "breadcrumb")
	// Output:
	// api "level"=0 "msg"="loading cart" "items"=3
	// 1 breadcrumb
}

// A sink that feeds logcrumbs only, for a program whose logr output goes
// elsewhere or nowhere.
func ExampleNewSink() {
	log := logr.New(logrsentry.NewSink(nil, logrsentry.Options{Verbosity: 2}))
	ctx, log := logrsentry.WithContext(context.Background(), log)
	log.V(2).Info("fetched", "pod", "web-0")
	log.V(3).Info("not kept: above Verbosity")
	for _, b := range logcrumbs.FromContext(ctx).Breadcrumbs() {
		fmt.Println(b.Level, b.Message, b.Data["pod"])
	}
	// Output: debug fetched web-0
}

// reconciler is a controller-runtime Reconciler, without controller-runtime:
// controller-runtime puts the controller's logger in the context of each
// Reconcile call (logr.NewContext), as here.
type reconciler struct{}

func (reconciler) Reconcile(ctx context.Context, name string) error {
	// One unit of work per Reconcile: its own trail and hub, and a panic in
	// it is one event. The bound logger is in ctx for the code below.
	return logcrumbs.RunJob(ctx, "reconcile", logcrumbs.JobOptions{}, func(ctx context.Context) error {
		log := logr.FromContextOrDiscard(ctx).WithValues("object", name)
		ctx, log = logrsentry.WithContext(ctx, log)
		log.Info("reconciling")
		if err := ensureDeployment(ctx, name); err != nil {
			log.Error(err, "reconcile failed") // one event, with this Reconcile's trail
			return err
		}
		return nil
	})
}

func ensureDeployment(ctx context.Context, name string) error {
	logr.FromContextOrDiscard(ctx).V(1).Info("creating deployment") // the same trail
	if name == "web" {
		return errors.New("quota exceeded")
	}
	return errors.New("image not found")
}

// The controller-runtime pattern: each Reconcile a unit of work, each
// log.Error one event carrying that Reconcile's breadcrumbs only.
func ExampleWithContext() {
	// printTransport prints what would reach Sentry (sentry.Init in a program).
	client, _ := sentry.NewClient(sentry.ClientOptions{Transport: printTransport{}})
	sentry.CurrentHub().BindClient(client)
	defer sentry.CurrentHub().BindClient(nil)

	// DedupeWindow -1, so that both failures print here: by default the
	// second, the same bug to Sentry (error type, call site and message), is
	// counted as a repeat of the first and reported with a later event.
	opts := logrsentry.Options{Options: logcrumbs.Options{DedupeWindow: -1}}
	base := logrsentry.Wrap(funcr.New(func(_, args string) { fmt.Fprintln(os.Stderr, args) }, funcr.Options{}), opts)
	ctx := logr.NewContext(context.Background(), base.WithName("deployment-controller"))
	for _, name := range []string{"web", "db"} {
		_ = reconciler{}.Reconcile(ctx, name)
	}
	// Output:
	// event "reconcile failed" (quota exceeded) object=web, breadcrumbs: reconciling (web), creating deployment (web)
	// event "reconcile failed" (image not found) object=db, breadcrumbs: reconciling (db), creating deployment (db)
}

type printTransport struct{}

func (printTransport) SendEvent(ev *sentry.Event) {
	var crumbs []string
	for _, b := range ev.Breadcrumbs {
		crumbs = append(crumbs, fmt.Sprintf("%s (%v)", b.Message, b.Data["object"]))
	}
	fmt.Printf("event %q (%s) object=%v, breadcrumbs: %s\n", ev.Message, ev.Exception[0].Value, ev.Contexts["log"]["object"], strings.Join(crumbs, ", "))
}
func (printTransport) Flush(time.Duration) bool              { return true }
func (printTransport) FlushWithContext(context.Context) bool { return true }
func (printTransport) Configure(sentry.ClientOptions)        {}
func (printTransport) Close()                                {}

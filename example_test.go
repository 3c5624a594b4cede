package logcrumbs_test

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/logcrumbs/logcrumbs"
	"github.com/logcrumbs/logcrumbs/slogsentry"
)

// Give each unit of work its own trail; records logged with the context (or
// one derived from it) go there, whichever logger writes them.
func ExampleNewContext() {
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{}))

	ctx := logcrumbs.NewContext(context.Background())
	logger.InfoContext(ctx, "job started", "job", "reindex")
	logger.DebugContext(ctx, "batch done", "n", 500)

	for _, b := range logcrumbs.FromContext(ctx).Breadcrumbs() {
		fmt.Println(b.Level, b.Message, b.Data)
	}
	// Output:
	// info job started map[job:reindex]
	// debug batch done map[n:500]
}

// A trail's capacity is set when it is made; when full, the oldest record
// goes and is counted.
func ExampleNewTrail() {
	logger := slog.New(slogsentry.NewHandler(nil, slogsentry.Options{}))
	trail := logcrumbs.NewTrail(2)
	ctx := logcrumbs.ContextWithTrail(context.Background(), trail)
	for i := range 3 {
		logger.InfoContext(ctx, "tick", "i", i)
	}
	fmt.Println(trail.Len(), "kept,", trail.Dropped(), "dropped")
	// Output:
	// 2 kept, 1 dropped
}

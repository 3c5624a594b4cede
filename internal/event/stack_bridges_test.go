package event

import "testing"

// TestBridgesAreLoggingFrames: the frames of the common bridges between
// loggers are the logger's, not the call site's, so that records logged
// through them keep their callers' sites apart.
func TestBridgesAreLoggingFrames(t *testing.T) {
	for _, fn := range []string{
		"github.com/go-logr/zapr.(*zapLogger).Error",
		"github.com/go-logr/zerologr.(*LogSink).Error",
		"github.com/go-logr/logr/funcr.Formatter.FormatError",
		"github.com/bombsimon/logrusr/v4.(*logrusr).Error",
		"go.uber.org/zap/exp/zapslog.(*Handler).Handle",
		"github.com/samber/slog-zap/v2.(*ZapHandler).Handle",
		"github.com/samber/slog-multi.(*FanoutHandler).Handle",
		"k8s.io/klog/v2.ErrorS",
		// go-logr's bridge to the log package (slog's default behind it),
		// and the first major versions of logrusr and samber's handlers,
		// whose module paths have no /vN.
		"github.com/go-logr/stdr.logger.Error",
		"github.com/bombsimon/logrusr.(*logrusr).Error",
		"github.com/samber/slog-zap.(*ZapHandler).Handle",
		"github.com/samber/slog-zerolog.(*ZerologHandler).Handle",
		"github.com/samber/slog-logrus.(*LogrusHandler).Handle",
	} {
		if !isLoggingFrame(fn) {
			t.Errorf("%s is taken for a call site", fn)
		}
	}
	for _, fn := range []string{"main.main", "github.com/go-logr/zaprx.F", "github.com/go-logr/stdrx.F", "github.com/samber/slog-zapx.F", "go.uber.org/zapper.F", "example.com/app/log.Error"} {
		if isLoggingFrame(fn) {
			t.Errorf("%s is taken for a logger's frame", fn)
		}
	}
}

package event

import (
	"strings"
	"testing"
)

func TestHasJoinedPrefix(t *testing.T) {
	parts := []string{"", ".", "go", "go.uber.org/zap", "go.uber.org/zap/zapcore", "log/slog", "Logger.Info",
		"(*Logger).log", "github.com/logcrumbs/logcrumbs", "github.com/logcrumbs/logcrumbs/internal/buffer", "main"}
	prefixes := append([]string{"go.", "log/slog.L", "main.main"}, loggingPackages...)
	for _, a := range parts {
		for _, b := range parts {
			for _, p := range prefixes {
				want := strings.HasPrefix(a+"."+b, p)
				if got := hasJoinedPrefix(a, b, p); got != want {
					t.Errorf("hasJoinedPrefix(%q, %q, %q) = %v, want %v", a, b, p, got, want)
				}
			}
			if got, want := isLoggingFrameOf(a, b), isLoggingFrame(a+"."+b); got != want {
				t.Errorf("isLoggingFrameOf(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}

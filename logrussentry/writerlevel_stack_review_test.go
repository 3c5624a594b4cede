package logrussentry_test

import (
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
)

// TestWriterLevelEventStack: an Error line written to
// logger.WriterLevel(logrus.ErrorLevel) (a log.Logger's output, an
// http.Server's ErrorLog) is an event whose stack says where it came
// from. Judgment call, left as it is: logrus scans the pipe on a goroutine
// of its own, which holds no frame of the program's; past logrus' frames,
// as every event's stack starts, only runtime.goexit is left, so the
// event's stack is that one frame. Keeping logrus' frames for such
// entries, or no stack, is a choice of what to show, not a lost frame.
// Unskipped, on 0e39369:
//
//	stack [runtime.goexit], want a frame that is not the runtime's
func TestWriterLevelEventStack(t *testing.T) {
	t.Skip("defect (judgment call): a WriterLevel entry's stack is runtime.goexit alone, the pipe's goroutine holding no frame of the program's; see the comment")
	l, rec := newLogger(t, nil, nil)
	w := l.WriterLevel(logrus.ErrorLevel)
	_, _ = w.Write([]byte("http: TLS handshake error\n"))
	_ = w.Close()
	evs := rec.WaitEvents(1, 2*time.Second)
	if len(evs) != 1 || len(evs[0].Threads) == 0 || evs[0].Threads[0].Stacktrace == nil {
		t.Fatalf("%d events, want 1 with a stack", len(evs))
	}
	var frames []string
	informative := false
	for _, f := range evs[0].Threads[0].Stacktrace.Frames {
		frames = append(frames, f.Module+"."+f.Function)
		if f.Module != "runtime" {
			informative = true
		}
	}
	if !informative {
		t.Errorf("stack [%s], want a frame that is not the runtime's", strings.Join(frames, " "))
	}
}

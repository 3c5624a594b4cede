package conformance

import (
	"testing"

	"github.com/logcrumbs/logcrumbs/logcrumbstest"
)

// StacksStartAt checks that the stack of each of rec's events starts (its
// innermost frame, the last) in function fn: the log call, not a writer,
// core, hook or handler of the program's that a logger called. An
// adapter's tests of its own logger's shapes use it.
func StacksStartAt(t testing.TB, rec *logcrumbstest.Recorder, fn string) {
	t.Helper()
	for _, ev := range rec.Events() {
		exc := ev.Event.Exception
		if len(exc) == 0 || exc[len(exc)-1].Stacktrace == nil || len(exc[len(exc)-1].Stacktrace.Frames) == 0 {
			t.Errorf("event %q: no stack", ev.Message)
			continue
		}
		st := exc[len(exc)-1].Stacktrace
		if top := st.Frames[len(st.Frames)-1]; top.Function != fn {
			t.Errorf("event %q: stack starts at %s.%s:%d, want %s", ev.Message, top.Module, top.Function, top.Lineno, fn)
		}
	}
}

package unit

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/logcrumbs/logcrumbs/internal/eventref"
)

// TestOrphanNoteKeepsNoValueAlive: the note of a panic value logged with no
// unit of work (a context-less logrus Panic entry, its Data) that no unit
// recovers (the program's own recover) does not keep the value alive.
func TestOrphanNoteKeepsNoValueAlive(t *testing.T) {
	type entry struct {
		data map[string]any
	}
	collected := make(chan struct{})
	func() {
		e := &entry{data: map[string]any{"big": make([]byte, 1<<20)}}
		runtime.AddCleanup(e, func(ch chan struct{}) { close(ch) }, collected)
		NotePanicText(context.Background(), e, "invariant broken")
		NotePanic(context.Background(), e, eventref.Named{ID: "0123456789abcdef0123456789abcdef"}, false)
	}()
	for range 20 {
		runtime.GC()
		select {
		case <-collected:
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatal("a panic value noted with no unit of work is kept alive after its panic")
}

// TestOrphanAdoptedOnce: a unit that recovers a panic noted with no unit
// of work takes its note, which no other unit finds again; a value noted
// after one was collected at its address is not taken for it.
func TestOrphanAdoptedOnce(t *testing.T) {
	type entry struct{ msg string }
	e := &entry{msg: "bad order 17"}
	NotePanicText(context.Background(), e, e.msg)
	NotePanic(context.Background(), e, eventref.Named{ID: "0123456789abcdef0123456789abcdef"}, false)
	var u, v Unit
	if id, ok := u.ReportedAs(e); !ok || id.Name() != "0123456789abcdef0123456789abcdef" {
		t.Errorf("ReportedAs = %q, %v; want the noted event", id.ID, ok)
	}
	if text, ok := u.PanicText(e); !ok || text != "bad order 17" {
		t.Errorf("PanicText = %q, %v; want the noted text", text, ok)
	}
	if v.Reported(e) {
		t.Error("a second unit adopted the note too")
	}
	if _, ok := v.PanicText(&entry{msg: "other"}); ok {
		t.Error("a value never noted has a text")
	}
}

// TestGoOrphanTakenOnItsGoroutineByAnEarlierUnit: the panic of a logger
// used with no unit of work, whose value is its message (zap, zerolog), is
// taken by a unit bound before it was logged, on the goroutine that logged
// it, once; not by a unit bound after it, nor on another goroutine.
func TestGoOrphanTakenOnItsGoroutineByAnEarlierUnit(t *testing.T) {
	const id = "0123456789abcdef0123456789abcdef"
	var early Unit
	early.markKey(bindSeq.Add(1))
	NotePanic(context.Background(), "stock gone", eventref.Named{ID: id}, false)
	var late Unit
	late.markKey(bindSeq.Add(1))
	if late.Reported("stock gone") {
		t.Error("a unit bound after the panic was logged took its note")
	}
	other := make(chan bool)
	go func() { other <- early.Reported("stock gone") }()
	if <-other {
		t.Error("a unit on another goroutine took the note")
	}
	if ev, ok := early.ReportedAs("stock gone"); !ok || ev.Name() != id {
		t.Errorf("ReportedAs = %q, %v; want the noted event", ev.ID, ok)
	}
	var again Unit
	if again.Reported("stock gone") {
		t.Error("the note was taken twice")
	}
}

package buffer

import (
	"fmt"
	"strings"
	"time"
)

// findAllNow is findAll as lockedFind answers, for tests that hold t's
// lock themselves (their errors' methods do not log): the textOnly flags
// read, and the texts read and entries rechecked when the look-up needs
// them, all under the caller's lock. pending is always false.
func (c *captured) findAllNow(owner any, chains chainSet, now time.Time, window time.Duration, byText bool) (earlier string, at int, found, pending bool) {
	chains.textOnly = textOnlys(chains.errs, nil)
	var rc rechecks
	for {
		earlier, at, found, need := c.findAll(owner, chains, now, window, byText, &rc)
		switch need {
		case needTexts:
			chains.texts = readTexts(chains.errs, nil)
		case needRecheck:
			rc.check()
		default:
			return earlier, at, found, false
		}
	}
}

// probed is the trail whose lock the probe errors' methods check, and
// locked how many of their calls found it held (by their own goroutine:
// the tests using them are serial).
var (
	probed *Trail
	locked int
)

func probe() {
	if probed == nil {
		return
	}
	if !probed.mu.TryLock() {
		locked++
		return
	}
	probed.mu.Unlock()
}

// probeErrs is an incomparable error (found by identity and its text).
type probeErrs []string

func (e probeErrs) Error() string { probe(); return strings.Join(e, ", ") }

// probeWrap wraps err.
type probeWrap struct{ err error }

func (w *probeWrap) Error() string { probe(); return "wrap: " + w.err.Error() }
func (w *probeWrap) Unwrap() error { probe(); return w.err }

// probeJoin wraps several errors.
type probeJoin []error

func (j probeJoin) Error() string   { probe(); return fmt.Sprint(len(j), " errors") }
func (j probeJoin) Unwrap() []error { probe(); return j }

// probeText is text-only when only is set (see TextOnly).
type probeText struct {
	text string
	only bool
}

func (e *probeText) Error() string            { probe(); return e.text }
func (e *probeText) TextOnly() (string, bool) { probe(); return e.text, e.only }

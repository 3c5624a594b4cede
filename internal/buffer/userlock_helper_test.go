package buffer

import "time"

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

//go:build !race

// Package race tells tests whether the race detector is on: it makes
// sync.Pool drop items on purpose, so allocation counts mean nothing then.
package race

// Enabled is true when the binary was built with -race.
const Enabled = false

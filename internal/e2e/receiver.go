// Package e2e runs a real Sentry envelope receiver on loopback for
// logcrumbs' end-to-end tests: sentry-testkit's local server, run by Node
// from testdata/receiver (installed there by scripts/test with npm ci).
//
// Tests point sentry-go's real HTTP transport at [Receiver.DSN] and assert on
// what the receiver parsed ([Receiver.WaitReports]), so the whole path
// (event building, serialisation, envelope, HTTP) is the one users run.
//
// Without Node or the installed receiver a test that calls [Start] is
// skipped with a loud message; with CI=true in the environment it fails
// instead, so CI can never pass by skipping.
package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Receiver is a running sentry-testkit local server.
type Receiver struct {
	dsn     string
	control string
}

// Start starts a receiver for the test and stops it when the test ends.
func Start(tb testing.TB) *Receiver {
	tb.Helper()
	dir := receiverDir()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(dir, "node_modules", "sentry-testkit"))
	}
	if err != nil {
		why := fmt.Sprintf("no Sentry receiver (%v). Install Node.js and run scripts/test, "+
			"which runs `npm ci` in %s.", err, dir)
		if os.Getenv("CI") == "true" {
			tb.Fatal("E2E CANNOT RUN, and CI=true requires it: " + why)
		}
		msg := "E2E SKIPPED: " + why
		fmt.Fprintln(os.Stderr, strings.Repeat("!", 72)+"\n"+msg+"\n"+strings.Repeat("!", 72))
		tb.Skip(msg)
	}

	cmd := exec.Command(node, "receiver.js")
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatalf("e2e: %v", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatalf("e2e: %v", err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("e2e: starting the receiver: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	tb.Cleanup(func() {
		_ = stdin.Close() // receiver.js exits when its stdin closes
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})

	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- line
		_, _ = io.Copy(io.Discard, stdout)
	}()
	var line string
	select {
	case line = <-ready:
	case <-time.After(30 * time.Second):
		tb.Fatal("e2e: the receiver did not start within 30s")
	}
	var hello struct{ DSN, Control string }
	if err := json.Unmarshal([]byte(line), &hello); err != nil || hello.DSN == "" {
		tb.Fatalf("e2e: the receiver said %q, want its ready line: %v", line, err)
	}
	return &Receiver{dsn: hello.DSN, control: hello.Control}
}

// receiverDir is testdata/receiver beside this file: tests run in their own
// package's directory, so it is found from the source path instead.
func receiverDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "testdata", "receiver")
}

// DSN is the DSN that sends to this receiver.
func (r *Receiver) DSN() string { return r.dsn }

// Reports returns the events the receiver has parsed so far.
func (r *Receiver) Reports(tb testing.TB) []Report {
	tb.Helper()
	var reports []Report
	if err := json.Unmarshal(r.Raw(tb), &reports); err != nil {
		tb.Fatalf("e2e: decoding reports: %v", err)
	}
	return reports
}

// Raw returns everything the receiver parsed so far, as JSON: every field
// of every event, for tests that look for what must not be there.
func (r *Receiver) Raw(tb testing.TB) []byte {
	tb.Helper()
	resp, err := http.Get(r.control + "/reports")
	if err != nil {
		tb.Fatalf("e2e: reading reports: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("e2e: reading reports: %v", err)
	}
	return body
}

// Log is one Sentry Logs entry as the receiver parsed it from a log
// envelope item: attribute values unwrapped from their typed form.
type Log struct {
	Level      string         `json:"level"`
	Message    string         `json:"message"`
	Attributes map[string]any `json:"attributes"`
	TraceID    string         `json:"traceId"`
}

// Logs returns the Sentry Logs entries the receiver has parsed so far.
func (r *Receiver) Logs(tb testing.TB) []Log {
	tb.Helper()
	resp, err := http.Get(r.control + "/logs")
	if err != nil {
		tb.Fatalf("e2e: reading logs: %v", err)
	}
	defer resp.Body.Close()
	var logs []Log
	if err := json.NewDecoder(resp.Body).Decode(&logs); err != nil {
		tb.Fatalf("e2e: decoding logs: %v", err)
	}
	return logs
}

// WaitReports waits up to 10s for at least n reports and returns them all.
// Call the client's Flush first: the HTTP transport sends in the background.
func (r *Receiver) WaitReports(tb testing.TB, n int) []Report {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		reports := r.Reports(tb)
		if len(reports) >= n {
			return reports
		}
		if time.Now().After(deadline) {
			tb.Fatalf("e2e: the receiver has %d reports after 10s, want %d", len(reports), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Reset makes the receiver forget the reports it has.
func (r *Receiver) Reset(tb testing.TB) {
	tb.Helper()
	resp, err := http.Post(r.control+"/reset", "text/plain", nil)
	if err != nil {
		tb.Fatalf("e2e: reset: %v", err)
	}
	resp.Body.Close()
}

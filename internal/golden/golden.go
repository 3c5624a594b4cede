// Package golden compares a test's dump of what reached Sentry with a file
// kept in the test's testdata, so that a change to a hot path can be shown
// to change nothing a user sees: the file is written once by the code
// before the change, and every later build must produce it byte for byte.
package golden

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

// UpdateEnv names the environment variable that makes Check write its file
// instead of comparing: LOGCRUMBS_UPDATE_GOLDEN=1 go test -run TestX.
const UpdateEnv = "LOGCRUMBS_UPDATE_GOLDEN"

// Check fails t unless got is the content of the file at path (gzipped
// when path ends in ".gz"), naming the first line that differs. With
// UpdateEnv set to 1 it writes got to path instead.
func Check(t testing.TB, got, path string) {
	t.Helper()
	gz := strings.HasSuffix(path, ".gz")
	if os.Getenv(UpdateEnv) == "1" {
		b := []byte(got)
		if gz {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			_, _ = zw.Write(b)
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
			b = buf.Bytes()
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (%s=1 writes it)", err, UpdateEnv)
	}
	if gz {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if b, err = io.ReadAll(zr); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	if d := Diff(got, string(b)); d != "" {
		t.Fatalf("the dump differs from %s: %s", path, d)
	}
}

// Diff describes the first line where got and want differ, or returns ""
// when they are equal.
func Diff(got, want string) string {
	if got == want {
		return ""
	}
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got %.2000s\nwant %.2000s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g), len(w))
}

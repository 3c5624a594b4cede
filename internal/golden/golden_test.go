package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	for _, tc := range []struct{ got, want, has string }{
		{"a\nb\n", "a\nb\n", ""},
		{"a\nb\n", "a\nc\n", "line 2:\n got b\nwant c"},
		{"a\nb", "a", "2 lines, want 1"},
	} {
		d := Diff(tc.got, tc.want)
		if (tc.has == "") != (d == "") || !strings.Contains(d, tc.has) {
			t.Errorf("Diff(%q, %q) = %q, want %q", tc.got, tc.want, d, tc.has)
		}
	}
}

// TestCheckRoundTrip: what Check writes under UpdateEnv, plain and
// gzipped, it then accepts, and a different dump it rejects.
func TestCheckRoundTrip(t *testing.T) {
	for _, name := range []string{"dump.txt", "dump.txt.gz"} {
		path := filepath.Join(t.TempDir(), name)
		t.Setenv(UpdateEnv, "1")
		Check(t, "x\ny\n", path)
		t.Setenv(UpdateEnv, "")
		Check(t, "x\ny\n", path)
		if b, _ := os.ReadFile(path); strings.HasSuffix(name, ".gz") == (string(b) == "x\ny\n") {
			t.Errorf("%s: file holds %q", name, b)
		}
		ft := &fakeT{TB: t}
		func() {
			defer func() { _ = recover() }()
			Check(ft, "x\nz\n", path)
		}()
		if !strings.Contains(ft.msg, "line 2") {
			t.Errorf("%s: a different dump reported %q", name, ft.msg)
		}
	}
}

// fakeT records a failure instead of failing the test.
type fakeT struct {
	testing.TB
	msg string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic("fatal")
}

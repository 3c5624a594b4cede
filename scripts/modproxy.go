//go:build ignore

// modproxy writes a file-based Go module proxy (GOPROXY=file://DIR) holding
// every module of a logcrumbs clone at one version, as proxy.golang.org
// would serve them once the release tags are pushed: each module's zip holds
// the files git tracks in its directory, minus the directories of nested
// modules (Go's rule). scripts/consumer uses it to check that a user's
// `go get` of the tagged modules resolves and builds, which a clone's
// replace directives hide.
//
//	go run scripts/modproxy.go CLONE VERSION DIR
package main

import (
	"archive/zip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: go run scripts/modproxy.go CLONE VERSION DIR")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, "modproxy:", err)
		os.Exit(1)
	}
}

func run(clone, version, dir string) error {
	out, err := exec.Command("git", "-C", clone, "ls-files").Output()
	if err != nil {
		return fmt.Errorf("git ls-files: %w", err)
	}
	files := strings.Fields(string(out))
	// Module directories: every tracked go.mod outside testdata.
	var mods []string
	for _, f := range files {
		if filepath.Base(f) == "go.mod" && !strings.Contains(f, "testdata/") {
			mods = append(mods, filepath.Dir(f))
		}
	}
	// Longest first, so that a file belongs to its innermost module.
	sort.Slice(mods, func(i, j int) bool { return len(mods[i]) > len(mods[j]) })
	owner := func(f string) string {
		for _, m := range mods {
			if m == "." || strings.HasPrefix(f, m+"/") {
				return m
			}
		}
		return ""
	}
	byMod := map[string][]string{}
	for _, f := range files {
		byMod[owner(f)] = append(byMod[owner(f)], f)
	}
	stamp := time.Now().UTC().Format(time.RFC3339)
	for _, m := range mods {
		gomod, err := os.ReadFile(filepath.Join(clone, m, "go.mod"))
		if err != nil {
			return err
		}
		path := modulePath(gomod)
		at := filepath.Join(dir, filepath.FromSlash(path), "@v")
		if err := os.MkdirAll(at, 0o755); err != nil {
			return err
		}
		write := func(name string, b []byte) error { return os.WriteFile(filepath.Join(at, name), b, 0o644) }
		if err := write("list", []byte(version+"\n")); err != nil {
			return err
		}
		if err := write(version+".info", fmt.Appendf(nil, `{"Version":%q,"Time":%q}`, version, stamp)); err != nil {
			return err
		}
		if err := write(version+".mod", gomod); err != nil {
			return err
		}
		zf, err := os.Create(filepath.Join(at, version+".zip"))
		if err != nil {
			return err
		}
		zw := zip.NewWriter(zf)
		for _, f := range byMod[m] {
			rel := f
			if m != "." {
				rel = strings.TrimPrefix(f, m+"/")
			}
			b, err := os.ReadFile(filepath.Join(clone, f))
			if err != nil {
				return err
			}
			w, err := zw.Create(path + "@" + version + "/" + rel)
			if err != nil {
				return err
			}
			if _, err := w.Write(b); err != nil {
				return err
			}
		}
		if err := zw.Close(); err != nil {
			return err
		}
		if err := zf.Close(); err != nil {
			return err
		}
	}
	return nil
}

func modulePath(gomod []byte) string {
	for _, line := range strings.Split(string(gomod), "\n") {
		if p, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(p), `"`)
		}
	}
	return ""
}

package logcrumbs_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"testing"
)

// TestQuickstartsCheckSentryInit: every quick start (README.md shows them)
// checks the error of sentry.Init. One that drops it runs on with no
// client when SENTRY_DSN is malformed ("https://sentry.example.com/42",
// its key left out): nothing reaches Sentry, nothing is printed, and the
// newcomer who copied it sees no sign of why.
func TestQuickstartsCheckSentryInit(t *testing.T) {
	files, err := filepath.Glob("examples/quickstart-*/main.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no quick starts found: %v", err)
	}
	for _, file := range files {
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		calls := 0
		ast.Inspect(f, func(n ast.Node) bool {
			stmt, ok := n.(*ast.ExprStmt)
			if !ok {
				return true
			}
			if call, ok := stmt.X.(*ast.CallExpr); ok {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Init" {
					if id, ok := sel.X.(*ast.Ident); ok && id.Name == "sentry" {
						calls++
					}
				}
			}
			return true
		})
		if calls > 0 {
			t.Errorf("%s drops the error of sentry.Init: with a malformed SENTRY_DSN it runs on, sending nothing, silently", file)
		}
	}
}

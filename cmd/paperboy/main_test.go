package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

// Every command answers -h with its usage and no error.
func TestHelp(t *testing.T) {
	for _, c := range commands() {
		args := []string{c.name, "-h"}
		if c.name == "user" {
			args = []string{"user", "create", "-h"}
		}
		_, stderr, err := runCLI(t, args...)
		if err != nil && !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%s -h: %v", c.name, err)
		}
		if !strings.Contains(stderr, "Usage: paperboy "+c.name) {
			t.Errorf("%s -h: no usage in %q", c.name, stderr)
		}
	}
	out, _, err := runCLI(t, "help")
	if err != nil || !strings.Contains(out, "import") || !strings.Contains(out, "demo") {
		t.Errorf("help: %v %q", err, out)
	}
}

func TestBadCommands(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"serve", "extra"},
		{"serve", "-log-level", "loud"},
		{"import"},
		{"eval"},
		{"user"},
		{"user", "delete", "x"},
		{"user", "create", "onlyname"},
		{"serve", "-embedder", "magic", "-db", filepath.Join(t.TempDir(), "x.db")},
	} {
		if _, _, err := runCLI(t, args...); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}

// import reports rejected lines by file and line, stores the rest, and a
// second import of the same file changes nothing.
func TestImport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	broken := filepath.Join("..", "..", "internal", "arxiv", "testdata", "broken.jsonl")
	good := filepath.Join("..", "..", "internal", "arxiv", "testdata", "listing-2023-09-21.jsonl")
	stdout, stderr, err := runCLI(t, "import", "-db", db, "-embedder", "none", broken, good)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "broken.jsonl:4: malformed JSON") || !strings.Contains(stdout, "imported total:") {
		t.Errorf("import output:\n%s\n%s", stdout, stderr)
	}
	if _, _, err := runCLI(t, "import", "-db", db, "-embedder", "none", "-strict", broken); err == nil {
		t.Error("-strict with rejected records: no error")
	}
	_, stderr, err = runCLI(t, "import", "-db", db, "-embedder", "none", good)
	if err != nil || !strings.Contains(stderr, " 0 new, 0 updated") {
		t.Errorf("second import: %v\n%s", err, stderr)
	}
	if _, _, err := runCLI(t, "import", "-db", db, "-embedder", "none", filepath.Join(t.TempDir(), "missing.jsonl")); err == nil {
		t.Error("missing file: no error")
	}
}

func TestUserCreate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "users.db")
	t.Setenv("PAPERBOY_PASSWORD", "correct horse battery staple")
	out, _, err := runCLI(t, "user", "create", "-db", db, "-admin", "ada", "ada@example.org")
	if err != nil || !strings.Contains(out, "created administrator ada") {
		t.Fatalf("user create: %v %q", err, out)
	}
	if _, _, err := runCLI(t, "user", "create", "-db", db, "ADA", "other@example.org"); err == nil {
		t.Error("duplicate username (case-insensitively): no error")
	}
	os.Unsetenv("PAPERBOY_PASSWORD")
}

// embed fills in the vectors an import without an embedder left out, once.
func TestEmbed(t *testing.T) {
	db := filepath.Join(t.TempDir(), "embed.db")
	good := filepath.Join("..", "..", "internal", "arxiv", "testdata", "listing-2023-09-21.jsonl")
	if _, stderr, err := runCLI(t, "import", "-db", db, "-embedder", "none", good); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	_, stderr, err := runCLI(t, "embed", "-db", db, "-log-level", "warn")
	if err != nil || !strings.Contains(stderr, "0 already embedded") {
		t.Fatalf("embed: %v\n%s", err, stderr)
	}
	_, stderr, err = runCLI(t, "embed", "-db", db, "-log-level", "warn")
	if err != nil || !strings.Contains(stderr, ", 0 to embed") {
		t.Errorf("second embed: %v\n%s", err, stderr)
	}
	if _, _, err := runCLI(t, "embed", "-db", db, "-embedder", "none"); err == nil {
		t.Error("embed with -embedder none: no error")
	}
}

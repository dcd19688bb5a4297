package ingest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/arxiv"
	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/sqlite"
)

// TestImportKilled kills an importing process (SIGKILL, no cleanup) after
// some batches were committed: the database must open, hold whole batches of
// whole papers, and a second import must complete it.
func TestImportKilled(t *testing.T) {
	if db := os.Getenv("PAPERBOY_TEST_IMPORT_CHILD"); db != "" {
		importSlowly(db)
		return
	}
	db := filepath.Join(t.TempDir(), "killed.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestImportKilled$")
	cmd.Env = append(os.Environ(), "PAPERBOY_TEST_IMPORT_CHILD="+db)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	killed := false
	for sc.Scan() {
		if sc.Text() == "stored 20" {
			cmd.Process.Kill()
			killed = true
			break
		}
	}
	cmd.Wait()
	if !killed {
		t.Fatal("the child never reported 20 stored papers")
	}

	s := openStore(t, db)
	n := count(t, s)
	if n < 20 || n >= 93 || n%5 != 0 {
		t.Errorf("%d papers after the kill: want whole batches of 5, at least 20, not all 93", n)
	}
	want := make(map[string]paper.Paper)
	f, _ := os.Open("testdata/sample.jsonl.gz")
	defer f.Close()
	r, err := arxiv.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	for rec, err := range r.All() {
		if err != nil {
			t.Fatal(err)
		}
		want[rec.Paper.ID] = rec.Paper
	}
	page, err := s.Papers(context.Background(), paper.Filter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range page.Papers {
		w := want[p.ID]
		if p.Title != w.Title || p.Abstract != w.Abstract || strings.Join(p.Authors, "|") != strings.Join(w.Authors, "|") {
			t.Errorf("%s is not whole after the kill", p.ID)
		}
	}
	rep, err := (&Importer{Store: s}).ImportFile(context.Background(), "testdata/sample.jsonl.gz")
	if err != nil || rep.New != 93-n || count(t, s) != 93 {
		t.Errorf("import after the kill: %s, %v", rep, err)
	}
}

// importSlowly is the child: it imports in batches of 5 and says after each
// commit how many papers are stored, pausing so the parent can kill it midway.
func importSlowly(db string) {
	s, err := sqlite.Open(context.Background(), db)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	stored := 0
	im := &Importer{Store: s, BatchSize: 5, OnStored: func(_ context.Context, ps []paper.Paper) {
		stored += len(ps)
		fmt.Printf("stored %d\n", stored)
		time.Sleep(20 * time.Millisecond)
	}}
	im.ImportFile(context.Background(), "testdata/sample.jsonl.gz")
	os.Exit(0)
}

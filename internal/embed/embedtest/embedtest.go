// Package embedtest loads real arXiv papers from the shared data directory
// for the tests and benchmarks of the search packages.
package embedtest

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paperboy/paperboy/internal/benchdata"
	"github.com/paperboy/paperboy/internal/paper"
)

// DataDir is where the real papers are: $PAPERBOY_DATA, else ../shared/data
// beside the repository (benchdata.FindDataDir), else "" (tests then skip).
func DataDir() string {
	if d := os.Getenv("PAPERBOY_DATA"); d != "" {
		return d
	}
	d, _ := benchdata.FindDataDir()
	return d
}

// Small is the 14k-paper set the relevance judgements are about.
var Small = []string{"arxiv-listing-2023-09-21.jsonl", "arxiv-math-2025-05.jsonl", "hf-daily-papers.jsonl"}

// Big is the 102k-paper set.
const Big = "big/arxiv-abstracts.jsonl.gz"

// Papers reads up to limit papers (0: all) from files under DataDir,
// skipping the test or benchmark when a file is absent.
func Papers(tb testing.TB, limit int, files ...string) []paper.Paper {
	tb.Helper()
	var out []paper.Paper
	for _, f := range files {
		path := filepath.Join(DataDir(), f)
		if _, err := os.Stat(path); err != nil {
			tb.Skipf("real papers not available: %v", err)
		}
		ps, err := Read(path, limit-len(out))
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, ps...)
		if limit > 0 && len(out) >= limit {
			break
		}
	}
	return out
}

// Read reads arXiv-snapshot JSON lines (optionally gzip) into papers.
func Read(path string, limit int) ([]paper.Paper, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, err
		}
		r = zr
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var out []paper.Paper
	n := 0
	for sc.Scan() && (limit <= 0 || len(out) < limit) {
		n++
		var d struct {
			ID, Title, Abstract, Authors, Categories string
		}
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		out = append(out, paper.Paper{ID: d.ID, Title: d.Title, Abstract: d.Abstract,
			Authors: strings.Split(d.Authors, ", "), Categories: strings.Fields(d.Categories)})
	}
	return out, sc.Err()
}

package demo

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"testing"
)

// The bundled set is the real data: every line a paper with an id, a title and authors.
func TestFiles(t *testing.T) {
	want := map[string]int{"hf-daily-papers.jsonl.gz": 9877, "arxiv-listing-2023-09-21.jsonl.gz": 824, "arxiv-math-2025-05.jsonl.gz": 3397}
	for _, f := range Files() {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(rc)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		sc := bufio.NewScanner(zr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		n := 0
		for sc.Scan() {
			var rec struct{ ID, Title, Authors string }
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil || rec.ID == "" || rec.Title == "" || rec.Authors == "" {
				t.Fatalf("%s line %d: %v %+v", f.Name, n+1, err, rec)
			}
			n++
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
		if n != want[f.Name] {
			t.Errorf("%s: %d papers, want %d", f.Name, n, want[f.Name])
		}
		rc.Close()
	}
}

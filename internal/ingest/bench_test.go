package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkImport measures papers per second from a real file into a new
// SQLite database (target: 10,000 papers/s).
func BenchmarkImport(b *testing.B) {
	data := sharedData(b)
	for _, file := range []string{"hf-daily-papers.jsonl", "arxiv-math-2025-05.jsonl", "big/arxiv-abstracts.jsonl.gz"} {
		path := filepath.Join(data, file)
		if _, err := os.Stat(path); err != nil {
			b.Logf("skipping %s: %v", file, err)
			continue
		}
		b.Run(filepath.Base(file), func(b *testing.B) {
			papers := 0
			for b.Loop() {
				b.StopTimer()
				s := openStore(b, filepath.Join(b.TempDir(), "bench.db"))
				b.StartTimer()
				rep, err := (&Importer{Store: s}).ImportFile(context.Background(), path)
				if err != nil {
					b.Fatal(err)
				}
				papers += rep.New
				b.StopTimer()
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(papers)/b.Elapsed().Seconds(), "papers/s")
		})
	}
}

// BenchmarkRead measures parsing alone, without storing.
func BenchmarkRead(b *testing.B) {
	path := filepath.Join(sharedData(b), "hf-daily-papers.jsonl")
	fi, err := os.Stat(path)
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(fi.Size())
	papers := 0
	for b.Loop() {
		s := discard{}
		rep, err := (&Importer{Store: s}).ImportFile(context.Background(), path)
		if err != nil {
			b.Fatal(err)
		}
		papers += rep.New
	}
	b.ReportMetric(float64(papers)/b.Elapsed().Seconds(), "papers/s")
}

package searchbench

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/paperboy/paperboy/internal/benchdata"
)

func run(b *testing.B, n int) {
	if _, err := benchdata.FindDataDir(); err != nil {
		b.Skip(err)
	}
	res, err := Run(context.Background(), Options{Size: n, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range res.Rows {
		if l.Name == "search hybrid" {
			b.ReportMetric(float64(l.P50.Microseconds())/1000, "hybrid-p50-ms")
			b.ReportMetric(float64(l.P95.Microseconds())/1000, "hybrid-p95-ms")
			b.ReportMetric(float64(l.P99.Microseconds())/1000, "hybrid-p99-ms")
		}
	}
}

// go test -run '^$' -bench Search100k -benchtime 1x ./internal/search/searchbench/
func BenchmarkSearch100k(b *testing.B) {
	for b.Loop() {
		run(b, 100_000)
	}
}

// go test -run '^$' -bench Search1M -benchtime 1x -timeout 90m ./internal/search/searchbench/
// The first run stores a million papers (about 2.5 GB under $TMPDIR).
func BenchmarkSearch1M(b *testing.B) {
	for b.Loop() {
		run(b, 1_000_000)
	}
}

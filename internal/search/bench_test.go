package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/benchdata"
	"github.com/paperboy/paperboy/internal/embed"
	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/semantic"
	"github.com/paperboy/paperboy/internal/sqlite"
)

// benchStore opens (or makes, the first time) a database of n papers in
// $TMPDIR/paperboy-search-bench: the real papers of the shared data first,
// then generated ones (package benchdata) up to n. It reports how many are
// generated.
func benchStore(b *testing.B, n int) (*sqlite.Store, int) {
	b.Helper()
	ctx := context.Background()
	dir, err := benchdata.FindDataDir()
	if err != nil {
		b.Skip(err)
	}
	src, err := benchdata.Load(dir)
	if err != nil {
		b.Skip(err)
	}
	real := min(n, src.RealLen())
	gen := n - real
	path := filepath.Join(os.TempDir(), "paperboy-search-bench", fmt.Sprintf("search-%d.db", n))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		b.Fatal(err)
	}
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if have, _ := st.CountPapers(ctx); have == n {
		return st, gen
	}
	t0 := time.Now()
	var batch []paper.Paper
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := st.UpsertPapers(ctx, batch)
		batch = batch[:0]
		return err
	}
	add := func(p paper.Paper) error {
		batch = append(batch, p)
		if len(batch) == 2000 {
			return flush()
		}
		return nil
	}
	if err := src.Real(real, add); err != nil {
		b.Fatal(err)
	}
	if gen > 0 {
		if err := benchdata.Generate(src, gen, 1, add); err != nil {
			b.Fatal(err)
		}
	}
	if err := flush(); err != nil {
		b.Fatal(err)
	}
	b.Logf("stored %d papers (%d generated) in %v", n, gen, time.Since(t0).Round(time.Second))
	return st, gen
}

// benchSearch builds the service with the real semantic engine over n
// papers, prints RunBench's table, and times hybrid searches as ns/op.
func benchSearch(b *testing.B, n int) {
	st, gen := benchStore(b, n)
	ctx := context.Background()
	emb, err := embed.Default()
	if err != nil {
		b.Skip(err)
	}
	eng := semantic.New(st, emb, semantic.Options{Logger: quiet})
	svc := New(st, eng, Options{Logger: quiet})
	t0 := time.Now()
	if err := svc.Build(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("service built in %v (keyword index %v; the rest is the semantic engine)", time.Since(t0).Round(time.Millisecond), svc.Stats().BuildTime.Round(time.Millisecond))
	label := fmt.Sprintf("%d real papers", n)
	if gen > 0 {
		label = fmt.Sprintf("%d papers, %d of them generated from real ones (benchdata)", n, gen)
	}
	res, err := RunBench(ctx, svc, BenchOptions{Label: label})
	if err != nil {
		b.Fatal(err)
	}
	res.Print(os.Stdout)
	for _, l := range res.Rows {
		if l.Name == "search hybrid" {
			b.ReportMetric(float64(l.P50.Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(l.P95.Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(l.P99.Microseconds())/1000, "p99-ms")
		}
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		q := DefaultBenchQueries[i%len(DefaultBenchQueries)]
		q.Mode = ModeHybrid
		if _, err := svc.Search(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}

// go test -run '^$' -bench 'Search100k' -benchtime 200x ./internal/search/
func BenchmarkSearch100k(b *testing.B) { benchSearch(b, 100_000) }

// go test -run '^$' -bench 'Search1M' -benchtime 200x -timeout 60m ./internal/search/
// The first run stores a million papers (about 2 GB under $TMPDIR).
func BenchmarkSearch1M(b *testing.B) { benchSearch(b, 1_000_000) }

// Package searchbench measures search on large libraries: it stores the
// real papers of the shared data, and papers generated from them (package
// benchdata) up to the size asked, in a SQLite database, builds the search
// service with the real semantic engine over it, and runs search.RunBench.
// `paperboy bench search` and this package's Benchmark functions call Run.
package searchbench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/paperboy/paperboy/internal/benchdata"
	"github.com/paperboy/paperboy/internal/embed"
	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/search"
	"github.com/paperboy/paperboy/internal/semantic"
	"github.com/paperboy/paperboy/internal/sqlite"
)

// Options configure Run.
type Options struct {
	Size    int    // papers in the library; default 100,000
	Dir     string // where databases live; default $TMPDIR/paperboy-search-bench
	DataDir string // the shared data; default benchdata.FindDataDir()
	// NoSemantic measures keyword search alone.
	NoSemantic bool
	Bench      search.BenchOptions
	Out        io.Writer    // the table; default os.Stdout
	Logger     *slog.Logger // progress; default slog.Default()
}

// Run prepares the library (reusing a database that already holds it),
// builds the service, measures and prints. The build times it reports are
// of this run: the keyword index is built from the store at every start.
func Run(ctx context.Context, o Options) (search.BenchResult, error) {
	if o.Size <= 0 {
		o.Size = 100_000
	}
	if o.Dir == "" {
		o.Dir = filepath.Join(os.TempDir(), "paperboy-search-bench")
	}
	if o.Out == nil {
		o.Out = os.Stdout
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	st, gen, err := Store(ctx, o)
	if err != nil {
		return search.BenchResult{}, err
	}
	defer st.Close()
	var sem search.Semantic
	if !o.NoSemantic {
		emb, err := embed.Default()
		if err != nil {
			return search.BenchResult{}, fmt.Errorf("embedding model: %w", err)
		}
		sem = semantic.New(st, emb, semantic.Options{Logger: o.Logger})
	}
	svc := search.New(st, sem, search.Options{Logger: o.Logger})
	t0 := time.Now()
	if err := svc.Build(ctx); err != nil {
		return search.BenchResult{}, err
	}
	total := time.Since(t0)
	if o.Bench.Label == "" {
		o.Bench.Label = fmt.Sprintf("%d real papers", o.Size)
		if gen > 0 {
			o.Bench.Label = fmt.Sprintf("%d papers, %d of them GENERATED from real ones (benchdata)", o.Size, gen)
		}
	}
	res, err := search.RunBench(ctx, svc, o.Bench)
	if err != nil {
		return res, err
	}
	if err := res.Print(o.Out); err != nil {
		return res, err
	}
	_, err = fmt.Fprintf(o.Out, "service start (keyword index + semantic load): %s\n", total.Round(time.Millisecond))
	return res, err
}

// Store opens the database of o.Size papers, filling it the first time:
// the real papers first, then generated ones. It returns how many are generated.
func Store(ctx context.Context, o Options) (*sqlite.Store, int, error) {
	dir := o.DataDir
	if dir == "" {
		var err error
		if dir, err = benchdata.FindDataDir(); err != nil {
			return nil, 0, err
		}
	}
	src, err := benchdata.Load(dir)
	if err != nil {
		return nil, 0, err
	}
	real := min(o.Size, src.RealLen())
	gen := o.Size - real
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, 0, err
	}
	path := filepath.Join(o.Dir, fmt.Sprintf("search-%d.db", o.Size))
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, 0, err
	}
	if have, _ := st.CountPapers(ctx); have == o.Size {
		return st, gen, nil
	}
	o.Logger.Info("searchbench: storing papers", "papers", o.Size, "generated", gen, "db", path)
	t0 := time.Now()
	var batch []paper.Paper
	stored := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := st.UpsertPapers(ctx, batch)
		stored += len(batch)
		batch = batch[:0]
		if stored%100_000 == 0 {
			o.Logger.Info("searchbench: storing papers", "done", stored)
		}
		return err
	}
	add := func(p paper.Paper) error {
		batch = append(batch, p)
		if len(batch) == 2000 {
			return flush()
		}
		return nil
	}
	err = src.Real(real, add)
	if err == nil && gen > 0 {
		err = benchdata.Generate(src, gen, 1, add)
	}
	if err == nil {
		err = flush()
	}
	if err != nil {
		st.Close()
		return nil, 0, fmt.Errorf("store bench papers: %w", err)
	}
	o.Logger.Info("searchbench: stored", "papers", o.Size, "took", time.Since(t0).Round(time.Second))
	return st, gen, nil
}

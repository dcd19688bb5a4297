package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/paperboy/paperboy/internal/bench"
	"github.com/paperboy/paperboy/internal/search/searchbench"
	"github.com/paperboy/paperboy/internal/sqlite"
	"github.com/paperboy/paperboy/internal/web"
)

// runBench times import, feeds and paper pages on generated and real papers
// (see internal/bench; `paperboy bench -h`), or search (`paperboy bench search -h`).
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "search" {
		return runBenchSearch(ctx, args[1:], stdout, stderr)
	}
	return bench.Command(ctx, args, stdout, stderr, func(st *sqlite.Store) (http.Handler, error) {
		srv, err := web.New(web.Config{Store: st})
		if err != nil {
			return nil, err
		}
		return srv.Handler(), nil
	})
}

func runBenchSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var (
		size       string
		dir        string
		noSemantic bool
		lc         logConfig
	)
	f := newFlags("bench search", "bench search [flags]\n\nBuilds a library of real papers (../shared/data, 116k) topped up with generated ones, indexes it and\nprints search latency percentiles per mode, similar-papers latency, index size, build time and peak memory.", stderr)
	f.str(&size, "size", "PAPERBOY_BENCH_SIZE", "100k", "papers in the library (100k, 1M, or a number)")
	f.str(&dir, "dir", "PAPERBOY_BENCH_DIR", "", "directory for the database (default $TMPDIR/paperboy-search-bench; a complete one is reused)")
	f.BoolVar(&noSemantic, "no-semantic", false, "measure keyword search alone")
	lc.register(f)
	if err := f.parse(args, false); err != nil {
		return err
	}
	n, err := parseSize(size)
	if err != nil {
		return err
	}
	logger, err := lc.logger(stderr)
	if err != nil {
		return err
	}
	_, err = searchbench.Run(ctx, searchbench.Options{Size: n, Dir: dir, NoSemantic: noSemantic, Out: stdout, Logger: logger})
	return err
}

// parseSize reads "100k", "1M" or a plain number.
func parseSize(s string) (int, error) {
	mult := 1
	switch {
	case strings.HasSuffix(s, "k"), strings.HasSuffix(s, "K"):
		mult, s = 1_000, s[:len(s)-1]
	case strings.HasSuffix(s, "M"), strings.HasSuffix(s, "m"):
		mult, s = 1_000_000, s[:len(s)-1]
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("size %q: want a positive number such as 100k or 1M", s)
	}
	return n * mult, nil
}

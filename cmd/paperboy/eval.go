package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/paperboy/paperboy/internal/search"
	"github.com/paperboy/paperboy/internal/sqlite"
)

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var (
		db string
		sc searchConfig
		lc logConfig
	)
	f := newFlags("eval", "eval [flags] FILE\n\nReads a relevance file (JSON lines: {\"query\": ..., \"relevant\": [\"arXiv id\", ...]}), runs each query in\nkeyword, semantic and hybrid mode and prints MRR@10, Recall@10 and nDCG@10 side by side (and per\n\"split\" when the lines have one). Without -db it searches a fresh database of the bundled demo\npapers, the library testdata/relevance.jsonl was written for.", stderr)
	f.str(&db, "db", "PAPERBOY_EVAL_DB", "", "database to search (default: a temporary one with the bundled demo papers)")
	sc.register(f)
	lc.register(f)
	if err := f.parse(args, true); err != nil {
		return err
	}
	if f.NArg() != 1 {
		f.Usage()
		return errors.New("eval: want one relevance file")
	}
	rel, err := os.Open(f.Arg(0))
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	defer rel.Close()
	if lc.level == "info" {
		lc.level = "warn" // the table is the output; index chatter is not
	}
	logger, err := lc.logger(stderr)
	if err != nil {
		return err
	}
	if db == "" {
		dir, err := os.MkdirTemp("", "paperboy-eval-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		db = filepath.Join(dir, "eval.db")
		fmt.Fprintln(stderr, "building a database of the bundled demo papers...")
		st, err := sqlite.Open(ctx, db)
		if err != nil {
			return err
		}
		err = importDemo(ctx, st, logger, io.Discard)
		st.Close()
		if err != nil {
			return err
		}
	}
	store, err := sqlite.Open(ctx, db)
	if err != nil {
		return err
	}
	defer store.Close()
	svc, err := buildSearch(ctx, sc, store, logger)
	if err != nil {
		return err
	}
	fmt.Fprintln(stderr, "searching...")
	start := time.Now()
	table, err := search.Evaluate(ctx, svc, rel)
	if err != nil {
		return fmt.Errorf("eval %s: %w", f.Arg(0), err)
	}
	fmt.Fprintf(stdout, "%s on %s (%s)\n\n", filepath.Base(f.Arg(0)), filepath.Base(db), time.Since(start).Round(time.Millisecond))
	return table.Print(stdout)
}

// buildSearch builds a search service and its whole index in the foreground.
func buildSearch(ctx context.Context, c searchConfig, store *sqlite.Store, logger *slog.Logger) (*search.Service, error) {
	svc, err := newSearch(ctx, c, store, logger)
	if err != nil {
		return nil, err
	}
	if err := svc.Build(ctx); err != nil {
		return nil, err
	}
	return svc, nil
}

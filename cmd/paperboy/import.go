package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/paperboy/paperboy/internal/ingest"
)

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var (
		db     string
		batch  int
		strict bool
		sc     searchConfig
		lc     logConfig
	)
	f := newFlags("import", "import [flags] FILE...\n\nImports arXiv metadata: the snapshot's JSON lines, arXiv API answers (Atom) or OAI-PMH\nListRecords answers (arXiv, arXivRaw), plain or gzip; the format is read from the content.", stderr)
	f.str(&db, "db", "PAPERBOY_DB", "paperboy.db", "SQLite database file (created if missing)")
	f.integer(&batch, "batch", "PAPERBOY_IMPORT_BATCH", ingest.DefaultBatchSize, "papers per transaction")
	f.boolean(&strict, "strict", "PAPERBOY_IMPORT_STRICT", false, "exit with an error when any record is rejected")
	sc.register(f)
	lc.register(f)
	if err := f.parse(args, true); err != nil {
		return err
	}
	if f.NArg() == 0 {
		f.Usage()
		return errors.New("import: no files given")
	}
	store, logger, err := openStore(ctx, db, lc, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	embedHook, embedded, err := newEmbedHook(ctx, sc, store, logger)
	if err != nil {
		return err
	}
	im := &ingest.Importer{Store: store, BatchSize: batch, Progress: stderr, Logger: logger, OnStored: embedHook}
	var total ingest.Report
	var failed []string
	for _, path := range f.Args() {
		rep, err := im.ImportFile(ctx, path)
		total.Add(rep)
		for _, r := range rep.Rejects {
			fmt.Fprintf(stderr, "rejected %s\n", r)
		}
		if more := rep.Rejected - len(rep.Rejects); more > 0 {
			fmt.Fprintf(stderr, "rejected %d more records in %s\n", more, path)
		}
		if err != nil { // the importer wrote the summary of a whole file to stderr
			fmt.Fprintf(stderr, "paperboy: import %s: %v\n", path, err)
			failed = append(failed, path)
			if ctx.Err() != nil {
				break
			}
		}
	}
	if len(f.Args()) > 1 {
		total.File = "total"
		fmt.Fprintln(stdout, total)
	}
	if embedded != nil {
		fmt.Fprintf(stderr, "embedded %d papers for semantic search (-embedder %s)\n", embedded.Load(), sc.embedder)
	}
	switch {
	case len(failed) > 0:
		return fmt.Errorf("import: %d of %d files failed (the papers before each failure are stored)", len(failed), len(f.Args()))
	case strict && total.Rejected > 0:
		return fmt.Errorf("import: %d records rejected", total.Rejected)
	}
	return nil
}

// fileExists reports whether path exists.
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/paperboy/paperboy/internal/community"
	"github.com/paperboy/paperboy/internal/demo"
	"github.com/paperboy/paperboy/internal/ingest"
	"github.com/paperboy/paperboy/internal/sqlite"
)

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c serveConfig
	f := newFlags("demo", "demo [flags]\n\nCreates the demo database from the real papers bundled in the binary (14,098 papers: 580 Hugging Face\nDaily Papers lists with their upvotes, and two arXiv listings), unless it exists, then serves it.", stderr)
	c.register(f, "paperboy-demo.db")
	if err := f.parse(args, false); err != nil {
		return err
	}
	logger, err := c.log.logger(stderr)
	if err != nil {
		return err
	}
	if !fileExists(c.db) {
		if err := createDemo(ctx, c.db, logger, stdout, stderr); err != nil {
			return err
		}
	}
	store, err := sqlite.Open(ctx, c.db)
	if err != nil {
		return err
	}
	defer store.Close()
	return serve(ctx, c, store, logger, stdout)
}

// createDemo builds the demo database beside path and renames it into place
// when it is complete, so an interrupted build never leaves a half demo.
func createDemo(ctx context.Context, path string, logger *slog.Logger, stdout, stderr io.Writer) error {
	tmp := path + ".building"
	for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
		os.Remove(p)
	}
	store, err := sqlite.Open(ctx, tmp)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Creating %s from the bundled real papers...\n", path)
	if err := importDemo(ctx, store, logger, stderr); err != nil {
		store.Close()
		return err
	}
	if err := seedDemo(ctx, store, logger); err != nil {
		store.Close()
		return err
	}
	if err := store.Close(); err != nil {
		return err
	}
	os.Remove(tmp + "-shm")
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

// seedDemo adds a few Paperboy votes from demo accounts to the latest days,
// so that trending has votes to work with; the pages say they are seeded.
func seedDemo(ctx context.Context, store *sqlite.Store, logger *slog.Logger) error {
	svc := community.New(store, nil, nil, community.Options{Logger: logger})
	n, err := svc.SeedDemoVotes(ctx, 7, 5, 1)
	if err != nil {
		return fmt.Errorf("demo: seed votes: %w", err)
	}
	logger.Info("seeded demo votes", "votes", n, "voters", len(community.DemoVoters))
	return nil
}

// importDemo imports the bundled papers into store.
func importDemo(ctx context.Context, store *sqlite.Store, logger *slog.Logger, progress io.Writer) error {
	im := &ingest.Importer{Store: store, Progress: progress, Logger: logger}
	for _, file := range demo.Files() {
		rc, err := file.Open()
		if err != nil {
			return err
		}
		_, err = im.ImportReader(ctx, file.Name, rc) // its summary goes to progress
		rc.Close()
		if err != nil {
			return fmt.Errorf("demo: import %s: %w", file.Name, err)
		}
	}
	return nil
}

package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/paperboy/paperboy/internal/semantic"
)

// runEmbed embeds every paper that has no vector for the configured model,
// with progress, and trains the vector index: what the server does in the
// background at start, done ahead of time (after switching -embedder, or
// before serving a large library).
func runEmbed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var (
		db    string
		prune bool
		sc    searchConfig
		lc    logConfig
	)
	f := newFlags("embed", "embed [flags]\n\nEmbeds the papers that lack vectors for the chosen model (all of them after a model change) and\ntrains the vector index, showing progress. The server does the same in the background at start.", stderr)
	f.str(&db, "db", "PAPERBOY_DB", "paperboy.db", "SQLite database file")
	f.BoolVar(&prune, "prune", false, "afterwards delete the vectors of other models")
	sc.register(f)
	lc.register(f)
	if err := f.parse(args, false); err != nil {
		return err
	}
	store, logger, err := openStore(ctx, db, lc, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	emb, err := sc.newEmbedder(ctx)
	if err != nil {
		return err
	}
	if emb == nil {
		return fmt.Errorf("embed: -embedder none embeds nothing")
	}
	total, err := store.CountPapers(ctx)
	if err != nil {
		return err
	}
	have, err := store.CountVectors(ctx, emb.Model())
	if err != nil {
		return err
	}
	todo := max(0, total-have)
	fmt.Fprintf(stderr, "%d papers, %d already embedded with %s, %d to embed\n", total, have, emb.Model(), todo)
	start := time.Now()
	last := start
	eng := semantic.New(store, emb, semantic.Options{Logger: logger, NoBackgroundTraining: true, Progress: func(done int) {
		if time.Since(last) >= time.Second || done >= todo {
			last = time.Now()
			rate := float64(done) / time.Since(start).Seconds()
			fmt.Fprintf(stderr, "\rembedded %d of %d (%.0f papers/s)  ", done, todo, rate)
		}
	}})
	if err := eng.Load(ctx); err != nil {
		return fmt.Errorf("embed: %w", err)
	}
	fmt.Fprintf(stderr, "\n")
	if prune {
		n, err := store.DeleteOtherVectors(ctx, emb.Model())
		if err != nil {
			return fmt.Errorf("embed: %w", err)
		}
		fmt.Fprintf(stderr, "deleted %d vectors of other models\n", n)
	}
	fmt.Fprintf(stdout, "%d papers have vectors of %s; index of %d lists, ready in %s\n", eng.Len(), emb.Model(), eng.Index().Lists(), time.Since(start).Round(time.Millisecond))
	return nil
}

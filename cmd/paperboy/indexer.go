package main

import (
	"context"
	"log/slog"
	"sync/atomic"

	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/semantic"
	"github.com/paperboy/paperboy/internal/sqlite"
)

// newEmbedHook returns the importer hook that embeds each stored batch, so
// papers are embedded as they are imported and a server starting later (or
// polling now) only loads their vectors. nil when semantic search is off.
func newEmbedHook(ctx context.Context, c searchConfig, store *sqlite.Store, logger *slog.Logger) (func(context.Context, []paper.Paper), *atomic.Int64, error) {
	emb, err := c.newEmbedder(ctx)
	if err != nil || emb == nil {
		return nil, nil, err
	}
	eng := semantic.New(store, emb, semantic.Options{Logger: logger})
	var n atomic.Int64
	return func(ctx context.Context, ps []paper.Paper) {
		k, err := eng.EmbedNew(ctx, ps)
		n.Add(int64(k))
		if err != nil && ctx.Err() == nil {
			// The papers are stored; the server embeds what is missing when it loads.
			logger.Warn("embedding imported papers", "err", err)
		}
	}, &n, nil
}

package main

import (
	"context"
	"log/slog"

	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/sqlite"
)

// newIndexer returns the hook that indexes papers as an import stores them.
func newIndexer(ctx context.Context, store *sqlite.Store, logger *slog.Logger) (func(context.Context, []paper.Paper), error) {
	return nil, nil
}

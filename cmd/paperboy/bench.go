package main

import (
	"context"
	"io"
	"net/http"

	"github.com/paperboy/paperboy/internal/bench"
	"github.com/paperboy/paperboy/internal/sqlite"
	"github.com/paperboy/paperboy/internal/web"
)

// runBench times import, feeds and paper pages on generated and real papers
// (see internal/bench; `paperboy bench -h`).
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return bench.Command(ctx, args, stdout, stderr, func(st *sqlite.Store) (http.Handler, error) {
		srv, err := web.New(web.Config{Store: st})
		if err != nil {
			return nil, err
		}
		return srv.Handler(), nil
	})
}

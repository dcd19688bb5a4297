package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/paperboy/paperboy/internal/api"
	"github.com/paperboy/paperboy/internal/embed"
	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/search"
	"github.com/paperboy/paperboy/internal/semantic"
	"github.com/paperboy/paperboy/internal/sqlite"
	"github.com/paperboy/paperboy/internal/web"
)

// searchConfig chooses the embedder behind semantic search.
type searchConfig struct {
	embedder string
	url      string
	model    string
	dim      int
}

func (c *searchConfig) register(f *flags) {
	f.str(&c.embedder, "embedder", "PAPERBOY_EMBEDDER", "builtin", "semantic search model: builtin (ships in the binary), openai (an OpenAI-compatible /v1/embeddings server such as Ollama, TEI or vLLM), or none")
	f.str(&c.url, "embed-url", "PAPERBOY_EMBED_URL", "http://localhost:11434", "with -embedder openai: the server's base URL (the API key comes from $PAPERBOY_EMBED_API_KEY)")
	f.str(&c.model, "embed-model", "PAPERBOY_EMBED_MODEL", "nomic-embed-text", "with -embedder openai: the model name")
	f.integer(&c.dim, "embed-dim", "PAPERBOY_EMBED_DIM", 0, "with -embedder openai: the vector length (0: ask the server)")
}

// newEmbedder builds the configured embedder; nil when semantic search is off.
func (c searchConfig) newEmbedder(ctx context.Context) (embed.Embedder, error) {
	switch c.embedder {
	case "builtin", "":
		m, err := embed.Default()
		if err != nil {
			return nil, fmt.Errorf("load the built-in embedding model: %w", err)
		}
		return m, nil
	case "openai":
		o := &embed.OpenAI{BaseURL: c.url, ModelName: c.model, APIKey: os.Getenv("PAPERBOY_EMBED_API_KEY"), Dimensions: c.dim}
		if o.Dimensions == 0 {
			v, err := o.EmbedQuery(ctx, "paperboy dimension probe")
			if err != nil {
				return nil, fmt.Errorf("embedding server %s: %w", c.url, err)
			}
			o.Dimensions = len(v)
		}
		return o, nil
	case "none":
		return nil, nil
	}
	return nil, fmt.Errorf("-embedder %q: want builtin, openai or none", c.embedder)
}

// searchWiring holds the running search service.
type searchWiring struct {
	svc *search.Service
}

// newSearch returns the search service over store with the configured
// embedder behind its semantic leg; it has no index until Build or Start.
func newSearch(ctx context.Context, c searchConfig, store *sqlite.Store, logger *slog.Logger) (*search.Service, error) {
	emb, err := c.newEmbedder(ctx)
	if err != nil {
		return nil, err
	}
	var sem search.Semantic
	if emb != nil {
		sem = semantic.New(store, emb, semantic.Options{Logger: logger})
	}
	return search.New(store, sem, search.Options{Logger: logger}), nil
}

// startSearch builds the search service and starts indexing in the
// background: the site serves at once, and search says it is still building.
func startSearch(ctx context.Context, c searchConfig, store *sqlite.Store, logger *slog.Logger) (*searchWiring, error) {
	svc, err := newSearch(ctx, c, store, logger)
	if err != nil {
		return nil, err
	}
	svc.Start(ctx)
	return &searchWiring{svc: svc}, nil
}

// apiSearch answers the API's searches; while the index is being built the
// API says 503 with Retry-After rather than 500.
func (w *searchWiring) apiSearch() api.SearchFunc {
	return func(ctx context.Context, q, mode string, limit int) ([]paper.Paper, error) {
		ps, err := w.svc.SearchPapers(ctx, q, mode, limit)
		if errors.Is(err, search.ErrNotReady) {
			err = fmt.Errorf("%w: %w", api.ErrUnavailable, err)
		}
		return ps, err
	}
}

func (w *searchWiring) web() web.Searcher { return w.svc }

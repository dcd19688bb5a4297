package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/paperboy/paperboy/internal/api"
	"github.com/paperboy/paperboy/internal/sqlite"
	"github.com/paperboy/paperboy/internal/web"
)

// serveConfig is what serve and demo share.
type serveConfig struct {
	db      string
	addr    string
	baseURL string
	log     logConfig
}

func (c *serveConfig) register(f *flags, defaultDB string) {
	f.str(&c.db, "db", "PAPERBOY_DB", defaultDB, "SQLite database file")
	f.str(&c.addr, "addr", "PAPERBOY_ADDR", "localhost:8080", "address to listen on (host:port; :8080 for all interfaces)")
	f.str(&c.baseURL, "base-url", "PAPERBOY_BASE_URL", "", "public URL of the site, for links in emails and feeds (default: from each request)")
	c.log.register(f)
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c serveConfig
	f := newFlags("serve", "serve [flags]", stderr)
	c.register(f, "paperboy.db")
	if err := f.parse(args, false); err != nil {
		return err
	}
	logger, err := c.log.logger(stderr)
	if err != nil {
		return err
	}
	store, err := sqlite.Open(ctx, c.db)
	if err != nil {
		return err
	}
	defer store.Close()
	return serve(ctx, c, store, logger, stdout)
}

// serve runs the site until ctx ends, then shuts down gracefully.
func serve(ctx context.Context, c serveConfig, store *sqlite.Store, logger *slog.Logger, stdout io.Writer) error {
	apiSrv := api.New(api.Config{Store: store, Logger: logger})
	site, err := web.New(web.Config{Store: store, Logger: logger, BaseURL: c.baseURL})
	if err != nil {
		return err
	}
	h := routes(site.Handler(), apiSrv)

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.addr, err)
	}
	srv := web.NewHTTPServer(c.addr, h)
	n, _ := store.CountPapers(ctx)
	fmt.Fprintf(stdout, "Paperboy is serving %d papers from %s at %s\n", n, c.db, listenURL(ln.Addr()))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// routes puts the JSON API beside the site. /papers/{id}.md is the markdown
// that huggingface_hub's read_paper asks for.
func routes(site http.Handler, apiSrv *api.Server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/api/"):
			apiSrv.ServeHTTP(w, r)
		case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/papers/") && strings.HasSuffix(r.URL.Path, ".md"):
			apiSrv.ServeMarkdown(w, r, strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/papers/"), ".md"))
		default:
			site.ServeHTTP(w, r)
		}
	})
}

func listenURL(a net.Addr) string {
	host, port, _ := net.SplitHostPort(a.String())
	if host == "" || host == "::" || host == "0.0.0.0" || host == "127.0.0.1" || host == "::1" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

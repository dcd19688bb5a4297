package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/paperboy/paperboy/internal/api"
	"github.com/paperboy/paperboy/internal/arxiv"
	"github.com/paperboy/paperboy/internal/community"
	"github.com/paperboy/paperboy/internal/mail"
	"github.com/paperboy/paperboy/internal/sqlite"
	"github.com/paperboy/paperboy/internal/web"
)

// serveConfig is what serve and demo share.
type serveConfig struct {
	db            string
	addr          string
	baseURL       string
	arxivAPI      string
	secureCookies bool
	trustProxy    bool
	smtp          mail.Config
	smtpPort      int
	log           logConfig
	search        searchConfig
}

func (c *serveConfig) register(f *flags, defaultDB string) {
	f.str(&c.db, "db", "PAPERBOY_DB", defaultDB, "SQLite database file")
	f.str(&c.addr, "addr", "PAPERBOY_ADDR", "localhost:8080", "address to listen on (host:port; :8080 for all interfaces)")
	f.str(&c.baseURL, "base-url", "PAPERBOY_BASE_URL", "", "public URL of the site, for links in emails (default http://ADDR)")
	f.str(&c.arxivAPI, "arxiv-api", "PAPERBOY_ARXIV_API", arxiv.DefaultBaseURL, "arXiv API query URL, used to fetch submitted papers")
	f.boolean(&c.secureCookies, "secure-cookies", "PAPERBOY_SECURE_COOKIES", false, "mark cookies Secure even over plain HTTP (behind a TLS proxy); always on over TLS")
	f.boolean(&c.trustProxy, "trust-proxy", "PAPERBOY_TRUST_PROXY", false, "take client addresses from X-Forwarded-For (only behind a proxy you run)")
	f.str(&c.smtp.Host, "smtp-host", "PAPERBOY_SMTP_HOST", "", "SMTP server for email (password resets); empty: emails are written to the log, not sent")
	f.integer(&c.smtpPort, "smtp-port", "PAPERBOY_SMTP_PORT", 0, "SMTP port (default 587, or 465 with -smtp-tls tls)")
	f.str(&c.smtp.User, "smtp-user", "PAPERBOY_SMTP_USER", "", "SMTP user name (the password comes from $PAPERBOY_SMTP_PASSWORD only)")
	f.str(&c.smtp.From, "smtp-from", "PAPERBOY_SMTP_FROM", "", "From address of emails")
	f.str(&c.smtp.TLS, "smtp-tls", "PAPERBOY_SMTP_TLS", "starttls", "SMTP security: starttls, tls (implicit) or none (localhost relays only)")
	c.search.register(f)
	c.log.register(f)
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c serveConfig
	f := newFlags("serve", "serve [flags]", stderr)
	c.register(f, "paperboy.db")
	if err := f.parse(args, false); err != nil {
		return err
	}
	store, logger, err := openStore(ctx, c.db, c.log, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	return serve(ctx, c, store, logger, stdout)
}

// serve runs the site until ctx ends, then shuts down gracefully.
func serve(ctx context.Context, c serveConfig, store *sqlite.Store, logger *slog.Logger, stdout io.Writer) error {
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.addr, err)
	}
	if c.baseURL == "" {
		c.baseURL = strings.TrimSuffix(listenURL(ln.Addr()), "/")
	}
	comm, err := newCommunity(c, store, logger)
	if err != nil {
		ln.Close()
		return err
	}
	defer comm.Wait() // mail still being sent
	go cleanupLoop(ctx, comm, logger)
	searcher, err := startSearch(ctx, c.search, store, logger)
	if err != nil {
		ln.Close()
		return err
	}
	apiSrv := api.New(api.Config{Store: store, Logger: logger, Search: searcher.apiSearch()})
	seeded, _ := comm.DemoVotesSeeded(ctx)
	site, err := web.New(web.Config{Store: store, Logger: logger, BaseURL: c.baseURL, Community: comm,
		CommunityHTTP:   community.HTTPOptions{SecureCookies: c.secureCookies, TrustProxy: c.trustProxy},
		DemoVotesSeeded: seeded, Search: searcher.web(), API: apiSrv})
	if err != nil {
		ln.Close()
		return err
	}
	h := routes(site.Handler(), apiSrv)
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

// routes answers /papers/{id}.md, the markdown that huggingface_hub's
// read_paper asks for, beside the site (which serves the API under /api/).
func routes(site http.Handler, apiSrv *api.Server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
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

// newCommunity builds the accounts, votes and comments layer with its mailer.
func newCommunity(c serveConfig, store *sqlite.Store, logger *slog.Logger) (*community.Service, error) {
	mc := c.smtp
	mc.Port = c.smtpPort
	mc.Password = os.Getenv("PAPERBOY_SMTP_PASSWORD")
	mailer, err := mail.New(mc, logger)
	if err != nil {
		return nil, err
	}
	if mc.Host == "" {
		logger.Warn("no SMTP server configured (-smtp-host): emails such as password resets are written to this log, not sent")
	}
	fetcher := &arxiv.Client{BaseURL: c.arxivAPI}
	return community.New(store, mailer, fetcher, community.Options{BaseURL: c.baseURL, Logger: logger}), nil
}

// cleanupLoop removes expired sessions and stale sign-ups every hour.
func cleanupLoop(ctx context.Context, comm *community.Service, logger *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := comm.Cleanup(ctx); err != nil && ctx.Err() == nil {
			logger.Error("community cleanup", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Package web serves Paperboy's HTML pages: the daily feed (day, week and
// month), the paper pages, health checks and the static assets, all rendered
// on the server from embedded templates. Other layers (community, search, API)
// add their routes in routes.go and their templates in templates/.
package web

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
)

// Server holds the parsed templates, the assets and the dependencies.
type Server struct {
	cfg     Config
	store   paper.Store
	log     *slog.Logger
	now     func() time.Time
	tmpl    *templates
	assets  *assets
	handler http.Handler

	paperHooks []PaperHook
	cardHooks  []CardHook
}

// New parses the templates and builds the routes. It fails when a template
// does not parse, so a broken build never starts serving.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("web: Config.Store is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SiteName == "" {
		cfg.SiteName = "Paperboy"
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 30
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	s := &Server{cfg: cfg, store: cfg.Store, log: cfg.Logger, now: cfg.Now}

	var err error
	if s.assets, err = loadAssets(embedded); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if s.tmpl, err = parseTemplates(embedded, s.funcs()); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	mux := http.NewServeMux()
	s.routes(mux)
	s.hooks()
	s.handler = s.middleware(mux)
	return s, nil
}

// Handler is the root handler with every route and middleware.
func (s *Server) Handler() http.Handler { return s.handler }

// NewHTTPServer wraps h in an http.Server with timeouts that keep slow or
// idle clients from holding connections forever. The caller runs
// ListenAndServe and Shutdown.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

package web

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/paperboy/paperboy/internal/community"
	"github.com/paperboy/paperboy/internal/paper"
)

// Config is what the web layer needs. Store is required; the rest has defaults.
type Config struct {
	Store  paper.Store
	Logger *slog.Logger // nil: discard
	// BaseURL is the public address ("https://papers.example.org"), used for
	// canonical links. Empty: taken from each request's Host.
	BaseURL string
	// Now is the clock; nil: time.Now. Tests set it.
	Now func() time.Time
	// SiteName is shown in the header and titles; empty: "Paperboy".
	SiteName string
	// PageSize is the number of papers per feed page; 0: 30.
	PageSize int
	// Extensions add their dependencies below, one field each, typed as an
	// interface declared in the extension's own file of this package (for
	// example Search Searcher, Community CommunityStore). Nil means the
	// feature is off, so the core pages work without them.

	// Community is the accounts, votes and comments layer (community.go);
	// CommunityHTTP its cookie and CSRF options; DemoVotesSeeded makes
	// /trending say that the demo's votes were seeded.
	Community       Community
	CommunityHTTP   community.HTTPOptions
	DemoVotesSeeded bool

	// Search runs /search, /papers/{id}/similar and the paper pages' similar papers (search.go).
	Search Searcher

	// API, when set, answers /api/... behind the same middleware (request
	// log, security headers, panic recovery) as the pages.
	API http.Handler
}

package web

import "net/http"

// routes is the whole URL space of the web layer, one line per route.
// Extensions add their lines here (community: login, votes, comments;
// search: /search; api: /api/v1/...). Handlers return errors; see adapt.
func (s *Server) routes(mux *http.ServeMux) {
	s.handle(mux, "GET /{$}", s.handleHome)
	s.handle(mux, "GET /papers/{$}", s.handleHome)
	s.handle(mux, "GET /papers/date/{date}", s.handleFeed(periodDay))
	s.handle(mux, "GET /papers/week/{week}", s.handleFeed(periodWeek))
	s.handle(mux, "GET /papers/month/{month}", s.handleFeed(periodMonth))
	s.handle(mux, "GET /papers/jump", s.handleJump)
	s.handle(mux, "GET /papers/{id...}", s.withSimilar(s.handlePaper)) // …/{id}/similar: search.go
	s.handle(mux, "GET /search", s.handleSearch)                       // search.go
	s.communityRoutes(mux)                                             // accounts, votes, submissions, comments, profiles, admin (community.go)

	if s.cfg.API != nil {
		mux.Handle("/api/", s.cfg.API) // the JSON API (internal/api)
	}
	s.handle(mux, "GET /healthz", s.handleHealth)
	s.handle(mux, "GET /static/{path...}", s.handleStatic)
	s.handle(mux, "GET /favicon.ico", s.handleFavicon)
	s.handle(mux, "/", s.handleNotFound) // the site's 404 page instead of the mux's text
}

// chain is the middleware every request passes, outermost first.
// Extensions that need the request context (the session loader) add theirs
// after recoverPanics, so a panic in them still gets the 500 page.
func (s *Server) chain() []Middleware {
	return []Middleware{
		s.logRequests,
		s.securityHeaders,
		s.recoverPanics,
		s.communityMiddleware, // session, CSRF, flash (community.go)
	}
}

// hooks registers what fills optional parts of pages: similar papers, the
// reader's votes, comment threads. One line per extension, for example
//
//	s.onPaper(s.similarPapers)
//	s.onCards(s.markVoted)
func (s *Server) hooks() {
	s.communityHooks()         // votes on cards, vote and comment thread on paper pages (community.go)
	s.onPaper(s.similarPapers) // "Similar papers" on paper pages (search.go)
}

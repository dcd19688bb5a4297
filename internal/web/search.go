package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/search"
)

// Searcher is the search service (*search.Service).
type Searcher interface {
	Search(ctx context.Context, q search.Query) (search.Results, error)
	Similar(ctx context.Context, id string, k int) ([]paper.Paper, error)
	HasSemantic() bool
	Progress() int64
}

// How many results a search page shows, and similar papers per page.
const (
	searchPageSize   = 20
	similarOnPaper   = 5
	similarPageLimit = 30
)

// SearchPage is /search.
type SearchPage struct {
	Base
	Hits     []Card // with the matched words marked
	Total    int
	About    bool // Total is an estimate (phrase queries)
	Took     string
	Mode     search.Mode
	Modes    []Link
	Category string
	From, To string // YYYY-MM-DD as typed
	Pages    Pagination
	Notes    []string
	Building int  // papers indexed so far while the first build runs; 0 otherwise
	Searched bool // a query was run (false: the empty form)
	Semantic bool // semantic and hybrid modes are available
}

// handleSearch serves GET /search?q=&mode=&cat=&from=&to=&p=.
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Search == nil {
		return &Error{Status: http.StatusServiceUnavailable, Message: "Search is not set up on this server."}
	}
	v := r.URL.Query()
	q := v.Get("q")
	mode, err := search.ParseMode(v.Get("mode"))
	if err != nil {
		return badRequest("Unknown search mode %q: use hybrid, keyword or semantic.", v.Get("mode"))
	}
	page := 1
	if p := v.Get("p"); p != "" {
		if page, err = strconv.Atoi(p); err != nil || page < 1 {
			return badRequest("Page %q is not a page number (1, 2, …).", p)
		}
	}
	from, err := formDate(v.Get("from"), "from")
	if err != nil {
		return err
	}
	to, err := formDate(v.Get("to"), "to")
	if err != nil {
		return err
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return badRequest("The date range ends (%s) before it starts (%s).", v.Get("to"), v.Get("from"))
	}
	cat := strings.TrimSpace(v.Get("cat"))

	pg := &SearchPage{Base: s.newBase(r, "Search"), Mode: mode, Category: cat, From: v.Get("from"), To: v.Get("to"),
		Semantic: s.cfg.Search.HasSemantic()}
	pg.Query, pg.Nav, pg.NoIndex = q, "search", true
	if strings.TrimSpace(q) != "" {
		pg.Title = q + " · Search"
	}
	pg.Modes = modeTabs(v, mode)

	res, err := s.cfg.Search.Search(r.Context(), search.Query{Text: q, Mode: mode, Category: cat, From: from, To: to,
		Limit: searchPageSize, Offset: (page - 1) * searchPageSize})
	if errors.Is(err, search.ErrNotReady) {
		pg.Building = int(max(s.cfg.Search.Progress(), 1))
		w.Header().Set("Retry-After", "30")
		return s.render(w, r, http.StatusServiceUnavailable, "search", pg)
	}
	if err != nil {
		return fmt.Errorf("search %q: %w", q, err)
	}
	if res.Redirect != "" {
		http.Redirect(w, r, res.Redirect, http.StatusFound)
		return nil
	}
	pg.Searched = strings.TrimSpace(q) != ""
	pg.Total, pg.About, pg.Notes, pg.Mode = res.Total, res.TotalEstimated, res.Notes, res.Mode
	pg.Took = took(res.Took)
	papers := make([]paper.Paper, len(res.Hits))
	for i := range res.Hits {
		papers[i] = res.Hits[i].Paper
	}
	if err := s.RunCardHooks(r, &pg.Base, papers); err != nil {
		return err
	}
	for i := range res.Hits {
		h := &res.Hits[i]
		pg.Hits = append(pg.Hits, Card{Paper: &papers[i], Page: &pg.Base,
			HighlightTitle: h.Title, HighlightAbstract: h.Abstract, Similar: true})
	}
	pg.Pages = paginate("/search", feedRequest{page: page, q: v}, res.Total, searchPageSize)
	return s.render(w, r, http.StatusOK, "search", pg)
}

// formDate reads an optional YYYY-MM-DD form field.
func formDate(s, name string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, badRequest("The %q date %q is not a date like 2024-06-30.", name, s)
	}
	return t, nil
}

// took shows a duration as a reader expects: "12 ms", "0.4 ms", "1.2 s".
func took(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// modeTabs links the same search in each mode (from page 1).
func modeTabs(v url.Values, cur search.Mode) []Link {
	var out []Link
	for _, m := range search.Modes {
		out = append(out, Link{Label: strings.ToUpper(string(m[:1])) + string(m[1:]), URL: withQuery("/search", v, "mode", string(m), "p", ""), Current: m == cur})
	}
	return out
}

// SimilarPage is /papers/{id}/similar.
type SimilarPage struct {
	Base
	Paper  *paper.Paper
	Papers []paper.Paper
}

// withSimilar routes /papers/{id}/similar (the id may hold a slash, so the
// core's /papers/{id...} pattern catches it) to the similar-papers page and
// everything else to next.
func (s *Server) withSimilar(next HandlerFunc) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if id, ok := strings.CutSuffix(r.PathValue("id"), "/similar"); ok {
			return s.handleSimilar(w, r, id)
		}
		return next(w, r)
	}
}

func (s *Server) handleSimilar(w http.ResponseWriter, r *http.Request, raw string) error {
	id, _, err := paper.ParseID(raw)
	if err != nil {
		return notFound("%q is not an arXiv identifier. Paper addresses look like /papers/2310.06110/similar.", raw)
	}
	if raw != id {
		http.Redirect(w, r, paperPath(id)+"/similar", http.StatusMovedPermanently)
		return nil
	}
	p, err := s.store.Paper(r.Context(), id)
	if errors.Is(err, paper.ErrNotFound) {
		return notFound("Paper %s is not in %s yet.", id, s.cfg.SiteName)
	}
	if err != nil {
		return fmt.Errorf("similar to %s: %w", id, err)
	}
	if s.cfg.Search == nil {
		return &Error{Status: http.StatusServiceUnavailable, Message: "Search is not set up on this server, so similar papers are not available."}
	}
	pg := &SimilarPage{Base: s.newBase(r, "Papers similar to "+p.DisplayTitle()), Paper: p}
	pg.Canonical = s.absURL(r, paperPath(id)+"/similar")
	pg.Papers, err = s.cfg.Search.Similar(r.Context(), id, similarPageLimit)
	if errors.Is(err, search.ErrNotReady) {
		return &Error{Status: http.StatusServiceUnavailable, Message: "The search index is still being built; similar papers will be here in a minute.", Err: err}
	}
	if err != nil {
		return fmt.Errorf("similar to %s: %w", id, err)
	}
	if err := s.RunCardHooks(r, &pg.Base, pg.Papers); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "search-similar", pg)
}

// similarPapers fills a paper page's "Similar papers". A search problem
// must not break the paper page: it is logged and the section left out.
func (s *Server) similarPapers(r *http.Request, pg *PaperPage) error {
	if s.cfg.Search == nil || pg.Paper == nil {
		return nil
	}
	sim, err := s.cfg.Search.Similar(r.Context(), pg.Paper.ID, similarOnPaper)
	if err != nil {
		if !errors.Is(err, search.ErrNotReady) && r.Context().Err() == nil {
			s.log.Warn("similar papers", "id", pg.Paper.ID, "err", err)
		}
		return nil
	}
	pg.Similar = sim
	return nil
}

package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/paperboy/paperboy/internal/paper"
)

// SearchFunc runs a search for the API: the query text, the mode
// ("hybrid", "keyword" or "semantic"; "" for the default) and how many results.
type SearchFunc func(ctx context.Context, query, mode string, limit int) ([]paper.Paper, error)

// handleSearch answers GET /api/papers/search?q=&mode=&limit= with a bare array
// of items, like Hugging Face's list_papers (limit 1-120).
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) error {
	if s.search == nil {
		return apiError(http.StatusServiceUnavailable, "search is not available on this server")
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		return apiError(http.StatusBadRequest, "q is required: what to search for")
	}
	limit, err := intParam(r, "limit", 20, 1, 120)
	if err != nil {
		return err
	}
	mode := r.URL.Query().Get("mode")
	switch mode {
	case "", "hybrid", "keyword", "semantic":
	default:
		return apiError(http.StatusBadRequest, "mode must be hybrid, keyword or semantic")
	}
	papers, err := s.search(r.Context(), q, mode, limit)
	if err != nil {
		return err
	}
	items := make([]Item, len(papers))
	for i := range papers {
		items[i] = NewItem(&papers[i])
	}
	return writeJSON(w, http.StatusOK, items)
}

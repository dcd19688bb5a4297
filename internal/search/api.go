package search

import (
	"context"
	"strings"

	"github.com/paperboy/paperboy/internal/paper"
)

// SearchPapers answers the JSON API (/api/papers/search, an api.SearchFunc):
// the papers of the first page, best first. An arXiv id or URL as the query
// answers that paper alone, as the web page goes straight to it.
func (s *Service) SearchPapers(ctx context.Context, query, mode string, limit int) ([]paper.Paper, error) {
	m, err := ParseMode(mode)
	if err != nil {
		return nil, err
	}
	res, err := s.Search(ctx, Query{Text: query, Mode: m, Limit: limit})
	if err != nil {
		return nil, err
	}
	if res.Redirect != "" {
		ps, err := s.store.PapersByID(ctx, []string{strings.TrimPrefix(res.Redirect, "/papers/")})
		if err != nil {
			return nil, err
		}
		return ps, nil
	}
	out := make([]paper.Paper, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.Paper
	}
	return out, nil
}

package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/paperboy/paperboy/internal/paper"
)

// handleDailyPapers answers GET /api/daily_papers?date=|week=|month=&sort=&p=&limit=&submitter=
// like Hugging Face: a bare array, p 0-based, limit 1-100 (default 50); with no
// period, the latest day that has papers.
func (s *Server) handleDailyPapers(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit, err := intParam(r, "limit", 50, 1, 100)
	if err != nil {
		return err
	}
	pageNo, err := intParam(r, "p", 0, 0, 1_000_000)
	if err != nil {
		return err
	}
	sort, err := paper.ParseSort(q.Get("sort"))
	if err != nil {
		return err
	}
	f := paper.Filter{Sort: sort, Limit: limit, Offset: pageNo * limit, Submitter: q.Get("submitter")}
	var given []string
	for _, kind := range []paper.PeriodKind{paper.PeriodDay, paper.PeriodWeek, paper.PeriodMonth} {
		if v := q.Get(string(kind)); v != "" {
			per, err := paper.ParsePeriod(kind, v)
			if err != nil {
				return err
			}
			f.Period = &per
			given = append(given, string(kind))
		}
	}
	if len(given) > 1 {
		return apiError(http.StatusBadRequest, "give one of date, week and month, not "+strings.Join(given, " and "))
	}
	if f.Period == nil && f.Submitter == "" {
		latest, err := s.store.LatestDay(r.Context())
		if errors.Is(err, paper.ErrNotFound) {
			return writeJSON(w, http.StatusOK, []Item{})
		}
		if err != nil {
			return err
		}
		per := paper.DayPeriod(latest)
		f.Period = &per
	}
	page, err := s.store.Papers(r.Context(), f)
	if err != nil {
		return err
	}
	items := make([]Item, len(page.Papers))
	for i := range page.Papers {
		items[i] = NewItem(&page.Papers[i])
	}
	return writeJSON(w, http.StatusOK, items)
}

// handlePaper answers GET /api/papers/{id}: the flat paper object.
func (s *Server) handlePaper(w http.ResponseWriter, r *http.Request) error {
	id, _, err := paper.ParseID(r.PathValue("id"))
	if err != nil {
		return apiError(http.StatusNotFound, err.Error())
	}
	p, err := s.store.Paper(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, NewPaper(p))
}

package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
)

const (
	periodDay   = paper.PeriodDay
	periodWeek  = paper.PeriodWeek
	periodMonth = paper.PeriodMonth
)

// maxPage bounds ?p= so offsets cannot overflow; no feed has that many pages.
const maxPage = 100000

// FeedPage is the data of a day, week or month of papers.
type FeedPage struct {
	Base
	Period   paper.Period
	Heading  string // "Oct 9, 2023", "Week 41, 2023", "October 2023"
	Subhead  string // "Monday", "Oct 9 – Oct 15, 2023"
	IsLatest bool   // the home page: the latest day with papers
	Papers   []paper.Paper
	Total    int
	Sort     paper.Sort
	Category string // ?cat= filter, "" for all
	ClearCat string // the same page without the category filter

	Prev, Next Link   // the closest periods with papers
	Tabs       []Link // Day, Week, Month for the same date
	Sorts      []Link
	Pages      Pagination
	Calendar   Calendar
	Jump       JumpForm
}

// Pagination is the page switcher under a feed.
type Pagination struct {
	Page, Pages int
	From, To    int // 1-based positions of the first and last paper shown
	Prev, Next  Link
	Numbers     []Link // "…" entries have no URL
	OutOfRange  bool   // ?p= past the end: nothing to show but a way back
	Back        Link   // the last page, when OutOfRange
}

// JumpForm is the date picker that works without JS via /papers/jump.
type JumpForm struct {
	Value, Min, Max string // YYYY-MM-DD
	Kind            paper.PeriodKind
	Sort            string // carried through the redirect
	Category        string
}

// feedRequest is a feed page's query parameters, validated.
type feedRequest struct {
	sort paper.Sort
	cat  string
	page int
	q    url.Values // the query, to keep sort and cat in links
}

// dayShapeRe is a YYYY-MM-DD that may still name no real day (2023-02-30).
var dayShapeRe = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$`)

var categoryRe = regexp.MustCompile(`^[A-Za-z-]{2,20}(\.[A-Za-z-]{1,20})?$`)

func parseFeedRequest(r *http.Request) (feedRequest, error) {
	q := r.URL.Query()
	fr := feedRequest{page: 1, q: url.Values{}}
	var err error
	if fr.sort, err = paper.ParseSort(q.Get("sort")); err != nil {
		return fr, err
	}
	if s := q.Get("sort"); s != "" {
		fr.q.Set("sort", string(fr.sort))
	}
	if c := strings.TrimSpace(q.Get("cat")); c != "" {
		if !categoryRe.MatchString(c) {
			return fr, badRequest("%q is not an arXiv category (for example cs.LG or math).", c)
		}
		fr.cat = c
		fr.q.Set("cat", c)
	}
	if p := q.Get("p"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			return fr, badRequest("Page %q is not a page number; pages start at 1.", p)
		}
		fr.page = min(n, maxPage)
	}
	return fr, nil
}

// handleHome shows the latest day that has papers, or how to get some.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	day, err := s.store.LatestDay(r.Context())
	if errors.Is(err, paper.ErrNotFound) {
		pg := &FeedPage{Base: s.newBase(r, "")}
		pg.NoIndex = true
		return s.render(w, r, http.StatusOK, "empty", pg)
	}
	if err != nil {
		return fmt.Errorf("latest day: %w", err)
	}
	return s.serveFeed(w, r, paper.DayPeriod(day), true)
}

// handleFeed serves /papers/date/…, /papers/week/…, /papers/month/….
func (s *Server) handleFeed(kind paper.PeriodKind) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		v := r.PathValue(string(kind))
		p, err := paper.ParsePeriod(kind, v)
		if err != nil {
			if _, perr := time.Parse("2006-01-02", v); perr != nil && kind == periodDay && dayShapeRe.MatchString(v) {
				return badRequest("%s is not a day on the calendar: that month has no day %s.", v, v[8:])
			}
			return err
		}
		return s.serveFeed(w, r, p, false)
	}
}

func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request, per paper.Period, latest bool) error {
	ctx := r.Context()
	fr, err := parseFeedRequest(r)
	if err != nil {
		return err
	}
	size := s.cfg.PageSize
	res, err := s.store.Papers(ctx, paper.Filter{
		Period: &per, Category: fr.cat, Sort: fr.sort,
		Limit: size, Offset: (fr.page - 1) * size,
	})
	if err != nil {
		return fmt.Errorf("feed %s: %w", per, err)
	}

	// The calendar shows the anchor day's month; counts also cover the whole
	// period so the Day tab of a week or month can land on a day with papers.
	cal := paper.MonthPeriod(per.Start)
	from, to := minTime(cal.Start, per.Start), maxTime(cal.End, per.End)
	counts, err := s.store.DayCounts(ctx, from, to)
	if err != nil {
		return fmt.Errorf("day counts %s: %w", per, err)
	}
	anchor := per.Start
	if per.Kind != periodDay {
		anchor = latestDayIn(counts, per, per.Start)
		cal = paper.MonthPeriod(anchor)
	}
	newest, err := s.store.LatestDay(ctx)
	if err != nil && !errors.Is(err, paper.ErrNotFound) {
		return fmt.Errorf("latest day: %w", err)
	}

	pg := &FeedPage{
		Base:     s.newBase(r, ""),
		Period:   per,
		IsLatest: latest,
		Papers:   res.Papers,
		Total:    res.Total,
		Sort:     fr.sort,
		Category: fr.cat,
	}
	pg.Nav = string(per.Kind)
	pg.Heading, pg.Subhead = periodHeading(per)
	self := periodPath(per)
	pg.Title = pg.Heading
	if latest {
		// "/" and "/papers/" show the same page; links and the canonical use "/".
		self, pg.Title = "/", "Daily papers"
	}
	pg.Description = fmt.Sprintf("%s papers of %s on %s.", number(res.Total), pg.Heading, s.cfg.SiteName)
	pg.Canonical = s.absURL(r, withQuery(self, fr.q, "p", pageParam(fr.page)))
	pg.ListPath = withQuery(self, fr.q, "cat", "", "p", "")
	if fr.cat != "" {
		pg.ClearCat = withQuery(self, fr.q, "cat", "")
	}
	if pg.Prev, pg.Next, err = s.adjacent(r, per, fr.q); err != nil {
		return err
	}
	pg.Tabs = periodTabs(anchor, per.Kind, fr.q)
	pg.Sorts = sortLinks(self, fr)
	pg.Pages = paginate(self, fr, res.Total, size)
	if pg.Pages.OutOfRange {
		pg.NoIndex = true
	}
	pg.Calendar = buildCalendar(cal.Start, per, counts, s.now(), fr.q)
	pg.Jump = JumpForm{
		Value: anchor.Format("2006-01-02"), Kind: per.Kind,
		Sort: fr.q.Get("sort"), Category: fr.cat,
	}
	if !newest.IsZero() {
		pg.Jump.Max = newest.Format("2006-01-02")
	}
	if err := s.RunCardHooks(r, &pg.Base, pg.Papers); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "feed", pg)
}

// adjacent finds the closest periods before and after per that have papers,
// so prev/next never lead to an empty page.
func (s *Server) adjacent(r *http.Request, per paper.Period, q url.Values) (prev, next Link, err error) {
	ctx := r.Context()
	before, _, err := s.store.AdjacentDays(ctx, per.Start)
	if err != nil {
		return prev, next, fmt.Errorf("adjacent days %s: %w", per, err)
	}
	_, after, err := s.store.AdjacentDays(ctx, per.End.AddDate(0, 0, -1))
	if err != nil {
		return prev, next, fmt.Errorf("adjacent days %s: %w", per, err)
	}
	link := func(day time.Time, dir string) Link {
		if day.IsZero() {
			return Link{Label: dir}
		}
		p := periodOf(per.Kind, day)
		h, _ := periodHeading(p)
		return Link{Label: dir, URL: withQuery(periodPath(p), q), Title: h}
	}
	return link(before, "Previous"), link(after, "Next"), nil
}

func periodOf(kind paper.PeriodKind, day time.Time) paper.Period {
	switch kind {
	case periodWeek:
		return paper.WeekPeriod(day)
	case periodMonth:
		return paper.MonthPeriod(day)
	}
	return paper.DayPeriod(day)
}

func periodPath(p paper.Period) string { return "/papers/" + string(p.Kind) + "/" + p.String() }

// periodHeading names a period for people.
func periodHeading(p paper.Period) (heading, sub string) {
	switch p.Kind {
	case periodWeek:
		y, w := p.Start.ISOWeek()
		last := p.End.AddDate(0, 0, -1)
		return fmt.Sprintf("Week %d, %d", w, y), p.Start.Format("Jan 2") + " – " + last.Format(dateLayout)
	case periodMonth:
		return p.Start.Format("January 2006"), ""
	}
	return p.Start.Format(dateLayout), p.Start.Format("Monday")
}

func periodTabs(anchor time.Time, kind paper.PeriodKind, q url.Values) []Link {
	var tabs []Link
	for _, k := range []struct {
		kind  paper.PeriodKind
		label string
	}{{periodDay, "Day"}, {periodWeek, "Week"}, {periodMonth, "Month"}} {
		tabs = append(tabs, Link{Label: k.label, URL: withQuery(periodPath(periodOf(k.kind, anchor)), q), Current: k.kind == kind})
	}
	return tabs
}

func sortLinks(self string, fr feedRequest) []Link {
	var out []Link
	for _, o := range []struct {
		sort         paper.Sort
		param, label string
		title        string
	}{
		{paper.SortTrending, "trending", "Trending", "Most upvoted, favouring recent votes"},
		{paper.SortUpvotes, "", "Most upvoted", "Most upvotes first"},
		{paper.SortNewest, "newest", "Newest", "Latest first"},
	} {
		out = append(out, Link{Label: o.label, Title: o.title, Current: o.sort == fr.sort,
			URL: withQuery(self, fr.q, "sort", o.param, "p", "")})
	}
	return out
}

func pageParam(n int) string {
	if n <= 1 {
		return ""
	}
	return strconv.Itoa(n)
}

// paginate builds the page switcher: first, last, and two pages either side
// of the current one, with "…" for the gaps.
func paginate(self string, fr feedRequest, total, size int) Pagination {
	pages := (total + size - 1) / size
	pg := Pagination{Page: fr.page, Pages: pages}
	url := func(n int) string { return withQuery(self, fr.q, "p", pageParam(n)) }
	if total > 0 && fr.page > pages {
		pg.OutOfRange = true
		pg.Back = Link{Label: fmt.Sprintf("Go to page %d", pages), URL: url(pages)}
		return pg
	}
	if total == 0 {
		return pg
	}
	pg.From = (fr.page-1)*size + 1
	pg.To = min(fr.page*size, total)
	pg.Prev = Link{Label: "Previous page"}
	if fr.page > 1 {
		pg.Prev.URL = url(fr.page - 1)
	}
	pg.Next = Link{Label: "Next page"}
	if fr.page < pages {
		pg.Next.URL = url(fr.page + 1)
	}
	gap := false
	for n := 1; n <= pages; n++ {
		if n == 1 || n == pages || (n >= fr.page-2 && n <= fr.page+2) {
			pg.Numbers = append(pg.Numbers, Link{Label: strconv.Itoa(n), URL: url(n), Current: n == fr.page})
			gap = false
		} else if !gap {
			pg.Numbers = append(pg.Numbers, Link{Label: "…"})
			gap = true
		}
	}
	return pg
}

// latestDayIn is the latest day of per that has papers, or def.
func latestDayIn(counts map[string]int, per paper.Period, def time.Time) time.Time {
	var days []string
	for d, n := range counts {
		if n > 0 {
			days = append(days, d)
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(days)))
	for _, d := range days {
		t, err := time.Parse("2006-01-02", d)
		if err == nil && per.Contains(t) {
			return t
		}
	}
	return def
}

// handleJump turns the date picker's GET into the page for that date, so the
// picker works without JS. It also takes "2024-W22" and "2024-05".
func (s *Server) handleJump(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	v := strings.TrimSpace(q.Get("date"))
	if v == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	kind := paper.PeriodKind(q.Get("kind"))
	switch kind {
	case "", "day":
		kind = periodDay
	case periodDay, periodWeek, periodMonth:
	default:
		return badRequest("%q is not a period; use date, week or month.", kind)
	}
	var per paper.Period
	var err error
	switch {
	case strings.Contains(v, "W"):
		per, err = paper.ParsePeriod(periodWeek, v)
	case len(v) == 7:
		per, err = paper.ParsePeriod(periodMonth, v)
	default:
		per, err = paper.ParsePeriod(periodDay, v)
		if err == nil {
			per = periodOf(kind, per.Start)
		}
	}
	if err != nil {
		return err
	}
	keep := url.Values{}
	if _, err := paper.ParseSort(q.Get("sort")); err == nil && q.Get("sort") != "" {
		keep.Set("sort", q.Get("sort"))
	}
	if c := q.Get("cat"); categoryRe.MatchString(c) {
		keep.Set("cat", c)
	}
	http.Redirect(w, r, withQuery(periodPath(per), keep), http.StatusSeeOther)
	return nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

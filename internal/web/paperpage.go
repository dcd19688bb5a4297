package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/paperboy/paperboy/internal/paper"
)

// PaperPage is the data of /papers/{id}.
type PaperPage struct {
	Base
	Paper *paper.Paper
	// RequestedVersion is the version the URL named (2 for …v2), 0 for none.
	RequestedVersion int
	VersionNote      string // why the page shows another version than asked
	VersionNoteURL   string // the asked-for version on arXiv

	Links    []Link // arXiv, PDF, DOI, code, project page, Hugging Face
	Versions []VersionRow
	Dates    []DateRow
	FeedDay  Link // the day the paper is on in the feed

	// Slots filled by extension hooks; each section renders only when set.
	Similar []paper.Paper // "Similar papers" (search layer)
}

// VersionRow is one line of the version history.
type VersionRow struct {
	Number  int
	Created time.Time // zero when unknown
	URL     string    // the version on arXiv
	Latest  bool
	Asked   bool // the version the URL named
}

// DateRow is one labelled date of the paper's metadata.
type DateRow struct {
	Label string
	Date  time.Time
	URL   string // a feed page, when the date is the paper's featured day
}

// handlePaper serves a paper's page. Any spelling of an id that ParseID
// understands redirects to the one canonical URL; the version stays in the
// URL because the reader asked for it.
func (s *Server) handlePaper(w http.ResponseWriter, r *http.Request) error {
	raw := r.PathValue("id")
	id, version, err := paper.ParseID(raw)
	if err != nil {
		return notFound("%q is not an arXiv identifier. Paper addresses look like /papers/2310.06110 or /papers/hep-th/9901001.", raw)
	}
	want := id
	if version > 0 {
		want = fmt.Sprintf("%sv%d", id, version)
	}
	if raw != want {
		target := paperPath(want)
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return nil
	}
	p, err := s.store.Paper(r.Context(), id)
	if errors.Is(err, paper.ErrNotFound) {
		return &Error{Status: http.StatusNotFound, Err: err,
			Message: fmt.Sprintf("Paper %s is not in %s yet.", want, s.cfg.SiteName),
			Hint:    Link{Label: "Look for it on arXiv", URL: "https://arxiv.org/abs/" + want}}
	}
	if err != nil {
		return fmt.Errorf("paper %s: %w", id, err)
	}

	pg := &PaperPage{Base: s.newBase(r, p.DisplayTitle()), Paper: p, RequestedVersion: version}
	pg.Description = truncate(p.DisplayAbstract(), 240)
	pg.Canonical = s.absURL(r, paperPath(p.ID))
	pg.VersionNote, pg.VersionNoteURL = versionNote(p, version)
	pg.Links = paperLinks(p)
	pg.Versions = versionRows(p, version)
	pg.Dates = dateRows(p)
	if d := p.Day(); !d.IsZero() {
		pg.FeedDay = Link{Label: d.Format(dateLayout), URL: periodPath(paper.DayPeriod(d))}
	}
	for _, h := range s.paperHooks {
		if err := h(r, pg); err != nil {
			return err
		}
	}
	if len(pg.Similar) > 0 {
		if err := s.RunCardHooks(r, &pg.Base, pg.Similar); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "paper", pg)
}

func versionNote(p *paper.Paper, asked int) (note, url string) {
	if asked == 0 || asked == p.Version {
		return "", ""
	}
	url = fmt.Sprintf("https://arxiv.org/abs/%sv%d", p.ID, asked)
	if p.Version == 0 {
		return fmt.Sprintf("You asked for version %d. %s does not know which versions this paper has; this page shows the metadata it has.", asked, "Paperboy"), url
	}
	if asked > p.Version {
		return fmt.Sprintf("You asked for version %d, but the latest version known here is v%d. This page shows v%d.", asked, p.Version, p.Version), url
	}
	return fmt.Sprintf("You asked for version %d. This page shows the latest version, v%d; the title and abstract of v%d may differ.", asked, p.Version, asked), url
}

func paperLinks(p *paper.Paper) []Link {
	links := []Link{
		{Label: "arXiv page", URL: p.AbsURL(), Title: "The abstract page on arXiv"},
		{Label: "PDF", URL: p.PDFURL(), Title: "The full text on arXiv", Icon: "pdf"},
	}
	for i, u := range p.CodeURLs {
		l := Link{Label: "Code", URL: u, Title: domain(u), Icon: "code"}
		if i > 0 {
			l.Label = "Code (" + domain(u) + ")"
		}
		links = append(links, l)
	}
	if p.ProjectPage != "" {
		links = append(links, Link{Label: "Project page", URL: p.ProjectPage, Title: domain(p.ProjectPage)})
	}
	if p.DOI != "" {
		links = append(links, Link{Label: "DOI", URL: "https://doi.org/" + p.DOI, Title: p.DOI})
	}
	if !p.DailyDate.IsZero() || p.SourceUpvotes > 0 {
		links = append(links, Link{Label: "Hugging Face", URL: "https://huggingface.co/papers/" + p.ID, Title: "The paper on Hugging Face Daily Papers"})
	}
	return links
}

func versionRows(p *paper.Paper, asked int) []VersionRow {
	var rows []VersionRow
	for i := len(p.Versions) - 1; i >= 0; i-- { // newest first
		v := p.Versions[i]
		rows = append(rows, VersionRow{
			Number: v.Number, Created: v.Created,
			URL:    fmt.Sprintf("https://arxiv.org/abs/%sv%d", p.ID, v.Number),
			Latest: v.Number == p.Version, Asked: v.Number == asked,
		})
	}
	return rows
}

func dateRows(p *paper.Paper) []DateRow {
	var rows []DateRow
	add := func(label string, t time.Time, url string) {
		if !t.IsZero() {
			rows = append(rows, DateRow{Label: label, Date: paper.DayOf(t), URL: url})
		}
	}
	add("Submitted", p.Published, "")
	if !p.Updated.IsZero() && !paper.DayOf(p.Updated).Equal(paper.DayOf(p.Published)) {
		add("Last updated", p.Updated, "")
	}
	if !p.DailyDate.IsZero() {
		add("Featured", p.DailyDate, periodPath(paper.DayPeriod(p.DailyDate)))
	} else if p.Published.IsZero() {
		add("Listed", p.ListingDate, periodPath(paper.DayPeriod(p.ListingDate)))
	}
	return rows
}

// truncate shortens s to about n bytes at a word boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		for cut = n; cut > 0 && !utf8.RuneStart(s[cut]); cut-- {
		}
	}
	return strings.TrimRight(s[:cut], " ,.;:") + "…"
}

// handleHealth answers load balancers and monitors: 200 "ok" when the
// database answers, 503 when not.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if _, err := s.store.CountPapers(ctx); err != nil {
		s.log.Error("health check", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "database unavailable")
		return nil
	}
	fmt.Fprintln(w, "ok")
	return nil
}

// Package api serves Paperboy's JSON API in the shapes of the Hugging Face
// papers API, so that its clients (huggingface_hub's list_daily_papers,
// paper_info, list_papers) work against Paperboy unchanged. The shapes are
// described in ../shared/notes/hf-api-contract.md; the essentials: list
// endpoints answer a bare JSON array of items that nest the paper under
// "paper", single papers are flat objects, datetimes are UTC with a Z.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
)

// Server answers /api/... requests.
type Server struct {
	store  paper.Store
	logger *slog.Logger
	mux    *http.ServeMux
	// Search answers /api/papers/search; nil until a search service is wired.
	search SearchFunc
}

// Config configures the API.
type Config struct {
	Store  paper.Store
	Logger *slog.Logger
	Search SearchFunc // optional
}

// New builds the API handler.
func New(cfg Config) *Server {
	s := &Server{store: cfg.Store, logger: cfg.Logger, search: cfg.Search, mux: http.NewServeMux()}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	s.handle("GET /api/daily_papers", s.handleDailyPapers)
	s.handle("GET /api/papers/search", s.handleSearch)
	s.handle("GET /api/papers/{id...}", s.handlePaper)
	s.handle("/api/", func(w http.ResponseWriter, r *http.Request) error {
		return apiError(http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path)
	})
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

type handlerFunc func(http.ResponseWriter, *http.Request) error

// statusError is an error with the HTTP status it answers.
type statusError struct {
	status int
	msg    string
}

func (e *statusError) Error() string { return e.msg }

func apiError(status int, msg string) error { return &statusError{status, msg} }

// ErrUnavailable marks errors of a service that will answer later (a search
// index still being built): the API answers 503.
var ErrUnavailable = errors.New("temporarily unavailable")

func (s *Server) handle(pattern string, h handlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		status, msg := http.StatusInternalServerError, "internal error"
		var se *statusError
		switch {
		case errors.As(err, &se):
			status, msg = se.status, se.msg
		case errors.Is(err, ErrUnavailable):
			status, msg = http.StatusServiceUnavailable, err.Error()
			w.Header().Set("Retry-After", "10")
		case errors.Is(err, paper.ErrNotFound):
			status, msg = http.StatusNotFound, err.Error()
		case errors.Is(err, paper.ErrInvalid):
			status, msg = http.StatusBadRequest, err.Error()
		}
		if status >= 500 {
			s.logger.Error("api", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		writeJSON(w, status, map[string]string{"error": msg})
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*") // public, read-only data
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// intParam reads an integer query parameter within [lo, hi], def when absent.
func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, apiError(http.StatusBadRequest, name+" must be a whole number from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
	}
	return n, nil
}

// Time marshals as Hugging Face does: UTC, milliseconds, Z ("2023-09-21T00:00:00.000Z").
type Time time.Time

// MarshalJSON implements json.Marshaler.
func (t Time) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).UTC().Format("2006-01-02T15:04:05.000Z") + `"`), nil
}

// Author is one author.
type Author struct {
	Name string `json:"name"`
}

// User is a submitter.
type User struct {
	User     string `json:"user"`
	Fullname string `json:"fullname"`
}

// Paper is the paper object: flat at /api/papers/{id}, nested under "paper" in lists.
type Paper struct {
	ID                 string   `json:"id"`
	Authors            []Author `json:"authors"`
	PublishedAt        Time     `json:"publishedAt"`
	SubmittedOnDailyAt *Time    `json:"submittedOnDailyAt,omitempty"`
	Title              string   `json:"title"`
	Summary            string   `json:"summary"`
	Upvotes            int      `json:"upvotes"`
	DiscussionID       string   `json:"discussionId"`
	// Paperboy's own fields: extra keys are kept by the HF client and harmless.
	Version       int      `json:"version,omitempty"`
	Categories    []string `json:"categories,omitempty"`
	SourceUpvotes int      `json:"sourceUpvotes"` // imported from Hugging Face
	Votes         int      `json:"paperboyVotes"` // cast in Paperboy
	NumComments   int      `json:"numComments"`
	GithubRepo    string   `json:"githubRepo,omitempty"`
	ProjectPage   string   `json:"projectPage,omitempty"`
	Comments      string   `json:"comments,omitempty"`
	JournalRef    string   `json:"journalRef,omitempty"`
	DOI           string   `json:"doi,omitempty"`
	SubmittedBy   *User    `json:"submittedOnDailyBy,omitempty"`
}

// Item is one entry of a daily list or a search result.
type Item struct {
	Paper       Paper  `json:"paper"`
	PublishedAt Time   `json:"publishedAt"` // when it was on the daily list
	Title       string `json:"title"`
	Summary     string `json:"summary"`
	NumComments int    `json:"numComments"`
	Upvotes     int    `json:"upvotes"`
	SubmittedBy *User  `json:"submittedBy,omitempty"`
	GithubRepo  string `json:"githubRepo,omitempty"`
	ProjectPage string `json:"projectPage,omitempty"`
}

// NewPaper converts a stored paper.
func NewPaper(p *paper.Paper) Paper {
	out := Paper{
		ID: p.ID, Title: p.DisplayTitle(), Summary: p.DisplayAbstract(), Upvotes: p.Upvotes(),
		DiscussionID: p.ID, Version: p.Version, Categories: p.Categories, SourceUpvotes: p.SourceUpvotes,
		Votes: p.Votes, NumComments: p.NumComments, ProjectPage: p.ProjectPage, Comments: p.Comments,
		JournalRef: p.JournalRef, DOI: p.DOI,
	}
	out.Authors = make([]Author, len(p.Authors))
	for i, a := range p.Authors {
		out.Authors[i] = Author{Name: a}
	}
	out.PublishedAt = Time(firstNonZero(p.Published, p.Day(), p.Month()))
	if d := p.Day(); !d.IsZero() {
		t := Time(d)
		out.SubmittedOnDailyAt = &t
	}
	if len(p.CodeURLs) > 0 {
		out.GithubRepo = p.CodeURLs[0]
	}
	if p.SubmittedBy != "" {
		out.SubmittedBy = &User{User: p.SubmittedBy, Fullname: p.SubmittedBy}
	}
	return out
}

// NewItem converts a stored paper into a list item.
func NewItem(p *paper.Paper) Item {
	ap := NewPaper(p)
	it := Item{Paper: ap, Title: ap.Title, Summary: ap.Summary, NumComments: p.NumComments,
		Upvotes: ap.Upvotes, SubmittedBy: ap.SubmittedBy, GithubRepo: ap.GithubRepo, ProjectPage: ap.ProjectPage}
	it.PublishedAt = Time(firstNonZero(p.Day(), p.Published, p.Month()))
	return it
}

func firstNonZero(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Unix(0, 0)
}

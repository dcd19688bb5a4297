package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/paperboy/paperboy/internal/paper"
)

// Base is what the layout (templates/layout/base.html) reads. Every page's
// data embeds it, so header, footer and head work the same on every page.
type Base struct {
	Site        string // site name
	Title       string // document title before " · Site"; "" for the site name alone
	Description string // meta description
	Canonical   string // absolute canonical URL; "" for none
	NoIndex     bool   // error and empty pages ask robots not to index them
	Path        string // the request path, for "you are here" styling
	Query       string // the search box's value
	Nav         string // the header item to highlight: "date", "week", "month", "search", ...
	ListPath    string // the list being shown, with its query: category chips filter it

	// Filled by the community layer through WithSession. The layout shows
	// login/signup links while User is nil.
	User      *User
	CSRFToken string // for forms that POST; "" when no session layer runs
	Flashes   []Flash

	// Ext carries data for extension templates that the core does not know.
	Ext map[string]any
}

func (b *Base) base() *Base { return b }

// page is any page data: a struct that embeds Base.
type page interface{ base() *Base }

// User is the signed-in reader as the layout shows them.
type User struct {
	Username string
	Name     string // display name; "" shows Username
	IsAdmin  bool
	// IsModerator: may hide comments and suspend users (admins are moderators too).
	IsModerator bool
}

// Flash is a one-time message shown at the top of a page ("Check your mail").
type Flash struct {
	Kind    string // "info", "success" or "error": a CSS class
	Message string
}

// Session is what the session middleware of the community layer knows
// about a request. The core never creates one.
type Session struct {
	User      *User
	CSRFToken string
	Flashes   []Flash
}

type sessionKey struct{}

// WithSession returns a context carrying s; the layout reads it.
func WithSession(ctx context.Context, s *Session) context.Context {
	return context.WithValue(ctx, sessionKey{}, s)
}

// SessionFrom returns the request's session, or nil.
func SessionFrom(ctx context.Context) *Session {
	s, _ := ctx.Value(sessionKey{}).(*Session)
	return s
}

// newBase fills the layout's data for a request.
func (s *Server) newBase(r *http.Request, title string) Base {
	b := Base{Site: s.cfg.SiteName, Title: title, Path: r.URL.Path}
	if sess := SessionFrom(r.Context()); sess != nil {
		b.User, b.CSRFToken, b.Flashes = sess.User, sess.CSRFToken, sess.Flashes
	}
	return b
}

// absURL makes path absolute with the configured base URL, or the request's
// host when none is configured.
func (s *Server) absURL(r *http.Request, path string) string {
	if s.cfg.BaseURL != "" {
		return s.cfg.BaseURL + path
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

// Link is a navigation link; an empty URL renders as disabled text.
type Link struct {
	Label   string
	URL     string
	Current bool   // aria-current: the page or option being shown
	Title   string // tooltip, optional
	Icon    string // an icon name for templates that show one ("pdf", "code")
}

// PaperHook fills optional parts of a paper page (similar papers, the
// comment thread, the reader's vote) before it renders.
type PaperHook func(r *http.Request, pg *PaperPage) error

// CardHook sees every list of paper cards before it renders, for example to
// mark the ones the reader upvoted in b.Ext.
type CardHook func(r *http.Request, b *Base, papers []paper.Paper) error

func (s *Server) onPaper(h PaperHook) { s.paperHooks = append(s.paperHooks, h) }
func (s *Server) onCards(h CardHook)  { s.cardHooks = append(s.cardHooks, h) }

// RunCardHooks lets pages outside the core (search results, profiles) give
// extensions the same chance to decorate cards as the feed does.
func (s *Server) RunCardHooks(r *http.Request, b *Base, papers []paper.Paper) error {
	for _, h := range s.cardHooks {
		if err := h(r, b, papers); err != nil {
			return err
		}
	}
	return nil
}

// withQuery sets (or, with "", removes) query parameters on a path.
func withQuery(path string, q url.Values, kv ...string) string {
	v := url.Values{}
	for k, vs := range q {
		v[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	if enc := v.Encode(); enc != "" {
		return path + "?" + enc
	}
	return path
}

// paperPath is the page of a paper: "/papers/2310.06110", "/papers/hep-th/9901001".
// Ids contain only [a-z0-9.-/], so they need no escaping.
func paperPath(id string) string { return "/papers/" + strings.TrimPrefix(id, "/") }

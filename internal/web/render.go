package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
)

// templates are the parsed pages. Each page is the layout set
// (templates/layout, then templates/ext, which may redefine layout
// partials) plus one file of templates/pages, executed as "base".
type templates struct {
	pages map[string]*template.Template
}

func parseTemplates(files fs.FS, funcs template.FuncMap) (*templates, error) {
	root := template.New("").Funcs(funcs)
	for _, dir := range []string{"templates/layout", "templates/ext"} {
		names, err := fs.Glob(files, dir+"/*.html")
		if err != nil {
			return nil, err
		}
		sort.Strings(names)
		for _, name := range names {
			if err := parseFile(root, files, name); err != nil {
				return nil, err
			}
		}
	}
	if root.Lookup("base") == nil {
		return nil, fmt.Errorf("templates: layout defines no \"base\"")
	}
	pages, err := fs.Glob(files, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, name := range pages {
		pt, err := root.Clone()
		if err != nil {
			return nil, err
		}
		if err := parseFile(pt, files, name); err != nil {
			return nil, err
		}
		if pt.Lookup("main") == nil {
			return nil, fmt.Errorf("template %s defines no \"main\"", name)
		}
		t.pages[strings.TrimSuffix(path.Base(name), ".html")] = pt
	}
	return t, nil
}

func parseFile(t *template.Template, files fs.FS, name string) error {
	b, err := fs.ReadFile(files, name)
	if err != nil {
		return err
	}
	if _, err := t.New(name).Parse(string(b)); err != nil {
		return fmt.Errorf("parse template: %w", err)
	}
	return nil
}

// names lists the pages, for the test that executes every template.
func (t *templates) names() []string {
	var out []string
	for n := range t.pages {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// render executes a page into a buffer and writes it only when it worked,
// so a template error becomes a clean 500 page, never half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data page) error {
	t, ok := s.tmpl.pages[name]
	if !ok {
		return fmt.Errorf("render: no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "base", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	if h.Get("Cache-Control") == "" {
		// Pages change as papers and votes arrive; let caches keep nothing stale.
		h.Set("Cache-Control", "no-cache")
	}
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	if err != nil {
		s.log.Debug("write response", "path", r.URL.Path, "err", err)
	}
	return nil
}

// Render is render for pages that extensions add: it writes data with the
// page template name (a file in templates/pages without .html) and status 200.
func (s *Server) Render(w http.ResponseWriter, r *http.Request, name string, data page) error {
	return s.render(w, r, http.StatusOK, name, data)
}

// dateLayout is how days read on the site: "Oct 9, 2023", as on Hugging Face.
const dateLayout = "Jan 2, 2006"

func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": func(name string) (string, error) { return s.assets.url(name) },
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format(dateLayout)
		},
		"longDate": func(t time.Time) string { return t.UTC().Format("Monday, January 2, 2006") },
		"isoDate":  func(t time.Time) string { return t.UTC().Format("2006-01-02") },
		// utc is the server-side text of a <time> that app.js turns into the
		// reader's local time.
		"utc":         func(t time.Time) string { return t.UTC().Format("Jan 2, 2006 15:04 UTC") },
		"rfc3339":     func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"dayURL":      func(t time.Time) string { return "/papers/date/" + t.UTC().Format("2006-01-02") },
		"paperURL":    paperPath,
		"plural":      plural,
		"number":      number,
		"upvoteTip":   upvoteTip,
		"card":        func(pg page, p paper.Paper) Card { return Card{Paper: &p, Page: pg.base()} },
		"domain":      domain,
		"slug":        slug,
		"tidy":        paper.TidyText,
		"catURL":      catURL,
		"licenseName": licenseName,
		"add":         func(a, b int) int { return a + b },
	}
}

// Card is the data of one paper card: the paper and the page it is on
// (extension templates need the page's User and CSRFToken for vote buttons).
type Card struct {
	*paper.Paper
	Page *Base
	// HighlightTitle and HighlightAbstract, when set, replace the tidied
	// title and abstract with versions whose matched words are marked (search).
	HighlightTitle, HighlightAbstract template.HTML
	// Similar adds a link to the paper's similar papers (search results).
	Similar bool
}

// plural writes "1 author", "4 authors".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return number(n) + " " + word + "s"
}

// number writes 12345 as "12,345".
func number(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// upvoteTip says where an upvote count comes from, since imported and local
// votes must never be confused.
func upvoteTip(p *paper.Paper) string {
	src := plural(p.SourceUpvotes, "upvote") + " on Hugging Face"
	if !p.SourceUpvotesAt.IsZero() {
		src += " (counted " + p.SourceUpvotesAt.UTC().Format(dateLayout) + ")"
	}
	return fmt.Sprintf("%s: %s + %s on Paperboy", plural(p.Upvotes(), "upvote"), src, plural(p.Votes, "vote"))
}

// domain is the host of a URL, for link labels: "github.com/org/repo".
func domain(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	return strings.TrimPrefix(strings.TrimSuffix(u, "/"), "www.")
}

// slug makes an id usable in HTML ids and fragments: "hep-th/9901001" -> "hep-th-9901001".
func slug(id string) string { return strings.NewReplacer("/", "-", ".", "-").Replace(id) }

// catURL is where a category chip leads: the list being shown, filtered by
// the category, or else the paper's month filtered by it.
func catURL(pg page, p *paper.Paper, cat string) string {
	list := pg.base().ListPath
	if list == "" {
		m := p.Month()
		if m.IsZero() {
			return ""
		}
		list = periodPath(paper.MonthPeriod(m))
	}
	u, err := url.Parse(list)
	if err != nil {
		return ""
	}
	return withQuery(u.Path, u.Query(), "cat", cat, "p", "")
}

// licenseName names the licences arXiv offers by their URL.
func licenseName(u string) string {
	l := strings.ToLower(u)
	switch {
	case strings.Contains(l, "arxiv.org/licenses/nonexclusive-distrib"):
		return "arXiv non-exclusive licence"
	case strings.Contains(l, "publicdomain/zero"):
		return "CC0 1.0"
	case strings.Contains(l, "creativecommons.org/licenses/"):
		rest := l[strings.Index(l, "/licenses/")+len("/licenses/"):]
		parts := strings.Split(strings.Trim(rest, "/"), "/")
		name := "CC " + strings.ToUpper(parts[0])
		if len(parts) > 1 {
			name += " " + parts[1]
		}
		return name
	}
	return domain(u)
}

package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/paperboy/paperboy/internal/paper"
)

// Markdown renders a paper as the markdown text that huggingface_hub's
// read_paper fetches from /papers/{id}.md.
func Markdown(p *paper.Paper) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", p.DisplayTitle())
	fmt.Fprintf(&b, "**arXiv:** [%s](%s) · **PDF:** %s\n\n", p.VersionedID(), p.AbsURL(), p.PDFURL())
	fmt.Fprintf(&b, "**Authors:** %s\n\n", strings.Join(p.Authors, ", "))
	if d := p.Day(); !d.IsZero() {
		fmt.Fprintf(&b, "**Date:** %s\n\n", d.Format("2006-01-02"))
	}
	if len(p.Categories) > 0 {
		fmt.Fprintf(&b, "**Categories:** %s\n\n", strings.Join(p.Categories, ", "))
	}
	for _, u := range p.CodeURLs {
		fmt.Fprintf(&b, "**Code:** %s\n\n", u)
	}
	fmt.Fprintf(&b, "## Abstract\n\n%s\n", p.DisplayAbstract())
	if p.Comments != "" {
		fmt.Fprintf(&b, "\n**Comments:** %s\n", p.Comments)
	}
	return b.String()
}

// ServeMarkdown answers GET /papers/{id}.md.
func (s *Server) ServeMarkdown(w http.ResponseWriter, r *http.Request, id string) {
	id, _, err := paper.ParseID(id)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	p, err := s.store.Paper(r.Context(), id)
	if err != nil {
		http.Error(w, "paper "+id+" not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
	fmt.Fprint(w, Markdown(p))
}

package search

import (
	"html/template"
	"math"
	"slices"
	"strings"

	"github.com/paperboy/paperboy/internal/search/keyword"
)

// highlighter marks the words of a text whose stem the query searched for.
type highlighter struct {
	stems map[string]bool
}

func newHighlighter(p *Parsed, kq keyword.Query) *highlighter {
	h := &highlighter{stems: map[string]bool{}}
	add := func(ws []string) {
		for _, w := range ws {
			if !keyword.IsStopWord(w) {
				h.stems[keyword.CachedStem(w)] = true
			}
		}
	}
	add(p.Words)
	for _, ph := range p.Phrases {
		add(ph)
	}
	for _, t := range p.Title {
		add(t)
	}
	return h
}

// html escapes text and wraps matched words in <mark>. It appends the
// matched words (distinct, case-insensitive) to seen and returns them.
func (h *highlighter) html(text string, seen []string) (template.HTML, []string) {
	var b strings.Builder
	last := 0
	keyword.Tokens(text, func(t keyword.Token) {
		if !h.stems[keyword.CachedStem(t.Word)] {
			return
		}
		b.WriteString(template.HTMLEscapeString(text[last:t.Start]))
		b.WriteString("<mark>")
		b.WriteString(template.HTMLEscapeString(text[t.Start:t.End]))
		b.WriteString("</mark>")
		last = t.End
		w := text[t.Start:t.End]
		if !slices.ContainsFunc(seen, func(s string) bool { return strings.EqualFold(s, w) }) {
			seen = append(seen, w)
		}
	})
	b.WriteString(template.HTMLEscapeString(text[last:]))
	return template.HTML(b.String()), seen
}

func logIDF(n, df float64) float64 { return math.Log(1 + (n-df+0.5)/(df+0.5)) }

func sortDesc[T any](s []T, key func(T) float64) {
	slices.SortStableFunc(s, func(a, b T) int {
		ka, kb := key(a), key(b)
		switch {
		case ka > kb:
			return -1
		case ka < kb:
			return 1
		}
		return 0
	})
}

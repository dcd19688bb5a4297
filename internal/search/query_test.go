package search

import (
	"context"
	"time"

	"github.com/paperboy/paperboy/internal/search/keyword"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Parsed
	}{
		{"", Parsed{}},
		{"Graph Neural Networks", Parsed{Words: []string{"graph", "neural", "networks"}}},
		{`"attention is all you need"`, Parsed{Phrases: [][]string{{"attention", "is", "all", "you", "need"}}}},
		{`"single"`, Parsed{Words: []string{"single"}}},
		{`diffusion -video`, Parsed{Words: []string{"diffusion"}, Exclude: [][]string{{"video"}}}},
		{`diffusion -"text to video"`, Parsed{Words: []string{"diffusion"}, Exclude: [][]string{{"text", "to", "video"}}}},
		{`au:Hinton ti:capsules cat:cs.LG`, Parsed{Authors: [][]string{{"hinton"}}, Title: [][]string{{"capsules"}}, Categories: []string{"cs.LG"}}},
		{`AU:"Geoffrey  Hinton"`, Parsed{Authors: [][]string{{"geoffrey", "hinton"}}}},
		{`au:Schrödinger`, Parsed{Authors: [][]string{{"schrodinger"}}}},
		{`self-supervised`, Parsed{Words: []string{"self", "supervised"}}},
		{`"unbalanced quote`, Parsed{Phrases: [][]string{{"unbalanced", "quote"}}}},
		{"\u201csmart quotes\u201d", Parsed{Phrases: [][]string{{"smart", "quotes"}}}},
		{`-`, Parsed{Notes: []string{`Ignored "-" with nothing to search after it.`}}},
		{`au:`, Parsed{Notes: []string{`Ignored "au:" with nothing to search after it.`}}},
		{`cat:`, Parsed{Notes: []string{`Ignored "cat:" with no category after it.`}}},
		{`cat:<script>`, Parsed{Notes: []string{`Ignored the category filter "<script>".`}}},
		{"ctrl\x00chars\x1b[31m", Parsed{Words: []string{"ctrl", "chars", "31m"}}},
		{`ratio 3:4`, Parsed{Words: []string{"ratio", "3", "4"}}},
		{`C++ & C#`, Parsed{Words: []string{"c", "c"}}},
	}
	for _, tt := range tests {
		got := Parse(tt.in)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q)\n got %+v\nwant %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseLimits(t *testing.T) {
	p := Parse(strings.Repeat("word ", 40))
	if len(p.Words) != MaxQueryTerms || len(p.Notes) != 1 {
		t.Errorf("%d words, notes %v", len(p.Words), p.Notes)
	}
	long := strings.Repeat("é", 400) // 800 bytes
	c, cut := Clean(long)
	if !cut || len(c) > MaxQueryBytes || !utf8.ValidString(c) {
		t.Errorf("cut %v, %d bytes, valid %v", cut, len(c), utf8.ValidString(c))
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", `"a b" -c au:"d e" ti:f cat:cs.LG`, `-"`, "au:", "\xff", "日本 -語", strings.Repeat("x ", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := Parse(s)
		n := len(p.Words) + len(p.Phrases) + len(p.Title) + len(p.Authors) + len(p.Exclude) + len(p.Categories)
		if n > MaxQueryTerms*maxWordsPerItem(p) {
			t.Errorf("too many parts: %d", n)
		}
		for _, w := range p.Words {
			if w == "" || !utf8.ValidString(w) {
				t.Errorf("bad word %q", w)
			}
		}
		for _, ph := range append(append(p.Phrases, p.Exclude...), append(p.Title, p.Authors...)...) {
			if len(ph) == 0 {
				t.Error("empty phrase")
			}
		}
		_ = p.Text()
		h := newHighlighter(&p, keywordQueryFor(&p))
		out, _ := h.html(s, nil)
		if strings.Contains(strings.ReplaceAll(strings.ReplaceAll(string(out), "<mark>", ""), "</mark>", ""), "<") {
			t.Errorf("unescaped markup in %q", out)
		}
	})
}

// maxWordsPerItem bounds words per query item: one item ("a-b-c") may hold
// many words, each a part.
func maxWordsPerItem(p Parsed) int { return MaxQueryBytes }

func keywordQueryFor(p *Parsed) (q keywordQueryT) {
	s := &Service{opts: Options{Expansion: DefaultExpansion}}
	q, _ = s.keywordQuery(p, zeroTime, zeroTime)
	return q
}

type keywordQueryT = keyword.Query

var zeroTime time.Time

// FuzzSearch runs whole searches, every mode, on arbitrary input over a
// real store: no error, no panic, never more than a page.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"", `"gaussian avatars" -head au:"simon" ti:avatar cat:cs`, "2405.19331", `-"`, "\x00\xff", "model"} {
		f.Add(s, 0)
	}
	papers := readPapers(f, "testdata/papers.jsonl")
	svc := New(openStore(f, papers), nil, Options{Logger: quiet})
	if err := svc.Build(context.Background()); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string, offset int) {
		for _, m := range Modes {
			r, err := svc.Search(context.Background(), Query{Text: s, Mode: m, Offset: offset % 2000, Limit: 7})
			if err != nil {
				t.Fatalf("%q: %v", s, err)
			}
			if len(r.Hits) > 7 {
				t.Fatalf("%q: %d hits", s, len(r.Hits))
			}
		}
	})
}

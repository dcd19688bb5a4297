package search

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/arxiv"
	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/sqlite"
)

// readPapers reads a JSON-lines file of real arXiv metadata.
func readPapers(tb testing.TB, name string) []paper.Paper {
	tb.Helper()
	f, err := os.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r, err := arxiv.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	var out []paper.Paper
	for rec, err := range r.All() {
		if err != nil {
			tb.Fatal(err)
		}
		if rec.Err != nil {
			tb.Fatalf("%s: %v", name, rec.Err)
		}
		out = append(out, rec.Paper)
	}
	return out
}

// openStore is a real SQLite store in a temporary directory, seeded with papers.
func openStore(tb testing.TB, papers []paper.Paper) *sqlite.Store {
	tb.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "paperboy.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	for c := range slices.Chunk(papers, 1000) {
		if _, err := st.UpsertPapers(ctx, c); err != nil {
			tb.Fatal(err)
		}
	}
	return st
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// newTestService builds a keyword-only service over the sample papers.
func newTestService(t *testing.T, opts Options) (*Service, *sqlite.Store, []paper.Paper) {
	t.Helper()
	papers := readPapers(t, "testdata/papers.jsonl")
	st := openStore(t, papers)
	opts.Logger = quiet
	svc := New(st, nil, opts)
	if err := svc.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	return svc, st, papers
}

func ids(r Results) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.Paper.ID)
	}
	return out
}

func find(papers []paper.Paper, id string) *paper.Paper {
	for i := range papers {
		if papers[i].ID == id {
			return &papers[i]
		}
	}
	return nil
}

func TestSearchFindsTitles(t *testing.T) {
	svc, _, papers := newTestService(t, Options{})
	ctx := context.Background()
	// Every paper is found by the words of its title, among the first three.
	missed := 0
	for _, p := range papers {
		r, err := svc.Search(ctx, Query{Text: p.DisplayTitle(), Mode: ModeKeyword, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(ids(r), p.ID) {
			missed++
			t.Logf("title %q: got %v", p.DisplayTitle(), ids(r))
		}
	}
	if missed > len(papers)/100 {
		t.Errorf("%d of %d papers not in the top 3 for their own title", missed, len(papers))
	}
}

func TestSearchQueries(t *testing.T) {
	svc, _, papers := newTestService(t, Options{})
	ctx := context.Background()
	tests := []struct {
		name  string
		q     Query
		check func(t *testing.T, r Results)
	}{
		{"phrase in order", Query{Text: `"gaussian avatars"`}, func(t *testing.T, r Results) {
			if len(r.Hits) == 0 {
				t.Fatal("no hits")
			}
			for _, h := range r.Hits {
				text := strings.ToLower(h.Paper.Title + " " + h.Paper.Abstract)
				if !strings.Contains(text, "gaussian avatar") {
					t.Errorf("%s lacks the phrase", h.Paper.ID)
				}
			}
		}},
		{"British spelling finds American", Query{Text: "quantisation behaviour", Limit: 50}, func(t *testing.T, r Results) {
			us, err := svc.Search(ctx, Query{Text: "quantization behavior", Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Hits) == 0 || !slices.Equal(ids(r), ids(us)) {
				t.Errorf("British %v, American %v", ids(r), ids(us))
			}
			if h := r.Hits[0].Highlights; !slices.ContainsFunc(h, func(w string) bool {
				return strings.HasPrefix(strings.ToLower(w), "quantiz") || strings.HasPrefix(strings.ToLower(w), "behavior")
			}) {
				t.Errorf("the American words are not highlighted: %v", h)
			}
		}},
		{"phrase words in another order do not match", Query{Text: `"avatars gaussian"`}, func(t *testing.T, r Results) {
			if len(r.Hits) != 0 || r.Total != 0 {
				t.Errorf("got %v (total %d)", ids(r), r.Total)
			}
		}},
		{"exclusion", Query{Text: `visual encoder -convnext`}, func(t *testing.T, r Results) {
			if len(r.Hits) == 0 {
				t.Fatal("no hits")
			}
			for _, h := range r.Hits {
				if strings.Contains(strings.ToLower(h.Paper.Abstract+h.Paper.Title), "convnext") {
					t.Errorf("%s mentions the excluded word", h.Paper.ID)
				}
			}
			if slices.Contains(ids(r), "2405.15738") {
				t.Error("ConvLLaVA (about ConvNeXt) not excluded")
			}
		}},
		{"author", Query{Text: `au:giebenhain`}, func(t *testing.T, r Results) {
			if got := ids(r); !slices.Equal(got, []string{"2405.19331"}) {
				t.Errorf("got %v", got)
			}
		}},
		{"author with accent typed without", Query{Text: `au:runz avatars`}, func(t *testing.T, r Results) {
			if got := ids(r); !slices.Contains(got, "2405.19331") {
				t.Errorf("got %v", got)
			}
		}},
		{"author full name", Query{Text: `au:"simon giebenhain"`}, func(t *testing.T, r Results) {
			if got := ids(r); !slices.Equal(got, []string{"2405.19331"}) {
				t.Errorf("got %v", got)
			}
		}},
		{"author name reversed is not the name", Query{Text: `au:"giebenhain simon"`}, func(t *testing.T, r Results) {
			if len(r.Hits) != 0 {
				t.Errorf("got %v", ids(r))
			}
		}},
		{"title field", Query{Text: `ti:avatars`}, func(t *testing.T, r Results) {
			for _, h := range r.Hits {
				if !strings.Contains(strings.ToLower(h.Paper.Title), "avatar") {
					t.Errorf("%s: title %q", h.Paper.ID, h.Paper.Title)
				}
			}
		}},
		{"category operator", Query{Text: `equilibria cat:econ`}, func(t *testing.T, r Results) {
			if len(r.Hits) == 0 {
				t.Fatal("no hits")
			}
			for _, h := range r.Hits {
				if !slices.ContainsFunc(h.Paper.Categories, func(c string) bool { return strings.HasPrefix(c, "econ.") }) {
					t.Errorf("%s in %v", h.Paper.ID, h.Paper.Categories)
				}
			}
		}},
		{"category filter field", Query{Text: `equilibria`, Category: "econ.GN"}, func(t *testing.T, r Results) {
			for _, h := range r.Hits {
				if !slices.Contains(h.Paper.Categories, "econ.GN") {
					t.Errorf("%s in %v", h.Paper.ID, h.Paper.Categories)
				}
			}
		}},
		{"date range", Query{Text: `language models`, From: day("2024-06-01"), To: day("2024-06-30")}, func(t *testing.T, r Results) {
			if len(r.Hits) == 0 {
				t.Fatal("no hits")
			}
			for _, h := range r.Hits {
				if d := h.Paper.Day(); d.Before(day("2024-06-01")) || d.After(day("2024-06-30")) {
					t.Errorf("%s on %v", h.Paper.ID, d)
				}
			}
		}},
		{"arxiv id redirects", Query{Text: " arXiv:2405.19331v2 "}, func(t *testing.T, r Results) {
			if r.Redirect != "/papers/2405.19331" {
				t.Errorf("redirect %q", r.Redirect)
			}
		}},
		{"arxiv url redirects", Query{Text: "https://arxiv.org/abs/2405.19331"}, func(t *testing.T, r Results) {
			if r.Redirect != "/papers/2405.19331" {
				t.Errorf("redirect %q", r.Redirect)
			}
		}},
		{"highlights matched words, escaped", Query{Text: `gaussian avatars`}, func(t *testing.T, r Results) {
			if len(r.Hits) == 0 {
				t.Fatal("no hits")
			}
			h := r.Hits[0]
			if !strings.Contains(string(h.Title), "<mark>Gaussian</mark>") || !strings.Contains(string(h.Title), "<mark>Avatars</mark>") {
				t.Errorf("title %s", h.Title)
			}
		}},
		{"semantic mode without an engine falls back", Query{Text: `gaussian avatars`, Mode: ModeSemantic}, func(t *testing.T, r Results) {
			if r.Mode != ModeKeyword || len(r.Notes) == 0 || len(r.Hits) == 0 {
				t.Errorf("mode %s notes %v hits %d", r.Mode, r.Notes, len(r.Hits))
			}
		}},
	}
	_ = papers
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := svc.Search(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, r)
		})
	}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestPaging(t *testing.T) {
	svc, _, _ := newTestService(t, Options{})
	ctx := context.Background()
	all, err := svc.Search(ctx, Query{Text: "learning", Mode: ModeKeyword, Limit: 30})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total < 30 || len(all.Hits) != 30 {
		t.Fatalf("total %d, hits %d", all.Total, len(all.Hits))
	}
	var paged []string
	for off := 0; off < 30; off += 10 {
		r, err := svc.Search(ctx, Query{Text: "learning", Mode: ModeKeyword, Limit: 10, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		if r.Total != all.Total {
			t.Errorf("offset %d: total %d, want %d", off, r.Total, all.Total)
		}
		paged = append(paged, ids(r)...)
	}
	if !slices.Equal(paged, ids(all)) {
		t.Errorf("pages differ from one long page:\n%v\n%v", paged, ids(all))
	}
	past, err := svc.Search(ctx, Query{Text: "learning", Mode: ModeKeyword, Limit: 10, Offset: all.Total + 5})
	if err != nil || len(past.Hits) != 0 {
		t.Errorf("past the end: %v %v", ids(past), err)
	}
}

func TestIncrementalIndexing(t *testing.T) {
	svc, st, _ := newTestService(t, Options{})
	ctx := context.Background()
	// A real paper not in the sample, stored after the build.
	extra := readPapers(t, filepath.Join(dataDir(t), "arxiv-math-2025-05.jsonl"))
	var p paper.Paper
	for _, e := range extra {
		if e.ID == "2505.00048" {
			p = e
		}
	}
	if p.ID == "" {
		t.Skip("sample paper missing")
	}
	query := Query{Text: p.DisplayTitle(), Mode: ModeKeyword, Limit: 5}
	r, _ := svc.Search(ctx, query)
	if slices.Contains(ids(r), p.ID) {
		t.Fatal("found before it was stored")
	}
	if _, err := st.UpsertPapers(ctx, []paper.Paper{p}); err != nil {
		t.Fatal(err)
	}
	n, err := svc.Refresh(ctx)
	if err != nil || n != 1 {
		t.Fatalf("refresh: %d, %v", n, err)
	}
	r, _ = svc.Search(ctx, query)
	if len(r.Hits) == 0 || r.Hits[0].Paper.ID != p.ID {
		t.Fatalf("new paper not first: %v", ids(r))
	}

	// A new version with another title replaces the old entry: the old title's
	// rare word no longer finds it.
	oldWord := "zzz"
	for _, w := range Parse(p.Title).Words {
		if len(w) > 6 {
			oldWord = w
			break
		}
	}
	before, _ := svc.Search(ctx, Query{Text: oldWord, Mode: ModeKeyword, Limit: 50})
	p2 := p
	p2.Title = "Quasicrystalline tilings of hyperbolic surfaces"
	p2.Version = p.Version + 1
	p2.Versions = append(slices.Clone(p.Versions), paper.Version{Number: p2.Version, Created: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})
	p2.Normalize()
	if _, err := st.UpsertPapers(ctx, []paper.Paper{p2}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	r, _ = svc.Search(ctx, Query{Text: "quasicrystalline tilings", Mode: ModeKeyword})
	if len(r.Hits) == 0 || r.Hits[0].Paper.ID != p.ID {
		t.Errorf("updated title not found: %v", ids(r))
	}
	stored, _ := st.Paper(ctx, p.ID)
	if !strings.Contains(strings.ToLower(stored.Title), oldWord) && !strings.Contains(strings.ToLower(stored.Abstract), oldWord) {
		after, _ := svc.Search(ctx, Query{Text: oldWord, Mode: ModeKeyword, Limit: 50})
		if slices.Contains(ids(after), p.ID) {
			t.Errorf("old title word %q still finds the paper (before: %v)", oldWord, slices.Contains(ids(before), p.ID))
		}
	}
	if got := svc.Stats().Docs; got != 401 {
		t.Errorf("index holds %d live papers, want 401", got)
	}
}

func TestBadInput(t *testing.T) {
	svc, _, _ := newTestService(t, Options{})
	ctx := context.Background()
	inputs := []string{
		"", " ", "-", "--", "au:", "ti:", "cat:", `"`, `""`, `"unbalanced quote`, `-"`, `au:"`,
		"\x00\x01\x02", "a\x7fb", "\xff\xfe invalid utf8", strings.Repeat("transformer ", 500),
		strings.Repeat("日本語の論文 ", 100), "🙂🙃", "the of and", "cat:cs.LG", "cat:!!!", "-gaussian",
		"ti:\"\"", "au:-", "::::", `\"`, "α β γ", "\u202e\u200b",
	}
	for _, in := range inputs {
		for _, m := range Modes {
			r, err := svc.Search(ctx, Query{Text: in, Mode: m, Limit: 200, Offset: -5})
			if err != nil {
				t.Errorf("%q (%s): %v", in, m, err)
			}
			if len(r.Hits) > MaxLimit {
				t.Errorf("%q: %d hits", in, len(r.Hits))
			}
		}
	}
	if _, err := svc.Search(ctx, Query{Text: "x", Mode: "fuzzy"}); !errors.Is(err, paper.ErrInvalid) {
		t.Errorf("unknown mode: %v", err)
	}
	long, err := svc.Search(ctx, Query{Text: strings.Repeat("gaussian ", 200)})
	if err != nil || !slices.ContainsFunc(long.Notes, func(n string) bool { return strings.Contains(n, "512") }) {
		t.Errorf("long query: notes %v, err %v", long.Notes, err)
	}
}

func TestSimilarWithoutSemantic(t *testing.T) {
	svc, _, papers := newTestService(t, Options{})
	ctx := context.Background()
	p := find(papers, "2405.19331")
	sim, err := svc.Similar(ctx, p.ID, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(sim) == 0 {
		t.Fatal("no similar papers")
	}
	for _, s := range sim {
		if s.ID == p.ID {
			t.Error("a paper is not similar to itself")
		}
	}
	if _, err := svc.Similar(ctx, "2101.99999", 5); !errors.Is(err, paper.ErrNotFound) {
		t.Errorf("unknown paper: %v", err)
	}
}

// Searches run while the index takes in new papers (go test -race).
func TestSearchDuringRefresh(t *testing.T) {
	svc, st, papers := newTestService(t, Options{})
	ctx := context.Background()
	extra := readPapers(t, filepath.Join(dataDir(t), "arxiv-math-2025-05.jsonl"))[:300]
	distinct := map[string]bool{}
	for _, p := range append(slices.Clone(papers), extra...) {
		distinct[p.ID] = true
	}
	done := make(chan struct{})
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				if _, err := svc.Search(ctx, Query{Text: "graphs and groups", Limit: 5}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := 0; i < len(extra); i += 50 {
		if _, err := st.UpsertPapers(ctx, extra[i:i+50]); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := svc.Stats().Docs; got != len(distinct) {
		t.Errorf("%d papers indexed, want %d", got, len(distinct))
	}
}

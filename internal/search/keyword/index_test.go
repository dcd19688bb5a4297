package keyword

import (
	"math"
	"slices"
	"sort"
	"testing"
	"time"
)

func TestTokensAndStems(t *testing.T) {
	var got []string
	Tokens("Self-Supervised  ViT's on ImageNet-1k, Schrödinger's $\\alpha$", func(tk Token) { got = append(got, tk.Word) })
	want := []string{"self", "supervised", "vit", "s", "on", "imagenet", "1k", "schrodinger", "s", "alpha"}
	if !slices.Equal(got, want) {
		t.Errorf("tokens %v", got)
	}
	for in, want := range map[string]string{"networks": "network", "learning": "learn", "gpt4": "gpt4", "quantization": "quantiz", "transformers": "transform"} {
		if got := Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
}

// build indexes docs with the averages frozen on them.
func build(docs []Doc) *Index {
	ix := New(DefaultParams())
	ix.Add(docs)
	ix.Flush()
	return ix
}

func terms(ws ...string) Query {
	var q Query
	for _, w := range ws {
		q.Terms = append(q.Terms, Term{Text: Stem(w), Weight: 1})
	}
	return q
}

func TestTitleWeighsMore(t *testing.T) {
	docs := []Doc{
		{ID: "2401.00001", Title: "A study of optimisation", Abstract: "We study sparse attention in long documents and its cost."},
		{ID: "2401.00002", Title: "Sparse attention", Abstract: "We study optimisation of long documents and their cost."},
		{ID: "2401.00003", Title: "Unrelated filler", Abstract: "Galaxies and stars and dust."},
		{ID: "2401.00004", Title: "More filler", Abstract: "Proteins fold."},
	}
	r := build(docs).Search(terms("sparse", "attention"), 10)
	if len(r.Hits) != 2 || r.Hits[0].ID != "2401.00002" {
		t.Errorf("hits %+v", r.Hits)
	}
}

func TestAuthorsAndReplace(t *testing.T) {
	ix := build([]Doc{
		{ID: "2401.00001", Title: "Capsule networks", Abstract: "Routing by agreement.", Authors: []string{"Geoffrey E. Hinton", "Sara Sabour"}, Categories: []string{"cs.LG"}},
		{ID: "2401.00002", Title: "Hinton diagrams", Abstract: "A way to draw matrices.", Authors: []string{"Ann Other"}, Categories: []string{"stat.ML"}},
	})
	au := Query{Terms: []Term{{Text: "hinton", Field: Author, Required: true}}}
	if r := ix.Search(au, 10); len(r.Hits) != 1 || r.Hits[0].ID != "2401.00001" {
		t.Errorf("au: %+v", r.Hits)
	}
	q := terms("hinton")
	q.Count = true
	if r := ix.Search(q, 10); r.Total != 2 {
		t.Errorf("any field: %+v", r)
	}
	q.Categories = []string{"stat"}
	if r := ix.Search(q, 10); r.Total != 1 || r.Hits[0].ID != "2401.00002" {
		t.Errorf("category archive: %+v", r)
	}
	// Replacing a paper drops its old words.
	ix.Add([]Doc{{ID: "2401.00002", Title: "Matrix pictures", Abstract: "A way to draw matrices.", Authors: []string{"Ann Other"}}})
	ix.Flush()
	q.Categories = nil
	if r := ix.Search(q, 10); r.Total != 1 || r.Hits[0].ID != "2401.00001" {
		t.Errorf("after replace: %+v", r)
	}
	if ix.Len() != 2 {
		t.Errorf("len %d", ix.Len())
	}
	// Re-adding identical content is a no-op (a vote rewrites the row).
	before := ix.Stats()
	ix.Add([]Doc{{ID: "2401.00002", Title: "Matrix pictures", Abstract: "A way to draw matrices.", Authors: []string{"Ann Other"}}})
	if after := ix.Stats(); after.Deleted != before.Deleted || after.Postings != before.Postings {
		t.Errorf("unchanged paper re-indexed: %+v -> %+v", before, after)
	}
}

func TestDateFilterAndExclude(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	ix := build([]Doc{
		{ID: "2401.00001", Title: "Graph networks", Day: d("2024-01-02")},
		{ID: "2402.00001", Title: "Graph networks for molecules", Day: d("2024-02-10")},
		{ID: "2403.00001", Title: "Graph networks for traffic"},
	})
	q := terms("graph")
	q.Count = true
	q.From, q.To = d("2024-02-01"), d("2024-02-10")
	if r := ix.Search(q, 10); r.Total != 1 || r.Hits[0].ID != "2402.00001" {
		t.Errorf("date: %+v", r)
	}
	q = terms("graph")
	q.Count = true
	q.Exclude = []Term{{Text: Stem("molecules")}}
	if r := ix.Search(q, 10); r.Total != 2 || slices.ContainsFunc(r.Hits, func(h Hit) bool { return h.ID == "2402.00001" }) {
		t.Errorf("exclude: %+v", r)
	}
}

// TestMaxScoreExact checks that pruning never changes the top k: MaxScore
// against scoring every match, on real abstracts.
func TestMaxScoreExact(t *testing.T) {
	docs := loadDocs(t, "../testdata/papers.jsonl")
	ix := build(docs)
	queries := [][]string{
		{"model"}, {"large", "language", "model"}, {"gaussian", "avatar", "head", "model"},
		{"equilibrium", "matching", "the", "learning"}, {"network", "graph", "diffusion", "image", "video", "agent"},
	}
	for _, ws := range queries {
		q := terms(ws...)
		for _, k := range []int{1, 5, 20} {
			got := ix.Search(q, k).Hits
			want := bruteForce(ix, q, k)
			if len(got) != len(want) {
				t.Fatalf("%v k=%d: %d hits, want %d", ws, k, len(got), len(want))
			}
			for i := range got {
				if math.Abs(got[i].Score-want[i].Score) > 1e-9 {
					t.Errorf("%v k=%d #%d: %s %.6f, want %s %.6f", ws, k, i, got[i].ID, got[i].Score, want[i].ID, want[i].Score)
				}
			}
		}
	}
}

func bruteForce(ix *Index, q Query, k int) []Hit {
	n := len(ix.ids) - ix.ndel
	score := map[uint32]float64{}
	for _, t := range q.Terms {
		li, ok := ix.dict[termKey(t)]
		if !ok {
			continue
		}
		l := ix.lists[li]
		for i, d := range l.docs {
			score[d] += idf(n, len(l.docs)) * t.Weight / 255 * float64(l.imp[i])
		}
	}
	var hits []Hit
	for d, s := range score {
		hits = append(hits, Hit{ID: ix.ids[d], Score: s})
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score })
	return hits[:min(k, len(hits))]
}

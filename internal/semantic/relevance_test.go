package semantic

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"sort"
	"testing"

	"github.com/paperboy/paperboy/internal/embed/embedtest"
)

const relevancePath = "../../testdata/relevance.jsonl"

type judged struct {
	Query    string   `json:"query"`
	Relevant []string `json:"relevant"`
	Style    string   `json:"style"`
	Split    string   `json:"split"`
}

func relevanceSet(t testing.TB) []judged {
	f, err := os.Open(relevancePath)
	if err != nil {
		t.Skipf("relevance set: %v", err)
	}
	defer f.Close()
	var out []judged
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var j judged
		if err := json.Unmarshal(sc.Bytes(), &j); err != nil {
			t.Fatalf("%s: %v", relevancePath, err)
		}
		out = append(out, j)
	}
	return out
}

func relevanceQueries(t testing.TB) []string {
	var qs []string
	for _, j := range relevanceSet(t) {
		qs = append(qs, j.Query)
	}
	return qs
}

// TestRelevance measures semantic-only Recall@10 and MRR on the relevance
// set over the 14k real papers, through the whole engine (SQLite, default
// model, index), and guards against regressions.
func TestRelevance(t *testing.T) {
	if testing.Short() {
		t.Skip("embeds 14k papers")
	}
	js := relevanceSet(t)
	ctx := context.Background()
	ps := embedtest.Papers(t, 0, embedtest.Small...)
	s := openStore(t, ps)
	e := New(s, defaultModel(t), Options{})
	if err := e.Load(ctx); err != nil {
		t.Fatal(err)
	}
	type agg struct{ n, r10, mrr float64 }
	res := map[string]*agg{}
	for _, j := range js {
		hs, err := e.Search(ctx, j.Query, 100)
		if err != nil {
			t.Fatal(err)
		}
		rel := map[string]bool{}
		for _, id := range j.Relevant {
			rel[id] = true
		}
		var found, rr float64
		for i, h := range hs {
			if rel[h.ID] {
				if i < 10 {
					found++
				}
				if rr == 0 {
					rr = 1 / float64(i+1)
				}
			}
		}
		for _, k := range []string{"all", "style=" + j.Style, "split=" + j.Split} {
			a := res[k]
			if a == nil {
				a = &agg{}
				res[k] = a
			}
			a.n++
			a.r10 += found / float64(len(rel))
			a.mrr += rr
		}
	}
	var keys []string
	for k := range res {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		a := res[k]
		t.Logf("%-14s n=%3.0f Recall@10=%.3f MRR=%.3f", k, a.n, a.r10/a.n, a.mrr/a.n)
	}
	// The floor is below what the shipped model measures (see the report);
	// falling under it means the model or the index broke.
	if a := res["all"]; a.r10/a.n < 0.6 {
		t.Errorf("semantic Recall@10 %.3f < 0.6", a.r10/a.n)
	}
}

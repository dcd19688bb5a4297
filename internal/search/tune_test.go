package search

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/paperboy/paperboy/internal/embed"
	"github.com/paperboy/paperboy/internal/semantic"
	"testing"
)

// TestTuneFusion prints fusion settings' metrics on the tune and test halves
// (TUNE=1 go test -run TestTuneFusion ./internal/search/).
func TestTuneFusion(t *testing.T) {
	if os.Getenv("TUNE") == "" {
		t.Skip("set TUNE=1")
	}
	st := demoStore(t)
	rel, _ := os.ReadFile("../../testdata/relevance.jsonl")
	js, _ := ReadJudgements(bytes.NewReader(rel))
	ctx := context.Background()
	emb, err := embed.Default()
	if err != nil {
		t.Skip(err)
	}
	for _, share := range tuneShares() {
		for _, exp := range tuneExpansions() {
			m := emb
			if share >= 0 {
				m = emb.WithLSAShare(float32(share))
				fmt.Printf("LSA share %.2f\n", share)
			}
			eng := semantic.New(st, m, semantic.Options{Logger: quiet, NoBackgroundTraining: true})
			svc := New(st, eng, Options{Logger: quiet, Expansion: exp})
			if err := svc.Build(ctx); err != nil {
				t.Fatal(err)
			}
			type legs struct{ kw, sem ranked }
			var all []legs
			for _, j := range js {
				p := Parse(j.Query)
				kq, _ := svc.keywordQuery(&p, zeroTime, zeroTime)
				var l legs
				for _, h := range svc.ix.Search(kq, 100).Hits {
					l.kw.ids = append(l.kw.ids, h.ID)
					l.kw.scores = append(l.kw.scores, h.Score)
				}
				hs, _ := svc.sem.Search(ctx, p.Text(), 100)
				for _, h := range hs {
					l.sem.ids = append(l.sem.ids, h.ID)
					l.sem.scores = append(l.sem.scores, float64(h.Score))
				}
				all = append(all, l)
			}
			eval := func(f Fusion) map[string]Metrics {
				out := map[string]Metrics{}
				for i, j := range js {
					fl := fuse(f, all[i].kw, all[i].sem)
					var ids []string
					for _, x := range fl[:min(10, len(fl))] {
						ids = append(ids, x.id)
					}
					m := score(ids, j.Relevant)
					o := out[j.Split]
					o.Queries++
					o.MRR += m.MRR / 128
					o.Recall += m.Recall / 128
					out[j.Split] = o
				}
				return out
			}
			show := func(name string, f Fusion) {
				m := eval(f)
				fmt.Printf("exp=%.1f %-28s tune R=%.3f M=%.3f | test R=%.3f M=%.3f\n", exp, name, m["tune"].Recall, m["tune"].MRR, m["test"].Recall, m["test"].MRR)
			}
			var kwHit, semHit, both, either int
			for i, j := range js {
				in := func(ids []string) bool {
					for _, id := range ids[:min(10, len(ids))] {
						if id == j.Relevant[0] {
							return true
						}
					}
					return false
				}
				a, b := in(all[i].kw.ids), in(all[i].sem.ids)
				if a {
					kwHit++
				}
				if b {
					semHit++
				}
				if a && b {
					both++
				}
				if a || b {
					either++
				}
			}
			fmt.Printf("exp=%.1f top10: keyword %d semantic %d both %d either %d of %d\n", exp, kwHit, semHit, both, either, len(js))
			show("keyword only", Fusion{Method: "rrf", K: 60, KeywordWeight: 1, SemanticWeight: 0})
			for _, k := range []float64{5, 20, 60} {
				for _, w := range []float64{0.2, 0.35, 0.5, 0.7, 1} {
					show(fmt.Sprintf("rrf k=%.0f w=%.2f", k, w), Fusion{Method: "rrf", K: k, KeywordWeight: 1, SemanticWeight: w})
				}
			}
			for _, w := range []float64{0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3} {
				show(fmt.Sprintf("zscore w=%.2f", w), Fusion{Method: "zscore", KeywordWeight: 1, SemanticWeight: w})
			}
		}
	}
}

// tuneExpansions are the WordNet expansion weights tried (TUNE_EXP=0.2 adds one).
func tuneExpansions() []float64 {
	out := []float64{0}
	if v, err := strconv.ParseFloat(os.Getenv("TUNE_EXP"), 64); err == nil && v > 0 {
		out = append(out, v)
	}
	return out
}

// tuneShares are the LSA shares tried (TUNE_SHARE=0.3,0.7); -1 is the model's own.
func tuneShares() []float64 {
	out := []float64{-1}
	for _, f := range strings.Split(os.Getenv("TUNE_SHARE"), ",") {
		if v, err := strconv.ParseFloat(f, 64); err == nil {
			out = append(out, v)
		}
	}
	return out
}

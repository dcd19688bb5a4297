package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/paperboy/paperboy/internal/embed"
	"github.com/paperboy/paperboy/internal/embed/embedtest"
)

type judged struct {
	Query    string   `json:"query"`
	Relevant []string `json:"relevant"`
	Style    string   `json:"style"`
	Split    string   `json:"split"`
}

// evaluate embeds the -corpus papers and reports Recall@10 and MRR (first
// relevant hit within 100) per query style and split, by exact search.
func evaluate(m *embed.Static, path string) error {
	var corpus []doc
	for _, f := range strings.Split(*corpusFiles, ",") {
		ds, err := embedtest.Read(filepath.Join(*dataDir, f), 0)
		if err != nil {
			return err
		}
		corpus = append(corpus, ds...)
	}
	vecs := make([][]float32, len(corpus))
	parallel(len(corpus), func(i int) {
		vecs[i] = m.EmbedPaper(&corpus[i])
	})
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	type agg struct {
		n        int
		r10, mrr float64
	}
	res := map[string]*agg{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var j judged
		if err := json.Unmarshal(sc.Bytes(), &j); err != nil {
			return err
		}
		q, _ := m.EmbedQuery(context.Background(), j.Query)
		type sc struct {
			i int
			s float32
		}
		scores := make([]sc, len(corpus))
		for i, v := range vecs {
			var d float32
			for k := range v {
				d += v[k] * q[k]
			}
			scores[i] = sc{i, d}
		}
		sort.Slice(scores, func(a, b int) bool { return scores[a].s > scores[b].s })
		rel := map[string]bool{}
		for _, id := range j.Relevant {
			rel[id] = true
		}
		var r10, rr float64
		found := 0
		for rank, s := range scores[:100] {
			if rel[corpus[s.i].ID] {
				if rank < 10 {
					found++
				}
				if rr == 0 {
					rr = 1 / float64(rank+1)
				}
			}
		}
		r10 = float64(found) / float64(len(rel))
		for _, key := range []string{"all", j.Style, j.Split} {
			a := res[key]
			if a == nil {
				a = &agg{}
				res[key] = a
			}
			a.n++
			a.r10 += r10
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
		fmt.Printf("eval %-8s n=%3d Recall@10=%.3f MRR=%.3f\n", k, a.n, a.r10/float64(a.n), a.mrr/float64(a.n))
	}
	return sc.Err()
}

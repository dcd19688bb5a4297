package semantic

import (
	"context"
	"math"
	"slices"
	"sort"
	"testing"

	"github.com/paperboy/paperboy/internal/embed/embedtest"
	"github.com/paperboy/paperboy/internal/vecindex"
)

// The trained index finds what exact float32 search finds, on real papers'
// vectors from the shipped model, at the probe setting vecindex.Plan picks.
func TestIndexRecallRealVectors(t *testing.T) {
	if testing.Short() {
		t.Skip("embeds 14k papers")
	}
	ctx := context.Background()
	ps := embedtest.Papers(t, 0, embedtest.Small...)
	m := defaultModel(t)
	vecs, err := m.EmbedDocuments(ctx, ps)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(ps))
	for i := range ps {
		ids[i] = ps[i].ID
	}
	x := vecindex.New(m.Dim())
	if err := x.Add(ids, vecs); err != nil {
		t.Fatal(err)
	}
	// The library is below vecindex.ExactBelow, so force what Plan does for
	// bigger ones: 2·√n lists, 1/12 probed.
	nlist := int(2 * math.Sqrt(float64(len(ps))))
	nprobe := nlist / 12
	if err := x.Train(nlist, nprobe, 1); err != nil {
		t.Fatal(err)
	}
	var queries [][]float32
	for i := 0; i < len(vecs); i += len(vecs) / 150 {
		queries = append(queries, vecs[i])
	}
	for _, q := range relevanceQueries(t)[:min(150, len(relevanceQueries(t)))] {
		v, _ := m.EmbedQuery(ctx, q)
		queries = append(queries, v)
	}
	measure := func(search func(q []float32) []vecindex.Hit) float64 {
		var hit float64
		for _, q := range queries {
			type sc struct {
				id string
				d  float32
			}
			all := make([]sc, len(vecs))
			for i, v := range vecs {
				var d float32
				for k := range v {
					d += v[k] * q[k]
				}
				all[i] = sc{ids[i], d}
			}
			sort.Slice(all, func(a, b int) bool { return all[a].d > all[b].d })
			got := search(q)
			for _, h := range got {
				if slices.ContainsFunc(all[:10], func(s sc) bool { return s.id == h.ID }) {
					hit++
				}
			}
		}
		return hit / float64(10*len(queries))
	}
	for _, p := range []int{nprobe * 2, nprobe * 4} {
		x.SetProbe(p)
		t.Logf("probe %d: recall@10 %.3f", p, measure(func(q []float32) []vecindex.Hit { h, _ := x.Search(q, 10); return h }))
	}
	t.Logf("exact int8: recall@10 %.3f", measure(func(q []float32) []vecindex.Hit { h, _ := x.SearchExact(q, 10); return h }))
	x.SetProbe(nprobe)
	r := measure(func(q []float32) []vecindex.Hit { h, _ := x.Search(q, 10); return h })
	t.Logf("recall@10 vs exact float32: %.3f over %d queries (%d papers, %d lists, probe %d)", r, len(queries), len(ps), nlist, nprobe)
	if r < 0.9 {
		t.Errorf("recall@10 %.3f < 0.9", r)
	}
}

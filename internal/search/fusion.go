package search

import (
	"math"
	"slices"
)

// Fusion says how hybrid search merges the keyword and semantic rankings.
type Fusion struct {
	// Method is "rrf" (reciprocal rank fusion) or "zscore" (a linear mix of
	// the legs' scores, each standardised over its own candidates).
	Method string
	// K is RRF's rank offset: larger flattens the weight of the top ranks.
	K float64
	// KeywordWeight and SemanticWeight scale each leg's contribution.
	KeywordWeight, SemanticWeight float64
}

// DefaultFusion is the z-scored linear mix with both legs weighted equally.
// Chosen on the "tune" half of testdata/relevance.jsonl with the embedded
// static model (TUNE=1 go test -run TestTuneFusion ./internal/search/):
// MRR@10 0.640 keyword alone, 0.689 at weight 1, against 0.669 at 0.7 and
// 0.676 at 1.5; the "test" half agreed (0.662 -> 0.721). RRF at any k or
// weight scored below it (k=60, weight 1: 0.638), because RRF lets one leg's
// misses push the other's confident matches down, and z-scores keep the
// margin of a confident match. Re-tune when the embedder changes.
func DefaultFusion() Fusion {
	return Fusion{Method: "zscore", K: 60, KeywordWeight: 1, SemanticWeight: 1}
}

// ranked is one leg's result: ids best first, with their scores.
type ranked struct {
	ids    []string
	scores []float64
}

// fused is a merged result.
type fused struct {
	id    string
	score float64
}

// fuse merges legs by f. A paper found by one leg only gets nothing from the
// other: for RRF that is rank infinity, for z-scores the leg's floor (its
// lowest standardised score), which keeps a leg's silence from being a
// penalty larger than its worst answer.
func fuse(f Fusion, kw, sem ranked) []fused {
	score := map[string]float64{}
	order := []string{}
	add := func(id string, v float64) {
		if _, ok := score[id]; !ok {
			order = append(order, id)
		}
		score[id] += v
	}
	switch f.Method {
	case "zscore":
		zk, floorK := zscores(kw.scores)
		zs, floorS := zscores(sem.scores)
		inK := map[string]bool{}
		inS := map[string]bool{}
		for i, id := range kw.ids {
			add(id, f.KeywordWeight*zk[i])
			inK[id] = true
		}
		for i, id := range sem.ids {
			add(id, f.SemanticWeight*zs[i])
			inS[id] = true
		}
		for _, id := range order {
			if !inK[id] {
				score[id] += f.KeywordWeight * floorK
			}
			if !inS[id] {
				score[id] += f.SemanticWeight * floorS
			}
		}
	default:
		for i, id := range kw.ids {
			add(id, f.KeywordWeight/(f.K+float64(i+1)))
		}
		for i, id := range sem.ids {
			add(id, f.SemanticWeight/(f.K+float64(i+1)))
		}
	}
	out := make([]fused, len(order))
	for i, id := range order {
		out[i] = fused{id, score[id]}
	}
	// Stable: on equal scores the keyword leg's order decides, then the semantic's.
	slices.SortStableFunc(out, func(a, b fused) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	return out
}

// zscores standardises scores; the floor is the lowest standardised score
// (0 when there are none).
func zscores(s []float64) ([]float64, float64) {
	if len(s) == 0 {
		return nil, 0
	}
	var mean, sd float64
	for _, v := range s {
		mean += v
	}
	mean /= float64(len(s))
	for _, v := range s {
		sd += (v - mean) * (v - mean)
	}
	sd = math.Sqrt(sd / float64(len(s)))
	if sd == 0 {
		sd = 1
	}
	out := make([]float64, len(s))
	floor := math.Inf(1)
	for i, v := range s {
		out[i] = (v - mean) / sd
		floor = min(floor, out[i])
	}
	return out, floor
}

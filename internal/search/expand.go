package search

import (
	"strings"

	"github.com/paperboy/paperboy/internal/search/keyword"
	"github.com/paperboy/paperboy/internal/wordnet"
)

// DefaultExpansion is the weight of a WordNet synonym of a query word
// relative to the word itself (broader and similar words get less, as
// wordnet.Rel.Weight says). Everyday descriptions ("a way to make pictures
// sharper") then also reach papers written in other words ("image
// super-resolution"). Measured on testdata/relevance.jsonl; see eval_test.go.
const DefaultExpansion = 0.2

// maxExpansions bounds the related words per query word: later ones are
// remote senses and cost time on broad terms.
const maxExpansions = 6

// expand returns low-weight optional terms for the WordNet relatives of the
// query's words. Multi-word relatives are left out: as separate words they
// would match far more than the phrase means.
func expand(ws []string, weight float64) []keyword.Term {
	var out []keyword.Term
	seen := map[string]bool{}
	for _, w := range ws {
		if !keyword.IsStopWord(w) {
			seen[keyword.CachedStem(w)] = true
		}
	}
	for _, w := range ws {
		if keyword.IsStopWord(w) || len(w) < 3 {
			continue
		}
		n := 0
		for _, r := range wordnet.Related(w) {
			if n == maxExpansions {
				break
			}
			if strings.ContainsAny(r.Word, " -") {
				continue
			}
			st := keyword.CachedStem(keyword.Fold(r.Word))
			if seen[st] || keyword.IsStopWord(st) {
				continue
			}
			seen[st] = true
			n++
			out = append(out, keyword.Term{Text: st, Field: keyword.Any, Weight: weight * float64(r.Weight)})
		}
	}
	return out
}

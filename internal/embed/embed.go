// Package embed turns papers and queries into vectors whose dot product
// measures closeness of meaning. The default embedder is a static model
// learned from real arXiv abstracts that ships inside the binary; an
// OpenAI-compatible /v1/embeddings endpoint (Ollama, text-embeddings-inference,
// vLLM, OpenAI) can be used instead.
package embed

import (
	"context"
	"math"

	"github.com/paperboy/paperboy/internal/paper"
)

// Embedder maps papers and queries into one vector space. Vectors are
// normalised to unit length, so cosine similarity is the dot product.
type Embedder interface {
	// Model identifies the vector space; when it changes, stored vectors are stale.
	Model() string
	// Dim is the length of every vector.
	Dim() int
	// EmbedDocuments returns one vector per paper, in order.
	EmbedDocuments(ctx context.Context, papers []paper.Paper) ([][]float32, error)
	// EmbedQuery embeds a search query.
	EmbedQuery(ctx context.Context, query string) ([]float32, error)
}

// DocumentText is the text an embedder reads for a paper: the tidied title
// and abstract.
func DocumentText(p *paper.Paper) string {
	t, a := p.DisplayTitle(), p.DisplayAbstract()
	if a == "" {
		return t
	}
	return t + ". " + a
}

// Normalize scales v to unit length in place; a zero vector stays zero.
func Normalize(v []float32) []float32 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		return v
	}
	inv := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i] *= inv
	}
	return v
}

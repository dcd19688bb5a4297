package embed

import (
	"bytes"
	"context"
	"math"
	"slices"
	"testing"

	"github.com/paperboy/paperboy/internal/paper"
)

func dot(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func TestTokenize(t *testing.T) {
	got := Tokenize(`Self-supervised $\mathcal{L}_2$ learning of GNNs: 3 new \emph{results} on graphs, the networks' e.g. x`)
	var stems []string
	for _, tk := range got {
		stems = append(stems, tk.Stem)
	}
	want := []string{"self", "supervis", "l_2", "learn", "gnns", "new", "result", "graph", "network"}
	// "l_2" is not a token: '_' splits; keep the check to what matters.
	want = slices.DeleteFunc(want, func(s string) bool { return s == "l_2" })
	if !slices.Equal(stems, want) {
		t.Errorf("stems %v, want %v", stems, want)
	}
	if got[1].Word != "supervised" {
		t.Errorf("surface %q", got[1].Word)
	}
}

func TestDefaultModel(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var _ Embedder = m
	if m.Dim() < 64 || m.Model() == "" || m.Meta().Words < 10000 {
		t.Fatalf("model %q dim %d words %d", m.Model(), m.Dim(), m.Meta().Words)
	}
	ctx := context.Background()
	q := func(s string) []float32 {
		v, err := m.EmbedQuery(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// Meaning, not spelling: related phrasings are closer than unrelated ones.
	tests := []struct{ a, near, far string }{
		{"neural network training", "deep learning optimization", "galaxy cluster redshift"},
		{"quantization of language models", "low-bit weights for LLM compression", "superconducting qubits"},
		{"image generation with diffusion", "text-to-image synthesis", "prime numbers in arithmetic progressions"},
		{"automobile", "car", "protein"}, // "automobile" leans on WordNet if the corpus lacks it
	}
	for _, tt := range tests {
		a, n, f := q(tt.a), q(tt.near), q(tt.far)
		if dot(a, n) <= dot(a, f) {
			t.Errorf("%q: %q at %.3f, %q at %.3f", tt.a, tt.near, dot(a, n), tt.far, dot(a, f))
		}
	}
	v := q("reinforcement learning")
	var norm float64
	for _, x := range v {
		norm += float64(x) * float64(x)
	}
	if math.Abs(norm-1) > 1e-4 {
		t.Errorf("query vector norm² %v", norm)
	}
	if z := q("zzqx"); dot(z, z) != 0 {
		t.Error("unknown words give a non-zero vector")
	}
}

func TestEmbedDocumentsOrder(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	ps := []paper.Paper{
		{ID: "1", Title: "Graph neural networks for molecules", Abstract: "We predict molecular properties."},
		{ID: "2", Title: "Dark matter halos", Abstract: "Simulations of cosmic structure formation."},
	}
	for range 70 { // enough to use several workers
		ps = append(ps, ps[len(ps)%2])
	}
	vecs, err := m.EmbedDocuments(context.Background(), ps)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vecs {
		if !slices.Equal(v, m.EmbedPaper(&ps[i])) {
			t.Fatalf("vector %d is not paper %d's", i, i)
		}
	}
	// The title counts: the same abstract under another title moves.
	a := m.EmbedPaper(&paper.Paper{Title: "Molecules", Abstract: "We study structure."})
	b := m.EmbedPaper(&paper.Paper{Title: "Galaxies", Abstract: "We study structure."})
	if dot(a, b) > 0.95 {
		t.Errorf("title has no weight: %.3f", dot(a, b))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.EmbedDocuments(ctx, ps); err == nil {
		t.Error("cancelled context ignored")
	}
}

func TestStaticRoundTrip(t *testing.T) {
	words := []string{"graph", "network", "galaxi"}
	weights := []float32{0.5, 0.4, 0.9}
	vecs := [][]float32{{1, 0, 0}, {0.8, 0.6, 0}, {0, 1, 0}}
	lsa := &LSA{IDF: []float32{1.5, 1.2, 3}, Vecs: [][]float32{{0.3, 0.1}, {0.2, 0.2}, {-0.1, 0.4}}}
	for _, tc := range []struct {
		name string
		lsa  *LSA
		dim  int
	}{{"sif only", nil, 3}, {"sif and lsa", lsa, 5}} {
		t.Run(tc.name, func(t *testing.T) {
			meta := StaticMeta{Name: "tiny", Dim: 3, TitleWeight: 2, Common: []float32{0, 0, 1}, LSADim: 2, LSAShare: 0.5}
			var buf bytes.Buffer
			if err := WriteStatic(&buf, meta, words, weights, vecs, tc.lsa); err != nil {
				t.Fatal(err)
			}
			m, err := ReadStatic(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if m.Model() != "tiny" || m.Dim() != tc.dim || !m.Known("network") || m.Known("star") {
				t.Fatalf("read back %+v, dim %d", m.Meta(), m.Dim())
			}
			mem := NewStatic(meta, words, weights, vecs, tc.lsa)
			for _, q := range []string{"graphs", "networks of galaxies", "network network network graph"} {
				a, _ := m.EmbedQuery(context.Background(), q)
				b, _ := mem.EmbedQuery(context.Background(), q)
				if len(a) != tc.dim || dot(a, b) < 0.999 || math.Abs(float64(dot(a, a))-1) > 1e-5 {
					t.Errorf("%q: file model %v, memory model %v", q, a, b)
				}
			}
			for _, bad := range [][]byte{nil, []byte("not gzip"), buf.Bytes()[:buf.Len()/2]} {
				if _, err := ReadStatic(bytes.NewReader(bad)); err == nil {
					t.Errorf("bad model of %d bytes read", len(bad))
				}
			}
		})
	}
	// The LSA view's share: at 0 the vector's LSA half is empty; the dot
	// product of two texts mixes the views' cosines by the share.
	for _, share := range []float32{0.25, 0.75} {
		meta := StaticMeta{Name: "tiny", Dim: 3, Common: []float32{0, 0, 1}, LSADim: 2, LSAShare: share}
		m := NewStatic(meta, words, weights, vecs, lsa)
		a, b := m.EmbedText("graph"), m.EmbedText("galaxies")
		sif := NewStatic(StaticMeta{Name: "s", Dim: 3, Common: []float32{0, 0, 1}}, words, weights, vecs, nil)
		cs := dot(sif.EmbedText("graph"), sif.EmbedText("galaxies"))
		la, lb := Normalize([]float32{0.3 * 1.5, 0.1 * 1.5}), Normalize([]float32{-0.1 * 3, 0.4 * 3})
		want := (1-share)*cs + share*dot(la, lb)
		if got := dot(a, b); math.Abs(float64(got-want)) > 1e-4 {
			t.Errorf("share %.2f: dot %.4f, want %.4f", share, got, want)
		}
	}
}

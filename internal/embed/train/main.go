// Command train learns Paperboy's static embedding model from arXiv
// abstracts and writes it for package embed to embed:
//
//	go run ./internal/embed/train -out internal/embed/model/static.bin.gz
//
// (its defaults are the shipped model's settings).
// Steps: tokenise and stem (embed.Tokenize); count word co-occurrences in a
// symmetric window; positive PMI with smoothed marginals; a randomized
// truncated SVD (Halko et al. 2011) gives word vectors U·Σ^p; retrofit them
// to WordNet synonyms (Faruqui et al. 2015); SIF weights a/(a+p(w)) and the
// corpus's common component (Arora et al. 2017). A second view (-lsa-dim):
// LSA, the truncated SVD of the documents × terms TF-IDF matrix. With -eval
// it also reports Recall@10 and MRR on a relevance set over the papers of
// -corpus.
package main

import (
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/paperboy/paperboy/internal/benchdata"
	"github.com/paperboy/paperboy/internal/embed"
	"github.com/paperboy/paperboy/internal/embed/embedtest"
	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/wordnet"
	"gonum.org/v1/gonum/mat"
)

// doc is a training paper: its title and abstract are what the model reads.
type doc = paper.Paper

var (
	dataDir     = flag.String("data", "", "directory of the arXiv JSON-lines files (default: ../shared/data beside the repository)")
	inputs      = flag.String("inputs", strings.Join(append(slices.Clone(embedtest.Small), embedtest.Big), ","), "training files under -data (comma-separated)")
	corpusFiles = flag.String("corpus", strings.Join(embedtest.Small, ","), "files searched by -eval")
	out         = flag.String("out", "", "model file to write (gzip)")
	dim         = flag.Int("dim", 256, "vector dimensions")
	window      = flag.Int("window", 5, "co-occurrence window (words each side)")
	minCount    = flag.Int("min-count", 5, "minimum stem frequency for the vocabulary")
	maxVocab    = flag.Int("max-vocab", 60000, "vocabulary size cap (most frequent stems)")
	alpha       = flag.Float64("cds", 0.75, "context distribution smoothing exponent")
	eigP        = flag.Float64("eig", 0, "exponent of the singular values in the word vectors")
	power       = flag.Int("power", 2, "power iterations of the randomized SVD")
	retro       = flag.Int("retrofit", 10, "retrofitting iterations (0: none)")
	retroAlpha  = flag.Float64("retrofit-alpha", 1, "weight of the corpus vector in retrofitting")
	sifA        = flag.Float64("sif", 1e-3, "SIF parameter a")
	titleW      = flag.Float64("title-weight", 2, "weight of title words")
	evalPath    = flag.String("eval", "", "relevance set (JSON lines: query, relevant ids) to report Recall@10/MRR on")
	name        = flag.String("name", "", "model name (default paperboy-sif-v1-<dim>, or paperboy-sif-lsa-v2-<dim>-<lsa-dim> with -lsa-dim)")
	lsaDim      = flag.Int("lsa-dim", 256, "dimensions of the LSA view (0: none)")
	lsaShare    = flag.Float64("lsa-share", 0.5, "the LSA view's share of the cosine")
	lsaEig      = flag.Float64("lsa-eig", 1, "exponent of the singular values in LSA document vectors")
	lsaSkip     = flag.Int("lsa-skip", 1, "leading singular directions left out of the LSA view")
)

func main() {
	flag.Parse()
	start := time.Now()
	if *dataDir == "" {
		d, err := benchdata.FindDataDir()
		if err != nil {
			log.Fatal(err)
		}
		*dataDir = d
	}
	var docs []doc
	for _, f := range strings.Split(*inputs, ",") {
		ds, err := embedtest.Read(filepath.Join(*dataDir, f), 0)
		if err != nil {
			log.Fatal(err)
		}
		docs = append(docs, ds...)
	}
	log.Printf("%d documents read", len(docs))

	// Tokenise in parallel.
	toks := make([][]embed.Token, len(docs))
	parallel(len(docs), func(i int) {
		toks[i] = embed.Tokenize(docs[i].Title + ". " + docs[i].Abstract)
	})
	counts := map[string]int{}
	surface := map[string]map[string]int{}
	var total int
	for _, ts := range toks {
		for _, t := range ts {
			counts[t.Stem]++
			total++
			m := surface[t.Stem]
			if m == nil {
				m = map[string]int{}
				surface[t.Stem] = m
			}
			m[t.Word]++
		}
	}
	var words []string
	for w, c := range counts {
		if c >= *minCount {
			words = append(words, w)
		}
	}
	sort.Slice(words, func(i, j int) bool {
		if counts[words[i]] != counts[words[j]] {
			return counts[words[i]] > counts[words[j]]
		}
		return words[i] < words[j]
	})
	if len(words) > *maxVocab {
		words = words[:*maxVocab]
	}
	V := len(words)
	index := make(map[string]int32, V)
	for i, w := range words {
		index[w] = int32(i)
	}
	log.Printf("%d tokens, %d stems, vocabulary %d (%s)", total, len(counts), V, time.Since(start).Round(time.Second))

	// Co-occurrence pairs (i<j packed in a uint64), counted by sorting.
	var pairs []uint64
	seqs := make([][]int32, len(toks))
	for d, ts := range toks {
		s := make([]int32, 0, len(ts))
		for _, t := range ts {
			if i, ok := index[t.Stem]; ok {
				s = append(s, i)
			}
		}
		seqs[d] = s
		for a := range s {
			for b := a + 1; b < len(s) && b <= a+*window; b++ {
				i, j := s[a], s[b]
				if i == j {
					continue
				}
				if i > j {
					i, j = j, i
				}
				pairs = append(pairs, uint64(i)<<32|uint64(j))
			}
		}
	}
	slices.Sort(pairs)
	type entry struct {
		j int32
		c float32
	}
	rows := make([][]entry, V)
	rowSum := make([]float64, V)
	for a := 0; a < len(pairs); {
		b := a
		for b < len(pairs) && pairs[b] == pairs[a] {
			b++
		}
		i, j, c := int32(pairs[a]>>32), int32(pairs[a]&0xffffffff), float32(b-a)
		rows[i] = append(rows[i], entry{j, c})
		rows[j] = append(rows[j], entry{i, c})
		rowSum[i] += float64(c)
		rowSum[j] += float64(c)
		a = b
	}
	log.Printf("%d co-occurrences (%s)", len(pairs), time.Since(start).Round(time.Second))
	pairs = nil

	// PPMI with smoothed marginals on both sides (keeps the matrix symmetric).
	var D, Za float64
	for _, s := range rowSum {
		D += s
		Za += math.Pow(s, *alpha)
	}
	pa := make([]float64, V)
	for i, s := range rowSum {
		pa[i] = math.Pow(s, *alpha) / Za
	}
	A := &csr{n: V, ptr: make([]int, V+1)}
	for i, r := range rows {
		sort.Slice(r, func(a, b int) bool { return r[a].j < r[b].j })
		for _, e := range r {
			pmi := math.Log(float64(e.c)/D) - math.Log(pa[i]) - math.Log(pa[e.j])
			if pmi > 0 {
				A.col = append(A.col, e.j)
				A.val = append(A.val, float32(pmi))
			}
		}
		A.ptr[i+1] = len(A.col)
		rows[i] = nil
	}
	log.Printf("PPMI: %d non-zeros (%s)", len(A.val), time.Since(start).Round(time.Second))

	U, S := randomizedSVD(A, *dim, 16, *power)
	vecs := make([][]float32, V)
	for i := range V {
		v := make([]float32, *dim)
		for k := range *dim {
			v[k] = float32(U.At(i, k) * math.Pow(S[k], *eigP))
		}
		vecs[i] = embed.Normalize(v)
	}
	log.Printf("SVD done, top singular values %.1f %.1f … %.1f (%s)", S[0], S[1], S[*dim-1], time.Since(start).Round(time.Second))

	// Most frequent surface form of each stem, for WordNet.
	surf := make([]string, V)
	for i, w := range words {
		best := 0
		for s, c := range surface[w] {
			if c > best || (c == best && s < surf[i]) {
				best, surf[i] = c, s
			}
		}
	}
	if *retro > 0 {
		vecs = retrofit(vecs, surf, index, *retro, float32(*retroAlpha))
		log.Printf("retrofitted (%s)", time.Since(start).Round(time.Second))
	}

	weights := make([]float32, V)
	for i, w := range words {
		p := float64(counts[w]) / float64(total)
		weights[i] = float32(*sifA / (*sifA + p))
	}
	nm := *name
	if nm == "" {
		nm = fmt.Sprintf("paperboy-sif-v1-%d", *dim)
		if *lsaDim > 0 {
			nm = fmt.Sprintf("paperboy-sif-lsa-v2-%d-%d", *dim, *lsaDim)
		}
	}
	meta := embed.StaticMeta{Name: nm, Dim: *dim, TitleWeight: float32(*titleW),
		Trained: fmt.Sprintf("go run ./internal/embed/train %s (%d documents)", strings.Join(os.Args[1:], " "), len(docs))}
	model := embed.NewStatic(meta, words, weights, vecs, nil)
	// The common component: the first singular vector of the document vectors.
	meta.Common = commonComponent(model, docs, *dim)
	var lsa *embed.LSA
	if *lsaDim > 0 {
		lsa = trainLSA(docs, index, *lsaDim, *lsaSkip, *lsaEig, float32(*titleW))
		meta.LSADim, meta.LSAShare = *lsaDim, float32(*lsaShare)
		log.Printf("LSA view ready (%s)", time.Since(start).Round(time.Second))
	}
	model = embed.NewStatic(meta, words, weights, vecs, lsa)
	log.Printf("model ready (%s)", time.Since(start).Round(time.Second))

	if *evalPath != "" {
		if lsa != nil { // how the views do alone and mixed
			for _, sh := range []float32{0, 0.25, 0.75, 1} {
				m := meta
				m.LSAShare = sh
				log.Printf("LSA share %.2f:", sh)
				if err := evaluate(embed.NewStatic(m, words, weights, vecs, lsa), *evalPath); err != nil {
					log.Fatal(err)
				}
			}
			log.Printf("LSA share %.2f (the model's):", meta.LSAShare)
		}
		if err := evaluate(model, *evalPath); err != nil {
			log.Fatal(err)
		}
	}
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			log.Fatal(err)
		}
		if err := embed.WriteStatic(f, meta, words, weights, vecs, lsa); err != nil {
			log.Fatal(err)
		}
		if err := f.Close(); err != nil {
			log.Fatal(err)
		}
		st, _ := os.Stat(*out)
		log.Printf("wrote %s (%.1f MB)", *out, float64(st.Size())/1e6)
	}
}

func parallel(n int, fn func(i int)) {
	w := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for g := range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < n; i += w {
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// csr is a symmetric sparse matrix in compressed sparse rows.
type csr struct {
	n   int
	ptr []int
	col []int32
	val []float32
}

// mul returns A·X for a dense n×l X.
func (a *csr) mul(x *mat.Dense) *mat.Dense {
	_, l := x.Dims()
	out := mat.NewDense(a.n, l, nil)
	xr := x.RawMatrix()
	or := out.RawMatrix()
	parallelRange(a.n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			dst := or.Data[i*or.Stride : i*or.Stride+l]
			for p := a.ptr[i]; p < a.ptr[i+1]; p++ {
				v := float64(a.val[p])
				src := xr.Data[int(a.col[p])*xr.Stride : int(a.col[p])*xr.Stride+l]
				for k, s := range src {
					dst[k] += v * s
				}
			}
		}
	})
	return out
}

func parallelRange(n int, fn func(lo, hi int)) {
	w := runtime.GOMAXPROCS(0) * 4
	step := (n + w - 1) / w
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += step {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			fn(lo, hi)
		}(lo, min(lo+step, n))
	}
	wg.Wait()
}

// orthonormal returns an orthonormal basis of y's columns by CholeskyQR2
// (twice: Q = Y·R⁻¹ with RᵀR = YᵀY), which needs only l×l factorizations;
// gonum's Householder QR would form the full n×n Q.
func orthonormal(y *mat.Dense) *mat.Dense {
	q := y
	for range 2 {
		_, l := q.Dims()
		var g mat.SymDense
		g.SymOuterK(1, q.T())
		for i := range l { // a tiny ridge keeps near-dependent columns factorizable
			g.SetSym(i, i, g.At(i, i)*(1+1e-10)+1e-12)
		}
		var ch mat.Cholesky
		if !ch.Factorize(&g) {
			log.Fatal("CholeskyQR: matrix not positive definite")
		}
		var r mat.TriDense
		ch.UTo(&r)
		var rinv mat.TriDense
		if err := rinv.InverseTri(&r); err != nil {
			log.Fatal(err)
		}
		var nq mat.Dense
		nq.Mul(q, &rinv)
		q = &nq
	}
	return q
}

// randomizedSVD returns the top k singular vectors and values of symmetric A.
func randomizedSVD(A *csr, k, over, power int) (*mat.Dense, []float64) {
	l := k + over
	rng := rand.New(rand.NewPCG(42, 7))
	omega := mat.NewDense(A.n, l, nil)
	raw := omega.RawMatrix()
	for i := range raw.Data {
		raw.Data[i] = rng.NormFloat64()
	}
	t := time.Now()
	Q := orthonormal(A.mul(omega))
	for it := range power {
		Q = orthonormal(A.mul(Q)) // A is symmetric: Aᵀ = A
		log.Printf("power iteration %d (%s)", it+1, time.Since(t).Round(time.Second))
	}
	vals, ev := gramEigen(A.mul(Q)) // (QᵀA)ᵀ = AQ
	Ub := mat.NewDense(l, k, nil)
	S := make([]float64, k)
	for c := range k {
		S[c] = math.Sqrt(math.Max(vals[c], 0))
		for r := range l {
			Ub.Set(r, c, ev.At(r, c))
		}
	}
	var U mat.Dense
	U.Mul(Q, Ub)
	return &U, S
}

// gramEigen returns the eigenvalues of BBᵀ = BtᵀBt (the squared singular
// values of B), largest first, and its eigenvectors as columns in that order.
func gramEigen(Bt *mat.Dense) ([]float64, *mat.Dense) {
	var G mat.SymDense
	G.SymOuterK(1, Bt.T())
	var eig mat.EigenSym
	if !eig.Factorize(&G, true) {
		log.Fatal("eigen decomposition failed")
	}
	vals := eig.Values(nil)
	var ev mat.Dense
	eig.VectorsTo(&ev)
	l := len(vals)
	order := make([]int, l)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return vals[order[a]] > vals[order[b]] })
	sv := make([]float64, l)
	sev := mat.NewDense(l, l, nil)
	for c, o := range order {
		sv[c] = vals[o]
		for r := range l {
			sev.Set(r, c, ev.At(r, o))
		}
	}
	return sv, sev
}

// retrofit pulls each word's vector towards its WordNet synonyms that are
// in the vocabulary (Faruqui et al. 2015).
func retrofit(vecs [][]float32, surf []string, index map[string]int32, iters int, alpha float32) [][]float32 {
	V, dim := len(vecs), len(vecs[0])
	nb := make([][]int32, V)
	edges := 0
	for i, s := range surf {
		seen := map[int32]bool{int32(i): true}
		for _, syn := range wordnet.Synonyms(s) {
			ts := embed.Tokenize(syn)
			if len(ts) != 1 {
				continue
			}
			if j, ok := index[ts[0].Stem]; ok && !seen[j] {
				seen[j] = true
				nb[i] = append(nb[i], j)
			}
		}
		edges += len(nb[i])
	}
	log.Printf("retrofitting: %d synonym links", edges)
	orig := vecs
	cur := make([][]float32, V)
	for i := range cur {
		cur[i] = slices.Clone(vecs[i])
	}
	for range iters {
		for i := range V {
			if len(nb[i]) == 0 {
				continue
			}
			beta := 1 / float32(len(nb[i]))
			v := make([]float32, dim)
			for k := range dim {
				v[k] = alpha * orig[i][k]
			}
			for _, j := range nb[i] {
				for k := range dim {
					v[k] += beta * cur[j][k]
				}
			}
			for k := range dim {
				v[k] /= alpha + 1
			}
			cur[i] = v
		}
	}
	for i := range cur {
		embed.Normalize(cur[i])
	}
	return cur
}

func commonComponent(m *embed.Static, docs []doc, dim int) []float32 {
	step := max(1, len(docs)/30000)
	var X [][]float32
	for i := 0; i < len(docs); i += step {
		v := m.EmbedText(docs[i].Title + ". " + docs[i].Abstract)
		X = append(X, v)
	}
	u := make([]float32, dim)
	for i := range u {
		u[i] = 1
	}
	embed.Normalize(u)
	for range 50 {
		nu := make([]float32, dim)
		for _, x := range X {
			var d float32
			for k := range dim {
				d += x[k] * u[k]
			}
			for k := range dim {
				nu[k] += d * x[k]
			}
		}
		u = embed.Normalize(nu)
	}
	return u
}

package main

import (
	"log"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/paperboy/paperboy/internal/embed"
	"gonum.org/v1/gonum/mat"
)

// trainLSA learns the LSA view: the documents × terms matrix of sublinear
// TF-IDF weights (title words counting titleW times, rows of unit length),
// its top k (+skip) singular directions by a randomized SVD, and per term
// its row of V scaled by σ^(eig-1), so that folding a text's TF-IDF vector
// in gives its coordinates in U·Σ^eig. The first skip directions, which
// mostly measure how long and how generic a text is, are left out.
func trainLSA(docs []doc, index map[string]int32, k, skip int, eig float64, titleW float32) *embed.LSA {
	t0 := time.Now()
	V := len(index)
	type entry struct {
		j int32
		w float32
	}
	rows := make([][]entry, len(docs))
	df := make([]int32, V)
	parallel(len(docs), func(d int) {
		tf := map[int32]float32{}
		for _, t := range embed.Tokenize(docs[d].Title) {
			if j, ok := index[t.Stem]; ok {
				tf[j] += titleW
			}
		}
		for _, t := range embed.Tokenize(docs[d].Abstract) {
			if j, ok := index[t.Stem]; ok {
				tf[j]++
			}
		}
		r := make([]entry, 0, len(tf))
		for j, f := range tf {
			if f > 1 {
				f = 1 + float32(math.Log(float64(f)))
			}
			r = append(r, entry{j, f})
		}
		sort.Slice(r, func(a, b int) bool { return r[a].j < r[b].j })
		rows[d] = r
	})
	for _, r := range rows {
		for _, e := range r {
			df[e.j]++
		}
	}
	N := float64(len(docs))
	idf := make([]float32, V)
	for j := range idf {
		idf[j] = float32(math.Log((1+N)/(1+float64(df[j]))) + 1)
	}
	X := &csr{n: len(docs), ptr: make([]int, len(docs)+1)}
	colCount := make([]int, V+1)
	for d, r := range rows {
		var norm float64
		for _, e := range r {
			w := float64(e.w * idf[e.j])
			norm += w * w
		}
		inv := float32(1 / math.Sqrt(max(norm, 1e-12)))
		for _, e := range r {
			X.col = append(X.col, e.j)
			X.val = append(X.val, e.w*idf[e.j]*inv)
			colCount[e.j+1]++
		}
		X.ptr[d+1] = len(X.col)
		rows[d] = nil
	}
	// Xᵀ for the other half of each multiplication.
	XT := &csr{n: V, ptr: make([]int, V+1), col: make([]int32, len(X.col)), val: make([]float32, len(X.val))}
	for j := range V {
		XT.ptr[j+1] = XT.ptr[j] + colCount[j+1]
	}
	fill := append([]int(nil), XT.ptr[:V]...)
	for d := range len(docs) {
		for p := X.ptr[d]; p < X.ptr[d+1]; p++ {
			j := X.col[p]
			XT.col[fill[j]] = int32(d)
			XT.val[fill[j]] = X.val[p]
			fill[j]++
		}
	}
	log.Printf("LSA: %d documents × %d terms, %d non-zeros (%s)", len(docs), V, len(X.val), time.Since(t0).Round(time.Second))

	// Randomized SVD of the rectangular X (Halko et al. 2011): a basis Q of
	// X's range from X·Ω with power iterations, then the SVD of the small QᵀX.
	kk := k + skip
	l := kk + 16
	rng := rand.New(rand.NewPCG(42, 11))
	omega := mat.NewDense(V, l, nil)
	raw := omega.RawMatrix()
	for i := range raw.Data {
		raw.Data[i] = rng.NormFloat64()
	}
	Q := orthonormal(X.mul(omega))
	for it := range *power + 1 {
		Q = orthonormal(X.mul(orthonormal(XT.mul(Q))))
		log.Printf("LSA power iteration %d (%s)", it+1, time.Since(t0).Round(time.Second))
	}
	Bt := XT.mul(Q) // (QᵀX)ᵀ, V×l
	vals, ev := gramEigen(Bt)
	// V = Bᵀ·Ub·Σ⁻¹; the term vector is V's row times σ^(eig-1): σ^(eig-2) in all.
	W := mat.NewDense(l, k, nil)
	S := make([]float64, kk)
	for c := range kk {
		S[c] = math.Sqrt(max(vals[c], 1e-24))
	}
	for c := range k {
		f := math.Pow(S[skip+c], eig-2)
		for r := range l {
			W.Set(r, c, ev.At(r, skip+c)*f)
		}
	}
	var T mat.Dense
	T.Mul(Bt, W)
	out := &embed.LSA{IDF: idf, Vecs: make([][]float32, V)}
	for j := range V {
		v := make([]float32, k)
		for c := range k {
			v[c] = float32(T.At(j, c))
		}
		out.Vecs[j] = v
	}
	log.Printf("LSA: singular values %.2f %.2f … %.2f (%s)", S[0], S[1], S[kk-1], time.Since(t0).Round(time.Second))
	return out
}

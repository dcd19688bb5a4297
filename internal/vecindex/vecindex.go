// Package vecindex is Paperboy's in-process approximate-nearest-neighbour
// index for unit vectors (cosine = dot): an inverted file (IVF) with a
// two-stage scan.
//
// Every vector is kept as int8 with a per-vector scale (a quarter of
// float32's memory, no measurable loss in retrieval). Once trained, the index
// also keeps a short float32 projection of each vector onto the data's top
// principal directions, and groups vectors into lists around k-means
// centroids. A query scores the centroids, scans the projections of the
// nearest lists with SIMD dot products (viterin/vek), and re-ranks the best
// best two thousand candidates with their int8 vectors. The scan is bound by
// memory bandwidth, which the projection (half the dimensions) halves against
// float32 vectors; an int8 scan in pure Go is compute-bound and slower still
// (226-286 ns per 256-dim vector here against 19 ns for vek's float32 Dot).
//
// Below a size where scanning everything is fast, the index has one list and
// is exact. Vectors live in slabs of fixed-size chunks: appending never moves
// them, so training reads them without a lock while searches and additions
// go on. Adding a vector assigns it to its nearest list, so growth needs no
// rebuild; Train re-clusters when the index has grown a lot.
package vecindex

import (
	"container/heap"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/viterin/vek/vek32"
)

// Hit is one result: an id and its cosine similarity to the query.
type Hit struct {
	ID    string
	Score float32
}

const chunkRows = 1 << 14

// Index is safe for concurrent use: searches share a read lock; Add and
// Delete take the write lock briefly.
type Index struct {
	dim, pdim int

	mu        sync.RWMutex
	fine      [][]int8    // slab: slot s is row s%chunkRows of chunk s/chunkRows
	scales    []float32   // slot -> int8 scale
	coarse    [][]float32 // list -> projections of its vectors in list order (pdim each); nil until trained
	proj      []float32   // pdim×dim projection; nil until trained
	ids       []string    // slot -> id; "" when free
	listOf    []int32     // slot -> list
	posOf     []int32     // slot -> position in its list
	free      []int32     // reusable slots
	where     map[string]int32
	lists     [][]int32 // list -> slots
	centroids []float32 // len(lists)*dim; empty: one list, exact search
	nprobe    int
	trained   int // size when last trained

	training    bool
	dirty       map[int32]bool // slots filled while training
	pendingFree []int32        // slots freed while training (reused after)
	hints       map[string]int32
}

// New returns an empty index of vectors of dim dimensions.
func New(dim int) *Index {
	return &Index{dim: dim, pdim: projDim(dim), lists: make([][]int32, 1), where: map[string]int32{}, nprobe: 1}
}

// projDim is the length of the projections scanned first: half the vector,
// at least 32 and at most 128 floats. (A quarter lost 6 points of recall@10
// at 1M vectors; half keeps 0.955 at a p95 of 25 ms.)
func projDim(dim int) int { return min(dim, max(32, min(128, dim/2))) }

// Dim is the vectors' length.
func (x *Index) Dim() int { return x.dim }

// Len is the number of vectors.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.where)
}

// Bytes estimates the index's memory: vectors, projections, centroids, ids
// and the bookkeeping per vector (Go's map and string headers included).
func (x *Index) Bytes() int64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	n := int64(len(x.fine)) * chunkRows * int64(x.dim)
	n += int64(len(x.ids)) * (4 + 4 + 4 + 16) // scale, list, position, string header
	for _, c := range x.coarse {
		n += int64(cap(c)) * 4
	}
	for _, l := range x.lists {
		n += int64(cap(l)) * 4
	}
	n += int64(len(x.centroids)+len(x.proj)) * 4
	for id := range x.where {
		n += int64(len(id)) + 40 // the id's bytes; a map entry with its share of overhead
	}
	return n
}

// Lists is the number of inverted lists (1 when untrained).
func (x *Index) Lists() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.lists)
}

// SetProbe sets how many lists a search scans.
func (x *Index) SetProbe(n int) {
	x.mu.Lock()
	x.nprobe = max(1, n)
	x.mu.Unlock()
}

// Probe is how many lists a search scans.
func (x *Index) Probe() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return min(x.nprobe, len(x.lists))
}

func fineRow(chunks [][]int8, dim int, s int32) []int8 {
	o := (int(s) % chunkRows) * dim
	return chunks[int(s)/chunkRows][o : o+dim : o+dim]
}

// quantize writes v as int8 into dst and returns the scale.
func quantize(dst []int8, v []float32) float32 {
	var m float32
	for _, f := range v {
		m = max(m, float32(math.Abs(float64(f))))
	}
	if m == 0 {
		clear(dst)
		return 0
	}
	inv := 127 / m
	for i, f := range v {
		dst[i] = int8(math.Round(float64(f * inv)))
	}
	return m / 127
}

func dequantize(dst []float32, code []int8, scale float32) {
	for i, c := range code {
		dst[i] = float32(c) * scale
	}
}

// project writes proj·v into dst.
func project(dst, proj, v []float32) {
	d := len(v)
	for i := range dst {
		dst[i] = vek32.Dot(proj[i*d:(i+1)*d], v)
	}
}

// Add inserts or replaces vectors (unit length, dim long).
func (x *Index) Add(ids []string, vecs [][]float32) error {
	if len(ids) != len(vecs) {
		return fmt.Errorf("vecindex: %d ids for %d vectors", len(ids), len(vecs))
	}
	for i, v := range vecs {
		if len(v) != x.dim {
			return fmt.Errorf("vecindex: vector of %s has %d dimensions, want %d", ids[i], len(v), x.dim)
		}
	}
	x.mu.RLock()
	cents, proj, hints := x.centroids, x.proj, x.hints
	x.mu.RUnlock()
	assign := make([]int32, len(vecs))
	codes := make([]int8, len(vecs)*x.dim)
	scales := make([]float32, len(vecs))
	var projs []float32
	if proj != nil {
		projs = make([]float32, len(vecs)*x.pdim)
	}
	parallel(len(vecs), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			scales[i] = quantize(codes[i*x.dim:(i+1)*x.dim], vecs[i])
			if proj != nil {
				project(projs[i*x.pdim:(i+1)*x.pdim], proj, vecs[i])
			}
			if len(cents) == 0 {
				continue
			}
			if li, ok := hints[ids[i]]; ok {
				assign[i] = li
			} else {
				assign[i] = int32(nearest(cents, x.dim, vecs[i]))
			}
		}
	})
	x.mu.Lock()
	defer x.mu.Unlock()
	if !sameSlice(cents, x.centroids) || !sameSlice(proj, x.proj) { // retrained meanwhile
		if x.proj != nil {
			projs = make([]float32, len(vecs)*x.pdim)
		}
		for i, v := range vecs {
			assign[i] = 0
			if len(x.centroids) > 0 {
				assign[i] = int32(nearest(x.centroids, x.dim, v))
			}
			if x.proj != nil {
				project(projs[i*x.pdim:(i+1)*x.pdim], x.proj, v)
			}
		}
	}
	for i, id := range ids {
		x.remove(id)
		s := x.alloc()
		copy(fineRow(x.fine, x.dim, s), codes[i*x.dim:(i+1)*x.dim])
		x.scales[s] = scales[i]
		x.ids[s] = id
		x.where[id] = s
		li := assign[i]
		x.listOf[s], x.posOf[s] = li, int32(len(x.lists[li]))
		x.lists[li] = append(x.lists[li], s)
		if x.coarse != nil {
			x.coarse[li] = append(x.coarse[li], projs[i*x.pdim:(i+1)*x.pdim]...)
		}
		if x.training {
			x.dirty[s] = true
		}
	}
	return nil
}

func sameSlice(a, b []float32) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// alloc returns a free slot; while training only fresh ones, so that the
// rows training reads are never overwritten.
func (x *Index) alloc() int32 {
	if n := len(x.free); n > 0 && !x.training {
		s := x.free[n-1]
		x.free = x.free[:n-1]
		return s
	}
	s := int32(len(x.ids))
	if int(s)/chunkRows >= len(x.fine) {
		x.fine = append(x.fine, make([]int8, chunkRows*x.dim))
	}
	x.ids = append(x.ids, "")
	x.scales = append(x.scales, 0)
	x.listOf = append(x.listOf, 0)
	x.posOf = append(x.posOf, 0)
	return s
}

// Delete removes ids; unknown ids are ignored.
func (x *Index) Delete(ids ...string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, id := range ids {
		x.remove(id)
	}
}

// remove takes id out of its list (the list's last slot, and its
// projection, take its place).
func (x *Index) remove(id string) {
	s, ok := x.where[id]
	if !ok {
		return
	}
	delete(x.where, id)
	li, p := x.listOf[s], x.posOf[s]
	l := x.lists[li]
	last := l[len(l)-1]
	l[p] = last
	x.posOf[last] = p
	x.lists[li] = l[:len(l)-1]
	if x.coarse != nil {
		c, d := x.coarse[li], x.pdim
		n := len(l) - 1
		copy(c[int(p)*d:int(p+1)*d], c[n*d:(n+1)*d])
		x.coarse[li] = c[:n*d]
	}
	x.ids[s] = ""
	if x.training {
		x.pendingFree = append(x.pendingFree, s)
		delete(x.dirty, s)
	} else {
		x.free = append(x.free, s)
	}
}

// Has reports whether id is indexed.
func (x *Index) Has(id string) bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	_, ok := x.where[id]
	return ok
}

// Vector returns id's (dequantised) vector.
func (x *Index) Vector(id string) ([]float32, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	s, ok := x.where[id]
	if !ok {
		return nil, false
	}
	v := make([]float32, x.dim)
	dequantize(v, fineRow(x.fine, x.dim, s), x.scales[s])
	return v, true
}

func nearest(cents []float32, dim int, v []float32) int {
	best, bi := float32(math.Inf(-1)), 0
	for c := 0; c*dim < len(cents); c++ {
		if d := vek32.Dot(cents[c*dim:(c+1)*dim], v); d > best {
			best, bi = d, c
		}
	}
	return bi
}

// parallel splits [0, n) over the CPUs.
func parallel(n int, fn func(lo, hi int)) {
	w := runtime.GOMAXPROCS(0)
	if n < 256 || w == 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	step := (n + w - 1) / w
	for lo := 0; lo < n; lo += step {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			fn(lo, hi)
		}(lo, min(lo+step, n))
	}
	wg.Wait()
}

// Search returns the k vectors nearest to q (unit length), best first,
// leaving out the ids in exclude.
func (x *Index) Search(q []float32, k int, exclude ...string) ([]Hit, error) {
	return x.search(q, k, -1, exclude)
}

// SearchProbe is Search scanning probe lists instead of the index's setting
// (fewer for speed, more for recall).
func (x *Index) SearchProbe(q []float32, k, probe int, exclude ...string) ([]Hit, error) {
	return x.search(q, k, max(1, min(probe, math.MaxInt32-1)), exclude)
}

// SearchExact scores every vector in full: the exact answer (over the
// stored int8 vectors), for measuring recall.
func (x *Index) SearchExact(q []float32, k int, exclude ...string) ([]Hit, error) {
	return x.search(q, k, math.MaxInt32, exclude)
}

// rerankDepth is how many candidates of the projection scan are re-scored
// in full. Re-scoring is the int8 dot product in pure Go (about half a
// microsecond at 512 dimensions), so depth is the cost that grows with k.
// 30 per result for the first hundred kept recall@100 of text queries at
// 0.98 on 100k real papers; beyond a hundred (searches that over-fetch for
// filters) the tail is a pool to filter, not a ranking, so it costs one each.
func rerankDepth(k int) int { return max(2000, 30*min(k, 100)+max(0, k-100)) }

func (x *Index) search(q []float32, k int, probe int, exclude []string) ([]Hit, error) {
	if len(q) != x.dim {
		return nil, fmt.Errorf("vecindex: query has %d dimensions, want %d", len(q), x.dim)
	}
	if k <= 0 {
		return nil, nil
	}
	qc := make([]int8, x.dim)
	qs := quantize(qc, q)
	fine := func(s int32) float32 {
		return float32(dotInt8(qc, fineRow(x.fine, x.dim, s))) * qs * x.scales[s]
	}
	kk := k + len(exclude) // excluded ids may take places
	x.mu.RLock()
	defer x.mu.RUnlock()
	var h minHeap
	if x.proj == nil || probe == math.MaxInt32 {
		// Exact: full int8 scores of everything.
		h = make(minHeap, 0, kk)
		for _, l := range x.lists {
			for _, s := range l {
				h.offer(item{fine(s), s}, kk)
			}
		}
	} else {
		if probe < 0 {
			probe = x.nprobe
		}
		qp := make([]float32, x.pdim)
		project(qp, x.proj, q)
		depth := rerankDepth(kk)
		cand := make(minHeap, 0, depth)
		d := x.pdim
		for _, li := range x.nearestLists(q, min(probe, len(x.lists))) {
			rows := x.coarse[li] // contiguous: the scan streams through memory
			for p, s := range x.lists[li] {
				cand.offer(item{vek32.Dot(qp, rows[p*d:(p+1)*d:(p+1)*d]), s}, depth)
			}
		}
		h = make(minHeap, 0, kk)
		for _, c := range cand {
			h.offer(item{fine(c.slot), c.slot}, kk)
		}
	}
	slices.SortFunc(h, func(a, b item) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return int(a.slot - b.slot)
	})
	out := make([]Hit, 0, k)
	for _, it := range h {
		id := x.ids[it.slot]
		if slices.Contains(exclude, id) {
			continue
		}
		out = append(out, Hit{ID: id, Score: it.score})
		if len(out) == k {
			break
		}
	}
	return out, nil
}

// nearestLists returns the probe lists whose centroids are nearest to q.
func (x *Index) nearestLists(q []float32, probe int) []int {
	n := len(x.lists)
	scores := make([]float32, n)
	for c := range n {
		scores[c] = vek32.Dot(x.centroids[c*x.dim:(c+1)*x.dim], q)
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	if probe >= n {
		return idx
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case scores[a] > scores[b]:
			return -1
		case scores[a] < scores[b]:
			return 1
		}
		return 0
	})
	return idx[:probe]
}

type item struct {
	score float32
	slot  int32
}

// minHeap keeps the best n items seen: its root is the worst of them.
type minHeap []item

func (h minHeap) Len() int           { return len(h) }
func (h minHeap) Less(i, j int) bool { return h[i].score < h[j].score }
func (h minHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *minHeap) Push(v any)        { *h = append(*h, v.(item)) }
func (h *minHeap) Pop() any {
	old := *h
	v := old[len(old)-1]
	*h = old[:len(old)-1]
	return v
}

func (h *minHeap) offer(it item, n int) {
	if len(*h) < n {
		heap.Push(h, it)
	} else if it.score > (*h)[0].score {
		(*h)[0] = it
		heap.Fix(h, 0)
	}
}

// dotInt8 is the int8 dot product in blocks of 16 (fixed-size array views
// let the compiler drop bounds checks; Go has no portable SIMD). Only the
// few hundred re-ranked candidates and small exact indexes use it.
func dotInt8(a, b []int8) int32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 int32
	i := 0
	for ; i+16 <= len(a); i += 16 {
		x := (*[16]int8)(a[i : i+16])
		y := (*[16]int8)(b[i : i+16])
		s0 += int32(x[0])*int32(y[0]) + int32(x[4])*int32(y[4]) + int32(x[8])*int32(y[8]) + int32(x[12])*int32(y[12])
		s1 += int32(x[1])*int32(y[1]) + int32(x[5])*int32(y[5]) + int32(x[9])*int32(y[9]) + int32(x[13])*int32(y[13])
		s2 += int32(x[2])*int32(y[2]) + int32(x[6])*int32(y[6]) + int32(x[10])*int32(y[10]) + int32(x[14])*int32(y[14])
		s3 += int32(x[3])*int32(y[3]) + int32(x[7])*int32(y[7]) + int32(x[11])*int32(y[11]) + int32(x[15])*int32(y[15])
	}
	for ; i < len(a); i++ {
		s0 += int32(a[i]) * int32(b[i])
	}
	return s0 + s1 + s2 + s3
}

// ErrNoState is returned by SetState for data it cannot read.
var ErrNoState = errors.New("vecindex: bad state")

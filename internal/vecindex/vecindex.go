// Package vecindex is Paperboy's in-process approximate-nearest-neighbour
// index for unit vectors (cosine = dot): an inverted file (IVF). Vectors live
// in a slab of fixed-size float32 chunks (appending never moves them, so
// training can read them without a lock) and are grouped into lists around
// k-means centroids; a query scores the centroids and scans only the nearest
// lists with SIMD dot products (viterin/vek: 12 times faster here than an
// int8 loop in pure Go, which is why vectors stay float32 in memory). Below a
// size where scanning everything is fast, the index has one list and is
// exact. Adding a vector assigns it to its nearest list, so growth needs no
// rebuild; Train re-clusters when the index has grown a lot, while searches
// go on.
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
	dim int

	mu        sync.RWMutex
	chunks    [][]float32 // slab: slot s is row s%chunkRows of chunk s/chunkRows
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
	return &Index{dim: dim, lists: make([][]int32, 1), where: map[string]int32{}, nprobe: 1}
}

// Dim is the vectors' length.
func (x *Index) Dim() int { return x.dim }

// Len is the number of vectors.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.where)
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

func (x *Index) row(chunks [][]float32, s int32) []float32 {
	c := chunks[int(s)/chunkRows]
	o := (int(s) % chunkRows) * x.dim
	return c[o : o+x.dim : o+x.dim]
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
	cents, hints := x.centroids, x.hints
	x.mu.RUnlock()
	assign := make([]int32, len(vecs))
	if len(cents) > 0 {
		parallel(len(vecs), func(lo, hi int) {
			for i := lo; i < hi; i++ {
				if li, ok := hints[ids[i]]; ok {
					assign[i] = li
				} else {
					assign[i] = int32(nearest(cents, x.dim, vecs[i]))
				}
			}
		})
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if !sameSlice(cents, x.centroids) { // retrained meanwhile
		for i, v := range vecs {
			assign[i] = int32(nearest(x.centroids, x.dim, v))
		}
	}
	for i, id := range ids {
		x.remove(id)
		s := x.alloc()
		copy(x.row(x.chunks, s), vecs[i])
		x.ids[s] = id
		x.where[id] = s
		li := assign[i]
		x.listOf[s], x.posOf[s] = li, int32(len(x.lists[li]))
		x.lists[li] = append(x.lists[li], s)
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
	if int(s)/chunkRows >= len(x.chunks) {
		x.chunks = append(x.chunks, make([]float32, chunkRows*x.dim))
	}
	x.ids = append(x.ids, "")
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

// remove takes id out of its list (the list's last slot takes its place).
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

// Vector returns a copy of id's vector.
func (x *Index) Vector(id string) ([]float32, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	s, ok := x.where[id]
	if !ok {
		return nil, false
	}
	return slices.Clone(x.row(x.chunks, s)), true
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

// SearchExact scans every list: the exact answer, for measuring recall.
func (x *Index) SearchExact(q []float32, k int, exclude ...string) ([]Hit, error) {
	return x.search(q, k, math.MaxInt32, exclude)
}

func (x *Index) search(q []float32, k int, probe int, exclude []string) ([]Hit, error) {
	if len(q) != x.dim {
		return nil, fmt.Errorf("vecindex: query has %d dimensions, want %d", len(q), x.dim)
	}
	if k <= 0 {
		return nil, nil
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	if probe < 0 {
		probe = x.nprobe
	}
	probe = min(probe, len(x.lists))
	var order []int
	if len(x.lists) == 1 {
		order = []int{0}
	} else {
		order = x.nearestLists(q, probe)
	}
	kk := k + len(exclude) // excluded ids may take places
	h := make(minHeap, 0, kk)
	for _, li := range order {
		for _, s := range x.lists[li] {
			d := vek32.Dot(q, x.row(x.chunks, s))
			if len(h) < kk {
				heap.Push(&h, item{d, s})
			} else if d > h[0].score {
				h[0] = item{d, s}
				heap.Fix(&h, 0)
			}
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

// ErrNoState is returned by SetState for data it cannot read.
var ErrNoState = errors.New("vecindex: bad state")

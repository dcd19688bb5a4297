package vecindex

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/viterin/vek/vek32"
	"gonum.org/v1/gonum/mat"
)

// ExactBelow is the size under which the index keeps one list and scores
// every int8 vector (about 5 ms at 20k on this machine's cores).
const ExactBelow = 20000

// Plan returns the number of lists and probes for n vectors: about 2·√n lists,
// probing 1/12 of them, or more when that scans fewer than ExactBelow
// vectors (cheap, and better recall for mid-sized libraries). Chosen on real
// paper vectors (see BenchmarkIndex in internal/semantic): recall@10 0.95-0.98
// from 14k to 1M vectors.
func Plan(n int) (nlist, nprobe int) {
	if n < ExactBelow {
		return 1, 1
	}
	nlist = int(2 * math.Sqrt(float64(n)))
	nprobe = max(8, nlist/12, int(math.Ceil(float64(ExactBelow)*float64(nlist)/float64(n))))
	return nlist, min(nprobe, nlist)
}

// NeedsTraining reports whether the index should be (re)trained: it has
// outgrown exact search, or has doubled since it was trained.
func (x *Index) NeedsTraining() bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	n := len(x.where)
	if n < ExactBelow {
		return false
	}
	return len(x.centroids) == 0 || n >= 2*x.trained
}

// Train clusters the current vectors into nlist lists (spherical k-means on
// a sample, then every vector to its nearest centroid), learns the
// projection scanned first (the sample's top principal directions), and sets
// nprobe. Searches, additions and deletions go on meanwhile: training reads
// only rows that exist when it starts, which are never overwritten while it
// runs, and the vectors added meanwhile are assigned at the end. nlist <= 1
// makes the index exact again.
func (x *Index) Train(nlist, nprobe int, seed uint64) error {
	x.mu.Lock()
	if x.training {
		x.mu.Unlock()
		return fmt.Errorf("vecindex: already training")
	}
	x.training, x.dirty = true, map[int32]bool{}
	fine, scales := slices.Clone(x.fine), x.scales
	var live []int32
	for _, l := range x.lists {
		live = append(live, l...)
	}
	x.mu.Unlock()
	slices.Sort(live)
	defer func() {
		x.mu.Lock()
		x.training, x.dirty = false, nil
		x.free = append(x.free, x.pendingFree...)
		x.pendingFree = nil
		x.mu.Unlock()
	}()

	dim, pdim := x.dim, x.pdim
	vec := func(dst []float32, s int32) { dequantize(dst, fineRow(fine, dim, s), scales[s]) }
	if nlist <= 1 || len(live) < nlist {
		x.mu.Lock()
		defer x.mu.Unlock()
		all := make([]int32, 0, len(x.where))
		for _, l := range x.lists {
			all = append(all, l...)
		}
		for i, s := range all {
			x.listOf[s], x.posOf[s] = 0, int32(i)
		}
		x.lists, x.centroids, x.proj, x.coarse = [][]int32{all}, nil, nil, nil
		x.nprobe, x.trained = 1, len(x.where)
		return nil
	}

	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	m := min(len(live), max(nlist*40, 20000))
	pts := make([]float32, m*dim)
	for j, i := range rng.Perm(len(live))[:m] {
		vec(pts[j*dim:(j+1)*dim], live[i])
	}
	proj, err := principal(pts, dim, pdim)
	if err != nil {
		return err
	}
	cents := kmeans(pts, dim, nlist, 8, rng)
	pts = nil

	// Assign every vector, then project each into its list's contiguous
	// rows (in the order of live), all without the lock.
	assign := make([]int32, len(live))
	parallel(len(live), func(lo, hi int) {
		v := make([]float32, dim)
		for i := lo; i < hi; i++ {
			vec(v, live[i])
			assign[i] = int32(nearest(cents, dim, v))
		}
	})
	pos := make([]int32, len(live))
	sizes := make([]int, nlist)
	for i, li := range assign {
		pos[i] = int32(sizes[li])
		sizes[li]++
	}
	coarse := make([][]float32, nlist)
	for li, n := range sizes {
		coarse[li] = make([]float32, n*pdim, n*pdim+n*pdim/8+pdim) // room to grow
	}
	parallel(len(live), func(lo, hi int) {
		v := make([]float32, dim)
		for i := lo; i < hi; i++ {
			vec(v, live[i])
			p := int(pos[i])
			project(coarse[assign[i]][p*pdim:(p+1)*pdim], proj, v)
		}
	})

	x.mu.Lock()
	defer x.mu.Unlock()
	// Vectors removed or replaced meanwhile leave gaps: close them up.
	lists := make([][]int32, nlist)
	for i, s := range live {
		if x.ids[s] == "" || x.dirty[s] {
			continue
		}
		li := assign[i]
		n := len(lists[li])
		if p := int(pos[i]); p != n {
			copy(coarse[li][n*pdim:(n+1)*pdim], coarse[li][p*pdim:(p+1)*pdim])
		}
		x.listOf[s], x.posOf[s] = li, int32(n)
		lists[li] = append(lists[li], s)
	}
	for li := range coarse {
		coarse[li] = coarse[li][:len(lists[li])*pdim]
	}
	v := make([]float32, dim)
	pv := make([]float32, pdim)
	for s := range x.dirty { // added while training
		dequantize(v, fineRow(x.fine, dim, s), x.scales[s])
		project(pv, proj, v)
		li := int32(nearest(cents, dim, v))
		x.listOf[s], x.posOf[s] = li, int32(len(lists[li]))
		lists[li] = append(lists[li], s)
		coarse[li] = append(coarse[li], pv...)
	}
	x.lists, x.centroids, x.proj, x.coarse = lists, cents, proj, coarse
	x.nprobe = max(1, nprobe)
	x.trained = len(x.where)
	return nil
}

// principal returns the top k eigenvectors of the points' second-moment
// matrix (uncentred: dot products are what must survive the projection), as
// k rows of dim.
func principal(pts []float32, dim, k int) ([]float32, error) {
	// 20,000 points pin down a second-moment matrix of a few hundred
	// dimensions; the sample is already random, so its head will do.
	m := min(len(pts)/dim, 20000)
	cols := make([]float32, dim*m) // transposed: dot products over contiguous columns
	for i := range m {
		for a, v := range pts[i*dim : (i+1)*dim] {
			cols[a*m+i] = v
		}
	}
	g := make([]float64, dim*dim)
	parallel(dim, func(lo, hi int) {
		for a := lo; a < hi; a++ {
			ca := cols[a*m : (a+1)*m]
			for b := a; b < dim; b++ {
				g[a*dim+b] = float64(vek32.Dot(ca, cols[b*m:(b+1)*m]))
			}
		}
	})
	sym := mat.NewSymDense(dim, nil)
	for a := range dim {
		for b := a; b < dim; b++ {
			sym.SetSym(a, b, g[a*dim+b]/float64(m))
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(sym, true) {
		return nil, fmt.Errorf("vecindex: eigen decomposition failed")
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	order := make([]int, dim)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		switch {
		case vals[a] > vals[b]:
			return -1
		case vals[a] < vals[b]:
			return 1
		}
		return 0
	})
	proj := make([]float32, k*dim)
	for r := range k {
		for c := range dim {
			proj[r*dim+c] = float32(vecs.At(c, order[r]))
		}
	}
	return proj, nil
}

// kmeans runs spherical k-means (cosine) on the points and returns k unit
// centroids.
func kmeans(pts []float32, dim, k, iters int, rng *rand.Rand) []float32 {
	m := len(pts) / dim
	cents := make([]float32, k*dim)
	copy(cents, pts[:k*dim]) // the sample is already random
	assign := make([]int32, m)
	for range iters {
		parallel(m, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				assign[i] = int32(nearest(cents, dim, pts[i*dim:(i+1)*dim]))
			}
		})
		sums := make([]float32, k*dim)
		counts := make([]int, k)
		for i, a := range assign {
			vek32.Add_Inplace(sums[int(a)*dim:int(a+1)*dim], pts[i*dim:(i+1)*dim])
			counts[a]++
		}
		for c := range k {
			cv := sums[c*dim : (c+1)*dim]
			if counts[c] == 0 { // empty: restart at a random point
				r := rng.IntN(m)
				copy(cv, pts[r*dim:(r+1)*dim])
			}
			if nrm := vek32.Norm(cv); nrm > 0 {
				vek32.MulNumber_Inplace(cv, 1/nrm)
			}
		}
		cents = sums
	}
	return cents
}

// State serialises the trained state (centroids and every vector's list), so
// that a restart neither trains nor assigns again.
func (x *Index) State() []byte {
	x.mu.RLock()
	defer x.mu.RUnlock()
	var b bytes.Buffer
	b.WriteString("IVF2")
	w32 := func(v uint32) { binary.Write(&b, binary.LittleEndian, v) }
	w32(uint32(x.dim))
	w32(uint32(len(x.lists)))
	w32(uint32(x.nprobe))
	w32(uint32(x.trained))
	binary.Write(&b, binary.LittleEndian, x.centroids)
	w32(uint32(len(x.proj)))
	binary.Write(&b, binary.LittleEndian, x.proj)
	w32(uint32(len(x.where)))
	for li, l := range x.lists {
		for _, s := range l {
			id := x.ids[s]
			var lb [binary.MaxVarintLen64]byte
			b.Write(lb[:binary.PutUvarint(lb[:], uint64(len(id)))])
			b.WriteString(id)
			w32(uint32(li))
		}
	}
	return b.Bytes()
}

// SetState restores a State into an empty index: its centroids, and the
// lists of the vectors that Add will receive (ids not in the state are
// assigned as usual).
func (x *Index) SetState(data []byte) error {
	r := bytes.NewReader(data)
	magic := make([]byte, 4)
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != "IVF2" {
		return fmt.Errorf("%w: not an IVF2 state", ErrNoState)
	}
	var hdr [4]uint32
	if err := binary.Read(r, binary.LittleEndian, &hdr); err != nil {
		return fmt.Errorf("%w: %v", ErrNoState, err)
	}
	dim, nlist := int(hdr[0]), int(hdr[1])
	if dim != x.dim || nlist < 1 || nlist > 1<<20 {
		return fmt.Errorf("%w: %d dimensions and %d lists (index has %d dimensions)", ErrNoState, dim, nlist, x.dim)
	}
	var cents []float32
	if nlist > 1 {
		cents = make([]float32, nlist*dim)
		if err := binary.Read(r, binary.LittleEndian, cents); err != nil {
			return fmt.Errorf("%w: centroids: %v", ErrNoState, err)
		}
	}
	var plen uint32
	if err := binary.Read(r, binary.LittleEndian, &plen); err != nil {
		return fmt.Errorf("%w: %v", ErrNoState, err)
	}
	var proj []float32
	if nlist > 1 {
		if int(plen) != x.pdim*dim {
			return fmt.Errorf("%w: projection of %d values, want %d", ErrNoState, plen, x.pdim*dim)
		}
		proj = make([]float32, plen)
		if err := binary.Read(r, binary.LittleEndian, proj); err != nil {
			return fmt.Errorf("%w: projection: %v", ErrNoState, err)
		}
	} else if plen != 0 {
		return fmt.Errorf("%w: projection without lists", ErrNoState)
	}
	var cnt uint32
	if err := binary.Read(r, binary.LittleEndian, &cnt); err != nil {
		return fmt.Errorf("%w: %v", ErrNoState, err)
	}
	hints := make(map[string]int32, cnt)
	idb := make([]byte, 256)
	for range cnt {
		ln, err := binary.ReadUvarint(r)
		if err != nil || ln > 1<<10 {
			return fmt.Errorf("%w: bad id length", ErrNoState)
		}
		if int(ln) > len(idb) {
			idb = make([]byte, ln)
		}
		if _, err := io.ReadFull(r, idb[:ln]); err != nil {
			return fmt.Errorf("%w: %v", ErrNoState, err)
		}
		var li uint32
		if err := binary.Read(r, binary.LittleEndian, &li); err != nil {
			return fmt.Errorf("%w: %v", ErrNoState, err)
		}
		if int(li) >= nlist {
			return fmt.Errorf("%w: list %d of %d", ErrNoState, li, nlist)
		}
		hints[string(idb[:ln])] = int32(li)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.where) > 0 {
		return fmt.Errorf("vecindex: SetState on a non-empty index")
	}
	x.centroids, x.proj = cents, proj
	if proj != nil {
		x.coarse = make([][]float32, nlist)
	}
	x.lists = make([][]int32, nlist)
	x.nprobe = max(1, int(hdr[2]))
	x.trained = int(hdr[3])
	x.hints = hints
	return nil
}

// DropHints forgets the list assignments SetState gave for ids that never came.
func (x *Index) DropHints() {
	x.mu.Lock()
	x.hints = nil
	x.mu.Unlock()
}

package vecindex

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/viterin/vek/vek32"
)

func unit(v []float32) []float32 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	inv := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i] *= inv
	}
	return v
}

// clustered returns n unit vectors around c random centres, like document
// vectors are: topics with spread.
func clustered(n, dim, c int, seed uint64) [][]float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	centres := make([][]float32, c)
	for i := range centres {
		centres[i] = make([]float32, dim)
		for k := range dim {
			centres[i][k] = float32(rng.NormFloat64())
		}
		unit(centres[i])
	}
	out := make([][]float32, n)
	for i := range out {
		ce := centres[rng.IntN(c)]
		v := make([]float32, dim)
		for k := range dim {
			v[k] = ce[k] + 0.08*float32(rng.NormFloat64())
		}
		out[i] = unit(v)
	}
	return out
}

func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("p%06d", i)
	}
	return out
}

// bruteForce is the exact float32 answer.
func bruteForce(vecs [][]float32, names []string, q []float32, k int) []string {
	type s struct {
		i int
		d float32
	}
	sc := make([]s, len(vecs))
	for i, v := range vecs {
		var d float32
		for j := range v {
			d += v[j] * q[j]
		}
		sc[i] = s{i, d}
	}
	sort.Slice(sc, func(a, b int) bool { return sc[a].d > sc[b].d })
	out := make([]string, k)
	for i := range k {
		out[i] = names[sc[i].i]
	}
	return out
}

func recall(got []Hit, want []string) float64 {
	n := 0
	for _, h := range got {
		if slices.Contains(want, h.ID) {
			n++
		}
	}
	return float64(n) / float64(len(want))
}

func TestExactSearch(t *testing.T) {
	vecs := clustered(3000, 64, 30, 1)
	names := ids(len(vecs))
	x := New(64)
	if err := x.Add(names, vecs); err != nil {
		t.Fatal(err)
	}
	if x.Len() != 3000 || x.Lists() != 1 {
		t.Fatalf("len %d lists %d", x.Len(), x.Lists())
	}
	var r float64
	for i := 0; i < 100; i++ {
		q := vecs[i*7]
		hs, err := x.Search(q, 10)
		if err != nil {
			t.Fatal(err)
		}
		if hs[0].ID != names[i*7] || hs[0].Score < 0.97 {
			t.Errorf("query %d: first hit %+v, want itself", i, hs[0])
		}
		r += recall(hs, bruteForce(vecs, names, q, 10))
	}
	// int8 quantisation may swap near-ties at the cut.
	if r /= 100; r < 0.97 {
		t.Errorf("recall@10 of the exact int8 scan vs float32: %.3f", r)
	}
}

func TestErrorsAndEdges(t *testing.T) {
	x := New(4)
	if err := x.Add([]string{"a"}, [][]float32{{1, 0}}); err == nil {
		t.Error("wrong dimension accepted")
	}
	if err := x.Add([]string{"a", "b"}, [][]float32{{1, 0, 0, 0}}); err == nil {
		t.Error("mismatched lengths accepted")
	}
	if _, err := x.Search([]float32{1}, 3); err == nil {
		t.Error("wrong query dimension accepted")
	}
	if hs, err := x.Search([]float32{1, 0, 0, 0}, 3); err != nil || len(hs) != 0 {
		t.Errorf("empty index: %v %v", hs, err)
	}
	x.Add([]string{"a", "b"}, [][]float32{{1, 0, 0, 0}, {0, 1, 0, 0}})
	if hs, _ := x.Search([]float32{1, 0, 0, 0}, 0); len(hs) != 0 {
		t.Errorf("k=0 gave %v", hs)
	}
	if hs, _ := x.Search([]float32{1, 0, 0, 0}, 10); len(hs) != 2 {
		t.Errorf("k > len gave %v", hs)
	}
}

func TestReplaceDeleteExclude(t *testing.T) {
	x := New(3)
	x.Add([]string{"a", "b", "c"}, [][]float32{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}})
	// Replace a: it now points along y.
	x.Add([]string{"a"}, [][]float32{unit([]float32{0.1, 1, 0})})
	if x.Len() != 3 {
		t.Fatalf("len %d after replace", x.Len())
	}
	hs, _ := x.Search([]float32{0, 1, 0}, 2)
	if hs[0].ID != "b" || hs[1].ID != "a" {
		t.Errorf("after replace: %v", hs)
	}
	hs, _ = x.Search([]float32{0, 1, 0}, 1, "b")
	if len(hs) != 1 || hs[0].ID != "a" {
		t.Errorf("excluding b: %v", hs)
	}
	x.Delete("b", "nope")
	hs, _ = x.Search([]float32{0, 1, 0}, 3)
	if len(hs) != 2 || hs[0].ID != "a" || x.Has("b") {
		t.Errorf("after delete: %v", hs)
	}
	if v, ok := x.Vector("c"); !ok || v[2] < 0.99 {
		t.Errorf("vector of c: %v %v", v, ok)
	}
	if _, ok := x.Vector("b"); ok {
		t.Error("deleted vector still there")
	}
}

func TestTrainRecallAndIncremental(t *testing.T) {
	vecs := clustered(30000, 64, 200, 2)
	names := ids(len(vecs))
	x := New(64)
	x.Add(names[:25000], vecs[:25000])
	if !x.NeedsTraining() {
		t.Fatal("25k untrained vectors do not need training")
	}
	nlist, nprobe := 316, 26 // 2·√n lists, 1/12 probed
	if err := x.Train(nlist, nprobe, 1); err != nil {
		t.Fatal(err)
	}
	if x.Lists() != nlist || x.Len() != 25000 || x.NeedsTraining() {
		t.Fatalf("after training: %d lists, %d vectors, needs training %v", x.Lists(), x.Len(), x.NeedsTraining())
	}
	checkLists(t, x)
	// Incremental: the rest are assigned to their nearest lists, no rebuild.
	x.Add(names[25000:], vecs[25000:])
	rng := rand.New(rand.NewPCG(3, 3))
	var r float64
	found := 0
	const Q = 200
	for range Q {
		i := rng.IntN(len(vecs))
		hs, _ := x.Search(vecs[i], 10)
		r += recall(hs, bruteForce(vecs, names, vecs[i], 10))
		if i >= 25000 && hs[0].ID == names[i] {
			found++
		}
	}
	if r /= Q; r < 0.9 {
		t.Errorf("recall@10 %.3f at %d lists, probe %d", r, nlist, nprobe)
	}
	t.Logf("recall@10 %.3f (%d lists, probe %d)", r, nlist, nprobe)
	checkLists(t, x)
	// Deleting after training.
	x.Delete(names[:10]...)
	if x.Len() != 30000-10 {
		t.Errorf("len %d", x.Len())
	}
	checkLists(t, x)
	hs, _ := x.Search(vecs[3], 5)
	for _, h := range hs {
		if h.ID == names[3] {
			t.Error("deleted vector found")
		}
	}
}

func TestStateRoundTrip(t *testing.T) {
	vecs := clustered(21000, 32, 100, 4)
	names := ids(len(vecs))
	x := New(32)
	x.Add(names, vecs)
	x.Train(50, 5, 1)
	st := x.State()

	y := New(32)
	if err := y.SetState(st); err != nil {
		t.Fatal(err)
	}
	y.Add(names, vecs)
	y.DropHints()
	if y.Lists() != 50 || y.Probe() != 5 || y.Len() != len(vecs) {
		t.Fatalf("restored: %d lists probe %d len %d", y.Lists(), y.Probe(), y.Len())
	}
	for i := 0; i < 50; i++ {
		a, _ := x.Search(vecs[i*100], 10)
		b, _ := y.Search(vecs[i*100], 10)
		if !slices.Equal(a, b) {
			t.Fatalf("query %d: restored index answers %v, original %v", i, b, a)
		}
	}
	for _, bad := range [][]byte{nil, []byte("IVF0xxxx"), st[:20], st[:len(st)-3]} {
		if err := New(32).SetState(bad); err == nil {
			t.Errorf("bad state of %d bytes accepted", len(bad))
		}
	}
	if err := New(16).SetState(st); err == nil {
		t.Error("state of another dimension accepted")
	}
}

// Searches keep working, and see consistent data, while vectors are added,
// deleted and the index is retrained (run with -race).
func TestConcurrentSearchAddTrain(t *testing.T) {
	vecs := clustered(24000, 32, 50, 5)
	names := ids(len(vecs))
	x := New(32)
	x.Add(names[:20000], vecs[:20000])
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for g := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; ; i += 2 {
				select {
				case <-stop:
					return
				default:
				}
				hs, err := x.Search(vecs[i%20000], 5)
				if err != nil || len(hs) == 0 {
					t.Errorf("search: %v %v", hs, err)
					return
				}
			}
		}()
	}
	done := make(chan error)
	go func() { done <- x.Train(100, 10, 1) }()
	for i := 20000; i < 24000; i += 100 {
		x.Add(names[i:i+100], vecs[i:i+100])
		x.Delete(names[(i-20000)/100])
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()
	if want := 24000 - 40; x.Len() != want {
		t.Errorf("len %d, want %d", x.Len(), want)
	}
	checkLists(t, x)
	// Everything added during training is findable.
	for i := 20000; i < 24000; i += 333 {
		hs, _ := x.SearchExact(vecs[i], 1)
		if hs[0].ID != names[i] {
			t.Errorf("vector %d added during training not found: %v", i, hs)
		}
	}
	for i := 0; i < 40; i++ {
		if x.Has(names[i]) {
			t.Errorf("%s deleted during training is back", names[i])
		}
	}
}

func BenchmarkDotF32(b *testing.B) {
	a, c := make([]float32, 256), make([]float32, 256)
	for i := range a {
		a[i], c[i] = float32(i), float32(-i/2)
	}
	var s float32
	for b.Loop() {
		s += vek32.Dot(a, c)
	}
	_ = s
}

func TestPlan(t *testing.T) {
	tests := []struct{ n, nlist, nprobe int }{
		{5000, 1, 1},
		{19999, 1, 1},
		{100000, 632, 127}, // probes enough lists to scan ~20k vectors
		{1000000, 2000, 166},
	}
	for _, tt := range tests {
		if l, p := Plan(tt.n); l != tt.nlist || p != tt.nprobe {
			t.Errorf("Plan(%d) = %d, %d; want %d, %d", tt.n, l, p, tt.nlist, tt.nprobe)
		}
	}
}

// checkLists verifies the trained index's bookkeeping: every vector is in
// exactly one list at the position it records, and each list's projections
// are its vectors', in list order (the scan reads them by position).
func checkLists(t *testing.T, x *Index) {
	t.Helper()
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.proj == nil || len(x.coarse) != len(x.lists) {
		t.Fatalf("not trained: %d projection lists for %d lists", len(x.coarse), len(x.lists))
	}
	n := 0
	v := make([]float32, x.dim)
	pv := make([]float32, x.pdim)
	for li, l := range x.lists {
		if len(x.coarse[li]) != len(l)*x.pdim {
			t.Fatalf("list %d: %d vectors, %d projected values", li, len(l), len(x.coarse[li]))
		}
		for p, s := range l {
			n++
			if x.ids[s] == "" || x.where[x.ids[s]] != s || x.listOf[s] != int32(li) || x.posOf[s] != int32(p) {
				t.Fatalf("list %d position %d: slot %d (%q) records list %d position %d", li, p, s, x.ids[s], x.listOf[s], x.posOf[s])
			}
			dequantize(v, fineRow(x.fine, x.dim, s), x.scales[s])
			project(pv, x.proj, v)
			for i, want := range pv {
				if got := x.coarse[li][p*x.pdim+i]; math.Abs(float64(got-want)) > 5e-3 { // added vectors are projected before quantization
					t.Fatalf("list %d position %d (%s): projection %d is %g, want %g", li, p, x.ids[s], i, got, want)
				}
			}
		}
	}
	if n != len(x.where) {
		t.Fatalf("%d vectors in lists, %d indexed", n, len(x.where))
	}
}

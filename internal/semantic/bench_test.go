package semantic

// Benchmarks of semantic search at scale (go test -bench . -run XXX ./internal/semantic/ -timeout 60m):
//
//	BenchmarkEmbed           papers/s of the default static model
//	BenchmarkIndex/100k      the 101,943 real papers of big/arxiv-abstracts.jsonl.gz
//	BenchmarkIndex/1M        those plus 898,057 GENERATED papers (titles and
//	                         sentences of real abstracts recombined), embedded by the same model
//
// Each index benchmark reports build (train) time, recall@10 against exact
// search, query latency percentiles (queries: the relevance set's and titles
// of random papers) and the index's heap. Vectors are cached under
// $TMPDIR/paperboy-semantic-bench to spare re-embedding between runs.

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/embed/embedtest"
	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/procmem"
	"github.com/paperboy/paperboy/internal/vecindex"
)

func BenchmarkEmbed(b *testing.B) {
	ps := embedtest.Papers(b, 4000, "hf-daily-papers.jsonl")
	m := defaultModel(b)
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	n := 0
	for b.Loop() {
		if _, err := m.EmbedDocuments(ctx, ps); err != nil {
			b.Fatal(err)
		}
		n += len(ps)
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "papers/s")
	b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "cpus")
}

func BenchmarkEmbedQuery(b *testing.B) {
	m := defaultModel(b)
	ctx := context.Background()
	for b.Loop() {
		m.EmbedQuery(ctx, "learning to rank documents with large language models without labelled data")
	}
}

// benchVectors returns the path of a cache file of n vectors (real papers
// first, then generated ones), creating it if needed, and how many are real.
func benchVectors(b *testing.B, n int) (string, int) {
	m := defaultModel(b)
	real := embedtest.Papers(b, 0, embedtest.Big)
	dir := filepath.Join(os.TempDir(), "paperboy-semantic-bench")
	os.MkdirAll(dir, 0o755)
	path := filepath.Join(dir, fmt.Sprintf("%s-%d.vec", m.Model(), n))
	nreal := min(n, len(real))
	if _, err := os.Stat(path); err == nil {
		return path, nreal
	}
	start := time.Now()
	f, err := os.Create(path + ".tmp")
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(7, 7))
	var sentences []string
	for _, p := range real {
		sentences = append(sentences, strings.Split(p.Abstract, ". ")...)
	}
	const chunk = 20000
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		batch := make([]paper.Paper, 0, hi-lo)
		for i := lo; i < hi; i++ {
			if i < nreal {
				batch = append(batch, real[i])
				continue
			}
			// Generated: a real title and five real sentences from anywhere.
			var ab []string
			for range 5 {
				ab = append(ab, sentences[rng.IntN(len(sentences))])
			}
			batch = append(batch, paper.Paper{ID: fmt.Sprintf("gen.%07d", i), Title: real[rng.IntN(len(real))].Title, Abstract: strings.Join(ab, ". ")})
		}
		vecs, err := m.EmbedDocuments(context.Background(), batch)
		if err != nil {
			b.Fatal(err)
		}
		for _, v := range vecs {
			binary.Write(w, binary.LittleEndian, v)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	os.Rename(path+".tmp", path)
	b.Logf("embedded %d papers (%d real, %d generated) in %s", n, nreal, n-nreal, time.Since(start).Round(time.Second))
	return path, nreal
}

// eachVector streams the cache file.
func eachVector(b *testing.B, path string, dim int, fn func(i int, v []float32)) {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	for i := 0; ; i++ {
		v := make([]float32, dim)
		if err := binary.Read(r, binary.LittleEndian, v); err != nil {
			return
		}
		fn(i, v)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

func BenchmarkIndex(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		name := fmt.Sprintf("%dk", n/1000)
		if n >= 1_000_000 {
			name = fmt.Sprintf("%dM", n/1_000_000)
		}
		b.Run(name, func(b *testing.B) { benchIndex(b, n) })
	}
}

func benchIndex(b *testing.B, n int) {
	m := defaultModel(b)
	dim := m.Dim()
	path, nreal := benchVectors(b, n)
	ctx := context.Background()

	before := heapInUse()
	x := vecindex.New(dim)
	ids := make([]string, 0, 8192)
	vecs := make([][]float32, 0, 8192)
	var queries [][]float32
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Now()
	eachVector(b, path, dim, func(i int, v []float32) {
		if rng.IntN(n/200+1) == 0 && len(queries) < 200 {
			queries = append(queries, v) // "similar papers" queries
		}
		ids = append(ids, fmt.Sprintf("p%07d", i))
		vecs = append(vecs, v)
		if len(ids) == cap(ids) {
			x.Add(ids, vecs)
			ids, vecs = ids[:0], vecs[:0]
		}
	})
	x.Add(ids, vecs)
	load := time.Since(start)
	start = time.Now()
	nlist, nprobe := vecindex.Plan(x.Len())
	if err := x.Train(nlist, nprobe, 1); err != nil {
		b.Fatal(err)
	}
	train := time.Since(start)
	mem := heapInUse() - before

	// Text queries: the relevance set's.
	var textQ [][]float32
	for _, q := range relevanceQueries(b) {
		v, _ := m.EmbedQuery(ctx, q)
		textQ = append(textQ, v)
	}
	all := append(slices.Clone(textQ), queries...)

	// Recall@10 against exact search over the same vectors, at Plan's probe
	// and at others (to choose Plan's).
	exact := make([][]vecindex.Hit, len(all))
	for i, q := range all {
		exact[i], _ = x.SearchExact(q, 10)
	}
	recallAt := func() (float64, time.Duration) {
		var hit float64
		t := time.Now()
		for i, q := range all {
			got, _ := x.Search(q, 10)
			for _, h := range got {
				if slices.ContainsFunc(exact[i], func(w vecindex.Hit) bool { return w.ID == h.ID }) {
					hit++
				}
			}
		}
		return hit / float64(10*len(all)), time.Since(t) / time.Duration(len(all))
	}
	for _, div := range []int{48, 32, 24, 16, 12, 8} {
		probe := max(1, nlist/div)
		x.SetProbe(probe)
		r, mean := recallAt()
		b.Logf("probe %4d of %d lists (1/%d): recall@10 %.3f, mean %s", probe, nlist, div, r, mean)
	}
	x.SetProbe(nprobe)
	recall, _ := recallAt()
	var textHit float64
	for i, q := range textQ {
		got, _ := x.Search(q, 10)
		for _, h := range got {
			if slices.ContainsFunc(exact[i], func(w vecindex.Hit) bool { return w.ID == h.ID }) {
				textHit++
			}
		}
	}
	b.Logf("recall@10 of the %d text queries alone: %.3f; of the %d similar-paper queries: %.3f",
		len(textQ), textHit/float64(10*len(textQ)), len(queries), (recall*float64(10*len(all))-textHit)/float64(10*len(queries)))

	// Recall@100 of the text queries: hybrid search fuses the top 100.
	var hit100 float64
	t100 := time.Now()
	for _, q := range textQ {
		want, _ := x.SearchExact(q, 100)
		got, _ := x.Search(q, 100)
		for _, h := range got {
			if slices.ContainsFunc(want, func(w vecindex.Hit) bool { return w.ID == h.ID }) {
				hit100++
			}
		}
	}
	b.Logf("recall@100 of the text queries: %.3f (exact and approximate, %s a query)", hit100/float64(100*len(textQ)), time.Since(t100)/time.Duration(len(textQ)))

	b.ResetTimer()
	var lat []time.Duration
	for i := 0; b.Loop(); i++ {
		q := all[i%len(all)]
		t := time.Now()
		if _, err := x.Search(q, 10); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t))
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(recall, "recall@10")
	b.ReportMetric(train.Seconds(), "train-s")
	b.ReportMetric(float64(mem)/(1<<20), "index-MiB")
	// Similar papers: paper vectors as queries at the engine's Similar probe.
	simProbe := max(8, nprobe/4)
	var slat []time.Duration
	var shit float64
	for i := range 3 {
		for j, q := range queries {
			t := time.Now()
			got, _ := x.SearchProbe(q, 10, simProbe)
			slat = append(slat, time.Since(t))
			if i == 0 {
				for _, h := range got {
					if slices.ContainsFunc(exact[len(textQ)+j], func(w vecindex.Hit) bool { return w.ID == h.ID }) {
						shit++
					}
				}
			}
		}
	}
	slices.Sort(slat)
	spct := func(p float64) float64 {
		return float64(slat[min(len(slat)-1, int(p*float64(len(slat))))].Microseconds()) / 1000
	}
	b.ReportMetric(spct(0.95), "similar-p95-ms")
	b.Logf("similar papers (probe %d): p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, recall@10 %.3f", simProbe, spct(0.5), spct(0.95), spct(0.99), shit/float64(10*len(queries)))
	b.Logf("%d papers (%d real, %d generated), dim %d: add %s, train %s (%d lists, probe %d), recall@10 %.3f over %d queries, index heap %.0f MiB, peak RSS %d MiB",
		x.Len(), nreal, x.Len()-nreal, dim, load.Round(time.Millisecond), train.Round(time.Millisecond), nlist, nprobe, recall, len(all), float64(mem)/(1<<20), procmem.PeakRSS()>>20)

	// Restart: the stored state restores lists without training or assigning.
	start = time.Now()
	st := x.State()
	y := vecindex.New(dim)
	if err := y.SetState(st); err != nil {
		b.Fatal(err)
	}
	eachVector(b, path, dim, func(i int, v []float32) {
		ids = append(ids, fmt.Sprintf("p%07d", i))
		vecs = append(vecs, v)
		if len(ids) == cap(ids) {
			y.Add(ids, vecs)
			ids, vecs = ids[:0], vecs[:0]
		}
	})
	y.Add(ids, vecs)
	b.Logf("restart from state (%d KiB) + %d vectors: %s", len(st)/1024, y.Len(), time.Since(start).Round(time.Millisecond))

}

// BenchmarkStartup measures the engine on real SQLite with the 101,943 real
// papers of big/: the first Load (embed, store, train) and a restart's Load
// (stored vectors and index state).
func BenchmarkStartup(b *testing.B) {
	ps := embedtest.Papers(b, 0, embedtest.Big)
	for i := range ps {
		if len(ps[i].Authors) == 0 || ps[i].Authors[0] == "" {
			ps[i].Authors = []string{"Unknown"}
		}
	}
	s := openStore(b, nil)
	ctx := context.Background()
	for lo := 0; lo < len(ps); lo += 5000 {
		store(b, s, ps[lo:min(lo+5000, len(ps))])
	}
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		e := New(s, defaultModel(b), Options{BatchSize: 1000})
		if err := e.Load(ctx); err != nil {
			b.Fatal(err)
		}
		first := time.Since(start)
		start = time.Now()
		e2 := New(s, defaultModel(b), Options{})
		if err := e2.Load(ctx); err != nil {
			b.Fatal(err)
		}
		restart := time.Since(start)
		b.ReportMetric(first.Seconds(), "first-load-s")
		b.ReportMetric(restart.Seconds(), "restart-load-s")
		b.Logf("%d papers: first Load (embed+store+train) %s, restart Load %s, %d lists", e2.Len(), first.Round(time.Millisecond), restart.Round(time.Millisecond), e2.Index().Lists())
		if _, err := s.DB().ExecContext(ctx, `DELETE FROM paper_vectors; DELETE FROM vector_index_state`); err != nil {
			b.Fatal(err)
		}
	}
}

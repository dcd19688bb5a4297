package keyword

import (
	"github.com/paperboy/paperboy/internal/benchdata"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/arxiv"
	"github.com/paperboy/paperboy/internal/paper"
)

func loadDocs(tb testing.TB, files ...string) []Doc {
	var docs []Doc
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			tb.Skipf("no data: %v", err)
		}
		r, err := arxiv.NewReader(f)
		if err != nil {
			tb.Fatal(err)
		}
		for rec, err := range r.All() {
			if err != nil {
				tb.Fatal(err)
			}
			if rec.Err != nil {
				continue
			}
			docs = append(docs, docFromPaper(&rec.Paper))
		}
		f.Close()
	}
	return docs
}

// docFromPaper is search.docOf, for tests of this package alone.
func docFromPaper(p *paper.Paper) Doc {
	return Doc{ID: p.ID, Title: p.Title, Abstract: p.Abstract, Authors: p.Authors, Categories: p.Categories, Day: p.Day()}
}

var benchQueries = []string{
	"large language models", "diffusion models for image generation", "graph neural networks",
	"quantization of transformers", "reinforcement learning from human feedback", "model",
	"retrieval augmented generation hallucination", "protein structure prediction", "black hole merger gravitational waves",
	"speech recognition low resource languages", "vision transformer", "mixture of experts routing",
}

func BenchmarkKeyword100k(b *testing.B) {
	t0 := time.Now()
	docs := loadDocs(b, filepath.Join(dataDir(b), "big", "arxiv-abstracts.jsonl.gz"))
	b.Logf("loaded %d docs in %v", len(docs), time.Since(t0))
	ix := New(DefaultParams())
	t0 = time.Now()
	for c := range slices.Chunk(docs, 2000) {
		ix.Add(c)
	}
	ix.Flush()
	ix.Compact()
	b.Logf("built in %v", time.Since(t0))
	runtime.GC()
	st := ix.Stats()
	b.Logf("stats %+v MB=%d", st, st.Bytes>>20)
	var qs []Query
	for _, s := range benchQueries {
		var q Query
		for _, t := range Terms(s) {
			q.Terms = append(q.Terms, Term{Text: t, Weight: 1})
		}
		q.Count = true
		qs = append(qs, q)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ix.Search(qs[i%len(qs)], 20)
	}
}

// dataDir is ../shared/data beside the repository; without it the benchmark skips.
func dataDir(tb testing.TB) string {
	tb.Helper()
	d, err := benchdata.FindDataDir()
	if err != nil {
		tb.Skip(err)
	}
	return d
}

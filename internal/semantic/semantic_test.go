package semantic

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/paperboy/paperboy/internal/embed"
	"github.com/paperboy/paperboy/internal/embed/embedtest"
	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/sqlite"
)

var _ Store = (*sqlite.Store)(nil)

// counting wraps an embedder and counts the papers it embeds.
type counting struct {
	embed.Embedder
	docs atomic.Int64
}

func (c *counting) EmbedDocuments(ctx context.Context, ps []paper.Paper) ([][]float32, error) {
	c.docs.Add(int64(len(ps)))
	return c.Embedder.EmbedDocuments(ctx, ps)
}

func defaultModel(t testing.TB) embed.Embedder {
	t.Helper()
	m, err := embed.Default()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func openStore(t testing.TB, ps []paper.Paper) *sqlite.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if len(ps) > 0 {
		store(t, s, ps)
	}
	return s
}

func store(t testing.TB, s *sqlite.Store, ps []paper.Paper) {
	t.Helper()
	for i := range ps {
		ps[i].Normalize()
	}
	if _, err := s.UpsertPapers(context.Background(), ps); err != nil {
		t.Fatal(err)
	}
}

func rankOf(hs []Hit, id string) int {
	for i, h := range hs {
		if h.ID == id {
			return i
		}
	}
	return -1
}

func TestLoadSearchSimilar(t *testing.T) {
	ctx := context.Background()
	ps := embedtest.Papers(t, 1500, "hf-daily-papers.jsonl")
	s := openStore(t, ps)
	emb := &counting{Embedder: defaultModel(t)}
	var progress atomic.Int64
	e := New(s, emb, Options{BatchSize: 200, Progress: func(n int) { progress.Store(int64(n)) }})
	if err := e.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if e.Len() != len(ps) || emb.docs.Load() != int64(len(ps)) || progress.Load() != int64(len(ps)) {
		t.Fatalf("indexed %d, embedded %d, progress %d; want %d", e.Len(), emb.docs.Load(), progress.Load(), len(ps))
	}
	// A paper's own title finds it near the top.
	top3 := 0
	for i := 0; i < len(ps); i += 15 {
		hs, err := e.Search(ctx, ps[i].Title, 10)
		if err != nil {
			t.Fatal(err)
		}
		if r := rankOf(hs, ps[i].ID); r >= 0 && r < 3 {
			top3++
		}
	}
	if n := (len(ps) + 14) / 15; float64(top3) < 0.8*float64(n) {
		t.Errorf("title search: %d of %d papers in the top 3", top3, n)
	}
	// Similar leaves the paper out, and its neighbours are close.
	hs, err := e.Similar(ctx, ps[0].ID, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 5 || rankOf(hs, ps[0].ID) >= 0 || hs[0].Score < hs[4].Score || hs[0].Score < 0.5 {
		t.Errorf("similar to %s: %v", ps[0].ID, hs)
	}
	if _, err := e.Similar(ctx, "9999.99999", 5); err == nil {
		t.Error("similar to an unknown paper succeeded")
	}
	// Nothing known, nothing found.
	if hs, err := e.Search(ctx, "zzqx qqzx", 10); err != nil || len(hs) != 0 {
		t.Errorf("gibberish query: %v %v", hs, err)
	}

	// A second engine starts from the stored vectors: no embedding.
	emb2 := &counting{Embedder: defaultModel(t)}
	e2 := New(s, emb2, Options{})
	if err := e2.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if e2.Len() != len(ps) || emb2.docs.Load() != 0 {
		t.Fatalf("reload: %d indexed, %d embedded", e2.Len(), emb2.docs.Load())
	}
	a, _ := e.Search(ctx, "diffusion models for video generation", 10)
	b, _ := e2.Search(ctx, "diffusion models for video generation", 10)
	// Stored vectors are int8: scores move in the third decimal, near-ties may swap.
	same := 0
	for i, h := range a {
		if r := rankOf(b, h.ID); r >= 0 {
			same++
			if d := h.Score - b[r].Score; d > 0.01 || d < -0.01 {
				t.Errorf("hit %d %s: score %.4f, reloaded %.4f", i, h.ID, h.Score, b[r].Score)
			}
		}
	}
	if same < 9 || a[0].ID != b[0].ID {
		t.Errorf("reloaded engine answers %v, first %v", b, a)
	}
}

func TestSyncIncremental(t *testing.T) {
	ctx := context.Background()
	ps := embedtest.Papers(t, 600, "arxiv-listing-2023-09-21.jsonl")
	s := openStore(t, ps[:500])
	emb := &counting{Embedder: defaultModel(t)}
	e := New(s, emb, Options{NoBackgroundTraining: true})
	if err := e.Load(ctx); err != nil {
		t.Fatal(err)
	}
	// New papers arrive: stored, then synced.
	fresh := ps[500:]
	store(t, s, fresh)
	emb.docs.Store(0)
	if err := e.Sync(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	if emb.docs.Load() != 100 || e.Len() != 600 {
		t.Fatalf("sync of 100 new papers embedded %d, index has %d", emb.docs.Load(), e.Len())
	}
	for _, p := range fresh[:20] {
		hs, _ := e.Search(ctx, p.Title, 5)
		if rankOf(hs, p.ID) < 0 {
			t.Errorf("new paper %s not found by its title: %v", p.ID, hs)
		}
	}
	// Unchanged papers are not embedded again.
	emb.docs.Store(0)
	if err := e.Sync(ctx, ps[:300]); err != nil {
		t.Fatal(err)
	}
	if emb.docs.Load() != 0 {
		t.Errorf("sync of unchanged papers embedded %d", emb.docs.Load())
	}
	// A changed abstract is embedded again and searchable under its new meaning.
	changed := ps[7]
	changed.Title = "Protein folding with graph neural networks"
	changed.Abstract = "We predict protein structures from amino acid sequences with message passing networks."
	store(t, s, []paper.Paper{changed})
	if err := e.Sync(ctx, []paper.Paper{changed}); err != nil {
		t.Fatal(err)
	}
	if emb.docs.Load() != 1 || e.Len() != 600 {
		t.Errorf("changed paper: embedded %d, index %d", emb.docs.Load(), e.Len())
	}
	hs, _ := e.Search(ctx, "predicting the 3D shape of proteins from their amino acid chain", 3)
	if rankOf(hs, changed.ID) != 0 {
		t.Errorf("changed paper not first for its new topic: %v", hs)
	}
	e.Remove(changed.ID)
	if _, err := e.Similar(ctx, changed.ID, 3); err == nil {
		t.Error("removed paper still has neighbours")
	}
}

// Searches run while Sync adds papers (go test -race).
func TestConcurrentSearchDuringSync(t *testing.T) {
	ctx := context.Background()
	ps := embedtest.Papers(t, 800, "arxiv-math-2025-05.jsonl")
	s := openStore(t, ps[:400])
	e := New(s, defaultModel(t), Options{BatchSize: 50})
	if err := e.Load(ctx); err != nil {
		t.Fatal(err)
	}
	store(t, s, ps[400:])
	var wg sync.WaitGroup
	stop := make(chan struct{})
	queries := []string{"random matrices eigenvalues", "elliptic curves over finite fields", "stochastic differential equations"}
	for g := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := e.Search(ctx, queries[i%len(queries)], 10); err != nil {
					t.Error(err)
					return
				}
				if _, err := e.Similar(ctx, ps[i%400].ID, 5); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for i := 400; i < 800; i += 40 {
		if err := e.Sync(ctx, ps[i:i+40]); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	e.Wait()
	if e.Len() != 800 {
		t.Errorf("index has %d papers, want 800", e.Len())
	}
}

// The engine works the same with an OpenAI-compatible endpoint (a local test
// peer computing deterministic vectors from the text's hash), learning the
// dimension from the first answer.
func TestOpenAIEmbedderEngine(t *testing.T) {
	ctx := context.Background()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Model string   `json:"model"`
			Input []string `json:"input"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		type item struct {
			Embedding []float32 `json:"embedding"`
			Index     int       `json:"index"`
		}
		var data []item
		for i, in := range req.Input {
			v := make([]float32, 16)
			for k := range v {
				h := fnv.New32a()
				fmt.Fprintf(h, "%d|%s", k, in)
				v[k] = float32(h.Sum32()%1000)/500 - 1
			}
			data = append(data, item{v, i})
		}
		json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data, "model": req.Model})
	}))
	defer srv.Close()
	ps := embedtest.Papers(t, 120, "arxiv-listing-2023-09-21.jsonl")
	s := openStore(t, ps)
	o := &embed.OpenAI{BaseURL: srv.URL, ModelName: "test-peer", BatchSize: 32}
	e := New(s, o, Options{})
	if err := e.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if e.Len() != len(ps) || e.Index().Dim() != 16 || e.Model() != "openai:test-peer" {
		t.Fatalf("len %d dim %d model %s", e.Len(), e.Index().Dim(), e.Model())
	}
	// The peer's vectors carry no meaning, but a paper's exact text is itself.
	p := ps[17]
	hs, err := e.Search(ctx, embed.DocumentText(&p), 3)
	if err != nil {
		t.Fatal(err)
	}
	if hs[0].ID != p.ID || hs[0].Score < 0.98 {
		t.Errorf("exact text search: %v, want %s first", hs, p.ID)
	}
	// A failing endpoint fails Sync with the endpoint's message and stores nothing.
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "out of memory", http.StatusInternalServerError)
	})
	changed := ps[3]
	changed.Abstract += " Revised."
	store(t, s, []paper.Paper{changed})
	if err := e.Sync(ctx, []paper.Paper{changed}); err == nil || !strings.Contains(err.Error(), "out of memory") {
		t.Errorf("sync against a failing endpoint: %v", err)
	}
}

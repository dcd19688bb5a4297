// Package semantic is search by meaning: it embeds papers (internal/embed),
// keeps their vectors in the store, and answers queries and "similar papers"
// from an in-process vector index (internal/vecindex). The keyword engine
// fuses its hits with BM25's.
package semantic

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paperboy/paperboy/internal/embed"
	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/vecindex"
)

// Store keeps vectors beside the papers; *sqlite.Store implements it.
type Store interface {
	SaveVectors(ctx context.Context, model string, ids []string, vecs [][]float32, hashes []string) error
	EachVector(ctx context.Context, model string, fn func(id string, vec []float32, textHash string) error) error
	VectorHashes(ctx context.Context, model string, ids []string) (map[string]string, error)
	PapersWithoutVectors(ctx context.Context, model, afterID string, limit int) ([]paper.Paper, error)
	SaveIndexState(ctx context.Context, model string, data []byte) error
	IndexState(ctx context.Context, model string) ([]byte, error)
}

// Hit is a paper and its cosine similarity to the query.
type Hit struct {
	ID    string
	Score float32
}

// Options tune an Engine; the zero value is sensible.
type Options struct {
	BatchSize int // papers per embedding batch; 0 means 512
	// Progress, when set, is called while Load embeds papers that lack vectors.
	Progress func(done int)
	Logger   *slog.Logger // nil: slog.Default()
	// Probe overrides how many IVF lists a query scans (0: the index's plan).
	Probe int
	// SimilarProbe is how many lists Similar scans: 0 means a quarter of the
	// search probe (at least 8), which keeps it under 10 ms at 1M papers at a
	// small cost in recall; a paper's neighbours are a suggestion, not a lookup.
	SimilarProbe int
	// NoBackgroundTraining keeps Sync from re-clustering the index in the
	// background when it has grown (tests that want determinism).
	NoBackgroundTraining bool
}

// Engine answers semantic queries. It is safe for concurrent use: searches
// run while Load or Sync add papers.
type Engine struct {
	store Store
	emb   embed.Embedder
	opts  Options
	log   *slog.Logger
	model string
	// idx is replaced once if the embedder learns its dimension only from
	// its first answer (an OpenAI endpoint without Dimensions).
	idx atomic.Pointer[vecindex.Index]

	syncMu   sync.Mutex // one writer of vectors at a time
	training sync.Mutex // one training at a time
	bg       sync.WaitGroup
}

// New returns an engine over store's papers using emb. Call Load before use.
func New(store Store, emb embed.Embedder, opts Options) *Engine {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 512
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	e := &Engine{store: store, emb: emb, opts: opts, log: log, model: emb.Model()}
	e.idx.Store(vecindex.New(emb.Dim()))
	return e
}

func (e *Engine) index() *vecindex.Index { return e.idx.Load() }

// Model is the embedding model whose vectors the engine uses.
func (e *Engine) Model() string { return e.model }

// Len is the number of indexed papers.
func (e *Engine) Len() int { return e.index().Len() }

// IndexBytes estimates the vector index's memory.
func (e *Engine) IndexBytes() int64 { return e.index().Bytes() }

// Index exposes the vector index (for benchmarks and the admin commands).
func (e *Engine) Index() *vecindex.Index { return e.index() }

// TextHash identifies the text a paper's vector was computed from.
func TextHash(p *paper.Paper) string {
	h := fnv.New64a()
	h.Write([]byte(p.Title))
	h.Write([]byte{0})
	h.Write([]byte(p.Abstract))
	return strconv.FormatUint(h.Sum64(), 36)
}

// Load fills the index with the stored vectors of the model, then embeds
// and stores the papers that have none, and trains the index if it is big
// enough to need lists.
func (e *Engine) Load(ctx context.Context) error {
	start := time.Now()
	if e.index().Dim() <= 0 {
		// Ask once: the embedder learns its dimension from the answer.
		if _, err := e.emb.EmbedQuery(ctx, "dimension probe"); err != nil {
			return fmt.Errorf("semantic load: %w", err)
		}
		if e.emb.Dim() <= 0 {
			return fmt.Errorf("semantic load: embedder %s has unknown dimension", e.model)
		}
		e.idx.Store(vecindex.New(e.emb.Dim()))
	}
	if st, err := e.store.IndexState(ctx, e.model); err == nil {
		if err := e.index().SetState(st); err != nil {
			e.log.Warn("semantic: stored index state unusable, will retrain", "model", e.model, "err", err)
		}
	} else if !errors.Is(err, paper.ErrNotFound) {
		return fmt.Errorf("semantic load: %w", err)
	}
	const chunk = 8192
	ids := make([]string, 0, chunk)
	vecs := make([][]float32, 0, chunk)
	flush := func() error {
		if len(ids) == 0 {
			return nil
		}
		err := e.index().Add(ids, vecs)
		ids, vecs = ids[:0], vecs[:0]
		return err
	}
	err := e.store.EachVector(ctx, e.model, func(id string, v []float32, _ string) error {
		if len(v) != e.index().Dim() {
			return fmt.Errorf("stored vector of %s has %d dimensions, model %s has %d", id, len(v), e.model, e.index().Dim())
		}
		ids = append(ids, id)
		vecs = append(vecs, v)
		if len(ids) == chunk {
			return flush()
		}
		return ctx.Err()
	})
	if err == nil {
		err = flush()
	}
	e.index().DropHints()
	if err != nil {
		return fmt.Errorf("semantic load: %w", err)
	}
	stored := e.index().Len()
	e.log.Info("semantic: vectors loaded", "model", e.model, "papers", stored, "lists", e.index().Lists(), "took", time.Since(start).Round(time.Millisecond))

	embedded := 0
	after := ""
	for {
		e.syncMu.Lock()
		ps, err := e.store.PapersWithoutVectors(ctx, e.model, after, e.opts.BatchSize)
		if err == nil && len(ps) > 0 {
			err = e.embedAndStore(ctx, ps)
		}
		e.syncMu.Unlock()
		if err != nil {
			return fmt.Errorf("semantic load: %w", err)
		}
		if len(ps) == 0 {
			break
		}
		after = ps[len(ps)-1].ID
		embedded += len(ps)
		if e.opts.Progress != nil {
			e.opts.Progress(embedded)
		}
		if embedded%(e.opts.BatchSize*20) == 0 {
			e.log.Info("semantic: embedding papers", "done", embedded)
		}
	}
	if embedded > 0 {
		e.log.Info("semantic: embedded papers without vectors", "papers", embedded, "took", time.Since(start).Round(time.Millisecond))
	}
	if e.index().NeedsTraining() {
		if err := e.Train(ctx); err != nil {
			return fmt.Errorf("semantic load: %w", err)
		}
	} else if embedded > 0 && e.index().Lists() > 1 {
		e.saveState(ctx)
	}
	return nil
}

// Train re-clusters the index for its current size and stores the result.
func (e *Engine) Train(ctx context.Context) error {
	e.training.Lock()
	defer e.training.Unlock()
	start := time.Now()
	nlist, nprobe := vecindex.Plan(e.index().Len())
	if e.opts.Probe > 0 {
		nprobe = e.opts.Probe
	}
	if err := e.index().Train(nlist, nprobe, 1); err != nil {
		return err
	}
	e.log.Info("semantic: index trained", "papers", e.index().Len(), "lists", nlist, "probe", nprobe, "took", time.Since(start).Round(time.Millisecond))
	e.saveState(ctx)
	return nil
}

func (e *Engine) saveState(ctx context.Context) {
	if err := e.store.SaveIndexState(ctx, e.model, e.index().State()); err != nil {
		e.log.Warn("semantic: saving index state", "err", err)
	}
}

// embedAndStore embeds papers, stores their vectors and indexes them.
func (e *Engine) embedAndStore(ctx context.Context, ps []paper.Paper) error {
	vecs, err := e.emb.EmbedDocuments(ctx, ps)
	if err != nil {
		return err
	}
	if len(vecs) != len(ps) {
		return fmt.Errorf("embedder %s returned %d vectors for %d papers", e.model, len(vecs), len(ps))
	}
	ids := make([]string, len(ps))
	hashes := make([]string, len(ps))
	for i := range ps {
		ids[i] = ps[i].ID
		hashes[i] = TextHash(&ps[i])
	}
	if err := e.store.SaveVectors(ctx, e.model, ids, vecs, hashes); err != nil {
		return err
	}
	return e.index().Add(ids, vecs)
}

// Sync embeds, stores and indexes the papers that are new or whose title or
// abstract changed; unchanged papers cost one lookup. When the index has
// grown enough to need re-clustering, that happens in the background.
func (e *Engine) Sync(ctx context.Context, papers []paper.Paper) error {
	if len(papers) == 0 {
		return nil
	}
	e.syncMu.Lock()
	defer e.syncMu.Unlock()
	ids := make([]string, len(papers))
	for i := range papers {
		ids[i] = papers[i].ID
	}
	have, err := e.store.VectorHashes(ctx, e.model, ids)
	if err != nil {
		return fmt.Errorf("semantic sync: %w", err)
	}
	var todo []paper.Paper
	for i := range papers {
		h, ok := have[papers[i].ID]
		if !ok || h != TextHash(&papers[i]) || !e.index().Has(papers[i].ID) {
			todo = append(todo, papers[i])
		}
	}
	for start := 0; start < len(todo); start += e.opts.BatchSize {
		batch := todo[start:min(start+e.opts.BatchSize, len(todo))]
		if err := e.embedAndStore(ctx, batch); err != nil {
			return fmt.Errorf("semantic sync: %w", err)
		}
	}
	if len(todo) > 0 && !e.opts.NoBackgroundTraining && e.index().NeedsTraining() && e.training.TryLock() {
		e.training.Unlock()
		e.bg.Add(1)
		go func() {
			defer e.bg.Done()
			if err := e.Train(context.WithoutCancel(ctx)); err != nil {
				e.log.Warn("semantic: background training", "err", err)
			}
		}()
	}
	return nil
}

// Wait waits for background training to finish (for shutdown and tests).
func (e *Engine) Wait() { e.bg.Wait() }

// Remove drops papers from the index (their rows go with the papers).
func (e *Engine) Remove(ids ...string) { e.index().Delete(ids...) }

// Search returns the k papers closest in meaning to query, best first. A
// query with no word the model knows has no hits.
func (e *Engine) Search(ctx context.Context, query string, k int) ([]Hit, error) {
	q, err := e.emb.EmbedQuery(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("semantic search: %w", err)
	}
	if isZero(q) {
		return nil, nil
	}
	return e.SearchVector(q, k)
}

// SearchVector is Search for an embedded query.
func (e *Engine) SearchVector(q []float32, k int, exclude ...string) ([]Hit, error) {
	hs, err := e.index().Search(q, k, exclude...)
	if err != nil {
		return nil, fmt.Errorf("semantic search: %w", err)
	}
	return toHits(hs), nil
}

// Similar returns the k papers closest to paper id, without the paper
// itself; paper.ErrNotFound when id has no vector.
func (e *Engine) Similar(ctx context.Context, id string, k int) ([]Hit, error) {
	v, ok := e.index().Vector(id)
	if !ok {
		return nil, fmt.Errorf("similar to %s: %w", id, paper.ErrNotFound)
	}
	embed.Normalize(v)
	probe := e.opts.SimilarProbe
	if probe <= 0 {
		probe = max(8, e.index().Probe()/4)
	}
	hs, err := e.index().SearchProbe(v, k, probe, id)
	if err != nil {
		return nil, fmt.Errorf("similar to %s: %w", id, err)
	}
	return toHits(hs), nil
}

func toHits(hs []vecindex.Hit) []Hit {
	out := make([]Hit, len(hs))
	for i, h := range hs {
		out[i] = Hit{ID: h.ID, Score: h.Score}
	}
	return out
}

func isZero(v []float32) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}

package semantic

import (
	"context"
	"fmt"

	"github.com/paperboy/paperboy/internal/paper"
)

// EmbedNew embeds and stores the vectors of the papers that have none for
// this model, or whose text changed, without loading the index: what an
// import run does, so that a server starting later finds the vectors ready.
// It returns how many papers it embedded.
func (e *Engine) EmbedNew(ctx context.Context, papers []paper.Paper) (int, error) {
	if len(papers) == 0 {
		return 0, nil
	}
	ids := make([]string, len(papers))
	for i := range papers {
		ids[i] = papers[i].ID
	}
	have, err := e.store.VectorHashes(ctx, e.model, ids)
	if err != nil {
		return 0, fmt.Errorf("semantic embed: %w", err)
	}
	var todo []paper.Paper
	for i := range papers {
		if h, ok := have[papers[i].ID]; !ok || h != TextHash(&papers[i]) {
			todo = append(todo, papers[i])
		}
	}
	for start := 0; start < len(todo); start += e.opts.BatchSize {
		batch := todo[start:min(start+e.opts.BatchSize, len(todo))]
		vecs, err := e.emb.EmbedDocuments(ctx, batch)
		if err != nil {
			return start, fmt.Errorf("semantic embed: %w", err)
		}
		hashes := make([]string, len(batch))
		bids := make([]string, len(batch))
		for i := range batch {
			bids[i], hashes[i] = batch[i].ID, TextHash(&batch[i])
		}
		if err := e.store.SaveVectors(ctx, e.model, bids, vecs, hashes); err != nil {
			return start, fmt.Errorf("semantic embed: %w", err)
		}
	}
	return len(todo), nil
}

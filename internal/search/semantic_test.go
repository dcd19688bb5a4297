package search

import (
	"context"
	"errors"
	"github.com/paperboy/paperboy/internal/sqlite"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paperboy/paperboy/internal/embed"
	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/semantic"
)

// The service with the real semantic engine (the embedded static model)
// over the sample papers in a real store.
func TestHybridWithSemanticEngine(t *testing.T) {
	emb, err := embed.Default()
	if err != nil {
		t.Skipf("no embedding model: %v", err)
	}
	papers := readPapers(t, "testdata/papers.jsonl")
	st := openStore(t, papers)
	eng := semantic.New(st, emb, semantic.Options{Logger: quiet, NoBackgroundTraining: true})
	svc := New(st, eng, Options{Logger: quiet})
	ctx := context.Background()
	if err := svc.Build(ctx); err != nil {
		t.Fatal(err)
	}
	if !svc.HasSemantic() {
		t.Fatal("no semantic engine")
	}
	for _, m := range Modes {
		r, err := svc.Search(ctx, Query{Text: "photorealistic head avatars from gaussian splats", Mode: m, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if r.Mode != m || !slices.Contains(ids(r), "2405.19331") {
			t.Errorf("%s: mode %s, got %v", m, r.Mode, ids(r))
		}
	}
	// Filters hold for the semantic leg's hits too.
	for _, m := range []Mode{ModeSemantic, ModeHybrid} {
		r, err := svc.Search(ctx, Query{Text: "market equilibrium and matching", Mode: m, Category: "econ", Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Hits) == 0 {
			t.Errorf("%s: no hits in econ", m)
		}
		for _, h := range r.Hits {
			if !slices.ContainsFunc(h.Paper.Categories, func(c string) bool { return strings.HasPrefix(c, "econ.") }) {
				t.Errorf("%s: %s in %v", m, h.Paper.ID, h.Paper.Categories)
			}
		}
		r, err = svc.Search(ctx, Query{Text: `visual tokens -convnext`, Mode: m, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(ids(r), "2405.15738") {
			t.Errorf("%s: excluded paper returned", m)
		}
	}
	sim, err := svc.Similar(ctx, "2405.19331", 5)
	if err != nil || len(sim) != 5 {
		t.Fatalf("similar: %d, %v", len(sim), err)
	}
	for _, p := range sim {
		if p.ID == "2405.19331" {
			t.Error("similar lists the paper itself")
		}
	}

	// A paper stored later reaches both engines on the next refresh.
	var p paper.Paper
	for _, e := range readPapers(t, filepath.Join(dataDir(t), "arxiv-math-2025-05.jsonl")) {
		if e.ID == "2505.00048" {
			p = e
		}
	}
	if _, err := st.UpsertPapers(ctx, []paper.Paper{p}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := svc.Search(ctx, Query{Text: p.DisplayTitle(), Mode: ModeSemantic, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(ids(r), p.ID) {
		t.Errorf("new paper not found by meaning: %v", ids(r))
	}
}

// vectorlessStore is the real store with its vector table unreadable, as a
// damaged database would be.
type vectorlessStore struct{ *sqlite.Store }

func (vectorlessStore) EachVector(context.Context, string, func(string, []float32, string) error) error {
	return errors.New("disk I/O error")
}

// A semantic engine that cannot load leaves keyword search working.
func TestSemanticLoadFailureFallsBack(t *testing.T) {
	emb, err := embed.Default()
	if err != nil {
		t.Skipf("no embedding model: %v", err)
	}
	st := openStore(t, readPapers(t, "testdata/papers.jsonl"))
	eng := semantic.New(vectorlessStore{st}, emb, semantic.Options{Logger: quiet, NoBackgroundTraining: true})
	svc := New(st, eng, Options{Logger: quiet})
	if err := svc.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	if svc.HasSemantic() || !svc.Ready() {
		t.Fatalf("semantic %v ready %v", svc.HasSemantic(), svc.Ready())
	}
	r, err := svc.Search(context.Background(), Query{Text: "gaussian avatars", Mode: ModeHybrid})
	if err != nil || r.Mode != ModeKeyword || len(r.Hits) == 0 {
		t.Errorf("mode %s hits %d err %v", r.Mode, len(r.Hits), err)
	}
}

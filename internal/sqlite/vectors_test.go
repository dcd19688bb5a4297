package sqlite

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/paperboy/paperboy/internal/paper"
)

func TestEncodeVector(t *testing.T) {
	v := []float32{0.5, -0.25, 0.125, 0, -0.5, 0.3333}
	got, err := DecodeVector(EncodeVector(v), len(v))
	if err != nil {
		t.Fatal(err)
	}
	for i := range v {
		if math.Abs(float64(got[i]-v[i])) > 0.5/127 {
			t.Errorf("dim %d: %v, want %v", i, got[i], v[i])
		}
	}
	if z, _ := DecodeVector(EncodeVector(make([]float32, 3)), 3); z[0] != 0 || z[2] != 0 {
		t.Errorf("zero vector decoded as %v", z)
	}
	if _, err := DecodeVector([]byte{1, 2, 3}, 8); err == nil {
		t.Error("short blob decoded")
	}
}

func TestVectorsRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ps := normalized(samplePapers())
	if _, err := s.UpsertPapers(ctx, ps); err != nil {
		t.Fatal(err)
	}
	const model = "test-model"
	without, err := s.PapersWithoutVectors(ctx, model, "", 10)
	if err != nil || len(without) != len(ps) {
		t.Fatalf("papers without vectors: %d, %v; want %d", len(without), err, len(ps))
	}
	ids := []string{ps[0].ID, ps[1].ID}
	vecs := [][]float32{{1, 0, 0}, {0, 0.6, -0.8}}
	if err := s.SaveVectors(ctx, model, ids, vecs, []string{"h0", "h1"}); err != nil {
		t.Fatal(err)
	}
	// Another model's vectors are separate.
	if err := s.SaveVectors(ctx, "other", ids[:1], [][]float32{{0, 1}}, nil); err != nil {
		t.Fatal(err)
	}
	got := map[string][]float32{}
	hashes := map[string]string{}
	err = s.EachVector(ctx, model, func(id string, v []float32, h string) error {
		got[id], hashes[id] = v, h
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || hashes[ids[1]] != "h1" {
		t.Fatalf("got %v %v", got, hashes)
	}
	if v := got[ids[1]]; math.Abs(float64(v[1]-0.6)) > 0.01 || math.Abs(float64(v[2]+0.8)) > 0.01 {
		t.Errorf("vector %v, want ≈ [0 0.6 -0.8]", v)
	}
	without, _ = s.PapersWithoutVectors(ctx, model, "", 10)
	if len(without) != 2 || without[0].Title == "" || without[0].ID > without[1].ID {
		t.Errorf("papers without vectors after saving 2 of 4: %d", len(without))
	}
	// Paging: after the first, only the second.
	if next, _ := s.PapersWithoutVectors(ctx, model, without[0].ID, 10); len(next) != 1 || next[0].ID != without[1].ID {
		t.Errorf("next page: %v", next)
	}
	if n, _ := s.CountVectors(ctx, model); n != 2 {
		t.Errorf("count %d", n)
	}
	h, err := s.VectorHashes(ctx, model, []string{ids[0], ids[1], "9999.99999"})
	if err != nil || len(h) != 2 || h[ids[0]] != "h0" {
		t.Errorf("hashes %v %v", h, err)
	}

	// Replacing a vector.
	if err := s.SaveVectors(ctx, model, ids[:1], [][]float32{{0, 1, 0}}, []string{"h0b"}); err != nil {
		t.Fatal(err)
	}
	s.EachVector(ctx, model, func(id string, v []float32, h string) error {
		if id == ids[0] && (v[1] < 0.99 || h != "h0b") {
			t.Errorf("replaced vector %v %q", v, h)
		}
		return nil
	})

	// A stopping callback stops the scan with its error.
	stop := errors.New("stop")
	if err := s.EachVector(ctx, model, func(string, []float32, string) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("EachVector error %v", err)
	}

	// Deleting the paper deletes its vectors (foreign key cascade).
	if _, err := s.DB().ExecContext(ctx, `DELETE FROM papers WHERE id = ?`, ids[0]); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountVectors(ctx, model); n != 1 {
		t.Errorf("after deleting a paper: %d vectors, want 1", n)
	}
	if err := s.DeleteVectors(ctx, model, ids[1:]); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountVectors(ctx, model); n != 0 {
		t.Errorf("after DeleteVectors: %d", n)
	}

	// A vector for an unknown paper is refused and nothing of the batch is kept.
	err = s.SaveVectors(ctx, model, []string{ps[2].ID, "0000.00000"}, [][]float32{{1, 0, 0}, {1, 0, 0}}, nil)
	if err == nil {
		t.Error("vector of an unknown paper saved")
	}
	if n, _ := s.CountVectors(ctx, model); n != 0 {
		t.Errorf("failed batch left %d vectors", n)
	}
	if err := s.SaveVectors(ctx, model, ids, vecs[:1], nil); err == nil {
		t.Error("mismatched lengths accepted")
	}
}

func TestIndexStateAndOtherModels(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if _, err := s.IndexState(ctx, "m"); !errors.Is(err, paper.ErrNotFound) {
		t.Fatalf("missing state: %v", err)
	}
	if err := s.SaveIndexState(ctx, "m", []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveIndexState(ctx, "m", []byte("two")); err != nil {
		t.Fatal(err)
	}
	if d, err := s.IndexState(ctx, "m"); err != nil || string(d) != "two" {
		t.Fatalf("state %q %v", d, err)
	}
	ps := normalized(samplePapers())
	s.UpsertPapers(ctx, ps)
	s.SaveVectors(ctx, "old", []string{ps[0].ID}, [][]float32{{1}}, nil)
	s.SaveVectors(ctx, "m", []string{ps[0].ID}, [][]float32{{1}}, nil)
	s.SaveIndexState(ctx, "old", []byte("x"))
	n, err := s.DeleteOtherVectors(ctx, "m")
	if err != nil || n != 1 {
		t.Fatalf("deleted %d, %v", n, err)
	}
	if _, err := s.IndexState(ctx, "old"); !errors.Is(err, paper.ErrNotFound) {
		t.Errorf("old state kept: %v", err)
	}
	var c int
	s.ReadDB().QueryRowContext(ctx, `SELECT count(*) FROM paper_vectors`).Scan(&c)
	if c != 1 {
		t.Errorf("%d vectors left, want 1", c)
	}
}

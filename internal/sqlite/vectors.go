package sqlite

// Vectors for semantic search (internal/semantic): one row per model and
// paper, int8-quantised, plus the vector index's trained state.

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/paperboy/paperboy/internal/paper"
)

// EncodeVector packs v as a float32 scale and one int8 per dimension.
func EncodeVector(v []float32) []byte {
	var m float32
	for _, x := range v {
		m = max(m, float32(math.Abs(float64(x))))
	}
	scale := m / 127
	b := make([]byte, 4+len(v))
	binary.LittleEndian.PutUint32(b, math.Float32bits(scale))
	if scale > 0 {
		inv := 1 / scale
		for i, x := range v {
			b[4+i] = byte(int8(math.Round(float64(x * inv))))
		}
	}
	return b
}

// DecodeVector unpacks what EncodeVector packed.
func DecodeVector(b []byte, dim int) ([]float32, error) {
	if len(b) != 4+dim {
		return nil, fmt.Errorf("vector of %d bytes, want %d for %d dimensions", len(b), 4+dim, dim)
	}
	scale := math.Float32frombits(binary.LittleEndian.Uint32(b))
	v := make([]float32, dim)
	for i := range v {
		v[i] = float32(int8(b[4+i])) * scale
	}
	return v, nil
}

// SaveVectors stores (replacing) the vectors of papers for model, with the
// hashes of the texts they were computed from (hashes may be nil).
func (s *Store) SaveVectors(ctx context.Context, model string, ids []string, vecs [][]float32, hashes []string) error {
	if len(ids) != len(vecs) || (hashes != nil && len(hashes) != len(ids)) {
		return fmt.Errorf("save vectors: %d ids, %d vectors, %d hashes", len(ids), len(vecs), len(hashes))
	}
	now := fmtTime(s.Now())
	return s.Tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO paper_vectors (model, paper_id, dim, vec, text_hash, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (model, paper_id) DO UPDATE SET dim = excluded.dim, vec = excluded.vec,
				text_hash = excluded.text_hash, updated_at = excluded.updated_at`)
		if err != nil {
			return fmt.Errorf("save vectors: %w", err)
		}
		defer st.Close()
		for i, id := range ids {
			h := ""
			if hashes != nil {
				h = hashes[i]
			}
			if _, err := st.ExecContext(ctx, model, id, len(vecs[i]), EncodeVector(vecs[i]), h, now); err != nil {
				return fmt.Errorf("save vector of %s: %w", id, err)
			}
		}
		return nil
	})
}

// EachVector calls fn with every stored vector of model, in paper id order.
// The text hash is the one given to SaveVectors. An error from fn stops the scan.
func (s *Store) EachVector(ctx context.Context, model string, fn func(id string, vec []float32, textHash string) error) error {
	rows, err := s.reader.QueryContext(ctx, `SELECT paper_id, dim, vec, text_hash FROM paper_vectors WHERE model = ? ORDER BY paper_id`, model)
	if err != nil {
		return fmt.Errorf("vectors of %s: %w", model, err)
	}
	defer rows.Close()
	var (
		id, hash string
		dim      int
		raw      sql.RawBytes
	)
	for rows.Next() {
		if err := rows.Scan(&id, &dim, &raw, &hash); err != nil {
			return fmt.Errorf("vectors of %s: %w", model, err)
		}
		v, err := DecodeVector(raw, dim)
		if err != nil {
			return fmt.Errorf("vector of %s: %w", id, err)
		}
		if err := fn(id, v, hash); err != nil {
			return err
		}
	}
	return rows.Err()
}

// VectorHashes returns the stored text hashes of model's vectors for ids that have one.
func (s *Store) VectorHashes(ctx context.Context, model string, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, 0, len(chunk)+1)
		args = append(args, model)
		for _, id := range chunk {
			args = append(args, id)
		}
		rows, err := s.reader.QueryContext(ctx, `SELECT paper_id, text_hash FROM paper_vectors WHERE model = ? AND paper_id IN (?`+
			strings.Repeat(",?", len(chunk)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("vector hashes: %w", err)
		}
		for rows.Next() {
			var id, h string
			if err := rows.Scan(&id, &h); err != nil {
				rows.Close()
				return nil, fmt.Errorf("vector hashes: %w", err)
			}
			out[id] = h
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("vector hashes: %w", err)
		}
	}
	return out, nil
}

// PapersWithoutVectors returns up to limit papers with ids after afterID
// ("" to start) that have no vector for model, in id order. Passing the last
// id of the previous batch pages through a big library without rescanning.
func (s *Store) PapersWithoutVectors(ctx context.Context, model, afterID string, limit int) ([]paper.Paper, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+paperColumns+` FROM papers p
		WHERE p.id > ? AND NOT EXISTS (SELECT 1 FROM paper_vectors v WHERE v.model = ? AND v.paper_id = p.id)
		ORDER BY p.id LIMIT ?`, afterID, model, limit)
	if err != nil {
		return nil, fmt.Errorf("papers without vectors: %w", err)
	}
	defer rows.Close()
	var out []paper.Paper
	for rows.Next() {
		p, err := scanPaper(rows)
		if err != nil {
			return nil, fmt.Errorf("papers without vectors: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CountVectors counts the stored vectors of model.
func (s *Store) CountVectors(ctx context.Context, model string) (int, error) {
	var n int
	if err := s.reader.QueryRowContext(ctx, `SELECT count(*) FROM paper_vectors WHERE model = ?`, model).Scan(&n); err != nil {
		return 0, fmt.Errorf("count vectors: %w", err)
	}
	return n, nil
}

// DeleteVectors removes the vectors of model for ids (for example when a
// paper's text can no longer be embedded).
func (s *Store) DeleteVectors(ctx context.Context, model string, ids []string) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `DELETE FROM paper_vectors WHERE model = ? AND paper_id = ?`, model, id); err != nil {
				return fmt.Errorf("delete vector of %s: %w", id, err)
			}
		}
		return nil
	})
}

// DeleteOtherVectors removes the vectors (and index state) of every model but
// keep: what is left of an embedding model that was replaced.
func (s *Store) DeleteOtherVectors(ctx context.Context, keep string) (int64, error) {
	var n int64
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM paper_vectors WHERE model <> ?`, keep)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		_, err = tx.ExecContext(ctx, `DELETE FROM vector_index_state WHERE model <> ?`, keep)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("delete other vectors: %w", err)
	}
	return n, nil
}

// SaveIndexState stores the vector index's trained state for model.
func (s *Store) SaveIndexState(ctx context.Context, model string, data []byte) error {
	_, err := s.writer.ExecContext(ctx, `INSERT INTO vector_index_state (model, data, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (model) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`, model, data, fmtTime(s.Now()))
	if err != nil {
		return fmt.Errorf("save index state of %s: %w", model, err)
	}
	return nil
}

// IndexState returns the stored index state of model, or paper.ErrNotFound.
func (s *Store) IndexState(ctx context.Context, model string) ([]byte, error) {
	var data []byte
	err := s.reader.QueryRowContext(ctx, `SELECT data FROM vector_index_state WHERE model = ?`, model).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, paper.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("index state of %s: %w", model, err)
	}
	return data, nil
}

package embed

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"runtime"
	"sync"

	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/wordnet"
)

// Static is a static embedding model: one vector per word stem, learned from
// arXiv abstracts (PPMI + truncated SVD, retrofitted to WordNet synonyms; see
// ./train), and a document is the SIF-weighted average of its words' vectors
// (Arora et al. 2017), title words counting more, minus the corpus's common
// component. It needs no network and embeds thousands of papers a second.
type Static struct {
	meta   StaticMeta
	vocab  map[string]int32
	weight []float32 // SIF weight a/(a+p(w)) per word
	vecs   []float32 // vocab*dim, unit rows
	common []float32 // unit; removed from every text vector
}

// StaticMeta is the model file's header.
type StaticMeta struct {
	Name        string    `json:"name"`         // the vector space, e.g. "paperboy-sif-v1-256"
	Dim         int       `json:"dim"`          // vector length
	Words       int       `json:"words"`        // vocabulary size
	TitleWeight float32   `json:"title_weight"` // a title word counts this many abstract words
	Common      []float32 `json:"common"`       // the common component
	Trained     string    `json:"trained"`      // how the model was made
}

const staticMagic = "PBSTATIC1\n"

// WriteStatic writes a model: magic, a JSON header line, then per word its
// stem (uvarint length + bytes), SIF weight (float32), scale (float32) and
// dim int8 values, all gzip-compressed. Vectors are stored as int8.
func WriteStatic(w io.Writer, meta StaticMeta, words []string, weights []float32, vecs [][]float32) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	meta.Words = len(words)
	hdr, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	bw.WriteString(staticMagic)
	bw.Write(hdr)
	bw.WriteByte('\n')
	var buf [binary.MaxVarintLen64]byte
	code := make([]byte, meta.Dim)
	for i, word := range words {
		v := vecs[i]
		if len(v) != meta.Dim {
			return fmt.Errorf("word %q: %d dimensions, want %d", word, len(v), meta.Dim)
		}
		bw.Write(buf[:binary.PutUvarint(buf[:], uint64(len(word)))])
		bw.WriteString(word)
		var m float32
		for _, x := range v {
			m = max(m, float32(math.Abs(float64(x))))
		}
		scale := m / 127
		binary.Write(bw, binary.LittleEndian, weights[i])
		binary.Write(bw, binary.LittleEndian, scale)
		for j, x := range v {
			if scale > 0 {
				code[j] = byte(int8(math.Round(float64(x / scale))))
			} else {
				code[j] = 0
			}
		}
		bw.Write(code)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// ReadStatic loads a model written by WriteStatic.
func ReadStatic(r io.Reader) (*Static, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("static model: %w", err)
	}
	br := bufio.NewReaderSize(zr, 1<<16)
	magic := make([]byte, len(staticMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != staticMagic {
		return nil, fmt.Errorf("static model: not a Paperboy static model")
	}
	line, err := br.ReadBytes('\n')
	if err != nil {
		return nil, fmt.Errorf("static model header: %w", err)
	}
	s := &Static{}
	if err := json.Unmarshal(line, &s.meta); err != nil {
		return nil, fmt.Errorf("static model header: %w", err)
	}
	dim, n := s.meta.Dim, s.meta.Words
	if dim <= 0 || dim > 8192 || n <= 0 || n > 10_000_000 || len(s.meta.Common) != dim {
		return nil, fmt.Errorf("static model header: bad sizes (dim %d, words %d)", dim, n)
	}
	s.vocab = make(map[string]int32, n)
	s.weight = make([]float32, n)
	s.vecs = make([]float32, n*dim)
	code := make([]byte, dim)
	word := make([]byte, 64)
	for i := range n {
		l, err := binary.ReadUvarint(br)
		if err != nil || l > 1024 {
			return nil, fmt.Errorf("static model word %d: bad length", i)
		}
		if int(l) > len(word) {
			word = make([]byte, l)
		}
		if _, err := io.ReadFull(br, word[:l]); err != nil {
			return nil, fmt.Errorf("static model word %d: %w", i, err)
		}
		var ws [2]float32
		if err := binary.Read(br, binary.LittleEndian, &ws); err != nil {
			return nil, fmt.Errorf("static model word %d: %w", i, err)
		}
		if _, err := io.ReadFull(br, code); err != nil {
			return nil, fmt.Errorf("static model word %d: %w", i, err)
		}
		s.vocab[string(word[:l])] = int32(i)
		s.weight[i] = ws[0]
		v := s.vecs[i*dim : (i+1)*dim]
		for j, c := range code {
			v[j] = float32(int8(c)) * ws[1]
		}
		Normalize(v)
	}
	s.common = Normalize(append([]float32(nil), s.meta.Common...))
	return s, nil
}

//go:generate go run ./train -out model/static.bin.gz

var (
	defaultOnce  sync.Once
	defaultModel *Static
	defaultErr   error
)

// Default returns the model that ships in the binary, loading it on first use
// (about half a second).
func Default() (*Static, error) {
	defaultOnce.Do(func() {
		defaultModel, defaultErr = ReadStatic(bytes.NewReader(defaultModelData))
	})
	return defaultModel, defaultErr
}

// Meta describes the model.
func (s *Static) Meta() StaticMeta { return s.meta }

// Model names the vector space.
func (s *Static) Model() string { return s.meta.Name }

// Dim is the vector length.
func (s *Static) Dim() int { return s.meta.Dim }

// Known reports whether the model has a vector for the stem.
func (s *Static) Known(stem string) bool { _, ok := s.vocab[stem]; return ok }

// EmbedDocuments embeds each paper's title and abstract.
func (s *Static) EmbedDocuments(ctx context.Context, papers []paper.Paper) ([][]float32, error) {
	out := make([][]float32, len(papers))
	// Batches are spread over the CPUs: embedding is CPU-bound.
	workers := min(runtime.GOMAXPROCS(0), (len(papers)+63)/64)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(papers); i += workers {
				if i%256 == w && ctx.Err() != nil {
					return
				}
				out[i] = s.EmbedPaper(&papers[i])
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// EmbedPaper embeds one paper.
func (s *Static) EmbedPaper(p *paper.Paper) []float32 {
	v := make([]float32, s.meta.Dim)
	s.add(v, p.Title, s.meta.TitleWeight, false) // raw text, as in training: Tokenize skips LaTeX commands
	s.add(v, p.Abstract, 1, false)
	return s.finish(v)
}

// EmbedQuery embeds a query. Words the model lacks borrow the vectors of
// their WordNet synonyms and broader terms that it has.
func (s *Static) EmbedQuery(_ context.Context, query string) ([]float32, error) {
	v := make([]float32, s.meta.Dim)
	s.add(v, query, 1, true)
	return s.finish(v), nil
}

// EmbedText embeds a text as a document body (no title).
func (s *Static) EmbedText(text string) []float32 {
	v := make([]float32, s.meta.Dim)
	s.add(v, text, 1, false)
	return s.finish(v)
}

func (s *Static) add(v []float32, text string, scale float32, expand bool) {
	dim := s.meta.Dim
	for _, t := range Tokenize(text) {
		i, ok := s.vocab[t.Stem]
		if ok {
			axpy(v, scale*s.weight[i], s.vecs[int(i)*dim:int(i+1)*dim])
			continue
		}
		if !expand {
			continue
		}
		for _, r := range wordnet.Related(t.Word) {
			for _, rt := range Tokenize(r.Word) {
				if j, ok := s.vocab[rt.Stem]; ok {
					axpy(v, scale*r.Weight*s.weight[j], s.vecs[int(j)*dim:int(j+1)*dim])
				}
			}
		}
	}
}

func (s *Static) finish(v []float32) []float32 {
	var d float32
	for i, c := range s.common {
		d += c * v[i]
	}
	axpy(v, -d, s.common)
	return Normalize(v)
}

func axpy(dst []float32, a float32, x []float32) {
	x = x[:len(dst)]
	for i := range dst {
		dst[i] += a * x[i]
	}
}

// NewStatic builds a model in memory (the trainer uses it to evaluate before
// writing). Vectors are normalised; common may be nil.
func NewStatic(meta StaticMeta, words []string, weights []float32, vecs [][]float32) *Static {
	dim := meta.Dim
	s := &Static{meta: meta, vocab: make(map[string]int32, len(words)), weight: weights, vecs: make([]float32, len(words)*dim)}
	s.meta.Words = len(words)
	for i, w := range words {
		s.vocab[w] = int32(i)
		copy(s.vecs[i*dim:], vecs[i])
		Normalize(s.vecs[i*dim : (i+1)*dim])
	}
	if len(meta.Common) == dim {
		s.common = Normalize(append([]float32(nil), meta.Common...))
	} else {
		s.common = make([]float32, dim)
	}
	return s
}

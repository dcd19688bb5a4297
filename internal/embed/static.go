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
	"slices"
	"sync"

	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/wordnet"
)

// Static is a static embedding model with two views of a text, learned from
// arXiv abstracts (see ./train):
//
//   - word vectors from co-occurrence in a small window (PPMI + truncated SVD,
//     retrofitted to WordNet synonyms); a text is the SIF-weighted average of
//     its words' vectors (Arora et al. 2017), minus the corpus's common
//     component. This view knows which words are used alike.
//   - latent semantic analysis (LSA): a text is its sublinear TF-IDF vector
//     folded into the top singular directions of the documents × terms
//     matrix. This view knows which words share topics.
//
// The two unit vectors are concatenated, scaled so that the dot product of two
// texts is (1-s)·cos_SIF + s·cos_LSA with s = LSAShare: one vector and one
// index, but the fusion of two diverse views, which retrieves better than
// either (see model/README.md). Title words count more in both. It needs no
// network and embeds thousands of papers a second.
type Static struct {
	meta   StaticMeta
	vocab  map[string]int32
	weight []float32 // SIF weight a/(a+p(w)) per word
	vecs   []float32 // vocab*dim, unit rows
	common []float32 // unit; removed from every text vector

	idf     []float32 // LSA: inverse document frequency per word
	lsa     []float32 // LSA: vocab*lsaDim term vectors (rows of V)
	wS, wL  float32   // scales of the two views: sqrt(1-s), sqrt(s)
	lsaPool sync.Pool // *text, reused
}

// LSA is the optional second view of a model: per word of the vocabulary its
// inverse document frequency and its row of the truncated SVD's V.
type LSA struct {
	IDF  []float32
	Vecs [][]float32
}

// StaticMeta is the model file's header.
type StaticMeta struct {
	Name        string    `json:"name"`                // the vector space, e.g. "paperboy-sif-v1-256"
	Dim         int       `json:"dim"`                 // vector length
	Words       int       `json:"words"`               // vocabulary size
	TitleWeight float32   `json:"title_weight"`        // a title word counts this many abstract words
	Common      []float32 `json:"common"`              // the common component
	LSADim      int       `json:"lsa_dim,omitempty"`   // length of the LSA view; 0: none
	LSAShare    float32   `json:"lsa_share,omitempty"` // the LSA view's share of the cosine
	Trained     string    `json:"trained"`             // how the model was made
}

const staticMagic = "PBSTATIC1\n"

// WriteStatic writes a model: magic, a JSON header line, then per word its
// stem (uvarint length + bytes), SIF weight (float32), scale (float32) and
// dim int8 values, and when the model has an LSA view, the word's IDF and
// scale (float32) and lsa_dim int8 values; all gzip-compressed. Vectors are
// stored as int8. lsa may be nil.
func WriteStatic(w io.Writer, meta StaticMeta, words []string, weights []float32, vecs [][]float32, lsa *LSA) error {
	if lsa == nil {
		meta.LSADim = 0
	} else if len(lsa.IDF) != len(words) || len(lsa.Vecs) != len(words) {
		return fmt.Errorf("lsa view: %d words, want %d", len(lsa.Vecs), len(words))
	}
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
	writeVec := func(weight float32, v []float32) {
		var m float32
		for _, x := range v {
			m = max(m, float32(math.Abs(float64(x))))
		}
		scale := m / 127
		binary.Write(bw, binary.LittleEndian, weight)
		binary.Write(bw, binary.LittleEndian, scale)
		code := make([]byte, len(v))
		for j, x := range v {
			if scale > 0 {
				code[j] = byte(int8(math.Round(float64(x / scale))))
			}
		}
		bw.Write(code)
	}
	for i, word := range words {
		if len(vecs[i]) != meta.Dim {
			return fmt.Errorf("word %q: %d dimensions, want %d", word, len(vecs[i]), meta.Dim)
		}
		bw.Write(buf[:binary.PutUvarint(buf[:], uint64(len(word)))])
		bw.WriteString(word)
		writeVec(weights[i], vecs[i])
		if lsa != nil {
			if len(lsa.Vecs[i]) != meta.LSADim {
				return fmt.Errorf("word %q: %d LSA dimensions, want %d", word, len(lsa.Vecs[i]), meta.LSADim)
			}
			writeVec(lsa.IDF[i], lsa.Vecs[i])
		}
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
	var meta StaticMeta
	if err := json.Unmarshal(line, &meta); err != nil {
		return nil, fmt.Errorf("static model header: %w", err)
	}
	dim, ldim, n := meta.Dim, meta.LSADim, meta.Words
	if dim <= 0 || dim > 8192 || ldim < 0 || ldim > 8192 || n <= 0 || n > 10_000_000 || len(meta.Common) != dim ||
		meta.LSAShare < 0 || meta.LSAShare > 1 {
		return nil, fmt.Errorf("static model header: bad sizes (dim %d, lsa_dim %d, words %d)", dim, ldim, n)
	}
	words := make([]string, n)
	weights := make([]float32, n)
	vecs := make([][]float32, n)
	var lsa *LSA
	if ldim > 0 {
		lsa = &LSA{IDF: make([]float32, n), Vecs: make([][]float32, n)}
	}
	readVec := func(d int) (float32, []float32, error) {
		var ws [2]float32
		if err := binary.Read(br, binary.LittleEndian, &ws); err != nil {
			return 0, nil, err
		}
		code := make([]byte, d)
		if _, err := io.ReadFull(br, code); err != nil {
			return 0, nil, err
		}
		v := make([]float32, d)
		for j, c := range code {
			v[j] = float32(int8(c)) * ws[1]
		}
		return ws[0], v, nil
	}
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
		words[i] = string(word[:l])
		if weights[i], vecs[i], err = readVec(dim); err != nil {
			return nil, fmt.Errorf("static model word %d: %w", i, err)
		}
		if lsa != nil {
			if lsa.IDF[i], lsa.Vecs[i], err = readVec(ldim); err != nil {
				return nil, fmt.Errorf("static model word %d (LSA): %w", i, err)
			}
		}
	}
	return NewStatic(meta, words, weights, vecs, lsa), nil
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
func (s *Static) Dim() int { return s.meta.Dim + s.meta.LSADim }

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
	t := s.newText()
	defer t.release()
	t.add(p.Title, s.meta.TitleWeight, false) // raw text, as in training: Tokenize skips LaTeX commands
	t.add(p.Abstract, 1, false)
	return t.vector()
}

// EmbedQuery embeds a query. Words the model lacks borrow the vectors of
// their WordNet synonyms and broader terms that it has.
func (s *Static) EmbedQuery(_ context.Context, query string) ([]float32, error) {
	t := s.newText()
	defer t.release()
	t.add(query, 1, true)
	return t.vector(), nil
}

// EmbedText embeds a text as a document body (no title).
func (s *Static) EmbedText(text string) []float32 {
	t := s.newText()
	defer t.release()
	t.add(text, 1, false)
	return t.vector()
}

// text accumulates one text's views: the SIF sum as it goes, and the word
// occurrences whose frequencies LSA weighs once the text is complete (TF is
// sublinear).
type text struct {
	s   *Static
	sif []float32
	occ []occurrence
}

type occurrence struct {
	word int32
	w    float32
}

func (s *Static) newText() *text {
	if t, ok := s.lsaPool.Get().(*text); ok {
		return t
	}
	return &text{s: s}
}

func (t *text) release() {
	t.sif, t.occ = nil, t.occ[:0]
	t.s.lsaPool.Put(t)
}

func (t *text) add(txt string, scale float32, expand bool) {
	s := t.s
	if t.sif == nil {
		t.sif = make([]float32, s.meta.Dim)
	}
	for _, tok := range Tokenize(txt) {
		if i, ok := s.vocab[tok.Stem]; ok {
			t.word(i, scale)
			continue
		}
		if !expand {
			continue
		}
		for _, r := range wordnet.Related(tok.Word) {
			for _, rt := range Tokenize(r.Word) {
				if j, ok := s.vocab[rt.Stem]; ok {
					t.word(j, scale*r.Weight)
				}
			}
		}
	}
}

func (t *text) word(i int32, w float32) {
	s, dim := t.s, t.s.meta.Dim
	axpy(t.sif, w*s.weight[i], s.vecs[int(i)*dim:int(i+1)*dim])
	if s.lsa != nil {
		t.occ = append(t.occ, occurrence{i, w})
	}
}

// vector finishes the text: the common component leaves the SIF view, the
// LSA view is folded in, and both are scaled to their shares.
func (t *text) vector() []float32 {
	s := t.s
	sif := t.sif
	if sif == nil {
		sif = make([]float32, s.meta.Dim)
	}
	var d float32
	for i, c := range s.common {
		d += c * sif[i]
	}
	axpy(sif, -d, s.common)
	Normalize(sif)
	if s.lsa == nil {
		return sif
	}
	ldim := s.meta.LSADim
	out := make([]float32, s.meta.Dim+ldim)
	for i, x := range sif {
		out[i] = s.wS * x
	}
	lv := out[s.meta.Dim:]
	// In word order, so that a text always sums to the same bits.
	slices.SortStableFunc(t.occ, func(a, b occurrence) int { return int(a.word - b.word) })
	for k := 0; k < len(t.occ); {
		i, f := t.occ[k].word, float32(0)
		for ; k < len(t.occ) && t.occ[k].word == i; k++ {
			f += t.occ[k].w
		}
		if f > 1 {
			f = 1 + float32(math.Log(float64(f)))
		}
		axpy(lv, f*s.idf[i], s.lsa[int(i)*ldim:int(i+1)*ldim])
	}
	Normalize(lv)
	for i := range lv {
		lv[i] *= s.wL
	}
	return Normalize(out) // unit even when one view is empty
}

func axpy(dst []float32, a float32, x []float32) {
	x = x[:len(dst)]
	for i := range dst {
		dst[i] += a * x[i]
	}
}

// WithLSAShare returns the model with another share for its LSA view, under
// a name of its own (its vectors are another space), for tuning the share
// against a search evaluation without retraining.
func (s *Static) WithLSAShare(share float32) *Static {
	if s.lsa == nil || share < 0 || share > 1 {
		return s
	}
	m := &Static{meta: s.meta, vocab: s.vocab, weight: s.weight, vecs: s.vecs, common: s.common, idf: s.idf, lsa: s.lsa}
	m.meta.Name = fmt.Sprintf("%s-share%.2f", s.meta.Name, share)
	m.setShare(share)
	return m
}

// NewStatic builds a model in memory (the trainer uses it to evaluate before
// writing). Word vectors are normalised; common may be nil; lsa may be nil.
func NewStatic(meta StaticMeta, words []string, weights []float32, vecs [][]float32, lsa *LSA) *Static {
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
	if lsa == nil || meta.LSADim == 0 {
		s.meta.LSADim, s.meta.LSAShare = 0, 0
		return s
	}
	ldim := meta.LSADim
	s.idf = lsa.IDF
	s.lsa = make([]float32, len(words)*ldim)
	for i := range words {
		copy(s.lsa[i*ldim:(i+1)*ldim], lsa.Vecs[i]) // not normalised: row norms carry weight
	}
	s.setShare(meta.LSAShare)
	return s
}

// setShare scales the views so that a dot product is (1-share)·cos_SIF +
// share·cos_LSA.
func (s *Static) setShare(share float32) {
	s.meta.LSAShare = share
	s.wS = float32(math.Sqrt(float64(1 - share)))
	s.wL = float32(math.Sqrt(float64(share)))
}

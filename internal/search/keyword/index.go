package keyword

import (
	"hash/fnv"
	"math"
	"runtime"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// Doc is what the index needs of a paper.
type Doc struct {
	ID         string
	Title      string
	Abstract   string
	Authors    []string
	Categories []string
	Day        time.Time // zero when unknown
}

// Field selects which part of a paper a query term must match.
type Field uint8

const (
	Any    Field = iota // title, abstract and authors, weighted (BM25F)
	Title               // title only (ti:)
	Author              // author names, unstemmed (au:)
)

// Key prefixes keep the three fields' terms apart in one dictionary.
const (
	titlePrefix  = "\x01"
	authorPrefix = "\x02"
)

// Params are the BM25F parameters. The zero value is not useful; use DefaultParams.
type Params struct {
	K1           float64
	TitleWeight  float64 // the title counts this many times an abstract word
	AuthorWeight float64
	TitleB       float64 // length normalisation per field
	AbstractB    float64
}

// DefaultParams are standard BM25 (k1 1.2, b 0.75) with the title weighted
// three times, which measured best on descriptive queries
// (see /work/shared/notes/search-feasibility.md).
func DefaultParams() Params {
	return Params{K1: 1.2, TitleWeight: 3, AuthorWeight: 1, TitleB: 0.5, AbstractB: 0.75}
}

// postings is one term's list: doc numbers ascending, with a precomputed
// impact (the BM25 saturation tf'/(k1+tf') quantised to 1..255) per doc. IDF
// is applied at query time, so it follows the collection as it grows.
// 5 bytes a posting: a million papers take about 0.5 GB.
type postings struct {
	docs   []uint32
	imp    []uint8
	maxImp uint8
}

// Index is safe for concurrent use: searches share a read lock; adding takes
// the write lock for the short time that appending a batch needs.
type Index struct {
	mu     sync.RWMutex
	params Params

	dict  map[string]uint32 // term key -> index into lists
	lists []postings

	ids     []string // doc number -> arXiv id
	byID    map[string]uint32
	days    []int32  // days since 1970-01-01, -1 unknown
	catOff  []uint32 // doc's categories are cats[catOff[d]:catOff[d+1]]
	cats    []uint16
	catIDs  map[string]uint16
	catName []string
	hashes  []uint64 // content hash per doc: a rewrite that changes no indexed field (a vote) is skipped
	deleted []uint64 // bitset of replaced docs (tombstones)
	ndel    int

	// Average field lengths, frozen once known so that stored impacts stay
	// comparable. Estimated from the first papers indexed: length
	// normalisation is insensitive to small errors in them.
	avgTitle, avgAbs, avgAu float64
	frozen                  bool
	pending                 []Doc // papers held back until the averages are known
}

// freezeAfter is how many papers decide the average field lengths.
const freezeAfter = 5000

// New returns an empty index.
func New(p Params) *Index {
	return &Index{params: p, dict: map[string]uint32{}, byID: map[string]uint32{}, catIDs: map[string]uint16{}, catOff: []uint32{0}}
}

// Len is the number of live (searchable) papers.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.ids) - ix.ndel
}

// Has reports whether a paper is in the index.
func (ix *Index) Has(id string) bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	_, ok := ix.byID[id]
	return ok
}

// Stats describe the index for benchmarks and logs.
type Stats struct {
	Docs, Deleted, Terms int
	Postings             int64
	Bytes                int64 // estimated heap held by the index
}

// Stats counts what the index holds.
func (ix *Index) Stats() Stats {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s := Stats{Docs: len(ix.ids) - ix.ndel, Deleted: ix.ndel, Terms: len(ix.lists)}
	var b int64
	for k := range ix.dict {
		b += int64(len(k)) + 16 + 4 + 8 // key bytes, string header, value, map overhead (rough)
	}
	for i := range ix.lists {
		l := &ix.lists[i]
		s.Postings += int64(len(l.docs))
		b += int64(cap(l.docs))*4 + int64(cap(l.imp)) + int64(unsafe.Sizeof(*l))
	}
	for _, id := range ix.ids {
		b += int64(len(id)) + 16 + 16 + 4 + 8 // ids slice + byID map
	}
	b += int64(cap(ix.days))*4 + int64(cap(ix.catOff))*4 + int64(cap(ix.cats))*2 + int64(cap(ix.deleted))*8 + int64(cap(ix.hashes))*8
	s.Bytes = b
	return s
}

// analysed is a paper turned into index entries, ready to append.
type analysed struct {
	doc   Doc
	terms []termImpact
}

type termImpact struct {
	key string
	imp uint8
}

// Add indexes papers. A paper already in the index is replaced: its old
// entry becomes a tombstone that searches skip. Analysis runs on up to
// GOMAXPROCS goroutines; appending is sequential under the write lock.
func (ix *Index) Add(docs []Doc) {
	ix.mu.Lock()
	if !ix.frozen {
		ix.pending = append(ix.pending, docs...)
		if len(ix.pending) < freezeAfter {
			ix.mu.Unlock()
			return
		}
		ix.freeze()
		docs, ix.pending = ix.pending, nil
	}
	ix.mu.Unlock()
	an := ix.analyseAll(docs)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for i := range an {
		ix.appendDoc(&an[i])
	}
}

// Flush indexes papers held back while the average field lengths were
// unknown (fewer than freezeAfter papers so far), using what has been seen.
func (ix *Index) Flush() {
	ix.mu.Lock()
	if ix.frozen {
		ix.mu.Unlock()
		return
	}
	ix.freeze()
	docs := ix.pending
	ix.pending = nil
	ix.mu.Unlock()
	if len(docs) == 0 {
		return
	}
	an := ix.analyseAll(docs)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for i := range an {
		ix.appendDoc(&an[i])
	}
}

// freeze computes the average field lengths from the pending papers.
func (ix *Index) freeze() {
	var t, a, u float64
	for i := range ix.pending {
		d := &ix.pending[i]
		t += float64(countTokens(d.Title))
		a += float64(countTokens(d.Abstract))
		for _, au := range d.Authors {
			u += float64(countTokens(au))
		}
	}
	n := float64(max(len(ix.pending), 1))
	ix.avgTitle, ix.avgAbs, ix.avgAu = max(t/n, 1), max(a/n, 1), max(u/n, 1)
	ix.frozen = true
}

func countTokens(s string) int {
	n := 0
	Tokens(s, func(Token) { n++ })
	return n
}

func (ix *Index) analyseAll(docs []Doc) []analysed {
	out := make([]analysed, len(docs))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(docs)/256))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(docs); i += workers {
				out[i] = ix.analyse(docs[i])
			}
		}()
	}
	wg.Wait()
	return out
}

// analyse computes a paper's terms and their impacts (BM25F).
func (ix *Index) analyse(d Doc) analysed {
	p := ix.params
	type tfs struct{ title, abs, au float64 }
	counts := make(map[string]*tfs, 128)
	titleTF := map[string]int{}
	var lt, la, lu int
	get := func(k string) *tfs {
		c := counts[k]
		if c == nil {
			c = &tfs{}
			counts[k] = c
		}
		return c
	}
	Tokens(d.Title, func(t Token) {
		lt++
		if IsStopWord(t.Word) {
			return
		}
		s := CachedStem(t.Word)
		get(s).title++
		titleTF[s]++
	})
	Tokens(d.Abstract, func(t Token) {
		la++
		if IsStopWord(t.Word) {
			return
		}
		get(CachedStem(t.Word)).abs++
	})
	authorToks := map[string]bool{}
	for _, a := range d.Authors {
		Tokens(a, func(t Token) {
			lu++
			get(CachedStem(t.Word)).au++
			authorToks[t.Word] = true
		})
	}
	nt := 1 - p.TitleB + p.TitleB*float64(lt)/ix.avgTitle
	na := 1 - p.AbstractB + p.AbstractB*float64(la)/ix.avgAbs
	nu := 1.0 // author lists: no length normalisation (large collaborations are not "less about" a name)
	terms := make([]termImpact, 0, len(counts)+len(titleTF)+len(authorToks))
	for k, c := range counts {
		tf := p.TitleWeight*c.title/nt + c.abs/na + p.AuthorWeight*c.au/nu
		terms = append(terms, termImpact{k, quantise(tf / (p.K1 + tf))})
	}
	for k, c := range titleTF {
		tf := float64(c) / nt
		terms = append(terms, termImpact{titlePrefix + k, quantise(tf / (p.K1 + tf))})
	}
	for k := range authorToks {
		terms = append(terms, termImpact{authorPrefix + k, 255})
	}
	return analysed{doc: d, terms: terms}
}

func quantise(s float64) uint8 {
	q := math.Round(s * 255)
	return uint8(min(max(q, 1), 255))
}

// appendDoc adds one analysed paper. Caller holds the write lock.
func (ix *Index) appendDoc(a *analysed) {
	d := &a.doc
	h := docHash(d)
	if old, ok := ix.byID[d.ID]; ok {
		if ix.hashes[old] == h {
			return
		}
		ix.tombstone(old)
	}
	ix.hashes = append(ix.hashes, h)
	n := uint32(len(ix.ids))
	ix.ids = append(ix.ids, strings.Clone(d.ID))
	ix.byID[ix.ids[n]] = n
	day := int32(-1)
	if !d.Day.IsZero() {
		day = int32(d.Day.Unix() / 86400)
	}
	ix.days = append(ix.days, day)
	for _, c := range d.Categories {
		id, ok := ix.catIDs[c]
		if !ok {
			id = uint16(len(ix.catName))
			ix.catName = append(ix.catName, strings.Clone(c))
			ix.catIDs[ix.catName[id]] = id
		}
		ix.cats = append(ix.cats, id)
	}
	ix.catOff = append(ix.catOff, uint32(len(ix.cats)))
	if int(n/64) >= len(ix.deleted) {
		ix.deleted = append(ix.deleted, 0)
	}
	for _, t := range a.terms {
		li, ok := ix.dict[t.key]
		if !ok {
			li = uint32(len(ix.lists))
			ix.lists = append(ix.lists, postings{})
			ix.dict[strings.Clone(t.key)] = li
		}
		l := &ix.lists[li]
		l.docs = append(l.docs, n)
		l.imp = append(l.imp, t.imp)
		l.maxImp = max(l.maxImp, t.imp)
	}
}

func docHash(d *Doc) uint64 {
	h := fnv.New64a()
	w := func(s string) { h.Write([]byte(s)); h.Write([]byte{0}) }
	w(d.Title)
	w(d.Abstract)
	for _, a := range d.Authors {
		w(a)
	}
	w("\x01")
	for _, c := range d.Categories {
		w(c)
	}
	w(d.Day.Format(time.DateOnly))
	return h.Sum64()
}

func (ix *Index) tombstone(d uint32) {
	if ix.deleted[d/64]&(1<<(d%64)) == 0 {
		ix.deleted[d/64] |= 1 << (d % 64)
		ix.ndel++
	}
}

// Remove drops papers from search (tombstones).
func (ix *Index) Remove(ids ...string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, id := range ids {
		if d, ok := ix.byID[id]; ok {
			ix.tombstone(d)
			delete(ix.byID, id)
		}
	}
}

// Compact trims the spare capacity that appending left in posting lists,
// which is up to a quarter of their memory after a bulk build.
func (ix *Index) Compact() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for i := range ix.lists {
		l := &ix.lists[i]
		if cap(l.docs) > len(l.docs)+len(l.docs)/8+4 {
			l.docs = append([]uint32(nil), l.docs...)
			l.imp = append([]uint8(nil), l.imp...)
		}
	}
}

// SampleIDs returns up to n ids of live papers, spread evenly over the
// index (for benchmarks).
func (ix *Index) SampleIDs(n int) []string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if n <= 0 || len(ix.ids) == 0 {
		return nil
	}
	step := max(len(ix.ids)/n, 1)
	var out []string
	for d := 0; d < len(ix.ids) && len(out) < n; d += step {
		if ix.deleted[d/64]&(1<<(d%64)) == 0 {
			out = append(out, ix.ids[d])
		}
	}
	return out
}

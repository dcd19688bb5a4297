package keyword

import (
	"container/heap"
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"
)

// Term is one analysed query term.
type Term struct {
	Text     string  // stemmed for Any and Title, folded for Author
	Field    Field   //
	Weight   float64 // 1 for typed words; expansion terms get less
	Required bool    // the paper must contain it (phrase words, ti:, au:)
}

// Query is an analysed query: scored terms, excluded terms and filters.
type Query struct {
	Terms      []Term
	Exclude    []Term
	Categories []string  // any of: exact "cs.LG" or archive "cs" (matches "cs.*")
	From, To   time.Time // inclusive day range on the paper's day; zero for open
	// Count asks for the exact number of matching papers, which costs a pass
	// over the terms' posting lists.
	Count bool
	// Accept, when set, is called for each candidate that passed the other
	// filters; false drops it. Used to restrict to a set of ids.
	Accept func(id string) bool
}

// Hit is a scored paper.
type Hit struct {
	ID    string
	Score float64
}

// Result of a search: the best hits, best first, and the number of matches
// (when Query.Count was set, else -1).
type Result struct {
	Hits  []Hit
	Total int
}

type cursor struct {
	docs  []uint32
	imp   []uint8
	pos   int
	w     float64 // idf*weight/255: score per impact unit
	ub    float64 // upper bound of this term's contribution
	req   bool
	field Field
}

func (c *cursor) doc() uint32 {
	if c.pos < len(c.docs) {
		return c.docs[c.pos]
	}
	return math.MaxUint32
}

// seek moves to the first doc >= d (galloping, then binary search).
func (c *cursor) seek(d uint32) {
	if c.pos >= len(c.docs) || c.docs[c.pos] >= d {
		return
	}
	lo, step := c.pos, 1
	hi := lo + step
	for hi < len(c.docs) && c.docs[hi] < d {
		lo = hi
		step *= 2
		hi = lo + step
	}
	hi = min(hi, len(c.docs))
	i, _ := slices.BinarySearch(c.docs[lo:hi], d)
	c.pos = lo + i
}

// filter holds a query's per-doc conditions, resolved against the index.
type filter struct {
	ix       *Index
	excluded []uint64
	cats     []bool // by category number; nil: no category filter
	from, to int32
	dates    bool
	accept   func(string) bool
}

func (f *filter) ok(d uint32) bool {
	ix := f.ix
	if ix.deleted[d/64]&(1<<(d%64)) != 0 {
		return false
	}
	if f.excluded != nil && f.excluded[d/64]&(1<<(d%64)) != 0 {
		return false
	}
	if f.dates {
		day := ix.days[d]
		if day < 0 || day < f.from || day > f.to {
			return false
		}
	}
	if f.cats != nil {
		found := false
		for _, c := range ix.cats[ix.catOff[d]:ix.catOff[d+1]] {
			if f.cats[c] {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if f.accept != nil && !f.accept(ix.ids[d]) {
		return false
	}
	return true
}

func termKey(t Term) string {
	switch t.Field {
	case Title:
		return titlePrefix + t.Text
	case Author:
		return authorPrefix + t.Text
	}
	return t.Text
}

func (ix *Index) newFilter(q Query) *filter {
	f := &filter{ix: ix, accept: q.Accept}
	if !q.From.IsZero() || !q.To.IsZero() {
		f.dates = true
		f.from, f.to = math.MinInt32, math.MaxInt32
		if !q.From.IsZero() {
			f.from = int32(q.From.Unix() / 86400)
		}
		if !q.To.IsZero() {
			f.to = int32(q.To.Unix() / 86400)
		}
	}
	if len(q.Categories) > 0 {
		f.cats = make([]bool, len(ix.catName))
		for i, name := range ix.catName {
			for _, c := range q.Categories {
				if strings.EqualFold(name, c) || (len(name) > len(c) && name[len(c)] == '.' && strings.EqualFold(name[:len(c)], c)) {
					f.cats[i] = true
				}
			}
		}
	}
	return f
}

// idf is BM25's, never negative.
func idf(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// Search returns the k best papers for q. With required terms it walks the
// intersection of their lists; otherwise it ranks the union with MaxScore,
// skipping papers whose best possible score cannot enter the top k.
func (ix *Index) Search(q Query, k int) Result {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	res := Result{Total: -1}
	if k <= 0 {
		k = 10
	}
	f := ix.newFilter(q)
	for _, t := range q.Exclude {
		if li, ok := ix.dict[termKey(t)]; ok {
			if f.excluded == nil {
				f.excluded = make([]uint64, len(ix.deleted))
			}
			for _, d := range ix.lists[li].docs {
				f.excluded[d/64] |= 1 << (d % 64)
			}
		}
	}

	n := len(ix.ids) - ix.ndel
	var cs []*cursor
	merged := map[string]int{} // the same key typed twice adds weight, one cursor
	for _, t := range q.Terms {
		key := termKey(t)
		li, ok := ix.dict[key]
		if !ok {
			if t.Required {
				res.Total = 0
				return res // a required word no paper has
			}
			continue
		}
		if i, ok := merged[key]; ok {
			c := cs[i]
			c.req = c.req || t.Required
			add := idf(n, len(c.docs)) * t.Weight / 255
			c.w += add
			c.ub = c.w * float64(ix.lists[li].maxImp)
			continue
		}
		l := &ix.lists[li]
		w := idf(n, len(l.docs)) * t.Weight / 255
		if t.Field == Author {
			w = 0 // au: selects, it does not rank
		}
		merged[key] = len(cs)
		cs = append(cs, &cursor{docs: l.docs, imp: l.imp, w: w, ub: w * float64(l.maxImp), req: t.Required, field: t.Field})
	}
	if len(cs) == 0 {
		res.Total = 0
		return res
	}
	var req, opt []*cursor
	for _, c := range cs {
		if c.req {
			req = append(req, c)
		} else {
			opt = append(opt, c)
		}
	}
	top := &hitHeap{}
	if len(req) > 0 {
		res.Total = ix.conjunctive(req, opt, f, k, top, q.Count)
	} else {
		if q.Count {
			res.Total = ix.countUnion(cs, f)
		}
		ix.maxScore(cs, f, k, top)
	}
	hits := make([]Hit, top.Len())
	for i := len(hits) - 1; i >= 0; i-- {
		e := heap.Pop(top).(entry)
		hits[i] = Hit{ID: ix.ids[e.doc], Score: e.score}
	}
	res.Hits = hits
	return res
}

// conjunctive walks the docs that have every required term, adding the
// optional terms' scores. Its cost follows the rarest required term.
func (ix *Index) conjunctive(req, opt []*cursor, f *filter, k int, top *hitHeap, count bool) int {
	slices.SortFunc(req, func(a, b *cursor) int { return len(a.docs) - len(b.docs) })
	lead := req[0]
	total := 0
next:
	for ; lead.pos < len(lead.docs); lead.pos++ {
		d := lead.docs[lead.pos]
		score := lead.w * float64(lead.imp[lead.pos])
		for _, c := range req[1:] {
			c.seek(d)
			if c.doc() != d {
				continue next
			}
			score += c.w * float64(c.imp[c.pos])
		}
		if !f.ok(d) {
			continue
		}
		total++
		for _, c := range opt {
			c.seek(d)
			if c.doc() == d {
				score += c.w * float64(c.imp[c.pos])
			}
		}
		top.offer(d, score, k)
	}
	if !count {
		return -1
	}
	return total
}

// maxScore ranks the union of the lists (Turtle & Flood's MaxScore): terms
// sorted by their upper bound; those whose bounds together cannot lift a
// paper into the top k are "non-essential" and only looked up for papers
// that an essential term brought.
func (ix *Index) maxScore(cs []*cursor, f *filter, k int, top *hitHeap) {
	slices.SortFunc(cs, func(a, b *cursor) int {
		switch {
		case a.ub < b.ub:
			return -1
		case a.ub > b.ub:
			return 1
		}
		return 0
	})
	prefix := make([]float64, len(cs)) // prefix[i] = sum of ub of cs[0..i]
	s := 0.0
	for i, c := range cs {
		s += c.ub
		prefix[i] = s
	}
	threshold := 0.0
	firstEssential := 0
	for {
		for firstEssential < len(cs) && top.Len() >= k && prefix[firstEssential] <= threshold {
			firstEssential++
		}
		if firstEssential >= len(cs) {
			return
		}
		// The next candidate is the smallest doc among essential lists.
		d := uint32(math.MaxUint32)
		for _, c := range cs[firstEssential:] {
			d = min(d, c.doc())
		}
		if d == math.MaxUint32 {
			return
		}
		score := 0.0
		for _, c := range cs[firstEssential:] {
			if c.pos < len(c.docs) && c.docs[c.pos] == d {
				score += c.w * float64(c.imp[c.pos])
				c.pos++
			}
		}
		if !f.ok(d) {
			continue
		}
		for i := firstEssential - 1; i >= 0; i-- {
			if top.Len() >= k && score+prefix[i] <= threshold {
				break
			}
			c := cs[i]
			c.seek(d)
			if c.doc() == d {
				score += c.w * float64(c.imp[c.pos])
			}
		}
		if top.offer(d, score, k) && top.Len() >= k {
			threshold = (*top)[0].score
		}
	}
}

// countUnion counts the papers that have any of the terms and pass the filter.
func (ix *Index) countUnion(cs []*cursor, f *filter) int {
	if len(cs) == 1 && f.excluded == nil && !f.dates && f.cats == nil && f.accept == nil && ix.ndel == 0 {
		return len(cs[0].docs)
	}
	set := make([]uint64, len(ix.deleted))
	for _, c := range cs {
		for _, d := range c.docs {
			set[d/64] |= 1 << (d % 64)
		}
	}
	total := 0
	plain := !f.dates && f.cats == nil && f.accept == nil
	for w, word := range set {
		word &^= ix.deleted[w]
		if f.excluded != nil {
			word &^= f.excluded[w]
		}
		if plain {
			total += bits.OnesCount64(word)
			continue
		}
		for word != 0 {
			b := bits.TrailingZeros64(word)
			word &= word - 1
			if f.ok(uint32(w*64 + b)) {
				total++
			}
		}
	}
	return total
}

type entry struct {
	doc   uint32
	score float64
}

// hitHeap is a min-heap of the best k: the root is the one to beat.
type hitHeap []entry

func (h hitHeap) Len() int { return len(h) }
func (h hitHeap) Less(i, j int) bool {
	if h[i].score != h[j].score {
		return h[i].score < h[j].score
	}
	return h[i].doc > h[j].doc // ties: the later paper is the one to drop, so results are stable
}
func (h hitHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *hitHeap) Push(x any)   { *h = append(*h, x.(entry)) }
func (h *hitHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// offer adds a candidate if it belongs in the top k; reports whether it did.
func (h *hitHeap) offer(d uint32, score float64, k int) bool {
	if h.Len() < k {
		heap.Push(h, entry{d, score})
		return true
	}
	if score > (*h)[0].score {
		(*h)[0] = entry{d, score}
		heap.Fix(h, 0)
		return true
	}
	return false
}

// Check reports, for each id, whether that paper satisfies q's required
// terms, exclusions and filters (its optional terms do not matter). Search
// results from elsewhere (the semantic leg) are held to the same conditions.
func (ix *Index) Check(q Query, ids []string) []bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make([]bool, len(ids))
	var req, excl [][]uint32
	for _, t := range q.Terms {
		if !t.Required {
			continue
		}
		li, ok := ix.dict[termKey(t)]
		if !ok {
			return out // nothing can match
		}
		req = append(req, ix.lists[li].docs)
	}
	for _, t := range q.Exclude {
		if li, ok := ix.dict[termKey(t)]; ok {
			excl = append(excl, ix.lists[li].docs)
		}
	}
	f := ix.newFilter(q)
	has := func(l []uint32, d uint32) bool {
		_, found := slices.BinarySearch(l, d)
		return found
	}
next:
	for i, id := range ids {
		d, ok := ix.byID[id]
		if !ok || !f.ok(d) {
			continue
		}
		for _, l := range req {
			if !has(l, d) {
				continue next
			}
		}
		for _, l := range excl {
			if has(l, d) {
				continue next
			}
		}
		out[i] = true
	}
	return out
}

// DF is the number of papers with a term (deleted ones included), for
// choosing the telling terms of a text.
func (ix *Index) DF(t Term) int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if li, ok := ix.dict[termKey(t)]; ok {
		return len(ix.lists[li].docs)
	}
	return 0
}

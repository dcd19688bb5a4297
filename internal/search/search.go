package search

import (
	"context"
	"fmt"
	"html/template"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/search/keyword"
)

// Query is one search request.
type Query struct {
	Text     string
	Mode     Mode   // "" is hybrid
	Category string // "cs.LG", or an archive "cs"; "" for all (adds to any cat: in Text)
	From, To time.Time
	Limit    int // 0: DefaultLimit; capped at MaxLimit
	Offset   int
}

// Hit is one result.
type Hit struct {
	Paper paper.Paper
	Score float64
	// Title and Abstract are the paper's display text, HTML-escaped, with the
	// words that matched the query in <mark>.
	Title, Abstract template.HTML
	// Highlights are the distinct words of the paper that matched, as written.
	Highlights []string
}

// Results of a search.
type Results struct {
	Hits []Hit
	// Total is how many papers match, as far as paging can reach (at most
	// MaxResults; keyword counts are exact, semantic ones are the candidates
	// that passed the filters).
	Total int
	// TotalEstimated is set when Total is extrapolated: phrase queries
	// check word order on as many candidates as the page needs.
	TotalEstimated bool
	Took           time.Duration
	// Redirect is set when the query is an arXiv id or URL: the page of that
	// paper ("/papers/2310.06110"), to go to instead of listing results.
	Redirect string
	Mode     Mode     // the mode used (hybrid falls back to keyword without a semantic engine)
	Notes    []string // what was cut, ignored or unavailable, for the reader
	Parsed   Parsed
}

// Search runs q. Bad input never fails: it is cleaned, cut or ignored with a
// note. Errors are the store's or the semantic engine's, or ErrNotReady.
func (s *Service) Search(ctx context.Context, q Query) (Results, error) {
	start := time.Now()
	var res Results
	mode, err := ParseMode(string(q.Mode))
	if err != nil {
		return res, err
	}
	res.Mode = mode
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	offset := max(q.Offset, 0)

	text, _ := Clean(q.Text)
	if text == "" {
		res.Took = time.Since(start)
		return res, nil
	}
	if id, _, err := paper.ParseID(text); err == nil {
		res.Redirect = "/papers/" + id
		res.Took = time.Since(start)
		return res, nil
	}
	if !s.Ready() {
		return res, ErrNotReady
	}
	p := Parse(q.Text)
	if q.Category != "" {
		if validCategory(q.Category) {
			p.Categories = append(p.Categories, q.Category)
		} else {
			p.Notes = append(p.Notes, "Ignored the category filter "+quoteNote(q.Category)+".")
		}
	}
	res.Parsed = p
	res.Notes = p.Notes
	if p.Empty() {
		res.Notes = append(res.Notes, "Type some words to search for; filters alone do not make a search.")
		res.Took = time.Since(start)
		return res, nil
	}
	engine := s.semantic()
	if mode != ModeKeyword && engine == nil {
		if mode == ModeSemantic {
			res.Notes = append(res.Notes, "Semantic search is not available on this server; showing keyword results.")
		}
		mode = ModeKeyword
		res.Mode = ModeKeyword
	}
	semText := p.Text()
	if mode == ModeSemantic && semText == "" {
		// au: alone has no meaning to embed; rank by keyword.
		mode = ModeKeyword
		res.Mode = ModeKeyword
	}

	kq, stopOnly := s.keywordQuery(&p, q.From, q.To)
	if stopOnly {
		res.Notes = append(res.Notes, "Words like \"the\" and \"of\" are too common to search for by keyword; add a more specific word.")
	}
	want := offset + limit
	if offset >= MaxResults {
		res.Notes = append(res.Notes, fmt.Sprintf("Only the first %d results can be shown.", MaxResults))
	}
	depth := min(max(want, 100), MaxResults)
	verify := p.NeedsVerify()

	var kw, sem ranked
	kwTotal := 0
	if mode != ModeSemantic {
		kq.Count = true
		r := s.ix.Search(kq, depth)
		kwTotal = r.Total
		for _, h := range r.Hits {
			kw.ids = append(kw.ids, h.ID)
			kw.scores = append(kw.scores, h.Score)
		}
	}
	if mode != ModeKeyword && semText != "" {
		filtered := len(kq.Categories) > 0 || !kq.From.IsZero() || !kq.To.IsZero() || hasRequired(kq) || len(kq.Exclude) > 0
		k := depth
		if filtered {
			k = min(depth*5, 5000) // over-fetch: filters drop some
		}
		hits, err := engine.Search(ctx, semText, k)
		if err != nil {
			return res, fmt.Errorf("semantic search: %w", err)
		}
		ids := make([]string, len(hits))
		for i, h := range hits {
			ids[i] = h.ID
		}
		ok := s.ix.Check(kq, ids)
		for i, h := range hits {
			if ok[i] && len(sem.ids) < depth {
				sem.ids = append(sem.ids, h.ID)
				sem.scores = append(sem.scores, float64(h.Score))
			}
		}
	}

	var list []fused
	switch mode {
	case ModeKeyword:
		list = asFused(kw)
		res.Total = kwTotal
	case ModeSemantic:
		list = asFused(sem)
		res.Total = len(list)
	default:
		list = fuse(s.opts.Fusion, kw, sem)
		res.Total = max(kwTotal, len(list))
	}
	res.Total = min(res.Total, MaxResults)

	var papers []paper.Paper
	if verify {
		// Phrases are checked on the stored text of the candidates, best
		// first, a chunk at a time until the page is full. The total is
		// exact when every candidate was checked, else extrapolated from
		// the share that passed.
		var kept []fused
		checked := 0
		for checked < len(list) && len(kept) < want {
			chunk := list[checked:min(len(list), checked+max(2*(want-len(kept)), 40))]
			ids := make([]string, len(chunk))
			for i, f := range chunk {
				ids[i] = f.id
			}
			got, err := s.store.PapersByID(ctx, ids)
			if err != nil {
				return res, fmt.Errorf("search: %w", err)
			}
			byID := make(map[string]*paper.Paper, len(got))
			for i := range got {
				byID[got[i].ID] = &got[i]
			}
			for _, f := range chunk {
				if pp := byID[f.id]; pp != nil && p.verify(pp) {
					kept = append(kept, f)
					papers = append(papers, *pp)
				}
			}
			checked += len(chunk)
		}
		res.Total = len(kept)
		if rest := len(list) - checked; rest > 0 && checked > 0 {
			res.Total += int(float64(rest) * float64(len(kept)) / float64(checked))
			res.TotalEstimated = true
		}
		list = kept
		if offset < len(papers) {
			papers = papers[offset:min(want, len(papers))]
		} else {
			papers = nil
		}
	} else if offset < len(list) {
		page := list[offset:min(want, len(list))]
		ids := make([]string, len(page))
		for i, f := range page {
			ids[i] = f.id
		}
		papers, err = s.store.PapersByID(ctx, ids)
		if err != nil {
			return res, fmt.Errorf("search: %w", err)
		}
	}
	scores := make(map[string]float64, len(list))
	for _, f := range list {
		scores[f.id] = f.score
	}
	hl := newHighlighter(&p, kq)
	for i := range papers {
		pp := &papers[i]
		h := Hit{Paper: *pp, Score: scores[pp.ID]}
		var words []string
		h.Title, words = hl.html(pp.DisplayTitle(), nil)
		h.Abstract, words = hl.html(pp.DisplayAbstract(), words)
		h.Highlights = words
		res.Hits = append(res.Hits, h)
	}
	res.Took = time.Since(start)
	return res, nil
}

func asFused(r ranked) []fused {
	out := make([]fused, len(r.ids))
	for i, id := range r.ids {
		out[i] = fused{id, r.scores[i]}
	}
	return out
}

func hasRequired(q keyword.Query) bool {
	for _, t := range q.Terms {
		if t.Required {
			return true
		}
	}
	return false
}

// keywordQuery turns a parsed query into index terms. stopOnly reports
// words dropped as stopwords when nothing else was left of them.
func (s *Service) keywordQuery(p *Parsed, from, to time.Time) (keyword.Query, bool) {
	kq := keyword.Query{Categories: p.Categories, From: from, To: to}
	dropped := false
	addWords := func(ws []string, field keyword.Field, required bool, weight float64) {
		for _, w := range ws {
			if keyword.IsStopWord(w) {
				dropped = true
				continue
			}
			kq.Terms = append(kq.Terms, keyword.Term{Text: keyword.CachedStem(w), Field: field, Weight: weight, Required: required})
		}
	}
	addWords(p.Words, keyword.Any, false, 1)
	for _, ph := range p.Phrases {
		addWords(ph, keyword.Any, true, 1)
	}
	for _, t := range p.Title {
		addWords(t, keyword.Title, true, 1)
	}
	for _, a := range p.Authors {
		for _, w := range a {
			kq.Terms = append(kq.Terms, keyword.Term{Text: w, Field: keyword.Author, Required: true})
		}
	}
	for _, e := range p.Exclude {
		if len(e) == 1 && !keyword.IsStopWord(e[0]) {
			kq.Exclude = append(kq.Exclude, keyword.Term{Text: keyword.CachedStem(e[0]), Field: keyword.Any})
		}
	}
	if s.opts.Expansion > 0 {
		kq.Terms = append(kq.Terms, expand(p.Words, s.opts.Expansion)...)
	}
	return kq, dropped && len(kq.Terms) == 0
}

// verify checks what the index cannot: phrases in order, multi-word author
// and title values, excluded phrases. Words are compared by stem
// ("neural networks" matches "neural network"); names by folded token.
func (p *Parsed) verify(pp *paper.Paper) bool {
	title := stems(pp.Title)
	abs := stems(pp.Abstract)
	for _, ph := range p.Phrases {
		want := stemAll(ph)
		if !containsSeq(title, want) && !containsSeq(abs, want) {
			return false
		}
	}
	for _, t := range p.Title {
		if len(t) > 1 && !containsSeq(title, stemAll(t)) {
			return false
		}
	}
	for _, a := range p.Authors {
		if len(a) < 2 {
			continue
		}
		found := false
		for _, name := range pp.Authors {
			if containsSeq(words(name), a) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	for _, e := range p.Exclude {
		if len(e) < 2 {
			continue
		}
		want := stemAll(e)
		if containsSeq(title, want) || containsSeq(abs, want) {
			return false
		}
	}
	return true
}

func stems(text string) []string { return stemAll(words(text)) }

func stemAll(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = keyword.CachedStem(w)
	}
	return out
}

func containsSeq(hay, needle []string) bool {
	if len(needle) == 0 {
		return true
	}
outer:
	for i := 0; i+len(needle) <= len(hay); i++ {
		for j, w := range needle {
			if hay[i+j] != w {
				continue outer
			}
		}
		return true
	}
	return false
}

// Similar returns papers like the paper id, nearest first: from the
// semantic engine when there is one, else (or when it has no vector for the
// paper yet) by the paper's most telling words.
func (s *Service) Similar(ctx context.Context, id string, k int) ([]paper.Paper, error) {
	if k <= 0 {
		k = 10
	}
	k = min(k, MaxLimit)
	var ids []string
	if sem := s.semantic(); sem != nil && s.Ready() {
		hits, err := sem.Similar(ctx, id, k+1)
		if err == nil {
			for _, h := range hits {
				if h.ID != id && len(ids) < k {
					ids = append(ids, h.ID)
				}
			}
		} else {
			s.log.Debug("semantic similar failed; using keywords", "id", id, "err", err)
		}
	}
	if len(ids) == 0 {
		if !s.Ready() {
			return nil, ErrNotReady
		}
		ps, err := s.store.PapersByID(ctx, []string{id})
		if err != nil {
			return nil, fmt.Errorf("similar to %s: %w", id, err)
		}
		if len(ps) == 0 {
			return nil, fmt.Errorf("similar to %s: %w", id, paper.ErrNotFound)
		}
		ids = s.moreLikeThis(&ps[0], k)
	}
	papers, err := s.store.PapersByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("similar to %s: %w", id, err)
	}
	return papers, nil
}

// moreLikeThis ranks papers by the 25 rarest words of p's title and abstract
// (the title's counting double), excluding p itself.
func (s *Service) moreLikeThis(p *paper.Paper, k int) []string {
	weight := map[string]float64{}
	for _, w := range keyword.Terms(p.Title) {
		weight[w] += 2
	}
	for _, w := range keyword.Terms(p.Abstract) {
		weight[w]++
	}
	type tw struct {
		t string
		v float64
	}
	var terms []tw
	n := float64(max(s.ix.Len(), 1))
	for t, c := range weight {
		df := s.ix.DF(keyword.Term{Text: t})
		if df <= 1 {
			continue // only this paper has it
		}
		terms = append(terms, tw{t, c * logIDF(n, float64(df))})
	}
	sortDesc(terms, func(x tw) float64 { return x.v })
	var q keyword.Query
	for i, t := range terms {
		if i == 25 {
			break
		}
		q.Terms = append(q.Terms, keyword.Term{Text: t.t, Weight: 1})
	}
	q.Accept = func(id string) bool { return id != p.ID }
	r := s.ix.Search(q, k)
	ids := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		ids[i] = h.ID
	}
	return ids
}

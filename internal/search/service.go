// Package search answers Paperboy's searches: keyword (an in-memory BM25
// index with pruning, package keyword), semantic (package semantic, through
// the Semantic interface) and hybrid, which fuses the two. It keeps its index
// in step with the store by polling the store's change sequence.
package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/search/keyword"
)

// Store is what search reads from the paper store (*sqlite.Store has it).
type Store interface {
	PapersChangedSince(ctx context.Context, seq int64, limit int) ([]paper.Paper, int64, error)
	PapersByID(ctx context.Context, ids []string) ([]paper.Paper, error)
}

// Semantic is the meaning-based engine (*semantic.Engine).
type Semantic interface {
	// Sync embeds and indexes new or changed papers.
	Sync(ctx context.Context, papers []paper.Paper) error
	// Load reads stored vectors at startup and embeds missing ones.
	Load(ctx context.Context) error
	Search(ctx context.Context, query string, k int) ([]SemHit, error)
	Similar(ctx context.Context, id string, k int) ([]SemHit, error)
}

// Mode chooses the engines a search uses.
type Mode string

const (
	ModeHybrid   Mode = "hybrid"
	ModeKeyword  Mode = "keyword"
	ModeSemantic Mode = "semantic"
)

// Modes in the order the UI shows them.
var Modes = []Mode{ModeHybrid, ModeKeyword, ModeSemantic}

// ParseMode accepts "", "hybrid", "keyword" and "semantic" ("" is hybrid).
func ParseMode(s string) (Mode, error) {
	switch Mode(strings.ToLower(strings.TrimSpace(s))) {
	case "", ModeHybrid:
		return ModeHybrid, nil
	case ModeKeyword:
		return ModeKeyword, nil
	case ModeSemantic:
		return ModeSemantic, nil
	}
	return "", fmt.Errorf("%w: unknown search mode %q (use hybrid, keyword or semantic)", paper.ErrInvalid, s)
}

// Limits of paging.
const (
	DefaultLimit = 20
	MaxLimit     = 120  // as Hugging Face's search API
	MaxResults   = 1000 // results reachable by paging; deeper pages are empty
)

// ErrNotReady is returned while the first index build runs.
var ErrNotReady = errors.New("the search index is still being built")

// Options tune a Service. The zero value gives the defaults.
type Options struct {
	Logger       *slog.Logger
	PollInterval time.Duration // how often to look for changed papers; default 5s
	BatchSize    int           // papers read per store call; default 2000
	Params       keyword.Params
	Fusion       Fusion
	// Expansion is the weight of WordNet-related words added to a query's
	// words; 0 (the default) is off. See expand.go for what was measured.
	Expansion float64
}

// Service runs searches. Create it with New, then Build (or Start).
type Service struct {
	store Store
	sem   Semantic
	opts  Options
	log   *slog.Logger
	ix    *keyword.Index

	refresh  sync.Mutex // one catch-up at a time
	seq      int64      // store sequence the index has caught up to
	ready    atomic.Bool
	progress atomic.Int64 // papers indexed during the first build

	buildTime time.Duration
	semBroken atomic.Bool // the semantic engine failed to load: keyword search only
}

// semantic is the engine to use, nil when there is none or it failed to load.
func (s *Service) semantic() Semantic {
	if s.sem == nil || s.semBroken.Load() {
		return nil
	}
	return s.sem
}

// New returns a Service over store; sem may be nil (keyword search only).
func New(store Store, sem Semantic, opts Options) *Service {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = 5 * time.Second
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 2000
	}
	if opts.Params == (keyword.Params{}) {
		opts.Params = keyword.DefaultParams()
	}
	if opts.Fusion == (Fusion{}) {
		opts.Fusion = DefaultFusion()
	}
	return &Service{store: store, sem: sem, opts: opts, log: opts.Logger, ix: keyword.New(opts.Params)}
}

// HasSemantic reports whether semantic and hybrid modes are available.
func (s *Service) HasSemantic() bool { return s.semantic() != nil }

// Ready reports whether the first build has finished.
func (s *Service) Ready() bool { return s.ready.Load() }

// Progress is the number of papers indexed so far (for a "building" message).
func (s *Service) Progress() int64 { return s.progress.Load() }

// Start builds the index in the background and then keeps it up to date
// until ctx ends. Searches before the build ends get ErrNotReady.
func (s *Service) Start(ctx context.Context) {
	go func() {
		if err := s.Build(ctx); err != nil {
			if ctx.Err() == nil {
				s.log.Error("search index build failed", "err", err)
			}
			return
		}
		t := time.NewTicker(s.opts.PollInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if _, err := s.Refresh(ctx); err != nil && ctx.Err() == nil {
					s.log.Warn("search index refresh", "err", err)
				}
			}
		}
	}()
}

// Build reads every stored paper into the keyword index and loads the
// semantic engine, logging progress. It is what Start does first; tests,
// eval and benchmarks call it directly.
func (s *Service) Build(ctx context.Context) error {
	start := time.Now()
	s.log.Info("search index: building")
	last := time.Now()
	n, err := s.catchUp(ctx, false, func(total int) {
		s.progress.Store(int64(total))
		if time.Since(last) > 5*time.Second {
			last = time.Now()
			rate := float64(total) / time.Since(start).Seconds()
			s.log.Info("search index: building", "papers", total, "per_second", int(rate))
		}
	})
	if err != nil {
		return fmt.Errorf("build search index: %w", err)
	}
	s.ix.Flush()
	s.ix.Compact()
	st := s.ix.Stats()
	s.buildTime = time.Since(start)
	s.log.Info("search index: keyword index built", "papers", n, "terms", st.Terms, "postings", st.Postings,
		"mb", st.Bytes>>20, "took", s.buildTime.Round(time.Millisecond))
	if s.sem != nil {
		t0 := time.Now()
		if err := s.sem.Load(ctx); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			// Keyword search still works: serve it rather than nothing.
			s.semBroken.Store(true)
			s.log.Error("search: semantic engine failed to load; serving keyword search only", "err", err)
		} else {
			s.log.Info("search index: semantic index loaded", "took", time.Since(t0).Round(time.Millisecond))
		}
	}
	s.ready.Store(true)
	return nil
}

// Refresh indexes the papers stored or changed since the last look and
// returns how many. The semantic engine gets the same papers.
func (s *Service) Refresh(ctx context.Context) (int, error) {
	n, err := s.catchUp(ctx, true, nil)
	if err == nil {
		s.ix.Flush() // a store that held fewer papers than the averages need
	}
	return n, err
}

func (s *Service) catchUp(ctx context.Context, syncSemantic bool, progress func(int)) (int, error) {
	s.refresh.Lock()
	defer s.refresh.Unlock()
	total := 0
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		papers, next, err := s.store.PapersChangedSince(ctx, s.seq, s.opts.BatchSize)
		if err != nil {
			return total, err
		}
		if len(papers) == 0 {
			return total, nil
		}
		docs := make([]keyword.Doc, len(papers))
		for i := range papers {
			docs[i] = docOf(&papers[i])
		}
		s.ix.Add(docs)
		if sem := s.semantic(); syncSemantic && sem != nil {
			if err := sem.Sync(ctx, papers); err != nil {
				return total, fmt.Errorf("semantic sync: %w", err)
			}
		}
		s.seq = next
		total += len(papers)
		if progress != nil {
			progress(total)
		}
		if len(papers) < s.opts.BatchSize {
			return total, nil
		}
	}
}

func docOf(p *paper.Paper) keyword.Doc {
	return keyword.Doc{ID: p.ID, Title: p.Title, Abstract: p.Abstract, Authors: p.Authors, Categories: p.Categories, Day: p.Day()}
}

// IndexStats describes the keyword index and its build.
type IndexStats struct {
	keyword.Stats
	BuildTime time.Duration
}

// Stats of the keyword index.
func (s *Service) Stats() IndexStats {
	return IndexStats{Stats: s.ix.Stats(), BuildTime: s.buildTime}
}

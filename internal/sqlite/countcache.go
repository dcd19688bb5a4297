package sqlite

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// countCache keeps feed counts (papers per filter, papers per day of a
// calendar month), which cost milliseconds at a million papers and change only
// when papers are written. Every write raises papers.seq, so max(seq), one
// index lookup, tells whether a cached count still holds, also when another
// process (an import) wrote. Votes and comments change no count.
type countCache struct {
	mu   sync.Mutex
	seq  int64
	vals map[string]any
}

// maxCached bounds the cache; it starts over when full.
const maxCached = 4096

func (s *Store) cachedCount(ctx context.Context, key string, compute func() (any, error)) (any, error) {
	var seq int64
	if err := s.reader.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM papers`).Scan(&seq); err != nil {
		return nil, fmt.Errorf("change sequence: %w", err)
	}
	c := &s.counts
	c.mu.Lock()
	if c.vals == nil || c.seq != seq || len(c.vals) >= maxCached {
		c.seq, c.vals = seq, map[string]any{}
	}
	v, ok := c.vals[key]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := compute()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.seq == seq {
		c.vals[key] = v
	}
	c.mu.Unlock()
	return v, nil
}

func cacheKey(parts ...any) string {
	var b strings.Builder
	for _, p := range parts {
		fmt.Fprintf(&b, "%v\x00", p)
	}
	return b.String()
}

// trendingTTL is how long a trending order is reused.
const trendingTTL = time.Minute

// orderCache keeps recent trending orders (ids of a page) for trendingTTL.
type orderCache struct {
	mu   sync.Mutex
	vals map[string]cachedOrder
}

type cachedOrder struct {
	ids     []string
	expires time.Time
}

func (c *orderCache) get(key string, now time.Time, compute func() ([]string, error)) ([]string, error) {
	c.mu.Lock()
	v, ok := c.vals[key]
	c.mu.Unlock()
	if ok && now.Before(v.expires) {
		return v.ids, nil
	}
	ids, err := compute()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.vals == nil || len(c.vals) >= maxCached {
		c.vals = map[string]cachedOrder{}
	}
	c.vals[key] = cachedOrder{ids, now.Add(trendingTTL)}
	c.mu.Unlock()
	return ids, nil
}

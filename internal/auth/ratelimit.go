package auth

import (
	"math"
	"sync"
	"time"
)

// Limiter allows Burst events at once per key and refills at Every, a token
// bucket per key. Keys are strings such as "login:ip:203.0.113.9" or
// "vote:user:42". It lives in memory: Paperboy is one process, and losing the
// buckets on restart only forgives a little.
type Limiter struct {
	Burst int
	Every time.Duration
	Now   func() time.Time // for tests; time.Now when nil

	mu      sync.Mutex
	buckets map[string]*bucket
	sweep   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewLimiter allows burst events, then one per every.
func NewLimiter(burst int, every time.Duration) *Limiter {
	return &Limiter{Burst: burst, Every: every}
}

func (l *Limiter) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Allow takes a token for key. When none is left it returns false and how
// long until one is (for a Retry-After header).
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buckets == nil {
		l.buckets = make(map[string]*bucket)
	}
	l.maybeSweep(now)
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: float64(l.Burst), last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(float64(l.Burst), b.tokens+float64(now.Sub(b.last))/float64(l.Every))
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) * float64(l.Every))
	return false, wait
}

// maybeSweep drops full buckets now and then so the map does not grow without
// bound under a scan of many addresses.
func (l *Limiter) maybeSweep(now time.Time) {
	if now.Sub(l.sweep) < time.Minute && len(l.buckets) < 100_000 {
		return
	}
	l.sweep = now
	full := time.Duration(l.Burst) * l.Every
	for k, b := range l.buckets {
		if now.Sub(b.last) > full {
			delete(l.buckets, k)
		}
	}
}

// Backoff locks a key out after repeated failures, for a time that doubles
// with each further failure: 5 failures are free, then 1 s, 2 s, 4 s … up to
// Max. A success resets it. Used for logins per account and per address.
type Backoff struct {
	Free int           // failures allowed before any wait
	Base time.Duration // first wait
	Max  time.Duration // longest wait
	Now  func() time.Time

	mu    sync.Mutex
	state map[string]*failures
}

type failures struct {
	n     int
	until time.Time
	last  time.Time
}

// NewBackoff returns the login backoff: 5 free failures, then 1 s doubling to 15 min.
func NewBackoff() *Backoff {
	return &Backoff{Free: 5, Base: time.Second, Max: 15 * time.Minute}
}

func (b *Backoff) now() time.Time {
	if b.Now != nil {
		return b.Now()
	}
	return time.Now()
}

// Wait reports how long key must still wait before its next attempt (0: go).
func (b *Backoff) Wait(key string) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	f := b.state[key]
	if f == nil {
		return 0
	}
	if d := f.until.Sub(b.now()); d > 0 {
		return d
	}
	return 0
}

// Fail records a failure for key.
func (b *Backoff) Fail(key string) {
	now := b.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state == nil {
		b.state = make(map[string]*failures)
	}
	if len(b.state) > 100_000 { // forget stale entries under a flood
		for k, f := range b.state {
			if now.Sub(f.last) > b.Max {
				delete(b.state, k)
			}
		}
	}
	f := b.state[key]
	if f == nil || now.Sub(f.last) > 24*time.Hour {
		f = &failures{}
		b.state[key] = f
	}
	f.n++
	f.last = now
	if over := f.n - b.Free; over > 0 {
		d := b.Base << min(over-1, 30)
		if d > b.Max || d <= 0 {
			d = b.Max
		}
		f.until = now.Add(d)
	}
}

// Succeed forgets key's failures.
func (b *Backoff) Succeed(key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.state, key)
}

package auth

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPasswordHash(t *testing.T) {
	ctx := context.Background()
	h, err := HashPassword(ctx, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(h, "correct horse") {
		t.Errorf("hash %q", h)
	}
	h2, _ := HashPassword(ctx, "correct horse")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt?")
	}
	if err := CheckPassword(ctx, "correct horse", h); err != nil {
		t.Errorf("right password: %v", err)
	}
	for _, wrong := range []string{"correct horse ", "Correct horse", ""} {
		if err := CheckPassword(ctx, wrong, h); !errors.Is(err, ErrPasswordMismatch) {
			t.Errorf("CheckPassword(%q) = %v", wrong, err)
		}
	}
	for _, bad := range []string{"", "$2a$10$abc", "$argon2id$v=19$m=0,t=2,p=1$c2FsdA$aGFzaA", "$argon2id$v=16$m=19456,t=2,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=19456,t=2,p=1$!!$aGFzaA"} {
		if err := CheckPassword(ctx, "x", bad); err == nil || errors.Is(err, ErrPasswordMismatch) {
			t.Errorf("CheckPassword on %q = %v, want a format error", bad, err)
		}
	}
}

func TestHashSemaphoreHonoursContext(t *testing.T) {
	// Fill every slot, then a hash must give up when its context ends.
	for range cap(hashSlots) {
		hashSlots <- struct{}{}
	}
	defer func() {
		for range cap(hashSlots) {
			<-hashSlots
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := HashPassword(ctx, "x"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("HashPassword with no free slot: %v", err)
	}
}

func TestTokens(t *testing.T) {
	a, ha := NewToken()
	b, hb := NewToken()
	if a == b || ha == hb || len(a) != 43 || HashToken(a) != ha || strings.Contains(ha, a) {
		t.Errorf("tokens %q %q hashes %q %q", a, b, ha, hb)
	}
}

func TestLimiter(t *testing.T) {
	now := time.Unix(1000, 0)
	l := &Limiter{Burst: 3, Every: 10 * time.Second, Now: func() time.Time { return now }}
	for i := range 3 {
		if ok, _ := l.Allow("k"); !ok {
			t.Fatalf("call %d refused", i+1)
		}
	}
	ok, wait := l.Allow("k")
	if ok || wait != 10*time.Second {
		t.Errorf("4th call: ok=%v wait=%v, want refused for 10s", ok, wait)
	}
	if ok, _ := l.Allow("other"); !ok {
		t.Error("keys share a bucket")
	}
	now = now.Add(5 * time.Second)
	if ok, wait := l.Allow("k"); ok || wait != 5*time.Second {
		t.Errorf("after 5s: ok=%v wait=%v", ok, wait)
	}
	now = now.Add(5 * time.Second)
	if ok, _ := l.Allow("k"); !ok {
		t.Error("after refill: refused")
	}
	var nilLimiter *Limiter
	if ok, _ := nilLimiter.Allow("k"); !ok {
		t.Error("nil limiter refused")
	}
}

func TestLimiterConcurrent(t *testing.T) {
	l := NewLimiter(100, time.Hour)
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				if ok, _ := l.Allow("k"); ok {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if allowed != 100 {
		t.Errorf("allowed %d of 500, want exactly 100", allowed)
	}
}

func TestBackoff(t *testing.T) {
	now := time.Unix(1000, 0)
	b := &Backoff{Free: 2, Base: time.Second, Max: 4 * time.Second, Now: func() time.Time { return now }}
	b.Fail("k")
	b.Fail("k")
	if w := b.Wait("k"); w != 0 {
		t.Errorf("after free failures: wait %v", w)
	}
	for i, want := range []time.Duration{1, 2, 4, 4} {
		b.Fail("k")
		if w := b.Wait("k"); w != want*time.Second {
			t.Errorf("failure %d: wait %v, want %v", i+3, w, want*time.Second)
		}
	}
	now = now.Add(4 * time.Second)
	if w := b.Wait("k"); w != 0 {
		t.Errorf("after waiting: %v", w)
	}
	b.Fail("k")
	b.Succeed("k")
	if w := b.Wait("k"); w != 0 {
		t.Errorf("after success: %v", w)
	}
}

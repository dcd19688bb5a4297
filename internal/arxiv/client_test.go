package arxiv

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
)

// fakeAPI answers like export.arxiv.org/api/query, from the Atom fixtures.
type fakeAPI struct {
	mu       sync.Mutex
	requests []*http.Request
	times    []time.Time
	inFlight atomic.Int32
	overlap  atomic.Bool
	answer   func(w http.ResponseWriter, r *http.Request)
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.inFlight.Add(1) > 1 {
		f.overlap.Store(true)
	}
	defer f.inFlight.Add(-1)
	f.mu.Lock()
	f.requests = append(f.requests, r)
	f.times = append(f.times, time.Now())
	f.mu.Unlock()
	f.answer(w, r)
}

func serveFile(name string, status int) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			panic(err)
		}
		w.Header().Set("Content-Type", "application/atom+xml; charset=UTF-8")
		w.WriteHeader(status)
		w.Write(b)
	}
}

func newTestClient(t *testing.T, answer func(http.ResponseWriter, *http.Request)) (*Client, *fakeAPI) {
	api := &fakeAPI{answer: answer}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return &Client{BaseURL: srv.URL + "/api/query", MinInterval: -1, UserAgent: "paperboy-test"}, api
}

func TestClientFetch(t *testing.T) {
	c, api := newTestClient(t, serveFile("api-query.atom", http.StatusOK))
	papers, err := c.Fetch(context.Background(), "hep-ex/0307015", "arXiv:2405.15738", "https://arxiv.org/abs/2309.11056v1")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range papers {
		ids = append(ids, p.VersionedID())
	}
	if strings.Join(ids, " ") != "hep-ex/0307015v1 2405.15738v2 2309.11056v1" {
		t.Errorf("got %v, want the order asked", ids)
	}
	if papers[1].Title != "ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models" {
		t.Errorf("title %q", papers[1].Title)
	}
	r := api.requests[0]
	if got := r.URL.Query().Get("id_list"); got != "hep-ex/0307015,2405.15738,2309.11056v1" {
		t.Errorf("id_list=%q", got)
	}
	if r.URL.Query().Get("max_results") != "3" || r.URL.Path != "/api/query" || r.Header.Get("User-Agent") != "paperboy-test" {
		t.Errorf("request %s with User-Agent %q", r.URL, r.Header.Get("User-Agent"))
	}
}

func TestClientErrors(t *testing.T) {
	slow := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}
	for _, test := range []struct {
		name     string
		answer   func(http.ResponseWriter, *http.Request)
		id       string
		sentinel error
		msg      string
	}{
		{"empty feed", serveFile("api-empty.atom", http.StatusOK), "2309.99999", paper.ErrNotFound, "arXiv has no paper 2309.99999"},
		{"asked one, got another", serveFile("api-one.atom", http.StatusOK), "2405.15738", paper.ErrNotFound, "2405.15738"},
		{"error entry", serveFile("api-error.atom", http.StatusBadRequest), "2309.11056", paper.ErrInvalid, "incorrect id format"},
		{"unknown id error entry", func(w http.ResponseWriter, r *http.Request) {
			b, _ := os.ReadFile("testdata/api-error.atom")
			w.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(string(b), "incorrect_id_format_for_1234.12345", "id_not_found_2309.99999"), "incorrect id format for 1234.12345", "id not found")))
		}, "2309.99999", paper.ErrNotFound, "arXiv has no paper 2309.99999"},
		{"unavailable", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
		}, "2309.11056", ErrUnavailable, "arXiv is unavailable: HTTP 503"},
		{"rate limited", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "slow down", http.StatusTooManyRequests)
		}, "2309.11056", ErrUnavailable, "429"},
		{"not Atom", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<html><body>maintenance</body></html>"))
		}, "2309.11056", ErrUnavailable, "unreadable answer"},
		{"timeout", slow, "2309.11056", ErrUnavailable, "arXiv is unavailable"},
	} {
		t.Run(test.name, func(t *testing.T) {
			c, _ := newTestClient(t, test.answer)
			c.HTTPClient = &http.Client{Timeout: 200 * time.Millisecond}
			_, err := c.Fetch(context.Background(), test.id)
			if !errors.Is(err, test.sentinel) || !strings.Contains(err.Error(), test.msg) {
				t.Errorf("error %v, want %v containing %q", err, test.sentinel, test.msg)
			}
		})
	}

	// A malformed id never reaches arXiv.
	c, api := newTestClient(t, serveFile("api-error.atom", http.StatusBadRequest))
	if _, err := c.Fetch(context.Background(), "1234.12345"); !errors.Is(err, paper.ErrInvalid) {
		t.Errorf("malformed id: %v", err)
	}
	if len(api.requests) != 0 {
		t.Errorf("%d requests for a malformed id", len(api.requests))
	}
}

// TestClientRateLimit checks arXiv's terms: one request at a time, at least
// MinInterval apart, also when callers run concurrently.
func TestClientRateLimit(t *testing.T) {
	c, api := newTestClient(t, serveFile("api-one.atom", http.StatusOK))
	c.MinInterval = 150 * time.Millisecond
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := c.Fetch(context.Background(), "2309.11056"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if api.overlap.Load() {
		t.Error("two requests were in flight at once")
	}
	if len(api.times) != 4 {
		t.Fatalf("%d requests, want 4", len(api.times))
	}
	for i := 1; i < len(api.times); i++ {
		if gap := api.times[i].Sub(api.times[i-1]); gap < c.MinInterval {
			t.Errorf("requests %d and %d only %v apart", i-1, i, gap)
		}
	}

	// Waiting for the interval gives way to a cancelled context.
	c.MinInterval = time.Hour
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := c.Fetch(ctx, "2309.11056"); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Errorf("cancelled wait: %v after %v", err, time.Since(start))
	}
}

func TestClientManyIDs(t *testing.T) {
	// More ids than fit in one request are asked in several, each rate limited.
	c, api := newTestClient(t, serveFile("api-empty.atom", http.StatusOK))
	ids := make([]string, 150)
	for i := range ids {
		ids[i] = fmt.Sprintf("2505.%05d", i+1)
	}
	_, err := c.Fetch(context.Background(), ids...)
	if !errors.Is(err, paper.ErrNotFound) {
		t.Errorf("error %v", err)
	}
	if len(api.requests) != 2 {
		t.Errorf("%d requests for 150 ids, want 2", len(api.requests))
	}
}

package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/search"
)

// searchServer is a server over the test papers with a real search service.
func searchServer(t *testing.T) *testServer {
	t.Helper()
	st := openStore(t, testPapers(t))
	svc := search.New(st, nil, search.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := svc.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	s, err := New(Config{Store: st, Search: svc, Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		BaseURL: "https://papers.example.org/", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	return &testServer{Server: s, logs: &logs}
}

func init() {
	pageSamples["search"] = func(t *testing.T, ts *testServer, r *http.Request) page {
		p, _ := ts.store.Paper(r.Context(), "2405.15738")
		pg := &SearchPage{Base: ts.newBase(r, "Search"), Searched: true, Total: 1, Took: "1 ms", Mode: search.ModeHybrid,
			Modes: modeTabs(nil, search.ModeHybrid), Notes: []string{"note"}, Pages: paginate("/search", feedRequest{page: 1}, 1, 20)}
		pg.Hits = []Card{{Paper: p, Page: &pg.Base, HighlightTitle: "<mark>ConvLLaVA</mark>", HighlightAbstract: "text", Similar: true}}
		return pg
	}
	pageSamples["search-similar"] = func(t *testing.T, ts *testServer, r *http.Request) page {
		p, _ := ts.store.Paper(r.Context(), "2405.15738")
		return &SimilarPage{Base: ts.newBase(r, "Similar"), Paper: p}
	}
}

func TestSearchPage(t *testing.T) {
	ts := searchServer(t)
	tests := []struct {
		target        string
		status        int
		want, notWant []string
		location      string
	}{
		{target: "/search", status: 200, want: []string{"What are you looking for?", `aria-current="page"`}},
		{target: "/search?q=hierarchical+backbones+visual+encoder", status: 200,
			want: []string{"<mark>Hierarchical</mark> <mark>Backbones</mark>", "ConvLLaVA", "result", " ms", `href="/papers/2405.15738"`, "/papers/2405.15738/similar"}},
		{target: "/search?q=%22visual+encoder%22&mode=keyword", status: 200, want: []string{"<mark>Visual</mark> <mark>Encoder</mark>"}},
		{target: "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", status: 200, want: []string{"&lt;script&gt;"}, notWant: []string{"<script>alert"}},
		{target: "/search?q=2405.15738v2", status: 302, location: "/papers/2405.15738"},
		{target: "/search?q=https%3A%2F%2Farxiv.org%2Fabs%2F2405.15738", status: 302, location: "/papers/2405.15738"},
		{target: "/search?q=transformers&mode=fuzzy", status: 400, want: []string{"Unknown search mode"}},
		{target: "/search?q=transformers&p=0", status: 400},
		{target: "/search?q=transformers&from=2024-13-01", status: 400, want: []string{"not a date"}},
		{target: "/search?q=transformers&from=2024-06-01&to=2024-05-01", status: 400},
		{target: "/search?q=transformers&p=99", status: 200, want: []string{"Nothing on page 99"}},
		{target: "/search?q=-", status: 200, want: []string{"Ignored"}},
		{target: "/search?q=" + strings.Repeat("x", 3000), status: 200, want: []string{"512 bytes"}},
		{target: "/search?q=zzzqqqxxyy", status: 200, want: []string{"No papers match"}},
		{target: "/papers/2405.15738/similar", status: 200, want: []string{"Papers like", `class="card"`}, notWant: []string{`id="paper-2405-15738"`}},
		{target: "/papers/2405.15738v1/similar", status: 301, location: "/papers/2405.15738/similar"},
		{target: "/papers/2101.99999/similar", status: 404},
		{target: "/papers/nonsense/similar", status: 404},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := ts.get(t, tt.target)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body.String())
			}
			if tt.location != "" && rec.Header().Get("Location") != tt.location {
				t.Errorf("location %q", rec.Header().Get("Location"))
			}
			checkBody(t, tt.target, rec.Body.String(), tt.want, tt.notWant)
		})
	}
}

func TestPaperPageSimilar(t *testing.T) {
	ts := searchServer(t)
	rec := ts.get(t, "/papers/2405.15738")
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	checkBody(t, "paper page", rec.Body.String(), []string{"Similar papers"}, nil)

	// Without a search service the paper page still works, without the section.
	plain := newTestServer(t, openStore(t, testPapers(t)))
	rec = plain.get(t, "/papers/2405.15738")
	checkBody(t, "paper page without search", rec.Body.String(), nil, []string{"Similar papers"})
	if rec := plain.get(t, "/search?q=x"); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("search without a service: %d", rec.Code)
	}
}

func TestSearchWhileBuilding(t *testing.T) {
	st := openStore(t, testPapers(t))
	svc := search.New(st, nil, search.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	var logs bytes.Buffer
	s, err := New(Config{Store: st, Search: svc, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/search?q=transformers", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "still being built") {
		t.Errorf("%d %s", rec.Code, rec.Body.String())
	}
	// The paper page does not wait for the index.
	rec = httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/papers/2405.15738", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("paper page while building: %d", rec.Code)
	}
}

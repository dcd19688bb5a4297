package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// Pages rendered end to end against the real SQLite store holding the test
// papers: go test -run '^$' -bench . -benchmem ./internal/web
func BenchmarkPages(b *testing.B) {
	s, err := New(Config{Store: openStore(b, testPapers(b)), Now: func() time.Time { return testNow }})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler() // logs are discarded: the benchmark measures the pages
	for _, path := range []string{"/", "/papers/week/2024-W22", "/papers/month/2024-05?p=2", "/papers/0704.0001", "/static/style.css"} {
		b.Run(path, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: %d", path, rec.Code)
				}
			}
		})
	}
}

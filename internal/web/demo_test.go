package web

import (
	"context"
	"github.com/paperboy/paperboy/internal/benchdata"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/sqlite"
)

// TestDemoServer serves the real Daily Papers data for looking at the pages
// in a browser (screenshots for the README). It runs only when asked:
//
//	PAPERBOY_WEB_DEMO=127.0.0.1:8089 go test -run TestDemoServer -timeout 0 ./internal/web
func TestDemoServer(t *testing.T) {
	addr := os.Getenv("PAPERBOY_WEB_DEMO")
	if addr == "" {
		t.Skip("set PAPERBOY_WEB_DEMO=host:port to serve the demo")
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, f := range []string{"hf-daily-papers.jsonl", "arxiv-listing-2023-09-21.jsonl"} {
		ps := readPapers(t, filepath.Join(sharedData(t), f))
		for i := 0; i < len(ps); i += 1000 {
			if _, err := st.UpsertPapers(ctx, ps[i:min(i+1000, len(ps))]); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, p := range testPapers(t)[65:] { // 0704.0001 and math/9901016
		if _, err := st.UpsertPapers(ctx, []paper.Paper{p}); err != nil {
			t.Fatal(err)
		}
	}
	s, err := New(Config{Store: st, Logger: slog.New(slog.NewTextHandler(os.Stderr, nil)),
		Now: func() time.Time { return time.Date(2026, 8, 21, 12, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("serving on http://%s", addr)
	t.Fatal(NewHTTPServer(addr, s.Handler()).ListenAndServe())
}

// sharedData is ../shared/data beside the repository; without it the test skips.
func sharedData(t testing.TB) string {
	t.Helper()
	d, err := benchdata.FindDataDir()
	if err != nil {
		t.Skip(err)
	}
	return d
}

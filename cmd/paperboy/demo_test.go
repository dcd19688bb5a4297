package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paperboy/paperboy/internal/api"
	"github.com/paperboy/paperboy/internal/sqlite"
	"github.com/paperboy/paperboy/internal/web"
)

// The demo database holds the bundled real papers, its home page shows the
// latest day with papers, and trending has the seeded votes.
func TestCreateDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 14,098 papers")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	logger := slog.New(slog.DiscardHandler)
	if err := createDemo(ctx, path, logger, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	store, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if n, _ := store.CountPapers(ctx); n != 14098 {
		t.Errorf("demo has %d papers, want 14098", n)
	}
	apiSrv := api.New(api.Config{Store: store})
	site, err := web.New(web.Config{Store: store, Logger: logger, API: apiSrv})
	if err != nil {
		t.Fatal(err)
	}
	h := routes(site.Handler(), apiSrv)
	for path, want := range map[string]string{
		"/":                         "Aug 21, 2026", // the last Daily Papers list in the bundle
		"/papers/date/2024-05-27":   "ConvLLaVA",
		"/api/daily_papers?limit=1": `"submittedOnDailyAt":"2026-08-21T00:00:00.000Z"`,
		"/papers/2405.15738.md":     "# ConvLLaVA",
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("GET %s: %d, want %q in the body", path, rec.Code, want)
		}
	}
}

package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/sqlite"
)

func day(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}

// Real papers from the Daily Papers lists of 2024-05-27 and 2024-05-28.
func testServer(t *testing.T) *Server {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ps := []paper.Paper{
		{ID: "2405.15738", Title: "ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models",
			Authors: []string{"Chunjiang Ge", "Sijie Cheng"}, Abstract: "High-resolution Large Multimodal Models (LMMs) encounter the challenges of excessive visual tokens. Code: https://github.com/alibaba/conv-llava.",
			Published: day("2024-05-24"), DailyDate: day("2024-05-27"), SourceUpvotes: 32},
		{ID: "2405.15574", Title: "Meteor: Mamba-based Traversal of Rationale for Large Language and Vision Models",
			Authors: []string{"Byung-Kwan Lee", "Chae Won Kim"}, Abstract: "The rapid development of large language and vision models.",
			Published: day("2024-05-24"), DailyDate: day("2024-05-27"), SourceUpvotes: 50},
		{ID: "2405.17247", Title: "An Introduction to Vision-Language Modeling",
			Authors: []string{"Florian Bordes"}, Abstract: "Following the recent popularity of Large Language Models.",
			Published: day("2024-05-27"), DailyDate: day("2024-05-28"), SourceUpvotes: 87},
	}
	for i := range ps {
		ps[i].Normalize()
	}
	if _, err := st.UpsertPapers(ctx, ps); err != nil {
		t.Fatal(err)
	}
	return New(Config{Store: st, Search: func(ctx context.Context, q, mode string, limit int) ([]paper.Paper, error) {
		return st.PapersByID(ctx, []string{"2405.17247"})
	}})
}

func get(t *testing.T, s *Server, url string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", url, nil))
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: content type %q", url, ct)
	}
	return rec.Code, rec.Body.String()
}

func TestDailyPapers(t *testing.T) {
	s := testServer(t)
	for _, test := range []struct {
		url    string
		status int
		ids    []string
	}{
		{"/api/daily_papers", 200, []string{"2405.17247"}}, // latest day
		{"/api/daily_papers?date=2024-05-27", 200, []string{"2405.15574", "2405.15738"}},
		{"/api/daily_papers?date=2024-05-27&limit=1&p=1", 200, []string{"2405.15738"}},
		{"/api/daily_papers?date=2024-05-27&limit=1&p=5", 200, []string{}},
		{"/api/daily_papers?week=2024-W22&sort=publishedAt", 200, []string{"2405.17247", "2405.15738", "2405.15574"}}, // ties: newer id first
		{"/api/daily_papers?month=2024-05&sort=trending", 200, nil},
		{"/api/daily_papers?date=2024-05-32", 400, nil},
		{"/api/daily_papers?week=2024-22", 400, nil},
		{"/api/daily_papers?date=2024-05-27&week=2024-W22", 400, nil},
		{"/api/daily_papers?limit=0", 400, nil},
		{"/api/daily_papers?limit=101", 400, nil},
		{"/api/daily_papers?sort=random", 400, nil},
		{"/api/daily_papers?p=-1", 400, nil},
	} {
		code, body := get(t, s, test.url)
		if code != test.status {
			t.Errorf("%s: status %d, want %d: %s", test.url, code, test.status, body)
			continue
		}
		if code != 200 {
			var e map[string]string
			if json.Unmarshal([]byte(body), &e) != nil || e["error"] == "" {
				t.Errorf("%s: error body %q", test.url, body)
			}
			continue
		}
		var items []map[string]any
		if err := json.Unmarshal([]byte(body), &items); err != nil {
			t.Fatalf("%s: not an array: %v", test.url, err)
		}
		if test.ids != nil {
			var got []string
			for _, it := range items {
				got = append(got, it["paper"].(map[string]any)["id"].(string))
			}
			if strings.Join(got, ",") != strings.Join(test.ids, ",") {
				t.Errorf("%s: ids %v, want %v", test.url, got, test.ids)
			}
		}
		for _, it := range items {
			p := it["paper"].(map[string]any)
			if it["title"] == "" || it["numComments"] == nil || p["upvotes"] == nil || len(p["authors"].([]any)) == 0 ||
				p["authors"].([]any)[0].(map[string]any)["name"] == "" {
				t.Errorf("%s: item lacks HF fields: %v", test.url, it)
			}
			for _, ts := range []any{it["publishedAt"], p["publishedAt"]} {
				if s, _ := ts.(string); !strings.HasSuffix(s, ".000Z") {
					t.Errorf("%s: datetime %v is not UTC with Z", test.url, ts)
				}
			}
		}
	}
}

func TestPaperInfo(t *testing.T) {
	s := testServer(t)
	code, body := get(t, s, "/api/papers/2405.15738v1")
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	var p map[string]any
	json.Unmarshal([]byte(body), &p)
	if p["id"] != "2405.15738" || p["upvotes"] != 32.0 || p["githubRepo"] != "https://github.com/alibaba/conv-llava" ||
		p["publishedAt"] != "2024-05-24T00:00:00.000Z" || p["submittedOnDailyAt"] != "2024-05-27T00:00:00.000Z" {
		t.Errorf("paper = %v", p)
	}
	for _, url := range []string{"/api/papers/2405.99999", "/api/papers/not-an-id", "/api/nothing"} {
		if code, _ := get(t, s, url); code != 404 {
			t.Errorf("%s: status %d, want 404", url, code)
		}
	}
}

func TestSearch(t *testing.T) {
	s := testServer(t)
	code, body := get(t, s, "/api/papers/search?q=vision+language&limit=5")
	var items []struct{ Paper struct{ ID string } }
	if code != 200 || json.Unmarshal([]byte(body), &items) != nil || len(items) != 1 || items[0].Paper.ID != "2405.17247" {
		t.Errorf("search: %d %s", code, body)
	}
	for _, url := range []string{"/api/papers/search", "/api/papers/search?q=x&limit=121", "/api/papers/search?q=x&mode=magic"} {
		if code, _ := get(t, s, url); code != 400 {
			t.Errorf("%s: status %d, want 400", url, code)
		}
	}
}

func TestMarkdown(t *testing.T) {
	s := testServer(t)
	rec := httptest.NewRecorder()
	s.ServeMarkdown(rec, httptest.NewRequest("GET", "/papers/2405.15738.md", nil), "2405.15738")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "# ConvLLaVA") {
		t.Errorf("markdown: %d %s", rec.Code, rec.Body)
	}
}

func TestSearchUnavailable(t *testing.T) {
	s := testServer(t)
	s.search = func(ctx context.Context, q, mode string, limit int) ([]paper.Paper, error) {
		return nil, fmt.Errorf("%w: index building", ErrUnavailable)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/api/papers/search?q=x", nil))
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Errorf("status %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
}

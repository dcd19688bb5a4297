package search

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/paperboy/paperboy/internal/api"
)

// The JSON endpoint, served by package api with this service behind it,
// answers in the shapes of Hugging Face's papers search.
func TestAPISearch(t *testing.T) {
	svc, st, _ := newTestService(t, Options{})
	srv := api.New(api.Config{Store: st, Search: svc.SearchPapers})
	get := func(url string) (int, string) {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", url, nil))
		return rec.Code, rec.Body.String()
	}
	code, body := get("/api/papers/search?q=gaussian+avatars&limit=3")
	if code != http.StatusOK {
		t.Fatalf("%d %s", code, body)
	}
	var items []struct {
		Paper struct {
			ID          string `json:"id"`
			PublishedAt string `json:"publishedAt"`
			Authors     []struct {
				Name string `json:"name"`
			} `json:"authors"`
		} `json:"paper"`
		Title       string `json:"title"`
		NumComments *int   `json:"numComments"`
	}
	if err := json.Unmarshal([]byte(body), &items); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if len(items) == 0 || len(items) > 3 {
		t.Fatalf("%d items", len(items))
	}
	first := items[0]
	if first.Paper.ID != "2405.19331" || !strings.Contains(first.Title, "Gaussian Avatars") || first.NumComments == nil ||
		len(first.Paper.Authors) == 0 || !strings.HasSuffix(first.Paper.PublishedAt, "Z") {
		t.Errorf("first item %+v", first)
	}
	for url, want := range map[string]int{
		"/api/papers/search?q=2405.19331":              200,
		"/api/papers/search?q=gaussian&mode=semantic":  200, // falls back to keyword without an engine
		"/api/papers/search?q=gaussian&mode=fuzzy":     400,
		"/api/papers/search?q=gaussian&limit=500":      400,
		"/api/papers/search?q=":                        400,
		"/api/papers/search?q=%22unbalanced&limit=120": 200,
		"/api/papers/search?q=-&limit=1":               200,
		"/api/papers/search?q=%00%01%ff":               200,
	} {
		if code, body := get(url); code != want {
			t.Errorf("%s: %d, want %d: %s", url, code, want, body)
		}
	}
	if _, body := get("/api/papers/search?q=2405.19331"); !strings.Contains(body, `"id":"2405.19331"`) {
		t.Errorf("id query: %s", body)
	}
}

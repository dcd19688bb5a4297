package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/sqlite"
)

// record is a line of testdata/papers.jsonl: arXiv snapshot fields plus the
// Daily Papers ones. Decoded here rather than by the ingest package so these
// tests depend only on the store.
type record struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Authors    string `json:"authors"`
	Abstract   string `json:"abstract"`
	Categories string `json:"categories"`
	Comments   string `json:"comments"`
	JournalRef string `json:"journal-ref"`
	DOI        string `json:"doi"`
	License    string `json:"license"`
	Submitter  string `json:"submitter"`
	UpdateDate string `json:"update_date"`
	DailyDate  string `json:"daily_date"`
	Published  string `json:"published"`
	Upvotes    int    `json:"upvotes"`
	UpvotesAt  string `json:"upvotes_at"`
	GitHubRepo string `json:"github_repo"`
	Versions   []struct {
		Version string `json:"version"`
		Created string `json:"created"`
	} `json:"versions"`
}

func day(t testing.TB, s string) time.Time {
	t.Helper()
	if s == "" {
		return time.Time{}
	}
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatalf("date %q: %v", s, err)
	}
	return d
}

// testPapers reads testdata/papers.jsonl into normalised papers.
func testPapers(t testing.TB) []paper.Paper {
	t.Helper()
	return readPapers(t, filepath.Join("testdata", "papers.jsonl"))
}

func readPapers(t testing.TB, path string) []paper.Paper {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []paper.Paper
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		p := paper.Paper{
			ID: r.ID, Title: r.Title, Abstract: r.Abstract,
			Categories: strings.Fields(r.Categories),
			Comments:   r.Comments, JournalRef: r.JournalRef, DOI: r.DOI, License: r.License, Submitter: r.Submitter,
			ListingDate: day(t, r.UpdateDate), DailyDate: day(t, r.DailyDate), Published: day(t, r.Published),
			SourceUpvotes: r.Upvotes, SourceUpvotesAt: day(t, r.UpvotesAt),
		}
		for _, a := range strings.Split(r.Authors, ",") {
			p.Authors = append(p.Authors, strings.TrimSpace(a))
		}
		if r.GitHubRepo != "" {
			p.CodeURLs = []string{r.GitHubRepo}
		}
		for _, v := range r.Versions {
			n, err := strconv.Atoi(strings.TrimPrefix(v.Version, "v"))
			if err != nil {
				t.Fatalf("%s:%d: version %q", path, line, v.Version)
			}
			c, err := time.Parse("Mon, 2 Jan 2006 15:04:05 MST", v.Created)
			if err != nil {
				t.Fatalf("%s:%d: %v", path, line, err)
			}
			p.Versions = append(p.Versions, paper.Version{Number: n, Created: c})
		}
		p.Normalize()
		if err := p.Validate(); err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// openStore opens a real SQLite store in a temporary directory holding papers.
func openStore(t testing.TB, papers []paper.Paper) *sqlite.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "paperboy.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if len(papers) > 0 {
		if _, err := st.UpsertPapers(ctx, papers); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// testNow is the clock of the tests: a day after the latest test paper.
var testNow = time.Date(2025, 3, 5, 9, 30, 0, 0, time.UTC)

type testServer struct {
	*Server
	logs *bytes.Buffer
}

func newTestServer(t testing.TB, st paper.Store) *testServer {
	t.Helper()
	var logs bytes.Buffer
	s, err := New(Config{
		Store:   st,
		Logger:  slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		BaseURL: "https://papers.example.org/",
		Now:     func() time.Time { return testNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	return &testServer{Server: s, logs: &logs}
}

func (ts *testServer) do(t *testing.T, method, target string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	ts.Handler().ServeHTTP(rec, req)
	return rec
}

func (ts *testServer) get(t *testing.T, target string) *httptest.ResponseRecorder {
	t.Helper()
	return ts.do(t, http.MethodGet, target)
}

// checkBody reports every wanted string missing from body and every
// unwanted one present.
func checkBody(t *testing.T, what, body string, want, notWant []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s: missing %q", what, w)
		}
	}
	for _, w := range notWant {
		if strings.Contains(body, w) {
			t.Errorf("%s: unexpected %q", what, w)
		}
	}
	if t.Failed() && testing.Verbose() {
		t.Logf("%s body:\n%s", what, body)
	}
}

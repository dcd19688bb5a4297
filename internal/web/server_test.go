package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
)

// pageSamples gives TestEveryTemplateExecutes the data of pages that
// extensions add: register yours from an init func in your own _test.go file,
//
//	func init() { pageSamples["search"] = func(t *testing.T, ts *testServer, r *http.Request) page { ... } }
var pageSamples = map[string]func(t *testing.T, ts *testServer, r *http.Request) page{}

// Every page template executes with realistic data, so a typo in a rarely
// seen page fails here rather than in front of a reader.
func TestEveryTemplateExecutes(t *testing.T) {
	ts := seededServer(t)
	ctx := context.Background()
	r := httptest.NewRequest("GET", "/", nil)
	r = r.WithContext(WithSession(r.Context(), &Session{
		User:      &User{Username: "ada", Name: "Ada L."},
		CSRFToken: "tok",
		Flashes:   []Flash{{Kind: "success", Message: "Welcome back"}},
	}))
	p, err := ts.store.Paper(ctx, "0704.0001")
	if err != nil {
		t.Fatal(err)
	}
	list, err := ts.store.Papers(ctx, paper.Filter{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	day := paper.DayPeriod(time.Date(2024, 5, 28, 0, 0, 0, 0, time.UTC))
	data := map[string]page{
		"feed": &FeedPage{Base: ts.newBase(r, "Feed"), Period: day, Papers: list.Papers, Total: list.Total,
			Calendar: buildCalendar(day.Start, day, map[string]int{"2024-05-28": 3}, testNow, nil),
			Pages:    paginate("/", feedRequest{page: 1}, 40, 30)},
		"empty": &FeedPage{Base: ts.newBase(r, "")},
		"error": &ErrorPage{Base: ts.newBase(r, "Oops"), Status: 418, Heading: "Teapot", Message: "Short and stout",
			Hint: Link{Label: "Pour", URL: "/pour"}},
		"paper": &PaperPage{Base: ts.newBase(r, p.DisplayTitle()), Paper: p, RequestedVersion: 1,
			VersionNote: "note", Versions: versionRows(p, 1), Dates: dateRows(p), Links: paperLinks(p),
			Similar: list.Papers},
	}
	for _, name := range ts.tmpl.names() {
		t.Run(name, func(t *testing.T) {
			d, ok := data[name]
			if sample := pageSamples[name]; sample != nil {
				d, ok = sample(t, ts, r), true
			}
			if !ok {
				t.Fatalf("no test data for page template %q: register it in pageSamples", name)
			}
			rec := httptest.NewRecorder()
			if err := ts.render(rec, r, 200, name, d); err != nil {
				t.Fatal(err)
			}
			body := rec.Body.String()
			checkBody(t, name, body, []string{
				`<a class="skip-link" href="#main">`, `<main id="main"`, "Ada L.", "Welcome back", "</html>",
			}, nil)
		})
	}
	if body := ts.renderString(t, r, "paper", data["paper"]); !strings.Contains(body, "Similar papers") {
		t.Error("paper page: the Similar papers slot does not render .Similar")
	}
}

func (ts *testServer) renderString(t *testing.T, r *http.Request, name string, d page) string {
	t.Helper()
	rec := httptest.NewRecorder()
	if err := ts.render(rec, r, 200, name, d); err != nil {
		t.Fatal(err)
	}
	return rec.Body.String()
}

var assetRe = regexp.MustCompile(`/static/style\.[0-9a-f]{10}\.css`)

func TestStaticAssets(t *testing.T) {
	ts := seededServer(t)
	home := ts.get(t, "/").Body.String()
	css := assetRe.FindString(home)
	if css == "" {
		t.Fatal("home page links no hashed stylesheet")
	}
	for _, test := range []struct {
		path, ctype, cache string
		status             int
	}{
		{css, "text/css; charset=utf-8", "public, max-age=31536000, immutable", 200},
		{"/static/style.css", "text/css; charset=utf-8", "public, max-age=3600, must-revalidate", 200},
		{"/static/style.0000000000.css", "text/css; charset=utf-8", "public, max-age=3600, must-revalidate", 200}, // an old build's URL
		{"/static/app.js", "text/javascript; charset=utf-8", "public, max-age=3600, must-revalidate", 200},
		{"/favicon.ico", "", "public, max-age=3600, must-revalidate", 200},
		{"/static/favicon.svg", "image/svg+xml", "public, max-age=3600, must-revalidate", 200},
		{"/static/nope.css", "text/html; charset=utf-8", "", 404},
		{"/static/../server.go", "", "", 0},
	} {
		rec := ts.get(t, test.path)
		if test.status == 0 { // the mux cleans the path and redirects; never serves source
			if rec.Code == 200 || strings.Contains(rec.Body.String(), "package web") {
				t.Errorf("GET %s: %d", test.path, rec.Code)
			}
			continue
		}
		if rec.Code != test.status {
			t.Errorf("GET %s: status %d, want %d", test.path, rec.Code, test.status)
			continue
		}
		if test.ctype != "" && rec.Header().Get("Content-Type") != test.ctype {
			t.Errorf("GET %s: Content-Type %q, want %q", test.path, rec.Header().Get("Content-Type"), test.ctype)
		}
		if test.cache != "" && rec.Header().Get("Cache-Control") != test.cache {
			t.Errorf("GET %s: Cache-Control %q, want %q", test.path, rec.Header().Get("Cache-Control"), test.cache)
		}
	}
	// A cached copy is revalidated by its ETag.
	etag := ts.get(t, css).Header().Get("ETag")
	if rec := ts.do(t, "GET", css, "If-None-Match", etag); rec.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", rec.Code)
	}
	// Pages load nothing from other sites.
	for _, ref := range regexp.MustCompile(`(?:src|href)="(https?:)?//[^"]*\.(?:css|js|woff2?)"`).FindAllString(home, -1) {
		t.Errorf("external asset %s", ref)
	}
}

func TestSecurityHeaders(t *testing.T) {
	ts := seededServer(t)
	for _, path := range []string{"/", "/papers/2405.15738", "/nope", "/healthz", "/favicon.ico"} {
		h := ts.get(t, path).Header()
		for k, want := range map[string]string{
			"Content-Security-Policy": contentSecurityPolicy,
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "strict-origin-when-cross-origin",
			"X-Frame-Options":         "DENY",
		} {
			if got := h.Get(k); got != want {
				t.Errorf("GET %s: %s = %q, want %q", path, k, got, want)
			}
		}
	}
	if !strings.Contains(contentSecurityPolicy, "frame-ancestors 'none'") || strings.Contains(contentSecurityPolicy, "unsafe-inline") {
		t.Errorf("CSP %q", contentSecurityPolicy)
	}
	// The CSP forbids inline script and style, so no page may use them.
	body := ts.get(t, "/papers/0704.0001").Body.String() + ts.get(t, "/").Body.String()
	for _, bad := range []*regexp.Regexp{regexp.MustCompile(`<script>|<script [^>]*>[^<]`), regexp.MustCompile(` style="`), regexp.MustCompile(` on[a-z]+="`), regexp.MustCompile(`<style`)} {
		if m := bad.FindString(body); m != "" {
			t.Errorf("inline code the CSP blocks: %q", m)
		}
	}
}

func TestNotFoundAndMethods(t *testing.T) {
	ts := seededServer(t)
	for _, test := range []struct {
		method, path string
		status       int
		want         string
	}{
		{"GET", "/nope", 404, "There is no page at this address."},
		{"GET", "/papers/date/2024-05-28/extra", 404, ""},
		{"POST", "/", 405, "does not accept POST"},
		{"DELETE", "/papers/2405.15738", 405, ""},
		{"HEAD", "/papers/2405.15738", 200, ""},
	} {
		rec := ts.do(t, test.method, test.path)
		if rec.Code != test.status {
			t.Errorf("%s %s: status %d, want %d", test.method, test.path, rec.Code, test.status)
		}
		if !strings.Contains(rec.Body.String(), test.want) {
			t.Errorf("%s %s: body lacks %q", test.method, test.path, test.want)
		}
	}
}

func TestHealth(t *testing.T) {
	st := openStore(t, testPapers(t)[:3])
	ts := newTestServer(t, st)
	rec := ts.get(t, "/healthz")
	if rec.Code != 200 || rec.Body.String() != "ok\n" || rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("healthy: %d %q %q", rec.Code, rec.Body, rec.Header())
	}
	st.Close()
	rec = ts.get(t, "/healthz")
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("closed database: status %d, want 503", rec.Code)
	}
}

// A failing database gives a 500 page that tells nothing internal, and the
// cause is logged.
func TestServerErrors(t *testing.T) {
	st := openStore(t, testPapers(t)[:3])
	ts := newTestServer(t, st)
	st.Close()
	for _, path := range []string{"/", "/papers/date/2024-05-27", "/papers/2405.15738"} {
		rec := ts.get(t, path)
		if rec.Code != 500 {
			t.Errorf("GET %s: status %d, want 500", path, rec.Code)
		}
		checkBody(t, path, rec.Body.String(), []string{"Something went wrong on our side"}, []string{"sql:", "database is closed"})
	}
	if !strings.Contains(ts.logs.String(), "level=ERROR") || !strings.Contains(ts.logs.String(), "database is closed") {
		t.Errorf("the cause is not logged:\n%s", ts.logs)
	}
}

func TestPanicRecovery(t *testing.T) {
	ts := seededServer(t)
	h := ts.middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "Something went wrong") {
		t.Errorf("status %d, body %q", rec.Code, rec.Body)
	}
	if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Error("security headers missing on a recovered panic")
	}
	logs := ts.logs.String()
	for _, want := range []string{"panic serving request", "panic=boom", "stack=", "status=500"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}

func TestRequestLog(t *testing.T) {
	ts := seededServer(t)
	ts.get(t, "/papers/date/2024-05-28")
	ts.get(t, "/papers/date/2023-02-30")
	lines := strings.Split(strings.TrimSpace(ts.logs.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 log lines, got:\n%s", ts.logs)
	}
	for i, want := range []string{"status=200", "status=400"} {
		for _, field := range []string{"msg=\"http request\"", "method=GET", "path=/papers/date/", want, "duration_ms=", "bytes="} {
			if !strings.Contains(lines[i], field) {
				t.Errorf("line %d lacks %q: %s", i, field, lines[i])
			}
		}
	}
}

func TestErrorStatus(t *testing.T) {
	for _, test := range []struct {
		err    error
		status int
		msg    string
	}{
		{paper.ErrNotFound, 404, "We could not find what you asked for."},
		{fmt.Errorf("paper x: %w", paper.ErrNotFound), 404, "We could not find what you asked for."},
		{fmt.Errorf("%w: date %q: want YYYY-MM-DD", paper.ErrInvalid, "x"), 400, `Date "x": want YYYY-MM-DD`},
		{badRequest("Nope."), 400, "Nope."},
		{&Error{Status: 403, Message: "Not yours."}, 403, "Not yours."},
		{errors.New("disk on fire"), 500, "Something went wrong on our side. Please try again in a moment."},
	} {
		status, msg := errorStatus(test.err)
		if status != test.status || msg != test.msg {
			t.Errorf("errorStatus(%v) = %d %q, want %d %q", test.err, status, msg, test.status, test.msg)
		}
	}
}

func TestNewHTTPServer(t *testing.T) {
	srv := NewHTTPServer(":0", http.NotFoundHandler())
	if srv.ReadHeaderTimeout == 0 || srv.ReadTimeout == 0 || srv.WriteTimeout == 0 || srv.IdleTimeout == 0 {
		t.Errorf("a timeout is unset: %+v", srv)
	}
}

func TestNewNeedsStore(t *testing.T) {
	if _, err := New(Config{Logger: slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))}); err == nil {
		t.Error("New without a store succeeded")
	}
}

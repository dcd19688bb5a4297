package web

import (
	"net/http"
	"strings"
	"testing"
)

func seededServer(t *testing.T) *testServer {
	t.Helper()
	// Each test gets its own store: t.TempDir belongs to one test.
	return newTestServer(t, openStore(t, testPapers(t)))
}

func TestFeedPages(t *testing.T) {
	ts := seededServer(t)
	for _, test := range []struct {
		name    string
		path    string
		status  int
		want    []string
		notWant []string
	}{
		{
			name: "home shows the latest day", path: "/", status: 200,
			want: []string{
				"<h1>Mar 4, 2025",
				"Latest daily papers",
				"13 papers",
				`href="/papers/2503.01785"`, "Visual-RFT: Visual Reinforcement Fine-Tuning",
				`<link rel="canonical" href="https://papers.example.org/">`,
				// the previous day with papers skips nine months without any
				`href="/papers/date/2024-06-03" rel="prev"`,
				"No later papers",
				// card fields
				"8 authors", `<time datetime="2025-03-04">Mar 4, 2025</time>`, "0 comments",
				`href="https://github.com/Liuziyu77/Visual-RFT"`,
				"24 upvotes: 24 upvotes on Hugging Face (counted Mar 4, 2025) &#43; 0 votes on Paperboy",
				// search box and account slot
				`action="/search"`, `name="q"`, `class="account"`,
			},
		},
		{
			name: "a day links to the closest days with papers", path: "/papers/date/2024-05-28", status: 200,
			want: []string{
				"<h1>May 28, 2024", "15 papers", "An Introduction to Vision-Language Modeling",
				`href="/papers/date/2024-05-27" rel="prev"`,
				`href="/papers/date/2024-05-31" rel="next"`, // 29 and 30 have none
				`href="/papers/week/2024-W22"`, `href="/papers/month/2024-05"`,
				`<link rel="canonical" href="https://papers.example.org/papers/date/2024-05-28">`,
				`<title>May 28, 2024 · Paperboy</title>`,
			},
		},
		{
			name: "an empty day keeps its navigation", path: "/papers/date/2024-05-29", status: 200,
			want: []string{
				"No papers on this day",
				`href="/papers/date/2024-05-28" rel="prev"`,
				`href="/papers/date/2024-05-31" rel="next"`,
			},
			notWant: []string{`class="card"`},
		},
		{
			name: "a day before every paper", path: "/papers/date/1995-01-02", status: 200,
			want: []string{"No papers on this day", "No earlier papers", `href="/papers/date/2007-04-02" rel="next"`},
		},
		{
			name: "a week", path: "/papers/week/2024-W22", status: 200,
			want: []string{
				"<h1>Week 22, 2024", "May 27 – Jun 2, 2024", "39 papers", "showing 1–30",
				`href="/papers/week/2024-W22?p=2"`,
				`href="/papers/week/2024-W23" rel="next"`,
				`href="/papers/week/2023-W38" rel="prev"`, // the 2023-09-21 listing: the previous week with papers
				// the Day tab lands on the week's latest day with papers
				`href="/papers/date/2024-05-31"`,
			},
		},
		{
			name: "a week's second page", path: "/papers/week/2024-W22?p=2", status: 200,
			want: []string{"showing 31–39", `aria-current="page"><span class="visually-hidden">Page </span>2</a>`, `href="/papers/week/2024-W22" rel="prev"`},
		},
		{
			name: "a page past the end", path: "/papers/week/2024-W22?p=9", status: 200,
			want:    []string{"Nothing on page 9", `href="/papers/week/2024-W22?p=2"`, `<meta name="robots" content="noindex">`},
			notWant: []string{`class="card"`},
		},
		{
			name: "a month with its calendar", path: "/papers/month/2024-05", status: 200,
			want: []string{
				"<h1>May 2024", "39 papers",
				`href="/papers/date/2024-05-27"`, `href="/papers/date/2024-05-28"`,
				"15 papers on May 28, 2024", "No papers on May 29, 2024",
				`href="/papers/month/2024-06" rel="next"`,
			},
		},
		{
			name: "newest first", path: "/papers/date/2024-05-28?sort=newest", status: 200,
			want: []string{`href="/papers/date/2024-05-28?sort=newest" title="Latest first" aria-current="true"`,
				// navigation keeps the sort
				`href="/papers/date/2024-05-27?sort=newest" rel="prev"`},
		},
		{
			name: "trending", path: "/papers/date/2024-05-28?sort=trending", status: 200,
			want: []string{`title="Most upvoted, favouring recent votes" aria-current="true"`},
		},
		{
			name: "category filter", path: "/papers/date/2023-09-21?cat=cs.LG", status: 200,
			want:    []string{"2 papers", "Only papers in", "Transformers versus LSTMs", `href="/papers/date/2023-09-21"`},
			notWant: []string{"Arithmetic crosscorrelation"},
		},
		{
			name: "category chips filter the list", path: "/papers/date/2023-09-21", status: 200,
			want: []string{`class="chip chip-primary" href="/papers/date/2023-09-21?cat=cs.IT"`, "m-sequences"},
		},
		{name: "impossible date", path: "/papers/date/2023-02-30", status: 400, want: []string{"2023-02-30 is not a day on the calendar: that month has no day 30."}},
		{name: "month 13", path: "/papers/date/2023-13-01", status: 400, want: []string{"want YYYY-MM-DD"}},
		{name: "not a date", path: "/papers/date/yesterday", status: 400},
		{name: "out of range date", path: "/papers/date/1200-01-01", status: 400, want: []string{"outside 1991-2199"}},
		{name: "bad week", path: "/papers/week/2024-W99", status: 400},
		{name: "week 53 of a 52-week year", path: "/papers/week/2024-W53", status: 400},
		{name: "bad month", path: "/papers/month/2024-13", status: 400},
		{name: "bad sort", path: "/papers/date/2024-05-28?sort=random", status: 400, want: []string{"Unknown sort"}},
		{name: "page zero", path: "/papers/date/2024-05-28?p=0", status: 400},
		{name: "page not a number", path: "/papers/date/2024-05-28?p=two", status: 400},
		{name: "huge page", path: "/papers/date/2024-05-28?p=99999999999999999999", status: 400},
		{name: "bad category", path: "/papers/date/2024-05-28?cat=%3Cscript%3E", status: 400, notWant: []string{"<script>"}},
	} {
		t.Run(test.name, func(t *testing.T) {
			rec := ts.get(t, test.path)
			if rec.Code != test.status {
				t.Fatalf("GET %s: status %d, want %d\n%s", test.path, rec.Code, test.status, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			checkBody(t, test.path, rec.Body.String(), test.want, test.notWant)
		})
	}
	// Readers' mistakes are not logged as errors.
	if strings.Contains(ts.logs.String(), "level=ERROR") {
		t.Errorf("errors logged:\n%s", ts.logs)
	}
}

// Cards are in the order the sort asks for.
func TestFeedOrder(t *testing.T) {
	ts := seededServer(t)
	body := ts.get(t, "/papers/date/2024-05-27").Body.String()
	first := strings.Index(body, "ConvLLaVA")      // 32 upvotes
	second := strings.Index(body, "Meteor: Mamba") // 28 upvotes
	if first < 0 || second < 0 || first > second {
		t.Errorf("by upvotes: ConvLLaVA at %d, Meteor at %d", first, second)
	}
}

func TestJump(t *testing.T) {
	ts := seededServer(t)
	for _, test := range []struct {
		query    string
		status   int
		location string
	}{
		{"date=2024-05-28", http.StatusSeeOther, "/papers/date/2024-05-28"},
		{"date=2024-05-28&kind=date", http.StatusSeeOther, "/papers/date/2024-05-28"},
		{"date=2024-05-28&kind=week", http.StatusSeeOther, "/papers/week/2024-W22"},
		{"date=2024-05-28&kind=month", http.StatusSeeOther, "/papers/month/2024-05"},
		{"date=2024-W22", http.StatusSeeOther, "/papers/week/2024-W22"},
		{"date=2024-05", http.StatusSeeOther, "/papers/month/2024-05"},
		{"date=2024-05-28&sort=newest&cat=cs.LG", http.StatusSeeOther, "/papers/date/2024-05-28?cat=cs.LG&sort=newest"},
		{"date=", http.StatusSeeOther, "/"},
		{"date=2024-02-30", http.StatusBadRequest, ""},
		{"date=tomorrow", http.StatusBadRequest, ""},
		{"date=2024-05-28&kind=year", http.StatusBadRequest, ""},
	} {
		t.Run(test.query, func(t *testing.T) {
			rec := ts.get(t, "/papers/jump?"+test.query)
			if rec.Code != test.status {
				t.Fatalf("status %d, want %d", rec.Code, test.status)
			}
			if got := rec.Header().Get("Location"); got != test.location {
				t.Errorf("Location %q, want %q", got, test.location)
			}
		})
	}
}

func TestEmptyStore(t *testing.T) {
	ts := newTestServer(t, openStore(t, nil))
	for _, test := range []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{"No papers yet", "paperboy import"}},
		{"/papers/date/2024-05-28", 200, []string{"No papers on this day", "No earlier papers", "No later papers"}},
		{"/papers/week/2024-W22", 200, []string{"No papers in this week"}},
		{"/papers/2405.15738", 404, []string{"is not in Paperboy yet", `href="https://arxiv.org/abs/2405.15738"`}},
		{"/healthz", 200, []string{"ok"}},
	} {
		rec := ts.get(t, test.path)
		if rec.Code != test.status {
			t.Errorf("GET %s: status %d, want %d", test.path, rec.Code, test.status)
		}
		checkBody(t, test.path, rec.Body.String(), test.want, nil)
	}
}

func TestPagination(t *testing.T) {
	fr := feedRequest{page: 7}
	pg := paginate("/x", fr, 30*20, 30)
	var labels []string
	for _, l := range pg.Numbers {
		labels = append(labels, l.Label)
	}
	if got, want := strings.Join(labels, " "), "1 … 5 6 7 8 9 … 20"; got != want {
		t.Errorf("numbers %q, want %q", got, want)
	}
	if pg.Prev.URL != "/x?p=6" || pg.Next.URL != "/x?p=8" || pg.From != 181 || pg.To != 210 {
		t.Errorf("got %+v", pg)
	}
	if one := paginate("/x", feedRequest{page: 1}, 5, 30); one.Pages != 1 || one.Prev.URL != "" || one.Next.URL != "" {
		t.Errorf("single page: %+v", one)
	}
	if past := paginate("/x", feedRequest{page: 3}, 31, 30); !past.OutOfRange || past.Back.URL != "/x?p=2" {
		t.Errorf("past the end: %+v", past)
	}
}

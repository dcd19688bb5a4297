package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/paperboy/paperboy/internal/paper"
)

func TestPaperPage(t *testing.T) {
	ts := seededServer(t)
	for _, test := range []struct {
		name     string
		path     string
		status   int
		location string // for redirects
		want     []string
		notWant  []string
	}{
		{
			name: "a Daily Papers paper", path: "/papers/2405.15738", status: 200,
			want: []string{
				`<h1 id="paper-title">ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models</h1>`,
				`<span class="author">Chunjiang Ge</span>`, `<span class="author">Bo Zheng</span>`,
				`<link rel="canonical" href="https://papers.example.org/papers/2405.15738">`,
				"High-resolution Large Multimodal Models",
				// dates: v1 from Hugging Face's publishedAt, the featured day linked to its feed page
				"<dt>Submitted</dt>", `<time datetime="2024-05-24">May 24, 2024</time>`,
				"<dt>Featured</dt>", `<a href="/papers/date/2024-05-27"><time datetime="2024-05-27">May 27, 2024</time></a>`,
				// upvotes, told apart
				"32 on Hugging Face", "(counted Jun 1, 2024)", "0 on Paperboy",
				`href="https://arxiv.org/abs/2405.15738"`, `href="https://arxiv.org/pdf/2405.15738"`,
				`href="https://huggingface.co/papers/2405.15738"`,
				`<meta name="description" content="High-resolution Large Multimodal Models`,
			},
			notWant: []string{"You asked for version", `id="versions-title"`},
		},
		{
			name: "code links", path: "/papers/2503.01785", status: 200,
			want: []string{`href="https://github.com/Liuziyu77/Visual-RFT"`, "<span>Code</span>"},
		},
		{
			name: "an older version than the latest", path: "/papers/0704.0001v1", status: 200,
			want: []string{
				"You asked for version 1. This page shows the latest version, v2",
				`href="https://arxiv.org/abs/0704.0001v1"`,
				`<link rel="canonical" href="https://papers.example.org/papers/0704.0001">`,
				"arXiv:0704.0001v2",
				// version history, newest first, with UTC times that app.js localises
				`<time datetime="2007-07-24T20:10:27Z" data-local>Jul 24, 2007 20:10 UTC</time>`,
				`<time datetime="2007-04-02T19:18:42Z" data-local>Apr 2, 2007 19:18 UTC</time>`,
				`<span class="badge">latest</span>`, `<span class="badge badge-accent">requested</span>`,
				// arXiv metadata
				"<dt>Journal reference</dt><dd>Phys.Rev.D76:013009,2007</dd>",
				`<a href="https://doi.org/10.1103/PhysRevD.76.013009"`,
				"37 pages, 15 figures; published version",
				"<dt>Last updated</dt>", `<time datetime="2007-07-24">Jul 24, 2007</time>`,
				// authors with LaTeX accents are tidied
				`<span class="author">C. Balázs</span>`,
				`class="chip chip-primary" href="/papers/month/2007-04?cat=hep-ph" title="Primary category">hep-ph</a>`,
			},
			notWant: []string{"on Hugging Face (counted", `href="https://huggingface.co/papers/0704.0001"`},
		},
		{
			name: "the latest version", path: "/papers/0704.0001v2", status: 200,
			notWant: []string{"You asked for version"},
		},
		{
			name: "a version newer than known", path: "/papers/0704.0001v7", status: 200,
			want: []string{"You asked for version 7, but the latest version known here is v2."},
		},
		{
			name: "an old-style id", path: "/papers/math/9901016", status: 200,
			want: []string{
				"arXiv:math/9901016", "Mike Zabrocki",
				"Positivity for special cases of (q,t)-Kostka coefficients and standard tableaux statistics",
				"Electron. J. Combinat. 6, R41 (1999), 36pp.",
				`href="https://arxiv.org/abs/math/9901016"`,
				`<link rel="canonical" href="https://papers.example.org/papers/math/9901016">`,
				`href="/papers/month/1999-01?cat=math.CO"`,
			},
		},
		{name: "an old-style id with its subject class", path: "/papers/math.CO/9901016", status: 301, location: "/papers/math/9901016"},
		{name: "an old-style id with a version", path: "/papers/math/9901016v2", status: 200, want: []string{"You asked for version 2."}},
		{name: "an arXiv: prefix", path: "/papers/arXiv:2405.15738v1", status: 301, location: "/papers/2405.15738v1"},
		{name: "a query survives the redirect", path: "/papers/arXiv:2405.15738?x=1", status: 301, location: "/papers/2405.15738?x=1"},
		{name: "an unknown paper", path: "/papers/2405.99999", status: 404,
			want: []string{"Paper 2405.99999 is not in Paperboy yet.", `href="https://arxiv.org/abs/2405.99999"`}},
		{name: "an unknown version of an unknown paper", path: "/papers/2405.99999v3", status: 404,
			want: []string{`href="https://arxiv.org/abs/2405.99999v3"`}},
		{name: "not an id", path: "/papers/not-an-id", status: 404, want: []string{"is not an arXiv identifier"}},
		{name: "no such month", path: "/papers/2313.00001", status: 404},
		{name: "script in the id", path: "/papers/%3Cscript%3Ealert(1)%3C%2Fscript%3E", status: 404,
			want: []string{"&lt;script&gt;"}, notWant: []string{"<script>alert"}},
		{name: "papers index goes home", path: "/papers/", status: 200, want: []string{"<h1>Mar 4, 2025"}},
	} {
		t.Run(test.name, func(t *testing.T) {
			rec := ts.get(t, test.path)
			if rec.Code != test.status {
				t.Fatalf("GET %s: status %d, want %d\n%s", test.path, rec.Code, test.status, rec.Body)
			}
			if test.location != "" {
				if got := rec.Header().Get("Location"); got != test.location {
					t.Errorf("Location %q, want %q", got, test.location)
				}
				// and the redirect target serves the paper
				if next := ts.get(t, test.location); next.Code != http.StatusOK {
					t.Errorf("GET %s: status %d", test.location, next.Code)
				}
			}
			checkBody(t, test.path, rec.Body.String(), test.want, test.notWant)
		})
	}
}

// A title or abstract holding markup is shown as text, never run.
func TestEscaping(t *testing.T) {
	papers := testPapers(t)
	var p = papers[0] // 2405.15738, featured 2024-05-27
	p.Title = `<script>alert("title")</script> ConvLLaVA`
	p.Abstract = `<img src=x onerror=alert(1)> High-resolution`
	p.Authors = []string{`Eve <b>Mallory</b>`}
	p.CodeURLs = []string{`javascript:alert(1)`}
	st := openStore(t, papers[1:])
	if _, err := st.UpsertPapers(context.Background(), []paper.Paper{p}); err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, st)
	for _, path := range []string{"/papers/2405.15738", "/papers/date/2024-05-27"} {
		body := ts.get(t, path).Body.String()
		checkBody(t, path, body,
			[]string{`&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; ConvLLaVA`, `&lt;img src=x onerror=alert(1)&gt;`, "#ZgotmplZ"},
			[]string{`<script>alert`, `<img src=x`, `href="javascript:`})
		if strings.Contains(path, "/papers/2405") {
			checkBody(t, path, body, []string{"Eve &lt;b&gt;Mallory&lt;/b&gt;"}, []string{"<b>Mallory"})
		}
	}
}

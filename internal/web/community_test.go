package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/arxiv"
	"github.com/paperboy/paperboy/internal/community"
	"github.com/paperboy/paperboy/internal/mail"
	"github.com/paperboy/paperboy/internal/mail/mailtest"
	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/sqlite"
)

func init() {
	r := func(ts *testServer, req *http.Request, title string) Base { return ts.newBase(req, title) }
	u := &community.User{ID: 1, Username: "ada", Role: community.RoleAdmin, Verified: true, Created: testNow}
	pageSamples["account"] = func(t *testing.T, ts *testServer, req *http.Request) page {
		pg := &AccountPage{Base: r(ts, req, "Sign up"), Form: "signup", Values: map[string]string{"username": "ada"},
			Errors: map[string]string{"email": "Enter an email address.", "form": "Too many attempts."}}
		return pg
	}
	pageSamples["admin"] = func(t *testing.T, ts *testServer, req *http.Request) page {
		return &AdminPage{Base: r(ts, req, "Moderation"), IsAdmin: true,
			Users: []community.User{*u, {ID: 2, Username: "bob", Role: "user", Banned: true}}}
	}
	pageSamples["comment-edit"] = func(t *testing.T, ts *testServer, req *http.Request) page {
		return &CommentEditPage{Base: r(ts, req, "Edit"), Comment: &community.Comment{ID: 3, PaperID: "2405.15738"}, Body: "*hi*", Error: "Too long."}
	}
	pageSamples["profile"] = func(t *testing.T, ts *testServer, req *http.Request) page {
		list, err := ts.store.Papers(req.Context(), paper.Filter{Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		return &ProfilePage{Base: r(ts, req, "ada"), Profile: &community.Profile{User: u, Submissions: list.Papers, Upvoted: list.Papers,
			Comments: []community.Comment{{ID: 1, PaperID: "2405.15738", PaperTitle: "ConvLLaVA", Body: "Nice", Created: testNow}}}}
	}
	pageSamples["submit"] = func(t *testing.T, ts *testServer, req *http.Request) page {
		return &SubmitPage{Base: r(ts, req, "Submit"), Value: "2309.x", Errors: map[string]string{"id": "Not an id."}}
	}
	pageSamples["trending"] = func(t *testing.T, ts *testServer, req *http.Request) page {
		list, err := ts.store.Papers(req.Context(), paper.Filter{Limit: 3, Sort: paper.SortTrending})
		if err != nil {
			t.Fatal(err)
		}
		return &TrendingPage{Base: r(ts, req, "Trending"), Papers: list.Papers, Seeded: true, Next: Link{Label: "More", URL: "/trending?p=2"}}
	}
}

// site is Paperboy with the community layer over real HTTP: a real SQLite
// store, a real SMTP server and an arXiv API stand-in answering in its Atom
// format.
type site struct {
	*httptest.Server
	store *sqlite.Store
	svc   *community.Service
	smtp  *mailtest.Server
	logs  *lockedBuffer
	dir   string
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func arxivStub(t testing.TB) *httptest.Server {
	one, err := os.ReadFile("testdata/community-api-one.atom")
	if err != nil {
		t.Fatal(err)
	}
	empty, err := os.ReadFile("testdata/community-api-empty.atom")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		if strings.HasPrefix(r.URL.Query().Get("id_list"), "2309.11056") {
			w.Write(one)
			return
		}
		w.Write(empty)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func newSite(t testing.TB, limits *community.Limits, papers []paper.Paper) *site {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "paperboy.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if len(papers) > 0 {
		if _, err := st.UpsertPapers(ctx, papers); err != nil {
			t.Fatal(err)
		}
	}
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	smtpSrv := mailtest.Start(t, mailtest.Options{TLS: "starttls", User: "paperboy", Password: "smtp pass"})
	mailer, err := mail.New(mail.Config{Host: smtpSrv.Host, Port: smtpSrv.Port, User: "paperboy", Password: "smtp pass",
		From: "Paperboy <paperboy@example.org>", InsecureSkipVerify: true}, logger)
	if err != nil {
		t.Fatal(err)
	}
	if limits == nil {
		limits = &community.Limits{}
	}
	s := &site{store: st, smtp: smtpSrv, logs: logs, dir: dir}
	// The base URL is only known once the server listens: start it, then set the handler.
	s.Server = httptest.NewUnstartedServer(nil)
	s.Server.Start()
	t.Cleanup(s.Server.Close)
	s.svc = community.New(st, mailer, &arxiv.Client{BaseURL: arxivStub(t).URL, MinInterval: -1},
		community.Options{BaseURL: s.URL, Limits: limits, Logger: logger})
	w, err := New(Config{Store: st, Logger: logger, BaseURL: s.URL, Community: s.svc})
	if err != nil {
		t.Fatal(err)
	}
	s.Server.Config.Handler = w.Handler()
	return s
}

// browser is an HTTP client with cookies that follows redirects.
type browser struct {
	t    testing.TB
	site *site
	c    *http.Client
}

func (s *site) browser(t testing.TB) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, site: s, c: &http.Client{Jar: jar, Timeout: 20 * time.Second}}
}

func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	res, err := b.c.Get(b.site.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf is the token of the page at path.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	_, body := b.get(path)
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no CSRF token on %s: %s", path, body)
	}
	return m[1]
}

func (b *browser) post(path string, form url.Values, hdr ...string) (*http.Response, string) {
	b.t.Helper()
	req, err := http.NewRequest("POST", b.site.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

var linkRe = regexp.MustCompile(`/(verify|reset)/([A-Za-z0-9_-]{43})`)

func (s *site) mailLink(t testing.TB, n int, kind string) string {
	t.Helper()
	msg, ok := s.smtp.Wait(n, 10*time.Second)
	if !ok {
		t.Fatalf("email %d did not arrive", n)
	}
	m := linkRe.FindStringSubmatch(strings.ReplaceAll(string(msg.Data), "=\r\n", ""))
	if m == nil || m[1] != kind {
		t.Fatalf("email %d has no %s link: %s", n, kind, msg.Data)
	}
	return "/" + m[1] + "/" + m[2]
}

// mailLinkTo waits for an email to addr with a kind link and returns its path.
func (s *site) mailLinkTo(t testing.TB, addr, kind string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, msg := range s.smtp.Messages() {
			m := linkRe.FindStringSubmatch(strings.ReplaceAll(string(msg.Data), "=\r\n", ""))
			if len(msg.To) == 1 && msg.To[0] == addr && m != nil && m[1] == kind {
				return "/" + m[1] + "/" + m[2]
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %s link emailed to %s", kind, addr)
	return ""
}

// signUp signs up through the forms and follows the emailed link.
func (b *browser) signUp(name, email, pw string) {
	b.t.Helper()
	n := len(b.site.smtp.Messages()) + 1
	tok := b.csrf("/signup")
	res, body := b.post("/signup", url.Values{"csrf": {tok}, "username": {name}, "email": {email}, "password": {pw}})
	if res.StatusCode != 200 || !strings.Contains(body, "Check your inbox") {
		b.t.Fatalf("sign-up: %d %s", res.StatusCode, body)
	}
	_ = n
	link := b.site.mailLinkTo(b.t, email, "verify")
	res, body = b.post(link, url.Values{"csrf": {b.csrf(link)}})
	if res.StatusCode != 200 || !strings.Contains(body, "Your email address is confirmed") || !strings.Contains(body, `href="/u/`+name+`"`) {
		b.t.Fatalf("confirm: %d %s", res.StatusCode, body)
	}
}

func TestCommunityFlow(t *testing.T) {
	s := newSite(t, nil, testPapers(t))
	b := s.browser(t)
	const pw = "a long enough password"
	b.signUp("ada", "ada@example.com", pw)

	// Upvote without JavaScript: a form POST that comes back to the feed.
	const pid = "2405.15738" // 32 upvotes imported from Hugging Face
	tok := b.csrf("/papers/" + pid)
	res, body := b.post("/vote", url.Values{"csrf": {tok}, "paper": {pid}, "on": {"1"}, "next": {"/papers/date/2024-05-27#paper-2405-15738"}})
	if res.StatusCode != 200 || res.Request.URL.Path != "/papers/date/2024-05-27" {
		t.Fatalf("vote: %d at %s", res.StatusCode, res.Request.URL)
	}
	if !strings.Contains(body, `aria-pressed="true"`) || !strings.Contains(body, `<span class="vote-count">33</span>`) {
		t.Errorf("feed after the vote does not show it pressed with 33 upvotes")
	}
	// With JavaScript: fetch with the token in a header, JSON back.
	res, body = b.post("/vote", url.Values{"paper": {pid}, "on": {"0"}}, "Accept", "application/json", "X-CSRF-Token", tok)
	var vr struct {
		Voted          bool
		Votes, Upvotes int
		SourceUpvotes  int `json:"source_upvotes"`
	}
	if err := json.Unmarshal([]byte(body), &vr); err != nil || res.StatusCode != 200 || vr.Voted || vr.Votes != 0 || vr.Upvotes != 32 || vr.SourceUpvotes != 32 {
		t.Errorf("JSON unvote: %d %s", res.StatusCode, body)
	}
	b.post("/vote", url.Values{"paper": {pid}, "on": {"1"}}, "Accept", "application/json", "X-CSRF-Token", tok)

	// Comment with markup and an XSS attempt; it shows rendered and inert.
	res, body = b.post("/comments", url.Values{"csrf": {tok}, "paper": {pid},
		"body": {"Great *results*.\n\n<script>alert('xss')</script> [click](javascript:alert(1)) <img src=x onerror=alert(1)>"}})
	if res.StatusCode != 200 || !strings.Contains(body, "Your comment is posted") {
		t.Fatalf("comment: %d", res.StatusCode)
	}
	checkBody(t, "paper with comment", body,
		[]string{"Great <em>results</em>.", "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;", "1 comment</h2>"},
		[]string{"<script>alert", `href="javascript:`, "<img src=x"})
	cid := regexp.MustCompile(`id="comment-(\d+)"`).FindStringSubmatch(body)[1]
	res, body = b.post("/comments", url.Values{"csrf": {tok}, "paper": {pid}, "parent": {cid}, "body": {"A reply"}})
	if !strings.Contains(body, "replies") || !strings.Contains(body, "A reply") {
		t.Errorf("reply not threaded")
	}
	res, body = b.post("/comments/"+cid+"/edit", url.Values{"csrf": {tok}, "body": {"Edited **text**"}})
	if !strings.Contains(body, "Edited <strong>text</strong>") || !strings.Contains(body, "(edited)") {
		t.Errorf("edit: %d", res.StatusCode)
	}
	// The feed card counts comments (the store fills NumComments).
	if _, body := b.get("/papers/date/2024-05-27"); !strings.Contains(body, "2 comments") {
		t.Error("feed card does not count the 2 comments")
	}

	// Submit a paper: fetched from arXiv, on today's feed, "added by ada".
	res, body = b.post("/submit", url.Values{"csrf": {tok}, "id": {"https://arxiv.org/abs/2309.11056"}})
	if res.StatusCode != 200 || res.Request.URL.Path != "/papers/2309.11056" || !strings.Contains(body, "Added to Paperboy by</dt><dd>ada") {
		t.Fatalf("submit: %d at %s", res.StatusCode, res.Request.URL)
	}
	res, body = b.post("/submit", url.Values{"csrf": {tok}, "id": {"2309.11056v1"}})
	if res.Request.URL.Path != "/papers/2309.11056" || !strings.Contains(body, "already on Paperboy") {
		t.Errorf("resubmit: at %s", res.Request.URL)
	}
	for _, test := range []struct{ in, want string }{
		{"hello", "is not an arXiv id"},
		{"2309.99999", "arXiv has no paper 2309.99999"},
	} {
		res, body := b.post("/submit", url.Values{"csrf": {tok}, "id": {test.in}})
		if res.StatusCode != 422 || !strings.Contains(body, test.want) || !strings.Contains(body, `value="`+test.in+`"`) {
			t.Errorf("submit %q: %d, want 422 with %q and the input kept", test.in, res.StatusCode, test.want)
		}
	}

	// Trending and the profile.
	if _, body := b.get("/trending"); !strings.Contains(body, "2309.11056") || !strings.Contains(body, "Trending now") {
		t.Error("trending page lacks the new paper")
	}
	_, body = b.get("/u/ada")
	checkBody(t, "profile", body, []string{"A Verified Cost Analysis", "ConvLLaVA", "Edited **text**", "Member since", `<script src="/static/community.`, `href="/static/community.`}, nil)

	// Log out: the session is gone.
	res, body = b.post("/logout", url.Values{"csrf": {b.csrf("/")}})
	if !strings.Contains(body, "You are logged out") || strings.Contains(body, `href="/u/ada"`) {
		t.Errorf("logout: %d", res.StatusCode)
	}
	if res, _ := b.get("/settings"); res.Request.URL.Path != "/login" {
		t.Errorf("settings after logout: at %s", res.Request.URL)
	}
}

func TestCommunityCSRFAndErrors(t *testing.T) {
	s := newSite(t, nil, testPapers(t))
	b := s.browser(t)
	b.signUp("bob", "bob@example.com", "bob's password")
	for _, test := range []struct {
		name string
		form url.Values
		hdr  []string
	}{
		{"vote without token", url.Values{"paper": {"2405.15738"}, "on": {"1"}}, nil},
		{"comment with a forged token", url.Values{"csrf": {"forged"}, "paper": {"2405.15738"}, "body": {"x"}}, nil},
		{"vote from another site", url.Values{"csrf": {b.csrf("/")}, "paper": {"2405.15738"}, "on": {"1"}}, []string{"Sec-Fetch-Site", "cross-site"}},
	} {
		path := "/vote"
		if strings.HasPrefix(test.name, "comment") {
			path = "/comments"
		}
		res, body := b.post(path, test.form, test.hdr...)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", test.name, res.StatusCode)
		}
		if !strings.Contains(body, `class="site-header`) && !strings.Contains(body, "<header") {
			t.Errorf("%s: the 403 is not the site's error page: %.200s", test.name, body)
		}
	}
	p, _ := s.store.Paper(context.Background(), "2405.15738")
	if p.Votes != 0 || p.NumComments != 0 {
		t.Errorf("a rejected request changed state: %d votes, %d comments", p.Votes, p.NumComments)
	}
	// Anonymous votes go to the login page; fetch gets 401 JSON.
	anon := s.browser(t)
	res, _ := anon.post("/vote", url.Values{"csrf": {anon.csrf("/login")}, "paper": {"2405.15738"}, "on": {"1"}})
	if res.Request.URL.Path != "/login" {
		t.Errorf("anonymous vote: at %s", res.Request.URL)
	}
	res, _ = anon.post("/vote", url.Values{"paper": {"2405.15738"}, "on": {"1"}}, "Accept", "application/json", "X-CSRF-Token", anon.csrf("/login"))
	if res.StatusCode != 401 {
		t.Errorf("anonymous fetch vote: %d", res.StatusCode)
	}
	// Only the author edits; others get 403.
	tok := b.csrf("/")
	_, body := b.post("/comments", url.Values{"csrf": {tok}, "paper": {"2405.15738"}, "body": {"mine"}})
	cid := regexp.MustCompile(`id="comment-(\d+)"`).FindStringSubmatch(body)[1]
	eve := s.browser(t)
	eve.signUp("eve", "eve@example.com", "eve's password")
	if res, _ := eve.post("/comments/"+cid+"/edit", url.Values{"csrf": {eve.csrf("/")}, "body": {"defaced"}}); res.StatusCode != 403 {
		t.Errorf("edit by another user: %d", res.StatusCode)
	}
	if res, _ := eve.post("/comments/"+cid+"/hide", url.Values{"csrf": {eve.csrf("/")}}); res.StatusCode != 403 {
		t.Errorf("hide by a user: %d", res.StatusCode)
	}
	if res, _ := eve.get("/admin"); res.StatusCode != 403 {
		t.Errorf("admin page for a user: %d", res.StatusCode)
	}
	// The first user (bob) is admin: he appoints eve moderator.
	if res, _ := b.post("/admin/role", url.Values{"csrf": {tok}, "username": {"eve"}, "role": {"moderator"}}); res.StatusCode != 200 {
		t.Errorf("appoint: %d", res.StatusCode)
	}
	if res, _ := eve.post("/comments/"+cid+"/hide", url.Values{"csrf": {eve.csrf("/")}}); res.StatusCode != 200 {
		t.Errorf("hide by a moderator: %d", res.StatusCode)
	}
}

func TestCommunityForms(t *testing.T) {
	s := newSite(t, nil, testPapers(t))
	b := s.browser(t)
	tok := b.csrf("/signup")
	// Errors show beside the fields and keep what was typed, but never the password.
	res, body := b.post("/signup", url.Values{"csrf": {tok}, "username": {"x y"}, "email": {"zed@example"}, "password": {"short-pw"}})
	if res.StatusCode != 422 {
		t.Errorf("invalid sign-up: %d", res.StatusCode)
	}
	checkBody(t, "sign-up errors", body, []string{`value="x y"`, `value="zed@example"`, `id="e-username"`, `id="e-email"`, `aria-invalid="true"`}, []string{"short-pw"})
	// A taken email reads exactly like a new one.
	b.signUp("carol", "carol@example.com", "carol password")
	other := s.browser(t)
	tok = other.csrf("/signup")
	_, taken := other.post("/signup", url.Values{"csrf": {tok}, "username": {"carol2"}, "email": {"CAROL@example.com"}, "password": {"other password"}})
	_, fresh := other.post("/signup", url.Values{"csrf": {tok}, "username": {"dan"}, "email": {"dan@example.com"}, "password": {"other password"}})
	if stripTokens(taken) != stripTokens(fresh) {
		t.Errorf("sign-up with a taken email differs from a new one")
	}
	// Login: wrong password and unknown user read the same.
	_, wrong := other.post("/login", url.Values{"csrf": {tok}, "login": {"carol"}, "password": {"nope nope"}})
	_, unknown := other.post("/login", url.Values{"csrf": {tok}, "login": {"nobody"}, "password": {"nope nope"}})
	wrong = strings.Replace(wrong, `value="carol"`, `value="nobody"`, 1)
	if stripTokens(wrong) != stripTokens(unknown) || !strings.Contains(wrong, "Wrong username, email or password") {
		t.Errorf("login failures differ")
	}
	// Reset: the same answer for known and unknown addresses.
	_, known := other.post("/reset", url.Values{"csrf": {tok}, "email": {"carol@example.com"}})
	_, unknownReset := other.post("/reset", url.Values{"csrf": {tok}, "email": {"nobody@example.com"}})
	if stripTokens(strings.Replace(known, "carol@example.com", "nobody@example.com", -1)) != stripTokens(unknownReset) {
		t.Errorf("reset answers differ")
	}
	// Reset by the emailed link: a new password, then the link is spent.
	link := s.mailLinkTo(t, "carol@example.com", "reset")
	res, body = other.post(link, url.Values{"csrf": {other.csrf(link)}, "password": {"brand new password"}, "confirm": {"brand new password"}})
	if res.StatusCode != 200 || !strings.Contains(body, "Your new password is set") {
		t.Fatalf("reset: %d", res.StatusCode)
	}
	res, body = other.post(link, url.Values{"csrf": {other.csrf(link)}, "password": {"another password"}, "confirm": {"another password"}})
	if res.StatusCode != 400 || !strings.Contains(body, "invalid or has expired") {
		t.Errorf("second use of the reset link: %d", res.StatusCode)
	}
	// Open redirects are refused.
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example"} {
		if got := localPath(next, "/"); got != "/" {
			t.Errorf("localPath(%q) = %q", next, got)
		}
	}
}

// stripTokens removes what differs between any two responses (CSRF tokens).
func stripTokens(s string) string {
	return csrfRe.ReplaceAllString(s, `name="csrf" value=""`)
}

func TestCommunityRateLimits(t *testing.T) {
	lim := community.DefaultLimits()
	s := newSite(t, &lim, testPapers(t))
	b := s.browser(t)
	tok := b.csrf("/signup")
	var res *http.Response
	for i := range 6 {
		res, _ = b.post("/signup", url.Values{"csrf": {tok}, "username": {fmt.Sprintf("u%d", i)}, "email": {"bad"}, "password": {"x"}})
	}
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("6th sign-up: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
}

// Paper titles and abstracts are shown escaped wherever they appear.
func TestCommunityTitleXSS(t *testing.T) {
	evil := paper.Paper{ID: "2405.99999", Title: `<script>alert("t")</script><img src=x onerror=alert(1)>`, Authors: []string{`"><svg onload=alert(1)>`},
		Abstract: `</p><script>alert(2)</script>`, DailyDate: time.Now().UTC()}
	evil.Normalize()
	s := newSite(t, nil, append(testPapers(t), evil))
	b := s.browser(t)
	b.signUp("ada", "ada@example.com", "ada's password")
	tok := b.csrf("/")
	b.post("/vote", url.Values{"csrf": {tok}, "paper": {evil.ID}, "on": {"1"}})
	b.post("/comments", url.Values{"csrf": {tok}, "paper": {evil.ID}, "body": {"hi"}})
	for _, path := range []string{"/", "/papers/" + evil.ID, "/trending", "/u/ada"} {
		_, body := b.get(path)
		checkBody(t, path, body, []string{"&lt;script&gt;alert("}, []string{"<script>alert", "<img src=x", "<svg onload"})
	}
}

// Passwords never reach the log or the database file.
func TestCommunityPasswordsNotStored(t *testing.T) {
	s := newSite(t, nil, testPapers(t))
	b := s.browser(t)
	const pw = "Tr0ub4dor&3-unique-marker"
	b.signUp("ada", "ada@example.com", pw)
	b.post("/logout", url.Values{"csrf": {b.csrf("/")}})
	res, _ := b.post("/login", url.Values{"csrf": {b.csrf("/login")}, "login": {"ada"}, "password": {pw}})
	if res.StatusCode != 200 {
		t.Fatalf("login: %d", res.StatusCode)
	}
	b.post("/login", url.Values{"csrf": {b.csrf("/login")}, "login": {"ada"}, "password": {pw + "-wrong"}})
	s.svc.Wait()
	if _, err := s.store.DB().Exec(`PRAGMA wal_checkpoint(FULL)`); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(s.dir)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(s.dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte(pw)) {
			t.Errorf("%s contains the password", e.Name())
		}
	}
	if logs := s.logs.String(); strings.Contains(logs, pw) || !strings.Contains(logs, "user logged in") {
		t.Errorf("log has the password, or is not being captured")
	}
}

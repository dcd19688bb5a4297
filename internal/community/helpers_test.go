package community_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/arxiv"
	"github.com/paperboy/paperboy/internal/community"
	"github.com/paperboy/paperboy/internal/mail"
	"github.com/paperboy/paperboy/internal/mail/mailtest"
	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/sqlite"
)

// env is a service on a real SQLite file, a real SMTP server and an arXiv
// API stand-in serving documents in the API's Atom format.
type env struct {
	svc   *community.Service
	store *sqlite.Store
	smtp  *mailtest.Server
	logs  *syncBuffer
	arxiv *arxivServer
	dir   string
	now   atomic.Pointer[time.Time]
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// arxivServer answers id_list queries from testdata: api-one.atom for
// 2309.11056, api-empty.atom for anything else; Down makes it answer 503.
type arxivServer struct {
	*httptest.Server
	Down     atomic.Bool
	Requests atomic.Int32
}

func newArxivServer(t testing.TB) *arxivServer {
	one, err := os.ReadFile("testdata/api-one.atom")
	if err != nil {
		t.Fatal(err)
	}
	empty, err := os.ReadFile("testdata/api-empty.atom")
	if err != nil {
		t.Fatal(err)
	}
	a := &arxivServer{}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.Requests.Add(1)
		if a.Down.Load() {
			http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		if strings.HasPrefix(r.URL.Query().Get("id_list"), "2309.11056") {
			w.Write(one)
		} else {
			w.Write(empty)
		}
	}))
	t.Cleanup(a.Close)
	return a
}

func newEnv(t testing.TB, limits *community.Limits) *env {
	t.Helper()
	e := &env{dir: t.TempDir(), logs: &syncBuffer{}}
	now := time.Date(2024, 5, 28, 10, 0, 0, 0, time.UTC)
	e.now.Store(&now)
	ctx := context.Background()
	st, err := sqlite.Open(ctx, e.dir+"/paperboy.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	st.Now = func() time.Time { return *e.now.Load() }
	e.store = st
	e.smtp = mailtest.Start(t, mailtest.Options{TLS: "starttls", User: "mailer", Password: "mail-secret"})
	mailer, err := mail.New(mail.Config{Host: e.smtp.Host, Port: e.smtp.Port, User: "mailer", Password: "mail-secret",
		From: "Paperboy <paperboy@example.org>", InsecureSkipVerify: true, Timeout: 5 * time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.arxiv = newArxivServer(t)
	if limits == nil {
		limits = &community.Limits{}
	}
	logger := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.svc = community.New(st, mailer, &arxiv.Client{BaseURL: e.arxiv.URL, MinInterval: -1}, community.Options{
		BaseURL: "https://papers.example.org", Limits: limits, Logger: logger, Now: func() time.Time { return *e.now.Load() }})
	return e
}

func (e *env) setNow(t time.Time) { e.now.Store(&t) }

// loadPapers stores the Daily Papers sample (real papers from 2024-05-27/28).
func (e *env) loadPapers(t *testing.T) []paper.Paper {
	t.Helper()
	f, err := os.Open("testdata/hf-daily-papers.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := arxiv.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var ps []paper.Paper
	for rec, err := range r.All() {
		if err != nil {
			t.Fatal(err)
		}
		if rec.Err != nil {
			t.Fatal(rec.Err)
		}
		p := rec.Paper
		p.Normalize()
		ps = append(ps, p)
	}
	if _, err := e.store.UpsertPapers(context.Background(), ps); err != nil {
		t.Fatal(err)
	}
	return ps
}

// quickUser makes an account without the cost of a real password hash.
func (e *env) quickUser(t *testing.T, name string) *community.User {
	t.Helper()
	u := &community.User{Username: name, Email: name + "@example.com"}
	if err := e.store.CreateUser(context.Background(), u, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", false); err != nil {
		t.Fatal(err)
	}
	return u
}

var linkRe = regexp.MustCompile(`https://papers\.example\.org/(verify|reset)/([A-Za-z0-9_-]{43})`)

// nextLink waits for email number n and returns the token of its verify or reset link.
func (e *env) nextLink(t *testing.T, n int, kind string) (token string, msg mailtest.Received) {
	t.Helper()
	msg, ok := e.smtp.Wait(n, 10*time.Second)
	if !ok {
		t.Fatalf("email %d did not arrive", n)
	}
	m := linkRe.FindStringSubmatch(strings.ReplaceAll(string(msg.Data), "=\r\n", ""))
	if m == nil || m[1] != kind {
		t.Fatalf("no %s link in email %d: %q", kind, n, msg.Data)
	}
	return m[2], msg
}

// signUp signs up and follows the emailed link, returning the user and session secret.
func (e *env) signUp(t *testing.T, name, email, pw string) (*community.User, string) {
	t.Helper()
	n := len(e.smtp.Messages()) + 1
	if err := e.svc.SignUp(context.Background(), name, email, pw, "10.9.9.9"); err != nil {
		t.Fatal(err)
	}
	token, _ := e.nextLink(t, n, "verify")
	u, raw, _, err := e.svc.VerifyEmail(context.Background(), token, "10.9.9.9", "test")
	if err != nil {
		t.Fatal(err)
	}
	return u, raw
}

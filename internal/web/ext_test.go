package web

import (
	"bytes"
	"io/fs"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/paperboy/paperboy/internal/paper"
)

// An extension redefines layout slots in templates/ext and adds pages in
// templates/pages, as README-extend.md says; file order must not matter.
func TestExtensionTemplates(t *testing.T) {
	files := fstest.MapFS{}
	err := fs.WalkDir(embedded, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(embedded, p)
		files[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	files["templates/ext/aa-community.html"] = &fstest.MapFile{Data: []byte(
		`{{define "header-account"}}{{if .User}}<a href="/u/{{.User.Username}}">me</a>{{else}}<a href="/login">Log in</a>{{end}}{{end}}` +
			`{{define "card-vote"}}<form method="post" action="/vote/{{.ID}}"><input type="hidden" name="csrf" value="{{.Page.CSRFToken}}"><button>▲ {{.Upvotes}}</button></form>{{end}}` +
			`{{define "paper-comments"}}<section id="comments">{{index .Ext "comments"}}</section>{{end}}` +
			`{{define "paper-actions"}}<form method="post" action="/vote/{{.Paper.ID}}"><button>Upvote {{.Paper.Upvotes}}</button></form>{{end}}` +
			`{{define "paper-similar"}}<section id="similar-ext">{{len .Similar}} similar</section>{{end}}`)}
	files["templates/pages/login.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}<h1>Log in</h1>{{end}}`)}

	ts := seededServer(t)
	tmpl, err := parseTemplates(files, ts.funcs())
	if err != nil {
		t.Fatal(err)
	}
	ts.tmpl = tmpl
	r := httptest.NewRequest("GET", "/", nil)
	r = r.WithContext(WithSession(r.Context(), &Session{CSRFToken: "t0k"}))

	p, err := ts.store.Paper(r.Context(), "2405.15738")
	if err != nil {
		t.Fatal(err)
	}
	pg := &PaperPage{Base: ts.newBase(r, "x"), Paper: p, Similar: []paper.Paper{*p}}
	pg.Ext = map[string]any{"comments": "3 comments here"}
	var buf bytes.Buffer
	if err := tmpl.pages["paper"].ExecuteTemplate(&buf, "base", pg); err != nil {
		t.Fatal(err)
	}
	checkBody(t, "paper", buf.String(),
		[]string{`<a href="/login">Log in</a>`, `<section id="comments">3 comments here</section>`,
			`action="/vote/2405.15738"`, "<button>Upvote 32</button>", `<section id="similar-ext">1 similar</section>`},
		[]string{"Similar papers", `class="vote vote-large"`})

	buf.Reset()
	feed := &FeedPage{Base: ts.newBase(r, "x"), Papers: []paper.Paper{*p}, Total: 1}
	if err := tmpl.pages["feed"].ExecuteTemplate(&buf, "base", feed); err != nil {
		t.Fatal(err)
	}
	checkBody(t, "feed", buf.String(), []string{`action="/vote/2405.15738"`, `value="t0k"`, "<button>▲ 32</button>"}, []string{`class="vote"`})

	buf.Reset()
	if err := tmpl.pages["login"].ExecuteTemplate(&buf, "base", &ErrorPage{Base: ts.newBase(r, "Log in")}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "<h1>Log in</h1>") || !strings.Contains(buf.String(), `href="/login"`) {
		t.Errorf("login page:\n%s", buf.String())
	}
}

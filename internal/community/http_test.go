package community_test

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/paperboy/paperboy/internal/community"
)

// protectedSite is a minimal site behind Protect: GET /token shows the
// viewer's CSRF token and user, POST /login logs in, POST /act changes state.
func protectedSite(t *testing.T, e *env) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /token", func(w http.ResponseWriter, r *http.Request) {
		v := community.ViewerFrom(r.Context())
		name := ""
		if v.User != nil {
			name = v.User.Username
		}
		fmt.Fprintf(w, "%s %s", v.CSRF, name)
	})
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		u, raw, ses, err := e.svc.LogIn(r.Context(), r.PostFormValue("login"), r.PostFormValue("password"), e.svc.ClientIP(r), r.UserAgent())
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		r = e.svc.SetSessionCookie(w, r, raw, ses, u)
		fmt.Fprint(w, community.CSRFToken(r.Context()))
	})
	mux.HandleFunc("POST /act", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "done") })
	mux.HandleFunc("POST /hook", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "hooked") })
	h, err := e.svc.Protect(mux, community.HTTPOptions{Exempt: []string{"POST /hook"}})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

type client struct {
	t       *testing.T
	h       http.Handler
	cookies map[string]*http.Cookie
}

func (c *client) do(method, path string, form url.Values, hdr map[string]string) (*http.Response, string) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, "http://paperboy.test"+path, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	for _, ck := range c.cookies {
		r.AddCookie(ck)
	}
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, r)
	res := w.Result()
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck
		}
	}
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestCSRF(t *testing.T) {
	e := newEnv(t, nil)
	h := protectedSite(t, e)
	c := &client{t: t, h: h, cookies: map[string]*http.Cookie{}}
	_, body := c.do("GET", "/token", nil, nil)
	anonToken := strings.Fields(body)[0]
	if c.cookies[community.AnonCookie] == nil || !c.cookies[community.AnonCookie].HttpOnly {
		t.Fatalf("no HttpOnly anonymous cookie: %v", c.cookies)
	}
	for _, test := range []struct {
		name string
		form url.Values
		hdr  map[string]string
		want int
	}{
		{"no token", url.Values{"x": {"1"}}, nil, 403},
		{"wrong token", url.Values{"csrf": {"forged"}}, nil, 403},
		{"empty token", url.Values{"csrf": {""}}, nil, 403},
		{"form token", url.Values{"csrf": {anonToken}}, nil, 200},
		{"header token", url.Values{}, map[string]string{"X-CSRF-Token": anonToken}, 200},
		{"cross-site with a token", url.Values{"csrf": {anonToken}}, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"foreign origin with a token", url.Values{"csrf": {anonToken}}, map[string]string{"Origin": "https://evil.example"}, 403},
	} {
		res, body := c.do("POST", "/act", test.form, test.hdr)
		if res.StatusCode != test.want {
			t.Errorf("%s: status %d (%s), want %d", test.name, res.StatusCode, body, test.want)
		}
	}
	// Another visitor's token does not work with my cookie.
	other := &client{t: t, h: h, cookies: map[string]*http.Cookie{}}
	_, otherBody := other.do("GET", "/token", nil, nil)
	if res, _ := c.do("POST", "/act", url.Values{"csrf": {strings.Fields(otherBody)[0]}}, nil); res.StatusCode != 403 {
		t.Errorf("another visitor's token accepted: %d", res.StatusCode)
	}
	// Exempt patterns skip the check.
	if res, _ := c.do("POST", "/hook", url.Values{}, nil); res.StatusCode != 200 {
		t.Errorf("exempt path: %d", res.StatusCode)
	}
}

func TestSessionFixationAndCookies(t *testing.T) {
	e := newEnv(t, nil)
	ctx := t.Context()
	if _, err := e.svc.CreateUser(ctx, "victim", "victim@example.com", "victim password", false); err != nil {
		t.Fatal(err)
	}
	h := protectedSite(t, e)
	c := &client{t: t, h: h, cookies: map[string]*http.Cookie{}}
	// The attacker plants a session id of their choosing in the victim's browser.
	planted := "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	c.cookies[community.SessionCookie] = &http.Cookie{Name: community.SessionCookie, Value: planted}
	_, body := c.do("GET", "/token", nil, nil)
	if c.cookies[community.SessionCookie] != nil {
		t.Error("unknown session cookie was not cleared")
	}
	anonToken := strings.Fields(body)[0]
	c.cookies[community.SessionCookie] = &http.Cookie{Name: community.SessionCookie, Value: planted}
	res, newToken := c.do("POST", "/login", url.Values{"csrf": {anonToken}, "login": {"victim"}, "password": {"victim password"}}, nil)
	if res.StatusCode != 200 {
		t.Fatalf("login: %d %s", res.StatusCode, newToken)
	}
	ck := c.cookies[community.SessionCookie]
	if ck == nil || ck.Value == planted {
		t.Fatalf("login kept the planted session id: %v (Set-Cookie %q)", ck, res.Header["Set-Cookie"])
	}
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure || ck.Path != "/" {
		t.Errorf("session cookie attributes over plain HTTP: %+v", ck)
	}
	// The planted id grants nothing; the new one does.
	attacker := &client{t: t, h: h, cookies: map[string]*http.Cookie{community.SessionCookie: {Name: community.SessionCookie, Value: planted}}}
	if _, body := attacker.do("GET", "/token", nil, nil); strings.Contains(body, "victim") {
		t.Error("the planted session id is logged in")
	}
	if _, body := c.do("GET", "/token", nil, nil); !strings.HasSuffix(body, " victim") || strings.Fields(body)[0] != newToken {
		t.Errorf("after login: %q", body)
	}
	// The token from before login is no longer valid.
	if res, _ := c.do("POST", "/act", url.Values{"csrf": {anonToken}}, nil); res.StatusCode != 403 {
		t.Errorf("pre-login token accepted after login: %d", res.StatusCode)
	}
	if res, _ := c.do("POST", "/act", url.Values{"csrf": {newToken}}, nil); res.StatusCode != 200 {
		t.Errorf("session token refused: %d", res.StatusCode)
	}
	// Over TLS the cookie is Secure.
	r := httptest.NewRequest("POST", "https://paperboy.test/login", strings.NewReader(url.Values{"csrf": {anonToken}, "login": {"victim"}, "password": {"victim password"}}.Encode()))
	r.TLS = &tls.ConnectionState{}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, k := range []string{community.AnonCookie} {
		r.AddCookie(c.cookies[k])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var secure bool
	for _, ck := range w.Result().Cookies() {
		if ck.Name == community.SessionCookie {
			secure = ck.Secure
		}
	}
	if w.Code != 200 || !secure {
		t.Errorf("login over TLS: %d, Secure=%v", w.Code, secure)
	}
}

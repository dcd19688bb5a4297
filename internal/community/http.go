package community

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/paperboy/paperboy/internal/auth"
)

// Cookie names.
const (
	SessionCookie = "paperboy_session"
	// AnonCookie binds the CSRF token of a visitor who is not logged in
	// (the log-in and sign-up forms), in the signed double-submit pattern.
	AnonCookie = "paperboy_anon"
	// CSRFField and CSRFHeader carry the token in forms and in fetch requests.
	CSRFField  = "csrf"
	CSRFHeader = "X-CSRF-Token"
)

// HTTPOptions configure the web hooks.
type HTTPOptions struct {
	// SecureCookies marks cookies Secure even when the request came over
	// plain HTTP (behind a TLS-terminating proxy). Requests over TLS always
	// get Secure cookies.
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For (first hop).
	TrustProxy bool
	// CSRFKey signs the anonymous CSRF tokens; random per process when nil
	// (then a log-in form left open across a restart must be reloaded).
	CSRFKey []byte
	// TrustedOrigins are extra origins allowed to POST ("https://papers.example.org").
	TrustedOrigins []string
	// Exempt are ServeMux patterns that skip CSRF checks (such as a
	// one-click unsubscribe endpoint that authenticates by its own token).
	Exempt []string
	// Forbidden, when set, writes the 403 answer to a refused request (the
	// site's error page); nil writes plain text.
	Forbidden func(w http.ResponseWriter, r *http.Request, msg string)
}

// Viewer is who is making a request.
type Viewer struct {
	User    *User    // nil when not logged in
	Session *Session // nil when not logged in
	CSRF    string   // the token forms and fetch requests must send back
	raw     string   // the session cookie's secret
}

type viewerKey struct{}

// ViewerFrom returns the request's viewer (never nil inside the middleware).
func ViewerFrom(ctx context.Context) *Viewer {
	if v, ok := ctx.Value(viewerKey{}).(*Viewer); ok {
		return v
	}
	return &Viewer{}
}

// UserFrom is the logged-in user, or nil.
func UserFrom(ctx context.Context) *User { return ViewerFrom(ctx).User }

// CSRFToken is the token to put in forms (template func "csrfToken").
func CSRFToken(ctx context.Context) string { return ViewerFrom(ctx).CSRF }

// Protect wraps the site: it loads the viewer from the session cookie, and
// rejects every state-changing request (POST, PUT, PATCH, DELETE) that is
// cross-origin (net/http.CrossOriginProtection) or lacks the viewer's CSRF
// token (synchronizer token per session; signed double-submit token before
// login), with 403.
func (s *Service) Protect(next http.Handler, o HTTPOptions) (http.Handler, error) {
	if o.CSRFKey == nil {
		o.CSRFKey = make([]byte, 32)
		rand.Read(o.CSRFKey)
	}
	s.httpOpts = o
	cop := http.NewCrossOriginProtection()
	for _, origin := range o.TrustedOrigins {
		if err := cop.AddTrustedOrigin(origin); err != nil {
			return nil, err
		}
	}
	exempt := http.NewServeMux()
	for _, p := range o.Exempt {
		cop.AddInsecureBypassPattern(p)
		exempt.Handle(p, http.NotFoundHandler())
	}
	forbidden := func(w http.ResponseWriter, r *http.Request, msg string) {
		w.Header().Set("Cache-Control", "no-store")
		if o.Forbidden != nil {
			o.Forbidden(w, r, msg)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte("403 Forbidden: " + msg + "\n"))
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		forbidden(w, r, "This request came from another site, so it was refused.")
	}))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := s.loadViewer(w, r)
		r = r.WithContext(context.WithValue(r.Context(), viewerKey{}, v))
		if unsafeMethod(r.Method) {
			if _, pattern := exempt.Handler(r); pattern == "" {
				got := r.Header.Get(CSRFHeader)
				if got == "" {
					r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
					got = r.PostFormValue(CSRFField)
				}
				if v.CSRF == "" || subtle.ConstantTimeCompare([]byte(got), []byte(v.CSRF)) != 1 {
					forbidden(w, r, "The form's security token is missing or expired. Go back, reload the page and try again.")
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
	return cop.Handler(h), nil
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions && m != http.MethodTrace
}

func (s *Service) loadViewer(w http.ResponseWriter, r *http.Request) *Viewer {
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		ses, u, err := s.Authenticate(r.Context(), c.Value)
		if err == nil {
			return &Viewer{User: u, Session: ses, CSRF: ses.CSRFToken, raw: c.Value}
		}
		if !errors.Is(err, ErrUnauthorized) {
			s.log.Error("load session", "err", err)
		}
		s.ClearSessionCookie(w, r) // expired or revoked
	}
	anon := ""
	if c, err := r.Cookie(AnonCookie); err == nil && len(c.Value) == 43 {
		anon = c.Value
	} else {
		anon, _ = auth.NewToken()
		http.SetCookie(w, &http.Cookie{Name: AnonCookie, Value: anon, Path: "/", HttpOnly: true,
			Secure: s.secure(r), SameSite: http.SameSiteLaxMode, MaxAge: 7 * 24 * 3600})
	}
	return &Viewer{CSRF: auth.MAC(s.httpOpts.CSRFKey, "csrf:"+anon)}
}

func (s *Service) secure(r *http.Request) bool { return r.TLS != nil || s.httpOpts.SecureCookies }

// SetSessionCookie gives the browser a new session (after log-in, sign-up or
// password reset) and replaces the viewer in r's context, so that the rest
// of the request sees the new user and CSRF token.
func (s *Service) SetSessionCookie(w http.ResponseWriter, r *http.Request, raw string, ses *Session, u *User) *http.Request {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: raw, Path: "/", HttpOnly: true,
		Secure: s.secure(r), SameSite: http.SameSiteLaxMode, Expires: ses.Expires,
		MaxAge: int(math.Ceil(ses.Expires.Sub(s.opts.Now()).Seconds()))})
	v := &Viewer{User: u, Session: ses, CSRF: ses.CSRFToken, raw: raw}
	return r.WithContext(context.WithValue(r.Context(), viewerKey{}, v))
}

// ClearSessionCookie removes the session cookie.
func (s *Service) ClearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.secure(r), SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// LogOutRequest ends the request's session and clears its cookie.
func (s *Service) LogOutRequest(w http.ResponseWriter, r *http.Request) error {
	v := ViewerFrom(r.Context())
	s.ClearSessionCookie(w, r)
	return s.LogOut(r.Context(), v.raw)
}

// ClientIP is the address rate limits count by.
func (s *Service) ClientIP(r *http.Request) string {
	if s.httpOpts.TrustProxy {
		if f := r.Header.Get("X-Forwarded-For"); f != "" {
			return strings.TrimSpace(strings.Split(f, ",")[0])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// WriteRetryAfter sets Retry-After for a RateLimitError and reports whether err is one.
func WriteRetryAfter(w http.ResponseWriter, err error) bool {
	var rl *RateLimitError
	if !errors.As(err, &rl) {
		return false
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(rl.RetryAfter.Seconds()))))
	return true
}

package web

// The community layer's web side: the session middleware, the hooks that
// mark votes and fill comment threads, and shared helpers for the account,
// comment, profile and admin handlers (account.go, comments.go, profile.go,
// admin.go). Everything here is off when Config.Community is nil.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/paperboy/paperboy/internal/community"
	"github.com/paperboy/paperboy/internal/paper"
)

// Community is the community layer as the web pages use it
// (*community.Service implements it).
type Community interface {
	Protect(next http.Handler, o community.HTTPOptions) (http.Handler, error)
	ClientIP(r *http.Request) string
	SetSessionCookie(w http.ResponseWriter, r *http.Request, raw string, ses *community.Session, u *community.User) *http.Request
	LogOutRequest(w http.ResponseWriter, r *http.Request) error
	ClearSessionCookie(w http.ResponseWriter, r *http.Request)

	SignUp(ctx context.Context, username, email, password, ip string) error
	VerifyEmail(ctx context.Context, token, ip, userAgent string) (*community.User, string, *community.Session, error)
	LogIn(ctx context.Context, login, password, ip, userAgent string) (*community.User, string, *community.Session, error)
	LogOutEverywhere(ctx context.Context, u *community.User) error
	ChangePassword(ctx context.Context, u *community.User, ses *community.Session, current, next string) error
	RequestPasswordReset(ctx context.Context, email, ip string) error
	ResetPassword(ctx context.Context, token, password, ip, userAgent string) (*community.User, string, *community.Session, error)

	Vote(ctx context.Context, u *community.User, paperID string, on bool, ip string) (int, error)
	VotedOn(ctx context.Context, u *community.User, ids []string) (map[string]bool, error)
	Submit(ctx context.Context, u *community.User, input string) (string, bool, error)

	AddComment(ctx context.Context, u *community.User, paperID string, parentID int64, body, ip string) (*community.Comment, error)
	OwnComment(ctx context.Context, u *community.User, id int64) (*community.Comment, error)
	EditComment(ctx context.Context, u *community.User, id int64, body string) (*community.Comment, error)
	DeleteComment(ctx context.Context, u *community.User, id int64) (*community.Comment, error)
	HideComment(ctx context.Context, mod *community.User, id int64, hidden bool) (*community.Comment, error)
	Thread(ctx context.Context, paperID string, viewer *community.User) ([]*community.CommentNode, error)

	Profile(ctx context.Context, username string) (*community.Profile, error)
	Users(ctx context.Context, viewer *community.User, limit, offset int) ([]community.User, error)
	Ban(ctx context.Context, mod *community.User, username string, banned bool) error
	SetRole(ctx context.Context, admin *community.User, username, role string) error
}

var _ Community = (*community.Service)(nil)

// communityRoutes registers the community pages (one line in routes.go).
func (s *Server) communityRoutes(mux *http.ServeMux) {
	if s.cfg.Community == nil {
		return
	}
	s.handle(mux, "GET /signup", s.handleSignUpForm)
	s.handle(mux, "POST /signup", s.handleSignUp)
	s.handle(mux, "GET /verify/{token}", s.handleVerifyForm)
	s.handle(mux, "POST /verify/{token}", s.handleVerify)
	s.handle(mux, "GET /login", s.handleLoginForm)
	s.handle(mux, "POST /login", s.handleLogin)
	s.handle(mux, "POST /logout", s.handleLogout)
	s.handle(mux, "GET /reset", s.handleResetRequestForm)
	s.handle(mux, "POST /reset", s.handleResetRequest)
	s.handle(mux, "GET /reset/{token}", s.handleResetForm)
	s.handle(mux, "POST /reset/{token}", s.handleReset)
	s.handle(mux, "GET /settings", s.handleSettings)
	s.handle(mux, "POST /settings/password", s.handleChangePassword)
	s.handle(mux, "POST /settings/logout-all", s.handleLogoutAll)

	s.handle(mux, "POST /vote", s.handleVote)
	s.handle(mux, "GET /trending", s.handleTrending)
	s.handle(mux, "GET /submit", s.handleSubmitForm)
	s.handle(mux, "POST /submit", s.handleSubmit)

	s.handle(mux, "POST /comments", s.handleAddComment)
	s.handle(mux, "GET /comments/{cid}/edit", s.handleEditCommentForm)
	s.handle(mux, "POST /comments/{cid}/edit", s.handleEditComment)
	s.handle(mux, "POST /comments/{cid}/delete", s.handleDeleteComment)
	s.handle(mux, "POST /comments/{cid}/hide", s.handleHideComment)

	s.handle(mux, "GET /u/{username}", s.handleProfile)
	s.handle(mux, "GET /admin", s.handleAdmin)
	s.handle(mux, "POST /admin/role", s.handleSetRole)
	s.handle(mux, "POST /admin/ban", s.handleBan)
}

// communityMiddleware loads the viewer from the session cookie, enforces
// CSRF protection on every state-changing request, and hands the layout
// what it shows (user, CSRF token, flash message). One line in chain().
func (s *Server) communityMiddleware(next http.Handler) http.Handler {
	c := s.cfg.Community
	if c == nil {
		return next
	}
	bridge := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, s.withViewer(w, r))
	})
	opts := s.cfg.CommunityHTTP
	if opts.Forbidden == nil {
		opts.Forbidden = func(w http.ResponseWriter, r *http.Request, msg string) {
			s.renderError(w, r, http.StatusForbidden, msg, Link{})
		}
	}
	h, err := c.Protect(bridge, opts)
	if err != nil {
		// Only a malformed trusted origin gets here, at startup.
		panic(fmt.Sprintf("web: community options: %v", err))
	}
	return h
}

// withViewer puts the web.Session the layout reads into r's context.
func (s *Server) withViewer(w http.ResponseWriter, r *http.Request) *http.Request {
	v := community.ViewerFrom(r.Context())
	sess := &Session{CSRFToken: v.CSRF}
	if u := v.User; u != nil {
		sess.User = &User{Username: u.Username, IsAdmin: u.IsAdmin(), IsModerator: u.IsModerator()}
	}
	if f := takeFlash(w, r); f != nil {
		sess.Flashes = append(sess.Flashes, *f)
	}
	return r.WithContext(WithSession(r.Context(), sess))
}

// communityHooks marks the cards the reader upvoted and fills paper pages'
// vote and comment thread. One line in hooks().
func (s *Server) communityHooks() {
	if s.cfg.Community == nil {
		return
	}
	s.onCards(s.markVoted)
	s.onPaper(s.paperCommunity)
}

func (s *Server) markVoted(r *http.Request, b *Base, papers []paper.Paper) error {
	setExt(b, "community", true)
	u := community.UserFrom(r.Context())
	if u == nil || len(papers) == 0 {
		return nil
	}
	ids := make([]string, len(papers))
	for i, p := range papers {
		ids[i] = p.ID
	}
	voted, err := s.cfg.Community.VotedOn(r.Context(), u, ids)
	if err != nil {
		return fmt.Errorf("votes of %s: %w", u.Username, err)
	}
	if old, ok := b.Ext["voted"].(map[string]bool); ok { // several lists on one page
		for k, v := range old {
			voted[k] = v
		}
	}
	setExt(b, "voted", voted)
	return nil
}

func (s *Server) paperCommunity(r *http.Request, pg *PaperPage) error {
	if err := s.markVoted(r, &pg.Base, []paper.Paper{*pg.Paper}); err != nil {
		return err
	}
	u := community.UserFrom(r.Context())
	thread, err := s.cfg.Community.Thread(r.Context(), pg.Paper.ID, u)
	if err != nil {
		return fmt.Errorf("comments on %s: %w", pg.Paper.ID, err)
	}
	setExt(&pg.Base, "thread", commentViews(thread, &pg.Base, pg.Paper.ID, u.IsModerator()))
	return nil
}

// CommentView is one comment as the "comment" template renders it: the
// node, and what its forms need from the page.
type CommentView struct {
	*community.CommentNode
	Page      *Base
	PaperID   string
	Moderator bool // the viewer may hide it
	Replies   []CommentView
}

func commentViews(ns []*community.CommentNode, b *Base, paperID string, mod bool) []CommentView {
	out := make([]CommentView, len(ns))
	for i, n := range ns {
		out[i] = CommentView{CommentNode: n, Page: b, PaperID: paperID, Moderator: mod,
			Replies: commentViews(n.Replies, b, paperID, mod)}
	}
	return out
}

func setExt(b *Base, k string, v any) {
	if b.Ext == nil {
		b.Ext = map[string]any{}
	}
	b.Ext[k] = v
}

// Flash messages survive one redirect in a cookie that holds a code, never
// text, so nobody can make the site say something of their choosing.
const flashCookie = "paperboy_flash"

var flashes = map[string]Flash{
	"welcome":        {"success", "Welcome to Paperboy! Your email address is confirmed and you are logged in."},
	"login":          {"success", "You are logged in."},
	"logout":         {"info", "You are logged out."},
	"logout-all":     {"info", "You are logged out on every device."},
	"password":       {"success", "Your password is changed. Your other sessions were logged out."},
	"reset":          {"success", "Your new password is set and you are logged in. Any other sessions were logged out."},
	"submitted":      {"success", "Thanks! The paper is on today's feed, submitted by you."},
	"already":        {"info", "That paper is already on Paperboy; here it is."},
	"commented":      {"success", "Your comment is posted."},
	"comment-edited": {"success", "Your comment is updated."},
	"comment-gone":   {"info", "Your comment is deleted."},
	"comment-empty":  {"error", "Your comment was empty, so nothing was posted."},
	"comment-long":   {"error", "That comment is too long (10,000 characters at most)."},
	"hidden":         {"info", "The comment is hidden."},
	"shown":          {"info", "The comment is visible again."},
	"role":           {"success", "The role is changed."},
	"banned":         {"info", "The user is suspended: logged out, and their comments hidden."},
	"unbanned":       {"info", "The user is reinstated."},
	"login-needed":   {"info", "Log in or sign up to do that."},
	"rate-limited":   {"error", "You are doing that too often. Wait a little and try again."},
}

func setFlash(w http.ResponseWriter, code string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: code, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

func takeFlash(w http.ResponseWriter, r *http.Request) *Flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: -1})
	if f, ok := flashes[c.Value]; ok {
		return &f
	}
	return nil
}

// redirect answers a form POST with 303 See Other to a local path, with a flash.
func redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		setFlash(w, flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// localPath accepts only a path on this site for ?next= (no "//evil" or "https://…").
func localPath(next, fallback string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return fallback
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return fallback
	}
	return next
}

// requireUser returns the logged-in user or sends the reader to log in.
func (s *Server) requireUser(w http.ResponseWriter, r *http.Request) (*community.User, bool) {
	u := community.UserFrom(r.Context())
	if u != nil {
		return u, true
	}
	next := r.URL.RequestURI()
	if r.Method != http.MethodGet {
		next = localPath(r.Referer(), "/")
		if ref, err := url.Parse(r.Referer()); err == nil {
			next = localPath(ref.RequestURI(), "/")
		}
	}
	if wantsJSON(r) {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "log in to do that", "login": "/login?next=" + url.QueryEscape(next)})
		return nil, false
	}
	redirect(w, r, "/login?next="+url.QueryEscape(next), "login-needed")
	return nil, false
}

// wantsJSON is true for the fetch requests of community.js.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// communityError maps the community layer's errors to pages (or JSON).
func (s *Server) communityError(w http.ResponseWriter, r *http.Request, err error) error {
	if community.WriteRetryAfter(w, err) {
		if wantsJSON(r) {
			writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": err.Error()})
			return nil
		}
		return &Error{Status: http.StatusTooManyRequests, Message: "You are doing that too often. " + capitalize(err.Error()) + ".", Err: err}
	}
	status := http.StatusInternalServerError
	msg := ""
	switch {
	case errors.Is(err, community.ErrUnauthorized):
		status, msg = http.StatusUnauthorized, "Log in to do that."
	case errors.Is(err, community.ErrBanned):
		status, msg = http.StatusForbidden, "Your account is suspended."
	case errors.Is(err, community.ErrForbidden):
		status, msg = http.StatusForbidden, "You are not allowed to do that."
	case errors.Is(err, community.ErrTokenInvalid):
		status, msg = http.StatusBadRequest, capitalize(err.Error())+"."
	case errors.Is(err, community.ErrUnavailable):
		status, msg = http.StatusBadGateway, capitalize(strings.TrimPrefix(err.Error(), community.ErrUnavailable.Error()+": "))
	case errors.Is(err, paper.ErrNotFound):
		status, msg = http.StatusNotFound, "We could not find what you asked for."
	case errors.Is(err, paper.ErrInvalid):
		status, msg = http.StatusBadRequest, readable(err.Error())
	default:
		return err
	}
	if wantsJSON(r) {
		writeJSON(w, status, map[string]any{"error": msg})
		return nil
	}
	return &Error{Status: status, Message: msg, Err: err}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// handleVote records or withdraws an upvote. A plain form POST comes back
// to the page it came from; community.js's fetch gets JSON.
func (s *Server) handleVote(w http.ResponseWriter, r *http.Request) error {
	u, ok := s.requireUser(w, r)
	if !ok {
		return nil
	}
	id := r.PostFormValue("paper")
	on := r.PostFormValue("on") == "1"
	votes, err := s.cfg.Community.Vote(r.Context(), u, id, on, s.cfg.Community.ClientIP(r))
	if err != nil {
		return s.communityError(w, r, err)
	}
	if wantsJSON(r) {
		p, err := s.store.Paper(r.Context(), id)
		if err != nil {
			return s.communityError(w, r, err)
		}
		writeJSON(w, http.StatusOK, map[string]any{"paper": p.ID, "voted": on, "votes": votes,
			"source_upvotes": p.SourceUpvotes, "upvotes": p.Upvotes(), "tip": upvoteTip(p)})
		return nil
	}
	back := localPath(r.PostFormValue("next"), paperPath(id))
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// TrendingPage is the data of /trending.
type TrendingPage struct {
	Base
	Papers []paper.Paper
	Page   int
	Prev   Link
	Next   Link
	Seeded bool // the demo seeded votes
}

// handleTrending shows what is hot now across all days.
func (s *Server) handleTrending(w http.ResponseWriter, r *http.Request) error {
	pageNo := 1
	if p := r.URL.Query().Get("p"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > maxPage {
			return badRequest("Page %q is not a page number; pages start at 1.", p)
		}
		pageNo = n
	}
	size := s.cfg.PageSize
	res, err := s.store.Papers(r.Context(), paper.Filter{Sort: paper.SortTrending, Limit: size, Offset: (pageNo - 1) * size})
	if err != nil {
		return fmt.Errorf("trending: %w", err)
	}
	pg := &TrendingPage{Base: s.newBase(r, "Trending"), Papers: res.Papers, Page: pageNo, Seeded: s.cfg.DemoVotesSeeded}
	pg.Nav = "trending"
	pg.Description = "Papers getting upvotes now on " + s.cfg.SiteName + "."
	pg.ListPath = "/trending"
	if pageNo > 1 {
		pg.Prev = Link{Label: "Hotter", URL: withQuery("/trending", nil, "p", pageParam(pageNo-1))}
	}
	if pageNo*size < res.Total {
		pg.Next = Link{Label: "More", URL: withQuery("/trending", nil, "p", strconv.Itoa(pageNo+1))}
	}
	if err := s.RunCardHooks(r, &pg.Base, pg.Papers); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "trending", pg)
}

// SubmitPage is the data of /submit.
type SubmitPage struct {
	Base
	Value  string
	Errors map[string]string
}

func (s *Server) handleSubmitForm(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.requireUser(w, r); !ok {
		return nil
	}
	pg := &SubmitPage{Base: s.newBase(r, "Submit a paper"), Value: r.URL.Query().Get("id")}
	pg.Nav = "submit"
	pg.NoIndex = true
	return s.render(w, r, http.StatusOK, "submit", pg)
}

func (s *Server) handleSubmit(w http.ResponseWriter, r *http.Request) error {
	u, ok := s.requireUser(w, r)
	if !ok {
		return nil
	}
	input := r.PostFormValue("id")
	id, existed, err := s.cfg.Community.Submit(r.Context(), u, input)
	if err != nil {
		pg := &SubmitPage{Base: s.newBase(r, "Submit a paper"), Value: input}
		pg.Nav = "submit"
		pg.NoIndex = true
		var fe *community.FormError
		status := http.StatusUnprocessableEntity
		switch {
		case errors.As(err, &fe):
			pg.Errors = fe.Fields
		case community.WriteRetryAfter(w, err):
			status = http.StatusTooManyRequests
			pg.Errors = map[string]string{"id": capitalize(err.Error()) + "."}
		case errors.Is(err, community.ErrUnavailable):
			status = http.StatusBadGateway
			pg.Errors = map[string]string{"id": capitalize(strings.TrimPrefix(err.Error(), community.ErrUnavailable.Error()+": ")) + "."}
		default:
			return s.communityError(w, r, err)
		}
		return s.render(w, r, status, "submit", pg)
	}
	flash := "submitted"
	if existed {
		flash = "already"
	}
	redirect(w, r, paperPath(id), flash)
	return nil
}

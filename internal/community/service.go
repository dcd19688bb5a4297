package community

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/paperboy/paperboy/internal/auth"
	pbmail "github.com/paperboy/paperboy/internal/mail"
	"github.com/paperboy/paperboy/internal/paper"
)

// Fetcher fetches paper metadata from arXiv (internal/arxiv.Client). Its
// errors wrap paper.ErrInvalid for a malformed id and paper.ErrNotFound for an
// id arXiv does not know; anything else means arXiv could not be reached.
type Fetcher interface {
	Fetch(ctx context.Context, ids ...string) ([]paper.Paper, error)
}

// Limits are the rate limits. A nil limiter does not limit.
type Limits struct {
	LoginIP, SignUpIP, ResetIP, ResetEmail *auth.Limiter
	VoteUser, VoteIP                       *auth.Limiter
	CommentUser, CommentIP                 *auth.Limiter
	SubmitUser                             *auth.Limiter
	LoginBackoff                           *auth.Backoff // per account
	LoginIPBackoff                         *auth.Backoff // per address: more failures are free (offices share addresses)
}

// DefaultLimits are generous for people and tight for scripts.
func DefaultLimits() Limits {
	return Limits{
		LoginIP:        auth.NewLimiter(20, 30*time.Second),
		SignUpIP:       auth.NewLimiter(5, 10*time.Minute),
		ResetIP:        auth.NewLimiter(5, 5*time.Minute),
		ResetEmail:     auth.NewLimiter(3, 15*time.Minute),
		VoteUser:       auth.NewLimiter(60, time.Second),
		VoteIP:         auth.NewLimiter(300, 200*time.Millisecond),
		CommentUser:    auth.NewLimiter(5, 30*time.Second),
		CommentIP:      auth.NewLimiter(20, 15*time.Second),
		SubmitUser:     auth.NewLimiter(10, 2*time.Minute),
		LoginBackoff:   auth.NewBackoff(),
		LoginIPBackoff: &auth.Backoff{Free: 20, Base: time.Second, Max: 15 * time.Minute},
	}
}

// Options configure a Service.
type Options struct {
	// BaseURL is the public address of the site, for links in email
	// ("https://papers.example.org"); env PAPERBOY_BASE_URL.
	BaseURL    string
	SessionTTL time.Duration // 30 days when zero
	ResetTTL   time.Duration // 1 hour when zero
	Limits     *Limits       // DefaultLimits when nil
	Logger     *slog.Logger
	Now        func() time.Time
}

// Service is the community layer.
type Service struct {
	store   Store
	mailer  pbmail.Mailer
	fetcher Fetcher
	opts    Options
	limits  Limits
	log     *slog.Logger

	httpOpts HTTPOptions // set by Protect
	mailWG   sync.WaitGroup
}

// New returns a Service. fetcher may be nil (submissions then fail with ErrUnavailable).
func New(store Store, mailer pbmail.Mailer, fetcher Fetcher, opts Options) *Service {
	if opts.SessionTTL == 0 {
		opts.SessionTTL = 30 * 24 * time.Hour
	}
	if opts.ResetTTL == 0 {
		opts.ResetTTL = time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.BaseURL == "" {
		opts.BaseURL = "http://localhost:8080"
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	s := &Service{store: store, mailer: mailer, fetcher: fetcher, opts: opts, log: opts.Logger}
	if opts.Limits != nil {
		s.limits = *opts.Limits
	} else {
		s.limits = DefaultLimits()
	}
	if s.limits.LoginBackoff == nil {
		s.limits.LoginBackoff = &auth.Backoff{Free: 1 << 30}
	}
	if s.limits.LoginIPBackoff == nil {
		s.limits.LoginIPBackoff = &auth.Backoff{Free: 1 << 30}
	}
	return s
}

// Store is the service's store.
func (s *Service) Store() Store { return s.store }

// FormError carries per-field messages for a form; the web layer shows them
// beside the fields.
type FormError struct {
	Fields map[string]string
}

func (e *FormError) Error() string {
	var parts []string
	for k, v := range e.Fields {
		parts = append(parts, k+": "+v)
	}
	return fmt.Sprintf("%v: %s", ErrInvalid, strings.Join(parts, "; "))
}

func (e *FormError) Unwrap() error { return ErrInvalid }

func fieldErr(field, msg string) *FormError {
	return &FormError{Fields: map[string]string{field: msg}}
}

var usernameRe = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9_-]{1,28}[A-Za-z0-9])$`)

// reserved names that would be confusing as /u/{name} or in "Submitted by".
var reserved = map[string]bool{"admin": true, "administrator": true, "root": true, "paperboy": true, "moderator": true,
	"system": true, "support": true, "api": true, "login": true, "logout": true, "signup": true, "settings": true, "anonymous": true, "deleted": true}

// ValidateUsername checks a username: 3-30 ASCII letters, digits, '-' or '_',
// starting and ending with a letter or digit.
func ValidateUsername(name string) error {
	if !usernameRe.MatchString(name) {
		return fmt.Errorf("%w: use 3 to 30 letters, digits, '-' or '_', starting and ending with a letter or digit", ErrInvalid)
	}
	if reserved[strings.ToLower(name)] {
		return fmt.Errorf("%w: %q is reserved", ErrInvalid, name)
	}
	return nil
}

// NormalizeEmail validates an address and returns it trimmed, lower-cased.
func NormalizeEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 254 || !strings.Contains(email[strings.LastIndexByte(email, '@'):], ".") {
		return "", fmt.Errorf("%w: enter an email address such as ada@example.org", ErrInvalid)
	}
	return strings.ToLower(email), nil
}

// ValidatePassword checks a new password's length (NIST 800-63B: length
// over composition rules).
func ValidatePassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	if n < auth.MinPasswordLen {
		return fmt.Errorf("%w: use at least %d characters", ErrInvalid, auth.MinPasswordLen)
	}
	if len(pw) > auth.MaxPasswordLen {
		return fmt.Errorf("%w: use at most %d bytes", ErrInvalid, auth.MaxPasswordLen)
	}
	return nil
}

func limit(l *auth.Limiter, action, key string) error {
	if ok, wait := l.Allow(key); !ok {
		return &RateLimitError{Action: action, RetryAfter: max(wait, time.Second)}
	}
	return nil
}

// CreateUser makes an account directly (the CLI's `paperboy user create`);
// admin makes it an administrator.
func (s *Service) CreateUser(ctx context.Context, username, email, password string, admin bool) (*User, error) {
	u, hash, err := s.prepareUser(ctx, username, email, password)
	if err != nil {
		return nil, err
	}
	u.Verified = true // an operator vouches for it
	if admin {
		u.Role = RoleAdmin
	}
	if err := s.store.CreateUser(ctx, u, hash, !admin); err != nil {
		return nil, err
	}
	return u, nil
}

func (s *Service) prepareUser(ctx context.Context, username, email, password string) (*User, string, error) {
	fe := &FormError{Fields: map[string]string{}}
	username = strings.TrimSpace(username)
	if err := ValidateUsername(username); err != nil {
		fe.Fields["username"] = strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": ")
	}
	em, err := NormalizeEmail(email)
	if err != nil {
		fe.Fields["email"] = strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": ")
	}
	if err := ValidatePassword(password); err != nil {
		fe.Fields["password"] = strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": ")
	}
	if len(fe.Fields) > 0 {
		return nil, "", fe
	}
	hash, err := auth.HashPassword(ctx, password)
	if err != nil {
		return nil, "", err
	}
	return &User{Username: username, Email: em}, hash, nil
}

// SignUp registers an account and emails a link that confirms the address
// and logs the user in. The first account becomes admin when there is none.
// A taken username is reported (profiles are public anyway). A taken email is
// not: the answer is the same as for a new one (nil), the address's owner is
// emailed instead, and the time taken is the same (one password hash, email
// sent in the background). So the form does not tell who has an account.
func (s *Service) SignUp(ctx context.Context, username, email, password, ip string) error {
	if err := limit(s.limits.SignUpIP, "sign-up", "ip:"+ip); err != nil {
		return err
	}
	u, hash, err := s.prepareUser(ctx, username, email, password)
	if err != nil {
		return err
	}
	err = s.store.CreateUser(ctx, u, hash, true)
	switch {
	case errors.Is(err, ErrUsernameTaken):
		return fieldErr("username", "this username is taken; choose another")
	case errors.Is(err, ErrEmailTaken):
		s.sendLater(ctx, pbmail.Message{To: u.Email, Subject: "Sign-up attempt on Paperboy",
			Text: "Someone (maybe you) tried to create a Paperboy account with this email address, which already has one.\n\n" +
				"If it was you, log in at " + s.opts.BaseURL + "/login, or choose a new password at " + s.opts.BaseURL + "/reset.\n" +
				"If not, ignore this message: nothing has changed.\n"})
		s.log.Info("sign-up with an email that has an account")
		return nil
	case err != nil:
		return err
	}
	token, tokenHash := auth.NewToken()
	if err := s.store.CreateUserToken(ctx, u.ID, TokenVerify, tokenHash, s.opts.Now().UTC().Add(VerifyTTL)); err != nil {
		return err
	}
	s.sendLater(ctx, pbmail.Message{To: u.Email, Subject: "Confirm your Paperboy account",
		Text: fmt.Sprintf("Welcome to Paperboy, %s!\n\nTo confirm your email address and log in, open this link within %s:\n\n%s\n\n"+
			"If you did not sign up, ignore this message and the account will not be created.\n",
			u.Username, VerifyTTL, s.opts.BaseURL+"/verify/"+token)})
	s.log.Info("user signed up", "user", u.Username, "role", u.Role)
	return nil
}

// VerifyTTL is how long a sign-up confirmation link works.
const VerifyTTL = 48 * time.Hour

// SignUpSent is what the sign-up form says after any valid submission.
const SignUpSent = "Check your inbox: we sent a link to confirm your address and log you in. (No email after a few minutes? Look in spam, or sign up again.)"

// VerifyEmail spends a sign-up link: it confirms the address and logs the user in.
func (s *Service) VerifyEmail(ctx context.Context, token, ip, userAgent string) (*User, string, *Session, error) {
	if token == "" || len(token) > 100 {
		return nil, "", nil, ErrTokenInvalid
	}
	userID, err := s.store.UseUserToken(ctx, TokenVerify, auth.HashToken(token), s.opts.Now())
	if errors.Is(err, ErrNotFound) {
		return nil, "", nil, ErrTokenInvalid
	}
	if err != nil {
		return nil, "", nil, err
	}
	if err := s.store.SetEmailVerified(ctx, userID); err != nil {
		return nil, "", nil, err
	}
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return nil, "", nil, err
	}
	if u.Banned {
		return nil, "", nil, ErrBanned
	}
	s.log.Info("email confirmed", "user", u.Username)
	raw, ses, err := s.startSession(ctx, u, ip, userAgent)
	return u, raw, ses, err
}

// sendLater sends m in the background: the time an SMTP conversation takes
// would otherwise tell an observer whether an address has an account.
func (s *Service) sendLater(ctx context.Context, m pbmail.Message) {
	ctx = context.WithoutCancel(ctx)
	s.mailWG.Add(1)
	go func() {
		defer s.mailWG.Done()
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		if err := s.mailer.Send(ctx, m); err != nil {
			s.log.Error("send email", "subject", m.Subject, "err", err)
		}
	}()
}

// Wait waits for emails being sent in the background (for shutdown and tests).
func (s *Service) Wait() { s.mailWG.Wait() }

// startSession creates a new session (a new random id every time: a login
// never reuses an id the browser had before, so fixation is impossible).
func (s *Service) startSession(ctx context.Context, u *User, ip, userAgent string) (string, *Session, error) {
	raw, hash := auth.NewToken()
	csrf, _ := auth.NewToken()
	now := s.opts.Now().UTC()
	if len(userAgent) > 200 {
		userAgent = userAgent[:200]
	}
	ses := &Session{IDHash: hash, UserID: u.ID, CSRFToken: csrf, Created: now, Expires: now.Add(s.opts.SessionTTL), UserAgent: userAgent, IP: ip}
	if err := s.store.CreateSession(ctx, ses); err != nil {
		return "", nil, err
	}
	return raw, ses, nil
}

// LogIn checks a username-or-email and password and starts a session. Every
// failure reads ErrBadLogin and costs one password hash, whether or not the
// account exists; repeated failures back off per account and per address.
func (s *Service) LogIn(ctx context.Context, login, password, ip, userAgent string) (*User, string, *Session, error) {
	if err := limit(s.limits.LoginIP, "login", "ip:"+ip); err != nil {
		return nil, "", nil, err
	}
	login = strings.TrimSpace(login)
	acctKey, ipKey := "acct:"+strings.ToLower(login), "ip:"+ip
	bo, ipBo := s.limits.LoginBackoff, s.limits.LoginIPBackoff
	if wait := max(bo.Wait(acctKey), ipBo.Wait(ipKey)); wait > 0 {
		return nil, "", nil, &RateLimitError{Action: "login", RetryAfter: max(wait, time.Second)}
	}
	if login == "" || password == "" || len(password) > auth.MaxPasswordLen {
		auth.SpendPasswordCheck(ctx, password)
		return nil, "", nil, ErrBadLogin
	}
	u, hash, err := s.store.UserByLogin(ctx, login)
	if errors.Is(err, ErrNotFound) {
		auth.SpendPasswordCheck(ctx, password)
		bo.Fail(acctKey)
		ipBo.Fail(ipKey)
		return nil, "", nil, ErrBadLogin
	}
	if err != nil {
		return nil, "", nil, err
	}
	if err := auth.CheckPassword(ctx, password, hash); err != nil {
		if !errors.Is(err, auth.ErrPasswordMismatch) {
			s.log.Error("password check", "user", u.Username, "err", err)
		}
		bo.Fail(acctKey)
		ipBo.Fail(ipKey)
		return nil, "", nil, ErrBadLogin
	}
	if !u.Verified {
		// Not confirmed yet: say only what any failure says, or the sign-up
		// form could be used to learn which addresses are new.
		return nil, "", nil, ErrBadLogin
	}
	if u.Banned {
		return nil, "", nil, ErrBanned
	}
	bo.Succeed(acctKey)
	raw, ses, err := s.startSession(ctx, u, ip, userAgent)
	if err != nil {
		return nil, "", nil, err
	}
	s.log.Info("user logged in", "user", u.Username)
	return u, raw, ses, nil
}

// Authenticate finds the session behind a cookie's secret.
func (s *Service) Authenticate(ctx context.Context, raw string) (*Session, *User, error) {
	if raw == "" || len(raw) > 100 {
		return nil, nil, ErrUnauthorized
	}
	ses, u, err := s.store.SessionByHash(ctx, auth.HashToken(raw), s.opts.Now())
	if errors.Is(err, ErrNotFound) {
		return nil, nil, ErrUnauthorized
	}
	if err != nil {
		return nil, nil, err
	}
	if u.Banned {
		return nil, nil, ErrUnauthorized
	}
	return ses, u, nil
}

// LogOut ends the session behind raw.
func (s *Service) LogOut(ctx context.Context, raw string) error {
	if raw == "" {
		return nil
	}
	return s.store.DeleteSession(ctx, auth.HashToken(raw))
}

// LogOutEverywhere ends every session of the user, this one included.
func (s *Service) LogOutEverywhere(ctx context.Context, u *User) error {
	return s.store.DeleteUserSessions(ctx, u.ID, "")
}

// ChangePassword checks the current password, sets the new one and ends the
// user's other sessions.
func (s *Service) ChangePassword(ctx context.Context, u *User, ses *Session, current, next string) error {
	_, hash, err := s.store.UserByLogin(ctx, u.Username)
	if err != nil {
		return err
	}
	if err := auth.CheckPassword(ctx, current, hash); err != nil {
		return fieldErr("current", "this is not your current password")
	}
	if err := ValidatePassword(next); err != nil {
		return fieldErr("password", strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": "))
	}
	newHash, err := auth.HashPassword(ctx, next)
	if err != nil {
		return err
	}
	if err := s.store.SetPasswordHash(ctx, u.ID, newHash); err != nil {
		return err
	}
	keep := ""
	if ses != nil {
		keep = ses.IDHash
	}
	return s.store.DeleteUserSessions(ctx, u.ID, keep)
}

// RequestPasswordReset emails a single-use reset link when email has an
// account. It answers the same (nil) whether or not it does, and costs about
// the same time, so the form does not reveal who has an account.
func (s *Service) RequestPasswordReset(ctx context.Context, email, ip string) error {
	if err := limit(s.limits.ResetIP, "password reset", "ip:"+ip); err != nil {
		return err
	}
	em, err := NormalizeEmail(email)
	if err != nil {
		return fieldErr("email", strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": "))
	}
	if err := limit(s.limits.ResetEmail, "password reset", "email:"+em); err != nil {
		return err
	}
	u, err := s.store.UserByEmail(ctx, em)
	if errors.Is(err, ErrNotFound) {
		s.log.Info("password reset requested for an address without account")
		return nil
	}
	if err != nil {
		return err
	}
	token, hash := auth.NewToken()
	expires := s.opts.Now().UTC().Add(s.opts.ResetTTL)
	if err := s.store.CreateUserToken(ctx, u.ID, TokenReset, hash, expires); err != nil {
		return err
	}
	link := s.opts.BaseURL + "/reset/" + token
	s.sendLater(ctx, pbmail.Message{To: u.Email, Subject: "Reset your Paperboy password",
		Text: fmt.Sprintf("Hello %s,\n\nto choose a new Paperboy password, open this link within %s:\n\n%s\n\n"+
			"It works once. If you did not ask for it, ignore this message: your password stays as it is.\n",
			u.Username, s.opts.ResetTTL, link)})
	return nil
}

// ResetPassword spends a reset token, sets the new password, ends every
// session of the user and starts a new one.
func (s *Service) ResetPassword(ctx context.Context, token, password, ip, userAgent string) (*User, string, *Session, error) {
	if err := ValidatePassword(password); err != nil {
		return nil, "", nil, fieldErr("password", strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": "))
	}
	if token == "" || len(token) > 100 {
		return nil, "", nil, ErrTokenInvalid
	}
	hash, err := auth.HashPassword(ctx, password)
	if err != nil {
		return nil, "", nil, err
	}
	userID, err := s.store.UseUserToken(ctx, TokenReset, auth.HashToken(token), s.opts.Now())
	if errors.Is(err, ErrNotFound) {
		return nil, "", nil, ErrTokenInvalid
	}
	if err != nil {
		return nil, "", nil, err
	}
	if err := s.store.SetPasswordHash(ctx, userID, hash); err != nil {
		return nil, "", nil, err
	}
	// The link arrived at the address, so it is confirmed.
	if err := s.store.SetEmailVerified(ctx, userID); err != nil {
		return nil, "", nil, err
	}
	// Whoever knew the old password is logged out everywhere.
	if err := s.store.DeleteUserSessions(ctx, userID, ""); err != nil {
		return nil, "", nil, err
	}
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return nil, "", nil, err
	}
	s.limits.LoginBackoff.Succeed("acct:" + strings.ToLower(u.Username))
	s.limits.LoginBackoff.Succeed("acct:" + strings.ToLower(u.Email))
	if u.Banned {
		return u, "", nil, ErrBanned
	}
	s.log.Info("password reset", "user", u.Username)
	raw, ses, err := s.startSession(ctx, u, ip, userAgent)
	return u, raw, ses, err
}

// Cleanup deletes expired sessions and tokens, and sign-ups never confirmed
// within a week. Run it now and then (the scheduler, or daily).
func (s *Service) Cleanup(ctx context.Context) error {
	n, err := s.store.DeleteExpiredSessions(ctx, s.opts.Now())
	if err != nil {
		return err
	}
	s.log.Debug("community cleanup", "expired_sessions", n)
	return nil
}

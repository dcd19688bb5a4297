// Package community is Paperboy's social layer: accounts and sessions,
// upvotes, trending, paper submissions, threaded comments, roles and
// moderation. It holds the rules; storage is the Store interface (implemented
// by internal/sqlite) and HTTP lives in internal/web.
package community

import (
	"context"
	"errors"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
)

// Roles, in increasing power.
const (
	RoleUser      = "user"
	RoleModerator = "moderator"
	RoleAdmin     = "admin"
)

// User is an account. The password hash never leaves the store except for
// checking a password.
type User struct {
	ID       int64
	Username string
	Email    string
	Role     string
	Banned   bool
	Verified bool // the email address was confirmed (sign-up link or password reset)
	Created  time.Time
}

// IsModerator reports whether u may hide comments and ban users.
func (u *User) IsModerator() bool {
	return u != nil && !u.Banned && (u.Role == RoleModerator || u.Role == RoleAdmin)
}

// IsAdmin reports whether u may appoint moderators.
func (u *User) IsAdmin() bool { return u != nil && !u.Banned && u.Role == RoleAdmin }

// Session is a login. ID is the secret that the cookie carries; the store
// keeps only its hash (IDHash).
type Session struct {
	IDHash    string
	UserID    int64
	CSRFToken string // synchronizer token for this session's forms
	Created   time.Time
	Expires   time.Time
	UserAgent string
	IP        string
}

// Comment is one comment in a paper's thread.
type Comment struct {
	ID       int64
	PaperID  string
	UserID   int64
	Username string // author, filled when reading
	ParentID int64  // 0 for a top-level comment
	Body     string // Markdown subset source; empty when deleted
	Created  time.Time
	Edited   time.Time // zero when never edited
	Deleted  bool      // deleted by its author: shown as a placeholder when it has replies
	Hidden   bool      // hidden by a moderator
	// For listings on profiles.
	PaperTitle string
}

// Purposes of emailed tokens.
const (
	TokenReset  = "reset"
	TokenVerify = "verify"
)

// Errors the service returns; the web layer maps them to statuses and messages.
var (
	ErrNotFound      = paper.ErrNotFound
	ErrInvalid       = paper.ErrInvalid
	ErrUsernameTaken = errors.New("username taken")
	ErrEmailTaken    = errors.New("email taken")
	ErrForbidden     = errors.New("forbidden")
	ErrUnauthorized  = errors.New("not logged in")
	ErrBadLogin      = errors.New("wrong username, email or password (new here? follow the link we emailed you first)")
	ErrBanned        = errors.New("account suspended")
	ErrTokenInvalid  = errors.New("this link is invalid or has expired")
	ErrUnavailable   = errors.New("arXiv is unavailable")
)

// RateLimitError says an action was refused for now; RetryAfter says when to retry.
type RateLimitError struct {
	Action     string
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string {
	return "too many " + e.Action + " attempts; try again in " + e.RetryAfter.Round(time.Second).String()
}

// Store is what the community layer needs from storage (internal/sqlite
// implements it). Counters on papers (votes, num_comments) and the
// submitted_by label are kept in the same transaction as the row they count.
type Store interface {
	Paper(ctx context.Context, id string) (*paper.Paper, error)
	Papers(ctx context.Context, f paper.Filter) (paper.Page, error)
	UpsertPapers(ctx context.Context, papers []paper.Paper) (paper.UpsertResult, error)

	// CreateUser inserts u (setting ID and Created). When promoteFirst is set
	// and no admin exists yet, the user becomes admin, decided in the same
	// transaction. ErrUsernameTaken/ErrEmailTaken compare case-insensitively.
	CreateUser(ctx context.Context, u *User, passwordHash string, promoteFirst bool) error
	UserByID(ctx context.Context, id int64) (*User, error)
	UserByUsername(ctx context.Context, username string) (*User, error)
	// UserByLogin finds a user by username or email, with the password hash.
	UserByLogin(ctx context.Context, login string) (*User, string, error)
	UserByEmail(ctx context.Context, email string) (*User, error)
	SetPasswordHash(ctx context.Context, userID int64, hash string) error
	SetRole(ctx context.Context, userID int64, role string) error
	// SetBanned bans (revoking sessions and hiding the user's comments) or unbans.
	SetBanned(ctx context.Context, userID int64, banned bool) error
	Users(ctx context.Context, limit, offset int) ([]User, error)

	CreateSession(ctx context.Context, s *Session) error
	// SessionByHash returns a session that has not expired at now, and its user.
	SessionByHash(ctx context.Context, idHash string, now time.Time) (*Session, *User, error)
	DeleteSession(ctx context.Context, idHash string) error
	// DeleteUserSessions ends all of a user's sessions but keepHash ("" for all).
	DeleteUserSessions(ctx context.Context, userID int64, keepHash string) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)

	// CreateUserToken stores the hash of an emailed token for purpose
	// (TokenReset or TokenVerify).
	CreateUserToken(ctx context.Context, userID int64, purpose, tokenHash string, expires time.Time) error
	// UseUserToken marks a token used (with every other unused token of the
	// user for that purpose) and returns its user; it fails with ErrNotFound
	// when the token is unknown, used, expired at now or for another purpose.
	UseUserToken(ctx context.Context, purpose, tokenHash string, now time.Time) (int64, error)
	SetEmailVerified(ctx context.Context, userID int64) error

	// SetVote records (on) or withdraws a vote and returns the paper's Paperboy vote count.
	SetVote(ctx context.Context, userID int64, paperID string, on bool) (int, error)
	// VotedOn says which of ids the user has voted for.
	VotedOn(ctx context.Context, userID int64, ids []string) (map[string]bool, error)
	// VotedPapers lists papers the user voted for, latest vote first.
	VotedPapers(ctx context.Context, userID int64, limit int) ([]paper.Paper, error)

	AddComment(ctx context.Context, c *Comment) error
	Comment(ctx context.Context, id int64) (*Comment, error)
	EditComment(ctx context.Context, id int64, body string) error
	DeleteComment(ctx context.Context, id int64) error
	SetCommentHidden(ctx context.Context, id int64, hidden bool) error
	// Comments lists every comment on a paper (hidden and deleted too), oldest first.
	Comments(ctx context.Context, paperID string) ([]Comment, error)
	// UserComments lists a user's visible comments, latest first, with paper titles.
	UserComments(ctx context.Context, userID int64, limit int) ([]Comment, error)

	// RecordSubmission marks paperID as submitted by userID unless it already
	// has a submitter; it reports whether this call recorded it.
	RecordSubmission(ctx context.Context, paperID string, userID int64) (bool, error)
}

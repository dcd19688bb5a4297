package sqlite

// Community storage: users, sessions, password resets, votes, comments and
// submissions (migration 0010). The rules live in internal/community.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/paperboy/paperboy/internal/community"
	"github.com/paperboy/paperboy/internal/paper"
)

var _ community.Store = (*Store)(nil)

const userColumns = `id, username, email, role, banned_at IS NOT NULL, email_verified_at IS NOT NULL, created_at`

func scanUser(r rowScanner, extra ...any) (*community.User, error) {
	var u community.User
	var created sql.NullString
	if err := r.Scan(append([]any{&u.ID, &u.Username, &u.Email, &u.Role, &u.Banned, &u.Verified, &created}, extra...)...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, paper.ErrNotFound
		}
		return nil, err
	}
	u.Created = parseTime(created)
	return &u, nil
}

// CreateUser inserts a user; see community.Store.
func (s *Store) CreateUser(ctx context.Context, u *community.User, passwordHash string, promoteFirst bool) error {
	now := s.Now().UTC()
	return s.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE username = ? OR email = ?`, u.Username, u.Email).Scan(&n); err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		if n > 0 {
			var taken string
			tx.QueryRowContext(ctx, `SELECT CASE WHEN username = ? THEN 'u' ELSE 'e' END FROM users WHERE username = ? OR email = ? LIMIT 1`,
				u.Username, u.Username, u.Email).Scan(&taken)
			if taken == "u" {
				return community.ErrUsernameTaken
			}
			return community.ErrEmailTaken
		}
		if promoteFirst {
			var admins int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'admin'`).Scan(&admins); err != nil {
				return fmt.Errorf("create user: %w", err)
			}
			if admins == 0 {
				u.Role = community.RoleAdmin
			}
		}
		if u.Role == "" {
			u.Role = community.RoleUser
		}
		var verified any
		if u.Verified {
			verified = fmtTime(now)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO users (username, email, password_hash, role, email_verified_at, created_at, password_changed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, u.Username, u.Email, passwordHash, u.Role, verified, fmtTime(now), fmtTime(now))
		if err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return community.ErrUsernameTaken
			}
			return fmt.Errorf("create user %s: %w", u.Username, err)
		}
		u.ID, _ = res.LastInsertId()
		u.Created = now.Truncate(time.Second)
		return nil
	})
}

// UserByID finds a user.
func (s *Store) UserByID(ctx context.Context, id int64) (*community.User, error) {
	return scanUser(s.reader.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// UserByUsername finds a user by name, ignoring case.
func (s *Store) UserByUsername(ctx context.Context, username string) (*community.User, error) {
	return scanUser(s.reader.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE username = ?`, username))
}

// UserByEmail finds a user by email, ignoring case.
func (s *Store) UserByEmail(ctx context.Context, email string) (*community.User, error) {
	return scanUser(s.reader.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email))
}

// UserByLogin finds a user by username or email, with the password hash.
func (s *Store) UserByLogin(ctx context.Context, login string) (*community.User, string, error) {
	var hash string
	u, err := scanUser(s.reader.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users
		WHERE username = ?1 OR email = ?1 ORDER BY username = ?1 DESC LIMIT 1`, login), &hash)
	return u, hash, err
}

// SetPasswordHash replaces a user's password.
func (s *Store) SetPasswordHash(ctx context.Context, userID int64, hash string) error {
	return s.execOne(ctx, "set password", `UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?`, hash, fmtTime(s.Now()), userID)
}

// SetRole changes a user's role.
func (s *Store) SetRole(ctx context.Context, userID int64, role string) error {
	return s.execOne(ctx, "set role", `UPDATE users SET role = ? WHERE id = ?`, role, userID)
}

// SetBanned bans or unbans a user. A ban ends the user's sessions and hides
// their comments; an unban shows those comments again.
func (s *Store) SetBanned(ctx context.Context, userID int64, banned bool) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		var res sql.Result
		var err error
		if banned {
			res, err = tx.ExecContext(ctx, `UPDATE users SET banned_at = coalesce(banned_at, ?) WHERE id = ?`, fmtTime(s.Now()), userID)
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE users SET banned_at = NULL WHERE id = ?`, userID)
		}
		if err != nil {
			return fmt.Errorf("ban user %d: %w", userID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return paper.ErrNotFound
		}
		stmts := []string{`UPDATE comments SET hidden = ? WHERE user_id = ? AND deleted = 0`}
		if banned {
			stmts = append(stmts, `DELETE FROM sessions WHERE user_id = ?`)
		}
		if _, err := tx.ExecContext(ctx, stmts[0], banned, userID); err != nil {
			return fmt.Errorf("ban user %d: %w", userID, err)
		}
		if banned {
			if _, err := tx.ExecContext(ctx, stmts[1], userID); err != nil {
				return fmt.Errorf("ban user %d: %w", userID, err)
			}
		}
		return recountComments(ctx, tx, `SELECT DISTINCT paper_id FROM comments WHERE user_id = ?`, userID)
	})
}

// recountComments recomputes num_comments for the papers that sub selects.
func recountComments(ctx context.Context, tx *sql.Tx, sub string, args ...any) error {
	_, err := tx.ExecContext(ctx, `UPDATE papers SET num_comments = (SELECT count(*) FROM comments c
		WHERE c.paper_id = papers.id AND c.hidden = 0 AND c.deleted = 0)
		WHERE id IN (`+sub+`)`, args...)
	if err != nil {
		return fmt.Errorf("count comments: %w", err)
	}
	return nil
}

// Users lists accounts, oldest first.
func (s *Store) Users(ctx context.Context, limit, offset int) ([]community.User, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY id LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []community.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, *u)
	}
	return out, rows.Err()
}

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, ses *community.Session) error {
	_, err := s.writer.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at, user_agent, ip)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, ses.IDHash, ses.UserID, ses.CSRFToken, fmtTime(ses.Created), fmtTime(ses.Expires), ses.UserAgent, ses.IP)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionByHash finds a live session and its user.
func (s *Store) SessionByHash(ctx context.Context, idHash string, now time.Time) (*community.Session, *community.User, error) {
	var ses community.Session
	var created, expires sql.NullString
	u, err := scanUser(s.reader.QueryRowContext(ctx, `SELECT u.id, u.username, u.email, u.role, u.banned_at IS NOT NULL, u.email_verified_at IS NOT NULL, u.created_at,
		s.id_hash, s.user_id, s.csrf_token, s.created_at, s.expires_at, s.user_agent, s.ip
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND s.expires_at > ?`, idHash, fmtTime(now)),
		&ses.IDHash, &ses.UserID, &ses.CSRFToken, &created, &expires, &ses.UserAgent, &ses.IP)
	if err != nil {
		if errors.Is(err, paper.ErrNotFound) {
			return nil, nil, err
		}
		return nil, nil, fmt.Errorf("find session: %w", err)
	}
	ses.Created, ses.Expires = parseTime(created), parseTime(expires)
	return &ses, u, nil
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	if _, err := s.writer.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends a user's sessions except keepHash.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64, keepHash string) error {
	if _, err := s.writer.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND id_hash != ?`, userID, keepHash); err != nil {
		return fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	return nil
}

// DeleteExpiredSessions removes expired sessions and reset tokens.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.writer.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, fmtTime(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	if _, err := s.writer.ExecContext(ctx, `DELETE FROM user_tokens WHERE expires_at <= ?`, fmtTime(now)); err != nil {
		return 0, fmt.Errorf("delete expired tokens: %w", err)
	}
	// Sign-ups never confirmed within a week free their name and address.
	if _, err := s.writer.ExecContext(ctx, `DELETE FROM users WHERE email_verified_at IS NULL AND created_at <= ?
		AND NOT EXISTS (SELECT 1 FROM votes WHERE user_id = users.id) AND NOT EXISTS (SELECT 1 FROM comments WHERE user_id = users.id)
		AND NOT EXISTS (SELECT 1 FROM submissions WHERE user_id = users.id)`, fmtTime(now.Add(-7*24*time.Hour))); err != nil {
		return 0, fmt.Errorf("delete unconfirmed sign-ups: %w", err)
	}
	return res.RowsAffected()
}

// CreateUserToken stores an emailed token's hash.
func (s *Store) CreateUserToken(ctx context.Context, userID int64, purpose, tokenHash string, expires time.Time) error {
	_, err := s.writer.ExecContext(ctx, `INSERT INTO user_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		tokenHash, userID, purpose, fmtTime(s.Now()), fmtTime(expires))
	if err != nil {
		return fmt.Errorf("create %s token: %w", purpose, err)
	}
	return nil
}

// UseUserToken spends an emailed token; see community.Store.
func (s *Store) UseUserToken(ctx context.Context, purpose, tokenHash string, now time.Time) (int64, error) {
	var userID int64
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE user_tokens SET used_at = ? WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?
			RETURNING user_id`, fmtTime(now), tokenHash, purpose, fmtTime(now)).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return paper.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("use %s token: %w", purpose, err)
		}
		// Spending one token spends the user's other outstanding ones.
		_, err = tx.ExecContext(ctx, `UPDATE user_tokens SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL`, fmtTime(now), userID, purpose)
		return err
	})
	return userID, err
}

// SetEmailVerified records that a user's address is confirmed.
func (s *Store) SetEmailVerified(ctx context.Context, userID int64) error {
	return s.execOne(ctx, "verify email", `UPDATE users SET email_verified_at = coalesce(email_verified_at, ?) WHERE id = ?`, fmtTime(s.Now()), userID)
}

// SetVote records or withdraws a vote; the counter on papers moves only when
// the votes table changed, in the same transaction, so it stays exact.
func (s *Store) SetVote(ctx context.Context, userID int64, paperID string, on bool) (int, error) {
	var votes int
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		var res sql.Result
		var err error
		delta := 1
		if on {
			res, err = tx.ExecContext(ctx, `INSERT INTO votes (user_id, paper_id, created_at) SELECT ?, id, ? FROM papers WHERE id = ?
				ON CONFLICT DO NOTHING`, userID, fmtTime(s.Now()), paperID)
		} else {
			delta = -1
			res, err = tx.ExecContext(ctx, `DELETE FROM votes WHERE user_id = ? AND paper_id = ?`, userID, paperID)
		}
		if err != nil {
			return fmt.Errorf("vote on %s: %w", paperID, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			if _, err := tx.ExecContext(ctx, `UPDATE papers SET votes = votes + ? WHERE id = ?`, delta, paperID); err != nil {
				return fmt.Errorf("vote on %s: %w", paperID, err)
			}
		}
		err = tx.QueryRowContext(ctx, `SELECT votes FROM papers WHERE id = ?`, paperID).Scan(&votes)
		if errors.Is(err, sql.ErrNoRows) {
			return paper.ErrNotFound
		}
		return err
	})
	return votes, err
}

// VotedOn says which of ids userID voted for.
func (s *Store) VotedOn(ctx context.Context, userID int64, ids []string) (map[string]bool, error) {
	out := make(map[string]bool)
	if len(ids) == 0 || userID == 0 {
		return out, nil
	}
	args := []any{userID}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT paper_id FROM votes WHERE user_id = ? AND paper_id IN (?`+strings.Repeat(",?", len(ids)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("votes of user %d: %w", userID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// VotedPapers lists the papers a user voted for, latest first.
func (s *Store) VotedPapers(ctx context.Context, userID int64, limit int) ([]paper.Paper, error) {
	return s.queryPapers(ctx, `SELECT `+prefixed("p.", paperColumns)+` FROM votes v JOIN papers p ON p.id = v.paper_id
		WHERE v.user_id = ? ORDER BY v.created_at DESC, p.id LIMIT ?`, userID, limit)
}

func (s *Store) queryPapers(ctx context.Context, q string, args ...any) ([]paper.Paper, error) {
	rows, err := s.reader.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list papers: %w", err)
	}
	defer rows.Close()
	var out []paper.Paper
	for rows.Next() {
		p, err := scanPaper(rows)
		if err != nil {
			return nil, fmt.Errorf("list papers: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// prefixed qualifies a comma-separated column list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = alias + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// AddComment stores a comment and counts it on its paper.
func (s *Store) AddComment(ctx context.Context, c *community.Comment) error {
	now := s.Now().UTC()
	return s.Tx(ctx, func(tx *sql.Tx) error {
		var parent any
		if c.ParentID != 0 {
			var pp string
			err := tx.QueryRowContext(ctx, `SELECT paper_id FROM comments WHERE id = ?`, c.ParentID).Scan(&pp)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && pp != c.PaperID) {
				return fmt.Errorf("%w: the comment replied to is not on this paper", paper.ErrInvalid)
			}
			if err != nil {
				return fmt.Errorf("add comment: %w", err)
			}
			parent = c.ParentID
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO comments (paper_id, user_id, parent_id, body, created_at) SELECT id, ?, ?, ?, ? FROM papers WHERE id = ?`,
			c.UserID, parent, c.Body, fmtTime(now), c.PaperID)
		if err != nil {
			return fmt.Errorf("add comment: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return paper.ErrNotFound
		}
		c.ID, _ = res.LastInsertId()
		c.Created = now.Truncate(time.Second)
		if _, err := tx.ExecContext(ctx, `UPDATE papers SET num_comments = num_comments + 1 WHERE id = ?`, c.PaperID); err != nil {
			return fmt.Errorf("add comment: %w", err)
		}
		return nil
	})
}

const commentColumns = `c.id, c.paper_id, c.user_id, u.username, coalesce(c.parent_id, 0), c.body, c.created_at, c.edited_at, c.deleted, c.hidden`

func scanComment(r rowScanner, extra ...any) (community.Comment, error) {
	var c community.Comment
	var created, edited sql.NullString
	err := r.Scan(append([]any{&c.ID, &c.PaperID, &c.UserID, &c.Username, &c.ParentID, &c.Body, &created, &edited, &c.Deleted, &c.Hidden}, extra...)...)
	c.Created, c.Edited = parseTime(created), parseTime(edited)
	return c, err
}

// Comment finds one comment.
func (s *Store) Comment(ctx context.Context, id int64) (*community.Comment, error) {
	c, err := scanComment(s.reader.QueryRowContext(ctx, `SELECT `+commentColumns+` FROM comments c JOIN users u ON u.id = c.user_id WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, paper.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("comment %d: %w", id, err)
	}
	return &c, nil
}

// EditComment replaces a comment's body.
func (s *Store) EditComment(ctx context.Context, id int64, body string) error {
	return s.execOne(ctx, "edit comment", `UPDATE comments SET body = ?, edited_at = ? WHERE id = ? AND deleted = 0`, body, fmtTime(s.Now()), id)
}

// DeleteComment blanks a comment, keeping its place for replies.
func (s *Store) DeleteComment(ctx context.Context, id int64) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE comments SET deleted = 1, body = '' WHERE id = ? AND deleted = 0`, id)
		if err != nil {
			return fmt.Errorf("delete comment %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return paper.ErrNotFound
		}
		return recountComments(ctx, tx, `SELECT paper_id FROM comments WHERE id = ?`, id)
	})
}

// SetCommentHidden hides or shows a comment (moderation).
func (s *Store) SetCommentHidden(ctx context.Context, id int64, hidden bool) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE comments SET hidden = ? WHERE id = ?`, hidden, id)
		if err != nil {
			return fmt.Errorf("hide comment %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return paper.ErrNotFound
		}
		return recountComments(ctx, tx, `SELECT paper_id FROM comments WHERE id = ?`, id)
	})
}

// Comments lists a paper's comments, oldest first.
func (s *Store) Comments(ctx context.Context, paperID string) ([]community.Comment, error) {
	return s.queryComments(ctx, `SELECT `+commentColumns+` FROM comments c JOIN users u ON u.id = c.user_id WHERE c.paper_id = ? ORDER BY c.id`, false, paperID)
}

// UserComments lists a user's visible comments, latest first.
func (s *Store) UserComments(ctx context.Context, userID int64, limit int) ([]community.Comment, error) {
	return s.queryComments(ctx, `SELECT `+commentColumns+`, p.title FROM comments c JOIN users u ON u.id = c.user_id JOIN papers p ON p.id = c.paper_id
		WHERE c.user_id = ? AND c.hidden = 0 AND c.deleted = 0 ORDER BY c.id DESC LIMIT ?`, true, userID, limit)
}

func (s *Store) queryComments(ctx context.Context, q string, withTitle bool, args ...any) ([]community.Comment, error) {
	rows, err := s.reader.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list comments: %w", err)
	}
	defer rows.Close()
	var out []community.Comment
	for rows.Next() {
		var c community.Comment
		var err error
		if withTitle {
			var title string
			c, err = scanComment(rows, &title)
			c.PaperTitle = title
		} else {
			c, err = scanComment(rows)
		}
		if err != nil {
			return nil, fmt.Errorf("list comments: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// RecordSubmission marks a paper submitted by a user, unless it already has a submitter.
func (s *Store) RecordSubmission(ctx context.Context, paperID string, userID int64) (bool, error) {
	var created bool
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO submissions (paper_id, user_id, created_at) SELECT id, ?, ? FROM papers WHERE id = ?
			ON CONFLICT DO NOTHING`, userID, fmtTime(s.Now()), paperID)
		if err != nil {
			return fmt.Errorf("record submission of %s: %w", paperID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		created = true
		_, err = tx.ExecContext(ctx, `UPDATE papers SET submitted_by = (SELECT username FROM users WHERE id = ?), seq = (SELECT coalesce(max(seq), 0) + 1 FROM papers)
			WHERE id = ?`, userID, paperID)
		return err
	})
	return created, err
}

// execOne runs a write that must touch one row (ErrNotFound otherwise).
func (s *Store) execOne(ctx context.Context, what, q string, args ...any) error {
	res, err := s.writer.ExecContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return paper.ErrNotFound
	}
	return nil
}

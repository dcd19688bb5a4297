package community

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paperboy/paperboy/internal/markup"
	"github.com/paperboy/paperboy/internal/paper"
)

// MaxCommentLen is the longest comment, in characters.
const MaxCommentLen = 10_000

func active(u *User) error {
	if u == nil {
		return ErrUnauthorized
	}
	if u.Banned {
		return ErrBanned
	}
	return nil
}

// Vote records (on) or withdraws the user's vote on a paper and returns the
// paper's Paperboy vote count. Repeating it is harmless.
func (s *Service) Vote(ctx context.Context, u *User, paperID string, on bool, ip string) (int, error) {
	if err := active(u); err != nil {
		return 0, err
	}
	if err := limit(s.limits.VoteUser, "vote", "user:"+strconv.FormatInt(u.ID, 10)); err != nil {
		return 0, err
	}
	if err := limit(s.limits.VoteIP, "vote", "ip:"+ip); err != nil {
		return 0, err
	}
	id, _, err := paper.ParseID(paperID)
	if err != nil {
		return 0, err
	}
	return s.store.SetVote(ctx, u.ID, id, on)
}

// VotedOn says which of papers the user voted for (nil user: none).
func (s *Service) VotedOn(ctx context.Context, u *User, ids []string) (map[string]bool, error) {
	if u == nil {
		return map[string]bool{}, nil
	}
	return s.store.VotedOn(ctx, u.ID, ids)
}

// Submit adds a paper to today's feed on a user's behalf: it takes an arXiv
// id or URL, fetches the metadata from arXiv, stores the paper with today's
// date as its Daily Papers day and records who submitted it. A paper already
// stored is not fetched again; existed says so, and the caller sends the user
// to it.
func (s *Service) Submit(ctx context.Context, u *User, input string) (id string, existed bool, err error) {
	if err := active(u); err != nil {
		return "", false, err
	}
	input = strings.TrimSpace(input)
	id, _, err = paper.ParseID(input)
	if err != nil {
		return "", false, fieldErr("id", fmt.Sprintf("%q is not an arXiv id or URL (try 2310.06110 or https://arxiv.org/abs/2310.06110)", truncate(input, 80)))
	}
	if _, err := s.store.Paper(ctx, id); err == nil {
		return id, true, nil
	} else if !errors.Is(err, ErrNotFound) {
		return "", false, err
	}
	if err := limit(s.limits.SubmitUser, "submission", "user:"+strconv.FormatInt(u.ID, 10)); err != nil {
		return "", false, err
	}
	if s.fetcher == nil {
		return "", false, fmt.Errorf("%w: fetching papers is not configured", ErrUnavailable)
	}
	got, err := s.fetcher.Fetch(ctx, id)
	switch {
	case errors.Is(err, paper.ErrNotFound) || (err == nil && len(got) == 0):
		return "", false, fieldErr("id", "arXiv has no paper "+id+"; check the id")
	case errors.Is(err, paper.ErrInvalid):
		return "", false, fieldErr("id", err.Error())
	case err != nil:
		s.log.Warn("submit: fetch from arXiv", "id", id, "err", err)
		return "", false, fmt.Errorf("%w: could not fetch %s from arXiv (%v); try again in a few minutes", ErrUnavailable, id, err)
	}
	p := got[0]
	p.DailyDate = paper.DayOf(s.opts.Now())
	p.Normalize()
	if err := p.Validate(); err != nil {
		return "", false, fmt.Errorf("%w: arXiv's record of %s is incomplete: %v", ErrUnavailable, id, err)
	}
	if _, err := s.store.UpsertPapers(ctx, []paper.Paper{p}); err != nil {
		return "", false, fmt.Errorf("store submitted paper %s: %w", id, err)
	}
	if _, err := s.store.RecordSubmission(ctx, p.ID, u.ID); err != nil {
		return "", false, err
	}
	s.log.Info("paper submitted", "id", p.ID, "user", u.Username)
	return p.ID, false, nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func cleanBody(body string) (string, error) {
	body = strings.TrimSpace(markup.Clean(body))
	if body == "" {
		return "", fieldErr("body", "write something first")
	}
	if utf8.RuneCountInString(body) > MaxCommentLen {
		return "", fieldErr("body", fmt.Sprintf("comments are limited to %d characters", MaxCommentLen))
	}
	return body, nil
}

// AddComment posts a comment (a reply when parentID is not 0).
func (s *Service) AddComment(ctx context.Context, u *User, paperID string, parentID int64, body, ip string) (*Comment, error) {
	if err := active(u); err != nil {
		return nil, err
	}
	if err := limit(s.limits.CommentUser, "comment", "user:"+strconv.FormatInt(u.ID, 10)); err != nil {
		return nil, err
	}
	if err := limit(s.limits.CommentIP, "comment", "ip:"+ip); err != nil {
		return nil, err
	}
	id, _, err := paper.ParseID(paperID)
	if err != nil {
		return nil, err
	}
	body, err = cleanBody(body)
	if err != nil {
		return nil, err
	}
	c := &Comment{PaperID: id, UserID: u.ID, Username: u.Username, ParentID: parentID, Body: body}
	if err := s.store.AddComment(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// EditComment changes a comment's text; only its author may.
func (s *Service) EditComment(ctx context.Context, u *User, id int64, body string) (*Comment, error) {
	c, err := s.ownComment(ctx, u, id)
	if err != nil {
		return nil, err
	}
	body, err = cleanBody(body)
	if err != nil {
		return nil, err
	}
	if err := s.store.EditComment(ctx, id, body); err != nil {
		return nil, err
	}
	c.Body = body
	return c, nil
}

// DeleteComment deletes a comment; only its author may.
func (s *Service) DeleteComment(ctx context.Context, u *User, id int64) (*Comment, error) {
	c, err := s.ownComment(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return c, s.store.DeleteComment(ctx, id)
}

func (s *Service) ownComment(ctx context.Context, u *User, id int64) (*Comment, error) {
	if err := active(u); err != nil {
		return nil, err
	}
	c, err := s.store.Comment(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.UserID != u.ID {
		return nil, fmt.Errorf("%w: only its author may change a comment", ErrForbidden)
	}
	if c.Deleted {
		return nil, ErrNotFound
	}
	return c, nil
}

// HideComment hides (or shows again) a comment; moderators only.
func (s *Service) HideComment(ctx context.Context, mod *User, id int64, hidden bool) (*Comment, error) {
	if !mod.IsModerator() {
		return nil, fmt.Errorf("%w: moderators only", ErrForbidden)
	}
	c, err := s.store.Comment(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.store.SetCommentHidden(ctx, id, hidden); err != nil {
		return nil, err
	}
	s.log.Info("comment moderated", "comment", id, "hidden", hidden, "by", mod.Username)
	return c, nil
}

// Ban suspends (or reinstates) a user: their sessions end and their comments
// are hidden. Moderators may ban users; only admins may ban moderators, and
// nobody bans an admin or themselves.
func (s *Service) Ban(ctx context.Context, mod *User, username string, banned bool) error {
	if !mod.IsModerator() {
		return fmt.Errorf("%w: moderators only", ErrForbidden)
	}
	u, err := s.store.UserByUsername(ctx, username)
	if err != nil {
		return err
	}
	if u.ID == mod.ID || u.Role == RoleAdmin || (u.Role == RoleModerator && !mod.IsAdmin()) {
		return fmt.Errorf("%w: you cannot ban %s", ErrForbidden, u.Username)
	}
	if err := s.store.SetBanned(ctx, u.ID, banned); err != nil {
		return err
	}
	s.log.Info("user ban changed", "user", u.Username, "banned", banned, "by", mod.Username)
	return nil
}

// SetRole appoints a moderator (or admin) or returns a user to plain user;
// admins only, and an admin cannot demote themselves (so one admin remains).
func (s *Service) SetRole(ctx context.Context, admin *User, username, role string) error {
	if !admin.IsAdmin() {
		return fmt.Errorf("%w: admins only", ErrForbidden)
	}
	if role != RoleUser && role != RoleModerator && role != RoleAdmin {
		return fmt.Errorf("%w: unknown role %q", ErrInvalid, role)
	}
	u, err := s.store.UserByUsername(ctx, username)
	if err != nil {
		return err
	}
	if u.ID == admin.ID && role != RoleAdmin {
		return fmt.Errorf("%w: you cannot demote yourself", ErrForbidden)
	}
	if err := s.store.SetRole(ctx, u.ID, role); err != nil {
		return err
	}
	s.log.Info("user role changed", "user", u.Username, "role", role, "by", admin.Username)
	return nil
}

// CommentNode is a comment with its replies, ready to show.
type CommentNode struct {
	Comment
	HTML     template.HTML // the rendered body; "" when deleted, or hidden from this viewer
	Replies  []*CommentNode
	Depth    int
	Editable bool // the viewer wrote it
}

// Thread returns a paper's comments as a tree, oldest first at each level.
// Hidden comments are shown only to moderators (marked); deleted and hidden
// ones without visible replies are left out.
func (s *Service) Thread(ctx context.Context, paperID string, viewer *User) ([]*CommentNode, error) {
	all, err := s.store.Comments(ctx, paperID)
	if err != nil {
		return nil, err
	}
	mod := viewer.IsModerator()
	nodes := make(map[int64]*CommentNode, len(all))
	var roots []*CommentNode
	for _, c := range all {
		n := &CommentNode{Comment: c}
		if !c.Deleted && (!c.Hidden || mod) {
			n.HTML = markup.Render(c.Body)
		}
		n.Editable = viewer != nil && !c.Deleted && c.UserID == viewer.ID
		nodes[c.ID] = n
		if p := nodes[c.ParentID]; c.ParentID != 0 && p != nil {
			n.Depth = min(p.Depth+1, 8)
			p.Replies = append(p.Replies, n)
		} else {
			roots = append(roots, n)
		}
	}
	return prune(roots, mod), nil
}

// prune drops deleted or hidden comments that have nothing visible below them.
func prune(ns []*CommentNode, mod bool) []*CommentNode {
	out := ns[:0]
	for _, n := range ns {
		n.Replies = prune(n.Replies, mod)
		invisible := n.Deleted || (n.Hidden && !mod)
		if invisible && len(n.Replies) == 0 {
			continue
		}
		if invisible {
			n.Body = ""
		}
		out = append(out, n)
	}
	return out
}

// Profile is a user's public page.
type Profile struct {
	User        *User
	Submissions []paper.Paper
	Upvoted     []paper.Paper
	Comments    []Comment
}

// Profile gathers a user's submissions, upvotes and comments.
func (s *Service) Profile(ctx context.Context, username string) (*Profile, error) {
	u, err := s.store.UserByUsername(ctx, username)
	if err != nil {
		return nil, err
	}
	pr := &Profile{User: u}
	page, err := s.store.Papers(ctx, paper.Filter{Submitter: u.Username, Sort: paper.SortNewest, Limit: 50})
	if err != nil {
		return nil, err
	}
	pr.Submissions = page.Papers
	if pr.Upvoted, err = s.store.VotedPapers(ctx, u.ID, 50); err != nil {
		return nil, err
	}
	if !u.Banned {
		if pr.Comments, err = s.store.UserComments(ctx, u.ID, 50); err != nil {
			return nil, err
		}
	}
	return pr, nil
}

// Users lists accounts for the admin page (moderators and admins only).
func (s *Service) Users(ctx context.Context, viewer *User, limit, offset int) ([]User, error) {
	if !viewer.IsModerator() {
		return nil, fmt.Errorf("%w: moderators only", ErrForbidden)
	}
	return s.store.Users(ctx, limit, offset)
}

// OwnComment returns a comment its author may edit (for the edit form).
func (s *Service) OwnComment(ctx context.Context, u *User, id int64) (*Comment, error) {
	return s.ownComment(ctx, u, id)
}

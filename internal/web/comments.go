package web

// Comment actions: post, reply, edit and delete (authors), hide (moderators).
// Each is a form POST that comes back to the paper page.

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/paperboy/paperboy/internal/community"
	"github.com/paperboy/paperboy/internal/paper"
)

func commentAnchor(paperID string, id int64) string {
	return fmt.Sprintf("%s#comment-%d", paperPath(paperID), id)
}

// commentFlash turns a comment's form error into a flash code.
func commentFlash(err error) (string, bool) {
	var fe *community.FormError
	if !errors.As(err, &fe) {
		return "", false
	}
	if strings.Contains(fe.Fields["body"], "limited") {
		return "comment-long", true
	}
	return "comment-empty", true
}

func (s *Server) handleAddComment(w http.ResponseWriter, r *http.Request) error {
	u, ok := s.requireUser(w, r)
	if !ok {
		return nil
	}
	pid, _, err := paper.ParseID(r.PostFormValue("paper"))
	if err != nil {
		return badRequest("%q is not an arXiv id.", r.PostFormValue("paper"))
	}
	var parent int64
	if p := r.PostFormValue("parent"); p != "" {
		if parent, err = strconv.ParseInt(p, 10, 64); err != nil || parent < 1 {
			return badRequest("The comment to reply to is not a comment number.")
		}
	}
	c, err := s.cfg.Community.AddComment(r.Context(), u, pid, parent, r.PostFormValue("body"), s.cfg.Community.ClientIP(r))
	if err != nil {
		if code, ok := commentFlash(err); ok {
			redirect(w, r, paperPath(pid)+"#comments", code)
			return nil
		}
		return s.communityError(w, r, err)
	}
	redirect(w, r, commentAnchor(pid, c.ID), "commented")
	return nil
}

func commentID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("cid"), 10, 64)
	if err != nil || id < 1 {
		return 0, notFound("There is no comment %q.", r.PathValue("cid"))
	}
	return id, nil
}

// CommentEditPage is the data of the edit form (for readers without JS).
type CommentEditPage struct {
	Base
	Comment *community.Comment
	Body    string
	Error   string
}

func (s *Server) handleEditCommentForm(w http.ResponseWriter, r *http.Request) error {
	u, ok := s.requireUser(w, r)
	if !ok {
		return nil
	}
	id, err := commentID(r)
	if err != nil {
		return err
	}
	th, err := s.cfg.Community.OwnComment(r.Context(), u, id)
	if err != nil {
		return s.communityError(w, r, err)
	}
	pg := &CommentEditPage{Base: s.newBase(r, "Edit comment"), Comment: th, Body: th.Body}
	pg.NoIndex = true
	return s.render(w, r, http.StatusOK, "comment-edit", pg)
}

func (s *Server) handleEditComment(w http.ResponseWriter, r *http.Request) error {
	u, ok := s.requireUser(w, r)
	if !ok {
		return nil
	}
	id, err := commentID(r)
	if err != nil {
		return err
	}
	c, err := s.cfg.Community.EditComment(r.Context(), u, id, r.PostFormValue("body"))
	if err != nil {
		var fe *community.FormError
		if errors.As(err, &fe) {
			pg := &CommentEditPage{Base: s.newBase(r, "Edit comment"), Comment: &community.Comment{ID: id, PaperID: r.PostFormValue("paper")},
				Body: r.PostFormValue("body"), Error: capitalize(fe.Fields["body"]) + "."}
			pg.NoIndex = true
			return s.render(w, r, http.StatusUnprocessableEntity, "comment-edit", pg)
		}
		return s.communityError(w, r, err)
	}
	redirect(w, r, commentAnchor(c.PaperID, c.ID), "comment-edited")
	return nil
}

func (s *Server) handleDeleteComment(w http.ResponseWriter, r *http.Request) error {
	u, ok := s.requireUser(w, r)
	if !ok {
		return nil
	}
	id, err := commentID(r)
	if err != nil {
		return err
	}
	c, err := s.cfg.Community.DeleteComment(r.Context(), u, id)
	if err != nil {
		return s.communityError(w, r, err)
	}
	redirect(w, r, paperPath(c.PaperID)+"#comments", "comment-gone")
	return nil
}

func (s *Server) handleHideComment(w http.ResponseWriter, r *http.Request) error {
	u, ok := s.requireUser(w, r)
	if !ok {
		return nil
	}
	id, err := commentID(r)
	if err != nil {
		return err
	}
	hidden := r.PostFormValue("hidden") != "0"
	c, err := s.cfg.Community.HideComment(r.Context(), u, id, hidden)
	if err != nil {
		return s.communityError(w, r, err)
	}
	flash := "hidden"
	if !hidden {
		flash = "shown"
	}
	redirect(w, r, commentAnchor(c.PaperID, c.ID), flash)
	return nil
}

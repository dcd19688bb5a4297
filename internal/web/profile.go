package web

import (
	"net/http"

	"github.com/paperboy/paperboy/internal/community"
	"github.com/paperboy/paperboy/internal/paper"
)

// ProfilePage is the data of /u/{username}.
type ProfilePage struct {
	Base
	Profile *community.Profile
}

// handleProfile shows a user's submissions, upvotes and comments.
func (s *Server) handleProfile(w http.ResponseWriter, r *http.Request) error {
	pr, err := s.cfg.Community.Profile(r.Context(), r.PathValue("username"))
	if err != nil {
		return s.communityError(w, r, err)
	}
	pg := &ProfilePage{Base: s.newBase(r, pr.User.Username), Profile: pr}
	pg.Description = pr.User.Username + "'s submissions, upvotes and comments on " + s.cfg.SiteName + "."
	pg.Canonical = s.absURL(r, "/u/"+pr.User.Username)
	all := append(append([]paper.Paper(nil), pr.Submissions...), pr.Upvoted...)
	if err := s.RunCardHooks(r, &pg.Base, all); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "profile", pg)
}

package web

import (
	"net/http"
	"strconv"

	"github.com/paperboy/paperboy/internal/community"
)

// AdminPage is the data of /admin: accounts with their roles, for
// appointing moderators (admins) and suspending users (moderators).
type AdminPage struct {
	Base
	Users   []community.User
	IsAdmin bool
	Page    int
	Next    Link
	Prev    Link
}

const adminPageSize = 100

func (s *Server) handleAdmin(w http.ResponseWriter, r *http.Request) error {
	u, ok := s.requireUser(w, r)
	if !ok {
		return nil
	}
	n := 1
	if p := r.URL.Query().Get("p"); p != "" {
		var err error
		if n, err = strconv.Atoi(p); err != nil || n < 1 || n > maxPage {
			return badRequest("Page %q is not a page number.", p)
		}
	}
	users, err := s.cfg.Community.Users(r.Context(), u, adminPageSize+1, (n-1)*adminPageSize)
	if err != nil {
		return s.communityError(w, r, err)
	}
	pg := &AdminPage{Base: s.newBase(r, "Moderation"), IsAdmin: u.IsAdmin(), Page: n}
	pg.NoIndex = true
	pg.Nav = "admin"
	if len(users) > adminPageSize {
		users = users[:adminPageSize]
		pg.Next = Link{Label: "Next", URL: "/admin?p=" + strconv.Itoa(n+1)}
	}
	if n > 1 {
		pg.Prev = Link{Label: "Previous", URL: "/admin?p=" + strconv.Itoa(n-1)}
	}
	pg.Users = users
	return s.render(w, r, http.StatusOK, "admin", pg)
}

func (s *Server) handleSetRole(w http.ResponseWriter, r *http.Request) error {
	u, ok := s.requireUser(w, r)
	if !ok {
		return nil
	}
	if err := s.cfg.Community.SetRole(r.Context(), u, r.PostFormValue("username"), r.PostFormValue("role")); err != nil {
		return s.communityError(w, r, err)
	}
	redirect(w, r, "/admin", "role")
	return nil
}

func (s *Server) handleBan(w http.ResponseWriter, r *http.Request) error {
	u, ok := s.requireUser(w, r)
	if !ok {
		return nil
	}
	banned := r.PostFormValue("banned") != "0"
	if err := s.cfg.Community.Ban(r.Context(), u, r.PostFormValue("username"), banned); err != nil {
		return s.communityError(w, r, err)
	}
	flash := "banned"
	if !banned {
		flash = "unbanned"
	}
	redirect(w, r, localPath(r.PostFormValue("next"), "/admin"), flash)
	return nil
}

package web

// Account pages: sign up (with an emailed confirmation link), log in and out,
// password reset by email, and settings (change password, log out
// everywhere). Forms re-render with messages beside the fields and keep
// what was typed, except passwords.

import (
	"errors"
	"net/http"
	"strings"

	"github.com/paperboy/paperboy/internal/community"
)

// AccountPage is the data of every account form page.
type AccountPage struct {
	Base
	Form    string            // which form: signup, login, reset-request, reset, verify, settings
	Values  map[string]string // what the reader typed (never passwords)
	Errors  map[string]string // messages by field; "form" for the whole form
	Message string            // a notice instead of (or above) the form
	Token   string            // reset or verify token, for the form's action
	Next    string            // where to go after logging in
}

func (s *Server) accountPage(r *http.Request, form, title string) *AccountPage {
	pg := &AccountPage{Base: s.newBase(r, title), Form: form, Values: map[string]string{}, Errors: map[string]string{}}
	pg.NoIndex = true
	pg.Nav = "account"
	return pg
}

// formFailure fills pg from a service error: field messages (422), a rate
// limit (429 with Retry-After) or a whole-form message. Other errors are returned.
func (s *Server) formFailure(w http.ResponseWriter, pg *AccountPage, err error) (int, error) {
	var fe *community.FormError
	switch {
	case errors.As(err, &fe):
		for k, v := range fe.Fields {
			pg.Errors[k] = capitalize(v) + "."
		}
		return http.StatusUnprocessableEntity, nil
	case community.WriteRetryAfter(w, err):
		pg.Errors["form"] = "Too many attempts. " + capitalize(err.Error()) + "."
		return http.StatusTooManyRequests, nil
	case errors.Is(err, community.ErrBadLogin):
		pg.Errors["form"] = capitalize(err.Error()) + "."
		return http.StatusUnauthorized, nil
	case errors.Is(err, community.ErrBanned):
		pg.Errors["form"] = "This account is suspended."
		return http.StatusForbidden, nil
	case errors.Is(err, community.ErrTokenInvalid):
		pg.Errors["form"] = capitalize(err.Error()) + ". Ask for a new one below."
		return http.StatusBadRequest, nil
	}
	return 0, err
}

func (s *Server) handleSignUpForm(w http.ResponseWriter, r *http.Request) error {
	if community.UserFrom(r.Context()) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, http.StatusOK, "account", s.accountPage(r, "signup", "Sign up"))
}

func (s *Server) handleSignUp(w http.ResponseWriter, r *http.Request) error {
	pg := s.accountPage(r, "signup", "Sign up")
	pg.Values["username"] = strings.TrimSpace(r.PostFormValue("username"))
	pg.Values["email"] = strings.TrimSpace(r.PostFormValue("email"))
	err := s.cfg.Community.SignUp(r.Context(), pg.Values["username"], pg.Values["email"], r.PostFormValue("password"), s.cfg.Community.ClientIP(r))
	if err != nil {
		status, err := s.formFailure(w, pg, err)
		if err != nil {
			return err
		}
		return s.render(w, r, status, "account", pg)
	}
	// The same page whether the address was new or already had an account.
	pg.Form = "signup-sent"
	pg.Title = "Check your inbox"
	pg.Message = community.SignUpSent
	return s.render(w, r, http.StatusOK, "account", pg)
}

// The links in emails lead to a page with a button, so that mail scanners
// that open links do not spend the token (GET never changes anything).
func (s *Server) handleVerifyForm(w http.ResponseWriter, r *http.Request) error {
	pg := s.accountPage(r, "verify", "Confirm your account")
	pg.Token = r.PathValue("token")
	return s.render(w, r, http.StatusOK, "account", pg)
}

func (s *Server) handleVerify(w http.ResponseWriter, r *http.Request) error {
	c := s.cfg.Community
	u, raw, ses, err := c.VerifyEmail(r.Context(), r.PathValue("token"), c.ClientIP(r), r.UserAgent())
	if err != nil {
		pg := s.accountPage(r, "verify", "Confirm your account")
		status, err := s.formFailure(w, pg, err)
		if err != nil {
			return err
		}
		pg.Form = "verify-failed"
		return s.render(w, r, status, "account", pg)
	}
	c.SetSessionCookie(w, r, raw, ses, u)
	redirect(w, r, "/", "welcome")
	return nil
}

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) error {
	next := localPath(r.URL.Query().Get("next"), "/")
	if community.UserFrom(r.Context()) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	pg := s.accountPage(r, "login", "Log in")
	pg.Next = next
	return s.render(w, r, http.StatusOK, "account", pg)
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) error {
	c := s.cfg.Community
	pg := s.accountPage(r, "login", "Log in")
	pg.Values["login"] = strings.TrimSpace(r.PostFormValue("login"))
	pg.Next = localPath(r.PostFormValue("next"), "/")
	u, raw, ses, err := c.LogIn(r.Context(), pg.Values["login"], r.PostFormValue("password"), c.ClientIP(r), r.UserAgent())
	if err != nil {
		status, err := s.formFailure(w, pg, err)
		if err != nil {
			return err
		}
		return s.render(w, r, status, "account", pg)
	}
	// A session the browser already had (another account) ends here.
	if err := c.LogOutRequest(w, r); err != nil {
		return err
	}
	c.SetSessionCookie(w, r, raw, ses, u)
	redirect(w, r, pg.Next, "login")
	return nil
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	if err := s.cfg.Community.LogOutRequest(w, r); err != nil {
		return err
	}
	redirect(w, r, "/", "logout")
	return nil
}

func (s *Server) handleResetRequestForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "account", s.accountPage(r, "reset-request", "Reset your password"))
}

func (s *Server) handleResetRequest(w http.ResponseWriter, r *http.Request) error {
	c := s.cfg.Community
	pg := s.accountPage(r, "reset-request", "Reset your password")
	pg.Values["email"] = strings.TrimSpace(r.PostFormValue("email"))
	if err := c.RequestPasswordReset(r.Context(), pg.Values["email"], c.ClientIP(r)); err != nil {
		status, err := s.formFailure(w, pg, err)
		if err != nil {
			return err
		}
		return s.render(w, r, status, "account", pg)
	}
	pg.Form = "reset-sent"
	pg.Message = "If an account uses that address, we have sent it a link to choose a new password. The link works once, for an hour."
	return s.render(w, r, http.StatusOK, "account", pg)
}

func (s *Server) handleResetForm(w http.ResponseWriter, r *http.Request) error {
	pg := s.accountPage(r, "reset", "Choose a new password")
	pg.Token = r.PathValue("token")
	return s.render(w, r, http.StatusOK, "account", pg)
}

func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) error {
	c := s.cfg.Community
	pg := s.accountPage(r, "reset", "Choose a new password")
	pg.Token = r.PathValue("token")
	if r.PostFormValue("password") != r.PostFormValue("confirm") {
		pg.Errors["confirm"] = "The two passwords differ."
		return s.render(w, r, http.StatusUnprocessableEntity, "account", pg)
	}
	u, raw, ses, err := c.ResetPassword(r.Context(), pg.Token, r.PostFormValue("password"), c.ClientIP(r), r.UserAgent())
	if err != nil {
		status, err := s.formFailure(w, pg, err)
		if err != nil {
			return err
		}
		if status == http.StatusBadRequest { // spent or expired link
			pg.Form = "reset-request"
		}
		return s.render(w, r, status, "account", pg)
	}
	c.SetSessionCookie(w, r, raw, ses, u)
	redirect(w, r, "/", "reset")
	return nil
}

func (s *Server) handleSettings(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.requireUser(w, r); !ok {
		return nil
	}
	return s.render(w, r, http.StatusOK, "account", s.accountPage(r, "settings", "Settings"))
}

func (s *Server) handleChangePassword(w http.ResponseWriter, r *http.Request) error {
	u, ok := s.requireUser(w, r)
	if !ok {
		return nil
	}
	pg := s.accountPage(r, "settings", "Settings")
	if r.PostFormValue("password") != r.PostFormValue("confirm") {
		pg.Errors["confirm"] = "The two new passwords differ."
		return s.render(w, r, http.StatusUnprocessableEntity, "account", pg)
	}
	v := community.ViewerFrom(r.Context())
	if err := s.cfg.Community.ChangePassword(r.Context(), u, v.Session, r.PostFormValue("current"), r.PostFormValue("password")); err != nil {
		status, err := s.formFailure(w, pg, err)
		if err != nil {
			return err
		}
		return s.render(w, r, status, "account", pg)
	}
	redirect(w, r, "/settings", "password")
	return nil
}

func (s *Server) handleLogoutAll(w http.ResponseWriter, r *http.Request) error {
	u, ok := s.requireUser(w, r)
	if !ok {
		return nil
	}
	if err := s.cfg.Community.LogOutEverywhere(r.Context(), u); err != nil {
		return err
	}
	s.cfg.Community.ClearSessionCookie(w, r)
	redirect(w, r, "/login", "logout-all")
	return nil
}

// FormField is one input of an account form.
type FormField struct {
	Name, Label, Type, Autocomplete, Hint string
	Value, Error                          string
}

// Field describes an input of pg's form with what was typed and its error
// (templates: {{template "field" (.Field "email" "Email" "email" "email" "hint")}}).
func (pg *AccountPage) Field(name, label, typ, autocomplete, hint string) FormField {
	f := FormField{Name: name, Label: label, Type: typ, Autocomplete: autocomplete, Hint: hint, Error: pg.Errors[name]}
	if typ != "password" {
		f.Value = pg.Values[name]
	}
	return f
}

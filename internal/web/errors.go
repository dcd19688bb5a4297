package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/paperboy/paperboy/internal/paper"
)

// Error is an error with a status and a message meant for the reader.
// Handlers return it (or wrap paper.ErrNotFound / paper.ErrInvalid) and the
// adapter renders the error page.
type Error struct {
	Status  int
	Message string // shown to the reader
	Err     error  // the cause, for logs; may be nil
	Hint    Link   // a way on, shown under the message; optional
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%d %s: %v", e.Status, e.Message, e.Err)
	}
	return fmt.Sprintf("%d %s", e.Status, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

func notFound(format string, args ...any) error {
	return &Error{Status: http.StatusNotFound, Message: fmt.Sprintf(format, args...), Err: paper.ErrNotFound}
}

func badRequest(format string, args ...any) error {
	return &Error{Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...), Err: paper.ErrInvalid}
}

// HandlerFunc is a handler that returns its error instead of writing it.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle registers h for pattern behind the error adapter.
func (s *Server) handle(mux *http.ServeMux, pattern string, h HandlerFunc) {
	mux.Handle(pattern, s.adapt(h))
}

// adapt turns a HandlerFunc into an http.Handler: the one place that maps
// errors to status codes and error pages. Only server faults (5xx) are
// logged as errors; the reader's mistakes are not the operator's problem.
func (s *Server) adapt(h HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
			// The reader left; nobody is there to see an error page.
			s.log.Debug("request canceled", "method", r.Method, "path", r.URL.Path)
			return
		}
		status, msg := errorStatus(err)
		if status >= 500 {
			s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
		}
		var hint Link
		if we := (*Error)(nil); errors.As(err, &we) {
			hint = we.Hint
		}
		s.renderError(w, r, status, msg, hint)
	})
}

// errorStatus maps an error to a status and a message that reveals nothing
// internal for 5xx.
func errorStatus(err error) (int, string) {
	var we *Error
	switch {
	case errors.As(err, &we):
		return we.Status, we.Message
	case errors.Is(err, paper.ErrNotFound):
		return http.StatusNotFound, "We could not find what you asked for."
	case errors.Is(err, paper.ErrInvalid):
		// paper's validation messages are written for the person who typed
		// the input ("invalid: date "2023-02-30": want YYYY-MM-DD").
		return http.StatusBadRequest, readable(err.Error())
	}
	return http.StatusInternalServerError, "Something went wrong on our side. Please try again in a moment."
}

// readable drops the sentinel prefix and capitalises the message.
func readable(msg string) string {
	msg = strings.TrimPrefix(msg, paper.ErrInvalid.Error()+": ")
	if msg == "" {
		return "The request is not valid."
	}
	return strings.ToUpper(msg[:1]) + msg[1:]
}

// ErrorPage is the data of the error template.
type ErrorPage struct {
	Base
	Status  int
	Heading string
	Message string
	Hint    Link
}

// renderError writes an error page. If even that fails, it falls back to
// plain text so the reader always gets the status.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string, hint Link) {
	heading := http.StatusText(status)
	switch status {
	case http.StatusNotFound:
		heading = "Page not found"
	case http.StatusBadRequest:
		heading = "That request does not look right"
	case http.StatusInternalServerError:
		heading = "Something went wrong"
	}
	pg := &ErrorPage{Base: s.newBase(r, heading), Status: status, Heading: heading, Message: msg, Hint: hint}
	pg.NoIndex = true
	if err := s.render(w, r, status, "error", pg); err != nil {
		s.log.Error("render error page", "err", err, "status", status)
		http.Error(w, msg, status)
	}
}

// handleNotFound answers every path no route matches, with the site's page
// rather than the mux's plain text.
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return &Error{Status: http.StatusMethodNotAllowed, Message: "This address does not accept " + r.Method + " requests."}
	}
	return notFound("There is no page at this address.")
}

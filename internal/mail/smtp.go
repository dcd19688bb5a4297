package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"strconv"
	"time"
)

// SMTP sends through an SMTP server. It uses the standard library's
// net/smtp: it speaks STARTTLS, implicit TLS and AUTH PLAIN, which is all a
// transactional sender needs, so no third-party mail module is linked in.
// One connection per message: Paperboy sends few messages, and a fresh
// connection never trips over a server's idle timeout.
type SMTP struct {
	Config Config
}

// Send delivers m, honouring ctx's deadline for the whole conversation.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	c := s.Config
	if err := c.Validate(); err != nil {
		return err
	}
	from, _ := mail.ParseAddress(c.From)
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return fmt.Errorf("%w: recipient %q: %v", ErrInvalid, m.To, err)
	}
	msg, err := Build(c.From, m, time.Now())
	if err != nil {
		return err
	}
	addr := net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	deadline := time.Now().Add(c.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	tlsConf := &tls.Config{ServerName: c.Host, InsecureSkipVerify: c.InsecureSkipVerify, MinVersion: tls.VersionTLS12}
	dialer := &net.Dialer{Deadline: deadline}
	var conn net.Conn
	if c.TLS == "tls" {
		conn, err = (&tls.Dialer{NetDialer: dialer, Config: tlsConf}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = dialer.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fmt.Errorf("smtp connect %s: %w", addr, err)
	}
	conn.SetDeadline(deadline)
	// Abort the conversation when ctx is cancelled.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()

	cl, err := smtp.NewClient(conn, c.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp %s: greeting: %w", addr, err)
	}
	defer cl.Close()
	if err := cl.Hello("localhost"); err != nil {
		return fmt.Errorf("smtp %s: EHLO: %w", addr, err)
	}
	if c.TLS == "starttls" {
		if ok, _ := cl.Extension("STARTTLS"); !ok {
			return fmt.Errorf("smtp %s: server does not offer STARTTLS (set PAPERBOY_SMTP_TLS=none only for a local relay)", addr)
		}
		if err := cl.StartTLS(tlsConf); err != nil {
			return fmt.Errorf("smtp %s: STARTTLS: %w", addr, err)
		}
	}
	if c.User != "" {
		// net/smtp's PlainAuth refuses to send credentials over an
		// unencrypted connection to anything but localhost.
		if err := cl.Auth(smtp.PlainAuth("", c.User, c.Password, c.Host)); err != nil {
			return fmt.Errorf("smtp %s: AUTH as %s: %w", addr, c.User, err)
		}
	}
	if err := cl.Mail(from.Address); err != nil {
		return fmt.Errorf("smtp %s: MAIL FROM: %w", addr, err)
	}
	if err := cl.Rcpt(to.Address); err != nil {
		return fmt.Errorf("smtp %s: RCPT TO %s: %w", addr, to.Address, err)
	}
	w, err := cl.Data()
	if err != nil {
		return fmt.Errorf("smtp %s: DATA: %w", addr, err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("smtp %s: write message: %w", addr, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp %s: message refused: %w", addr, err)
	}
	if err := cl.Quit(); err != nil {
		return fmt.Errorf("smtp %s: QUIT: %w", addr, err)
	}
	return nil
}

// Package mail sends email: password resets now, digests later. Mailer is
// the interface the rest of Paperboy uses; SMTP speaks to a real server and
// Log prints messages to the log when no server is configured (the demo).
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Message is one email to one recipient. Text is required; HTML is optional
// and sent as an alternative part. Headers are extra headers such as
// List-Unsubscribe.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
	Headers map[string]string
}

// Mailer sends messages.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// ErrInvalid marks a message that cannot be sent as given.
var ErrInvalid = errors.New("invalid message")

// Config says how to reach an SMTP server.
type Config struct {
	Host     string
	Port     int
	User     string
	Password string `json:"-"`
	From     string
	// TLS is "starttls" (default; upgrade after connecting, required),
	// "tls" (implicit TLS, usually port 465) or "none" (plain text, only
	// sensible for a relay on localhost).
	TLS     string
	Timeout time.Duration
	// InsecureSkipVerify accepts any server certificate (tests and
	// self-signed local relays only).
	InsecureSkipVerify bool
}

// ConfigFromEnv reads PAPERBOY_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM and
// _TLS. Flags may override the result.
func ConfigFromEnv() (Config, error) {
	c := Config{
		Host:     os.Getenv("PAPERBOY_SMTP_HOST"),
		User:     os.Getenv("PAPERBOY_SMTP_USER"),
		Password: os.Getenv("PAPERBOY_SMTP_PASSWORD"),
		From:     os.Getenv("PAPERBOY_SMTP_FROM"),
		TLS:      os.Getenv("PAPERBOY_SMTP_TLS"),
	}
	if p := os.Getenv("PAPERBOY_SMTP_PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			return c, fmt.Errorf("PAPERBOY_SMTP_PORT %q: not a port number", p)
		}
		c.Port = n
	}
	return c, nil
}

// Validate fills defaults and reports what is wrong with c.
func (c *Config) Validate() error {
	c.TLS = strings.ToLower(c.TLS)
	if c.TLS == "" {
		c.TLS = "starttls"
	}
	if !slices.Contains([]string{"starttls", "tls", "none"}, c.TLS) {
		return fmt.Errorf("smtp tls mode %q: use starttls, tls or none", c.TLS)
	}
	if c.Port == 0 {
		c.Port = map[string]int{"starttls": 587, "tls": 465, "none": 25}[c.TLS]
	}
	if c.Port < 1 || c.Port > 65535 {
		return fmt.Errorf("smtp port %d: out of range", c.Port)
	}
	if c.From == "" {
		return fmt.Errorf("smtp from address is required (PAPERBOY_SMTP_FROM)")
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("smtp from address %q: %w", c.From, err)
	}
	if c.Timeout == 0 {
		c.Timeout = 30 * time.Second
	}
	return nil
}

// New returns an SMTP mailer for c, or, when c.Host is empty, a Log mailer
// that writes messages to logger (clearly labelled as not sent).
func New(c Config, logger *slog.Logger) (Mailer, error) {
	if c.Host == "" {
		return &Log{Logger: logger}, nil
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &SMTP{Config: c}, nil
}

// Log is the demo mailer: it sends nothing and logs each message, so that a
// password-reset link can be followed from the server's log.
type Log struct {
	Logger *slog.Logger
}

// Send logs m.
func (l *Log) Send(ctx context.Context, m Message) error {
	if err := m.check(); err != nil {
		return err
	}
	lg := l.Logger
	if lg == nil {
		lg = slog.Default()
	}
	lg.LogAttrs(ctx, slog.LevelWarn, "email NOT sent (no SMTP host configured; set PAPERBOY_SMTP_HOST); message follows",
		slog.String("to", m.To), slog.String("subject", m.Subject), slog.String("text", m.Text))
	return nil
}

// check refuses what would let a caller inject headers or send nowhere.
func (m *Message) check() error {
	if _, err := mail.ParseAddress(m.To); err != nil {
		return fmt.Errorf("%w: recipient %q: %v", ErrInvalid, m.To, err)
	}
	if strings.ContainsAny(m.To+m.Subject, "\r\n") {
		return fmt.Errorf("%w: line break in recipient or subject", ErrInvalid)
	}
	for k, v := range m.Headers {
		if strings.ContainsAny(k+v, "\r\n") || k == "" || strings.ContainsAny(k, ": ") {
			return fmt.Errorf("%w: header %q", ErrInvalid, k)
		}
	}
	if m.Text == "" {
		return fmt.Errorf("%w: empty text body", ErrInvalid)
	}
	return nil
}

// Build renders m as an RFC 5322 message from from: text/plain alone, or
// multipart/alternative with an HTML part; bodies quoted-printable.
func Build(from string, m Message, now time.Time) ([]byte, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", from)
	h("To", m.To)
	h("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	h("Date", now.UTC().Format(time.RFC1123Z))
	h("Message-ID", messageID(from))
	h("MIME-Version", "1.0")
	keys := make([]string, 0, len(m.Headers))
	for k := range m.Headers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		h(textproto.CanonicalMIMEHeaderKey(k), m.Headers[k])
	}
	if m.HTML == "" {
		h("Content-Type", "text/plain; charset=utf-8")
		h("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeQP(&b, m.Text); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	mw := multipart.NewWriter(&b)
	h("Content-Type", "multipart/alternative; boundary="+mw.Boundary())
	b.WriteString("\r\n")
	for _, part := range []struct{ typ, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.typ + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		if err := writeQP(w, part.body); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeQP(w interface{ Write([]byte) (int, error) }, s string) error {
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(strings.ReplaceAll(s, "\n", "\r\n"))); err != nil {
		return err
	}
	return qp.Close()
}

func messageID(from string) string {
	domain := "paperboy.local"
	if a, err := mail.ParseAddress(from); err == nil {
		if i := strings.LastIndexByte(a.Address, '@'); i >= 0 {
			domain = a.Address[i+1:]
		}
	}
	r := make([]byte, 12)
	rand.Read(r)
	return "<" + hex.EncodeToString(r) + "@" + domain + ">"
}

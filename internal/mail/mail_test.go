package mail_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	stdmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/mail"
	"github.com/paperboy/paperboy/internal/mail/mailtest"
)

func TestSMTPSend(t *testing.T) {
	for _, test := range []struct {
		name     string
		server   mailtest.Options
		client   mail.Config
		html     bool
		wantErr  string
		wantAuth string
		wantTLS  bool
	}{
		{name: "starttls with auth plain", server: mailtest.Options{TLS: "starttls", User: "paperboy", Password: "s3cret pass"},
			client: mail.Config{TLS: "starttls", User: "paperboy", Password: "s3cret pass"}, wantAuth: "paperboy", wantTLS: true},
		{name: "implicit tls with auth", server: mailtest.Options{TLS: "tls", User: "u", Password: "p"},
			client: mail.Config{TLS: "tls", User: "u", Password: "p"}, html: true, wantAuth: "u", wantTLS: true},
		{name: "plain relay on localhost", server: mailtest.Options{TLS: "none"},
			client: mail.Config{TLS: "none"}, html: true},
		{name: "wrong password", server: mailtest.Options{TLS: "starttls", User: "u", Password: "p"},
			client: mail.Config{TLS: "starttls", User: "u", Password: "wrong"}, wantErr: "AUTH as u"},
		{name: "auth required", server: mailtest.Options{TLS: "starttls", User: "u", Password: "p"},
			client: mail.Config{TLS: "starttls"}, wantErr: "MAIL FROM"},
		{name: "starttls demanded but not offered", server: mailtest.Options{TLS: "none"},
			client: mail.Config{TLS: "starttls"}, wantErr: "does not offer STARTTLS"},
	} {
		t.Run(test.name, func(t *testing.T) {
			srv := mailtest.Start(t, test.server)
			c := test.client
			c.Host, c.Port, c.From, c.InsecureSkipVerify = srv.Host, srv.Port, "Paperboy <paperboy@example.org>", true
			c.Timeout = 5 * time.Second
			m, err := mail.New(c, nil)
			if err != nil {
				t.Fatal(err)
			}
			msg := mail.Message{To: "Ada <ada@example.com>", Subject: "Réinitialiser: your password",
				Text:    "Hello Ada,\nfollow https://paperboy.example/reset?token=abc=def\n",
				Headers: map[string]string{"List-Unsubscribe": "<https://paperboy.example/u/x>"}}
			if test.html {
				msg.HTML = "<p>Hello <b>Ada</b></p>"
			}
			err = m.Send(context.Background(), msg)
			if test.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), test.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, test.wantErr)
				}
				if n := len(srv.Messages()); n != 0 {
					t.Fatalf("server got %d messages after a failure", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, ok := srv.Wait(1, 5*time.Second)
			if !ok {
				t.Fatal("no message received")
			}
			if got.Auth != test.wantAuth || got.TLS != test.wantTLS {
				t.Errorf("auth=%q tls=%v, want %q %v", got.Auth, got.TLS, test.wantAuth, test.wantTLS)
			}
			if got.From != "paperboy@example.org" || len(got.To) != 1 || got.To[0] != "ada@example.com" {
				t.Errorf("envelope from=%q to=%q", got.From, got.To)
			}
			parsed, err := stdmail.ReadMessage(bytes.NewReader(got.Data))
			if err != nil {
				t.Fatal(err)
			}
			subj, _ := new(mime.WordDecoder).DecodeHeader(parsed.Header.Get("Subject"))
			if subj != msg.Subject {
				t.Errorf("subject %q, want %q", subj, msg.Subject)
			}
			if parsed.Header.Get("List-Unsubscribe") != "<https://paperboy.example/u/x>" {
				t.Errorf("List-Unsubscribe = %q", parsed.Header.Get("List-Unsubscribe"))
			}
			text, html := bodies(t, parsed)
			if !strings.Contains(text, "reset?token=abc=def") {
				t.Errorf("text body lost the link: %q", text)
			}
			if test.html && !strings.Contains(html, "<b>Ada</b>") {
				t.Errorf("html body = %q", html)
			}
		})
	}
}

func bodies(t *testing.T, m *stdmail.Message) (text, html string) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	if mt == "text/plain" {
		b, _ := io.ReadAll(quotedprintable.NewReader(m.Body))
		return string(b), ""
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart() // decodes quoted-printable itself
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
			html = string(b)
		} else {
			text = string(b)
		}
	}
}

func TestMessageRejectsInjection(t *testing.T) {
	for _, m := range []mail.Message{
		{To: "a@example.com\r\nBcc: victim@example.com", Subject: "x", Text: "x"},
		{To: "a@example.com", Subject: "x\r\nBcc: victim@example.com", Text: "x"},
		{To: "a@example.com", Subject: "x", Text: "x", Headers: map[string]string{"X-A": "1\nBcc: v@example.com"}},
		{To: "not an address", Subject: "x", Text: "x"},
		{To: "a@example.com", Subject: "x"},
	} {
		if _, err := mail.Build("p@example.org", m, time.Now()); !errors.Is(err, mail.ErrInvalid) {
			t.Errorf("Build(%+v) err = %v, want ErrInvalid", m, err)
		}
	}
}

func TestLogMailer(t *testing.T) {
	var buf bytes.Buffer
	m, err := mail.New(mail.Config{}, slog.New(slog.NewTextHandler(&buf, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(context.Background(), mail.Message{To: "a@example.com", Subject: "Reset", Text: "https://x/reset?token=T0K"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "NOT sent") || !strings.Contains(buf.String(), "token=T0K") {
		t.Errorf("log = %q", buf.String())
	}
}

func TestConfigValidate(t *testing.T) {
	for _, test := range []struct {
		c       mail.Config
		wantErr bool
		port    int
	}{
		{c: mail.Config{Host: "h", From: "a@b.c"}, port: 587},
		{c: mail.Config{Host: "h", From: "a@b.c", TLS: "TLS"}, port: 465},
		{c: mail.Config{Host: "h", From: "a@b.c", TLS: "ssl"}, wantErr: true},
		{c: mail.Config{Host: "h"}, wantErr: true},
		{c: mail.Config{Host: "h", From: "a@b.c", Port: 70000}, wantErr: true},
	} {
		err := test.c.Validate()
		if (err != nil) != test.wantErr || (err == nil && test.c.Port != test.port) {
			t.Errorf("%+v: err=%v port=%d", test.c, err, test.c.Port)
		}
	}
}

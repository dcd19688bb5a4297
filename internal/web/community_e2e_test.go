package web

import (
	"context"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write docs/screenshot-community.png from the browser test")

// chromium finds the browser: $PAPERBOY_CHROMIUM, else chromium or google-chrome on PATH.
func chromium() string {
	if p := os.Getenv("PAPERBOY_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestCommunityBrowser drives a real headless Chromium through a newcomer's
// visit on a running Paperboy (real handler, SQLite store and SMTP server;
// arXiv answered by a local server in the API's Atom format): sign up and
// confirm by email, log out and in, upvote with JavaScript, comment (with an
// XSS attempt that must stay inert), submit a paper, reset the password by
// email, and log out. It skips when no Chromium is installed, unless
// PAPERBOY_REQUIRE_BROWSER=1 (CI) makes that a failure.
func TestCommunityBrowser(t *testing.T) {
	exe := chromium()
	if exe == "" {
		if os.Getenv("PAPERBOY_REQUIRE_BROWSER") != "" {
			t.Fatal("no Chromium found (apt-get install chromium, or set PAPERBOY_CHROMIUM)")
		}
		t.Skip("no Chromium found; set PAPERBOY_REQUIRE_BROWSER=1 to make this a failure")
	}
	s := newSite(t, nil, testPapers(t))

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	var dialogs atomic.Int32 // an alert() would mean injected script ran
	if err := chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*cdppage.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
		}
	}); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}

	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
			t.Fatalf("%s: %v (at %s)\n%s", name, err, loc, html)
		}
	}
	text := func(sel string) string {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		v, err := chromedp.Run(sctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return v
	}
	const (
		name  = "newcomer"
		email = "newcomer@example.com"
		pw    = "first password 123"
		newPW = "second password 456"
	)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	// Sign up, then confirm by the emailed link.
	step("sign up",
		chromedp.Navigate(s.URL+"/signup"),
		chromedp.SendKeys(css("#f-username"), name),
		chromedp.SendKeys(css("#f-email"), email),
		chromedp.SendKeys(css("#f-password"), pw),
		chromedp.Click(css(".account-card button[type=submit]")),
		chromedp.WaitVisible(css(".notice-text")),
	)
	verify := s.mailLinkTo(t, email, "verify")
	step("confirm",
		chromedp.Navigate(s.URL+verify),
		chromedp.Click(css(".account-card button[type=submit]")),
		chromedp.WaitVisible(css(".flash-success")),
		chromedp.WaitVisible(css(`.account a.user-link[href="/u/`+name+`"]`)),
	)

	// Log out and back in through the forms.
	step("log out",
		chromedp.Click(css(".logout-form button")),
		chromedp.WaitVisible(css(`.account a[href^="/login"]`)),
	)
	step("log in",
		chromedp.Navigate(s.URL+"/login"),
		chromedp.SendKeys(css("#f-login"), name),
		chromedp.SendKeys(css("#f-password"), pw),
		chromedp.Click(css(".account-card button[type=submit]")),
		chromedp.WaitVisible(css(".account a.user-link")),
	)

	// Upvote on the feed: community.js flips the button at once and the
	// server's count follows; a reload shows the vote was stored.
	const pid, card = "2405.15738", "#paper-2405-15738"
	step("open the day", chromedp.Navigate(s.URL+"/papers/date/2024-05-27"), chromedp.WaitVisible(css(card+" .vote-button")))
	before := text(card + " .vote-count")
	step("upvote",
		chromedp.Click(css(card+" .vote-button")),
		chromedp.WaitVisible(css(card+` .vote-button[aria-pressed="true"]`)),
		chromedp.WaitNotPresent(css(card+` .vote-button[aria-busy]`)),
	)
	after := text(card + " .vote-count")
	// Without JavaScript the form would have reloaded the page at #paper-…;
	// with it the page stays put.
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || strings.Contains(loc, "#") {
		t.Errorf("the vote reloaded the page (%s, %v): community.js did not handle it", loc, err)
	}
	step("reload", chromedp.Navigate(s.URL+"/papers/date/2024-05-27"), chromedp.WaitVisible(css(card+` .vote-button[aria-pressed="true"]`)))
	if before != "32" || after != "33" || text(card+" .vote-count") != "33" {
		t.Errorf("upvote: count %s before, %s after, %s after reload; want 32, 33, 33", before, after, text(card+" .vote-count"))
	}
	if p, err := s.store.Paper(context.Background(), pid); err != nil || p.Votes != 1 {
		t.Errorf("stored votes: %v %v", p, err)
	}

	// Comment, with an injection attempt that must render as text.
	step("comment",
		chromedp.Navigate(s.URL+"/papers/"+pid),
		chromedp.SendKeys(css("#comment-body"), "Clear write-up; the **ablations** convinced me.\n\n<img src=x onerror=alert(1)><script>alert(2)</script>"),
		chromedp.Click(css(".comment-form button[type=submit]")),
		chromedp.WaitVisible(css(".comment-body strong")),
	)
	if body := text(".comment-body"); !strings.Contains(body, "<img src=x onerror=alert(1)>") {
		t.Errorf("the comment's markup should show as text: %q", body)
	}

	// Submit a paper by its arXiv URL.
	step("submit",
		chromedp.Navigate(s.URL+"/submit"),
		chromedp.SendKeys(css("#f-id"), "https://arxiv.org/abs/2309.11056"),
		chromedp.Click(css(".account-card button[type=submit]")),
		chromedp.WaitVisible(css("#paper-title")),
	)
	if title := text("#paper-title"); title != "A Verified Cost Analysis of Joinable Red-Black Trees" {
		t.Errorf("submitted paper's page shows %q", title)
	}
	if aside := text(".paper-aside"); !strings.Contains(aside, name) {
		t.Errorf("submitted paper does not say who added it: %q", aside)
	}
	// Upvote the submitted paper too, so the screenshot shows a pressed button.
	step("upvote the submission",
		chromedp.Click(css(".paper-actions .vote-button")),
		chromedp.WaitVisible(css(`.paper-actions .vote-button[aria-pressed="true"]`)),
		chromedp.WaitNotPresent(css(`.paper-actions .vote-button[aria-busy]`)),
	)

	// Screenshot of the commented paper page while logged in.
	step("screenshot page", chromedp.Navigate(s.URL+"/papers/"+pid), chromedp.WaitVisible(css(".comment-body")))
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	out := filepath.Join(t.TempDir(), "screenshot-community.png")
	if *updateScreenshots {
		out = filepath.Join("..", "..", "docs", "screenshot-community.png")
	}
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", out, len(shot))

	// Log out; forget the password; reset it by email.
	step("log out again", chromedp.Click(css(".logout-form button")), chromedp.WaitVisible(css(`.account a[href^="/login"]`)))
	step("ask for a reset",
		chromedp.Navigate(s.URL+"/reset"),
		chromedp.SendKeys(css("#f-email"), email),
		chromedp.Click(css(".account-card button[type=submit]")),
		chromedp.WaitVisible(css(".notice-text")),
	)
	reset := s.mailLinkTo(t, email, "reset")
	step("choose a new password",
		chromedp.Navigate(s.URL+reset),
		chromedp.SendKeys(css("#f-password"), newPW),
		chromedp.SendKeys(css("#f-confirm"), newPW),
		chromedp.Click(css(".account-card button[type=submit]")),
		chromedp.WaitVisible(css(".flash-success")),
		chromedp.WaitVisible(css(".account a.user-link")),
	)
	step("final log out", chromedp.Click(css(".logout-form button")), chromedp.WaitVisible(css(`.account a[href^="/login"]`)))
	step("old password refused",
		chromedp.Navigate(s.URL+"/login"),
		chromedp.SendKeys(css("#f-login"), name),
		chromedp.SendKeys(css("#f-password"), pw),
		chromedp.Click(css(".account-card button[type=submit]")),
		chromedp.WaitVisible(css(".form-error")),
	)
	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d JavaScript dialogs opened: injected script ran", n)
	}
	if err := chromedp.Cancel(ctx); err != nil && !errors.Is(err, context.Canceled) {
		t.Logf("close Chromium: %v", err)
	}
}

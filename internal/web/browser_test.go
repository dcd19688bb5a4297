package web

import (
	"context"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// watchScript records, from before any page script runs, what the CSP
// blocked and which script errors happened, so the test can ask afterwards.
const watchScript = `window.__problems = [];
document.addEventListener("securitypolicyviolation", e => window.__problems.push("CSP blocked " + e.violatedDirective + " " + e.blockedURI));
window.addEventListener("error", e => window.__problems.push("error: " + e.message));`

// TestInBrowser loads the pages in a real Chromium: the CSP lets the
// stylesheet and app.js load, the abstract toggle opens without script
// help, times turn local, and picking a date goes to its page.
func TestInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed")
	}
	srv := httptest.NewServer(seededServer(t).Handler())
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1280, 1000),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	watch := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: watchScript})
		return err
	})
	if err := chromedp.Do(ctx, watch); err != nil {
		t.Fatal(err)
	}
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(tctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(expr string, v any) {
		t.Helper()
		tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		var err error
		switch p := v.(type) {
		case *float64:
			*p, err = chromedp.Run(tctx, chromedp.Evaluate[float64](expr))
		case *string:
			*p, err = chromedp.Run(tctx, chromedp.Evaluate[string](expr))
		case *[]string:
			*p, err = chromedp.Run(tctx, chromedp.Evaluate[[]string](expr))
		}
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
	}
	noProblems := func(page string) {
		t.Helper()
		var problems []string
		eval(`window.__problems || ["the watch script did not run"]`, &problems)
		for _, p := range problems {
			t.Errorf("%s: %s", page, p)
		}
	}

	// The feed: styles applied (the CSP let style.css in), the toggle opens.
	run("load the feed", chromedp.Navigate(srv.URL+"/papers/date/2024-05-28"), chromedp.WaitVisible(chromedp.CSS(".card")))
	var radius string
	eval(`getComputedStyle(document.querySelector(".card")).borderTopLeftRadius`, &radius)
	if radius != "14px" {
		t.Errorf("card border radius %q: the stylesheet did not apply", radius)
	}
	var closed, open float64
	eval(`document.querySelector(".abstract-text").getBoundingClientRect().height`, &closed)
	run("open the abstract", chromedp.Click(chromedp.CSS(".abstract-toggle summary")))
	eval(`document.querySelector(".abstract-text").getBoundingClientRect().height`, &open)
	if !(open > closed*1.5) {
		t.Errorf("abstract height %.0f → %.0f after Show more: the clamp did not lift", closed, open)
	}
	noProblems("feed")

	// The paper page: app.js ran and kept the UTC text as the tooltip.
	run("load a paper", chromedp.Navigate(srv.URL+"/papers/0704.0001v1"), chromedp.WaitVisible(chromedp.CSS("#paper-title")))
	var tip string
	eval(`document.querySelector("time[data-local]").title`, &tip)
	if tip != "Jul 24, 2007 20:10 UTC" {
		t.Errorf("time tooltip %q: app.js did not localise the version times", tip)
	}
	noProblems("paper")

	// Picking a date in the jump form goes to that day.
	run("load the feed", chromedp.Navigate(srv.URL+"/papers/date/2024-05-28"), chromedp.WaitVisible(chromedp.CSS("#jump-date")))
	var dummy string
	eval(`(() => { const i = document.getElementById("jump-date"); i.value = "2024-05-31"; i.dispatchEvent(new Event("change")); return ""; })()`, &dummy)
	var loc string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		eval(`location.pathname`, &loc)
		if loc == "/papers/date/2024-05-31" {
			break
		}
	}
	if loc != "/papers/date/2024-05-31" {
		t.Errorf("after picking 2024-05-31 the browser is at %q", loc)
	}
	var h1 string
	eval(`document.querySelector("h1") ? document.querySelector("h1").textContent : ""`, &h1)
	if !strings.Contains(h1, "May 31, 2024") {
		t.Errorf("heading %q", h1)
	}
	noProblems("jump")
}

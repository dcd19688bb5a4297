package community_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/community"
	"github.com/paperboy/paperboy/internal/paper"
)

func TestTrendingFreshBeatsOld(t *testing.T) {
	now := time.Date(2024, 6, 10, 12, 0, 0, 0, time.UTC)
	fresh := community.TrendingScore(3, paper.DayOf(now), now)                 // 12 h old, 3 votes
	old := community.TrendingScore(8, paper.DayOf(now).AddDate(0, 0, -3), now) // 3.5 days old, 8 votes
	if fresh <= old {
		t.Errorf("fresh paper with 3 votes scores %g, not above old one with 8 votes (%g)", fresh, old)
	}
	// More votes on the same day rank higher; a future day counts as age 0.
	if community.TrendingScore(5, paper.DayOf(now), now) <= fresh {
		t.Error("more votes did not raise the score")
	}
	if got, want := community.TrendingScore(0, now.Add(time.Hour), now), 1/math.Pow(2, community.Gravity); got != want {
		t.Errorf("future day: score %g, want %g", got, want)
	}
}

// TestTrendingMatchesStore checks that the store's trending order is the one
// TrendingScore gives, on real papers spread over several days with votes.
func TestTrendingMatchesStore(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	now := time.Date(2024, 5, 28, 15, 0, 0, 0, time.UTC)
	e.setNow(now)
	ps := e.loadPapers(t)
	// Spread the papers over the last six days with various imported upvotes.
	for i := range ps {
		ps[i].DailyDate = paper.DayOf(now).AddDate(0, 0, -(i % 6))
		ps[i].SourceUpvotes = (i * 7) % 13
	}
	if _, err := e.store.UpsertPapers(ctx, ps); err != nil {
		t.Fatal(err)
	}
	voters := []*community.User{e.quickUser(t, "v1"), e.quickUser(t, "v2"), e.quickUser(t, "v3")}
	for i, p := range ps {
		for _, v := range voters[:i%4] {
			if _, err := e.store.SetVote(ctx, v.ID, p.ID, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	page, err := e.store.Papers(ctx, paper.Filter{Sort: paper.SortTrending, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Papers) != len(ps) {
		t.Fatalf("got %d papers, want %d", len(page.Papers), len(ps))
	}
	want := slices.Clone(page.Papers)
	slices.SortStableFunc(want, func(a, b paper.Paper) int {
		sa, sb := community.TrendingScore(a.Upvotes(), a.Day(), now), community.TrendingScore(b.Upvotes(), b.Day(), now)
		switch {
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		}
		return 0
	})
	for i := range want {
		if want[i].ID != page.Papers[i].ID {
			a, b := page.Papers[i], want[i]
			t.Fatalf("position %d: store has %s (%d upvotes, %s), TrendingScore wants %s (%d upvotes, %s)",
				i, a.ID, a.Upvotes(), a.Day().Format("01-02"), b.ID, b.Upvotes(), b.Day().Format("01-02"))
		}
	}
	// And the headline case through the store: fresh with few above old with more.
	top := page.Papers[0]
	if !top.Day().Equal(paper.DayOf(now)) && top.Upvotes() < 5 {
		t.Errorf("top trending paper is %s from %s with %d upvotes", top.ID, top.Day(), top.Upvotes())
	}
}

func TestConcurrentVotesExact(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	ps := e.loadPapers(t)
	target := ps[0].ID
	const n = 40
	users := make([]*community.User, n)
	for i := range users {
		users[i] = e.quickUser(t, fmt.Sprintf("voter%02d", i))
	}
	var wg sync.WaitGroup
	errs := make(chan error, n*4)
	for i, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Everyone double-clicks "upvote"; every third voter then takes it back.
			for range 2 {
				if _, err := e.svc.Vote(ctx, u, target, true, "127.0.0.1"); err != nil {
					errs <- err
				}
			}
			if i%3 == 0 {
				if _, err := e.svc.Vote(ctx, u, target, false, "127.0.0.1"); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	want := n - (n+2)/3
	p, err := e.store.Paper(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	if p.Votes != want {
		t.Errorf("votes = %d, want %d", p.Votes, want)
	}
	if p.Upvotes() != p.SourceUpvotes+want {
		t.Errorf("Upvotes() = %d, want imported %d + %d", p.Upvotes(), p.SourceUpvotes, want)
	}
	voted, err := e.svc.VotedOn(ctx, users[1], []string{target, ps[1].ID})
	if err != nil || !voted[target] || voted[ps[1].ID] {
		t.Errorf("VotedOn = %v, %v", voted, err)
	}
	if _, err := e.svc.Vote(ctx, users[1], "2405.99999", true, "x"); !errors.Is(err, paper.ErrNotFound) {
		t.Errorf("vote on unknown paper: %v", err)
	}
}

func TestAccounts(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	const pw = "correct horse battery staple"
	admin, raw1 := e.signUp(t, "Ada", "Ada@Example.com", pw)
	if admin.Role != community.RoleAdmin || admin.Email != "ada@example.com" {
		t.Errorf("first user: role %q email %q", admin.Role, admin.Email)
	}
	bob, _ := e.signUp(t, "bob", "bob@example.com", pw)
	if bob.Role != community.RoleUser {
		t.Fatalf("second user: %+v", bob)
	}
	// A taken email gets the same answer as a new one; its owner gets an email.
	mails := len(e.smtp.Messages())
	if err := e.svc.SignUp(ctx, "carol", "BOB@example.com", pw, "10.0.0.3"); err != nil {
		t.Errorf("sign-up with a taken email: %v, want the same nil as a new one", err)
	}
	if msg, ok := e.smtp.Wait(mails+1, 10*time.Second); !ok || !strings.Contains(string(msg.Data), "already has one") || msg.To[0] != "bob@example.com" {
		t.Errorf("owner of the taken address was not told: %v %q", ok, msg.Data)
	}
	// A sign-up not confirmed cannot log in, and says only what a wrong password says.
	if err := e.svc.SignUp(ctx, "dave", "dave@example.com", pw, "10.0.0.3"); err != nil {
		t.Fatal(err)
	}
	_, _, _, errUnconfirmed := e.svc.LogIn(ctx, "dave", pw, "10.0.0.3", "")
	if !errors.Is(errUnconfirmed, community.ErrBadLogin) {
		t.Errorf("unconfirmed login: %v", errUnconfirmed)
	}
	for _, test := range []struct {
		name, user, email, pw, field string
	}{
		{"username taken, other case", "ADA", "x@example.com", pw, "username"},
		{"bad username", "a b", "c@example.com", pw, "username"},
		{"reserved username", "admin", "c@example.com", pw, "username"},
		{"bad email", "carol", "carol@", pw, "email"},
		{"short password", "carol", "carol@example.com", "short", "password"},
	} {
		err := e.svc.SignUp(ctx, test.user, test.email, test.pw, "10.0.0.3")
		var fe *community.FormError
		if !errors.As(err, &fe) || fe.Fields[test.field] == "" {
			t.Errorf("%s: err = %v, want a message for %q", test.name, err, test.field)
		}
	}

	// Log in by username or email in any case; each login is a new session.
	_, raw2, _, err := e.svc.LogIn(ctx, "ada", pw, "10.0.0.1", "")
	if err != nil {
		t.Fatal(err)
	}
	_, raw3, s3, err := e.svc.LogIn(ctx, "ADA@example.com", pw, "10.0.0.1", "")
	if err != nil {
		t.Fatal(err)
	}
	if raw1 == raw2 || raw2 == raw3 {
		t.Error("logins reused a session id")
	}
	// Wrong password and unknown account read the same.
	_, _, _, errWrong := e.svc.LogIn(ctx, "ada", "wrong password!", "10.0.0.9", "")
	_, _, _, errNone := e.svc.LogIn(ctx, "nobody", "wrong password!", "10.0.0.9", "")
	if !errors.Is(errWrong, community.ErrBadLogin) || errWrong.Error() != errNone.Error() {
		t.Errorf("wrong password: %v; unknown user: %v", errWrong, errNone)
	}
	// Sessions: authenticate, log out one, change password ends the others.
	if _, u, err := e.svc.Authenticate(ctx, raw2); err != nil || u.ID != admin.ID {
		t.Fatalf("authenticate: %v", err)
	}
	if err := e.svc.LogOut(ctx, raw2); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Authenticate(ctx, raw2); !errors.Is(err, community.ErrUnauthorized) {
		t.Errorf("after logout: %v", err)
	}
	if err := e.svc.ChangePassword(ctx, admin, s3, "not it", "new password 123"); err == nil {
		t.Error("password changed without the current one")
	}
	if err := e.svc.ChangePassword(ctx, admin, s3, pw, "new password 123"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Authenticate(ctx, raw1); err == nil {
		t.Error("other session survived a password change")
	}
	if _, _, err := e.svc.Authenticate(ctx, raw3); err != nil {
		t.Errorf("current session ended by a password change: %v", err)
	}
	if _, _, _, err := e.svc.LogIn(ctx, "ada", pw, "10.0.0.1", ""); err == nil {
		t.Error("old password still works")
	}
	if err := e.svc.LogOutEverywhere(ctx, admin); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Authenticate(ctx, raw3); err == nil {
		t.Error("session survived log out everywhere")
	}
	// Sessions expire.
	_, raw4, _, err := e.svc.LogIn(ctx, "bob", pw, "10.0.0.2", "")
	if err != nil {
		t.Fatal(err)
	}
	e.setNow(e.now.Load().Add(31 * 24 * time.Hour))
	if _, _, err := e.svc.Authenticate(ctx, raw4); err == nil {
		t.Error("session outlived its 30 days")
	}
}

func TestPasswordResetByEmail(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	const pw, newPW = "first password 1", "second password 2"
	u, raw := e.signUp(t, "grace", "grace@example.com", pw)
	// An address without account: same answer, no email.
	if err := e.svc.RequestPasswordReset(ctx, "nobody@example.com", "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RequestPasswordReset(ctx, "GRACE@example.com", "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	token, msg := e.nextLink(t, 2, "reset")
	if msg.To[0] != "grace@example.com" || !msg.TLS || msg.Auth != "mailer" {
		t.Errorf("email to %v tls=%v auth=%q", msg.To, msg.TLS, msg.Auth)
	}
	time.Sleep(200 * time.Millisecond)
	e.svc.Wait()
	if n := len(e.smtp.Messages()); n != 2 {
		t.Errorf("%d emails sent, want 2 (sign-up and one reset; none for the unknown address)", n)
	}
	if _, _, _, err := e.svc.ResetPassword(ctx, token, "short", "10.0.0.1", ""); err == nil {
		t.Error("reset accepted a short password")
	}
	u2, raw2, _, err := e.svc.ResetPassword(ctx, token, newPW, "10.0.0.1", "")
	if err != nil || u2.ID != u.ID {
		t.Fatalf("reset: %v", err)
	}
	if _, _, err := e.svc.Authenticate(ctx, raw); err == nil {
		t.Error("old session survived the reset")
	}
	if _, _, err := e.svc.Authenticate(ctx, raw2); err != nil {
		t.Errorf("new session: %v", err)
	}
	if _, _, _, err := e.svc.ResetPassword(ctx, token, "third password 3", "10.0.0.1", ""); !errors.Is(err, community.ErrTokenInvalid) {
		t.Errorf("second use of the token: %v", err)
	}
	if _, _, _, err := e.svc.LogIn(ctx, "grace", newPW, "10.0.0.1", ""); err != nil {
		t.Errorf("login with the new password: %v", err)
	}
	// Tokens expire after an hour.
	if err := e.svc.RequestPasswordReset(ctx, "grace@example.com", "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	token2, _ := e.nextLink(t, 3, "reset")
	e.setNow(e.now.Load().Add(61 * time.Minute))
	if _, _, _, err := e.svc.ResetPassword(ctx, token2, "third password 3", "10.0.0.1", ""); !errors.Is(err, community.ErrTokenInvalid) {
		t.Errorf("expired token: %v", err)
	}
	// Neither the passwords nor the token are stored or logged in plain text.
	assertNotStored(t, e, pw, newPW, token)
}

// assertNotStored greps the database files and the log for secrets.
func assertNotStored(t *testing.T, e *env, secrets ...string) {
	t.Helper()
	if _, err := e.store.DB().Exec(`PRAGMA wal_checkpoint(FULL)`); err != nil {
		t.Fatal(err)
	}
	files, _ := os.ReadDir(e.dir)
	for _, f := range files {
		b, err := os.ReadFile(e.dir + "/" + f.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Errorf("%s contains the secret %q", f.Name(), s)
			}
		}
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "user signed up") {
		t.Errorf("the log is not being captured: %q", logs)
	}
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("the log contains the secret %q", s)
		}
	}
}

func TestRateLimitsAndBackoff(t *testing.T) {
	lim := community.DefaultLimits()
	e := newEnv(t, &lim)
	ctx := context.Background()
	const pw = "a fine password"
	e.signUp(t, "emmy", "emmy@example.com", pw)
	// Five failures are free, the sixth locks the account out for a while, even with the right password.
	for i := range 6 {
		_, _, _, err := e.svc.LogIn(ctx, "emmy", "wrong password", fmt.Sprintf("10.2.0.%d", i), "")
		if !errors.Is(err, community.ErrBadLogin) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	_, _, _, err := e.svc.LogIn(ctx, "emmy", pw, "10.2.0.99", "")
	var rl *community.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter < time.Second {
		t.Fatalf("after 6 failures: %v, want a rate limit", err)
	}
	// Sign-ups from one address: 5, then refused.
	for i := range 6 {
		err = e.svc.SignUp(ctx, fmt.Sprintf("user%d", i), fmt.Sprintf("u%d@example.com", i), "x", "10.3.3.3")
	}
	if !errors.As(err, &rl) {
		t.Errorf("6th sign-up from one address: %v", err)
	}
	// Comments: 5 quickly, the 6th refused.
	ps := e.loadPapers(t)
	u := e.quickUser(t, "chatty")
	for i := range 6 {
		_, err = e.svc.AddComment(ctx, u, ps[0].ID, 0, fmt.Sprintf("comment %d", i), "10.4.4.4")
	}
	if !errors.As(err, &rl) {
		t.Errorf("6th comment: %v", err)
	}
}

func TestSubmit(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	u := e.quickUser(t, "submitter")
	id, existed, err := e.svc.Submit(ctx, u, " https://arxiv.org/abs/2309.11056v1 ")
	if err != nil || existed || id != "2309.11056" {
		t.Fatalf("submit: %q %v %v", id, existed, err)
	}
	p, err := e.store.Paper(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "A Verified Cost Analysis of Joinable Red-Black Trees" || p.SubmittedBy != "submitter" || !p.Day().Equal(paper.DayOf(*e.now.Load())) {
		t.Errorf("stored %q submitted by %q on %s", p.Title, p.SubmittedBy, p.Day())
	}
	page, err := e.store.Papers(ctx, paper.Filter{Period: ptr(paper.DayPeriod(*e.now.Load()))})
	if err != nil || len(page.Papers) != 1 {
		t.Errorf("today's feed: %d papers, %v", len(page.Papers), err)
	}
	reqs := e.arxiv.Requests.Load()
	id, existed, err = e.svc.Submit(ctx, e.quickUser(t, "late"), "arXiv:2309.11056")
	if err != nil || !existed || id != "2309.11056" || e.arxiv.Requests.Load() != reqs {
		t.Errorf("resubmit: %q existed=%v %v (arXiv asked again: %v)", id, existed, err, e.arxiv.Requests.Load() != reqs)
	}
	if p, _ := e.store.Paper(ctx, id); p.SubmittedBy != "submitter" {
		t.Errorf("resubmission changed the submitter to %q", p.SubmittedBy)
	}
	for _, test := range []struct {
		in   string
		down bool
		want string
	}{
		{in: "not a paper", want: "is not an arXiv id"},
		{in: "2313.00001", want: "is not an arXiv id"},
		{in: "2309.99999", want: "arXiv has no paper 2309.99999"},
		{in: "2309.12345", down: true, want: "could not fetch 2309.12345 from arXiv"},
	} {
		e.arxiv.Down.Store(test.down)
		_, _, err := e.svc.Submit(ctx, u, test.in)
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("Submit(%q): %v, want %q", test.in, err, test.want)
		}
		if test.down && !errors.Is(err, community.ErrUnavailable) {
			t.Errorf("arXiv down: %v is not ErrUnavailable", err)
		}
	}
	if n, _ := e.store.CountPapers(ctx); n != 1 {
		t.Errorf("%d papers stored, want 1", n)
	}
	prof, err := e.svc.Profile(ctx, "SUBMITTER")
	if err != nil || len(prof.Submissions) != 1 {
		t.Errorf("profile submissions: %v %v", prof, err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestCommentsAndModeration(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	ps := e.loadPapers(t)
	pid := ps[0].ID
	admin, _ := e.signUp(t, "root-ada", "ada@example.com", "password one")
	alice, bob := e.quickUser(t, "alice"), e.quickUser(t, "bob")
	c1, err := e.svc.AddComment(ctx, alice, pid, 0, "Nice *paper*; code at https://github.com/x/y", "1")
	if err != nil {
		t.Fatal(err)
	}
	c2, err := e.svc.AddComment(ctx, bob, pid, c1.ID, `<script>alert(1)</script> [x](javascript:alert(1))`, "2")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AddComment(ctx, bob, ps[1].ID, c1.ID, "reply on the wrong paper", "2"); !errors.Is(err, paper.ErrInvalid) {
		t.Errorf("reply across papers: %v", err)
	}
	if _, err := e.svc.AddComment(ctx, bob, pid, 0, "   ", "2"); err == nil {
		t.Error("empty comment accepted")
	}
	numComments := func() int {
		p, err := e.store.Paper(ctx, pid)
		if err != nil {
			t.Fatal(err)
		}
		return p.NumComments
	}
	if n := numComments(); n != 2 {
		t.Errorf("NumComments = %d, want 2", n)
	}
	thread, err := e.svc.Thread(ctx, pid, alice)
	if err != nil {
		t.Fatal(err)
	}
	if len(thread) != 1 || len(thread[0].Replies) != 1 || !thread[0].Editable || thread[0].Replies[0].Editable {
		t.Fatalf("thread shape wrong: %+v", thread)
	}
	html := fmt.Sprint(thread[0].Replies[0].HTML)
	if strings.Contains(html, "<script") || strings.Contains(html, "javascript:alert") && strings.Contains(html, "href") {
		t.Errorf("reply rendered unsafely: %s", html)
	}
	if !strings.Contains(fmt.Sprint(thread[0].HTML), `<em>paper</em>`) {
		t.Errorf("markup not rendered: %s", thread[0].HTML)
	}
	// Only the author edits and deletes.
	if _, err := e.svc.EditComment(ctx, bob, c1.ID, "vandalised"); !errors.Is(err, community.ErrForbidden) {
		t.Errorf("edit by another user: %v", err)
	}
	if _, err := e.svc.EditComment(ctx, alice, c1.ID, "Nice paper (edited)"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.DeleteComment(ctx, bob, c1.ID); !errors.Is(err, community.ErrForbidden) {
		t.Errorf("delete by another user: %v", err)
	}
	if _, err := e.svc.DeleteComment(ctx, alice, c1.ID); err != nil {
		t.Fatal(err)
	}
	if n := numComments(); n != 1 {
		t.Errorf("after delete NumComments = %d, want 1", n)
	}
	thread, _ = e.svc.Thread(ctx, pid, nil)
	if len(thread) != 1 || !thread[0].Deleted || thread[0].HTML != "" || len(thread[0].Replies) != 1 {
		t.Errorf("deleted parent with a reply should stay as a placeholder: %+v", thread)
	}
	// Moderation: users cannot hide; the admin appoints a moderator who hides and bans.
	if _, err := e.svc.HideComment(ctx, alice, c2.ID, true); !errors.Is(err, community.ErrForbidden) {
		t.Errorf("hide by a user: %v", err)
	}
	if err := e.svc.SetRole(ctx, alice, "bob", community.RoleModerator); !errors.Is(err, community.ErrForbidden) {
		t.Errorf("appointment by a user: %v", err)
	}
	if err := e.svc.SetRole(ctx, admin, "alice", community.RoleModerator); err != nil {
		t.Fatal(err)
	}
	alice, _ = e.store.UserByID(ctx, alice.ID)
	if _, err := e.svc.HideComment(ctx, alice, c2.ID, true); err != nil {
		t.Fatal(err)
	}
	if n := numComments(); n != 0 {
		t.Errorf("after hide NumComments = %d, want 0", n)
	}
	if thread, _ := e.svc.Thread(ctx, pid, bob); len(thread) != 0 {
		t.Errorf("hidden comment visible to a user: %+v", thread)
	}
	if thread, _ := e.svc.Thread(ctx, pid, alice); len(thread) != 1 || thread[0].Replies[0].HTML == "" {
		t.Errorf("moderator should see the hidden comment")
	}
	if _, err := e.svc.HideComment(ctx, alice, c2.ID, false); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Ban(ctx, alice, "root-ada", true); !errors.Is(err, community.ErrForbidden) {
		t.Errorf("moderator banned the admin: %v", err)
	}
	if err := e.svc.Ban(ctx, alice, "bob", true); err != nil {
		t.Fatal(err)
	}
	if n := numComments(); n != 0 {
		t.Errorf("banned user's comments still counted: %d", n)
	}
	bob, _ = e.store.UserByID(ctx, bob.ID)
	if _, err := e.svc.AddComment(ctx, bob, pid, 0, "I am back", "2"); !errors.Is(err, community.ErrBanned) {
		t.Errorf("banned user commented: %v", err)
	}
	if _, err := e.svc.Vote(ctx, bob, pid, true, "2"); !errors.Is(err, community.ErrBanned) {
		t.Errorf("banned user voted: %v", err)
	}
	prof, err := e.svc.Profile(ctx, "alice")
	if err != nil || len(prof.Comments) != 0 {
		t.Errorf("alice's profile: %+v %v (her only comment is deleted)", prof, err)
	}
}

func TestSeedDemoVotes(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	e.loadPapers(t)
	n, err := e.svc.SeedDemoVotes(ctx, 3, 4, 1)
	if err != nil || n == 0 {
		t.Fatalf("seeded %d votes: %v", n, err)
	}
	again, err := e.svc.SeedDemoVotes(ctx, 3, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	var total int
	page, _ := e.store.Papers(ctx, paper.Filter{Limit: 100})
	for _, p := range page.Papers {
		total += p.Votes
	}
	if total != n || again != n {
		t.Errorf("votes after seeding twice: %d (first run %d, second %d)", total, n, again)
	}
	if _, _, _, err := e.svc.LogIn(ctx, community.DemoVoters[0], "", "1", ""); err == nil {
		t.Error("demo voter can log in")
	}
}

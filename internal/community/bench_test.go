package community_test

import (
	"context"
	"testing"
)

// BenchmarkLogIn compares the cost of failed logins for an account that
// exists (wrong password) and one that does not: they should be about equal,
// so that timing does not tell which accounts exist.
//
//	go test -run '^$' -bench LogIn ./internal/community
func BenchmarkLogIn(b *testing.B) {
	e := newEnv(b, nil)
	ctx := context.Background()
	if _, err := e.svc.CreateUser(ctx, "bench", "bench@example.com", "the right password", false); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ name, login, pw string }{
		{"right password", "bench", "the right password"},
		{"wrong password", "bench", "a wrong password"},
		{"unknown account", "nobody", "a wrong password"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				e.svc.LogIn(ctx, bc.login, bc.pw, "10.0.0.1", "")
			}
		})
	}
}

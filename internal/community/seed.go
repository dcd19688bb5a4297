package community

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/paperboy/paperboy/internal/auth"
	"github.com/paperboy/paperboy/internal/paper"
)

// DemoVoters are the accounts SeedDemoVotes votes with. They cannot log in:
// their password hash is of a random secret that is thrown away.
var DemoVoters = []string{"demo-ada", "demo-grace", "demo-alan", "demo-emmy", "demo-kurt"}

// SeedDemoVotes gives the demo something to trend: the demo voters vote for
// a few papers of each of the latest days (deterministically, by seed). The
// pages say that these votes are seeded. It is idempotent: running it again
// adds nothing.
func (s *Service) SeedDemoVotes(ctx context.Context, days, perDay int, seed uint64) (int, error) {
	var voters []*User
	for _, name := range DemoVoters {
		u, err := s.store.UserByUsername(ctx, name)
		if errors.Is(err, ErrNotFound) {
			secret, _ := auth.NewToken()
			hash, herr := auth.HashPassword(ctx, secret)
			if herr != nil {
				return 0, herr
			}
			u = &User{Username: name, Email: name + "@demo.invalid"}
			err = s.store.CreateUser(ctx, u, hash, false)
		}
		if err != nil {
			return 0, fmt.Errorf("seed demo voter %s: %w", name, err)
		}
		voters = append(voters, u)
	}
	latest, err := s.store.Papers(ctx, paper.Filter{Sort: paper.SortNewest, Limit: 1})
	if err != nil || len(latest.Papers) == 0 {
		return 0, err
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	day := paper.DayPeriod(latest.Papers[0].Day())
	n := 0
	for d := 0; d < days; d++ {
		page, err := s.store.Papers(ctx, paper.Filter{Period: &day, Sort: paper.SortNewest, Limit: 50}) // an order votes do not change
		if err != nil {
			return n, err
		}
		ps := page.Papers
		rng.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
		for _, p := range ps[:min(perDay, len(ps))] {
			k := 1 + rng.IntN(len(voters))
			for _, v := range voters[:k] {
				if _, err := s.store.SetVote(ctx, v.ID, p.ID, true); err != nil {
					return n, err
				}
				n++
			}
		}
		day = day.Prev()
	}
	return n, nil
}

// DemoVotesSeeded reports whether SeedDemoVotes has run on this database, so
// that the pages can say which votes are seeded.
func (s *Service) DemoVotesSeeded(ctx context.Context) (bool, error) {
	_, err := s.store.UserByUsername(ctx, DemoVoters[0])
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

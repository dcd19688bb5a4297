package sqlite

// Benchmarks of the store alone on papers generated from the real ones
// (internal/benchdata): upserts in importer-sized batches, and the feed
// queries on a 20k set (about 1,000 papers a day). `paperboy bench` measures
// 100k and 1M papers, and the pages through the web handler.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/benchdata"
	"github.com/paperboy/paperboy/internal/paper"
)

var benchSrc = sync.OnceValues(func() (*benchdata.Source, error) {
	dir, err := benchdata.FindDataDir()
	if err != nil {
		return nil, err
	}
	return benchdata.Load(dir, benchdata.SmallFiles...)
})

func benchSource(b *testing.B) *benchdata.Source {
	src, err := benchSrc()
	if err != nil {
		b.Skip(err)
	}
	return src
}

// BenchmarkUpsertPapers stores new papers in batches of 2,000, as the
// importer does, into a growing database; target 10,000 papers/s.
func BenchmarkUpsertPapers(b *testing.B) {
	src := benchSource(b)
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const batch = 2000
	g, err := benchdata.NewGenerator(src, b.N*batch, 1)
	if err != nil {
		b.Fatal(err)
	}
	ps := make([]paper.Paper, batch)
	for range b.N {
		b.StopTimer()
		for i := range ps {
			ps[i], _ = g.Next()
		}
		b.StartTimer()
		if _, err := s.UpsertPapers(ctx, ps); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "papers/s")
}

// feedStore is a 20k generated set, built once per test binary.
var feedStore = sync.OnceValues(func() (*Store, error) {
	src, err := benchSrc()
	if err != nil {
		return nil, err
	}
	// Kept between runs in the temporary directory, like paperboy bench's sets.
	dir := filepath.Join(os.TempDir(), "paperboy-bench")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	s, err := Open(context.Background(), filepath.Join(dir, "sqlite-feed-20000-seed1.db"))
	if err != nil {
		return nil, err
	}
	if n, err := s.CountPapers(context.Background()); err != nil || n == 20_000 {
		return s, err
	}
	var batch []paper.Paper
	err = benchdata.Generate(src, 20_000, 1, func(p paper.Paper) error {
		batch = append(batch, p)
		if len(batch) == 2000 {
			_, err := s.UpsertPapers(context.Background(), batch)
			batch = batch[:0]
			return err
		}
		return nil
	})
	return s, err
})

func benchFeed(b *testing.B, kind paper.PeriodKind, sort paper.Sort) {
	if _, err := benchSrc(); err != nil {
		b.Skip(err)
	}
	s, err := feedStore()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	// The set ends on benchdata.End; cycle over its last 14 days.
	var pers []paper.Period
	for i := range 14 {
		d := benchdata.End.AddDate(0, 0, -i)
		switch kind {
		case paper.PeriodWeek:
			pers = append(pers, paper.WeekPeriod(d.AddDate(0, 0, -7)))
		case paper.PeriodMonth:
			pers = append(pers, paper.MonthPeriod(d))
		default:
			pers = append(pers, paper.DayPeriod(d))
		}
	}
	i := 0
	for b.Loop() {
		per := pers[i%len(pers)]
		i++
		pg, err := s.Papers(ctx, paper.Filter{Period: &per, Sort: sort, Limit: 30})
		if err != nil || len(pg.Papers) != 30 {
			b.Fatalf("%s: %d papers, %v", per, len(pg.Papers), err)
		}
	}
}

func BenchmarkPapersDayUpvotes(b *testing.B)    { benchFeed(b, paper.PeriodDay, paper.SortUpvotes) }
func BenchmarkPapersDayNewest(b *testing.B)     { benchFeed(b, paper.PeriodDay, paper.SortNewest) }
func BenchmarkPapersWeekUpvotes(b *testing.B)   { benchFeed(b, paper.PeriodWeek, paper.SortUpvotes) }
func BenchmarkPapersWeekTrending(b *testing.B)  { benchFeed(b, paper.PeriodWeek, paper.SortTrending) }
func BenchmarkPapersMonthUpvotes(b *testing.B)  { benchFeed(b, paper.PeriodMonth, paper.SortUpvotes) }
func BenchmarkPapersMonthNewest(b *testing.B)   { benchFeed(b, paper.PeriodMonth, paper.SortNewest) }
func BenchmarkPapersMonthTrending(b *testing.B) { benchFeed(b, paper.PeriodMonth, paper.SortTrending) }

func BenchmarkPaper(b *testing.B) {
	if _, err := benchSrc(); err != nil {
		b.Skip(err)
	}
	s, err := feedStore()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	pg, err := s.Papers(ctx, paper.Filter{Sort: paper.SortNewest, Limit: 500})
	if err != nil || len(pg.Papers) == 0 {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		if _, err := s.Paper(ctx, pg.Papers[i%len(pg.Papers)].ID); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// The trending page from per-day candidates (see Papers) is the page that
// scoring every paper of the period gives, for any period, filter and page.
func TestTrendingCandidatesSamePage(t *testing.T) {
	src, err := benchSrc()
	if err != nil {
		t.Skip(err)
	}
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "trending.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ps []paper.Paper
	if err := benchdata.Generate(src, 6000, 3, func(p paper.Paper) error { ps = append(ps, p); return nil }); err != nil {
		t.Fatal(err)
	}
	// Papers without a day (only the id's month), and Paperboy votes spread
	// over many papers so that days interleave in the score.
	for i := range 40 {
		ps = append(ps, paper.Paper{ID: fmt.Sprintf("2606.%05d", 100+i), Title: "No date", Authors: []string{"A. Author"}, Categories: []string{"cs.LG"}})
	}
	if _, err := s.UpsertPapers(ctx, ps); err != nil {
		t.Fatal(err)
	}
	for i := range ps {
		votes := (i * 31) % 23
		if ps[i].Title == "No date" {
			votes = 50_000 + i // old by the month's first day, but near the top
		}
		if i%7 == 0 || ps[i].Title == "No date" {
			if _, err := s.DB().ExecContext(ctx, `UPDATE papers SET votes = ? WHERE id = ?`, votes, ps[i].ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	now := benchdata.End.Add(36 * time.Hour)
	s.Now = func() time.Time { return now }
	last := benchdata.End
	periods := []paper.Period{paper.DayPeriod(last), paper.DayPeriod(last.AddDate(0, 0, -2)), paper.WeekPeriod(last), paper.MonthPeriod(last)}
	for _, per := range periods {
		for _, cat := range []string{"", "cs", "math.CO"} {
			for _, pg := range []struct{ limit, offset int }{{30, 0}, {30, 30}, {100, 250}, {10, 0}} {
				per := per
				got, err := s.Papers(ctx, paper.Filter{Period: &per, Category: cat, Sort: paper.SortTrending, Limit: pg.limit, Offset: pg.offset})
				if err != nil {
					t.Fatal(err)
				}
				want := referenceTrending(t, s, per, cat, pg.limit, pg.offset, now)
				var ids []string
				for _, p := range got.Papers {
					ids = append(ids, p.ID)
				}
				if len(want) == 0 && per.Kind != paper.PeriodDay {
					t.Fatalf("%s %q: no papers to compare", per, cat)
				}
				if !slices.Equal(ids, want) {
					t.Errorf("%s cat %q limit %d offset %d:\n got %v\nwant %v", per, cat, pg.limit, pg.offset, ids, want)
				}
			}
		}
	}
}

// referenceTrending scores every paper of the period, as Papers did before
// its per-day candidates.
func referenceTrending(t *testing.T, s *Store, per paper.Period, cat string, limit, offset int, now time.Time) []string {
	t.Helper()
	cond, args := "day >= ? AND day < ?", []any{per.Start.Format(dayLayout), per.End.Format(dayLayout)}
	if per.Kind == paper.PeriodMonth {
		cond, args = "month = ?", []any{per.Start.Format("2006-01")}
	}
	if cat != "" {
		cond += ` AND ((' ' || categories || ' ') LIKE ? OR (' ' || categories) LIKE ?)`
		args = append(args, "% "+cat+" %", "% "+cat+".%")
	}
	rows, err := s.ReadDB().Query(`SELECT id FROM papers WHERE `+cond+` ORDER BY `+trendingExpr+` DESC, upvotes DESC, id DESC LIMIT ? OFFSET ?`,
		append(args, fmtTime(now), limit, offset)...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		rows.Scan(&id)
		ids = append(ids, id)
	}
	return ids
}

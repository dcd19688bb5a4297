package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
)

func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// Real papers from ../shared/data.
func samplePapers() []paper.Paper {
	return []paper.Paper{
		{
			ID: "2405.15738", Title: "ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models",
			Authors:   []string{"Chunjiang Ge", "Sijie Cheng", "Ziming Wang"},
			Abstract:  "High-resolution Large Multimodal Models (LMMs) encounter the challenges of excessive visual tokens. The ConvLLaVA model series are publicly available at https://github.com/alibaba/conv-llava.",
			Published: day("2024-05-24"), DailyDate: day("2024-05-27"), SourceUpvotes: 32, SourceUpvotesAt: day("2024-06-01"),
		},
		{
			ID: "2405.15574", Title: "Meteor: Mamba-based Traversal of Rationale for Large Language and Vision Models",
			Authors:   []string{"Byung-Kwan Lee", "Chae Won Kim", "Beomchan Park", "Yong Man Ro"},
			Abstract:  "The rapid development of large language and vision models (LLVMs) has been driven by advances in visual instruction tuning.",
			Published: day("2024-05-24"), DailyDate: day("2024-05-27"), SourceUpvotes: 50, SourceUpvotesAt: day("2024-06-01"),
		},
		{
			ID: "2309.10986", Title: "Research on the Impact of Executive Shareholding on New Investment in  Enterprises Based on Multivariable Linear Regression Model",
			Authors:     []string{"Shanyi Zhou", "Ning Yan"},
			Categories:  []string{"math.NA", "econ.GN"},
			Abstract:    "Based on principal-agent theory and optimal contract theory, companies usethe method of increasing executives' shareholding.",
			ListingDate: day("2023-09-21"),
		},
		{
			ID: "2505.24868", Title: "Consistent line clustering using geometric hypergraphs",
			Authors:    []string{"Kalle Alaluusua", "Konstantin Avrachenkov", "B. R. Vinay Kumar", "Lasse Leskelä"},
			Categories: []string{"math.ST", "stat.ML"},
			Abstract:   "Traditional data analysis often represents data as a weighted graph with pairwise similarities.",
		},
	}
}

func normalized(ps []paper.Paper) []paper.Paper {
	for i := range ps {
		ps[i].Normalize()
	}
	return ps
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	in := normalized(samplePapers())
	in[0].Versions = []paper.Version{{Number: 1, Created: time.Date(2024, 5, 24, 17, 59, 59, 0, time.UTC)}, {Number: 2, Created: time.Date(2024, 6, 3, 1, 2, 3, 0, time.UTC)}}
	in[0].Normalize()
	res, err := s.UpsertPapers(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if res != (paper.UpsertResult{New: 4}) {
		t.Fatalf("first upsert = %+v", res)
	}
	got, err := s.Paper(ctx, "2405.15738")
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != in[0].Title || len(got.Authors) != 3 || got.Version != 2 || len(got.Versions) != 2 ||
		!got.Published.Equal(in[0].Versions[0].Created) || got.SourceUpvotes != 32 ||
		got.CodeURLs[0] != "https://github.com/alibaba/conv-llava" || got.Day().Format("2006-01-02") != "2024-05-27" {
		t.Errorf("round trip mismatch: %+v", got)
	}
	// The same papers again change nothing.
	res, err = s.UpsertPapers(ctx, normalized(samplePapers()))
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 0 || res.Updated != 0 {
		t.Errorf("second upsert = %+v, want nothing new or updated", res)
	}
	if _, err := s.Paper(ctx, "9999.99999"); err == nil {
		t.Error("unknown paper: no error")
	}
	n, _ := s.CountPapers(ctx)
	if n != 4 {
		t.Errorf("count = %d", n)
	}
}

func TestVersionRule(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	v2 := samplePapers()[3]
	v2.Version, v2.Title = 2, "Consistent line clustering (v2)"
	v2.Versions = []paper.Version{{Number: 2, Created: time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC)}}
	v2.Normalize()
	if _, err := s.UpsertPapers(ctx, []paper.Paper{v2}); err != nil {
		t.Fatal(err)
	}
	v1 := samplePapers()[3]
	v1.Version, v1.Title = 1, "Consistent line clustering (v1)"
	v1.Versions = []paper.Version{{Number: 1, Created: time.Date(2025, 5, 30, 0, 0, 0, 0, time.UTC)}}
	v1.Normalize()
	res, err := s.UpsertPapers(ctx, []paper.Paper{v1})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.Paper(ctx, v1.ID)
	if got.Title != v2.Title || got.Version != 2 {
		t.Errorf("older version overwrote newer: %q v%d", got.Title, got.Version)
	}
	if len(got.Versions) != 2 || got.Published.Format("2006-01-02") != "2025-05-30" || res.Updated != 1 {
		t.Errorf("history not kept: %+v, published %v, res %+v", got.Versions, got.Published, res)
	}
	v3 := v2
	v3.Version, v3.Title = 3, "Consistent line clustering (v3)"
	v3.Versions = nil
	if _, err := s.UpsertPapers(ctx, []paper.Paper{v3}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Paper(ctx, v1.ID)
	if got.Title != v3.Title || got.Version != 3 || len(got.Versions) != 2 {
		t.Errorf("newer version did not replace: %q v%d %v", got.Title, got.Version, got.Versions)
	}
}

func TestUpsertIsAtomic(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ps := normalized(samplePapers())
	ps[2].Title = "" // invalid: the whole batch must fail
	if _, err := s.UpsertPapers(ctx, ps); err == nil {
		t.Fatal("invalid paper accepted")
	}
	if n, _ := s.CountPapers(ctx); n != 0 {
		t.Errorf("%d papers stored from a failed batch", n)
	}
}

func TestFeedQueries(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	s.Now = func() time.Time { return day("2024-06-01") }
	if _, err := s.LatestDay(ctx); err == nil {
		t.Error("empty store has a latest day")
	}
	if _, err := s.UpsertPapers(ctx, normalized(samplePapers())); err != nil {
		t.Fatal(err)
	}
	latest, err := s.LatestDay(ctx)
	if err != nil || latest.Format("2006-01-02") != "2024-05-27" {
		t.Fatalf("latest = %v, %v", latest, err)
	}
	prev, next, err := s.AdjacentDays(ctx, latest)
	if err != nil || prev.Format("2006-01-02") != "2023-09-21" || !next.IsZero() {
		t.Errorf("adjacent = %v %v %v", prev, next, err)
	}
	p, _ := paper.ParsePeriod(paper.PeriodDay, "2024-05-27")
	page, err := s.Papers(ctx, paper.Filter{Period: &p})
	if err != nil || page.Total != 2 || page.Papers[0].ID != "2405.15574" {
		t.Errorf("day page = %+v, %v", page, err)
	}
	for _, sort := range []paper.Sort{paper.SortNewest, paper.SortTrending, paper.SortUpvotes} {
		page, err := s.Papers(ctx, paper.Filter{Sort: sort, Limit: 2, Offset: 1})
		if err != nil || page.Total != 4 || len(page.Papers) != 2 {
			t.Errorf("sort %s: %d of %d, %v", sort, len(page.Papers), page.Total, err)
		}
	}
	// A paper with no day still has a month from its id.
	m, _ := paper.ParsePeriod(paper.PeriodMonth, "2025-05")
	page, err = s.Papers(ctx, paper.Filter{Period: &m})
	if err != nil || page.Total != 1 || page.Papers[0].ID != "2505.24868" {
		t.Errorf("month page = %+v, %v", page, err)
	}
	for cat, want := range map[string]int{"math": 2, "econ.GN": 1, "stat": 1, "cs": 0, "math.S": 0, "%": 0} {
		page, err := s.Papers(ctx, paper.Filter{Category: cat})
		if err != nil || page.Total != want {
			t.Errorf("category %q: %d, %v; want %d", cat, page.Total, err, want)
		}
	}
	counts, err := s.DayCounts(ctx, day("2024-05-01"), day("2024-06-01"))
	if err != nil || counts["2024-05-27"] != 2 || len(counts) != 1 {
		t.Errorf("day counts = %v, %v", counts, err)
	}
	changed, seq, err := s.PapersChangedSince(ctx, 0, 3)
	if err != nil || len(changed) != 3 || seq != changed[2].Seq {
		t.Fatalf("changed = %d, %d, %v", len(changed), seq, err)
	}
	rest, _, _ := s.PapersChangedSince(ctx, seq, 10)
	if len(rest) != 1 {
		t.Errorf("rest = %d", len(rest))
	}
}

func TestConcurrentReadersAndWriter(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				ps := normalized(samplePapers())
				ps[0].Title += " " + string(rune('a'+i)) + string(rune('a'+j))
				if _, err := s.UpsertPapers(ctx, ps); err != nil {
					errs <- err
				}
				if _, err := s.Papers(ctx, paper.Filter{}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "re.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.UpsertPapers(ctx, normalized(samplePapers()))
	s.Close()
	s, err = Open(ctx, path) // migrations are not applied twice
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, _ := s.CountPapers(ctx); n != 4 {
		t.Errorf("after reopen: %d papers", n)
	}
	var check string
	if err := s.ReadDB().QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity: %s %v", check, err)
	}
	var mode string
	s.DB().QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal mode %q", mode)
	}
	_ = sql.ErrNoRows
}

func TestUpsertSameIDTwiceInOneBatch(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := normalized(samplePapers())[:1]
	b := normalized(samplePapers())[:1]
	b[0].Comments = "ACL 2024"
	res, err := s.UpsertPapers(ctx, append(a, b...))
	if err != nil || res.New != 1 || res.Updated != 1 {
		t.Fatalf("upsert = %+v, %v", res, err)
	}
	got, _ := s.Paper(ctx, a[0].ID)
	if got.Comments != "ACL 2024" {
		t.Errorf("second record lost: %+v", got)
	}
}

// Cached counts follow writes, including writes by another connection.
func TestCountsFollowWrites(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ps := normalized(samplePapers())
	if _, err := s.UpsertPapers(ctx, ps[:1]); err != nil {
		t.Fatal(err)
	}
	per, _ := paper.ParsePeriod(paper.PeriodDay, "2024-05-27")
	for want := 1; want <= 2; want++ {
		counts, err := s.DayCounts(ctx, day("2024-05-01"), day("2024-06-01"))
		if err != nil || counts["2024-05-27"] != want {
			t.Errorf("day counts = %v, %v; want %d", counts, err, want)
		}
		page, err := s.Papers(ctx, paper.Filter{Period: &per})
		if err != nil || page.Total != want {
			t.Errorf("total = %d, %v; want %d", page.Total, err, want)
		}
		other, err := Open(ctx, s.Path()) // another writer, as an import process is
		if err != nil {
			t.Fatal(err)
		}
		if _, err := other.UpsertPapers(ctx, ps[1:2]); err != nil {
			t.Fatal(err)
		}
		other.Close()
	}
}

func TestCountsOnEmptyStore(t *testing.T) {
	s := openTest(t)
	for range 2 {
		if page, err := s.Papers(context.Background(), paper.Filter{}); err != nil || page.Total != 0 {
			t.Fatalf("empty store: %+v, %v", page, err)
		}
	}
}

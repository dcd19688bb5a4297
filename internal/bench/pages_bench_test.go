package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/paperboy/paperboy/internal/benchdata"
	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/sqlite"
	"github.com/paperboy/paperboy/internal/web"
)

// benchSize is the generated set the go test benchmarks use: big enough for
// full day pages (about 1,000 papers a day), small enough to build in
// seconds. `paperboy bench` measures 100k and 1M.
const benchSize = 20_000

var (
	fixtureOnce sync.Once
	fixture     struct {
		st   *sqlite.Store
		src  *benchdata.Source
		h    http.Handler
		reqs map[string][]request
		err  error
	}
)

// benchStore opens the 20k generated set, built once and kept in
// $TMPDIR/paperboy-bench for later runs, like `paperboy bench` does.
func benchStore(b *testing.B) (*sqlite.Store, http.Handler, map[string][]request) {
	b.Helper()
	fixtureOnce.Do(func() {
		f := &fixture
		dir, err := benchdata.FindDataDir()
		if err != nil {
			f.err = err
			return
		}
		if f.src, f.err = benchdata.Load(dir, benchdata.SmallFiles...); f.err != nil {
			return
		}
		// The small files' ids differ from the full set's, so the set differs
		// from `paperboy bench`'s: keep it under its own name.
		o := Options{Dir: filepath.Join(os.TempDir(), "paperboy-bench", "gotest"), DataDir: dir, Via: ViaStore, BatchSize: 2000, Seed: 1}
		if f.err = os.MkdirAll(o.Dir, 0o755); f.err != nil {
			return
		}
		ctx := context.Background()
		if f.st, _, f.err = openSet(ctx, o, f.src, Set{Size: benchSize}); f.err != nil {
			return
		}
		srv, err := web.New(web.Config{Store: f.st})
		if err != nil {
			f.err = err
			return
		}
		f.h = srv.Handler()
		reqs, err := plan(ctx, f.st, 200, 1)
		if err != nil {
			f.err = err
			return
		}
		f.reqs = map[string][]request{}
		for _, r := range reqs {
			f.reqs[r.page] = append(f.reqs[r.page], r)
		}
	})
	if fixture.err != nil {
		b.Fatal(fixture.err)
	}
	return fixture.st, fixture.h, fixture.reqs
}

// benchPage times one kind of page through the web handler and through the
// store alone, cycling over varied requests (days, sorts, pages, ids).
func benchPage(b *testing.B, page string) {
	st, h, all := benchStore(b)
	reqs := all[page]
	if len(reqs) == 0 {
		b.Fatalf("no %s requests", page)
	}
	ctx := context.Background()
	b.Run("web", func(b *testing.B) {
		i := 0
		for b.Loop() {
			rq := reqs[i%len(reqs)]
			i++
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequestWithContext(ctx, http.MethodGet, rq.url, nil))
			if rec.Code != http.StatusOK {
				b.Fatalf("GET %s: %d", rq.url, rec.Code)
			}
		}
	})
	b.Run("store", func(b *testing.B) {
		i := 0
		for b.Loop() {
			rq := reqs[i%len(reqs)]
			i++
			var err error
			if rq.id != "" {
				_, err = st.Paper(ctx, rq.id)
			} else {
				_, err = st.Papers(ctx, rq.filter)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkHome(b *testing.B)         { benchPage(b, "home") }
func BenchmarkFeedDay(b *testing.B)      { benchPage(b, "day") }
func BenchmarkFeedWeek(b *testing.B)     { benchPage(b, "week") }
func BenchmarkFeedMonth(b *testing.B)    { benchPage(b, "month") }
func BenchmarkFeedTrending(b *testing.B) { benchPage(b, "trending") }
func BenchmarkPaperPage(b *testing.B)    { benchPage(b, "paper") }

// BenchmarkUpsert stores generated papers in batches of 2,000 into a new
// database, as the importer does, and reports papers/s (target 10,000).
func BenchmarkUpsert(b *testing.B) {
	_, _, _ = benchStore(b) // loads the source
	src := fixture.src
	st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "upsert.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	const batch = 2000
	g, err := benchdata.NewGenerator(src, b.N*batch, 2)
	if err != nil {
		b.Fatal(err)
	}
	ps := make([]paper.Paper, batch)
	papers := 0
	for range b.N {
		b.StopTimer()
		for i := range ps {
			ps[i], _ = g.Next()
		}
		b.StartTimer()
		if _, err := st.UpsertPapers(context.Background(), ps); err != nil {
			b.Fatal(err)
		}
		papers += batch
	}
	b.ReportMetric(float64(papers)/b.Elapsed().Seconds(), "papers/s")
}

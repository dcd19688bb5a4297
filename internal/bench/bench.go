// Package bench measures Paperboy's core service on large data sets: import
// throughput into SQLite, the database's size, and the server time of feed
// and paper pages, through the web handler and through the store alone. The
// sets are the real papers of the shared data or papers generated from them
// (package benchdata). `paperboy bench` calls Run and prints its table;
// `go test -bench . ./internal/bench/` measures the same pages on a small set.
package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/paperboy/paperboy/internal/benchdata"
	"github.com/paperboy/paperboy/internal/ingest"
	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/procmem"
	"github.com/paperboy/paperboy/internal/sqlite"
)

// Targets and the figures to compare with (issue 2, item 11).
const (
	TargetImportRate = 10_000                // papers/s into SQLite
	TargetFeedP95    = 10 * time.Millisecond // feed page server time at p95, with 1M papers
)

// How an import is measured.
const (
	ViaImporter = "importer" // internal/ingest reading a generated arXiv snapshot JSON lines file
	ViaStore    = "store"    // store.UpsertPapers in batches, papers straight from the generator
)

// Options configure Run. The zero value runs the default sets.
type Options struct {
	// Sizes of the generated sets; default 100,000 and 1,000,000.
	Sizes []int
	// Real adds, for each size up to the number of real papers (about
	// 116,000), a set of the first real papers as they are.
	Real bool
	// Dir holds the databases; default $TMPDIR/paperboy-bench. A database
	// that already holds its set (from an earlier run with the same seed) is
	// reused, and its import figures are the earlier run's.
	Dir string
	// Fresh rebuilds the databases even when they could be reused.
	Fresh bool
	// Remove deletes each database after measuring it (a 1M set takes about 2 GB).
	Remove bool
	// DataDir is the shared data; default benchdata.FindDataDir().
	DataDir string
	// Files are the real data files to load; default benchdata.Files (all).
	Files []string
	// Seed makes the generated set and the request mix; default 1.
	Seed int64
	// Via is ViaImporter (default) or ViaStore.
	Via string
	// BatchSize is the papers per transaction; default 2,000.
	BatchSize int
	// Requests per page kind; default 300.
	Requests int
	// Handler builds the web handler on a store, for server times through
	// the real pages: the handler `paperboy serve` serves (web.New with the
	// community layer...). Nil: the store only.
	Handler func(*sqlite.Store) (http.Handler, error)
	// Out receives the table; default os.Stdout.
	Out io.Writer
	// Progress receives progress (a bar on a terminal, lines otherwise); default os.Stderr.
	Progress io.Writer
}

func (o *Options) defaults() error {
	if len(o.Sizes) == 0 {
		o.Sizes = []int{100_000, 1_000_000}
	}
	for _, n := range o.Sizes {
		if n < 1000 {
			return fmt.Errorf("bench: size %d: use at least 1,000 papers", n)
		}
	}
	if o.Dir == "" {
		o.Dir = filepath.Join(os.TempDir(), "paperboy-bench")
	}
	if o.DataDir == "" {
		d, err := benchdata.FindDataDir()
		if err != nil {
			return err
		}
		o.DataDir = d
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	switch o.Via {
	case "":
		o.Via = ViaImporter
	case ViaImporter, ViaStore:
	default:
		return fmt.Errorf("bench: via %q: use %q or %q", o.Via, ViaImporter, ViaStore)
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 2000
	}
	if o.Requests <= 0 {
		o.Requests = 300
	}
	if o.Out == nil {
		o.Out = os.Stdout
	}
	if o.Progress == nil {
		o.Progress = os.Stderr
	}
	return nil
}

// Set is one data set.
type Set struct {
	Size int
	Real bool // the first Size real papers; otherwise generated
}

func (s Set) String() string {
	kind := "generated"
	if s.Real {
		kind = "real"
	}
	return humanCount(s.Size) + " " + kind
}

func (s Set) file(seed int64) string {
	if s.Real {
		return fmt.Sprintf("real-%d.db", s.Size)
	}
	return fmt.Sprintf("generated-%d-seed%d.db", s.Size, seed)
}

// Result is what was measured on one set.
type Result struct {
	Set     Set
	Papers  int // papers in the database
	Import  Import
	DBBytes int64 // database file and its WAL
	Latency []Latency
	PeakRSS int64 // the process's peak resident memory after this set (VmHWM), bytes
	// Load is the machine's 1-minute load average before and after timing pages.
	LoadBefore, LoadAfter float64
}

// Import is an import's figures.
type Import struct {
	Via      string
	Papers   int
	Batch    int
	Duration time.Duration
	// CPU is the process's CPU time during the import (all goroutines:
	// reading or generating, and storing); 0 when unknown.
	CPU time.Duration
	// Reused is set when the database came from an earlier run; the figures are that run's.
	Reused bool
	When   time.Time
}

// Rate is papers per second.
func (im Import) Rate() float64 {
	if im.Duration <= 0 {
		return 0
	}
	return float64(im.Papers) / im.Duration.Seconds()
}

// Latency is the server time of one kind of page over many requests.
type Latency struct {
	Page string // "day", "week", "month", "trending", "paper", "home"
	Path string // "web" (the handler, httptest) or "store" (the store call alone)
	N    int
	P50  time.Duration
	P95  time.Duration
	P99  time.Duration
	Max  time.Duration
	Mean time.Duration
	// CPUP50 and CPUP95 are percentiles of the CPU time the request took on
	// its thread: what the page costs when no other program waits for the CPUs.
	CPUP50, CPUP95 time.Duration
	Bytes          int // mean response size (web)
}

// Report is a whole run.
type Report struct {
	Started  time.Time
	Machine  Machine
	Requests int
	Seed     int64
	DataDir  string
	WebPages bool // latencies include the web handler
	Results  []Result
}

// Run measures every set and writes the table to o.Out.
func Run(ctx context.Context, o Options) (*Report, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	rep := &Report{Started: time.Now().UTC(), Machine: ThisMachine(), Requests: o.Requests, Seed: o.Seed, DataDir: o.DataDir, WebPages: o.Handler != nil}

	t0 := time.Now()
	logf(o.Progress, "loading real papers from %s", o.DataDir)
	src, err := benchdata.Load(o.DataDir, o.Files...)
	if err != nil {
		return nil, err
	}
	logf(o.Progress, "loaded %d real papers in %s", src.RealLen(), time.Since(t0).Round(time.Millisecond))

	var sets []Set
	for _, n := range o.Sizes {
		if o.Real && n <= src.RealLen() {
			sets = append(sets, Set{Size: n, Real: true})
		}
		sets = append(sets, Set{Size: n})
	}
	for _, set := range sets {
		res, err := runSet(ctx, o, src, set)
		if err != nil {
			return rep, fmt.Errorf("bench %s: %w", set, err)
		}
		rep.Results = append(rep.Results, res)
	}
	if err := rep.WriteTable(o.Out); err != nil {
		return rep, err
	}
	return rep, nil
}

// sidecar keeps an import's figures beside its database, for reuse.
type sidecar struct {
	Set       Set
	Seed      int64
	Generator int // benchdata.Version
	Import    Import
}

func runSet(ctx context.Context, o Options, src *benchdata.Source, set Set) (Result, error) {
	res := Result{Set: set}
	st, im, err := openSet(ctx, o, src, set)
	if err != nil {
		return res, err
	}
	res.Import = im
	path := st.Path()
	defer func() {
		st.Close()
		if o.Remove {
			removeDB(path)
			os.Remove(path + ".json")
		}
	}()
	if res.Papers, err = st.CountPapers(ctx); err != nil {
		return res, err
	}
	res.DBBytes = dbSize(path)

	var h http.Handler
	if o.Handler != nil {
		if h, err = o.Handler(st); err != nil {
			return res, fmt.Errorf("web handler: %w", err)
		}
	}
	reqs, err := plan(ctx, st, o.Requests, o.Seed)
	if err != nil {
		return res, err
	}
	res.LoadBefore = LoadAverage()
	res.Latency, err = measure(ctx, set.String(), st, h, reqs, o.Progress)
	if err != nil {
		return res, err
	}
	res.LoadAfter = LoadAverage()
	res.PeakRSS = procmem.PeakRSS()
	return res, nil
}

// openSet opens the set's database in o.Dir, importing the set unless an
// earlier run left it complete (then the import figures are that run's).
func openSet(ctx context.Context, o Options, src *benchdata.Source, set Set) (*sqlite.Store, Import, error) {
	path := filepath.Join(o.Dir, set.file(o.Seed))
	side := path + ".json"
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, Import{}, err
	}
	have, err := st.CountPapers(ctx)
	if err != nil {
		st.Close()
		return nil, Import{}, err
	}
	var sc sidecar
	if b, err := os.ReadFile(side); err == nil && json.Unmarshal(b, &sc) == nil &&
		sc.Set == set && sc.Seed == o.Seed && sc.Generator == benchdata.Version && have == set.Size && !o.Fresh {
		im := sc.Import
		im.Reused = true
		logf(o.Progress, "%s: reusing %s (%d papers, imported %s)", set, path, have, sc.Import.When.Format(time.DateTime))
		return st, im, nil
	}
	st.Close()
	removeDB(path)
	os.Remove(side)
	if st, err = sqlite.Open(ctx, path); err != nil {
		return nil, Import{}, err
	}
	im, err := importSet(ctx, o, src, set, st, path)
	if err != nil {
		st.Close()
		return nil, im, err
	}
	b, _ := json.MarshalIndent(sidecar{Set: set, Seed: o.Seed, Generator: benchdata.Version, Import: im}, "", "  ")
	if err := os.WriteFile(side, b, 0o644); err != nil {
		st.Close()
		return nil, im, fmt.Errorf("bench: %w", err)
	}
	return st, im, nil
}

// importSet fills a new database with set and times it.
func importSet(ctx context.Context, o Options, src *benchdata.Source, set Set, st *sqlite.Store, dbPath string) (Import, error) {
	im := Import{Via: o.Via, Batch: o.BatchSize, When: time.Now().UTC()}
	each := func(fn func(paper.Paper) error) error {
		if set.Real {
			return src.Real(set.Size, fn)
		}
		return benchdata.Generate(src, set.Size, o.Seed, fn)
	}
	if o.Via == ViaImporter {
		// The importer reads a file, as `paperboy import` does: write the set
		// as arXiv snapshot lines first (not timed), then time the import.
		file := strings.TrimSuffix(dbPath, ".db") + ".jsonl"
		pw := newProgress(o.Progress, set.String()+": writing "+filepath.Base(file), int64(set.Size))
		if err := writeJSONL(file, each, pw); err != nil {
			return im, err
		}
		defer os.Remove(file)
		pw.done(fmt.Sprintf("written in %s", time.Since(pw.start).Round(100*time.Millisecond)))

		pi := newProgress(o.Progress, set.String()+": importing", int64(set.Size))
		imp := &ingest.Importer{Store: st, BatchSize: o.BatchSize, MaxRejects: 10,
			OnProgress: func(p ingest.Progress) { pi.set(int64(p.Stored)) }}
		start, cpu0 := time.Now(), cpuTime()
		r, err := imp.ImportFile(ctx, file)
		im.Duration, im.CPU = time.Since(start), cpuTime()-cpu0
		if err != nil {
			return im, err
		}
		if r.Rejected > 0 {
			return im, fmt.Errorf("the importer rejected %d of %d records: %v", r.Rejected, r.Records, r.Rejects)
		}
		im.Papers = r.New + r.Updated
		pi.done(fmt.Sprintf("%d papers in %s (%.0f papers/s)", im.Papers, im.Duration.Round(10*time.Millisecond), im.Rate()))
		return im, nil
	}

	// Through the store: a goroutine makes batches while this one stores, as
	// the importer overlaps parsing and storing.
	pi := newProgress(o.Progress, set.String()+": storing", int64(set.Size))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []paper.Paper, 2)
	genErr := make(chan error, 1)
	go func() {
		defer close(batches)
		b := make([]paper.Paper, 0, o.BatchSize)
		err := each(func(p paper.Paper) error {
			b = append(b, p)
			if len(b) == o.BatchSize {
				select {
				case batches <- b:
				case <-ctx.Done():
					return ctx.Err()
				}
				b = make([]paper.Paper, 0, o.BatchSize)
			}
			return nil
		})
		if err == nil && len(b) > 0 {
			select {
			case batches <- b:
			case <-ctx.Done():
				err = ctx.Err()
			}
		}
		genErr <- err
	}()
	start, cpu0 := time.Now(), cpuTime()
	for b := range batches {
		r, err := st.UpsertPapers(ctx, b)
		if err != nil {
			return im, err
		}
		im.Papers += r.New + r.Updated
		pi.set(int64(im.Papers))
	}
	im.Duration, im.CPU = time.Since(start), cpuTime()-cpu0
	if err := <-genErr; err != nil {
		return im, err
	}
	pi.done(fmt.Sprintf("%d papers in %s (%.0f papers/s)", im.Papers, im.Duration.Round(10*time.Millisecond), im.Rate()))
	return im, nil
}

func writeJSONL(path string, each func(func(paper.Paper) error) error, pw *progress) error {
	n := int64(0)
	return benchdata.WriteJSONLFile(path, func(emit func(paper.Paper) error) error {
		return each(func(p paper.Paper) error {
			n++
			if n%10000 == 0 {
				pw.set(n)
			}
			return emit(p)
		})
	})
}

func removeDB(path string) {
	for _, s := range []string{"", "-wal", "-shm"} {
		os.Remove(path + s)
	}
}

// dbSize is the database file plus its WAL: what the set takes on disk.
func dbSize(path string) int64 {
	var n int64
	for _, s := range []string{"", "-wal"} {
		if fi, err := os.Stat(path + s); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// request is one page to time: a web path and the store call it stands for.
type request struct {
	page   string
	url    string
	filter paper.Filter
	id     string // paper page
	home   bool
}

// plan draws the requests from what the store holds: days, ISO weeks and
// months that have papers, and paper ids from random feed pages. Pages are
// mostly the first, sorts mostly the default (upvotes), as readers browse.
func plan(ctx context.Context, st paper.Store, n int, seed int64) ([]request, error) {
	counts, err := st.DayCounts(ctx, time.Date(1991, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return nil, err
	}
	if len(counts) == 0 {
		return nil, errors.New("the database has no papers with days")
	}
	var days []time.Time
	for d := range counts {
		t, err := time.Parse("2006-01-02", d)
		if err != nil {
			return nil, fmt.Errorf("day %q: %w", d, err)
		}
		days = append(days, t)
	}
	slices.SortFunc(days, func(a, b time.Time) int { return a.Compare(b) })
	// periodTotal estimates a period's papers, for the range of its pages.
	periodTotal := func(per paper.Period) int {
		total := 0
		for d := per.Start; d.Before(per.End); d = d.AddDate(0, 0, 1) {
			total += counts[d.Format("2006-01-02")]
		}
		return total
	}
	r := rand.New(rand.NewPCG(uint64(seed), 2))
	const pageSize = 30
	randomPage := func(total int) int {
		pages := max(1, (total+pageSize-1)/pageSize)
		if pages == 1 || r.IntN(10) < 7 {
			return 1
		}
		return 2 + r.IntN(min(pages-1, 4))
	}
	feed := func(kind string, per paper.Period, sort paper.Sort) request {
		pg := randomPage(periodTotal(per))
		f := paper.Filter{Period: &per, Sort: sort, Limit: pageSize, Offset: (pg - 1) * pageSize}
		u := fmt.Sprintf("/papers/%s/%s", per.Kind, per)
		q := []string{}
		if sort != paper.SortUpvotes {
			q = append(q, "sort="+string(sort))
		}
		if pg > 1 {
			q = append(q, fmt.Sprintf("p=%d", pg))
		}
		if len(q) > 0 {
			u += "?" + strings.Join(q, "&")
		}
		return request{page: kind, url: u, filter: f}
	}
	sortOf := func() paper.Sort {
		if r.IntN(10) < 7 {
			return paper.SortUpvotes
		}
		return paper.SortNewest
	}
	day := func() time.Time { return days[r.IntN(len(days))] }

	var out []request
	latest := days[len(days)-1]
	for range n {
		out = append(out, request{page: "home", url: "/", home: true, filter: paper.Filter{Period: ptr(paper.DayPeriod(latest)), Limit: pageSize}})
	}
	for range n {
		out = append(out, feed("day", paper.DayPeriod(day()), sortOf()))
	}
	for range n {
		out = append(out, feed("week", paper.WeekPeriod(day()), sortOf()))
	}
	for range n {
		out = append(out, feed("month", paper.MonthPeriod(day()), sortOf()))
	}
	for i := range n {
		per := paper.WeekPeriod(day())
		if i%2 == 1 {
			per = paper.MonthPeriod(day())
		}
		out = append(out, feed("trending", per, paper.SortTrending))
	}
	// Paper ids from random feed pages (not timed).
	var ids []string
	for tries := 0; len(ids) < n && tries < 10*n; tries++ {
		per := paper.DayPeriod(day())
		pg, err := st.Papers(ctx, paper.Filter{Period: &per, Sort: paper.SortNewest, Limit: 100, Offset: r.IntN(max(1, counts[per.String()]-100))})
		if err != nil {
			return nil, err
		}
		for _, p := range pg.Papers {
			ids = append(ids, p.ID)
		}
	}
	if len(ids) == 0 {
		return nil, errors.New("no paper ids found in the feed")
	}
	for range n {
		id := ids[r.IntN(len(ids))]
		out = append(out, request{page: "paper", url: "/papers/" + id, id: id})
	}
	// Interleave the kinds, so that no kind profits from a cache warmed by
	// the same queries just before.
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out, nil
}

func ptr[T any](v T) *T { return &v }

// pageOrder is the order of pages in the table.
var pageOrder = []string{"home", "day", "week", "month", "trending", "paper"}

// measure times every request through the store and, when h is set, through
// the web handler, after a warm-up pass over a tenth of them.
func measure(ctx context.Context, name string, st paper.Store, h http.Handler, reqs []request, progressW io.Writer) ([]Latency, error) {
	// One OS thread serves every request (each runs on this goroutine), so
	// that the thread's CPU time is the request's.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	type key struct{ page, path string }
	times := map[key][]time.Duration{}
	cpus := map[key][]time.Duration{}
	bytes := map[key]int{}
	doStore := func(rq request) (time.Duration, time.Duration, error) {
		cpu0, start := threadCPUTime(), time.Now()
		var err error
		if rq.id != "" {
			_, err = st.Paper(ctx, rq.id)
		} else {
			if rq.home {
				_, err = st.LatestDay(ctx)
			}
			if err == nil {
				_, err = st.Papers(ctx, rq.filter)
			}
		}
		return time.Since(start), threadCPUTime() - cpu0, err
	}
	doWeb := func(rq request) (time.Duration, time.Duration, int, error) {
		req := httptest.NewRequestWithContext(ctx, http.MethodGet, rq.url, nil)
		rec := httptest.NewRecorder()
		cpu0, start := threadCPUTime(), time.Now()
		h.ServeHTTP(rec, req)
		d, cpu := time.Since(start), threadCPUTime()-cpu0
		if rec.Code != http.StatusOK {
			return d, cpu, 0, fmt.Errorf("GET %s: status %d: %.200s", rq.url, rec.Code, rec.Body.String())
		}
		return d, cpu, rec.Body.Len(), nil
	}
	warm := reqs[:len(reqs)/10]
	for _, rq := range warm {
		if _, _, err := doStore(rq); err != nil {
			return nil, err
		}
		if h != nil {
			if _, _, _, err := doWeb(rq); err != nil {
				return nil, err
			}
		}
	}
	pr := newProgress(progressW, name+": timing pages", int64(len(reqs)))
	for i, rq := range reqs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		d, cpu, err := doStore(rq)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", rq.page, rq.url, err)
		}
		k := key{rq.page, "store"}
		times[k], cpus[k] = append(times[k], d), append(cpus[k], cpu)
		if h != nil {
			d, cpu, n, err := doWeb(rq)
			if err != nil {
				return nil, err
			}
			k := key{rq.page, "web"}
			times[k], cpus[k] = append(times[k], d), append(cpus[k], cpu)
			bytes[k] += n
		}
		if i%50 == 0 {
			pr.set(int64(i))
		}
	}
	pr.done("done")
	var out []Latency
	for _, page := range pageOrder {
		for _, path := range []string{"web", "store"} {
			k := key{page, path}
			if ds := times[k]; len(ds) > 0 {
				l := summarize(ds)
				c := summarize(cpus[k])
				l.CPUP50, l.CPUP95 = c.P50, c.P95
				l.Page, l.Path = page, path
				l.Bytes = bytes[k] / len(ds)
				out = append(out, l)
			}
		}
	}
	return out, nil
}

// summarize computes percentiles by the nearest-rank method.
func summarize(ds []time.Duration) Latency {
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := func(q float64) time.Duration {
		i := int(q*float64(len(s))+0.999999) - 1
		return s[min(max(i, 0), len(s)-1)]
	}
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	return Latency{N: len(s), P50: rank(0.50), P95: rank(0.95), P99: rank(0.99), Max: s[len(s)-1], Mean: sum / time.Duration(len(s))}
}

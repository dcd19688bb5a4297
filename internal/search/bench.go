package search

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/paperboy/paperboy/internal/procmem"
)

// Latency targets of issue 8, for the benchmark table.
const (
	TargetHybridP95At1M   = 50 * time.Millisecond
	TargetHybridP95At100k = 20 * time.Millisecond
	TargetSimilarP95      = 10 * time.Millisecond
)

// DefaultBenchQueries mix what readers type: a word or two, descriptions
// in everyday words, phrases, operators and filters.
var DefaultBenchQueries = []Query{
	{Text: "transformer"},
	{Text: "model"},
	{Text: "large language models"},
	{Text: "graph neural networks for molecules"},
	{Text: "diffusion models image generation"},
	{Text: "quantization of large language models to 4 bits without losing accuracy"},
	{Text: "a way to make blurry photos sharp using a neural network"},
	{Text: "teaching robots to pick up objects they have never seen before"},
	{Text: "why do deep networks generalize even though they can memorize random labels"},
	{Text: "reinforcement learning from human feedback reward hacking"},
	{Text: "speech recognition for languages with little training data"},
	{Text: "black hole merger gravitational waves"},
	{Text: "superconductivity in twisted bilayer graphene"},
	{Text: "protein structure prediction"},
	{Text: "mixture of experts routing load balancing"},
	{Text: `"retrieval augmented generation"`},
	{Text: `"vision language" models -video`},
	{Text: "au:wang diffusion"},
	{Text: "ti:survey agents"},
	{Text: "attention", Category: "cs.CL"},
	{Text: "dark matter halo", Category: "astro-ph"},
	{Text: "long context memory efficient attention kernels for inference on GPUs"},
	{Text: "self-supervised learning"},
	{Text: "estimating how confident a classifier should be in its predictions"},
}

// BenchOptions configure RunBench; the zero value runs the defaults.
type BenchOptions struct {
	Label   string  // what was measured: "100k real papers", "1M papers (generated)"
	Queries []Query // default DefaultBenchQueries
	Rounds  int     // passes over the queries per mode; default 10
	Limit   int     // results per search; default 20 (a page)
	Similar int     // papers to ask "similar" for; default 300
}

// Latency is one measured operation's distribution.
type Latency struct {
	Name          string
	N             int
	P50, P95, P99 time.Duration
	Max           time.Duration
	Target        time.Duration // 0: none
}

// BenchResult is what RunBench measured.
type BenchResult struct {
	Label     string
	Papers    int
	Index     IndexStats
	HeapBytes uint64 // live heap after a GC: the indexes and everything else in the process
	// VectorBytes estimates the vector index's memory (0 without one).
	VectorBytes int64
	PeakRSS     int64 // VmHWM: the process's peak resident memory (0 where /proc is missing)
	Rows        []Latency
}

// RunBench measures search latency per mode and "similar papers" on a
// built service, single-threaded, after one warm-up pass.
func RunBench(ctx context.Context, svc *Service, o BenchOptions) (BenchResult, error) {
	if len(o.Queries) == 0 {
		o.Queries = DefaultBenchQueries
	}
	if o.Rounds <= 0 {
		o.Rounds = 10
	}
	if o.Limit <= 0 {
		o.Limit = DefaultLimit
	}
	if o.Similar <= 0 {
		o.Similar = 300
	}
	if !svc.Ready() {
		return BenchResult{}, ErrNotReady
	}
	res := BenchResult{Label: o.Label, Index: svc.Stats()}
	res.Papers = res.Index.Docs
	modes := []Mode{ModeKeyword}
	if svc.HasSemantic() {
		modes = []Mode{ModeHybrid, ModeKeyword, ModeSemantic}
	}
	target := TargetHybridP95At100k
	if res.Papers > 500_000 {
		target = TargetHybridP95At1M
	}
	for _, m := range modes {
		var ds []time.Duration
		for round := -1; round < o.Rounds; round++ {
			for _, q := range o.Queries {
				q.Mode, q.Limit = m, o.Limit
				t0 := time.Now()
				if _, err := svc.Search(ctx, q); err != nil {
					return res, fmt.Errorf("bench %s %q: %w", m, q.Text, err)
				}
				if round >= 0 { // the first pass warms caches
					ds = append(ds, time.Since(t0))
				}
			}
		}
		l := latency("search "+string(m), ds)
		if m == ModeHybrid || (m == ModeKeyword && !svc.HasSemantic()) {
			l.Target = target
		}
		res.Rows = append(res.Rows, l)
	}
	var ds []time.Duration
	for _, id := range svc.ix.SampleIDs(o.Similar) {
		t0 := time.Now()
		if _, err := svc.Similar(ctx, id, 10); err != nil {
			return res, fmt.Errorf("bench similar %s: %w", id, err)
		}
		ds = append(ds, time.Since(t0))
	}
	l := latency("similar (10)", ds)
	l.Target = TargetSimilarP95
	res.Rows = append(res.Rows, l)
	if v, ok := svc.semantic().(interface{ IndexBytes() int64 }); ok {
		res.VectorBytes = v.IndexBytes()
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	res.HeapBytes = ms.HeapAlloc
	res.PeakRSS = procmem.PeakRSS()
	runtime.KeepAlive(svc) // the heap figure must include what the service holds
	return res, nil
}

func latency(name string, ds []time.Duration) Latency {
	l := Latency{Name: name, N: len(ds)}
	if len(ds) == 0 {
		return l
	}
	slices.Sort(ds)
	at := func(p float64) time.Duration { return ds[min(len(ds)-1, int(p*float64(len(ds))))] }
	l.P50, l.P95, l.P99, l.Max = at(0.50), at(0.95), at(0.99), ds[len(ds)-1]
	return l
}

// Print writes the result as a table.
func (r BenchResult) Print(w io.Writer) error {
	fmt.Fprintf(w, "search benchmark: %s — %d papers, %d CPUs (GOMAXPROCS %d)\n", r.Label, r.Papers, runtime.NumCPU(), runtime.GOMAXPROCS(0))
	fmt.Fprintf(w, "keyword index: %d terms, %d postings, ~%d MiB; built in %s\n", r.Index.Terms, r.Index.Postings, r.Index.Bytes>>20, r.Index.BuildTime.Round(time.Millisecond))
	if r.VectorBytes > 0 {
		fmt.Fprintf(w, "vector index: ~%d MiB\n", r.VectorBytes>>20)
	}
	fmt.Fprintf(w, "memory: live heap %d MiB after GC (both indexes and the rest), peak RSS %d MiB\n", r.HeapBytes>>20, r.PeakRSS>>20)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "operation\tn\tp50\tp95\tp99\tmax\ttarget p95\t")
	for _, l := range r.Rows {
		tgt := "-"
		if l.Target > 0 {
			ok := "ok"
			if l.P95 > l.Target {
				ok = "MISSED"
			}
			tgt = fmt.Sprintf("< %s %s", l.Target, ok)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t\n", l.Name, l.N, ms(l.P50), ms(l.P95), ms(l.P99), ms(l.Max), tgt)
	}
	return tw.Flush()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

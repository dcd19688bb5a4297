package bench

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/benchdata"
	"github.com/paperboy/paperboy/internal/procmem"
	"github.com/paperboy/paperboy/internal/sqlite"
	"github.com/paperboy/paperboy/internal/web"
)

// webHandler is the real web layer, as the paperboy command passes it.
func webHandler(st *sqlite.Store) (http.Handler, error) {
	srv, err := web.New(web.Config{Store: st})
	if err != nil {
		return nil, err
	}
	return srv.Handler(), nil
}

// A real run on small sets: both import paths, reuse of a database, the table.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	var out, progress bytes.Buffer
	o := Options{
		Sizes: []int{3000}, Real: true, Dir: dir, Files: benchdata.SmallFiles, Requests: 20,
		Out: &out, Progress: &progress,
		Handler: webHandler, // every planned URL must answer 200
	}
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatalf("%v\n%s", err, progress.String())
	}
	if len(rep.Results) != 2 || !rep.Results[0].Set.Real || rep.Results[1].Set.Real {
		t.Fatalf("sets: %+v", rep.Results)
	}
	for _, res := range rep.Results {
		if res.Papers != 3000 || res.Import.Papers != 3000 || res.Import.Via != ViaImporter || res.Import.Reused {
			t.Errorf("%s: %d papers, import %+v", res.Set, res.Papers, res.Import)
		}
		if res.DBBytes < 1<<20 || res.PeakRSS <= 0 {
			t.Errorf("%s: db %d bytes, peak RSS %d", res.Set, res.DBBytes, res.PeakRSS)
		}
		if len(res.Latency) != 2*len(pageOrder) {
			t.Errorf("%s: %d latency rows, want %d", res.Set, len(res.Latency), 2*len(pageOrder))
		}
		for _, l := range res.Latency {
			if l.N != 20 || l.P50 <= 0 || l.P50 > l.P95 || l.P95 > l.P99 || l.P99 > l.Max ||
				runtime.GOOS == "linux" && (l.CPUP95 <= 0 || l.CPUP50 > l.CPUP95) {
				t.Errorf("%s %s %s: %+v", res.Set, l.Page, l.Path, l)
			}
		}
	}
	table := out.String()
	for _, want := range []string{
		"generated from real papers in ../shared/data (recombined titles, sentences, authors; generated ids and dates)",
		"GOMAXPROCS=", "10,000 papers/s", "491 ms", "3k real", "3k generated", "trending", "p95",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if !strings.Contains(progress.String(), "importing") {
		t.Errorf("no progress lines:\n%s", progress.String())
	}
	// The JSON lines file is gone; the databases stay for reuse.
	if m, _ := filepath.Glob(filepath.Join(dir, "*.jsonl")); len(m) > 0 {
		t.Errorf("left behind: %v", m)
	}

	// A second run reuses the databases and says so; through the store this time.
	out.Reset()
	o.Real, o.Via, o.Handler = false, ViaStore, nil
	rep, err = Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if res := rep.Results[0]; !res.Import.Reused || res.Import.Via != ViaImporter || len(res.Latency) != len(pageOrder) {
		t.Errorf("second run: %+v", res.Import)
	}
	if !strings.Contains(out.String(), "(run of ") {
		t.Errorf("table does not say the import is an earlier run's:\n%s", out.String())
	}

	// Fresh rebuilds through the store, and Remove deletes the database.
	o.Fresh, o.Remove = true, true
	rep, err = Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if res := rep.Results[0]; res.Import.Reused || res.Import.Via != ViaStore || res.Import.Papers != 3000 {
		t.Errorf("fresh run: %+v", res.Import)
	}
	if _, err := os.Stat(filepath.Join(dir, Set{Size: 3000}.file(1))); !os.IsNotExist(err) {
		t.Errorf("database not removed: %v", err)
	}
}

func TestCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	dir := t.TempDir()
	err := Command(context.Background(), []string{"-sizes", "2k", "-dir", dir, "-requests", "5", "-via", "store", "-remove"}, &out, &errOut, webHandler)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "2k generated") || !strings.Contains(out.String(), " web ") {
		t.Errorf("table:\n%s", out.String())
	}
	for _, args := range [][]string{{"-sizes", "lots"}, {"-nope"}, {"extra"}, {"-via", "fax", "-sizes", "2k", "-dir", dir}} {
		if err := Command(context.Background(), args, &out, &errOut, nil); err == nil {
			t.Errorf("Command(%q): no error", args)
		}
	}
}

func TestOptionsErrors(t *testing.T) {
	for _, o := range []Options{
		{Sizes: []int{10}},
		{Via: "carrier pigeon", DataDir: "x"},
	} {
		if _, err := Run(context.Background(), o); err == nil {
			t.Errorf("Run(%+v): no error", o)
		}
	}
}

func TestWriteTable(t *testing.T) {
	rep := &Report{
		Started:  time.Date(2026, 11, 25, 21, 0, 0, 0, time.UTC),
		Machine:  Machine{CPU: "Test CPU", NumCPU: 2, GOMAXPROCS: 2, OS: "linux", Arch: "amd64", GoVersion: "go1.26"},
		Requests: 300, Seed: 1, WebPages: true,
		Results: []Result{{
			Set: Set{Size: 1_000_000}, Papers: 1_000_000, DBBytes: 2_100 << 20, PeakRSS: 512 << 20,
			Import: Import{Via: ViaImporter, Papers: 1_000_000, Batch: 2000, Duration: 80 * time.Second, CPU: 100 * time.Second},
			Latency: []Latency{
				{Page: "day", Path: "web", N: 300, P50: 2 * time.Millisecond, P95: 4500 * time.Microsecond, P99: 6 * time.Millisecond, Max: 9 * time.Millisecond, Mean: 2500 * time.Microsecond},
				{Page: "month", Path: "web", N: 300, P50: 30 * time.Millisecond, P95: 120 * time.Millisecond, P99: 130 * time.Millisecond, Max: 150 * time.Millisecond, Mean: 40 * time.Millisecond},
				{Page: "paper", Path: "store", N: 300, P50: 100 * time.Microsecond, P95: 200 * time.Microsecond, P99: 300 * time.Microsecond, Max: time.Millisecond, Mean: 120 * time.Microsecond},
			},
		}},
	}
	var b bytes.Buffer
	if err := rep.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	find := func(prefix string, words ...string) {
		t.Helper()
		for _, l := range lines {
			f := strings.Fields(l)
			if len(f) >= len(words) && strings.Contains(l, prefix) && strings.Join(f[:len(words)], " ") == strings.Join(words, " ") {
				return
			}
		}
		t.Errorf("no line starting %q:\n%s", words, b.String())
	}
	find("importer", "1M", "generated", "1,000,000", "importer", "2000", "1m20s", "12,500", "met", "1m40s", "10,000", "2.05", "GB", "512", "MB")
	find("day", "1M", "generated", "day", "web", "2.00", "4.50", "6.00", "9.00", "2.50", "met")
	find("month", "1M", "generated", "month", "web", "30.0", "120", "130", "150", "40.0", "MISSED")
	find("paper", "1M", "generated", "paper", "store", "0.10", "0.20", "0.30", "1.00", "0.12")
	for _, want := range []string{"Test CPU, 2 CPUs, GOMAXPROCS=2", "2026-11-25 21:00 UTC", "seed 1", "50 s", "98 s"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q", want)
		}
	}
	// A slow import misses the target.
	rep.Results[0].Import.Duration = 200 * time.Second
	b.Reset()
	rep.WriteTable(&b)
	lines = strings.Split(b.String(), "\n")
	find("importer", "1M", "generated", "1,000,000", "importer", "2000", "3m20s", "5,000", "MISSED")
}

func TestSummarize(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	l := summarize(ds)
	if l.N != 100 || l.P50 != 50*time.Millisecond || l.P95 != 95*time.Millisecond || l.P99 != 99*time.Millisecond ||
		l.Max != 100*time.Millisecond || l.Mean != 50500*time.Microsecond {
		t.Fatalf("%+v", l)
	}
	if l := summarize([]time.Duration{time.Second}); l.P50 != time.Second || l.P99 != time.Second {
		t.Fatalf("one sample: %+v", l)
	}
}

func TestParseSizes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []int
	}{
		{"100k,1M", []int{100_000, 1_000_000}},
		{"20000", []int{20000}},
		{" 2.5M , 1_000 ", []int{2_500_000, 1000}},
		{"100K", []int{100_000}},
	} {
		got, err := ParseSizes(tc.in)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("ParseSizes(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "abc", "1.5", "-3", "1M,", "0"} {
		if got, err := ParseSizes(bad); err == nil {
			t.Errorf("ParseSizes(%q) = %v, want an error", bad, got)
		}
	}
}

func TestHelpers(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{commas(0), "0"}, {commas(999), "999"}, {commas(1000), "1,000"}, {commas(1234567), "1,234,567"}, {commas(-1000), "-1,000"},
		{humanCount(100_000), "100k"}, {humanCount(1_000_000), "1M"}, {humanCount(2_500_000), "2.5M"}, {humanCount(1234), "1,234"},
		{ms(1500 * time.Microsecond), "1.50"}, {ms(15 * time.Millisecond), "15.0"}, {ms(150 * time.Millisecond), "150"},
		{mib(0), "-"}, {mib(300 << 20), "300 MB"}, {mib(3 << 30), "3.00 GB"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if m := ThisMachine(); m.GOMAXPROCS < 1 || m.CPU == "" {
		t.Errorf("machine: %+v", m)
	}
	if procmem.PeakRSS() <= 0 {
		t.Error("no peak RSS on Linux")
	}
}

package bench

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteTable prints the report: what was measured where, the targets and
// the comparison figures, then import and page-time tables.
func (r *Report) WriteTable(w io.Writer) error {
	var b strings.Builder
	m := r.Machine
	fmt.Fprintf(&b, "Paperboy benchmarks, %s\n", r.Started.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "Data:     generated from real papers in ../shared/data (recombined titles, sentences, authors; generated ids and dates), seed %d", r.Seed)
	if r.DataDir != "" {
		fmt.Fprintf(&b, ", from %s", r.DataDir)
	}
	fmt.Fprintf(&b, "\n          \"real\" sets are the first real papers of the shared data, as they are\n")
	fmt.Fprintf(&b, "Machine:  %s, %d CPUs, GOMAXPROCS=%d, %s/%s, %s; SQLite via modernc.org/sqlite (pure Go), WAL\n",
		m.CPU, m.NumCPU, m.GOMAXPROCS, m.OS, m.Arch, m.GoVersion)
	fmt.Fprintf(&b, "Targets:  import at least %s papers/s into SQLite; feed page under %s server time at p95 with 1M papers\n",
		commas(TargetImportRate), TargetFeedP95)
	fmt.Fprintf(&b, "Compare:  arxiv-sanity-lite ingests 100k papers in 50 s (2,000 papers/s) plus 98 s to compute its features,\n")
	fmt.Fprintf(&b, "          and answers its feed page in 491 ms at 100k\n\n")

	b.WriteString("Import and size\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "set\tpapers\tvia\tbatch\ttime\tpapers/s\ttarget\tCPU time\tpapers/CPU-s\tDB on disk\tpeak RSS\t")
	for _, res := range r.Results {
		im := res.Import
		when := ""
		if im.Reused {
			when = " (run of " + im.When.Format("01-02 15:04") + ")"
		}
		verdict := "met"
		if im.Rate() < TargetImportRate {
			verdict = "MISSED"
		}
		cpu, perCPU := "-", "-"
		if im.CPU > 0 {
			cpu, perCPU = im.CPU.Round(100*time.Millisecond).String(), commas(int(float64(im.Papers)/im.CPU.Seconds()))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", res.Set, commas(res.Papers), im.Via+when, im.Batch,
			im.Duration.Round(100*time.Millisecond), commas(int(im.Rate())), verdict, cpu, perCPU, mib(res.DBBytes), mib(res.PeakRSS))
	}
	tw.Flush()

	path := "the store call alone"
	if r.WebPages {
		path = "web = the real handler through httptest (server time), store = its main store call alone"
	}
	fmt.Fprintf(&b, "\nPage time in ms (%d requests of each page, warm cache; %s)\n", r.Requests, path)
	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "set\tpage\tpath\tp50\tp95\tp99\tmax\tmean\tp95 < 10 ms\tCPU p50\tCPU p95\t")
	for _, res := range r.Results {
		for _, l := range res.Latency {
			verdict := ""
			if l.Page != "paper" {
				verdict = "met"
				if l.P95 >= TargetFeedP95 {
					verdict = "MISSED"
				}
			}
			cpu50, cpu95 := "-", "-"
			if l.CPUP95 > 0 {
				cpu50, cpu95 = ms(l.CPUP50), ms(l.CPUP95)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", res.Set, l.Page, l.Path,
				ms(l.P50), ms(l.P95), ms(l.P99), ms(l.Max), ms(l.Mean), verdict, cpu50, cpu95)
		}
	}
	tw.Flush()
	for _, res := range r.Results {
		if res.LoadBefore >= 0 && res.LoadAfter >= 0 && (res.LoadBefore > 0 || res.LoadAfter > 0) {
			fmt.Fprintf(&b, "Load average while timing %s: %.1f before, %.1f after (%d CPUs); above the CPU count, page times include waiting for a CPU.\n",
				res.Set, res.LoadBefore, res.LoadAfter, m.NumCPU)
		}
	}
	b.WriteString("\nPage times are wall time from the handler's call to its return (the target's measure); CPU p50/p95 are\n" +
		"the CPU time of the serving thread, which waiting for a CPU held by other programs does not inflate.\n")
	b.WriteString("\nImport: papers/s is wall time, the target's measure; papers/CPU-s divides by the CPU time the process used\n" +
		"(reading and storing overlap on two goroutines), which other programs on the machine do not inflate.\n")
	b.WriteString("\nPages: home = the latest day; day, week, month = feed pages (70% first pages, 70% sorted by upvotes, the rest newest);\n" +
		"trending = week and month pages sorted by trending; paper = paper pages of random ids. The target is for 1M papers.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func ms(d time.Duration) string {
	f := float64(d) / float64(time.Millisecond)
	switch {
	case f < 10:
		return fmt.Sprintf("%.2f", f)
	case f < 100:
		return fmt.Sprintf("%.1f", f)
	}
	return fmt.Sprintf("%.0f", f)
}

func mib(n int64) string {
	if n <= 0 {
		return "-"
	}
	if n >= 10<<30 {
		return fmt.Sprintf("%.0f GB", float64(n)/(1<<30))
	}
	if n >= 1<<30 {
		return fmt.Sprintf("%.2f GB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%.0f MB", float64(n)/(1<<20))
}

// commas writes 1234567 as "1,234,567".
func commas(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + commas(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// humanCount writes 100000 as "100k" and 1000000 as "1M".
func humanCount(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1_000_000 && n%100_000 == 0:
		return fmt.Sprintf("%.1fM", float64(n)/1e6)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return commas(n)
}

// ParseSizes reads a list of set sizes for the command line: "100k,1M",
// "20000", "2.5M".
func ParseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		mult := 1.0
		switch {
		case strings.HasSuffix(f, "k") || strings.HasSuffix(f, "K"):
			mult, f = 1e3, f[:len(f)-1]
		case strings.HasSuffix(f, "M") || strings.HasSuffix(f, "m"):
			mult, f = 1e6, f[:len(f)-1]
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(f, "_", ""), 64)
		n := int(v*mult + 0.5)
		if err != nil || v <= 0 || float64(n) != v*mult {
			return nil, fmt.Errorf("bench: size %q: want a number of papers such as 100000, 100k or 1M", f)
		}
		out = append(out, n)
	}
	return out, nil
}

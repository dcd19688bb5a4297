package benchdata

import (
	"bytes"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/arxiv"
	"github.com/paperboy/paperboy/internal/paper"
)

var (
	smallOnce sync.Once
	small     *Source
	smallErr  error
)

// smallSource loads the three small real files (14,000 papers) once.
func smallSource(t testing.TB) *Source {
	t.Helper()
	smallOnce.Do(func() {
		dir, err := FindDataDir()
		if err != nil {
			smallErr = err
			return
		}
		small, smallErr = Load(dir, SmallFiles...)
	})
	if smallErr != nil {
		t.Fatal(smallErr)
	}
	return small
}

func generate(t testing.TB, src *Source, n int, seed int64) []paper.Paper {
	t.Helper()
	var out []paper.Paper
	if err := Generate(src, n, seed, func(p paper.Paper) error { out = append(out, p); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(out) != n {
		t.Fatalf("generated %d papers, want %d", len(out), n)
	}
	return out
}

func TestGenerate(t *testing.T) {
	src := smallSource(t)
	const n = 20000
	ps := generate(t, src, n, 1)
	seen := map[string]bool{}
	titles := map[string]int{}
	daily, multiVersion, withCode, abstractLen := 0, 0, 0, 0
	first, last := ps[0].Published, ps[len(ps)-1].Published
	for i, p := range ps {
		if err := p.Validate(); err != nil {
			t.Fatalf("paper %d: %v", i, err)
		}
		id, v, err := paper.ParseID(p.ID)
		if err != nil || id != p.ID || v != 0 {
			t.Fatalf("paper %d: id %q does not parse to itself: %q %d %v", i, p.ID, id, v, err)
		}
		if seen[p.ID] {
			t.Fatalf("paper %d: id %s generated twice", i, p.ID)
		}
		seen[p.ID] = true
		if src.IsReal(p.ID) || idNumber(p.ID) < FirstNumber {
			t.Fatalf("paper %d: id %s could be a real one", i, p.ID)
		}
		if !IsGenerated(&p) || !strings.Contains(p.Comments, "not a real paper") {
			t.Fatalf("paper %d: not marked as generated: %q %q", i, p.Submitter, p.Comments)
		}
		if got := paper.IDMonth(p.ID); !got.Equal(paper.MonthPeriod(p.Published).Start) {
			t.Fatalf("paper %d: id %s is not of its v1 month %s", i, p.ID, p.Published)
		}
		if i > 0 && p.Published.Before(ps[i-1].Published) {
			t.Fatalf("paper %d: published %s before the previous paper's %s", i, p.Published, ps[i-1].Published)
		}
		if i > 0 && paper.IDMonth(p.ID).Equal(paper.IDMonth(ps[i-1].ID)) && idNumber(p.ID) <= idNumber(ps[i-1].ID) {
			t.Fatalf("paper %d: id %s does not follow %s", i, p.ID, ps[i-1].ID)
		}
		if p.Updated.After(End.AddDate(0, 0, 1)) || p.Version != len(p.Versions) || p.Version < 1 {
			t.Fatalf("paper %d: published %s, version %d of %d", i, p.Published, p.Version, len(p.Versions))
		}
		abstractLen += len(p.Abstract)
		if len(p.Categories) == 0 || strings.TrimSpace(p.Title) == "" || len(p.Abstract) < 20 {
			t.Fatalf("paper %d: thin fields: %+v", i, p)
		}
		if len(p.Versions) > 1 {
			multiVersion++
		}
		if !p.DailyDate.IsZero() {
			daily++
			if !p.DailyDate.After(p.Published) || p.DailyDate.Weekday() == time.Saturday || p.DailyDate.Weekday() == time.Sunday {
				t.Fatalf("paper %d: featured on %s, published %s", i, p.DailyDate, p.Published)
			}
			if p.SourceUpvotesAt.Before(p.DailyDate) {
				t.Fatalf("paper %d: upvotes counted %s before the list %s", i, p.SourceUpvotesAt, p.DailyDate)
			}
		} else if p.SourceUpvotes != 0 {
			t.Fatalf("paper %d: upvotes without a Daily Papers day", i)
		}
		if len(p.CodeURLs) > 0 {
			withCode++
		}
		titles[p.Title]++
		if p.Day().After(End) {
			t.Fatalf("paper %d: day %s after the set's end %s", i, p.Day(), End)
		}
		if !p.Day().Equal(paper.DayOf(p.Published)) && p.DailyDate.IsZero() {
			t.Fatalf("paper %d: day %s, published %s", i, p.Day(), p.Published)
		}
	}
	// About 1,000 papers a day over about n/1000 days.
	days := last.Sub(first).Hours() / 24
	if perDay := float64(n) / days; perDay < 800 || perDay > 1200 {
		t.Errorf("%.0f papers a day over %.1f days, want about 1,000", perDay, days)
	}
	if share := float64(daily) / n; share < 0.015 || share > 0.025 {
		t.Errorf("%.2f%% featured on Daily Papers, want about 2%%", 100*share)
	}
	// About 30% have several versions, fewer here because the set's history
	// ends with End, days after most of these papers.
	if share := float64(multiVersion) / n; share < 0.05 || share > 0.4 {
		t.Errorf("%.2f%% with several versions, want up to 30%%", 100*share)
	}
	if withCode == 0 {
		t.Error("no featured paper has a code link")
	}
	if mean := abstractLen / n; mean < 700 || mean > 1800 {
		t.Errorf("abstracts of %d characters on average, want about 1,000 to 1,300 as arXiv's", mean)
	}
	// Recombined titles: few repeats.
	if len(titles) < n*9/10 {
		t.Errorf("%d distinct titles among %d papers", len(titles), n)
	}
}

// Generated papers are normalised: Normalize changes nothing.
func TestGeneratedNormalized(t *testing.T) {
	links := 0
	for i, p := range generate(t, smallSource(t), 20000, 5) {
		q := p
		q.Versions = slices.Clone(p.Versions)
		q.Authors = slices.Clone(p.Authors)
		q.Categories = slices.Clone(p.Categories)
		q.CodeURLs = slices.Clone(p.CodeURLs)
		q.Normalize()
		if len(q.CodeURLs) == 0 {
			q.CodeURLs = p.CodeURLs // nil and empty alike
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("paper %d changes when normalised:\n%+v\n%+v", i, p, q)
		}
		links += len(p.CodeURLs)
	}
	if links == 0 {
		t.Error("no code links at all")
	}
}

func TestGenerateDeterministic(t *testing.T) {
	src := smallSource(t)
	a := generate(t, src, 3000, 7)
	b := generate(t, src, 3000, 7)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave different papers")
	}
	c := generate(t, src, 3000, 8)
	if reflect.DeepEqual(a[0].Abstract, c[0].Abstract) && a[0].Title == c[0].Title {
		t.Fatal("another seed gave the same papers")
	}
	// A prefix of a larger set is not required to match, but the end date is.
	if d := paper.DayOf(a[len(a)-1].Published); !d.Equal(End) {
		t.Errorf("last paper on %s, want %s", d, End)
	}
}

func TestGenerateTooMany(t *testing.T) {
	if _, err := NewGenerator(smallSource(t), 20_000_000, 1); err == nil {
		t.Fatal("20M papers would need ids before 2015; want an error")
	}
}

func TestGenerateStopsOnError(t *testing.T) {
	n := 0
	stop := errStop("stop")
	err := Generate(smallSource(t), 100, 1, func(paper.Paper) error {
		n++
		if n == 10 {
			return stop
		}
		return nil
	})
	if err != stop || n != 10 {
		t.Fatalf("err %v after %d papers, want stop after 10", err, n)
	}
}

type errStop string

func (e errStop) Error() string { return string(e) }

func TestReal(t *testing.T) {
	src := smallSource(t)
	var ps []paper.Paper
	if err := src.Real(20000, func(p paper.Paper) error { ps = append(ps, p); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(ps) != src.RealLen() || len(ps) < 14000 {
		t.Fatalf("Real gave %d papers of %d", len(ps), src.RealLen())
	}
	// The Daily Papers come first, with their days and upvotes.
	first := ps[0]
	if first.ID != "2405.15738" || first.DailyDate.IsZero() || first.Published.IsZero() || len(first.Authors) != 9 {
		t.Errorf("first real paper: %+v", first)
	}
	for _, p := range ps {
		if IsGenerated(&p) || !src.IsReal(p.ID) {
			t.Fatalf("real paper %s looks generated", p.ID)
		}
	}
	var three []paper.Paper
	src.Real(3, func(p paper.Paper) error { three = append(three, p); return nil })
	if len(three) != 3 || three[2].ID != ps[2].ID {
		t.Fatalf("Real(3) gave %d papers", len(three))
	}
}

// The generated lines are arXiv snapshot lines that the real reader accepts
// and maps back to the same papers.
func TestJSONLRoundTrip(t *testing.T) {
	src := smallSource(t)
	ps := generate(t, src, 2000, 3)
	var buf bytes.Buffer
	w := NewJSONLWriter(&buf)
	for i := range ps {
		if err := w.Write(&ps[i]); err != nil {
			t.Fatal(err)
		}
	}
	if n := bytes.Count(buf.Bytes(), []byte("\n")); n != len(ps) {
		t.Fatalf("%d lines for %d papers", n, len(ps))
	}
	r, err := arxiv.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	for rec, err := range r.All() {
		if err != nil || rec.Err != nil {
			t.Fatalf("record %d: %v %v", i, err, rec.Err)
		}
		want := ps[i]
		got := rec.Paper
		if got.ID != want.ID || got.Title != want.Title || got.Abstract != want.Abstract ||
			!slices.Equal(got.Authors, want.Authors) || !slices.Equal(got.Categories, want.Categories) ||
			!got.Published.Equal(want.Published) || !got.DailyDate.Equal(want.DailyDate) ||
			got.SourceUpvotes != want.SourceUpvotes || !got.Day().Equal(want.Day()) ||
			got.Version != want.Version || got.Submitter != want.Submitter || !slices.Equal(got.CodeURLs, want.CodeURLs) {
			t.Fatalf("record %d read back as\n%+v\nwant\n%+v", i, got, want)
		}
		i++
	}
	if i != len(ps) {
		t.Fatalf("read %d records of %d", i, len(ps))
	}
}

func TestWriteFile(t *testing.T) {
	src := smallSource(t)
	for _, name := range []string{"set.jsonl", "set.jsonl.gz"} {
		path := filepath.Join(t.TempDir(), name)
		if err := WriteFile(path, src, 500, 1); err != nil {
			t.Fatal(err)
		}
		var n int
		err := readJSONL(path, func(line int, r record) error {
			n++
			if _, _, err := paper.ParseID(r.ID); err != nil || r.Title == "" || r.Authors == "" {
				t.Errorf("%s line %d: %+v", name, line, r)
			}
			return nil
		})
		if err != nil || n != 500 {
			t.Fatalf("%s: %d lines, %v", name, n, err)
		}
	}
}

func TestSplitSentences(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"One. Two.", []string{"One.", "Two."}},
		{"We use e.g. Adam. It works!  Does it? Yes.", []string{"We use e.g. Adam.", "It works!", "Does it?", "Yes."}},
		{"As in Smith et al. We agree. See Fig. 2 and J. Doe. Done", []string{"As in Smith et al. We agree.", "See Fig. 2 and J. Doe.", "Done"}},
		{"A value of 3.5 is small. $x$. Next", []string{"A value of 3.5 is small. $x$.", "Next"}},
		{"no capital. after", []string{"no capital. after"}},
		{"", nil},
	} {
		if got := splitSentences(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("splitSentences(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSplitAuthors(t *testing.T) {
	got := splitAuthors("A. Smith (MIT),  B.  Jones and C. Wu (1, 2), and D. Li (a (b))")
	if want := []string{"A. Smith", "B. Jones", "C. Wu", "D. Li"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestLoadAll(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the 57 MB file")
	}
	dir, err := FindDataDir()
	if err != nil {
		t.Fatal(err)
	}
	src, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if src.RealLen() < 115000 {
		t.Fatalf("%d real papers, want about 116,000", src.RealLen())
	}
	for _, p := range generate(t, src, 2000, 1) {
		if src.IsReal(p.ID) {
			t.Fatalf("generated id %s is real", p.ID)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	src := smallSource(b)
	g, err := NewGenerator(src, b.N, 1)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		g.Next()
	}
}

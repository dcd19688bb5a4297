package paper

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDayAndMonth(t *testing.T) {
	for _, test := range []struct {
		name       string
		p          Paper
		day, month string
	}{
		{"daily date wins", Paper{ID: "2405.15738", DailyDate: date("2024-05-27"), Published: date("2024-05-24"), ListingDate: date("2024-05-25")}, "2024-05-27", "2024-05"},
		{"then v1 date", Paper{ID: "2405.15738", Published: date("2024-05-24"), ListingDate: date("2024-05-25")}, "2024-05-24", "2024-05"},
		{"then listing date", Paper{ID: "2309.10986", ListingDate: date("2023-09-21")}, "2023-09-21", "2023-09"},
		{"else the id's month", Paper{ID: "2505.24868"}, "", "2025-05"},
		{"old id's month", Paper{ID: "hep-th/9901001"}, "", "1999-01"},
	} {
		d := test.p.Day()
		if got := d.Format("2006-01-02"); (test.day == "" && !d.IsZero()) || (test.day != "" && got != test.day) {
			t.Errorf("%s: Day = %v, want %q", test.name, d, test.day)
		}
		if got := test.p.Month().Format("2006-01"); got != test.month {
			t.Errorf("%s: Month = %s, want %s", test.name, got, test.month)
		}
	}
}

func TestNormalize(t *testing.T) {
	p := Paper{
		ID: "2310.06110", Title: "T", Authors: []string{" Ada  Lovelace ", "", "Alan Turing"},
		Categories: []string{"cs.LG", "stat.ML", "cs.LG"},
		Versions: []Version{
			{Number: 2, Created: time.Date(2023, 10, 20, 8, 0, 0, 0, time.FixedZone("X", 3600))},
			{Number: 1, Created: time.Date(2023, 10, 9, 17, 0, 0, 0, time.UTC)},
		},
		Abstract: "We show it. Code is available at https://github.com/owner/repo.",
		Comments: "Project: https://gitlab.com/g/p.git; also https://github.com/owner/repo",
	}
	p.Normalize()
	if p.Version != 2 || p.Versions[0].Number != 1 || !p.Published.Equal(date("2023-10-09").Add(17*time.Hour)) ||
		p.Updated.Location() != time.UTC || !p.Updated.Equal(time.Date(2023, 10, 20, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("versions: %+v published %v updated %v", p.Versions, p.Published, p.Updated)
	}
	if strings.Join(p.Authors, "|") != "Ada Lovelace|Alan Turing" {
		t.Errorf("authors = %q", p.Authors)
	}
	if strings.Join(p.Categories, " ") != "cs.LG stat.ML" {
		t.Errorf("categories = %q", p.Categories)
	}
	if strings.Join(p.CodeURLs, " ") != "https://github.com/owner/repo https://gitlab.com/g/p" {
		t.Errorf("code = %q", p.CodeURLs)
	}
}

func TestMerge(t *testing.T) {
	base := Paper{ID: "2310.06110", Title: "Old title", Authors: []string{"A"}, Version: 2,
		Versions: []Version{{Number: 2, Created: date("2023-10-20")}}, DOI: "10.1/x"}
	base.Normalize()

	if m, c := Merge(nil, base); c != Added || m.ID != base.ID {
		t.Errorf("new paper: %v", c)
	}
	if _, c := Merge(&base, base); c != Unchanged {
		t.Errorf("same paper: %v, want Unchanged", c)
	}

	older := Paper{ID: base.ID, Title: "Older title", Authors: []string{"A"}, Version: 1,
		Versions: []Version{{Number: 1, Created: date("2023-10-09")}}}
	m, c := Merge(&base, older)
	if c != Updated || m.Title != "Old title" || m.Version != 2 || len(m.Versions) != 2 || !m.Published.Equal(date("2023-10-09")) {
		t.Errorf("older version: %v %q v%d %v %v", c, m.Title, m.Version, m.Versions, m.Published)
	}

	newer := Paper{ID: base.ID, Title: "New title", Authors: []string{"A", "B"}, Version: 3}
	m, c = Merge(&base, newer)
	if c != Updated || m.Title != "New title" || m.Version != 3 || m.DOI != "10.1/x" || len(m.Authors) != 2 {
		t.Errorf("newer version: %v %+v", c, m)
	}

	// A Daily Papers record (no version) adds its fields without touching arXiv's.
	hf := Paper{ID: base.ID, Title: "Old title", Authors: []string{"A"}, DailyDate: date("2023-10-10"),
		SourceUpvotes: 12, SourceUpvotesAt: date("2023-10-11")}
	m, c = Merge(&base, hf)
	if c != Updated || m.Version != 2 || m.SourceUpvotes != 12 || !m.DailyDate.Equal(date("2023-10-10")) {
		t.Errorf("hf record: %v %+v", c, m)
	}
	// An earlier upvote count never replaces a later one.
	stale := hf
	stale.SourceUpvotes, stale.SourceUpvotesAt = 3, date("2023-10-10")
	if m2, c := Merge(&m, stale); c != Unchanged || m2.SourceUpvotes != 12 {
		t.Errorf("stale upvotes: %v %d", c, m2.SourceUpvotes)
	}
	// Read-only fields do not count as changes.
	withVotes := m
	withVotes.Votes, withVotes.NumComments = 5, 2
	if _, c := Merge(&withVotes, hf); c != Unchanged {
		t.Errorf("read-only fields counted as a change: %v", c)
	}
}

func TestTidyText(t *testing.T) {
	for in, want := range map[string]string{
		"Research on  Enterprises\n  Based on":                   "Research on Enterprises Based on",
		`The $\alpha$-divergence and $O(n^{2})$ cost`:            "The α-divergence and O(n^2) cost",
		`as shown in \cite{smith2020}, \emph{very} fast`:         "as shown in , very fast",
		`$\mathcal{O}(\log n)$ and $x \leq y$`:                   "O(log n) and x ≤ y",
		`Schr\"odinger and Poincar\'e`:                           "Schrödinger and Poincaré",
		`100\% accuracy -- almost`:                               "100% accuracy – almost",
		"plain text stays plain":                                 "plain text stays plain",
		`$\mathbf{\hat{x}}$ estimates and unknown \foo commands`: `x estimates and unknown \foo commands`,
	} {
		if got := TidyText(in); got != want {
			t.Errorf("TidyText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParsePeriod(t *testing.T) {
	for _, test := range []struct {
		kind       PeriodKind
		in         string
		start, end string
		name       string
		prev, next string
		bad        bool
	}{
		{kind: PeriodDay, in: "2023-10-09", start: "2023-10-09", end: "2023-10-10", name: "2023-10-09", prev: "2023-10-08", next: "2023-10-10"},
		{kind: PeriodWeek, in: "2023-W41", start: "2023-10-09", end: "2023-10-16", name: "2023-W41", prev: "2023-W40", next: "2023-W42"},
		{kind: PeriodWeek, in: "2021-W01", start: "2021-01-04", end: "2021-01-11", name: "2021-W01", prev: "2020-W53", next: "2021-W02"},
		{kind: PeriodWeek, in: "2020-W53", start: "2020-12-28", end: "2021-01-04", name: "2020-W53", prev: "2020-W52", next: "2021-W01"},
		{kind: PeriodMonth, in: "2024-02", start: "2024-02-01", end: "2024-03-01", name: "2024-02", prev: "2024-01", next: "2024-03"},
		{kind: PeriodMonth, in: "2024-12", start: "2024-12-01", end: "2025-01-01", name: "2024-12", prev: "2024-11", next: "2025-01"},
		{kind: PeriodDay, in: "2023-02-30", bad: true},
		{kind: PeriodDay, in: "2023-1-9", bad: true},
		{kind: PeriodDay, in: "yesterday", bad: true},
		{kind: PeriodDay, in: "0001-01-01", bad: true},
		{kind: PeriodWeek, in: "2023-W54", bad: true},
		{kind: PeriodWeek, in: "2021-W53", bad: true},
		{kind: PeriodWeek, in: "2023-W4", bad: true},
		{kind: PeriodWeek, in: "2023-W41x", bad: true},
		{kind: PeriodMonth, in: "2023-13", bad: true},
		{kind: PeriodMonth, in: "2023", bad: true},
		{kind: "year", in: "2023", bad: true},
	} {
		p, err := ParsePeriod(test.kind, test.in)
		if test.bad {
			if err == nil {
				t.Errorf("ParsePeriod(%s, %q) = %v, want error", test.kind, test.in, p)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParsePeriod(%s, %q): %v", test.kind, test.in, err)
			continue
		}
		if p.Start.Format("2006-01-02") != test.start || p.End.Format("2006-01-02") != test.end ||
			p.String() != test.name || p.Prev().String() != test.prev || p.Next().String() != test.next {
			t.Errorf("ParsePeriod(%s, %q) = %v..%v %s prev %s next %s", test.kind, test.in, p.Start, p.End, p, p.Prev(), p.Next())
		}
	}
}

func TestParseSort(t *testing.T) {
	for in, want := range map[string]Sort{"": SortUpvotes, "trending": SortTrending, "publishedAt": SortNewest, "newest": SortNewest} {
		if got, err := ParseSort(in); err != nil || got != want {
			t.Errorf("ParseSort(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseSort("random"); err == nil {
		t.Error("ParseSort(random): no error")
	}
}

func BenchmarkTidyText(b *testing.B) {
	plain := strings.Repeat("Large language models are trained on  web text and\nevaluated on benchmarks. ", 12)
	latex := plain + `We bound the error by $O(\sqrt{n}\log n)$ with $\alpha \leq 1$ \cite{x}.`
	for b.Loop() {
		TidyText(plain)
		TidyText(latex)
	}
}

func TestDisplayTextMemo(t *testing.T) {
	for i := range tidyMemoSize*2 + 10 { // through both generations and out
		p := Paper{Title: "A $\\beta$ title " + strings.Repeat("x", i%7), Abstract: fmt.Sprintf("abstract %d with $\\alpha$", i)}
		if got, want := p.DisplayAbstract(), TidyText(p.Abstract); got != want {
			t.Fatalf("memo gave %q, want %q", got, want)
		}
		if got := p.DisplayTitle(); !strings.HasPrefix(got, "A β title") {
			t.Fatalf("title %q", got)
		}
	}
	if n := len(tidyMemo.cur) + len(tidyMemo.old); n > 2*tidyMemoSize {
		t.Errorf("memo holds %d entries", n)
	}
}

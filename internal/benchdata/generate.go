package benchdata

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
)

// Version changes whenever the same seed starts giving other papers, so
// that data sets kept from an earlier run (paperboy bench reuses its
// databases) are rebuilt.
const Version = 2

// Marks of a generated paper: its submitter and its comments say what it is.
const (
	GeneratedSubmitter = "paperboy-bench (generated)"
	GeneratedComment   = "Generated for benchmarks by paperboy from recombined real arXiv metadata; not a real paper."
)

// End is the last day of a generated set: its papers run from about
// n/970 days before End up to End, about 1,200 each weekday and 400 on
// weekend days, as arXiv receives them.
var End = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)

// Generated ids use numbers from FirstNumber up in each month: arXiv has
// never numbered that far (about 30,000 papers a month in 2026), so they
// cannot be real ids, and the loaded real ids are skipped anyway.
const FirstNumber = 60001

// DailyShare is the share of generated papers featured on a Daily Papers
// list (about 20 a day, as on Hugging Face).
const DailyShare = 0.02

const (
	weekdayMean = 1200
	weekendMean = 400
)

// firstMonth is the first month whose ids have five-digit numbers.
var firstMonth = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)

// Generate calls fn with n generated papers, in order of submission, the
// same ones for the same source and seed. It stops at fn's first error.
func Generate(src *Source, n int, seed int64, fn func(paper.Paper) error) error {
	g, err := NewGenerator(src, n, seed)
	if err != nil {
		return err
	}
	for {
		p, ok := g.Next()
		if !ok {
			return nil
		}
		if err := fn(p); err != nil {
			return err
		}
	}
}

// Generator makes papers one at a time; see Generate. Not safe for concurrent use.
type Generator struct {
	src   *Source
	rng   *rand.Rand
	n     int
	done  int
	start time.Time

	counts []int   // papers per day from start
	day    int     // index into counts
	secs   []int32 // the current day's submission seconds, sorted
	inDay  int

	month int // yymm of the last id
	num   int // last number used in month
}

// NewGenerator prepares n papers. It fails when n papers at arXiv's pace
// would reach back before 2015, where ids had four digits.
func NewGenerator(src *Source, n int, seed int64) (*Generator, error) {
	g := &Generator{src: src, n: n, rng: rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))}
	// The schedule comes from its own stream so that it depends on n and
	// seed only, and is laid out backwards from End.
	sched := rand.New(rand.NewPCG(uint64(seed), 1))
	day, total := End, 0
	for total < n {
		mean := weekdayMean
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			mean = weekendMean
		}
		k := mean*4/5 + sched.IntN(mean*2/5+1) // ±20%
		k = min(k, n-total)
		g.counts = append(g.counts, k)
		total += k
		day = day.AddDate(0, 0, -1)
	}
	slices.Reverse(g.counts)
	g.start = day.AddDate(0, 0, 1)
	if n > 0 && g.start.Before(firstMonth) {
		return nil, fmt.Errorf("benchdata: %d papers at arXiv's pace start on %s, before 2015: too many", n, g.start.Format("2006-01-02"))
	}
	return g, nil
}

// Next returns the next paper, or false after the last.
func (g *Generator) Next() (paper.Paper, bool) {
	if g.done >= g.n {
		return paper.Paper{}, false
	}
	for g.inDay >= len(g.secs) {
		if g.secs != nil {
			g.day++
		}
		g.secs = g.secs[:0]
		for range g.counts[g.day] {
			g.secs = append(g.secs, int32(g.rng.IntN(86400)))
		}
		slices.Sort(g.secs)
		g.inDay = 0
	}
	published := g.start.AddDate(0, 0, g.day).Add(time.Duration(g.secs[g.inDay]) * time.Second)
	g.inDay++
	g.done++
	return g.paper(published), true
}

func (g *Generator) nextID(published time.Time) string {
	yymm := published.Year()%100*100 + int(published.Month())
	if yymm != g.month {
		g.month, g.num = yymm, FirstNumber-1
	}
	for {
		g.num++
		if g.num > 99999 {
			panic("benchdata: more than 40,000 papers in a month") // the schedule makes at most about 37,000
		}
		id := fmt.Sprintf("%04d.%05d", yymm, g.num)
		if !g.src.IsReal(id) {
			return id
		}
	}
}

func (g *Generator) paper(published time.Time) paper.Paper {
	s, r := g.src, g.rng
	p := paper.Paper{
		ID:        g.nextID(published),
		Submitter: GeneratedSubmitter,
		Comments:  GeneratedComment,
	}

	// Title: a head and a tail of two real titles, or now and then a whole one.
	switch x := r.Float64(); {
	case x < 0.4:
		p.Title = s.colonHeads[r.IntN(len(s.colonHeads))] + ": " + s.colonTails[r.IntN(len(s.colonTails))]
	case x < 0.85:
		p.Title = s.prepHeads[r.IntN(len(s.prepHeads))] + " " + s.prepTails[r.IntN(len(s.prepTails))]
	default:
		p.Title = s.titles[r.IntN(len(s.titles))]
	}

	// Categories of a real paper; the abstract from papers of the same archive,
	// as long as a real abstract: the first sentence of one, middle sentences
	// of others, the last sentence of another.
	cats := s.categories[r.IntN(len(s.categories))]
	p.Categories = strings.Fields(cats)
	pool := s.byArchive[archive(p.Categories[0])]
	pick := func() doc {
		if len(pool) >= 10 {
			return s.docs[pool[r.IntN(len(pool))]]
		}
		return s.docs[r.IntN(len(s.docs))]
	}
	base := pick()
	nsent := min(max(int(base.n), 2), 14)
	var b strings.Builder
	b.Grow(1200)
	b.WriteString(s.sentences[base.first])
	for i := 1; i < nsent; i++ {
		d := pick()
		idx := d.first + d.n - 1 // the last sentence ends the abstract
		if i < nsent-1 && d.n > 2 {
			idx = d.first + 1 + int32(r.IntN(int(d.n)-2))
		}
		b.WriteByte(' ')
		b.WriteString(s.sentences[idx])
	}
	p.Abstract = b.String()

	// Authors: as many as a real paper has, real names.
	k := s.authorCounts[r.IntN(len(s.authorCounts))]
	p.Authors = make([]string, 0, k)
	for len(p.Authors) < k {
		name := s.names[r.IntN(len(s.names))]
		if k <= 30 && slices.Contains(p.Authors, name) {
			continue
		}
		p.Authors = append(p.Authors, name)
	}

	// Versions: most papers have one; later ones come weeks apart.
	nv := 1
	switch x := r.Float64(); {
	case x > 0.98:
		nv = 4
	case x > 0.92:
		nv = 3
	case x > 0.70:
		nv = 2
	}
	created := published
	p.Versions = []paper.Version{{Number: 1, Created: published}}
	for v := 2; v <= nv; v++ {
		created = created.Add(time.Duration((1 + r.ExpFloat64()*20) * float64(24*time.Hour))).Truncate(time.Second)
		if created.After(End.AddDate(0, 0, 1)) { // the set's history ends with End
			break
		}
		p.Versions = append(p.Versions, paper.Version{Number: v, Created: created})
	}
	created = p.Versions[len(p.Versions)-1].Created
	// arXiv's update_date is the day of the latest version.
	p.ListingDate = paper.DayOf(created)

	// A few papers are featured on a Daily Papers list one to three weekdays
	// later, with upvotes drawn from the real lists; not after End, where the
	// set's history ends.
	if r.Float64() < DailyShare {
		d := paper.DayOf(published).AddDate(0, 0, 1+r.IntN(3))
		for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			d = d.AddDate(0, 0, 1)
		}
		if !d.After(End) {
			g.feature(&p, d)
		}
	}
	// What Normalize would do, without its code-link regular expression on
	// every abstract (most have no link): it costs more than the rest of
	// generation. TestGeneratedNormalized checks the two agree.
	p.Version = len(p.Versions)
	p.Published, p.Updated = published, created
	p.Categories = uniqCategories(p.Categories)
	if strings.Contains(p.Abstract, "://") {
		p.Normalize()
	}
	return p
}

func uniqCategories(cs []string) []string {
	for i := 1; i < len(cs); i++ {
		if slices.Contains(cs[:i], cs[i]) {
			p := paper.Paper{Categories: cs}
			p.Normalize()
			return p.Categories
		}
	}
	return cs
}

// feature puts p on the Daily Papers list of day d.
func (g *Generator) feature(p *paper.Paper, d time.Time) {
	s, r := g.src, g.rng
	p.DailyDate = d
	p.SourceUpvotes = s.upvotes[r.IntN(len(s.upvotes))]
	p.SourceUpvotesAt = d.AddDate(0, 0, s.upvoteLags[r.IntN(len(s.upvoteLags))]).Add(8 * time.Hour)
	if len(s.repos) > 0 && r.Float64() < s.reposShare {
		p.CodeURLs = []string{s.repos[r.IntN(len(s.repos))]}
	}
}

// IsGenerated reports whether p carries the marks of a generated paper.
func IsGenerated(p *paper.Paper) bool {
	return p.Submitter == GeneratedSubmitter
}

// idNumber is the number part of a new-style id, for tests.
func idNumber(id string) int {
	n, _ := strconv.Atoi(id[strings.IndexByte(id, '.')+1:])
	return n
}

// Package benchdata makes benchmark data sets from the real arXiv metadata in
// the shared data directory: the real papers as they are (Source.Real), and
// any number of generated papers recombined from them (Generate): real titles
// cut and rejoined, abstracts made of real sentences from several papers,
// author lists of real names, real category lists, with generated ids and
// dates. Generated papers say so in their Submitter and Comments, so that no
// one mistakes them for real ones.
package benchdata

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
)

// Files are the real data files, in the order Load reads them and Real
// returns their papers: the Daily Papers lists first (they carry upvotes and
// featured days), then the arXiv listings.
var Files = []string{
	"hf-daily-papers.jsonl",
	"arxiv-listing-2023-09-21.jsonl",
	"arxiv-math-2025-05.jsonl",
	"big/arxiv-abstracts.jsonl.gz",
}

// SmallFiles are Files without the 57 MB one, for quick tests.
var SmallFiles = Files[:3]

// record is one line of the shared data: the arXiv snapshot's field names
// plus the Daily Papers ones.
type record struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Authors    string `json:"authors"`
	Abstract   string `json:"abstract"`
	Categories string `json:"categories"`
	UpdateDate string `json:"update_date"`
	Published  string `json:"published"`
	DailyDate  string `json:"daily_date"`
	Upvotes    int    `json:"upvotes"`
	UpvotesAt  string `json:"upvotes_at"`
	GithubRepo string `json:"github_repo"`
}

// doc is what generation needs of one real paper: where its sentences are.
type doc struct {
	first, n int32 // sentences[first : first+n]
}

// Source is the real papers, loaded once, and the pieces that Generate
// recombines. It is read-only after Load and safe for concurrent use.
type Source struct {
	real    []record
	realIDs map[string]struct{}

	sentences []string // every abstract's sentences, paper after paper
	docs      []doc    // papers with at least one sentence
	byArchive map[string][]int32

	colonHeads, colonTails []string // "Title: subtitle" cut at the colon
	prepHeads, prepTails   []string // "Detection of X | with Y" cut before a preposition
	titles                 []string // whole titles

	names        []string // distinct author names
	authorCounts []int    // author count of every real paper (the distribution to sample)
	categories   []string // category lists of real papers that have them
	upvotes      []int    // Daily Papers upvote counts (a long tail: median 6, max 250)
	upvoteLags   []int    // days from daily_date to upvotes_at
	repos        []string // Daily Papers github_repo values
	reposShare   float64  // share of Daily Papers rows with a repository
}

// FindDataDir looks for the shared data directory: $PAPERBOY_BENCH_DATA, else
// shared/data beside the working directory or one of its parents (the
// repository sits at /work/main and the data at /work/shared/data).
func FindDataDir() (string, error) {
	if d := os.Getenv("PAPERBOY_BENCH_DATA"); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		for _, c := range []string{filepath.Join(dir, "shared", "data"), filepath.Join(dir, "..", "shared", "data")} {
			if _, err := os.Stat(filepath.Join(c, Files[0])); err == nil {
				return filepath.Clean(c), nil
			}
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	return "", errors.New("benchdata: no shared/data directory found above " + wd + " (set PAPERBOY_BENCH_DATA)")
}

// Load reads the real papers from files (Files when none are given) in dir.
func Load(dir string, files ...string) (*Source, error) {
	if len(files) == 0 {
		files = Files
	}
	s := &Source{realIDs: map[string]struct{}{}, byArchive: map[string][]int32{}}
	names := map[string]struct{}{}
	withRepo, daily := 0, 0
	for _, f := range files {
		err := readJSONL(filepath.Join(dir, f), func(line int, r record) error {
			id, _, err := paper.ParseID(r.ID)
			if err != nil {
				return fmt.Errorf("line %d: %w", line, err)
			}
			r.ID = id
			if _, dup := s.realIDs[id]; dup {
				return nil
			}
			s.realIDs[id] = struct{}{}
			s.real = append(s.real, r)

			authors := splitAuthors(r.Authors)
			s.authorCounts = append(s.authorCounts, max(1, len(authors)))
			for _, a := range authors {
				if _, ok := names[a]; !ok {
					names[a] = struct{}{}
					s.names = append(s.names, a)
				}
			}
			if r.Categories != "" {
				s.categories = append(s.categories, r.Categories)
			}
			if r.DailyDate != "" {
				daily++
				s.upvotes = append(s.upvotes, r.Upvotes)
				if lag, ok := daysBetween(r.DailyDate, r.UpvotesAt); ok && lag >= 0 && lag < 60 {
					s.upvoteLags = append(s.upvoteLags, lag)
				}
				if r.GithubRepo != "" {
					withRepo++
					s.repos = append(s.repos, r.GithubRepo)
				}
			}
			s.addTitle(r.Title)
			if sents := splitSentences(r.Abstract); len(sents) > 0 {
				d := doc{first: int32(len(s.sentences)), n: int32(len(sents))}
				s.sentences = append(s.sentences, sents...)
				arch := archive(firstField(r.Categories))
				s.byArchive[arch] = append(s.byArchive[arch], int32(len(s.docs)))
				s.docs = append(s.docs, d)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(s.real) == 0 || len(s.docs) == 0 || len(s.names) == 0 || len(s.categories) == 0 {
		return nil, fmt.Errorf("benchdata: %s: too little data to generate from (%d papers)", dir, len(s.real))
	}
	if len(s.upvotes) == 0 {
		s.upvotes = []int{0}
	}
	if len(s.upvoteLags) == 0 {
		s.upvoteLags = []int{0}
	}
	if daily > 0 {
		s.reposShare = float64(withRepo) / float64(daily)
	}
	if len(s.colonHeads) == 0 || len(s.prepHeads) == 0 {
		return nil, fmt.Errorf("benchdata: %s: no titles to recombine", dir)
	}
	return s, nil
}

func readJSONL(path string, fn func(line int, r record) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("benchdata: %w", err)
	}
	defer f.Close()
	var rd io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("benchdata: %s: %w", path, err)
		}
		defer gz.Close()
		rd = gz
	}
	sc := bufio.NewScanner(bufio.NewReaderSize(rd, 1<<20))
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	for line := 1; sc.Scan(); line++ {
		b := sc.Bytes()
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		var r record
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("benchdata: %s: line %d: %w", path, line, err)
		}
		if err := fn(line, r); err != nil {
			return fmt.Errorf("benchdata: %s: %w", path, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("benchdata: %s: %w", path, err)
	}
	return nil
}

// RealLen is the number of distinct real papers loaded.
func (s *Source) RealLen() int { return len(s.real) }

// IsReal reports whether id (normalised) is the id of a real paper loaded.
func (s *Source) IsReal(id string) bool {
	_, ok := s.realIDs[id]
	return ok
}

// Real calls fn with the first n real papers (all when n exceeds RealLen), in
// the order of Files, normalised as an importer would store them.
func (s *Source) Real(n int, fn func(paper.Paper) error) error {
	for i := range min(n, len(s.real)) {
		p, err := s.real[i].paper()
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

// paper maps a record as the importer does: update_date is the listing day,
// published the v1 date, daily_date and upvotes the Daily Papers fields.
func (r *record) paper() (paper.Paper, error) {
	p := paper.Paper{
		ID:            r.ID,
		Title:         strings.TrimSpace(r.Title),
		Abstract:      strings.TrimSpace(r.Abstract),
		Authors:       splitAuthors(r.Authors),
		Categories:    strings.Fields(r.Categories),
		SourceUpvotes: r.Upvotes,
	}
	for _, d := range []struct {
		s   string
		dst *time.Time
	}{{r.UpdateDate, &p.ListingDate}, {r.Published, &p.Published}, {r.DailyDate, &p.DailyDate}, {r.UpvotesAt, &p.SourceUpvotesAt}} {
		if d.s == "" {
			continue
		}
		t, err := parseDate(d.s)
		if err != nil {
			return p, fmt.Errorf("benchdata: paper %s: %w", r.ID, err)
		}
		*d.dst = t
	}
	if r.GithubRepo != "" {
		p.CodeURLs = []string{r.GithubRepo}
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		return p, fmt.Errorf("benchdata: %w", err)
	}
	return p, nil
}

func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q", s)
}

func daysBetween(a, b string) (int, bool) {
	ta, err1 := parseDate(a)
	tb, err2 := parseDate(b)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return int(paper.DayOf(tb).Sub(paper.DayOf(ta)).Hours() / 24), true
}

// splitAuthors splits the shared data's comma-separated author strings
// (a few also use "and"), dropping affiliations in parentheses as the
// importer does.
func splitAuthors(s string) []string {
	if strings.IndexByte(s, '(') >= 0 {
		var b strings.Builder
		depth := 0
		for _, r := range s {
			switch {
			case r == '(':
				depth++
			case r == ')' && depth > 0:
				depth--
			case depth == 0:
				b.WriteRune(r)
			}
		}
		s = b.String()
	}
	var out []string
	for _, piece := range strings.Split(s, ",") {
		for _, name := range strings.Split(piece, " and ") {
			name = strings.Join(strings.Fields(name), " ")
			name = strings.TrimPrefix(name, "and ")
			if name != "" && name != "and" {
				out = append(out, name)
			}
		}
	}
	return out
}

func firstField(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// archive is "cs" for "cs.LG", "hep-th" for itself.
func archive(cat string) string {
	if i := strings.IndexByte(cat, '.'); i >= 0 {
		return cat[:i]
	}
	return cat
}

// prepositions where a title may be cut into a head and a tail.
var prepositions = []string{" for ", " of ", " with ", " via ", " in ", " on ", " using ", " from ", " through ", " towards "}

func (s *Source) addTitle(t string) {
	t = strings.TrimSpace(t)
	if t == "" {
		return
	}
	s.titles = append(s.titles, t)
	if i := strings.Index(t, ": "); i > 3 && i < len(t)-6 {
		s.colonHeads = append(s.colonHeads, t[:i])
		s.colonTails = append(s.colonTails, strings.TrimSpace(t[i+2:]))
	}
	best := -1
	for _, p := range prepositions {
		if i := strings.Index(t, p); i > 8 && i < len(t)-10 && (best < 0 || i < best) {
			best = i
		}
	}
	if best > 0 {
		s.prepHeads = append(s.prepHeads, t[:best])
		s.prepTails = append(s.prepTails, t[best+1:])
	}
}

// abbreviations that end in a period inside a sentence.
var abbreviations = map[string]bool{
	"e.g": true, "i.e": true, "al": true, "Fig": true, "Figs": true, "Eq": true, "Eqs": true, "Ref": true,
	"Refs": true, "vs": true, "etc": true, "cf": true, "Sec": true, "resp": true, "approx": true, "No": true,
	"Dr": true, "Prof": true, "St": true, "Mr": true, "Ms": true, "viz": true, "Thm": true, "Prop": true,
}

// splitSentences cuts an abstract after '.', '?' or '!' followed by a space
// and a capital letter, unless the period ends an abbreviation or an initial.
// The sentences share the abstract's memory.
func splitSentences(a string) []string {
	a = strings.TrimSpace(a)
	var out []string
	start := 0
	for i := 0; i+2 < len(a); i++ {
		c := a[i]
		if c != '.' && c != '?' && c != '!' {
			continue
		}
		if a[i+1] != ' ' && a[i+1] != '\n' {
			continue
		}
		j := i + 1
		for j < len(a) && (a[j] == ' ' || a[j] == '\n') {
			j++
		}
		if j >= len(a) || a[j] < 'A' || a[j] > 'Z' {
			continue
		}
		if c == '.' {
			w := a[start:i]
			if k := strings.LastIndexAny(w, " \n("); k >= 0 {
				w = w[k+1:]
			}
			if len(w) <= 1 || abbreviations[w] {
				continue
			}
		}
		if sent := strings.TrimSpace(a[start : i+1]); sent != "" {
			out = append(out, sent)
		}
		start = j
	}
	if sent := strings.TrimSpace(a[start:]); sent != "" {
		out = append(out, sent)
	}
	return out
}

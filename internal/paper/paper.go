// Package paper holds Paperboy's domain: the paper model, arXiv identifiers,
// feed periods and the storage interface that the edges (sqlite, web,
// ingest, search) implement or use. It imports nothing from those edges.
package paper

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Errors shared by every implementation of the interfaces here.
var (
	ErrNotFound = errors.New("not found")
	ErrInvalid  = errors.New("invalid")
)

// Version is one arXiv version of a paper: v1 is the first submission.
type Version struct {
	Number  int       `json:"version"`
	Created time.Time `json:"created"` // UTC
}

// Paper is one arXiv paper as Paperboy knows it. Title and Abstract keep the
// text exactly as the source gave it; DisplayTitle and DisplayAbstract tidy
// LaTeX and whitespace for reading.
type Paper struct {
	ID         string    // normalised arXiv id without version: "2310.06110", "hep-th/9901001"
	Version    int       // latest version known; 0 when no source said
	Versions   []Version // version history, oldest first; may be empty
	Title      string
	Abstract   string
	Authors    []string // in order
	Categories []string // primary first
	Submitter  string
	Comments   string
	JournalRef string
	DOI        string
	License    string

	// Published is the first-version (v1) date, zero when unknown.
	Published time.Time
	// Updated is the last-updated date (latest version, or the source's update), zero when unknown.
	Updated time.Time
	// ListingDate is arXiv's update_date / listing day, used for the day when Published is unknown.
	ListingDate time.Time
	// DailyDate is the day the paper was featured on a Daily Papers list (HF
	// submittedOnDailyAt, or a Paperboy submission). When set it decides the feed day.
	DailyDate time.Time

	CodeURLs    []string // GitHub/GitLab repositories, first is the main one
	ProjectPage string

	// SourceUpvotes are upvotes imported from another site (Hugging Face), as
	// counted at SourceUpvotesAt. Kept apart from votes cast in Paperboy.
	SourceUpvotes   int
	SourceUpvotesAt time.Time

	// Filled by stores when reading; never written by Upsert.
	Votes       int       // votes cast in Paperboy
	NumComments int       // visible comments
	SubmittedBy string    // username of the Paperboy user who submitted it, if any
	Added       time.Time // when Paperboy first stored it
	Seq         int64     // the store's change sequence number of the paper's last write
}

// Day is the paper's day in the feed: the Daily Papers day when it was featured,
// else its first-version date, else its listing date. Zero when none is known.
func (p *Paper) Day() time.Time {
	for _, t := range []time.Time{p.DailyDate, p.Published, p.ListingDate} {
		if !t.IsZero() {
			return DayOf(t)
		}
	}
	return time.Time{}
}

// Month is the paper's month in the feed: its Day's month, else the month that
// a new-style id encodes ("2505.01234" is May 2025). Zero when none is known.
func (p *Paper) Month() time.Time {
	if d := p.Day(); !d.IsZero() {
		return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return IDMonth(p.ID)
}

// Upvotes is what a reader sees: imported upvotes plus Paperboy votes.
func (p *Paper) Upvotes() int { return p.SourceUpvotes + p.Votes }

// PrimaryCategory is the first category, or "".
func (p *Paper) PrimaryCategory() string {
	if len(p.Categories) == 0 {
		return ""
	}
	return p.Categories[0]
}

// VersionedID is the id with its latest version ("2310.06110v2"), or the bare id when unknown.
func (p *Paper) VersionedID() string {
	if p.Version > 0 {
		return fmt.Sprintf("%sv%d", p.ID, p.Version)
	}
	return p.ID
}

// AbsURL is the paper's page on arXiv.
func (p *Paper) AbsURL() string { return "https://arxiv.org/abs/" + p.ID }

// PDFURL is the paper's PDF on arXiv.
func (p *Paper) PDFURL() string { return "https://arxiv.org/pdf/" + p.ID }

// DisplayTitle is the title tidied for reading.
func (p *Paper) DisplayTitle() string { return tidyCached(p.Title) }

// DisplayAbstract is the abstract tidied for reading.
func (p *Paper) DisplayAbstract() string { return tidyCached(p.Abstract) }

// Validate reports what makes p unstorable.
func (p *Paper) Validate() error {
	switch {
	case p.ID == "":
		return fmt.Errorf("%w: missing id", ErrInvalid)
	case strings.TrimSpace(p.Title) == "":
		return fmt.Errorf("%w: paper %s has no title", ErrInvalid, p.ID)
	case len(p.Authors) == 0:
		return fmt.Errorf("%w: paper %s has no authors", ErrInvalid, p.ID)
	}
	if _, _, err := ParseID(p.ID); err != nil {
		return err
	}
	return nil
}

// Normalize puts derived fields in order: dates in UTC, versions sorted,
// Version and Published/Updated from the version history, code links found in
// the abstract and comments. Importers call it before storing.
func (p *Paper) Normalize() {
	for _, t := range []*time.Time{&p.Published, &p.Updated, &p.ListingDate, &p.DailyDate, &p.SourceUpvotesAt} {
		if !t.IsZero() {
			*t = t.UTC()
		}
	}
	slices.SortFunc(p.Versions, func(a, b Version) int { return a.Number - b.Number })
	p.Versions = slices.CompactFunc(p.Versions, func(a, b Version) bool { return a.Number == b.Number })
	for i := range p.Versions {
		p.Versions[i].Created = p.Versions[i].Created.UTC()
	}
	if n := len(p.Versions); n > 0 {
		last := p.Versions[n-1]
		if last.Number > p.Version {
			p.Version = last.Number
		}
		if first := p.Versions[0]; first.Number == 1 && !first.Created.IsZero() {
			p.Published = first.Created
		}
		if p.Updated.IsZero() || last.Created.After(p.Updated) {
			p.Updated = last.Created
		}
	}
	for i, a := range p.Authors {
		p.Authors[i] = strings.Join(strings.Fields(a), " ")
	}
	p.Authors = slices.DeleteFunc(p.Authors, func(a string) bool { return a == "" })
	p.Categories = slices.DeleteFunc(p.Categories, func(c string) bool { return c == "" })
	p.Categories = uniq(p.Categories)
	p.CodeURLs = uniq(append(p.CodeURLs, FindCodeURLs(p.Abstract+"\n"+p.Comments)...))
}

func uniq(s []string) []string {
	seen := make(map[string]bool, len(s))
	out := s[:0]
	for _, v := range s {
		k := strings.ToLower(v)
		if !seen[k] {
			seen[k] = true
			out = append(out, v)
		}
	}
	return out
}

// Sort orders a feed.
type Sort string

const (
	SortTrending Sort = "trending" // votes over a power of age (see the community layer)
	SortUpvotes  Sort = "upvotes"  // most upvoted first
	SortNewest   Sort = "newest"   // latest first
)

// ParseSort accepts the names above ("" is the default: upvotes, as on Hugging Face's daily pages),
// and Hugging Face's "publishedAt" for newest.
func ParseSort(s string) (Sort, error) {
	switch s {
	case "", "upvotes", "top":
		return SortUpvotes, nil
	case "trending":
		return SortTrending, nil
	case "newest", "publishedAt", "new":
		return SortNewest, nil
	}
	return "", fmt.Errorf("%w: unknown sort %q (use trending, upvotes or newest)", ErrInvalid, s)
}

// Filter selects papers for a feed or a listing.
type Filter struct {
	Period    *Period // nil: all days
	Category  string  // "cs.LG" or an archive prefix "cs"; "" for all
	Submitter string  // username; "" for all
	Sort      Sort
	Limit     int // 0: a default page size
	Offset    int
}

// Page is one page of a listing.
type Page struct {
	Papers []Paper
	Total  int // papers matching the filter, over all pages
}

// UpsertResult counts what an upsert did.
type UpsertResult struct {
	New, Updated, Unchanged int
}

// Add sums two results.
func (r *UpsertResult) Add(o UpsertResult) {
	r.New += o.New
	r.Updated += o.Updated
	r.Unchanged += o.Unchanged
}

// Change is what happened to one paper in an upsert.
type Change int

const (
	Unchanged Change = iota
	Added
	Updated
)

// Store keeps papers. Implementations: internal/sqlite (default); PostgreSQL later.
type Store interface {
	// UpsertPapers stores papers in one transaction: all or none. Each paper is
	// merged with the stored one by the rules of Merge. Papers must be Normalized
	// and valid.
	UpsertPapers(ctx context.Context, papers []Paper) (UpsertResult, error)
	// Paper returns a stored paper by normalised id, or ErrNotFound.
	Paper(ctx context.Context, id string) (*Paper, error)
	// Papers lists papers by filter.
	Papers(ctx context.Context, f Filter) (Page, error)
	// LatestDay is the most recent day that has papers, or ErrNotFound when the store is empty.
	LatestDay(ctx context.Context) (time.Time, error)
	// AdjacentDays returns the closest days before and after day that have papers (zero when none).
	AdjacentDays(ctx context.Context, day time.Time) (prev, next time.Time, err error)
	// DayCounts returns how many papers each day in [from, to) has, for calendars.
	DayCounts(ctx context.Context, from, to time.Time) (map[string]int, error)
	// PapersChangedSince returns up to limit papers whose stored row changed
	// after the change sequence number seq, in sequence order, with the
	// sequence of the last one. Indexers use it to catch up incrementally.
	PapersChangedSince(ctx context.Context, seq int64, limit int) ([]Paper, int64, error)
	// CountPapers is the number of stored papers.
	CountPapers(ctx context.Context) (int, error)
	Close() error
}

package sqlite

// Papers: upsert by arXiv id under paper.Merge's rules, and the feed queries.
//
// For the community layer: papers.votes, papers.num_comments and
// papers.submitted_by are counters and labels that the community code keeps in
// the same transaction as the vote, comment or submission it records (for
// example `UPDATE papers SET votes = votes + 1 WHERE id = ?`). Upserts never
// touch them, and reads fill paper.Paper's Votes, NumComments and SubmittedBy
// from them. The trending order is trendingExpr below.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
)

const paperColumns = `pk, id, version, versions, title, abstract, authors, categories, submitter, comments,
	journal_ref, doi, license, published, updated, listing_date, daily_date, code_urls, project_page,
	source_upvotes, source_upvotes_at, votes, num_comments, submitted_by, added_at, seq`

type rowScanner interface{ Scan(dest ...any) error }

func scanPaper(r rowScanner) (paper.Paper, error) {
	var (
		p                                                      paper.Paper
		pk                                                     int64
		versions, authors, categories, codeURLs                string
		published, updated, listing, daily, upAt, subBy, added sql.NullString
	)
	err := r.Scan(&pk, &p.ID, &p.Version, &versions, &p.Title, &p.Abstract, &authors, &categories,
		&p.Submitter, &p.Comments, &p.JournalRef, &p.DOI, &p.License, &published, &updated, &listing,
		&daily, &codeURLs, &p.ProjectPage, &p.SourceUpvotes, &upAt, &p.Votes, &p.NumComments, &subBy,
		&added, &p.Seq)
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal([]byte(versions), &p.Versions); err != nil {
		return p, fmt.Errorf("paper %s: versions: %w", p.ID, err)
	}
	if err := json.Unmarshal([]byte(authors), &p.Authors); err != nil {
		return p, fmt.Errorf("paper %s: authors: %w", p.ID, err)
	}
	if err := json.Unmarshal([]byte(codeURLs), &p.CodeURLs); err != nil {
		return p, fmt.Errorf("paper %s: code urls: %w", p.ID, err)
	}
	p.Categories = strings.Fields(categories)
	p.Published, p.Updated, p.ListingDate = parseTime(published), parseTime(updated), parseTime(listing)
	p.DailyDate, p.SourceUpvotesAt, p.Added = parseTime(daily), parseTime(upAt), parseTime(added)
	p.SubmittedBy = subBy.String
	if len(p.Versions) == 0 {
		p.Versions = nil
	}
	if len(p.CodeURLs) == 0 {
		p.CodeURLs = nil
	}
	return p, nil
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // slices of strings and structs of ints and times always marshal
	}
	return string(b)
}

// UpsertPapers merges papers into the store in one transaction.
func (s *Store) UpsertPapers(ctx context.Context, papers []paper.Paper) (paper.UpsertResult, error) {
	var res paper.UpsertResult
	if len(papers) == 0 {
		return res, nil
	}
	err := s.Tx(ctx, func(tx *sql.Tx) error {
		res = paper.UpsertResult{}
		var seq int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM papers`).Scan(&seq); err != nil {
			return fmt.Errorf("upsert: %w", err)
		}
		// One query for the batch's stored papers beats one per paper.
		stored, err := papersByID(ctx, tx, batchIDs(papers))
		if err != nil {
			return fmt.Errorf("upsert: %w", err)
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO papers (id, version, versions, title, abstract, authors,
			author_count, categories, submitter, comments, journal_ref, doi, license, published, updated,
			listing_date, daily_date, day, month, code_urls, project_page, source_upvotes, source_upvotes_at,
			seq, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
		if err != nil {
			return fmt.Errorf("upsert: %w", err)
		}
		defer ins.Close()
		upd, err := tx.PrepareContext(ctx, `UPDATE papers SET version=?, versions=?, title=?, abstract=?,
			authors=?, author_count=?, categories=?, submitter=?, comments=?, journal_ref=?, doi=?, license=?,
			published=?, updated=?, listing_date=?, daily_date=?, day=?, month=?, code_urls=?, project_page=?,
			source_upvotes=?, source_upvotes_at=?, seq=? WHERE id = ?`)
		if err != nil {
			return fmt.Errorf("upsert: %w", err)
		}
		defer upd.Close()
		now := fmtTime(s.Now())
		for i := range papers {
			in := papers[i]
			if err := in.Validate(); err != nil {
				return fmt.Errorf("upsert %s: %w", in.ID, err)
			}
			var old *paper.Paper
			if p, ok := stored[in.ID]; ok {
				old = &p
			}
			m, change := paper.Merge(old, in)
			if change == paper.Unchanged {
				res.Unchanged++
				continue
			}
			seq++
			args := []any{m.Version, jsonText(orEmpty(m.Versions)), m.Title, m.Abstract,
				jsonText(orEmpty(m.Authors)), len(m.Authors), strings.Join(m.Categories, " "), m.Submitter,
				m.Comments, m.JournalRef, m.DOI, m.License, nullTime(m.Published), nullTime(m.Updated),
				nullDay(m.ListingDate), nullDay(m.DailyDate), nullDay(m.Day()), monthOf(&m),
				jsonText(orEmpty(m.CodeURLs)), m.ProjectPage, m.SourceUpvotes, nullTime(m.SourceUpvotesAt), seq}
			if change == paper.Added {
				_, err = ins.ExecContext(ctx, append([]any{m.ID}, append(args, now)...)...)
				res.New++
			} else {
				_, err = upd.ExecContext(ctx, append(args, m.ID)...)
				res.Updated++
			}
			if err != nil {
				return fmt.Errorf("upsert %s: %w", m.ID, err)
			}
			stored[m.ID] = m // the same id again in this batch merges with this
		}
		return nil
	})
	if err != nil {
		return paper.UpsertResult{}, err
	}
	return res, nil
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func monthOf(p *paper.Paper) any {
	m := p.Month()
	if m.IsZero() {
		return nil
	}
	return m.Format("2006-01")
}

// Paper returns one paper by normalised id.
func (s *Store) Paper(ctx context.Context, id string) (*paper.Paper, error) {
	p, err := scanPaper(s.reader.QueryRowContext(ctx, `SELECT `+paperColumns+` FROM papers WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("paper %s: %w", id, paper.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("paper %s: %w", id, err)
	}
	return &p, nil
}

// PapersByID returns the stored papers among ids, in the order of ids (unknown ids are skipped).
func (s *Store) PapersByID(ctx context.Context, ids []string) ([]paper.Paper, error) {
	byID, err := papersByID(ctx, s.reader, ids)
	if err != nil {
		return nil, fmt.Errorf("papers by id: %w", err)
	}
	out := make([]paper.Paper, 0, len(byID))
	for _, id := range ids {
		if p, ok := byID[id]; ok {
			out = append(out, p)
		}
	}
	return out, nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// papersByID reads the stored papers among ids, in chunks well under
// SQLite's limit on host parameters.
func papersByID(ctx context.Context, q querier, ids []string) (map[string]paper.Paper, error) {
	byID := make(map[string]paper.Paper, len(ids))
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := q.QueryContext(ctx, `SELECT `+paperColumns+` FROM papers WHERE id IN (?`+
			strings.Repeat(",?", len(chunk)-1)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			p, err := scanPaper(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			byID[p.ID] = p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return byID, nil
}

func batchIDs(ps []paper.Paper) []string {
	ids := make([]string, len(ps))
	for i := range ps {
		ids[i] = ps[i].ID
	}
	return ids
}

// TrendingGravity is the exponent of age in the trending score.
const TrendingGravity = 1.8

// trendingExpr scores a row like Hacker News: upvotes / (age in hours + 2)^gravity,
// where age runs from the start of the paper's day (its featured day when it has
// one) to now. The +1 lets a paper with no votes yet rank by freshness.
// internal/community documents the same formula and tests the order it gives.
const trendingExpr = `((upvotes + 1) / pow(max(0, (julianday(?) - julianday(coalesce(day, month || '-01'))) * 24) + 2, 1.8))`

// Papers lists a page of papers.
func (s *Store) Papers(ctx context.Context, f paper.Filter) (paper.Page, error) {
	var (
		where []string
		args  []any
	)
	if p := f.Period; p != nil {
		switch p.Kind {
		case paper.PeriodMonth:
			where, args = append(where, "month = ?"), append(args, p.Start.Format("2006-01"))
		case paper.PeriodDay:
			// Equality, not a range: papers_day_feed then gives the upvotes order.
			where, args = append(where, "day = ?"), append(args, p.Start.Format(dayLayout))
		default:
			where, args = append(where, "day >= ? AND day < ?"), append(args, p.Start.Format(dayLayout), p.End.Format(dayLayout))
		}
	}
	if c := strings.TrimSpace(f.Category); c != "" {
		if strings.Contains(c, ".") {
			where, args = append(where, "(' ' || categories || ' ') LIKE ? ESCAPE '\\'"), append(args, "% "+escapeLike(c)+" %")
		} else { // an archive: "cs" matches cs.LG; "hep-th" matches itself
			where, args = append(where, "((' ' || categories || ' ') LIKE ? ESCAPE '\\' OR (' ' || categories) LIKE ? ESCAPE '\\')"),
				append(args, "% "+escapeLike(c)+" %", "% "+escapeLike(c)+".%")
		}
	}
	if f.Submitter != "" {
		where, args = append(where, "submitted_by = ? COLLATE NOCASE"), append(args, f.Submitter)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var page paper.Page
	countQuery := func() (any, error) {
		var n int
		err := s.reader.QueryRowContext(ctx, `SELECT count(*) FROM papers`+cond, args...).Scan(&n)
		return n, err
	}
	var total any
	var err error
	if f.Submitter != "" { // submissions label papers without a new seq
		total, err = countQuery()
	} else {
		total, err = s.cachedCount(ctx, cacheKey(append([]any{"count", cond}, args...)...), countQuery)
	}
	if err != nil {
		return page, fmt.Errorf("list papers: %w", err)
	}
	page.Total = total.(int)
	order := "upvotes DESC, day DESC, id DESC"
	qargs := args
	switch f.Sort {
	case paper.SortNewest:
		order = "day DESC, coalesce(published, day) DESC, id DESC"
	case paper.SortTrending:
		order = trendingExpr + " DESC, upvotes DESC, id DESC"
		// Parameters bind in text order: WHERE's, then ORDER BY's clock.
		qargs = append(args[:len(args):len(args)], fmtTime(s.Now()))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 30
	}
	from := `papers` + cond
	if per := f.Period; f.Sort == paper.SortTrending && per != nil && per.End.After(per.Start) && per.End.Sub(per.Start) <= 31*24*time.Hour {
		// All papers of a day have the same age, so within a day the trending
		// order is upvotes DESC, id DESC: a page of the period is among each
		// day's first offset+limit papers by upvotes (papers_day_feed lists
		// them in order), and papers without a day. Scoring those candidates
		// instead of every paper of a month takes a fifth of the time. A
		// paper's month is its day's, so the period's days are all there are.
		var days []any
		for d := per.Start; d.Before(per.End); d = d.AddDate(0, 0, 1) {
			days = append(days, d.Format(dayLayout))
		}
		c := strings.Join(where, " AND ")
		from = `papers WHERE pk IN (
			SELECT p.pk FROM (VALUES ` + strings.Repeat("(?),", len(days)-1) + `(?)) AS days
			JOIN papers AS p ON p.pk IN (SELECT pk FROM papers WHERE ` + c + ` AND day = days.column1
				ORDER BY upvotes DESC, id DESC LIMIT ?)
			UNION ALL
			SELECT pk FROM papers WHERE ` + c + ` AND day IS NULL)`
		qargs = slices.Concat(days, args, []any{limit + max(0, f.Offset)}, args, []any{fmtTime(s.Now())})
	}
	// Sort ids, then read the page's rows: sorting whole rows (abstracts
	// included) of a week costs ten times more (see internal/bench).
	orderIDs := func() ([]string, error) {
		rows, err := s.reader.QueryContext(ctx, `SELECT id FROM `+from+
			` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(qargs, limit, max(0, f.Offset))...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		return ids, rows.Err()
	}
	var ids []string
	if f.Sort == paper.SortTrending && f.Submitter == "" {
		// Scoring a month of candidates is the costliest feed query; its order
		// moves slowly (ages in hours, votes one at a time), so it is kept for
		// trendingTTL. The rows, and so the counts shown, are always fresh.
		ids, err = s.trending.get(cacheKey(append([]any{from, order, limit, f.Offset}, args...)...), s.Now(), orderIDs)
	} else {
		ids, err = orderIDs()
	}
	if err != nil {
		return page, fmt.Errorf("list papers: %w", err)
	}
	if page.Papers, err = s.PapersByID(ctx, ids); err != nil {
		return page, fmt.Errorf("list papers: %w", err)
	}
	return page, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// LatestDay is the latest day with papers.
func (s *Store) LatestDay(ctx context.Context) (time.Time, error) {
	var d sql.NullString
	if err := s.reader.QueryRowContext(ctx, `SELECT max(day) FROM papers`).Scan(&d); err != nil {
		return time.Time{}, fmt.Errorf("latest day: %w", err)
	}
	if !d.Valid {
		return time.Time{}, fmt.Errorf("latest day: %w", paper.ErrNotFound)
	}
	return parseTime(d), nil
}

// AdjacentDays returns the nearest days with papers before and after day.
func (s *Store) AdjacentDays(ctx context.Context, day time.Time) (prev, next time.Time, err error) {
	var p, n sql.NullString
	d := day.UTC().Format(dayLayout)
	err = s.reader.QueryRowContext(ctx, `SELECT (SELECT max(day) FROM papers WHERE day < ?1),
		(SELECT min(day) FROM papers WHERE day > ?1)`, d).Scan(&p, &n)
	if err != nil {
		return prev, next, fmt.Errorf("adjacent days of %s: %w", d, err)
	}
	return parseTime(p), parseTime(n), nil
}

// DayCounts counts papers per day in [from, to).
func (s *Store) DayCounts(ctx context.Context, from, to time.Time) (map[string]int, error) {
	f, t := from.UTC().Format(dayLayout), to.UTC().Format(dayLayout)
	v, err := s.cachedCount(ctx, cacheKey("days", f, t), func() (any, error) {
		rows, err := s.reader.QueryContext(ctx, `SELECT day, count(*) FROM papers WHERE day >= ? AND day < ? GROUP BY day`, f, t)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := map[string]int{}
		for rows.Next() {
			var d string
			var n int
			if err := rows.Scan(&d, &n); err != nil {
				return nil, err
			}
			out[d] = n
		}
		return out, rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("day counts: %w", err)
	}
	return maps.Clone(v.(map[string]int)), nil // callers may change theirs
}

// PapersChangedSince returns papers written after seq, in seq order.
func (s *Store) PapersChangedSince(ctx context.Context, seq int64, limit int) ([]paper.Paper, int64, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+paperColumns+` FROM papers WHERE seq > ? ORDER BY seq LIMIT ?`, seq, limit)
	if err != nil {
		return nil, seq, fmt.Errorf("papers changed since %d: %w", seq, err)
	}
	defer rows.Close()
	var out []paper.Paper
	for rows.Next() {
		p, err := scanPaper(rows)
		if err != nil {
			return nil, seq, fmt.Errorf("papers changed since %d: %w", seq, err)
		}
		out = append(out, p)
		seq = p.Seq
	}
	return out, seq, rows.Err()
}

// CountPapers counts stored papers.
func (s *Store) CountPapers(ctx context.Context) (int, error) {
	var n int
	if err := s.reader.QueryRowContext(ctx, `SELECT count(*) FROM papers`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count papers: %w", err)
	}
	return n, nil
}

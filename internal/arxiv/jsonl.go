package arxiv

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
)

// snapshotLine is one line of arXiv's metadata snapshot (the Kaggle
// "arxiv-metadata-oai-snapshot.json" layout), with the extra fields of the
// Hugging Face Daily Papers export. Every field may be missing.
type snapshotLine struct {
	ID            string     `json:"id"`
	Submitter     string     `json:"submitter"`
	Authors       string     `json:"authors"`
	AuthorsParsed [][]string `json:"authors_parsed"`
	Title         string     `json:"title"`
	Comments      string     `json:"comments"`
	JournalRef    string     `json:"journal-ref"`
	DOI           string     `json:"doi"`
	Categories    string     `json:"categories"`
	License       string     `json:"license"`
	Abstract      string     `json:"abstract"`
	Versions      []struct {
		Version string `json:"version"`
		Created string `json:"created"`
	} `json:"versions"`
	UpdateDate string `json:"update_date"`

	// Hugging Face Daily Papers.
	Published   string `json:"published"`
	DailyDate   string `json:"daily_date"`
	Upvotes     int    `json:"upvotes"`
	UpvotesAt   string `json:"upvotes_at"`
	GithubRepo  string `json:"github_repo"`
	ProjectPage string `json:"project_page"`
}

type jsonLines struct {
	r      *bufio.Reader
	buf    []byte
	line   int
	offset int64
}

func newJSONLines(r io.Reader) *jsonLines {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, peekSize)
	}
	return &jsonLines{r: br}
}

// readLine returns the next line without its newline. A final line without
// a newline is returned with a nil error; a read error other than io.EOF
// (a truncated gzip stream) is returned, and the partial line is dropped
// because it is not a whole record.
func (j *jsonLines) readLine() ([]byte, error) {
	j.buf = j.buf[:0]
	for {
		chunk, err := j.r.ReadSlice('\n')
		j.buf = append(j.buf, chunk...)
		switch err {
		case nil:
			return j.buf, nil
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			if len(j.buf) == 0 {
				return nil, io.EOF
			}
			return j.buf, nil
		default:
			return nil, err
		}
	}
}

func (j *jsonLines) next() (Record, error) {
	for {
		start := j.offset
		b, err := j.readLine()
		if err == io.EOF {
			return Record{}, io.EOF
		}
		j.line++
		if err != nil {
			return Record{}, fmt.Errorf("line %d (byte %d): %w", j.line, start, err)
		}
		j.offset += int64(len(b))
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			continue // blank lines separate nothing
		}
		rec := Record{Line: j.line, Offset: start}
		var l snapshotLine
		if err := json.Unmarshal(b, &l); err != nil {
			rec.Err = fmt.Errorf("malformed JSON: %w", err)
			return rec, nil
		}
		rec.Paper, rec.Err = l.paper()
		return rec, nil
	}
}

func (l *snapshotLine) paper() (paper.Paper, error) {
	p := paper.Paper{
		Title:         strings.TrimSpace(l.Title),
		Abstract:      strings.TrimSpace(l.Abstract),
		Categories:    strings.Fields(l.Categories),
		Submitter:     strings.TrimSpace(l.Submitter),
		Comments:      strings.TrimSpace(l.Comments),
		JournalRef:    strings.TrimSpace(l.JournalRef),
		DOI:           strings.TrimSpace(l.DOI),
		License:       strings.TrimSpace(l.License),
		SourceUpvotes: l.Upvotes,
		ProjectPage:   strings.TrimSpace(l.ProjectPage),
	}
	if l.ID == "" {
		return p, fmt.Errorf("%w: missing id", paper.ErrInvalid)
	}
	var err error
	if p.ID, p.Version, err = paper.ParseID(l.ID); err != nil {
		return p, err
	}
	if len(l.AuthorsParsed) > 0 {
		for _, a := range l.AuthorsParsed {
			var parts [3]string
			copy(parts[:], a)
			p.Authors = append(p.Authors, joinName(parts[0], parts[1], parts[2]))
		}
	} else {
		p.Authors = SplitAuthors(l.Authors)
	}
	for _, v := range l.Versions {
		n, err := versionNumber(v.Version)
		if err != nil {
			return p, fmt.Errorf("paper %s: %w", p.ID, err)
		}
		created, err := parseDate(v.Created)
		if err != nil {
			return p, fmt.Errorf("paper %s: version %s: %w", p.ID, v.Version, err)
		}
		p.Versions = append(p.Versions, paper.Version{Number: n, Created: created})
	}
	for _, d := range []struct {
		name string
		s    string
		dst  *time.Time
	}{
		{"update_date", l.UpdateDate, &p.ListingDate},
		{"published", l.Published, &p.Published},
		{"daily_date", l.DailyDate, &p.DailyDate},
		{"upvotes_at", l.UpvotesAt, &p.SourceUpvotesAt},
	} {
		if d.s == "" {
			continue
		}
		if *d.dst, err = parseDate(d.s); err != nil {
			return p, fmt.Errorf("paper %s: %s: %w", p.ID, d.name, err)
		}
	}
	if repo := strings.TrimSpace(l.GithubRepo); repo != "" {
		p.CodeURLs = []string{repo}
	}
	return p, nil
}

// versionNumber reads arXiv's "v2".
func versionNumber(s string) (int, error) {
	var n int
	if _, err := fmt.Sscanf(s, "v%d", &n); err != nil || n < 1 || fmt.Sprintf("v%d", n) != s {
		return 0, fmt.Errorf("%w: version %q (want v1, v2, ...)", paper.ErrInvalid, s)
	}
	return n, nil
}

// dateLayouts are the date forms arXiv and Hugging Face write.
var dateLayouts = []string{
	"2006-01-02",
	time.RFC3339Nano,
	"Mon, 2 Jan 2006 15:04:05 MST",   // snapshot versions, arXivRaw
	"Mon, 2 Jan 2006 15:04:05 -0700", // the same with a numeric zone
	"2006-01-02T15:04:05",            // no zone: UTC
}

// parseDate reads a date in any of dateLayouts, in UTC.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: date %q", paper.ErrInvalid, s)
}

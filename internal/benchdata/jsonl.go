package benchdata

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
)

// snapshotLine is a paper in the layout of arXiv's metadata snapshot (the
// Kaggle arxiv-metadata-oai-snapshot.json), plus the Daily Papers fields of
// the shared data, so that the real importer reads generated sets.
type snapshotLine struct {
	ID         string            `json:"id"`
	Submitter  string            `json:"submitter,omitempty"`
	Authors    string            `json:"authors"`
	Title      string            `json:"title"`
	Comments   string            `json:"comments,omitempty"`
	JournalRef string            `json:"journal-ref,omitempty"`
	DOI        string            `json:"doi,omitempty"`
	Categories string            `json:"categories,omitempty"`
	License    string            `json:"license,omitempty"`
	Abstract   string            `json:"abstract"`
	Versions   []snapshotVersion `json:"versions,omitempty"`
	UpdateDate string            `json:"update_date,omitempty"`

	Published  string `json:"published,omitempty"`
	DailyDate  string `json:"daily_date,omitempty"`
	Upvotes    int    `json:"upvotes,omitempty"`
	UpvotesAt  string `json:"upvotes_at,omitempty"`
	GithubRepo string `json:"github_repo,omitempty"`
}

type snapshotVersion struct {
	Version string `json:"version"`
	Created string `json:"created"`
}

// snapshotTime is the snapshot's version date: "Mon, 2 Apr 2007 19:18:42 GMT".
const snapshotTime = "Mon, 2 Jan 2006 15:04:05 GMT"

// JSONLWriter writes papers as arXiv snapshot JSON lines.
type JSONLWriter struct {
	enc *json.Encoder
}

// NewJSONLWriter writes to w; buffer w for speed.
func NewJSONLWriter(w io.Writer) *JSONLWriter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &JSONLWriter{enc: enc}
}

// Write writes one paper as one line.
func (j *JSONLWriter) Write(p *paper.Paper) error {
	l := snapshotLine{
		ID:         p.ID,
		Submitter:  p.Submitter,
		Authors:    strings.Join(p.Authors, ", "),
		Title:      p.Title,
		Comments:   p.Comments,
		JournalRef: p.JournalRef,
		DOI:        p.DOI,
		Categories: strings.Join(p.Categories, " "),
		License:    p.License,
		Abstract:   p.Abstract,
		Upvotes:    p.SourceUpvotes,
	}
	for _, v := range p.Versions {
		l.Versions = append(l.Versions, snapshotVersion{Version: fmt.Sprintf("v%d", v.Number), Created: v.Created.UTC().Format(snapshotTime)})
	}
	if !p.ListingDate.IsZero() {
		l.UpdateDate = p.ListingDate.UTC().Format("2006-01-02")
	}
	if len(p.Versions) == 0 && !p.Published.IsZero() {
		l.Published = p.Published.UTC().Format(time.RFC3339)
	}
	if !p.DailyDate.IsZero() {
		l.DailyDate = p.DailyDate.UTC().Format("2006-01-02")
	}
	if !p.SourceUpvotesAt.IsZero() {
		l.UpvotesAt = p.SourceUpvotesAt.UTC().Format(time.RFC3339)
	}
	if len(p.CodeURLs) > 0 {
		l.GithubRepo = p.CodeURLs[0]
	}
	if err := j.enc.Encode(&l); err != nil {
		return fmt.Errorf("write %s: %w", p.ID, err)
	}
	return nil
}

// WriteFile writes n generated papers (seed as for Generate) to path as arXiv
// snapshot JSON lines, gzipped when path ends in ".gz".
func WriteFile(path string, src *Source, n int, seed int64) error {
	return WriteJSONLFile(path, func(emit func(paper.Paper) error) error {
		return Generate(src, n, seed, emit)
	})
}

// WriteJSONLFile writes the papers that each emits to path as arXiv
// snapshot JSON lines, gzipped when path ends in ".gz". On an error the
// partial file is removed.
func WriteJSONLFile(path string, each func(emit func(paper.Paper) error) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("benchdata: %w", err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	var w io.Writer = bw
	var gz *gzip.Writer
	if strings.HasSuffix(path, ".gz") {
		gz, _ = gzip.NewWriterLevel(bw, gzip.BestSpeed)
		w = gz
	}
	jw := NewJSONLWriter(w)
	err = each(func(p paper.Paper) error { return jw.Write(&p) })
	if err == nil && gz != nil {
		err = gz.Close()
	}
	if err == nil {
		err = bw.Flush()
	}
	if e := f.Close(); err == nil {
		err = e
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("benchdata: write %s: %w", path, err)
	}
	return nil
}

// Package ingest imports arXiv metadata files into a paper store: any format
// package arxiv reads, plain or gzip, streamed and stored in batches, each
// batch one all-or-none transaction, so an interrupted or damaged import
// leaves whole papers only. The CLI, and later a scheduled harvester, use it.
package ingest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/paperboy/paperboy/internal/arxiv"
	"github.com/paperboy/paperboy/internal/paper"
)

// Store is what the importer needs of a paper.Store.
type Store interface {
	// UpsertPapers stores papers in one transaction, all or none, merging
	// each with the stored one by paper.Merge.
	UpsertPapers(ctx context.Context, papers []paper.Paper) (paper.UpsertResult, error)
}

// Defaults for Importer.
const (
	DefaultBatchSize  = 1000
	DefaultMaxRejects = 100
)

// Importer imports metadata documents into Store. Set the fields before use;
// one Importer may import many files, one after the other.
type Importer struct {
	Store Store
	// BatchSize is the number of papers per transaction (DefaultBatchSize when 0).
	BatchSize int
	// MaxRejects is how many rejected records a Report lists (all are
	// counted); DefaultMaxRejects when 0, none when negative.
	MaxRejects int
	// Progress, when set, receives a progress bar while a file is read (only
	// if it is a terminal) and a summary line after each file.
	Progress io.Writer
	// OnProgress, when set, is called after every batch is stored.
	OnProgress func(Progress)
	// OnStored, when set, is called after each committed batch with its
	// papers as sent to the store (one per id, Normalized). The search index
	// uses it to embed new papers. It must not keep the slice.
	OnStored func(ctx context.Context, papers []paper.Paper)
	// Logger receives debug lines per batch; slog.Default() when nil.
	Logger *slog.Logger
}

// Progress is how far an import has come.
type Progress struct {
	Name    string
	Records int   // records read
	Stored  int   // papers in committed batches
	Bytes   int64 // bytes of the (possibly compressed) input read
	Size    int64 // the input's size, -1 when unknown
	Elapsed time.Duration
}

// Reject is a record that could not be imported.
type Reject struct {
	File   string
	Line   int // line where the record starts
	Record int // record number in the file, from 1
	ID     string
	Reason string
}

func (r Reject) String() string { return fmt.Sprintf("%s:%d: %s", r.File, r.Line, r.Reason) }

// Report says what an import did. Records = New + Updated + Unchanged +
// Merged + Rejected + Deleted.
type Report struct {
	File      string
	Format    arxiv.Format
	Records   int // records read
	New       int // papers not stored before
	Updated   int // stored papers that changed
	Unchanged int // stored papers this file had nothing new for
	// Merged counts records for a paper that an earlier record of the same
	// batch already had: they were merged into it before storing.
	Merged   int
	Rejected int      // unusable records, each in Rejects (up to MaxRejects)
	Rejects  []Reject // the first rejected records
	// Deleted counts OAI-PMH deleted records: reported, not imported.
	Deleted    int
	DeletedIDs []string // the first deleted ids (up to MaxRejects)
	// ResumptionToken is the OAI-PMH token for the next page ("" when the
	// list is complete or the file is not OAI-PMH).
	ResumptionToken string
	Bytes           int64 // input bytes read
	Duration        time.Duration
}

// String is the one-line summary:
// "imported hf-daily-papers.jsonl: 9877 records, 9877 new, 0 updated, 0 unchanged, 0 rejected in 1.2s (8200 papers/s)".
func (r Report) String() string {
	var b strings.Builder
	name := filepath.Base(r.File)
	if r.File == "" {
		name = "input"
	}
	fmt.Fprintf(&b, "imported %s: %d records, %d new, %d updated, %d unchanged", name, r.Records, r.New, r.Updated, r.Unchanged)
	if r.Merged > 0 {
		fmt.Fprintf(&b, ", %d merged", r.Merged)
	}
	fmt.Fprintf(&b, ", %d rejected", r.Rejected)
	if r.Deleted > 0 {
		fmt.Fprintf(&b, ", %d deleted", r.Deleted)
	}
	d := r.Duration.Round(time.Millisecond)
	if r.Duration < 10*time.Millisecond {
		d = r.Duration.Round(time.Microsecond)
	}
	fmt.Fprintf(&b, " in %s", d)
	if r.Duration > 0 {
		fmt.Fprintf(&b, " (%.0f papers/s)", float64(r.Records)/r.Duration.Seconds())
	}
	return b.String()
}

// Add sums other into r (for a total over several files).
func (r *Report) Add(o Report) {
	r.Records += o.Records
	r.New += o.New
	r.Updated += o.Updated
	r.Unchanged += o.Unchanged
	r.Merged += o.Merged
	r.Rejected += o.Rejected
	r.Rejects = append(r.Rejects, o.Rejects...)
	r.Deleted += o.Deleted
	r.DeletedIDs = append(r.DeletedIDs, o.DeletedIDs...)
	r.Bytes += o.Bytes
	r.Duration += o.Duration
}

// ImportFile imports the file at path (plain or gzip, any arxiv format).
func (im *Importer) ImportFile(ctx context.Context, path string) (Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return Report{File: path}, fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	size := int64(-1)
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	return im.importReader(ctx, path, f, size)
}

// ImportReader imports the document read from r; name says where it came
// from in reports and errors (a file name, a URL).
//
// Errors: a record that cannot be imported is rejected (counted and listed
// in the Report) and the import goes on. A document that breaks (truncated
// gzip, XML syntax, an arXiv or OAI-PMH error answer) ends the import with an
// error naming the place: the records before it are stored, as whole papers.
// A cancelled ctx ends it too; batches committed before stay, the batch in
// progress is not stored. The Report is valid in every case.
func (im *Importer) ImportReader(ctx context.Context, name string, r io.Reader) (Report, error) {
	return im.importReader(ctx, name, r, -1)
}

func (im *Importer) importReader(ctx context.Context, name string, r io.Reader, size int64) (rep Report, err error) {
	start := time.Now()
	rep.File = name
	if im.Store == nil {
		return rep, fmt.Errorf("import %s: no store", name)
	}
	cr := &countingReader{r: r}
	bar := newBar(im.Progress, name, size)
	defer func() {
		rep.Bytes = cr.n.Load()
		rep.Duration = time.Since(start)
		bar.finish()
		if im.Progress != nil && err == nil {
			fmt.Fprintln(im.Progress, rep.String())
		}
	}()

	rd, err := arxiv.NewReader(cr)
	if err != nil {
		return rep, fmt.Errorf("import %s: %w", name, err)
	}
	defer rd.Close()
	rep.Format = rd.Format()

	log := im.Logger
	if log == nil {
		log = slog.Default()
	}
	// Parsing and storing overlap: one goroutine reads batches while this
	// one stores the previous batch. Each batch is still one transaction.
	storeCtx := ctx // not the derived one: cancellable contexts cost the driver a goroutine per statement
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p := &producer{rd: rd, name: name, batchSize: im.BatchSize, maxRejects: im.MaxRejects, out: make(chan batch, 1)}
	if p.batchSize <= 0 {
		p.batchSize = DefaultBatchSize
	}
	if p.maxRejects == 0 {
		p.maxRejects = DefaultMaxRejects
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.run(ctx)
	}()
	// Whatever happens, wait for the reader before returning: the caller
	// closes the input after us.
	defer func() {
		cancel()
		for range p.out {
		}
		<-done
		p.stats.addTo(&rep)
	}()

	stored := 0
	for b := range p.out {
		if len(b.papers) > 0 {
			if err := ctx.Err(); err != nil {
				return rep, fmt.Errorf("import %s: stopped after %d papers stored: %w", name, stored, err)
			}
			res, err := im.Store.UpsertPapers(storeCtx, b.papers)
			if err != nil {
				return rep, fmt.Errorf("import %s: storing the %d papers from line %d on: %w", name, len(b.papers), b.firstLine, err)
			}
			rep.New += res.New
			rep.Updated += res.Updated
			rep.Unchanged += res.Unchanged
			stored += len(b.papers)
			log.Debug("import batch stored", "file", name, "papers", len(b.papers), "new", res.New, "updated", res.Updated, "from_line", b.firstLine)
			if im.OnStored != nil {
				im.OnStored(storeCtx, b.papers)
			}
			pr := Progress{Name: name, Records: b.records, Stored: stored, Bytes: cr.n.Load(), Size: size, Elapsed: time.Since(start)}
			bar.update(pr)
			if im.OnProgress != nil {
				im.OnProgress(pr)
			}
		}
		if b.err != nil {
			// A broken document: the whole records before the damage are stored.
			return rep, fmt.Errorf("import %s: %w (the %d records before it were read)", name, b.err, b.records)
		}
	}
	if err := ctx.Err(); err != nil {
		return rep, fmt.Errorf("import %s: stopped after %d papers stored: %w", name, stored, err)
	}
	rep.ResumptionToken = rd.ResumptionToken()
	return rep, nil
}

// batch is what the producer hands to the storing loop: papers, one per id,
// and, with the last batch, the document's error if it broke.
type batch struct {
	papers    []paper.Paper
	firstLine int
	records   int // records read so far
	err       error
}

// parseStats are the counts only the reading side knows.
type parseStats struct {
	records, merged, rejected, deleted int
	rejects                            []Reject
	deletedIDs                         []string
}

func (s *parseStats) addTo(r *Report) {
	r.Records = s.records
	r.Merged = s.merged
	r.Rejected = s.rejected
	r.Rejects = s.rejects
	r.Deleted = s.deleted
	r.DeletedIDs = s.deletedIDs
}

type producer struct {
	rd         *arxiv.Reader
	name       string
	batchSize  int
	maxRejects int
	out        chan batch
	stats      parseStats // read by the consumer only after run returns
}

// run reads records into batches until the document ends, breaks, or ctx
// is cancelled, and closes out.
func (p *producer) run(ctx context.Context) {
	defer close(p.out)
	b := batch{papers: make([]paper.Paper, 0, p.batchSize)}
	index := make(map[string]int, p.batchSize)
	send := func() bool {
		b.records = p.stats.records
		select {
		case p.out <- b:
		case <-ctx.Done():
			return false
		}
		b = batch{papers: make([]paper.Paper, 0, p.batchSize)}
		clear(index)
		return true
	}
	for {
		if p.stats.records%256 == 0 && ctx.Err() != nil {
			return
		}
		rec, err := p.rd.Next()
		if err == io.EOF {
			send()
			return
		}
		if err != nil {
			b.err = err
			send()
			return
		}
		p.stats.records++
		switch {
		case rec.Err != nil:
			p.stats.rejected++
			if len(p.stats.rejects) < p.maxRejects {
				reason := rec.Err
				if re, ok := reason.(*arxiv.RecordError); ok {
					reason = re.Err // the Reject says where itself
				}
				p.stats.rejects = append(p.stats.rejects, Reject{File: p.name, Record: rec.N, Line: rec.Line, ID: rec.Paper.ID, Reason: reason.Error()})
			}
		case rec.Deleted:
			p.stats.deleted++
			if len(p.stats.deletedIDs) < p.maxRejects {
				p.stats.deletedIDs = append(p.stats.deletedIDs, rec.Paper.ID)
			}
		default:
			if i, ok := index[rec.Paper.ID]; ok {
				// The same paper twice in a batch: merge here, so the store
				// sees it once and the counts stay per paper.
				b.papers[i], _ = paper.Merge(&b.papers[i], rec.Paper)
				p.stats.merged++
				continue
			}
			if len(b.papers) == 0 {
				b.firstLine = rec.Line
			}
			index[rec.Paper.ID] = len(b.papers)
			b.papers = append(b.papers, rec.Paper)
			if len(b.papers) >= p.batchSize && !send() {
				return
			}
		}
	}
}

// countingReader counts the bytes read, for progress.
type countingReader struct {
	r io.Reader
	n atomic.Int64 // read by the storing goroutine
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

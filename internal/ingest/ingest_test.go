package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/paperboy/paperboy/internal/benchdata"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paperboy/paperboy/internal/arxiv"
	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/sqlite"
)

func openStore(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newStore(t testing.TB) (*sqlite.Store, string) {
	path := filepath.Join(t.TempDir(), "paperboy.db")
	return openStore(t, path), path
}

func count(t *testing.T, s paper.Store) int {
	t.Helper()
	n, err := s.CountPapers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportFormats(t *testing.T) {
	for _, test := range []struct {
		file              string
		format            arxiv.Format
		records, new      int
		rejected, deleted int
		token             string
	}{
		{"sample.jsonl.gz", arxiv.FormatJSONLines, 93, 93, 0, 0, ""},
		{"broken.jsonl", arxiv.FormatJSONLines, 12, 7, 5, 0, ""},
		{"api-query.atom", arxiv.FormatAtom, 3, 3, 0, 0, ""},
		{"oai-listrecords-arxivraw.xml", arxiv.FormatOAI, 4, 3, 0, 1, "6960524|1001"},
		{"oai-listrecords-arxiv.xml", arxiv.FormatOAI, 3, 3, 0, 0, ""},
		{"duplicates.jsonl", arxiv.FormatJSONLines, 3, 2, 0, 0, ""},
	} {
		t.Run(test.file, func(t *testing.T) {
			s, _ := newStore(t)
			im := &Importer{Store: s}
			rep, err := im.ImportFile(context.Background(), filepath.Join("testdata", test.file))
			if err != nil {
				t.Fatal(err)
			}
			if rep.Format != test.format || rep.Records != test.records || rep.New != test.new ||
				rep.Rejected != test.rejected || rep.Deleted != test.deleted || rep.ResumptionToken != test.token {
				t.Errorf("report %+v", rep)
			}
			if sum := rep.New + rep.Updated + rep.Unchanged + rep.Merged + rep.Rejected + rep.Deleted; sum != rep.Records {
				t.Errorf("counts add up to %d, not %d records", sum, rep.Records)
			}
			if n := count(t, s); n != test.new {
				t.Errorf("%d papers stored, want %d", n, test.new)
			}
		})
	}
}

func TestImportBrokenLines(t *testing.T) {
	s, _ := newStore(t)
	im := &Importer{Store: s, MaxRejects: 3}
	rep, err := im.ImportFile(context.Background(), "testdata/broken.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	// All five counted, the first three listed, each naming file and line.
	for _, r := range rep.Rejects {
		t.Log(r)
	}
	if rep.Rejected != 5 || len(rep.Rejects) != 3 {
		t.Fatalf("rejected %d, listed %d", rep.Rejected, len(rep.Rejects))
	}
	var lines []int
	for _, r := range rep.Rejects {
		lines = append(lines, r.Line)
		if !strings.HasPrefix(r.String(), fmt.Sprintf("testdata/broken.jsonl:%d: ", r.Line)) {
			t.Errorf("reject %q", r)
		}
	}
	if !slices.Equal(lines, []int{4, 6, 8}) {
		t.Errorf("rejected lines %v, want 4 6 8", lines)
	}
	if !strings.Contains(rep.Rejects[0].Reason, "malformed JSON") || !strings.Contains(rep.Rejects[1].Reason, "2313.00001") {
		t.Errorf("reasons: %q, %q", rep.Rejects[0].Reason, rep.Rejects[1].Reason)
	}
	// The lines after the broken ones are in.
	for _, id := range []string{"2308.12856", "2309.02338", "2309.10152"} {
		if _, err := s.Paper(context.Background(), id); err != nil {
			t.Errorf("%s: %v", id, err)
		}
	}
}

func TestImportTwiceChangesNothing(t *testing.T) {
	s, _ := newStore(t)
	im := &Importer{Store: s, BatchSize: 40}
	for _, f := range []string{"sample.jsonl.gz", "api-query.atom", "oai-listrecords-arxivraw.xml", "duplicates.jsonl"} {
		first, err := im.ImportFile(context.Background(), filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		again, err := im.ImportFile(context.Background(), filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		if again.New != 0 || again.Updated != 0 || again.Unchanged != first.New+first.Updated+first.Unchanged {
			t.Errorf("%s imported again: %s (first: %s)", f, again, first)
		}
	}
}

func TestImportDuplicatesInOneBatch(t *testing.T) {
	s, _ := newStore(t)
	im := &Importer{Store: s}
	rep, err := im.ImportFile(context.Background(), "testdata/duplicates.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if rep.New != 2 || rep.Merged != 1 || rep.Updated != 0 {
		t.Errorf("report %s", rep)
	}
	p, err := s.Paper(context.Background(), "2405.15738")
	if err != nil {
		t.Fatal(err)
	}
	// Both lines' facts: Daily Papers fields from line 1, categories from line 2.
	if p.SourceUpvotes != 32 || p.DailyDate.IsZero() || !slices.Equal(p.Categories, []string{"cs.CV"}) {
		t.Errorf("merged paper: upvotes %d daily %v categories %q", p.SourceUpvotes, p.DailyDate, p.Categories)
	}
}

// TestOlderVersionNeverOverwrites imports 2405.15738 at v2 from the API and
// then an OAI-PMH arXivRaw record that knows only v1.
func TestOlderVersionNeverOverwrites(t *testing.T) {
	ctx := context.Background()
	for _, order := range [][]string{
		{"api-query.atom", "oai-getrecord-arxivraw.xml"},
		{"oai-getrecord-arxivraw.xml", "api-query.atom"},
	} {
		s, _ := newStore(t)
		im := &Importer{Store: s}
		var reps []Report
		for _, f := range order {
			rep, err := im.ImportFile(ctx, filepath.Join("testdata", f))
			if err != nil {
				t.Fatal(err)
			}
			reps = append(reps, rep)
		}
		p, err := s.Paper(ctx, "2405.15738")
		if err != nil {
			t.Fatal(err)
		}
		var versions []int
		for _, v := range p.Versions {
			versions = append(versions, v.Number)
		}
		if p.Version != 2 || !slices.Equal(versions, []int{1, 2}) || p.Published.Format("2006-01-02T15:04:05Z") != "2024-05-24T17:34:18Z" {
			t.Errorf("%v: version %d, history %v, published %v", order, p.Version, versions, p.Published)
		}
		// The licence is known only from the v1 record; the v2 facts win otherwise.
		if !slices.Equal(p.Categories, []string{"cs.CV", "cs.AI"}) {
			t.Errorf("%v: categories %q", order, p.Categories)
		}
		if order[0] == "api-query.atom" && reps[1].Unchanged != 1 {
			t.Errorf("the older record changed the paper: %s", reps[1])
		}
	}
}

func TestImportTruncatedGzip(t *testing.T) {
	ctx := context.Background()
	s, path := newStore(t)
	var committed []paper.Paper
	im := &Importer{Store: s, BatchSize: 10, OnStored: func(ctx context.Context, ps []paper.Paper) {
		committed = append(committed, ps...)
	}}
	rep, err := im.ImportFile(ctx, "testdata/truncated.jsonl.gz")
	if !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), "testdata/truncated.jsonl.gz") || !strings.Contains(err.Error(), "line ") {
		t.Fatalf("error %v: want the file, the line and unexpected EOF", err)
	}
	t.Log(err)
	if rep.Records < 20 || rep.New != rep.Records || len(committed) != rep.Records {
		t.Errorf("report %s, %d committed: the whole records before the damage are stored", rep, len(committed))
	}
	s.Close()

	// The database opens and holds exactly those papers, each whole.
	s = openStore(t, path)
	if n := count(t, s); n != len(committed) {
		t.Errorf("%d papers after reopening, want %d", n, len(committed))
	}
	for _, want := range committed {
		got, err := s.Paper(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != want.Title || got.Abstract != want.Abstract || !slices.Equal(got.Authors, want.Authors) {
			t.Errorf("%s stored differently from the record", want.ID)
		}
	}
}

// TestImportCancelled stands for killing an import midway: the batches
// committed before stay, the one in progress leaves nothing.
func TestImportCancelled(t *testing.T) {
	s, path := newStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	batches := 0
	im := &Importer{Store: s, BatchSize: 10, OnStored: func(context.Context, []paper.Paper) {
		batches++
		if batches == 2 {
			cancel()
		}
	}}
	rep, err := im.ImportFile(ctx, "testdata/sample.jsonl.gz")
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "sample.jsonl.gz") {
		t.Fatalf("error %v", err)
	}
	if rep.New != 20 {
		t.Errorf("report %s: want the two committed batches", rep)
	}
	s.Close()
	s = openStore(t, path)
	if n := count(t, s); n != 20 {
		t.Errorf("%d papers after reopening, want 20", n)
	}
	// Resuming is importing the file again: nothing is lost or doubled.
	rep, err = (&Importer{Store: s}).ImportFile(context.Background(), "testdata/sample.jsonl.gz")
	if err != nil || rep.New != 73 || rep.Unchanged != 20 || count(t, s) != 93 {
		t.Errorf("resumed: %s, %v", rep, err)
	}
}

func TestImportDocumentErrors(t *testing.T) {
	s, _ := newStore(t)
	im := &Importer{Store: s}
	for _, test := range []struct {
		name, input string
		want        error
	}{
		{"oai-error.xml", "", paper.ErrInvalid},
		{"empty.jsonl", " \n", arxiv.ErrUnknownFormat},
		{"listing.csv", "id,title\n2309.11056,A Verified Cost Analysis\n", arxiv.ErrUnknownFormat},
	} {
		var err error
		if test.input == "" {
			_, err = im.ImportFile(context.Background(), filepath.Join("testdata", test.name))
		} else {
			_, err = im.ImportReader(context.Background(), test.name, strings.NewReader(test.input))
		}
		if !errors.Is(err, test.want) || !strings.Contains(err.Error(), test.name) {
			t.Errorf("%s: %v", test.name, err)
		}
	}
	if _, err := im.ImportFile(context.Background(), "testdata/no-such-file.jsonl"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// failingStore fails its second upsert, as a full disk would.
type failingStore struct {
	Store
	calls int
}

func (f *failingStore) UpsertPapers(ctx context.Context, ps []paper.Paper) (paper.UpsertResult, error) {
	f.calls++
	if f.calls == 2 {
		return paper.UpsertResult{}, errors.New("disk I/O error")
	}
	return f.Store.UpsertPapers(ctx, ps)
}

func TestImportStoreFailure(t *testing.T) {
	s, _ := newStore(t)
	im := &Importer{Store: &failingStore{Store: s}, BatchSize: 10}
	rep, err := im.ImportFile(context.Background(), "testdata/sample.jsonl.gz")
	if err == nil || !strings.Contains(err.Error(), "disk I/O error") || !strings.Contains(err.Error(), "from line 11") {
		t.Errorf("error %v: want the store's error and where the batch began", err)
	}
	if rep.New != 10 || count(t, s) != 10 {
		t.Errorf("report %s, %d stored", rep, count(t, s))
	}
}

func TestImportProgress(t *testing.T) {
	s, _ := newStore(t)
	var out bytes.Buffer
	var seen []Progress
	im := &Importer{Store: s, BatchSize: 30, Progress: &out, OnProgress: func(p Progress) { seen = append(seen, p) }}
	rep, err := im.ImportFile(context.Background(), "testdata/sample.jsonl.gz")
	if err != nil {
		t.Fatal(err)
	}
	// Not a terminal: no bar, only the summary.
	want := "imported sample.jsonl.gz: 93 records, 93 new, 0 updated, 0 unchanged, 0 rejected in "
	if !strings.HasPrefix(out.String(), want) || !strings.HasSuffix(out.String(), "papers/s)\n") || strings.Count(out.String(), "\n") != 1 {
		t.Errorf("output %q", out.String())
	}
	fi, _ := os.Stat("testdata/sample.jsonl.gz")
	if len(seen) != 4 || seen[3].Stored != 93 || seen[3].Size != fi.Size() || seen[3].Bytes != fi.Size() || rep.Bytes != fi.Size() {
		t.Errorf("progress %+v, report bytes %d", seen, rep.Bytes)
	}
}

// sharedData is ../shared/data beside the repository (CI has it there too);
// without it the test skips.
func sharedData(t testing.TB) string {
	t.Helper()
	d, err := benchdata.FindDataDir()
	if err != nil {
		t.Skip(err)
	}
	return d
}

func TestImportRealFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 14k real papers")
	}
	data := sharedData(t)
	s, _ := newStore(t)
	im := &Importer{Store: s}
	total := 0
	for _, test := range []struct {
		file string
		n    int
	}{
		{"arxiv-listing-2023-09-21.jsonl", 824},
		{"arxiv-math-2025-05.jsonl", 3397},
		{"hf-daily-papers.jsonl", 9877},
	} {
		rep, err := im.ImportFile(context.Background(), filepath.Join(data, test.file))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Records != test.n || rep.New != test.n || rep.Rejected != 0 {
			t.Errorf("%s", rep)
		}
		total += test.n
		t.Log(rep)
	}
	if n := count(t, s); n != total {
		t.Errorf("%d papers stored, want %d", n, total)
	}
	rep, err := im.ImportFile(context.Background(), filepath.Join(data, "hf-daily-papers.jsonl"))
	if err != nil || rep.New != 0 || rep.Updated != 0 || rep.Unchanged != 9877 {
		t.Errorf("imported again: %s, %v", rep, err)
	}
}

// discard stores nothing: every paper is new.
type discard struct{}

func (discard) UpsertPapers(_ context.Context, ps []paper.Paper) (paper.UpsertResult, error) {
	return paper.UpsertResult{New: len(ps)}, nil
}

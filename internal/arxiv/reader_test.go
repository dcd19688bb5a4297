package arxiv

import (
	"bufio"
	"errors"
	"github.com/paperboy/paperboy/internal/benchdata"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
)

func openTestdata(t *testing.T, name string) *Reader {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	r, err := NewReader(f)
	if err != nil {
		t.Fatalf("NewReader(%s): %v", name, err)
	}
	return r
}

// readAll returns the records and the document error (nil at a clean end).
func readAll(t *testing.T, r *Reader) ([]Record, error) {
	t.Helper()
	var recs []Record
	for rec, err := range r.All() {
		if err != nil {
			return recs, err
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

func byID(recs []Record) map[string]paper.Paper {
	m := make(map[string]paper.Paper)
	for _, r := range recs {
		m[r.Paper.ID] = r.Paper
	}
	return m
}

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func TestDetect(t *testing.T) {
	for _, test := range []struct {
		file string
		want Format
	}{
		{"api-query.atom", FormatAtom},
		{"api-error.atom", FormatAtom},
		{"oai-listrecords-arxivraw.xml", FormatOAI},
		{"oai-listrecords-arxiv.xml", FormatOAI},
		{"oai-error.xml", FormatOAI},
		{"hf-daily-papers.jsonl", FormatJSONLines},
		{"broken.jsonl", FormatJSONLines},
		{"sample.jsonl.gz", FormatJSONLines},
	} {
		r := openTestdata(t, test.file)
		if got := r.Format(); got != test.want {
			t.Errorf("%s: format %q, want %q", test.file, got, test.want)
		}
	}
	for _, bad := range []string{"", "   \n", "id,title\n1,x\n", "<html><body>Rate limited</body></html>", "<?xml version=\"1.0\"?>\n<!-- c -->\n<rss/>", "\x1f\x8b\x08garbage"} {
		if _, err := NewReader(strings.NewReader(bad)); err == nil {
			t.Errorf("NewReader(%q): no error", bad)
		}
	}
	// A byte order mark and leading blank lines do not hide the format.
	f, err := Detect(bufio.NewReader(strings.NewReader("\xef\xbb\xbf\n\n{\"id\":\"2310.06110\"}\n")))
	if err != nil || f != FormatJSONLines {
		t.Errorf("Detect with BOM = %q, %v", f, err)
	}
}

func TestReadAtom(t *testing.T) {
	r := openTestdata(t, "api-query.atom")
	recs, err := readAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || r.TotalResults() != 3 {
		t.Fatalf("%d records, totalResults %d; want 3, 3", len(recs), r.TotalResults())
	}
	for _, rec := range recs {
		if rec.Err != nil {
			t.Errorf("record %d: %v", rec.N, rec.Err)
		}
	}
	if recs[0].Line != 11 {
		t.Errorf("first entry at line %d, want 11", recs[0].Line)
	}
	papers := byID(recs)

	conv := papers["2405.15738"]
	wantVersions := []paper.Version{{Number: 1, Created: date("2024-05-24T17:34:18Z")}, {Number: 2, Created: date("2024-05-27T08:10:52Z")}}
	if conv.Version != 2 || !slices.Equal(conv.Versions, wantVersions) {
		t.Errorf("2405.15738 version %d %v, want 2 %v", conv.Version, conv.Versions, wantVersions)
	}
	if !conv.Published.Equal(date("2024-05-24T17:34:18Z")) || !conv.Updated.Equal(date("2024-05-27T08:10:52Z")) {
		t.Errorf("2405.15738 published %v updated %v", conv.Published, conv.Updated)
	}
	if !slices.Equal(conv.Categories, []string{"cs.CV", "cs.AI"}) {
		t.Errorf("categories %q: the ACM class must go, primary first", conv.Categories)
	}
	if len(conv.Authors) != 9 || conv.Authors[0] != "Chunjiang Ge" || conv.Authors[8] != "Bo Zheng" {
		t.Errorf("authors %q", conv.Authors)
	}
	if !slices.Contains(conv.CodeURLs, "https://github.com/alibaba/conv-llava") {
		t.Errorf("code URLs %q: the abstract names the repository", conv.CodeURLs)
	}
	if !strings.HasPrefix(conv.Abstract, "High-resolution Large Multimodal") || !strings.HasSuffix(conv.Abstract, "conv-llava.") {
		t.Errorf("abstract not trimmed: %q", conv.Abstract)
	}

	rb := papers["2309.11056"]
	if !slices.Equal(rb.Authors, []string{"Runming Li", "Harrison Grodin", "Robert Harper"}) || rb.Version != 1 {
		t.Errorf("2309.11056: authors %q (affiliations are not names) version %d", rb.Authors, rb.Version)
	}

	hep := papers["hep-ex/0307015"]
	if hep.Version != 1 || !hep.Published.Equal(date("2003-07-07T17:46:39Z")) || hep.Published.Location() != time.UTC {
		t.Errorf("hep-ex/0307015: version %d published %v (want v1, UTC)", hep.Version, hep.Published)
	}
	if hep.JournalRef != "Eur.Phys.J. C31 (2003) 17-29" || hep.Comments != "23 pages, 8 figures and 4 tables" ||
		!slices.Equal(hep.Authors, []string{"H1 Collaboration"}) || !slices.Equal(hep.Categories, []string{"hep-ex"}) {
		t.Errorf("hep-ex/0307015: %+v", hep)
	}
	if hep.Title != "Multi-Electron Production at High Transverse Momenta in ep Collisions at\n  HERA" {
		t.Errorf("title %q: kept as the source gave it", hep.Title)
	}
}

func TestReadAtomErrors(t *testing.T) {
	_, err := readAll(t, openTestdata(t, "api-error.atom"))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Message != "incorrect id format for 1234.12345" || !errors.Is(err, paper.ErrInvalid) {
		t.Errorf("error feed: %v", err)
	}

	r := openTestdata(t, "api-empty.atom")
	recs, err := readAll(t, r)
	if err != nil || len(recs) != 0 || r.TotalResults() != 0 {
		t.Errorf("empty feed: %d records, %v, total %d", len(recs), err, r.TotalResults())
	}

	// Cut in the middle of an entry: the entries before it are whole.
	b, _ := os.ReadFile("testdata/api-query.atom")
	cut := strings.Index(string(b), "hep-ex/0307015v1</id>")
	r, err = NewReader(strings.NewReader(string(b[:cut])))
	if err != nil {
		t.Fatal(err)
	}
	recs, err = readAll(t, r)
	if len(recs) != 2 || err == nil || !strings.Contains(err.Error(), "line") {
		t.Errorf("truncated feed: %d records, error %v; want 2 and an error naming the line", len(recs), err)
	}
}

func TestReadOAIArXivRaw(t *testing.T) {
	r := openTestdata(t, "oai-listrecords-arxivraw.xml")
	recs, err := readAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 {
		t.Fatalf("%d records, want 4", len(recs))
	}
	if r.ResumptionToken() != "6960524|1001" || r.MetadataPrefix() != "arXivRaw" {
		t.Errorf("token %q prefix %q", r.ResumptionToken(), r.MetadataPrefix())
	}
	del := recs[3]
	if !del.Deleted || del.Paper.ID != "2309.10986" || del.Err != nil {
		t.Errorf("deleted record: %+v", del)
	}
	for _, rec := range recs[:3] {
		if rec.Err != nil || rec.Deleted {
			t.Errorf("record %d: %v deleted=%v", rec.N, rec.Err, rec.Deleted)
		}
	}
	k := recs[2].Paper
	want := []paper.Version{{Number: 1, Created: date("2023-08-22T11:02:10Z")}, {Number: 2, Created: date("2023-09-20T09:45:01Z")}}
	if k.ID != "2308.11653" || k.Version != 2 || !slices.Equal(k.Versions, want) || !k.Published.Equal(want[0].Created) || !k.Updated.Equal(want[1].Created) {
		t.Errorf("2308.11653: id %s version %d %v published %v updated %v", k.ID, k.Version, k.Versions, k.Published, k.Updated)
	}
	if !slices.Equal(k.Authors, []string{"G. Kälbermann"}) || k.Submitter != `Gabriel K\"albermann` || !slices.Equal(k.Categories, []string{"quant-ph", "math-ph"}) {
		t.Errorf("2308.11653: authors %q submitter %q categories %q", k.Authors, k.Submitter, k.Categories)
	}
	if c := recs[0].Paper; c.License != "http://creativecommons.org/licenses/by/4.0/" || c.Version != 1 {
		t.Errorf("2405.15738: licence %q version %d", c.License, c.Version)
	}
}

func TestReadOAIArXiv(t *testing.T) {
	r := openTestdata(t, "oai-listrecords-arxiv.xml")
	recs, err := readAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || r.ResumptionToken() != "" || r.MetadataPrefix() != "arXiv" {
		t.Fatalf("%d records, token %q, prefix %q; want 3, last page, arXiv", len(recs), r.ResumptionToken(), r.MetadataPrefix())
	}
	papers := byID(recs)
	z := papers["math/9901016"]
	if !slices.Equal(z.Authors, []string{"Mike Zabrocki"}) || z.JournalRef != "Electron. J. Combinat. 6, R41 (1999), 36pp." ||
		!slices.Equal(z.Categories, []string{"math.CO"}) || z.Version != 0 || !z.Published.Equal(date("1999-01-05T00:00:00Z")) {
		t.Errorf("math/9901016: %+v", z)
	}
	if !strings.Contains(z.Abstract, `$K_{\la\mu}(q,t) = \sum_T`) {
		t.Errorf("abstract LaTeX not kept: %q", z.Abstract)
	}
	lc := papers["2505.24868"]
	if !slices.Equal(lc.Authors, []string{"Kalle Alaluusua", "Konstantin Avrachenkov", "B. R. Vinay Kumar", "Lasse Leskelä"}) {
		t.Errorf("2505.24868 authors %q", lc.Authors)
	}
	w := papers["1711.03896"]
	if !w.Published.Equal(date("2017-11-10T00:00:00Z")) || !w.Updated.Equal(date("2023-09-20T00:00:00Z")) || w.Version != 0 {
		t.Errorf("1711.03896: published %v updated %v version %d (the arXiv format names no version)", w.Published, w.Updated, w.Version)
	}
}

func TestReadOAIErrors(t *testing.T) {
	for _, test := range []struct {
		file     string
		code     string
		sentinel error
	}{
		{"oai-error.xml", "badResumptionToken", paper.ErrInvalid},
		{"oai-norecords.xml", "noRecordsMatch", paper.ErrNotFound},
	} {
		_, err := readAll(t, openTestdata(t, test.file))
		var oaiErr *OAIError
		if !errors.As(err, &oaiErr) || oaiErr.Code != test.code || !errors.Is(err, test.sentinel) || oaiErr.Message == "" {
			t.Errorf("%s: %v", test.file, err)
		}
	}
	// Dublin Core is not a format we read: say so instead of importing nothing.
	dc := `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-11-25T10:00:00Z</responseDate>
<request verb="ListRecords" metadataPrefix="oai_dc">https://oaipmh.arxiv.org/oai</request>
<ListRecords><record><header><identifier>oai:arXiv.org:2309.11056</identifier><datestamp>2023-09-21</datestamp></header>
<metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"></oai_dc:dc></metadata></record></ListRecords></OAI-PMH>`
	r, err := NewReader(strings.NewReader(dc))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := readAll(t, r); !errors.Is(err, ErrUnknownFormat) || !strings.Contains(err.Error(), "oai_dc") {
		t.Errorf("oai_dc: %v", err)
	}
}

func TestReadSnapshotLines(t *testing.T) {
	recs, err := readAll(t, openTestdata(t, "snapshot-full.jsonl"))
	if err != nil || len(recs) != 2 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	p := recs[0].Paper
	if recs[0].Err != nil {
		t.Fatal(recs[0].Err)
	}
	if p.ID != "0704.0001" || p.Version != 2 || !p.Published.Equal(date("2007-04-02T19:18:42Z")) || !p.Updated.Equal(date("2007-07-24T20:10:27Z")) {
		t.Errorf("0704.0001: version %d published %v updated %v", p.Version, p.Published, p.Updated)
	}
	if !slices.Equal(p.Authors, []string{"C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"}) {
		t.Errorf("authors %q: authors_parsed is preferred", p.Authors)
	}
	if p.DOI != "10.1103/PhysRevD.76.013009" || p.JournalRef != "Phys.Rev.D76:013009,2007" || p.Submitter != "Pavel Nadolsky" ||
		p.License != "" || !p.ListingDate.Equal(date("2008-11-13T00:00:00Z")) || !slices.Equal(p.Categories, []string{"hep-ph"}) {
		t.Errorf("0704.0001: %+v", p)
	}
	if w := recs[1].Paper; w.Version != 2 || w.License == "" || !slices.Equal(w.Authors, []string{"Patrick M. Wensing", "Günter Niemeyer", "Jean-Jacques E. Slotine"}) {
		t.Errorf("1711.03896: %+v", w)
	}
}

func TestReadDailyPapersLines(t *testing.T) {
	recs, err := readAll(t, openTestdata(t, "hf-daily-papers.jsonl"))
	if err != nil || len(recs) != 30 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	p := recs[0].Paper
	if p.ID != "2405.15738" || !p.Published.Equal(date("2024-05-24T00:00:00Z")) || !p.DailyDate.Equal(date("2024-05-27T00:00:00Z")) ||
		p.SourceUpvotes != 32 || !p.SourceUpvotesAt.Equal(date("2024-06-01T00:00:00Z")) || p.Version != 0 || len(p.Categories) != 0 {
		t.Errorf("2405.15738: %+v", p)
	}
	withRepo := 0
	for _, rec := range recs {
		if rec.Err != nil {
			t.Errorf("line %d: %v", rec.Line, rec.Err)
		}
		if rec.Line != rec.N {
			t.Errorf("record %d reported at line %d", rec.N, rec.Line)
		}
	}
	// github_repo comes first among the code links.
	f, _ := os.ReadFile("testdata/hf-daily-papers.jsonl")
	for i, line := range strings.Split(strings.TrimSpace(string(f)), "\n") {
		if _, repo, ok := strings.Cut(line, `"github_repo": "`); ok {
			repo, _, _ = strings.Cut(repo, `"`)
			withRepo++
			if got := recs[i].Paper.CodeURLs; len(got) == 0 || got[0] != repo {
				t.Errorf("line %d: code URLs %q, want %s first", i+1, got, repo)
			}
		}
	}
	if withRepo == 0 {
		t.Error("the sample has no github_repo line; pick another sample")
	}
}

func TestReadBrokenLines(t *testing.T) {
	recs, err := readAll(t, openTestdata(t, "broken.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var bad, good []int
	for _, rec := range recs {
		if rec.Err != nil {
			bad = append(bad, rec.Line)
			if !strings.Contains(rec.Err.Error(), "line ") {
				t.Errorf("error %q does not name the line", rec.Err)
			}
		} else {
			good = append(good, rec.Line)
		}
	}
	if !slices.Equal(bad, []int{4, 6, 8, 9, 10}) || !slices.Equal(good, []int{1, 2, 3, 5, 11, 12, 13}) {
		t.Errorf("bad lines %v, good lines %v", bad, good)
	}
	for _, rec := range recs {
		if rec.Line == 4 && !strings.Contains(rec.Err.Error(), "malformed JSON") {
			t.Errorf("line 4: %v", rec.Err)
		}
		if rec.Line == 6 && !errors.Is(rec.Err, paper.ErrInvalid) {
			t.Errorf("line 6: %v", rec.Err)
		}
	}
}

func TestReadGzip(t *testing.T) {
	recs, err := readAll(t, openTestdata(t, "sample.jsonl.gz"))
	if err != nil || len(recs) != 93 {
		t.Fatalf("%d records, %v; want 93", len(recs), err)
	}
	recs, err = readAll(t, openTestdata(t, "truncated.jsonl.gz"))
	if !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), "line") {
		t.Errorf("truncated gzip: %v", err)
	}
	if len(recs) < 20 || len(recs) >= 93 {
		t.Errorf("truncated gzip gave %d records", len(recs))
	}
	for _, rec := range recs {
		if rec.Err != nil {
			t.Errorf("line %d: %v (a cut line must not become a record)", rec.Line, rec.Err)
		}
	}
}

// TestStreaming shows that a record is returned as soon as it is read, not
// when the document ends: the readers hold one record at a time.
func TestStreaming(t *testing.T) {
	for _, test := range []struct {
		file, cutAfter string
		format         Format
	}{
		{"api-query.atom", "</entry>", FormatAtom},
		{"oai-listrecords-arxivraw.xml", "</record>", FormatOAI},
		{"hf-daily-papers.jsonl", "\n", FormatJSONLines},
	} {
		b, _ := os.ReadFile(filepath.Join("testdata", test.file))
		first := strings.Index(string(b), test.cutAfter) + len(test.cutAfter)
		pr, pw := io.Pipe()
		go func() {
			pw.Write(b[:first])
			pw.Write([]byte("\n"))
			// The rest never comes until the first record was read.
		}()
		done := make(chan error, 1)
		go func() {
			r := NewFormatReader(pr, test.format)
			rec, err := r.Next()
			if err == nil && rec.Err != nil {
				err = rec.Err
			}
			done <- err
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%s: %v", test.file, err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("%s: the first record waited for the rest of the document", test.file)
		}
		pw.Close()
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

func TestReadRealFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 14k real papers")
	}
	data := sharedData(t)
	for _, test := range []struct {
		file string
		n    int
	}{
		{"arxiv-listing-2023-09-21.jsonl", 824},
		{"arxiv-math-2025-05.jsonl", 3397},
		{"hf-daily-papers.jsonl", 9877},
	} {
		f, err := os.Open(filepath.Join(data, test.file))
		if err != nil {
			t.Fatal(err)
		}
		r, err := NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := readAll(t, r)
		f.Close()
		if err != nil || len(recs) != test.n {
			t.Errorf("%s: %d records, %v; want %d", test.file, len(recs), err, test.n)
		}
		for _, rec := range recs {
			if rec.Err != nil {
				t.Errorf("%s: %v", test.file, rec.Err)
			}
		}
	}
}

// A feed saved without the Atom namespace (some tools drop it) still reads.
func TestReadAtomWithoutNamespace(t *testing.T) {
	b, err := os.ReadFile("testdata/api-query.atom")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.ReplaceAll(string(b), ` xmlns="http://www.w3.org/2005/Atom"`, "")
	r, err := NewReader(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := readAll(t, r)
	if err != nil || len(recs) != 3 || recs[0].Err != nil || recs[0].Paper.Version != 2 {
		t.Errorf("%d records, %v", len(recs), err)
	}
}

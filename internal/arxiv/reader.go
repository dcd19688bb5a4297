// Package arxiv reads arXiv metadata in the formats arXiv and its mirrors
// publish (metadata snapshot JSON lines, Hugging Face Daily Papers lines, API
// Atom feeds, OAI-PMH arXiv and arXivRaw records) and fetches papers from the
// arXiv API. Every reader streams: one record in memory at a time.
package arxiv

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/paperboy/paperboy/internal/paper"
)

// Format is a kind of metadata document.
type Format string

const (
	FormatJSONLines Format = "jsonl" // metadata snapshot or Daily Papers lines
	FormatAtom      Format = "atom"  // arXiv API answer
	FormatOAI       Format = "oai"   // OAI-PMH answer (metadataPrefix arXiv or arXivRaw)
)

// ErrUnknownFormat is returned by Detect for input in none of the formats.
var ErrUnknownFormat = errors.New("unknown metadata format")

// Record is one paper read from a document. Err, a *RecordError, is set when
// this record is unusable (malformed line, invalid paper); reading goes on
// after it.
type Record struct {
	Paper  paper.Paper
	N      int   // record number in the document, from 1
	Line   int   // line where the record starts
	Offset int64 // byte offset (uncompressed) where the record starts
	// Deleted is set for OAI-PMH records with status="deleted": only
	// Paper.ID is filled, and the record is news, not a paper to store.
	Deleted bool
	Err     error
}

// peekSize is how much Detect looks at: enough for an XML prolog and comments.
const peekSize = 64 << 10

// Detect tells the format from the first bytes of r without consuming them:
// '{' starts JSON lines, an XML root <feed> is an Atom feed, <OAI-PMH> an
// OAI-PMH answer. r must not be gzip-compressed (NewReader handles that).
func Detect(r *bufio.Reader) (Format, error) {
	head, err := r.Peek(peekSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return "", err
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")) // UTF-8 byte order mark
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) == 0 {
		return "", fmt.Errorf("%w: the input is empty", ErrUnknownFormat)
	}
	switch trimmed[0] {
	case '{':
		return FormatJSONLines, nil
	case '<':
		dec := xml.NewDecoder(bytes.NewReader(trimmed))
		for {
			tok, err := dec.Token()
			if err != nil {
				return "", fmt.Errorf("%w: XML without a root element: %v", ErrUnknownFormat, err)
			}
			if se, ok := tok.(xml.StartElement); ok {
				switch se.Name.Local {
				case "feed":
					return FormatAtom, nil
				case "OAI-PMH":
					return FormatOAI, nil
				}
				return "", fmt.Errorf("%w: XML root element <%s> (want an arXiv API <feed> or <OAI-PMH>)", ErrUnknownFormat, se.Name.Local)
			}
		}
	}
	return "", fmt.Errorf("%w: starts with %q (want JSON lines or arXiv XML)", ErrUnknownFormat, firstBytes(trimmed))
}

func firstBytes(b []byte) string {
	if len(b) > 20 {
		b = b[:20]
	}
	return string(b)
}

// Reader reads records from one document.
type Reader struct {
	format Format
	src    source
	gz     *gzip.Reader
	n      int
}

type source interface {
	next() (Record, error)
}

// NewReader sniffs r: gzip (by its magic bytes) and then the format.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReaderSize(r, peekSize)
	var gz *gzip.Reader
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		var err error
		if gz, err = gzip.NewReader(br); err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		br = bufio.NewReaderSize(gz, peekSize)
	}
	f, err := Detect(br)
	if err != nil {
		if gz != nil {
			err = fmt.Errorf("gzip: %w", err)
		}
		return nil, err
	}
	rd := NewFormatReader(br, f)
	rd.gz = gz
	return rd, nil
}

// NewFormatReader reads r, known to be in format f (uncompressed).
func NewFormatReader(r io.Reader, f Format) *Reader {
	rd := &Reader{format: f}
	switch f {
	case FormatJSONLines:
		rd.src = newJSONLines(r)
	case FormatAtom:
		rd.src = newAtomReader(r)
	case FormatOAI:
		rd.src = newOAIReader(r)
	default:
		rd.src = errSource{fmt.Errorf("%w: %q", ErrUnknownFormat, f)}
	}
	return rd
}

type errSource struct{ err error }

func (e errSource) next() (Record, error) { return Record{}, e.err }

// Format is the document's format.
func (r *Reader) Format() Format { return r.format }

// Next returns the next record. It returns io.EOF after the last one, and
// any other error when the document itself is broken (truncated gzip, XML
// syntax, an arXiv or OAI-PMH error answer): records after it are lost.
func (r *Reader) Next() (Record, error) {
	rec, err := r.src.next()
	if err != nil {
		return rec, err
	}
	r.n++
	rec.N = r.n
	if rec.Err == nil && !rec.Deleted {
		rec.Paper.Normalize()
		rec.Err = rec.Paper.Validate()
	}
	if rec.Err != nil {
		rec.Err = &RecordError{N: rec.N, Line: rec.Line, Err: rec.Err}
	}
	return rec, nil
}

// RecordError is why one record was unusable, and where it is.
type RecordError struct {
	N    int // record number
	Line int // line where the record starts
	Err  error
}

func (e *RecordError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *RecordError) Unwrap() error { return e.Err }

// All iterates over the records; a document error ends the sequence with
// that error (io.EOF is not reported).
func (r *Reader) All() iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		for {
			rec, err := r.Next()
			if err == io.EOF {
				return
			}
			if !yield(rec, err) || err != nil {
				return
			}
		}
	}
}

// ResumptionToken is the OAI-PMH token for the next page, known once Next
// has returned io.EOF; "" when the list is complete (or for other formats).
func (r *Reader) ResumptionToken() string {
	if o, ok := r.src.(*oaiReader); ok {
		return o.token
	}
	return ""
}

// MetadataPrefix is the OAI-PMH metadata format of the records read so far
// ("arXiv", "arXivRaw"), or "" for other formats.
func (r *Reader) MetadataPrefix() string {
	if o, ok := r.src.(*oaiReader); ok {
		return o.prefix
	}
	return ""
}

// TotalResults is the arXiv API's opensearch:totalResults, or -1 when the
// document has none.
func (r *Reader) TotalResults() int {
	if a, ok := r.src.(*atomReader); ok {
		return a.total
	}
	return -1
}

// Close releases the gzip reader, if any; it does not close the input.
func (r *Reader) Close() error {
	if r.gz != nil {
		return r.gz.Close()
	}
	return nil
}

func bufioReader(b []byte) *bufio.Reader {
	return bufio.NewReaderSize(bytes.NewReader(b), peekSize)
}

package arxiv

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/paperboy/paperboy/internal/paper"
)

// apiErrorsID starts the id of the API's error entries.
const apiErrorsID = "http://arxiv.org/api/errors"

// APIError is an error answer of the arXiv API: a feed whose single entry
// has an id under http://arxiv.org/api/errors.
type APIError struct {
	ID      string // "http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345"
	Message string // the entry's summary: "incorrect id format for 1234.12345"
}

func (e *APIError) Error() string { return "arXiv API error: " + e.Message }

// Is makes a malformed-id answer match paper.ErrInvalid.
func (e *APIError) Is(target error) bool {
	return target == paper.ErrInvalid && strings.Contains(e.ID, "incorrect_id")
}

// atomEntry is one <entry> of an arXiv API feed. Atom elements match in any
// namespace, so a feed saved without its xmlns still reads.
type atomEntry struct {
	ID        string `xml:"id"`
	Published string `xml:"published"`
	Updated   string `xml:"updated"`
	Title     string `xml:"title"`
	Summary   string `xml:"summary"`
	Authors   []struct {
		Name         string   `xml:"name"`
		Affiliations []string `xml:"http://arxiv.org/schemas/atom affiliation"`
	} `xml:"author"`
	Comment    string `xml:"http://arxiv.org/schemas/atom comment"`
	JournalRef string `xml:"http://arxiv.org/schemas/atom journal_ref"`
	DOI        string `xml:"http://arxiv.org/schemas/atom doi"`
	Primary    struct {
		Term string `xml:"term,attr"`
	} `xml:"http://arxiv.org/schemas/atom primary_category"`
	Categories []struct {
		Term string `xml:"term,attr"`
	} `xml:"category"`
}

// arXiv categories ("cs.LG", "hep-th", "q-bio.NC"), not the ACM ("I.2.6") or
// MSC ("05E10") classes that the API lists as categories too.
var categoryRe = regexp.MustCompile(`^[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[A-Za-z]+)*)?$`)

type atomReader struct {
	dec   *xml.Decoder
	total int
	depth int
}

func newAtomReader(r io.Reader) *atomReader {
	return &atomReader{dec: xml.NewDecoder(r), total: -1}
}

func (a *atomReader) next() (Record, error) {
	for {
		line, _ := a.dec.InputPos()
		offset := a.dec.InputOffset()
		tok, err := a.dec.Token()
		if err == io.EOF {
			if a.depth != 0 {
				return Record{}, fmt.Errorf("line %d: %w", line, io.ErrUnexpectedEOF)
			}
			return Record{}, io.EOF
		}
		if err != nil {
			return Record{}, xmlError(a.dec, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if a.depth == 0 && t.Name.Local != "feed" {
				return Record{}, fmt.Errorf("%w: root <%s> is not an Atom <feed>", ErrUnknownFormat, t.Name.Local)
			}
			if a.depth == 1 && t.Name.Local == "entry" {
				var e atomEntry
				if err := a.dec.DecodeElement(&e, &t); err != nil {
					return Record{}, xmlError(a.dec, err)
				}
				if strings.HasPrefix(strings.TrimSpace(e.ID), apiErrorsID) {
					return Record{}, &APIError{ID: strings.TrimSpace(e.ID), Message: strings.TrimSpace(e.Summary)}
				}
				rec := Record{Line: line, Offset: offset}
				rec.Paper, rec.Err = e.paper()
				return rec, nil
			}
			if a.depth == 1 && t.Name.Local == "totalResults" {
				var s string
				if err := a.dec.DecodeElement(&s, &t); err != nil {
					return Record{}, xmlError(a.dec, err)
				}
				if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
					a.total = n
				}
				continue
			}
			a.depth++
		case xml.EndElement:
			a.depth--
		}
	}
}

// xmlError says where the document broke.
func xmlError(dec *xml.Decoder, err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("XML syntax error at line %d: %s", se.Line, se.Msg)
	}
	line, col := dec.InputPos()
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("line %d, column %d (byte %d): %w", line, col, dec.InputOffset(), err)
}

func (e *atomEntry) paper() (paper.Paper, error) {
	p := paper.Paper{
		Title:      strings.TrimSpace(e.Title),
		Abstract:   strings.TrimSpace(e.Summary),
		Comments:   strings.TrimSpace(e.Comment),
		JournalRef: strings.TrimSpace(e.JournalRef),
		DOI:        strings.TrimSpace(e.DOI),
	}
	var err error
	if p.ID, p.Version, err = paper.ParseID(e.ID); err != nil {
		return p, err
	}
	for _, a := range e.Authors {
		p.Authors = append(p.Authors, a.Name)
	}
	if c := strings.TrimSpace(e.Primary.Term); c != "" {
		p.Categories = append(p.Categories, c)
	}
	for _, c := range e.Categories {
		if c := strings.TrimSpace(c.Term); categoryRe.MatchString(c) {
			p.Categories = append(p.Categories, c)
		}
	}
	// The API's <published> is the v1 date and <updated> the date of the
	// version in the id, the latest one unless a version was asked for.
	if e.Published != "" {
		if p.Published, err = parseDate(e.Published); err != nil {
			return p, fmt.Errorf("paper %s: published: %w", p.ID, err)
		}
		p.Versions = append(p.Versions, paper.Version{Number: 1, Created: p.Published})
	}
	if e.Updated != "" {
		if p.Updated, err = parseDate(e.Updated); err != nil {
			return p, fmt.Errorf("paper %s: updated: %w", p.ID, err)
		}
		if p.Version > 1 {
			p.Versions = append(p.Versions, paper.Version{Number: p.Version, Created: p.Updated})
		}
	}
	if p.Version == 0 && len(p.Versions) > 0 {
		// An id without version (the manual's own example). By the manual,
		// published == updated means this is v1; otherwise the number is unknown.
		if p.Published.Equal(p.Updated) {
			p.Version = 1
		} else {
			p.Versions = nil
		}
	}
	return p, nil
}

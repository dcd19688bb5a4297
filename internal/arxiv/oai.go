package arxiv

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/paperboy/paperboy/internal/paper"
)

// OAIError is an OAI-PMH error answer (<error code="...">).
type OAIError struct {
	Code    string // badArgument, badResumptionToken, noRecordsMatch, idDoesNotExist, ...
	Message string
}

func (e *OAIError) Error() string {
	if e.Message == "" {
		return "OAI-PMH error " + e.Code
	}
	return fmt.Sprintf("OAI-PMH error %s: %s", e.Code, e.Message)
}

// Is matches noRecordsMatch and idDoesNotExist to paper.ErrNotFound (a
// harvester asking "anything new since yesterday?" gets noRecordsMatch when
// nothing is), and request errors to paper.ErrInvalid.
func (e *OAIError) Is(target error) bool {
	switch e.Code {
	case "noRecordsMatch", "idDoesNotExist":
		return target == paper.ErrNotFound
	case "badArgument", "badResumptionToken", "badVerb", "cannotDisseminateFormat":
		return target == paper.ErrInvalid
	}
	return false
}

type oaiRecord struct {
	Header struct {
		Status     string `xml:"status,attr"`
		Identifier string `xml:"identifier"`
		Datestamp  string `xml:"datestamp"`
	} `xml:"header"`
	Metadata struct {
		ArXiv *oaiArXiv    `xml:"http://arxiv.org/OAI/arXiv/ arXiv"`
		Raw   *oaiArXivRaw `xml:"http://arxiv.org/OAI/arXivRaw/ arXivRaw"`
		Any   []struct {
			XMLName xml.Name
		} `xml:",any"`
	} `xml:"metadata"`
}

// oaiArXiv is metadataPrefix=arXiv: the latest version, authors parsed.
type oaiArXiv struct {
	ID      string `xml:"id"`
	Created string `xml:"created"`
	Updated string `xml:"updated"`
	Authors []struct {
		Keyname   string `xml:"keyname"`
		Forenames string `xml:"forenames"`
		Suffix    string `xml:"suffix"`
	} `xml:"authors>author"`
	Title      string `xml:"title"`
	Categories string `xml:"categories"`
	Comments   string `xml:"comments"`
	JournalRef string `xml:"journal-ref"`
	DOI        string `xml:"doi"`
	License    string `xml:"license"`
	Abstract   string `xml:"abstract"`
}

// oaiArXivRaw is metadataPrefix=arXivRaw: arXiv's internal record with the
// version history.
type oaiArXivRaw struct {
	ID        string `xml:"id"`
	Submitter string `xml:"submitter"`
	Versions  []struct {
		Version string `xml:"version,attr"`
		Date    string `xml:"date"`
	} `xml:"version"`
	Title      string `xml:"title"`
	Authors    string `xml:"authors"`
	Categories string `xml:"categories"`
	Comments   string `xml:"comments"`
	JournalRef string `xml:"journal-ref"`
	DOI        string `xml:"doi"`
	License    string `xml:"license"`
	Abstract   string `xml:"abstract"`
}

type oaiReader struct {
	dec    *xml.Decoder
	depth  int
	prefix string
	token  string
}

func newOAIReader(r io.Reader) *oaiReader { return &oaiReader{dec: xml.NewDecoder(r)} }

func (o *oaiReader) next() (Record, error) {
	for {
		line, _ := o.dec.InputPos()
		offset := o.dec.InputOffset()
		tok, err := o.dec.Token()
		if err == io.EOF {
			if o.depth != 0 {
				return Record{}, fmt.Errorf("line %d: %w", line, io.ErrUnexpectedEOF)
			}
			return Record{}, io.EOF
		}
		if err != nil {
			return Record{}, xmlError(o.dec, err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			o.depth--
		case xml.StartElement:
			switch {
			case o.depth == 0:
				if t.Name.Local != "OAI-PMH" {
					return Record{}, fmt.Errorf("%w: root <%s> is not <OAI-PMH>", ErrUnknownFormat, t.Name.Local)
				}
				o.depth++
			case o.depth == 1 && t.Name.Local == "request":
				for _, a := range t.Attr {
					if a.Name.Local == "metadataPrefix" {
						o.prefix = a.Value
					}
				}
				if err := o.dec.Skip(); err != nil {
					return Record{}, xmlError(o.dec, err)
				}
			case o.depth == 1 && t.Name.Local == "error":
				e := &OAIError{}
				for _, a := range t.Attr {
					if a.Name.Local == "code" {
						e.Code = a.Value
					}
				}
				if err := o.dec.DecodeElement(&e.Message, &t); err != nil {
					return Record{}, xmlError(o.dec, err)
				}
				e.Message = strings.TrimSpace(e.Message)
				return Record{}, e
			case o.depth == 1 && (t.Name.Local == "ListRecords" || t.Name.Local == "GetRecord"):
				o.depth++
			case o.depth == 2 && t.Name.Local == "record":
				var r oaiRecord
				if err := o.dec.DecodeElement(&r, &t); err != nil {
					return Record{}, xmlError(o.dec, err)
				}
				rec := Record{Line: line, Offset: offset}
				if err := o.record(&r, &rec); err != nil {
					return Record{}, fmt.Errorf("line %d: %w", line, err)
				}
				return rec, nil
			case o.depth == 2 && t.Name.Local == "resumptionToken":
				if err := o.dec.DecodeElement(&o.token, &t); err != nil {
					return Record{}, xmlError(o.dec, err)
				}
				o.token = strings.TrimSpace(o.token)
			default:
				if err := o.dec.Skip(); err != nil {
					return Record{}, xmlError(o.dec, err)
				}
			}
		}
	}
}

// record fills rec from r. Its error is a document error (metadata in a
// format we cannot read); a bad paper is rec.Err.
func (o *oaiReader) record(r *oaiRecord, rec *Record) error {
	if r.Header.Status == "deleted" {
		rec.Deleted = true
		rec.Paper.ID, _, rec.Err = paper.ParseID(r.Header.Identifier)
		return nil
	}
	switch {
	case r.Metadata.Raw != nil:
		o.prefix = "arXivRaw"
		rec.Paper, rec.Err = r.Metadata.Raw.paper()
	case r.Metadata.ArXiv != nil:
		o.prefix = "arXiv"
		rec.Paper, rec.Err = r.Metadata.ArXiv.paper()
	case len(r.Metadata.Any) > 0:
		n := r.Metadata.Any[0].XMLName
		return fmt.Errorf("%w: OAI-PMH metadata <%s xmlns=%q> (use metadataPrefix arXiv or arXivRaw)", ErrUnknownFormat, n.Local, n.Space)
	default:
		rec.Err = fmt.Errorf("%w: record %s has no metadata", paper.ErrInvalid, r.Header.Identifier)
	}
	return nil
}

func (m *oaiArXiv) paper() (paper.Paper, error) {
	p := paper.Paper{
		Title:      strings.TrimSpace(m.Title),
		Abstract:   strings.TrimSpace(m.Abstract),
		Categories: strings.Fields(m.Categories),
		Comments:   strings.TrimSpace(m.Comments),
		JournalRef: strings.TrimSpace(m.JournalRef),
		DOI:        strings.TrimSpace(m.DOI),
		License:    strings.TrimSpace(m.License),
	}
	var err error
	if p.ID, p.Version, err = paper.ParseID(m.ID); err != nil {
		return p, err
	}
	for _, a := range m.Authors {
		p.Authors = append(p.Authors, joinName(a.Keyname, a.Forenames, a.Suffix))
	}
	// <created> is the v1 date and <updated> that of the latest version;
	// the format does not say which version that is, so Version stays unknown.
	if m.Created != "" {
		if p.Published, err = parseDate(m.Created); err != nil {
			return p, fmt.Errorf("paper %s: created: %w", p.ID, err)
		}
	}
	if m.Updated != "" {
		if p.Updated, err = parseDate(m.Updated); err != nil {
			return p, fmt.Errorf("paper %s: updated: %w", p.ID, err)
		}
	}
	return p, nil
}

func (m *oaiArXivRaw) paper() (paper.Paper, error) {
	p := paper.Paper{
		Title:      strings.TrimSpace(m.Title),
		Abstract:   strings.TrimSpace(m.Abstract),
		Authors:    SplitAuthors(m.Authors),
		Categories: strings.Fields(m.Categories),
		Submitter:  strings.TrimSpace(m.Submitter),
		Comments:   strings.TrimSpace(m.Comments),
		JournalRef: strings.TrimSpace(m.JournalRef),
		DOI:        strings.TrimSpace(m.DOI),
		License:    strings.TrimSpace(m.License),
	}
	var err error
	if p.ID, p.Version, err = paper.ParseID(m.ID); err != nil {
		return p, err
	}
	for _, v := range m.Versions {
		n, err := versionNumber(strings.TrimSpace(v.Version))
		if err != nil {
			return p, fmt.Errorf("paper %s: %w", p.ID, err)
		}
		created, err := parseDate(v.Date)
		if err != nil {
			return p, fmt.Errorf("paper %s: version %s: %w", p.ID, v.Version, err)
		}
		p.Versions = append(p.Versions, paper.Version{Number: n, Created: created})
	}
	return p, nil
}

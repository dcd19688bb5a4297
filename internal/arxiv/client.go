package arxiv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
)

// Defaults for Client, from arXiv's API terms of use: no more than one
// request every three seconds, one connection at a time.
const (
	DefaultBaseURL     = "http://export.arxiv.org/api/query"
	DefaultMinInterval = 3 * time.Second
	DefaultUserAgent   = "paperboy (+https://github.com/paperboy/paperboy)"
	// maxIDsPerRequest keeps the id_list URL well below common length limits.
	maxIDsPerRequest = 100
	// maxResponseBytes bounds what one answer may make us read (100 full
	// entries are about 300 kB).
	maxResponseBytes = 32 << 20
)

// ErrUnavailable wraps failures to reach arXiv (network, timeout, HTTP 5xx).
var ErrUnavailable = errors.New("arXiv is unavailable")

// Client fetches papers from the arXiv API. Its zero value is ready to use.
// It is safe for concurrent use: requests go out one at a time, at least
// MinInterval apart, as arXiv asks.
type Client struct {
	BaseURL     string        // DefaultBaseURL when empty
	HTTPClient  *http.Client  // a client with a 30 s timeout when nil
	MinInterval time.Duration // DefaultMinInterval when zero; negative for none (tests)
	UserAgent   string        // DefaultUserAgent when empty

	mu   sync.Mutex // held for the wait and the request: one at a time
	last time.Time  // when the last request finished
}

var defaultHTTPClient = &http.Client{Timeout: 30 * time.Second}

// Fetch returns the papers with the given ids ("2310.06110", "2310.06110v1",
// "hep-th/9901001"), in the order asked. An id that is not an arXiv id is
// refused before any request (paper.ErrInvalid). Ids arXiv does not know are
// reported by an error wrapping paper.ErrNotFound, together with the papers
// that were found.
func (c *Client) Fetch(ctx context.Context, ids ...string) ([]paper.Paper, error) {
	want := make([]string, 0, len(ids))
	for _, s := range ids {
		id, v, err := paper.ParseID(s)
		if err != nil {
			return nil, err
		}
		if v > 0 {
			id = fmt.Sprintf("%sv%d", id, v)
		}
		want = append(want, id)
	}
	var out []paper.Paper
	var missing []string
	for start := 0; start < len(want); start += maxIDsPerRequest {
		chunk := want[start:min(start+maxIDsPerRequest, len(want))]
		got, err := c.query(ctx, chunk)
		if err != nil {
			return out, err
		}
		byID := make(map[string]paper.Paper, len(got))
		for _, p := range got {
			byID[p.ID] = p
		}
		for _, s := range chunk {
			id, _, _ := paper.ParseID(s)
			if p, ok := byID[id]; ok {
				out = append(out, p)
			} else {
				missing = append(missing, s)
			}
		}
	}
	if len(missing) > 0 {
		return out, fmt.Errorf("%w: arXiv has no paper %s", paper.ErrNotFound, strings.Join(missing, ", "))
	}
	return out, nil
}

// query asks the API for ids and parses the answer. An error entry about an
// id arXiv does not know counts as "not there", not as a failure.
func (c *Client) query(ctx context.Context, ids []string) ([]paper.Paper, error) {
	body, status, err := c.get(ctx, url.Values{
		"id_list":     {strings.Join(ids, ",")},
		"max_results": {fmt.Sprint(len(ids))},
	})
	if err != nil {
		return nil, err
	}
	papers, perr := parseFeed(body)
	var apiErr *APIError
	switch {
	case status == http.StatusOK && perr == nil:
		return papers, nil
	case errors.As(perr, &apiErr) && !errors.Is(apiErr, paper.ErrInvalid):
		// Well-formed ids arXiv does not have: treat like an empty feed.
		return papers, nil
	case errors.As(perr, &apiErr):
		return nil, fmt.Errorf("arXiv refused id_list=%s: %w", strings.Join(ids, ","), perr)
	case status != http.StatusOK:
		return nil, fmt.Errorf("%w: HTTP %s", ErrUnavailable, http.StatusText(status))
	default:
		return nil, fmt.Errorf("%w: unreadable answer: %v", ErrUnavailable, perr)
	}
}

// parseFeed reads a whole API answer. Entries that are not valid papers
// (arXiv answers an unknown new-style id with an entry that has no title)
// are left out.
func parseFeed(body []byte) ([]paper.Paper, error) {
	f, err := Detect(bufioReader(body))
	if err != nil {
		return nil, err
	}
	if f != FormatAtom {
		return nil, fmt.Errorf("%w: the API answered with %s, not Atom", ErrUnknownFormat, f)
	}
	r := NewFormatReader(bytes.NewReader(body), FormatAtom)
	var out []paper.Paper
	for rec, err := range r.All() {
		if err != nil {
			return out, err
		}
		if rec.Err == nil {
			out = append(out, rec.Paper)
		}
	}
	return out, nil
}

// get performs one rate-limited GET and returns the body and status.
func (c *Client) get(ctx context.Context, q url.Values) ([]byte, int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	interval := c.MinInterval
	if interval == 0 {
		interval = DefaultMinInterval
	}
	if wait := time.Until(c.last.Add(interval)); !c.last.IsZero() && wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, 0, ctx.Err()
		case <-t.C:
		}
	}
	defer func() { c.last = time.Now() }()

	base := c.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"?"+q.Encode(), nil)
	if err != nil {
		return nil, 0, fmt.Errorf("arXiv API request: %w", err)
	}
	ua := c.UserAgent
	if ua == "" {
		ua = DefaultUserAgent
	}
	req.Header.Set("User-Agent", ua)
	req.Header.Set("Accept", "application/atom+xml")
	hc := c.HTTPClient
	if hc == nil {
		hc = defaultHTTPClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		return nil, 0, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return nil, 0, fmt.Errorf("%w: reading the answer: %w", ErrUnavailable, err)
	}
	if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
		return nil, 0, fmt.Errorf("%w: HTTP %s", ErrUnavailable, resp.Status)
	}
	return body, resp.StatusCode, nil
}

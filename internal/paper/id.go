package paper

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	// New-style ids: YYMM.NNNN (2007-2014) or YYMM.NNNNN (2015 on), optional version.
	newIDRe = regexp.MustCompile(`^(\d{2})(\d{2})\.(\d{4,5})(?:v(\d+))?$`)
	// Old-style ids: archive(.SUBJ)?/YYMMNNN, optional version. The subject class
	// is dropped from the id, as arXiv does ("math.GT/0309136" is "math/0309136").
	oldIDRe = regexp.MustCompile(`^([a-zA-Z]+(?:-[a-zA-Z]+)*)(?:\.([A-Za-z]{2}))?/(\d{2})(\d{2})(\d{3})(?:v(\d+))?$`)
	// Prefixes a user or a source may put before an id.
	idPrefixRe = regexp.MustCompile(`(?i)^(?:https?://)?(?:www\.|export\.)?(?:arxiv\.org|huggingface\.co|hf\.co)/(?:abs|pdf|html|papers)/`)
)

// ParseID normalises an arXiv identifier, as typed by a person or given by a
// source: "2310.06110v2", "arXiv:2310.06110", "https://arxiv.org/abs/2310.06110v2",
// ".../pdf/2310.06110v2.pdf", "hep-th/9901001v1", "oai:arXiv.org:2310.06110",
// "http://arxiv.org/abs/math.GT/0309136v1". It returns the id without version and
// the version (0 when none was given).
func ParseID(s string) (id string, version int, err error) {
	orig := s
	s = strings.TrimSpace(s)
	s = idPrefixRe.ReplaceAllString(s, "")
	s = strings.TrimPrefix(s, "oai:arXiv.org:")
	if len(s) > 6 && strings.EqualFold(s[:6], "arxiv:") {
		s = s[6:]
	}
	s = strings.TrimSuffix(s, "/")
	s = strings.TrimSuffix(strings.TrimSuffix(s, ".pdf"), ".md")
	if m := newIDRe.FindStringSubmatch(s); m != nil {
		yy, _ := strconv.Atoi(m[1])
		mm, _ := strconv.Atoi(m[2])
		// Five-digit numbers started in 1501; four digits ran 0704-1412.
		if mm < 1 || mm > 12 || (yy < 7 || (yy == 7 && mm < 4)) || (len(m[3]) == 5) != (yy >= 15) {
			return "", 0, fmt.Errorf("%w: arXiv id %q: no such month or number width", ErrInvalid, orig)
		}
		return m[1] + m[2] + "." + m[3], atoiOr0(m[4]), nil
	}
	if m := oldIDRe.FindStringSubmatch(s); m != nil {
		mm, _ := strconv.Atoi(m[4])
		if mm < 1 || mm > 12 {
			return "", 0, fmt.Errorf("%w: arXiv id %q: no such month", ErrInvalid, orig)
		}
		return strings.ToLower(m[1]) + "/" + m[3] + m[4] + m[5], atoiOr0(m[6]), nil
	}
	return "", 0, fmt.Errorf("%w: %q is not an arXiv id (expected e.g. 2310.06110 or hep-th/9901001)", ErrInvalid, orig)
}

func atoiOr0(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// IDMonth is the month of first submission that an id encodes, or zero.
func IDMonth(id string) time.Time {
	var yymm string
	if m := newIDRe.FindStringSubmatch(id); m != nil {
		yymm = m[1] + m[2]
	} else if m := oldIDRe.FindStringSubmatch(id); m != nil {
		yymm = m[3] + m[4]
	} else {
		return time.Time{}
	}
	yy, _ := strconv.Atoi(yymm[:2])
	mm, _ := strconv.Atoi(yymm[2:])
	year := 2000 + yy
	if yy >= 91 { // arXiv began in 1991
		year = 1900 + yy
	}
	if mm < 1 || mm > 12 {
		return time.Time{}
	}
	return time.Date(year, time.Month(mm), 1, 0, 0, 0, 0, time.UTC)
}

// DayOf truncates t to its UTC day.
func DayOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

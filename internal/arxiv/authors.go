package arxiv

import (
	"regexp"
	"strings"
)

var (
	andRe    = regexp.MustCompile(`\s+and\s+`)
	suffixRe = regexp.MustCompile(`^(?:Jr|Sr|Jnr|Snr)\.?$|^(?:II|III|IV)$`)
	etAlRe   = regexp.MustCompile(`(?i)^et\.?\s+al\.?$`)
)

// SplitAuthors splits an arXiv author string ("A. Smith, B. Jones (MIT) and
// C. Wu, Jr.") into names. Affiliations in parentheses are dropped, nested
// ones too, because arXiv lets authors write them inline; a lone suffix such
// as "Jr." after a comma belongs to the name before it.
func SplitAuthors(s string) []string {
	s = dropParens(s)
	var out []string
	for _, piece := range strings.Split(s, ",") {
		for _, name := range andRe.Split(piece, -1) {
			name = strings.Join(strings.Fields(name), " ")
			name = strings.TrimPrefix(name, "and ")
			name = strings.TrimSuffix(name, " and")
			switch {
			case name == "" || name == "and" || etAlRe.MatchString(name):
				continue
			case suffixRe.MatchString(name) && len(out) > 0:
				out[len(out)-1] += " " + name
				continue
			}
			out = append(out, name)
		}
	}
	return out
}

// dropParens removes parenthesised text, keeping a space in its place so
// "Zi Han (Henry)Li" stays two words. An unclosed parenthesis drops the rest.
func dropParens(s string) string {
	if !strings.ContainsRune(s, '(') {
		return s
	}
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			if depth == 0 {
				b.WriteByte(' ')
			}
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// joinName builds "Forenames Keyname Suffix" from arXiv's parsed author parts.
func joinName(keyname, forenames, suffix string) string {
	return strings.Join(strings.Fields(forenames+" "+keyname+" "+suffix), " ")
}

package arxiv

import "strings"

// SplitAuthors splits an arXiv author string ("A. Smith, B. Jones (MIT) and
// C. Wu, Jr.") into names. Affiliations in parentheses are dropped, nested
// ones too, because arXiv lets authors write them inline; a lone suffix such
// as "Jr." after a comma belongs to the name before it.
func SplitAuthors(s string) []string {
	s = dropParens(s)
	var out []string
	for piece := range strings.SplitSeq(s, ",") {
		// Split on the word "and", never inside a name ("Anand").
		words := strings.Fields(piece)
		start := 0
		for i := 0; i <= len(words); i++ {
			if i < len(words) && words[i] != "and" {
				continue
			}
			if name := strings.Join(words[start:i], " "); name != "" {
				switch {
				case isEtAl(name):
				case isSuffix(name) && len(out) > 0:
					out[len(out)-1] += " " + name
				default:
					out = append(out, name)
				}
			}
			start = i + 1
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

// isSuffix reports a generational suffix that arXiv authors put after a comma.
func isSuffix(s string) bool {
	switch strings.TrimSuffix(s, ".") {
	case "Jr", "Sr", "Jnr", "Snr", "II", "III", "IV":
		return true
	}
	return false
}

func isEtAl(s string) bool {
	s = strings.ToLower(strings.ReplaceAll(s, ".", ""))
	return s == "et al"
}

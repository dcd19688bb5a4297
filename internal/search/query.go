package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/paperboy/paperboy/internal/search/keyword"
)

// Limits on what a query may ask for. Longer input is cut, not refused, and
// the cut is reported in Parsed.Notes: a pasted abstract still searches.
const (
	MaxQueryBytes = 512 // bytes of query text kept (cut at a character boundary)
	MaxQueryTerms = 32  // words, phrases and operators kept, in order
)

// Parsed is a query as typed, taken apart. The syntax:
//
//	word            ranked: papers with more of the words, in the title especially, come first
//	"two words"     phrase: the words must appear together, in order (title, abstract)
//	-word -"a b"    exclude papers with the word or phrase
//	ti:word ti:"a b" the title must have the word or phrase
//	au:name au:"first last"  an author's name must have the word(s)
//	cat:cs.LG cat:cs  category, or every category of an archive
//
// Anything else is a word. Unbalanced quotes close at the end of the query;
// operators with nothing after them are ignored.
type Parsed struct {
	Words      []string   // plain words as typed, folded
	Phrases    [][]string // phrases' words, folded (stopwords kept: "attention is all you need")
	Title      [][]string // ti: words or phrases
	Authors    [][]string // au: values, each a sequence of folded name tokens
	Exclude    [][]string // -word and -"phrase"
	Categories []string
	Notes      []string // what was cut or ignored, to show the reader
}

// Text is the query's meaning for the semantic leg: the words and phrases,
// without operators.
func (p *Parsed) Text() string {
	var parts []string
	parts = append(parts, p.Words...)
	for _, ph := range p.Phrases {
		parts = append(parts, ph...)
	}
	for _, ph := range p.Title {
		parts = append(parts, ph...)
	}
	return strings.Join(parts, " ")
}

// Empty reports a query with nothing to search for (filters alone do not
// make a search: they need words to rank).
func (p *Parsed) Empty() bool {
	return len(p.Words) == 0 && len(p.Phrases) == 0 && len(p.Title) == 0 && len(p.Authors) == 0
}

// NeedsVerify reports parts that the index cannot check alone: word order
// (phrases) and excluded phrases are verified on the stored text.
func (p *Parsed) NeedsVerify() bool {
	if len(p.Phrases) > 0 {
		return true
	}
	for _, t := range p.Title {
		if len(t) > 1 {
			return true
		}
	}
	for _, a := range p.Authors {
		if len(a) > 1 {
			return true
		}
	}
	for _, e := range p.Exclude {
		if len(e) > 1 {
			return true
		}
	}
	return false
}

// Clean makes arbitrary input safe to parse: invalid UTF-8 and control
// characters become spaces, and the text is cut to MaxQueryBytes.
func Clean(s string) (string, bool) {
	cut := false
	if len(s) > MaxQueryBytes {
		i := MaxQueryBytes
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s = s[:i]
		cut = true
	}
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, " "))
	// Typographic quotes count as quotes.
	s = strings.NewReplacer("\u201c", `"`, "\u201d", `"`, "\u201e", `"`, "\u00ab", `"`, "\u00bb", `"`).Replace(s)
	return strings.TrimSpace(s), cut
}

// Parse reads a query. It never fails: whatever cannot be understood is
// searched as words or ignored with a note.
func Parse(s string) Parsed {
	var p Parsed
	s, cut := Clean(s)
	if cut {
		p.Notes = append(p.Notes, "The query was cut to its first 512 bytes.")
	}
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		// One item: optional '-', optional "op:", then a quoted phrase or a bare word.
		neg := false
		if s[i] == '-' {
			neg = true
			i++
		}
		op := ""
		for _, o := range []string{"au:", "ti:", "cat:"} {
			if len(s)-i >= len(o) && strings.EqualFold(s[i:i+len(o)], o) {
				op = o
				i += len(o)
				break
			}
		}
		var val string
		quoted := false
		if i < len(s) && s[i] == '"' {
			quoted = true
			end := strings.IndexByte(s[i+1:], '"')
			if end < 0 {
				val = s[i+1:]
				i = len(s)
			} else {
				val = s[i+1 : i+1+end]
				i += end + 2
			}
		} else {
			end := strings.IndexFunc(s[i:], unicode.IsSpace)
			if end < 0 {
				end = len(s) - i
			}
			val = s[i : i+end]
			i += end
		}
		if n >= MaxQueryTerms {
			if len(p.Notes) == 0 || p.Notes[len(p.Notes)-1] != tooMany {
				p.Notes = append(p.Notes, tooMany)
			}
			continue
		}
		if !p.add(neg, op, val, quoted) {
			continue
		}
		n++
	}
	return p
}

const tooMany = "Only the first 32 words and operators of the query were used."

// add records one item; false when it held nothing searchable.
func (p *Parsed) add(neg bool, op, val string, quoted bool) bool {
	if op == "cat:" {
		val = strings.Trim(strings.TrimSpace(val), `"`)
		if val == "" || neg || !validCategory(val) {
			if val != "" {
				p.Notes = append(p.Notes, "Ignored the category filter "+quoteNote(val)+".")
			} else {
				p.Notes = append(p.Notes, "Ignored \"cat:\" with no category after it.")
			}
			return false
		}
		p.Categories = append(p.Categories, val)
		return true
	}
	words := words(val)
	if len(words) == 0 {
		if op != "" || neg {
			p.Notes = append(p.Notes, "Ignored "+quoteNote(strings.TrimSpace(map[bool]string{true: "-", false: ""}[neg]+op+val))+" with nothing to search after it.")
		}
		return false
	}
	switch {
	case neg:
		if quoted || op != "" {
			p.Exclude = append(p.Exclude, words)
		} else {
			// "-word-word" style: each piece excluded
			for _, w := range words {
				p.Exclude = append(p.Exclude, []string{w})
			}
		}
	case op == "au:":
		p.Authors = append(p.Authors, words)
	case op == "ti:":
		p.Title = append(p.Title, words)
	case quoted && len(words) > 1:
		p.Phrases = append(p.Phrases, words)
	default:
		// "self-supervised" typed bare is one thought but two index words:
		// search both as plain words (ranking rewards having both).
		p.Words = append(p.Words, words...)
	}
	return true
}

func quoteNote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return `"` + strings.ToValidUTF8(s, "") + `"`
}

// validCategory accepts arXiv category names: "cs", "cs.LG", "hep-th", "math.AG", "q-bio.NC".
func validCategory(s string) bool {
	if len(s) > 20 {
		return false
	}
	for _, r := range s {
		if !(r == '.' || r == '-' || (r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)))) {
			return false
		}
	}
	return true
}

// words splits a value into folded index words (stopwords kept; the
// analyser drops them where they do not count).
func words(s string) []string {
	var out []string
	keyword.Tokens(s, func(t keyword.Token) { out = append(out, t.Word) })
	return out
}

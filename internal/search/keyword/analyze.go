// Package keyword is Paperboy's in-memory keyword index: BM25 with field
// weights over titles, abstracts and author names, with top-k pruning
// (MaxScore) so that broad terms stay fast on a million papers. SQLite's FTS5
// scores every match and cannot prune, which measured 860 ms for a term in
// most of a million abstracts; this index answers such queries in a few ms.
package keyword

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"

	"github.com/paperboy/paperboy/internal/spelling"
)

// Token is one word of a text with its byte span, for highlighting.
type Token struct {
	Word       string // lower-cased, accents folded
	Start, End int    // byte offsets in the original text
}

// maxTokenLen drops runs longer than any real word (base64, hashes, LaTeX soup);
// they would only bloat the dictionary.
const maxTokenLen = 40

// Tokens splits text into words: runs of letters and digits. Hyphens, slashes
// and punctuation separate words ("self-supervised" is two words), as readers
// type them either way. Words are lower-cased and Latin accents folded
// ("Schrödinger" -> "schrodinger") so author names match however typed.
func Tokens(text string, fn func(Token)) {
	start := -1
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			emit(text, start, i, fn)
			start = -1
		}
	}
	if start >= 0 {
		emit(text, start, len(text), fn)
	}
}

func emit(text string, start, end int, fn func(Token)) {
	if end-start > maxTokenLen {
		return
	}
	fn(Token{Word: Fold(text[start:end]), Start: start, End: end})
}

// Fold lower-cases a word and folds common Latin accents.
func Fold(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return w
	}
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range w {
		r = unicode.ToLower(r)
		if f, ok := foldMap[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var foldMap = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th", 'ı': "i"}
	groups := map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ď", "e": "èéêëēĕėęě", "g": "ĝğġģ", "h": "ĥħ",
		"i": "ìíîïĩīĭįǐ", "j": "ĵ", "k": "ķ", "l": "ĺļľŀ", "n": "ñńņňŉ", "o": "òóôõöōŏőǒ",
		"r": "ŕŗř", "s": "śŝşšș", "t": "ţťŧț", "u": "ùúûüũūŭůűųǔ", "w": "ŵ", "y": "ýÿŷ", "z": "źżž",
	}
	for base, rs := range groups {
		for _, r := range rs {
			m[r] = base
		}
	}
	return m
}()

// IsStopWord reports words too common to mean anything in a query.
func IsStopWord(w string) bool { return english.IsStopWord(w) || extraStop[w] }

// Words that every abstract uses; as query terms they match everything and
// drown the specific ones. Kept short on purpose: "model" or "learning" are
// not stopwords, ranking (IDF) handles them.
var extraStop = map[string]bool{"also": true, "via": true, "us": true, "may": true, "can": true, "however": true}

// Stem reduces a folded word to its Snowball (Porter2) English stem, British
// spellings first made American ("behaviour" and "behavior" are one term).
// Words with digits ("gpt4", "2d") are kept as they are: stemming them is
// noise.
func Stem(w string) string {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			return w // not English; Snowball would mangle it
		}
		if '0' <= c && c <= '9' {
			return w
		}
	}
	return english.Stem(spelling.American(w), true)
}

// stemCache maps folded words to stems for every goroutine: Snowball costs
// about a microsecond a word, and indexing, highlighting and phrase checks
// stem the same few hundred thousand words over and over. Sharded maps
// under read-write locks (sync.Map measured three times slower here); a
// shard that grows past its share of maxCachedStems starts over, which
// bounds memory on adversarial text.
var stemShards [64]struct {
	mu sync.RWMutex
	m  map[string]string
}

const maxCachedStems = 1 << 20

// CachedStem is Stem through the shared cache. Safe for concurrent use.
func CachedStem(w string) string {
	h := uint32(2166136261)
	for i := 0; i < len(w); i++ {
		h = (h ^ uint32(w[i])) * 16777619
	}
	sh := &stemShards[h%uint32(len(stemShards))]
	sh.mu.RLock()
	st, ok := sh.m[w]
	sh.mu.RUnlock()
	if ok {
		return st
	}
	st = Stem(w)
	sh.mu.Lock()
	if sh.m == nil || len(sh.m) >= maxCachedStems/len(stemShards) {
		sh.m = make(map[string]string, 1024)
	}
	sh.m[strings.Clone(w)] = strings.Clone(st)
	sh.mu.Unlock()
	return st
}

// Terms returns the index terms of text: folded, stopwords dropped, stemmed.
func Terms(text string) []string {
	var out []string
	Tokens(text, func(t Token) {
		if !IsStopWord(t.Word) {
			out = append(out, CachedStem(t.Word))
		}
	})
	return out
}

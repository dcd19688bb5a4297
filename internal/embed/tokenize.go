package embed

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/kljensen/snowball/english"

	"github.com/paperboy/paperboy/internal/spelling"
)

// Token is a word as the static model sees it: its surface form (lower
// case, for WordNet) and its Snowball stem (the model's vocabulary).
type Token struct {
	Word, Stem string
}

// Tokenize splits text into lower-case words of letters and digits (LaTeX
// commands, lone characters, numbers and English stop words dropped) and
// stems them. Training and embedding use the same function.
func Tokenize(text string) []Token {
	var out []Token
	var b strings.Builder
	flush := func() {
		if b.Len() == 0 {
			return
		}
		w := b.String()
		b.Reset()
		if len(w) < 2 || len(w) > 40 || stopWords[w] || allDigits(w) {
			return
		}
		out = append(out, Token{Word: w, Stem: stem(w)})
	}
	skip := false // inside a LaTeX command name: \alpha, \mathcal
	for _, r := range text {
		switch {
		case r == '\\':
			flush()
			skip = true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if skip {
				if unicode.IsLetter(r) {
					continue
				}
				skip = false
			}
			b.WriteRune(unicode.ToLower(r))
		default:
			skip = false
			flush()
		}
	}
	flush()
	return out
}

// Stemming is most of tokenising's cost and words repeat, so stems are
// cached, up to a bound that keeps rare junk from growing it forever.
var (
	stems     sync.Map // word -> stem
	stemCount atomic.Int64
)

const maxCachedStems = 1 << 19

func stem(w string) string {
	if s, ok := stems.Load(w); ok {
		return s.(string)
	}
	s := english.Stem(spelling.American(w), true) // one stem for both spellings
	if stemCount.Load() < maxCachedStems {
		stems.Store(w, s)
		stemCount.Add(1)
	}
	return s
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a about above after again against all am an and any are as at be because been
	before being below between both but by can could did do does doing down during each few for from further had has
	have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself
	no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that
	the their theirs them themselves then there these they this those through to too under until up very was we were
	what when where which while who whom why will with would you your yours yourself yourselves also however thus
	therefore via within without whether among upon us may might must shall one two three etc eg ie et al`) {
		m[w] = true
	}
	return m
}()

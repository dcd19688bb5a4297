package paper

import (
	"regexp"
	"strings"
)

// Greek letters and common symbols as arXiv authors write them in titles and
// abstracts. Enough for reading; the original text is always kept.
var latexSymbols = map[string]string{
	"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
	"zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
	"lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
	"tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
	"Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
	"Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
	"infty": "∞", "times": "×", "cdot": "·", "pm": "±", "mp": "∓", "leq": "≤", "le": "≤",
	"geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼", "simeq": "≃",
	"equiv": "≡", "propto": "∝", "to": "→", "rightarrow": "→", "leftarrow": "←",
	"Rightarrow": "⇒", "mapsto": "↦", "in": "∈", "notin": "∉", "subset": "⊂", "subseteq": "⊆",
	"cup": "∪", "cap": "∩", "emptyset": "∅", "forall": "∀", "exists": "∃", "partial": "∂",
	"nabla": "∇", "sum": "∑", "prod": "∏", "int": "∫", "sqrt": "√", "ell": "ℓ", "hbar": "ħ",
	"circ": "∘", "otimes": "⊗", "oplus": "⊕", "ldots": "…", "dots": "…", "cdots": "⋯",
	"langle": "⟨", "rangle": "⟩", "log": "log", "exp": "exp", "sin": "sin", "cos": "cos",
	"max": "max", "min": "min", "lim": "lim", "deg": "deg", "det": "det", "dim": "dim",
	"%": "%", "&": "&", "#": "#", "_": "_", "$": "$", "{": "{", "}": "}",
}

var (
	// \cite{...}, \ref{...}, \label{...}: references that mean nothing outside the paper.
	latexDropRe = regexp.MustCompile(`\\(?:cite[pt]?|ref|eqref|label)\{[^}]*\}`)
	// \emph{x}, \textbf{x}, \mathrm{x}, ... keep x.
	latexWrapRe = regexp.MustCompile(`\\(?:emph|textit|textbf|textrm|texttt|textsc|text|mathrm|mathbf|mathit|mathcal|mathbb|mathsf|mathtt|operatorname|boldsymbol|bm|url|mbox|hbox|tilde|hat|bar|vec|overline|widetilde|widehat)\s*\{([^{}]*)\}`)
	latexCmdRe  = regexp.MustCompile(`\\([A-Za-z]+|[%&#_${}])`)
	accentRe    = regexp.MustCompile(`\\(["'^` + "`" + `~])\{?([A-Za-z])\}?`)
	// Code repositories on the forges researchers use.
	codeURLRe = regexp.MustCompile(`^(?i)https?://(?:www\.)?(?:github\.com|gitlab\.com)/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+`)
)

var accents = map[string]map[byte]string{
	`"`: {'a': "ä", 'o': "ö", 'u': "ü", 'e': "ë", 'i': "ï", 'A': "Ä", 'O': "Ö", 'U': "Ü"},
	`'`: {'a': "á", 'e': "é", 'i': "í", 'o': "ó", 'u': "ú", 'c': "ć", 'n': "ń", 's': "ś", 'E': "É"},
	"`": {'a': "à", 'e': "è", 'i': "ì", 'o': "ò", 'u': "ù"},
	`^`: {'a': "â", 'e': "ê", 'i': "î", 'o': "ô", 'u': "û"},
	`~`: {'a': "ã", 'n': "ñ", 'o': "õ"},
}

// TidyText makes a title or abstract readable: LaTeX symbols become Unicode,
// formatting commands keep their text, math dollars and braces go, and runs of
// whitespace (arXiv's line breaks and double spaces) become one space.
func TidyText(s string) string {
	if strings.ContainsAny(s, `\$`) {
		s = latexDropRe.ReplaceAllString(s, "")
		s = accentRe.ReplaceAllStringFunc(s, func(m string) string {
			sub := accentRe.FindStringSubmatch(m)
			if r, ok := accents[sub[1]][sub[2][0]]; ok {
				return r
			}
			return sub[2]
		})
		for range 3 { // nested \mathbf{\hat{x}}
			s = latexWrapRe.ReplaceAllString(s, "$1")
		}
		s = latexCmdRe.ReplaceAllStringFunc(s, func(m string) string {
			if r, ok := latexSymbols[m[1:]]; ok {
				return r
			}
			return m
		})
		s = strings.NewReplacer("$$", "", "$", "", `\(`, "", `\)`, "", "~", " ", "--", "–").Replace(s)
		s = stripMathBraces(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// stripMathBraces drops the grouping braces of sub- and superscripts ("x^{2}" -> "x^2").
func stripMathBraces(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c == '{' || c == '}') && (i == 0 || s[i-1] != '\\') {
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// FindCodeURLs returns the GitHub and GitLab repository URLs in text
// ("Code is available at https://github.com/o/r."), trailing punctuation removed.
func FindCodeURLs(text string) []string {
	var out []string
	// Running the case-insensitive regexp over a whole abstract costs ~30µs
	// (it has no literal prefix to search for); every URL has "://", so
	// look for that and match only where an "http(s)" ends right before it.
	for i := 0; ; {
		j := strings.Index(text[i:], "://")
		if j < 0 {
			break
		}
		j += i
		i = j + 3
		start := -1
		if j >= 5 && strings.EqualFold(text[j-5:j], "https") {
			start = j - 5
		} else if j >= 4 && strings.EqualFold(text[j-4:j], "http") {
			start = j - 4
		}
		if start < 0 {
			continue
		}
		if loc := codeURLRe.FindStringIndex(text[start:]); loc != nil {
			u := strings.TrimRight(text[start:start+loc[1]], ".,;:)")
			out = append(out, strings.TrimSuffix(u, ".git"))
			i = start + loc[1]
		}
	}
	return uniq(out)
}

// Package markup renders the small Markdown subset that comments use:
// paragraphs, *emphasis*, **strong**, `code`, fenced code blocks, links
// [text](https://…) and bare https:// links (rel="nofollow ugc"), > quotes
// and - or 1. lists. Rendering is safe by construction: the whole input is
// HTML-escaped first, and the subset is applied to the escaped text, so no
// byte the user typed can open a tag or an attribute. Only http and https
// URLs become links.
package markup

import (
	"fmt"
	"html"
	"html/template"
	"net/url"
	"regexp"
	"strings"
	"unicode"
)

// MaxLen is the longest input rendered; comments are limited before this.
const MaxLen = 20_000

// Render turns text into safe HTML.
func Render(text string) template.HTML {
	text = Clean(text)
	if len(text) > MaxLen {
		text = text[:MaxLen]
	}
	esc := html.EscapeString(text) // step one: nothing the user typed is markup any more
	var b strings.Builder
	lines := strings.Split(esc, "\n")
	for i := 0; i < len(lines); {
		line := lines[i]
		trim := strings.TrimSpace(line)
		switch {
		case trim == "":
			i++
		case strings.HasPrefix(trim, "```"):
			i++
			var code []string
			for i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), "```") {
				code = append(code, lines[i])
				i++
			}
			i++ // closing fence (or end of text)
			b.WriteString("<pre><code>" + strings.Join(code, "\n") + "</code></pre>\n")
		case strings.HasPrefix(trim, "&gt;"):
			var quote []string
			for i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "&gt;") {
				q := strings.TrimPrefix(strings.TrimSpace(lines[i]), "&gt;")
				quote = append(quote, strings.TrimPrefix(q, " "))
				i++
			}
			b.WriteString("<blockquote>" + paragraphs(quote) + "</blockquote>\n")
		case bulletRe.MatchString(line) || numberRe.MatchString(line):
			re, tag := bulletRe, "ul"
			if numberRe.MatchString(line) {
				re, tag = numberRe, "ol"
			}
			b.WriteString("<" + tag + ">")
			for i < len(lines) && re.MatchString(lines[i]) {
				item := re.ReplaceAllString(lines[i], "")
				i++
				// Indented lines continue the item.
				for i < len(lines) && strings.HasPrefix(lines[i], "  ") && strings.TrimSpace(lines[i]) != "" {
					item += " " + strings.TrimSpace(lines[i])
					i++
				}
				b.WriteString("<li>" + inline(item) + "</li>")
			}
			b.WriteString("</" + tag + ">\n")
		default:
			var para []string
			for i < len(lines) {
				t := strings.TrimSpace(lines[i])
				if t == "" || strings.HasPrefix(t, "```") || strings.HasPrefix(t, "&gt;") || bulletRe.MatchString(lines[i]) || numberRe.MatchString(lines[i]) {
					break
				}
				para = append(para, lines[i])
				i++
			}
			b.WriteString("<p>" + inline(strings.Join(para, "\n")) + "</p>\n")
		}
	}
	return template.HTML(b.String()) // #nosec: built from escaped text only
}

// paragraphs renders quoted lines: blank lines separate paragraphs.
func paragraphs(lines []string) string {
	var out []string
	for _, p := range strings.Split(strings.Join(lines, "\n"), "\n\n") {
		if strings.TrimSpace(p) != "" {
			out = append(out, "<p>"+inline(p)+"</p>")
		}
	}
	return strings.Join(out, "")
}

var (
	bulletRe = regexp.MustCompile(`^\s{0,3}[-*+]\s+`)
	numberRe = regexp.MustCompile(`^\s{0,3}\d{1,9}[.)]\s+`)
	codeRe   = regexp.MustCompile("`([^`\n]+)`")
	// Links and bare URLs, matched in escaped text. A URL stops at white
	// space, '<' (cannot occur: escaped), and an escaped quote or angle
	// bracket, which arrive as '&'-entities ending in ';' handled below.
	linkRe   = regexp.MustCompile(`\[([^\[\]\n]{1,300})\]\(((?i:https?)://[^\s()]+)\)`)
	bareRe   = regexp.MustCompile(`(?i)\bhttps?://[^\s()<>]+`)
	strongRe = regexp.MustCompile(`\*\*([^*\n<]+?)\*\*|__([^_\n<]+?)__`)
	emRe     = regexp.MustCompile(`\*([^*\s<](?:[^*\n<]*[^*\s<])?)\*|\b_([^_\n<]+?)_\b`)
	slotRe   = regexp.MustCompile("\x00(\\d+)\x00")
)

// inline applies code, links and emphasis to one escaped block of text.
// Code spans and links are set aside in numbered slots first, so that
// emphasis never applies inside them.
func inline(s string) string {
	var slots []string
	slot := func(h string) string {
		slots = append(slots, h)
		return fmt.Sprintf("\x00%d\x00", len(slots)-1)
	}
	s = codeRe.ReplaceAllStringFunc(s, func(m string) string {
		return slot("<code>" + codeRe.FindStringSubmatch(m)[1] + "</code>")
	})
	s = linkRe.ReplaceAllStringFunc(s, func(m string) string {
		sub := linkRe.FindStringSubmatch(m)
		href, ok := safeURL(sub[2])
		if !ok {
			return m
		}
		return slot(`<a href="` + href + `" rel="nofollow ugc noopener" target="_blank">` + emphasis(sub[1]) + `</a>`)
	})
	s = bareRe.ReplaceAllStringFunc(s, func(m string) string {
		// Trailing punctuation belongs to the sentence, not the URL.
		trail := ""
		for {
			t := strings.TrimRight(m, ".,;:!?'\"")
			if strings.HasSuffix(t, "&#34") || strings.HasSuffix(t, "&#39") || strings.HasSuffix(t, "&gt") || strings.HasSuffix(t, "&lt") || strings.HasSuffix(t, "&amp") {
				t = t[:strings.LastIndexByte(t, '&')]
			}
			if t == m {
				break
			}
			trail = m[len(t):] + trail
			m = t
		}
		href, ok := safeURL(m)
		if !ok {
			return m + trail
		}
		return slot(`<a href="`+href+`" rel="nofollow ugc noopener" target="_blank">`+m+`</a>`) + trail
	})
	s = emphasis(s)
	s = strings.ReplaceAll(s, "\n", "<br>\n")
	for strings.Contains(s, "\x00") { // slots may hold slots (emphasis in link text holds none, but be thorough)
		s = slotRe.ReplaceAllStringFunc(s, func(m string) string {
			var n int
			fmt.Sscanf(slotRe.FindStringSubmatch(m)[1], "%d", &n)
			return slots[n]
		})
	}
	return s
}

func emphasis(s string) string {
	s = strongRe.ReplaceAllString(s, "<strong>$1$2</strong>")
	s = emRe.ReplaceAllString(s, "<em>$1$2</em>")
	return s
}

// safeURL takes a URL in escaped form and returns it escaped for an
// attribute, when it is an absolute http or https URL with a host.
func safeURL(escaped string) (string, bool) {
	raw := html.UnescapeString(escaped)
	u, err := url.Parse(raw)
	if err != nil || !strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https") {
		return "", false
	}
	if u.Host == "" || u.User != nil {
		return "", false
	}
	u.Scheme = strings.ToLower(u.Scheme)
	return html.EscapeString(u.String()), true
}

// Clean drops what has no place in a comment: NUL and other control
// characters (but newlines and tabs), and the Unicode bidirectional
// overrides that can make text read differently from what it is. Line
// endings become \n.
func Clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case unicode.IsControl(r):
			return -1
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0xFEFF:
			return -1
		}
		return r
	}, s)
}

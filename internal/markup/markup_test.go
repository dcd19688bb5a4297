package markup

import (
	"regexp"
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	for _, test := range []struct{ in, want string }{
		{"hello", "<p>hello</p>\n"},
		{"a\nb\n\nc", "<p>a<br>\nb</p>\n<p>c</p>\n"},
		{"*em* and **strong** and _u_", "<p><em>em</em> and <strong>strong</strong> and <em>u</em></p>\n"},
		{"use `a<b && *c*`", "<p>use <code>a&lt;b &amp;&amp; *c*</code></p>\n"},
		{"```\nif a < b {\n  *x*\n}\n```", "<pre><code>if a &lt; b {\n  *x*\n}</code></pre>\n"},
		{"see [the paper](https://arxiv.org/abs/2310.06110?a=1&b=2)",
			`<p>see <a href="https://arxiv.org/abs/2310.06110?a=1&amp;b=2" rel="nofollow ugc noopener" target="_blank">the paper</a></p>` + "\n"},
		{"code at https://github.com/x/y.", `<p>code at <a href="https://github.com/x/y" rel="nofollow ugc noopener" target="_blank">https://github.com/x/y</a>.</p>` + "\n"},
		{"> quoted *text*\n> more\n\nreply", "<blockquote><p><em>quoted</em> text… </p></blockquote>\n"},
		{"- one\n- two *b*\n\n1. first\n2. second", "<ul><li>one</li><li>two <em>b</em></li></ul>\n<ol><li>first</li><li>second</li></ol>\n"},
		{"5 * 3 * 2 = 30", "<p>5 * 3 * 2 = 30</p>\n"},
	} {
		if test.in == "> quoted *text*\n> more\n\nreply" {
			test.want = "<blockquote><p><em>quoted</em> text<br>\nmore</p></blockquote>\n<p>reply</p>\n"
			test.want = strings.Replace(test.want, "<em>quoted</em> text", "quoted <em>text</em>", 1)
		}
		if got := string(Render(test.in)); got != test.want {
			t.Errorf("Render(%q)\n got %q\nwant %q", test.in, got, test.want)
		}
	}
}

// XSS payloads after OWASP's XSS filter evasion cheat sheet, and unicode tricks.
var xssPayloads = []string{
	`<script>alert(1)</script>`,
	`<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>`,
	`<img src=x onerror=alert(1)>`,
	`<IMG SRC="javascript:alert('XSS');">`,
	`<svg/onload=alert(1)>`,
	`<iframe src="javascript:alert(1)"></iframe>`,
	`<a href="javascript:alert(1)">x</a>`,
	`[click](javascript:alert(1))`,
	`[click](JaVaScRiPt:alert(1))`,
	`[click](java	script:alert(1))`,
	`[click](&#106;avascript:alert(1))`,
	`[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`[click](vbscript:msgbox(1))`,
	`[x](https://example.com/"onmouseover="alert(1))`,
	`[x](https://example.com/' onmouseover='alert(1))`,
	`https://example.com/"><script>alert(1)</script>`,
	`https://example.com/x"onmouseover=alert(1)//`,
	`[x"><img src=x onerror=alert(1)>](https://example.com)`,
	"`<script>alert(1)</script>`",
	"```\n</code></pre><script>alert(1)</script>\n```",
	`> <img src=x onerror=alert(1)>`,
	`- <b onmouseover=alert(1)>x</b>`,
	`**<i>x</i>**`,
	`<<script>script>alert(1)<</script>/script>`,
	`&lt;script&gt;alert(1)&lt;/script&gt;`,
	"\x00<script>alert(1)</script>",
	"<scr\x00ipt>alert(1)</script>",
	"\u202e<script>alert(1)</script>",
	"\uff1cscript\uff1ealert(1)\uff1c/script\uff1e", // fullwidth angle brackets
	`<div style="background:url(javascript:alert(1))">`,
	`<style>@import 'https://xss.example/x.css';</style>`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<object data="javascript:alert(1)">`,
	`<body onload=alert(1)>`,
	`[x](https://user:pass@evil.example/)`,
	`"><svg onload=alert(1)>`,
	`'';!--"<XSS>=&{()}`,
}

// tagRe finds every tag in the output; only the allowed ones may appear.
var (
	tagRe   = regexp.MustCompile(`<(/?)([a-zA-Z]+)([^>]*)>`)
	allowed = map[string]bool{"p": true, "br": true, "em": true, "strong": true, "code": true, "pre": true, "blockquote": true, "ul": true, "ol": true, "li": true, "a": true}
	aAttrRe = regexp.MustCompile(`^ href="https?://[^"<>\s]*" rel="nofollow ugc noopener" target="_blank"$`)
)

func TestRenderXSS(t *testing.T) {
	for _, p := range xssPayloads {
		out := string(Render(p))
		rest := tagRe.ReplaceAllStringFunc(out, func(tag string) string {
			m := tagRe.FindStringSubmatch(tag)
			name, attrs := strings.ToLower(m[2]), m[3]
			if !allowed[name] {
				t.Errorf("Render(%q) = %q: tag <%s> not allowed", p, out, name)
			}
			if name == "a" && m[1] == "" {
				if !aAttrRe.MatchString(attrs) {
					t.Errorf("Render(%q) = %q: link attributes %q", p, out, attrs)
				}
				if strings.Contains(strings.ToLower(attrs), "javascript") {
					t.Errorf("Render(%q) = %q: javascript in link", p, out)
				}
			} else if attrs != "" {
				t.Errorf("Render(%q) = %q: attributes %q on <%s>", p, out, attrs, name)
			}
			return ""
		})
		if strings.ContainsAny(rest, "<>\"'") || strings.Contains(rest, "\x00") || strings.Contains(rest, "\u202e") {
			t.Errorf("Render(%q) = %q: raw markup character outside an allowed tag: %q", p, out, rest)
		}
	}
}

func TestRenderLinksOnlyHTTP(t *testing.T) {
	for _, in := range []string{"[a](ftp://x.example/)", "[a](mailto:a@b.c)", "[a](//evil.example/)", "[a](/relative)"} {
		if strings.Contains(string(Render(in)), "<a ") {
			t.Errorf("Render(%q) made a link: %s", in, Render(in))
		}
	}
}

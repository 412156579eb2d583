package mailin

import (
	"strings"
	"testing"
	"time"
)

// htmlCases pin what HTMLToText makes of ordinary mail HTML: paragraphs,
// line breaks, lists, table cells, entities, links (their text), and
// what it drops (scripts, styles, the head, comments, tags).
var htmlCases = []struct{ name, in, want string }{
	{"paragraphs", "<p>One</p><p>Two</p>", "One\n\nTwo"},
	{"line break", "a<br>b<br/>c", "a\nb\nc"},
	{"white space", "  many\n\t spaces \r\n here ", "many spaces here"},
	{"entities", "&lt;svarīgs&gt; &amp; &eacute; &#32;x&#x41; &nbsp;y", "<svarīgs> & é xA y"},
	{"link text", `Open <a href="https://ppp.viaa.gov.lv/x?a=1&amp;b=2">the portal</a> now.`, "Open the portal now."},
	{"list", "<ul><li>viens</li><li>divi</li></ul>", "• viens\n• divi"},
	{"table", "<table><tr><td>a</td><td>b</td></tr><tr><th>c</th><td>d</td></tr></table>", "a b\n\nc d"},
	{"headings and divs", "<h1>Title</h1><div>Body <b>bold</b> <i>it</i></div>", "Title\n\nBody bold it"},
	{"script and style", `<style>p { color: red; }</style><script>alert("x < y")</script>text`, "text"},
	{"head and title", "<html><head><title>Virsraksts</title><meta charset=utf-8></head><body>body</body></html>", "body"},
	{"noscript and template", "<noscript>enable JS</noscript><template><p>t</p></template>shown", "shown"},
	{"comment", "a<!-- a comment <p>hidden</p> -->b", "ab"},
	{"lone less-than", "1 < 2 and 3 > 2", "1 < 2 and 3 > 2"},
	{"quoted attribute with >", `<p title="a > b">text</p>`, "text"},
	{"unclosed comment", "before<!-- never closed <p>x</p>", "before"},
	{"unclosed script", "before<script>var x = '</p>'", "before"},
	{"paragraph runs", "<p>a</p>\n\n<p></p><p></p><div>b</div>", "a\n\nb"},
	{"blockquote and hr", "x<blockquote>quoted</blockquote><hr>y", "x\n\nquoted\n\ny"},
	{"definition list", "<dl><dt>term</dt><dd>meaning</dd></dl>", "term\n\nmeaning"},
	{"upper case tags", "<P>One</P><BR><SCRIPT>x</SCRIPT>Two", "One\n\nTwo"},
	{"processing instruction and doctype", "<?xml version=\"1.0\"?><!DOCTYPE html>text", "text"},
	{"invalid UTF-8 kept valid", "a\xffb", "a\uFFFDb"},
}

func TestHTMLToText_KeepsBehaviour(t *testing.T) {
	for _, c := range htmlCases {
		t.Run(c.name, func(t *testing.T) {
			if got := HTMLToText(c.in); got != c.want {
				t.Errorf("HTMLToText(%q) =\n%q\nwant\n%q", c.in, got, c.want)
			}
		})
	}
}

// TestHTMLToText_TimeBudget: past its time budget a parse stops and says
// so; what came before is kept.
func TestHTMLToText_TimeBudget(t *testing.T) {
	in := "<p>first</p>" + strings.Repeat("<p>more text</p>", 50000)
	text, complete := htmlToText(in, htmlBudget{deadline: time.Now().Add(-time.Second), maxText: 1 << 20})
	if complete {
		t.Fatal("a parse past its deadline says it is complete")
	}
	if !strings.HasPrefix(text, "first") || strings.Count(text, "more text") >= 50000 {
		t.Errorf("text after the budget: %d bytes, starts %q", len(text), text[:min(len(text), 40)])
	}
	if text, complete := htmlToText(in, htmlBudget{deadline: time.Now().Add(time.Hour), maxText: 1 << 20}); !complete || strings.Count(text, "more text") != 50000 {
		t.Errorf("within the budget: complete %v, %d paragraphs", complete, strings.Count(text, "more text"))
	}
}

// TestHTMLToText_SizeBudget: text beyond maxText is dropped, and the parse
// says it is incomplete.
func TestHTMLToText_SizeBudget(t *testing.T) {
	in := strings.Repeat("<p>0123456789</p>", 1000)
	text, complete := htmlToText(in, htmlBudget{deadline: time.Now().Add(time.Hour), maxText: 1000})
	if complete || len(text) > 1000+100 || !strings.HasPrefix(text, "0123456789") {
		t.Errorf("complete %v, %d bytes", complete, len(text))
	}
}

// TestParse_HTMLOverBudget_KeptRawWithNote: a message whose HTML is cut
// keeps its raw bytes and says why, so the helpdesk shows it raw.
func TestParse_HTMLOverBudget_KeptRawWithNote(t *testing.T) {
	body := strings.Repeat("<p>0123456789</p>", (MaxHTMLText/10)+1000)
	raw := []byte("From: a@example.com\r\nMessage-ID: <big-html@example.com>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body)
	m := Parse(raw)
	if !strings.Contains(m.ParseError, "HTML") || !strings.HasPrefix(m.Text, "0123456789") || len(m.Text) > MaxHTMLText+100 {
		t.Errorf("ParseError %q, %d bytes of text", m.ParseError, len(m.Text))
	}
}

// hostileHTML are bodies built to make an HTML reducer work hard, each
// 10 MiB (the listener's size limit).
var hostileHTML = map[string]func(n int) string{
	// 200 KB of this took the old reducer 9.2 s: each '<' scanned to the
	// end for a '>'.
	"open-tags":      func(n int) string { return strings.Repeat("<a", n/2) },
	"open-comments":  func(n int) string { return strings.Repeat("<!--", n/4) },
	"open-quotes":    func(n int) string { return strings.Repeat(`<a href="`, n/9) },
	"nested":         func(n int) string { return strings.Repeat("<div><p><b>", n/11) },
	"attributes":     func(n int) string { return "<a " + strings.Repeat("x=1 ", n/4) + ">" },
	"entities":       func(n int) string { return strings.Repeat("&amp;&#x41;&eacute", n/18) },
	"script-closers": func(n int) string { return "<script>" + strings.Repeat("</scrip", n/7) },
	"blocks":         func(n int) string { return strings.Repeat("<p>x</p><li>", n/12) },
}

// BenchmarkHTMLToText_Hostile10MiB reduces each hostile 10 MiB body; the
// target is well under a second per body (ns/op < 1e9), with no help from
// the budget (a body cut by it fails the benchmark).
func BenchmarkHTMLToText_Hostile10MiB(b *testing.B) {
	const size = 10 << 20
	for name, gen := range hostileHTML {
		in := gen(size)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				// No size budget, and a time budget far beyond the
				// target: the whole body is reduced.
				if _, complete := htmlToText(in, htmlBudget{deadline: time.Now().Add(time.Minute), maxText: 1 << 30}); !complete {
					b.Fatal("cut by the budget")
				}
			}
		})
	}
}

package mailin

import (
	"errors"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Budget of one HTML reduction. A mail's HTML part can be as large as the
// message (10 MiB at the listener, 25 MiB in an import); the tokenizer is
// linear, so these only stop a body no person would read.
const (
	// MaxHTMLText bounds the text one HTML part is reduced to; what
	// follows is dropped and the message is marked (ParseError), so the
	// helpdesk shows it raw.
	MaxHTMLText = 1 << 20
	// HTMLTimeBudget bounds the time one HTML part may take.
	HTMLTimeBudget = 2 * time.Second
)

// htmlBudget is what one reduction may spend: until deadline, and at most
// maxText bytes of text.
type htmlBudget struct {
	deadline time.Time
	maxText  int
}

// htmlCheckEvery is how many tokens pass between looks at the clock.
const htmlCheckEvery = 256

// htmlLongestName is the length of the longest element name htmlSkipped
// and blockBreak know ("blockquote").
const htmlLongestName = 10

// HTMLToText reduces an HTML body to plain text: tags, comments, scripts
// and styles go, entities are decoded, block elements become line and
// paragraph breaks, runs of white space become one space. It works in one
// pass of golang.org/x/net/html's tokenizer (linear in the input) within
// HTMLTimeBudget and MaxHTMLText; what lies beyond is dropped.
func HTMLToText(s string) string {
	text, _ := htmlToText(s, htmlBudget{deadline: time.Now().Add(HTMLTimeBudget), maxText: MaxHTMLText})
	return text
}

// htmlSkipped are the elements whose content is not text a person reads
// in a mail: code, styles, the head, fallbacks for other media.
var htmlSkipped = map[string]bool{
	"script": true, "style": true, "head": true, "title": true, "noscript": true, "template": true,
	"iframe": true, "noembed": true, "noframes": true,
}

// htmlToText is HTMLToText within budget; complete is false when the
// budget ended the reduction before the end of s.
func htmlToText(s string, budget htmlBudget) (text string, complete bool) {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	var pending []byte // character data since the last break
	flush := func() {
		if len(pending) > 0 {
			collapseSpaceInto(&b, pending)
			pending = pending[:0]
		}
	}
	skipping := "" // the skipped element we are inside
	complete = true
	for n := 0; ; n++ {
		if n > 0 && n%htmlCheckEvery == 0 && time.Now().After(budget.deadline) {
			complete = false
			break
		}
		if b.Len()+len(pending) > budget.maxText {
			complete = false
			break
		}
		tt := z.Next()
		if tt == html.ErrorToken {
			if err := z.Err(); !errors.Is(err, io.EOF) {
				complete = false
			}
			break
		}
		switch tt {
		case html.TextToken:
			if skipping == "" {
				pending = append(pending, z.Text()...)
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			nameBytes, _ := z.TagName()
			if len(nameBytes) > htmlLongestName {
				// No element we look for; a hostile name can be
				// megabytes long, not worth a copy.
				nameBytes = nil
			}
			name := string(nameBytes)
			closing := tt == html.EndTagToken
			if skipping != "" {
				// A page without </head> starts its body anyway.
				if (closing && name == skipping) || (skipping == "head" && name == "body" && !closing) {
					skipping = ""
				}
				continue
			}
			if htmlSkipped[name] {
				if tt == html.StartTagToken {
					skipping = name
				}
				continue
			}
			if brk := blockBreak(name, closing); brk != "" {
				flush()
				b.WriteString(brk)
			}
		}
	}
	flush()
	text = tidyLines(b.String())
	if len(text) > budget.maxText {
		text = strings.ToValidUTF8(text[:budget.maxText], "")
	}
	return text, complete
}

// blockBreak is what an element's tag puts into the text.
func blockBreak(name string, closing bool) string {
	switch name {
	case "br":
		return "\n"
	case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
		"table", "ul", "ol", "dl", "section", "article", "header", "footer", "hr", "address":
		return "\n\n"
	case "li":
		if closing {
			return ""
		}
		return "\n• "
	case "tr", "dt", "dd":
		return "\n"
	case "td", "th":
		if closing {
			return ""
		}
		return " "
	}
	return ""
}

// collapseSpaceInto writes s to b with every run of white space made one
// space; bytes that are not UTF-8 become U+FFFD.
func collapseSpaceInto(b *strings.Builder, s []byte) {
	space := false
	for len(s) > 0 {
		r, size := utf8.DecodeRune(s)
		s = s[size:]
		switch r {
		case ' ', '\t', '\r', '\n', '\f', '\u00a0':
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
}

// tidyLines trims each line and keeps at most one empty line between
// paragraphs.
func tidyLines(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	blank := false
	for rest := s; len(rest) > 0 || s == ""; {
		line, after, found := strings.Cut(rest, "\n")
		rest = after
		if line = strings.TrimSpace(line); line == "" {
			blank = true
		} else {
			if b.Len() > 0 {
				b.WriteByte('\n')
				if blank {
					b.WriteByte('\n')
				}
			}
			blank = false
			b.WriteString(line)
		}
		if !found {
			break
		}
	}
	return b.String()
}

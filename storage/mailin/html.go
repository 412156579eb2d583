package mailin

import (
	"html"
	"strings"
)

// HTMLToText reduces an HTML body to plain text: tags, comments, scripts
// and styles go, entities are decoded, block elements become line and
// paragraph breaks, runs of white space become one space.
func HTMLToText(s string) string {
	var b strings.Builder
	var text strings.Builder // pending character data
	flush := func() {
		if text.Len() > 0 {
			b.WriteString(collapseSpace(html.UnescapeString(text.String())))
			text.Reset()
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c != '<' {
			text.WriteByte(c)
			i++
			continue
		}
		if strings.HasPrefix(s[i:], "<!--") {
			end := strings.Index(s[i+4:], "-->")
			if end < 0 {
				break
			}
			i += 4 + end + 3
			continue
		}
		end := tagEnd(s, i+1)
		if end < 0 { // not a tag after all: a lone '<'
			text.WriteByte(c)
			i++
			continue
		}
		tag := s[i+1 : end]
		i = end + 1
		closing := strings.HasPrefix(tag, "/")
		name := strings.ToLower(strings.TrimLeft(tag, "/!?"))
		if k := strings.IndexAny(name, " \t\r\n/"); k >= 0 {
			name = name[:k]
		}
		switch name {
		case "script", "style", "head", "title", "noscript", "template":
			if closing {
				continue
			}
			// Skip to the matching end tag.
			closeTag := "</" + name
			k := strings.Index(strings.ToLower(s[i:]), closeTag)
			if k < 0 {
				i = len(s)
				continue
			}
			i += k
			if e := strings.IndexByte(s[i:], '>'); e >= 0 {
				i += e + 1
			} else {
				i = len(s)
			}
			continue
		}
		brk := blockBreak(name, closing)
		if brk == "" {
			continue
		}
		flush()
		b.WriteString(brk)
	}
	flush()
	return tidyLines(b.String())
}

// tagEnd returns the index of the '>' closing the tag whose name starts at
// i, skipping quoted attribute values; -1 if s[i:] does not start a tag.
func tagEnd(s string, i int) int {
	if i >= len(s) {
		return -1
	}
	c := s[i]
	if !(c == '/' || c == '!' || c == '?' || (c|0x20 >= 'a' && c|0x20 <= 'z')) {
		return -1
	}
	var quote byte
	for j := i; j < len(s); j++ {
		switch c := s[j]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return j
		}
	}
	return -1
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

func collapseSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
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
	return b.String()
}

// tidyLines trims each line and keeps at most one empty line between
// paragraphs.
func tidyLines(s string) string {
	lines := strings.Split(s, "\n")
	var out []string
	blank := 0
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			blank++
			continue
		}
		if len(out) > 0 && blank > 0 {
			out = append(out, "")
		}
		blank = 0
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

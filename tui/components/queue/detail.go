package queue

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/viewport"
	"github.com/viaa/ppp/tui/common"
)

// detailView renders an open item in w×h: its header, which stays on
// screen, then its body scrolling in vp. When the body does not fit, the
// header's second line says how far down it is, since no scroll bar shows.
func detailView(c *common.Common, header []string, vp viewport.Model, w, h int) string {
	if len(header) > 1 && vp.TotalLineCount() > vp.Height {
		at := c.Styles.Muted.Render(fmt.Sprintf("↕ %d%%", int(vp.ScrollPercent()*100+0.5)))
		header[1] = common.SpreadLine(header[1], at, w)
	}
	return common.FitBlock(strings.Join(header, "\n")+"\n"+vp.View(), w, h)
}

// layoutDetail fits vp, the body of an open item, in w×h under a header of
// headerLines lines and fills it with content.
func layoutDetail(vp *viewport.Model, w, h, headerLines int, content string) {
	vp.Width = w
	vp.Height = max(h-headerLines, 1)
	vp.SetContent(content)
}

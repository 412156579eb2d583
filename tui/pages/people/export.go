package people

import (
	"context"
	"strconv"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/listview"
)

// The person's data on request (issue 18, GDPR Art. 15) is exported on
// the command line, never from the screen: a terminal session cannot hand
// a file to the operator, and a file written on the server would be an
// unmanaged copy of everything about the person outside the database's
// retention and access rules. So the key (g, security officers only) shows
// the `ppp person export` line for this person and records nothing; the
// command asks for the reason and audits the export.
func init() {
	identityExtras = append(identityExtras, func(p *personView) *listview.Action[*fieldRow] {
		return &listview.Action[*fieldRow]{
			Keys: []string{"g"}, Help: "tui.ppl.key.export", Free: true,
			Rule: func(*fieldRow) error { return p.may(domain.PersonExportAction) },
			Send: func(*fieldRow) listview.Send {
				return func(context.Context) (tea.Cmd, error) {
					return common.StatusCmd("tui.ppl.export_how", exportLine(p)), nil
				}
			},
		}
	})
}

// exportLine is the command that exports the person's data, acting as
// the operator of the session.
func exportLine(p *personView) string {
	as := "OPERATORS"
	if p.c.Operator != nil {
		as = p.c.Operator.Name
	}
	return "ppp person export --id " + strconv.FormatInt(p.id, 10) + ` --reason "…" --as ` + as + " > persona-" +
		strconv.FormatInt(p.id, 10) + ".txt"
}

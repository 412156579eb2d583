package helpdesk

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/queue"
)

// denyIncidentAction is a security officer's ¶32.6 denial from an
// incident ticket (¶25, ¶17.5): the key opens the denials screen's form,
// the ground ¶32.6, the subject the matched account (or the officer's
// pick) and the evidence naming the ticket; the denials screen raises it
// through HelpdeskService.RaiseIncidentDenial, which notes it in the
// thread. Nothing is written here.
func (m *Model) denyIncidentAction() act {
	return act{Keys: keys("d"), Help: "tui.hd.key.deny_incident", Rule: m.rule(domain.TicketDenyIncident), After: queue.Keep,
		Send: func(o *open, _ int64) queue.Send {
			msg := common.DenyFromTicketMsg{TicketID: o.ID}
			if a := o.Item.Account; a != nil {
				cp := *a
				msg.Account = &cp
			}
			return func(context.Context) (func() tea.Cmd, error) {
				return func() tea.Cmd { return func() tea.Msg { return msg } }, nil
			}
		}}
}

package common

import "github.com/viaa/ppp/domain"

// DenyFromTicketMsg asks the root to open the denials screen with the
// form of a ¶32.6 denial raised from incident ticket TicketID (¶25,
// ¶17.5, ¶32.6): the subject is the ticket's matched account when Account
// is set, otherwise the officer picks it. The root switches to the
// denials screen and hands the message to it.
type DenyFromTicketMsg struct {
	TicketID int64
	Account  *domain.AccountRef // nil: no confirmed address matched
}

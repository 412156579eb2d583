package domain

// The topics of the change feed: a Change's Topic and what storage.Notify
// announces, as "topic:id" on one NOTIFY channel. Every topic the program
// sends or listens for is one of these; a bare string is a test failure
// (see TestConstants_NoBareActionOrTopicStrings). Payloads carry ids only,
// never personal data.
const (
	// TopicDB is the feed's own connection to the database: its ID is
	// ChangeUp or ChangeDown. Every subscriber receives it, whatever
	// topics it asked for.
	TopicDB = "db"
	// TopicOperator is an operator's row, roles or keys (also sent by the
	// trigger of migration 0001).
	TopicOperator = "operator"
	// TopicRoleRequest is a role request (also sent by the trigger of
	// migration 0012).
	TopicRoleRequest = "role_request"
	// TopicOutbox is an e-mail written to the outbox (sent by the trigger
	// of migration 0020), which wakes the mail worker.
	TopicOutbox = "outbox"
	// TopicTerms is a version of the terms of use.
	TopicTerms = "terms"
	// TopicAnnouncement is a news item or a planned downtime.
	TopicAnnouncement = "announcement"
	// TopicDenial is an access denial.
	TopicDenial = "denial"
	// TopicIMK is an IMK application.
	TopicIMK = "imk"
	// TopicIMKPolicy is a version of the IMK target-group policy.
	TopicIMKPolicy = "imk_policy"
	// TopicTicket is a helpdesk ticket.
	TopicTicket = "ticket"
	// TopicEmailChange is a staff change of an account's e-mail address.
	TopicEmailChange = "email_change"
	// TopicPendingReset is a privileged password reset waiting for a
	// second person.
	TopicPendingReset = "pending_reset"
	// TopicAlert is a misuse alert.
	TopicAlert = "alert"
	// TopicBulk is a bulk job: its state or progress (issue 17).
	TopicBulk = "bulk"
)

// The IDs of a TopicDB change.
const (
	// ChangeUp says the feed is connected again: re-read what is shown,
	// since changes may have been missed meanwhile.
	ChangeUp = "up"
	// ChangeDown says the feed lost its connection.
	ChangeDown = "down"
)

// The misuse signals' topic (issue 18, task "misuse").
const (
	// TopicMisuseSignal is a misuse signal about applicants or providers.
	TopicMisuseSignal = "misuse_signal"
)

// The institutions' topic (review after issue 17).
const (
	// TopicInstitution is an institution's row: its details, its state
	// (a suspension, a denial, a lift), its re-verification dates (sent
	// by the trigger of migration 0344).
	TopicInstitution = "institution"
)

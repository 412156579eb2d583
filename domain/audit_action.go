package domain

import "strings"

// The actions of the audit log (AuditEntry.Action): every entry the
// program writes names one of these, and the audit screen's action filter
// matches their prefixes ("auth.", "rolerequest."). A bare string in
// their place is a test failure (see
// TestConstants_NoBareActionOrTopicStrings). An action, once written, is in
// the hash-chained log for good: never rename one.
const (
	// Signing in and out (storage/auth.go, storage/auth_attempt.go).
	AuditSignIn         = "auth.sign_in"
	AuditSignOut        = "auth.sign_out"
	AuditNoSession      = "auth.no_session" // signed in, but no session followed
	AuditSignInFailure  = "auth.failure"
	AuditSignInLock     = "auth.lock"
	AuditResetCodeIssue = "auth.reset_code" // a one-time code for an operator, or why none was sent
	AuditResetCodeUsed  = "auth.reset_code_used"

	// Operators (storage/operator.go).
	AuditOperatorCreate    = "operator.create"
	AuditOperatorEnable    = "operator.enable"
	AuditOperatorDisable   = "operator.disable"
	AuditOperatorUnlock    = "operator.unlock"
	AuditOperatorRoles     = "operator.roles"
	AuditOperatorPassword  = "operator.password"
	AuditOperatorLanguage  = "operator.language"
	AuditOperatorKeyAdd    = "operator.key_add"
	AuditOperatorKeyRemove = "operator.key_remove"

	// Role requests (storage/portal.go, storage/rolerequest_*.go) and the
	// roles they grant (storage/sweep_expiry.go).
	AuditRoleRequestSubmit             = "rolerequest.submit"
	AuditRoleRequestConfirmEmail       = "rolerequest.confirm_email"
	AuditRoleRequestAnswer             = "rolerequest.answer"
	AuditRoleRequestClaim              = "rolerequest.claim"
	AuditRoleRequestApprove            = "rolerequest.approve"
	AuditRoleRequestReject             = "rolerequest.reject"
	AuditRoleRequestInstitutionApprove = "rolerequest.institution_approve"
	AuditRoleRequestInstitutionReject  = "rolerequest.institution_reject"
	AuditRoleRequestRequestInfo        = "rolerequest.request_info"
	AuditRoleRequestTakeOver           = "rolerequest.take_over"
	AuditRoleRequestResend             = "rolerequest.resend"
	AuditRoleRequestExpire             = "rolerequest.expire"
	// ¶29.3: the institution is told a career consultant's request waits
	// for it (on the applicant's e-mail confirmation), reminded by the
	// sweep before the take-over limit, and reminded again by the Agency
	// after it.
	AuditRoleRequestInstitutionNotify   = "rolerequest.institution_notify"
	AuditRoleRequestInstitutionReminder = "rolerequest.institution_reminder"
	AuditRoleRequestRemindInstitution   = "rolerequest.remind_institution"
	AuditRoleExpired                    = "role.expired"
	// A reviewer's change of one role assignment (¶32.1).
	AuditAssignmentExtend = "role.extend"
	AuditAssignmentEnd    = "role.end"
	AuditAssignmentRenew  = "role.renew"

	// A full personal code shown to an operator, with the reason given.
	AuditPersonalDataReveal = "personal_data.reveal"

	// Access denials (storage/denial.go).
	AuditDenialRaise       = "denial.raise"
	AuditDenialInForce     = "denial.in_force"
	AuditDenialApprove     = "denial.approve"
	AuditDenialRefuse      = "denial.refuse"
	AuditDenialLiftRequest = "denial.lift_request"
	AuditDenialLift        = "denial.lift"
	AuditDenialLiftApprove = "denial.lift_approve"

	// Terms of use (storage/terms_*.go).
	AuditTermsDraftStart = "terms.draft_start"
	AuditTermsDraftSave  = "terms.draft_save"
	AuditTermsSubmit     = "terms.submit"
	AuditTermsReturn     = "terms.return"
	AuditTermsPublish    = "terms.publish"

	// Announcements (storage/announcement.go).
	AuditAnnouncementCreate   = "announcement.create"
	AuditAnnouncementUpdate   = "announcement.update"
	AuditAnnouncementPublish  = "announcement.publish"
	AuditAnnouncementWithdraw = "announcement.withdraw"

	// Staff changes of a Platform account's e-mail address
	// (storage/emailchange.go).
	AuditEmailChangeRequest = "account.email_change_request"
	AuditEmailChange        = "account.email_change"
	AuditEmailChangeRefuse  = "account.email_change_refuse"

	// IMK applications (storage/imk*.go, storage/sweep_death.go) and the
	// target-group policy (storage/imk_policy.go).
	AuditIMKClaim            = "imk.claim"
	AuditIMKRefetch          = "imk.refetch"
	AuditIMKApproved         = "imk.approved"
	AuditIMKRejected         = "imk.rejected"
	AuditIMKClosed           = "imk.closed"
	AuditIMKCheckEligible    = "imk.check.eligible"
	AuditIMKCheckNotEligible = "imk.check.not_eligible"
	AuditIMKCheckNeedsReview = "imk.check.needs_review"
	AuditIMKPolicyDraft      = "imk.policy_draft"
	AuditIMKPolicyApprove    = "imk.policy_approve"
	AuditIMKPolicyDiscard    = "imk.policy_discard"

	// The helpdesk (storage/helpdesk.go, storage/reset.go).
	AuditHelpdeskTicket          = "helpdesk.ticket"  // mail that opened a ticket
	AuditHelpdeskMessage         = "helpdesk.message" // mail threaded into one
	AuditHelpdeskClaim           = "helpdesk.claim"
	AuditHelpdeskCategory        = "helpdesk.category"
	AuditHelpdeskReply           = "helpdesk.reply"
	AuditHelpdeskSuspension      = "helpdesk.suspension"
	AuditHelpdeskResetIssued     = "helpdesk.reset_issued"
	AuditHelpdeskResetHeld       = "helpdesk.reset_held" // a privileged account's: waits for a second person
	AuditHelpdeskResetRefused    = "helpdesk.reset_refused"
	AuditHelpdeskResetNoPassword = "helpdesk.reset_no_password"
	AuditResetRedeem             = "reset.redeem" // a reset link used on the portal

	// A ¶32.6 denial raised from an incident ticket (storage/helpdesk_incident.go).
	AuditHelpdeskIncidentDenial = "helpdesk.incident_denial"

	// The defences of issue 9 (storage/defence_service.go).
	AuditResetApprove = "defence.reset_approve"
	AuditResetRefuse  = "defence.reset_refuse"
	AuditAlertRaise   = "alert.raise"
	AuditAlertClose   = "alert.close"

	// One person, one record (issue 16; storage/person.go): two person
	// records the Population Register said are one person, merged, or
	// left for a person to resolve.
	AuditPersonMerged        = "person.merged"
	AuditPersonMergeConflict = "person.merge_conflict"

	// Sweeps and demo data.
	AuditSweepDeathCheck = "sweep.death_check"
	AuditDemoLoad        = "demo.load"
	AuditDemoLoadTerms   = "demo.load_terms"

	// The portal API (issue 15; storage/apiclient.go, storage/portal*.go):
	// its clients, the calls that changed nothing (a refusal, a replay of
	// a stored response), and what the portal reports or reads. The
	// actor of a call is "api:<client>".
	AuditAPIClientAdd          = "api.client_add"
	AuditAPIClientRevoke       = "api.client_revoke"
	AuditAPIRefused            = "api.refused"
	AuditAPIReplayed           = "api.replayed"
	AuditIMKApply              = "imk.apply"
	AuditIMKReviewRequest      = "imk.review_request" // a person asked that a person review an automatic decision (GDPR Art. 22)
	AuditTermsAccept           = "terms.accept"
	AuditPortalSignIn          = "portal.sign_in"
	AuditPortalAuthDeactivated = "portal.auth_deactivated"
	AuditPortalSignInStatus    = "portal.sign_in_status"
	AuditPortalTermsRead       = "portal.terms_read"
	AuditPortalNewsRead        = "portal.announcements_read"
	AuditRoleRequestDocument   = "rolerequest.document_open" // a reviewer opened a document's file
)

// AuditIMKCheck returns the action of the automatic check's outcome o.
func AuditIMKCheck(o Outcome) string {
	switch o {
	case OutcomeEligible:
		return AuditIMKCheckEligible
	case OutcomeNotEligible:
		return AuditIMKCheckNotEligible
	default:
		return AuditIMKCheckNeedsReview
	}
}

// AuditIMKDecided returns the action of a reviewer's decision on an IMK
// application.
func AuditIMKDecided(approve bool) string {
	if approve {
		return AuditIMKApproved
	}
	return AuditIMKRejected
}

// AuditActionFamily returns the family of action a, its part up to and
// including the first dot ("auth." for "auth.sign_in"): what the audit
// screen's action filter matches as a prefix. An action without a dot is
// its own family.
func AuditActionFamily(a string) string {
	if i := strings.IndexByte(a, '.'); i >= 0 {
		return a[:i+1]
	}
	return a
}

// The institutions screen (issue 17).
const (
	// AuditInstitutionEdit is a reviewer's edit of an institution's
	// details, with the reason (¶17.2).
	AuditInstitutionEdit = "institution.edit"
	// AuditInstitutionDocument is a look at a document an institution
	// registered with.
	AuditInstitutionDocument = "institution.document_open"
)

// Re-verification of institutions (issue 17, "reverify"; storage/reverify.go):
// a sweep's batch, a reviewer's claim and decisions, the policy's cycle,
// an import of a register of institutions.
const (
	AuditSweepReverify    = "sweep.reverify"
	AuditReverifyClaim    = "reverify.claim"
	AuditReverifyConfirm  = "reverify.confirm"
	AuditReverifyUpdate   = "reverify.update"
	AuditReverifyEscalate = "reverify.escalate"
	AuditReverifyCycle    = "reverify.cycle"
	AuditRegisterImport   = "register.import"
)

// AuditReverifyDecided returns the action of a reviewer's decision a on a
// re-verification.
func AuditReverifyDecided(a ReverifyAction) string {
	switch a {
	case ReverifyUpdate:
		return AuditReverifyUpdate
	case ReverifyEscalate:
		return AuditReverifyEscalate
	}
	return AuditReverifyConfirm
}

// Staff actions on a person's account and records (issue 17, task
// "account"; storage/account_reset.go, storage/person_merge.go).
const (
	AuditAccountResetIssued  = "account.reset_issued"  // a reset link sent from a person's account
	AuditAccountResetHeld    = "account.reset_held"    // a privileged account's: waits for a second person
	AuditAccountResetRefused = "account.reset_refused" // refused by the rules (¶14, ¶31.3)
	AuditPersonMergeResolve  = "person.merge_resolve"  // an operator merged a conflict's two records
	AuditPersonMergeDistinct = "person.merge_distinct" // an operator said they are not one person
	AuditAccountEnded        = "account.ended"         // the account a merge did not keep
)

// The audit actions of sanction cases against institutions (¶32.5,
// ¶32.7; issue 17, sanctions).
const (
	AuditSanctionOpen    = "sanction.open"    // a case opened
	AuditSanctionWarning = "sanction.warning" // a warning given and mailed
	AuditSanctionPropose = "sanction.propose" // a suspension or a denial proposed
	AuditSanctionApprove = "sanction.approve" // approved by a second officer: in force
	AuditSanctionRefuse  = "sanction.refuse"  // refused before it had any effect
	AuditSanctionLift    = "sanction.lift"    // lifted with a reason
	AuditSanctionExpire  = "sanction.expire"  // a suspension's period ended (the sweep)
	AuditSanctionClose   = "sanction.close"   // a case closed
)

// Bulk actions (issue 17; storage/bulk*.go): a job's steps, and one entry
// per item done (besides the entry the item's own service method writes),
// naming the job and its reason.
const (
	AuditBulkPrepare = "bulk.prepare"
	AuditBulkStart   = "bulk.start"
	AuditBulkApprove = "bulk.approve"
	AuditBulkRefuse  = "bulk.refuse"
	AuditBulkCancel  = "bulk.cancel"
	AuditBulkItem    = "bulk.item"
	AuditBulkDone    = "bulk.done"
	AuditBulkMail    = "bulk.mail" // an e-mail from a bulk template, queued for one person
)

// Institutions joined with re-verification and sanctions (issue 17, task
// "wireinst"): an escalated re-verification noted on the institution's
// sanction case that was already open.
const (
	AuditSanctionEscalation = "sanction.escalation"
)

// A person's data on request (issue 18, task "gdprexport"; GDPR Art. 15):
// an export of everything held about one person, with its reason.
const (
	AuditPersonExport = "person.export"
)

// Retention (issue 18, task "retention"; storage/retention.go): a rule
// changed (`ppp retention set`), and a retention sweep's counts per kind.
const (
	AuditRetentionSet   = "retention.set"
	AuditRetentionSweep = "sweep.retention"
)

// Reports (issue 18, area "reports", storage/report.go): a report run,
// with its name and period; never a figure or personal data.
const (
	AuditReportRun = "report.run"
)

// Misuse signals about applicants and providers (issue 18, task "misuse";
// storage/misuse.go): raised by the sweep, closed with a note, thresholds
// changed.
const (
	AuditMisuseRaise     = "misuse.raise"
	AuditMisuseClose     = "misuse.close"
	AuditMisuseThreshold = "misuse.threshold"
)

// The reports screen (issue 18, task "rptui", storage/report_drill.go): the
// list behind a report's figure read, with the drill and period; never an
// item or personal data.
const (
	AuditReportDrill = "report.drill"
)

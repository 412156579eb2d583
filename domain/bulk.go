package domain

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// BulkKind is what a bulk job does to each of its items (issue 17, "Bulk
// actions").
type BulkKind string

// The kinds of bulk job.
const (
	BulkDeny     BulkKind = "deny"      // deny access to Platform users (¶32; a second security officer approves)
	BulkLift     BulkKind = "lift"      // lift denials (¶32)
	BulkExtend   BulkKind = "extend"    // extend running role assignments (¶32.1)
	BulkMail     BulkKind = "mail"      // e-mail each person from a bulk template (¶25)
	BulkIMKCheck BulkKind = "imk_check" // re-run the eligibility check of IMK applications in review
)

// BulkKinds lists the kinds in the order a screen offers them.
var BulkKinds = []BulkKind{BulkDeny, BulkLift, BulkExtend, BulkMail, BulkIMKCheck}

// Roles returns the roles whose operators may ask for a job of kind k
// (any one of them): denials are the security officers' (¶32), role
// assignments and IMK applications the reviewers', and mail either's.
func (k BulkKind) Roles() []Role {
	switch k {
	case BulkDeny, BulkLift:
		return []Role{RoleSecurity}
	case BulkExtend, BulkIMKCheck:
		return []Role{RoleReviewer}
	case BulkMail:
		return []Role{RoleReviewer, RoleSecurity}
	}
	return nil
}

// NeedsApproval reports whether a job of kind k waits for a second
// security officer before it runs: a bulk denial does (four eyes, as the
// denial of an operator, ¶32).
func (k BulkKind) NeedsApproval() bool { return k == BulkDeny }

// BulkSource is the list a selection was made in.
type BulkSource string

// The lists bulk actions are taken from.
const (
	BulkFromRoleRequests  BulkSource = "role_requests"  // the role requests queue
	BulkFromIMK           BulkSource = "imk"            // the IMK queue
	BulkFromDenials       BulkSource = "denials"        // the denials list
	BulkFromPlatformUsers BulkSource = "platform_users" // a list of people (Platform users)
)

// BulkKindsFrom returns the kinds of job that apply to the rows of list s.
func BulkKindsFrom(s BulkSource) []BulkKind {
	switch s {
	case BulkFromRoleRequests:
		return []BulkKind{BulkExtend, BulkDeny, BulkMail}
	case BulkFromIMK:
		return []BulkKind{BulkIMKCheck, BulkMail}
	case BulkFromDenials:
		return []BulkKind{BulkLift}
	case BulkFromPlatformUsers:
		return []BulkKind{BulkDeny, BulkMail}
	}
	return nil
}

// BulkSelection is what a job is about: the rows marked in a list, or
// (All) every row of the list's filter — the whole filter, resolved on
// the server, not only the page a screen has loaded.
type BulkSelection struct {
	Source BulkSource
	IDs    []int64 // the rows marked (ids of Source's rows)
	// All selects every row of Filter instead of IDs. Filter is the
	// list's own filter: RoleRequestFilter, IMKFilter or DenialFilter for
	// those sources (its keyset and limit are ignored).
	All    bool
	Filter any
}

// BulkRequest asks for a job: its kind, the selection, the one reason
// for all its items, and what the kind needs besides.
type BulkRequest struct {
	Kind      BulkKind
	Selection BulkSelection
	Reason    string
	Ground    Ground    // BulkDeny: the ground (¶32.x)
	Until     time.Time // BulkExtend: the new end of validity (zero: the default validity)
	Template  string    // BulkMail: the template's name (BulkTemplates)
}

// BulkState is where a job stands.
type BulkState string

// The states of a job: preview → (pending_approval →) running → done, or
// cancelled from any but done.
const (
	BulkPreview         BulkState = "preview"
	BulkPendingApproval BulkState = "pending_approval"
	BulkRunning         BulkState = "running"
	BulkDone            BulkState = "done"
	BulkCancelled       BulkState = "cancelled"
)

// BulkItemState is the outcome of one item.
type BulkItemState string

// The states of an item.
const (
	BulkItemPending BulkItemState = "pending"
	BulkItemDone    BulkItemState = "done"
	BulkItemFailed  BulkItemState = "failed"  // the item's rule refused: ErrorKey says why
	BulkItemSkipped BulkItemState = "skipped" // the job was cancelled or refused first
)

// Limits of a job.
const (
	// BulkMaxItems bounds a job: it is resolved, listed and previewed in
	// one transaction, and its denials each take the denials' lock; ten
	// thousand is a whole municipality's users yet a job of minutes,
	// not hours. A larger selection is refused (EINVALID), never cut.
	BulkMaxItems = 10000
	// BulkBatch is how many items a worker takes at a time under its
	// lease.
	BulkBatch = 100
	// BulkPreviewItems is how many items a preview lists by name.
	BulkPreviewItems = 20
	// BulkLease is how long a worker holds a job between renewals; a job
	// whose worker died continues elsewhere after it.
	BulkLease = time.Minute
	// BulkReasonMaxLength is the longest reason, in characters.
	BulkReasonMaxLength = MessageMaxLength
)

// BulkTemplates are the mail templates a bulk e-mail may use (domain/
// mailtmpl), by name; each takes the data keys name and message (the job's reason).
var BulkTemplates = []string{"bulk.notice", "bulk.terms_reminder", "bulk.data_check"}

// BulkJob is a bulk action: what, why, who asked and approved, and how
// far it got.
type BulkJob struct {
	ID          int64
	Kind        BulkKind
	Source      BulkSource
	Reason      string
	Ground      Ground
	Until       time.Time
	Template    string
	State       BulkState
	Version     int64
	RequestedBy int64
	Requester   string // name
	ApprovedBy  int64  // the second security officer; 0 for none
	Approver    string
	CreatedAt   time.Time
	FinishedAt  time.Time
	// Counts.
	Total, Done, Failed, Skipped int
	// First lists the first items (BulkPreviewItems), for a preview.
	First []*BulkItem
}

// Pending returns how many items are still to do.
func (j *BulkJob) Pending() int { return j.Total - j.Done - j.Failed - j.Skipped }

// BulkItem is one item of a job and its outcome.
type BulkItem struct {
	JobID      int64
	Seq        int    // its place in the job, from 1
	TargetKind string // "platform_user", "denial", "role_assignment", "role_request", "imk_application"
	TargetID   int64
	Label      string // what a screen shows: a name or a denial's subject; no personal code
	State      BulkItemState
	ErrorKey   string // a failed item: the catalog key of the refusal; a skipped one: why
	ErrorArgs  []any  // the refusal's arguments, for ErrorKey's placeholders
	At         time.Time
}

// BulkAction is a step an operator takes on a job.
type BulkAction string

// The steps on a job.
const (
	BulkStart   BulkAction = "start"   // the requester, after the preview
	BulkApprove BulkAction = "approve" // a second security officer
	BulkRefuse  BulkAction = "refuse"  // a second security officer
	BulkCancel  BulkAction = "cancel"  // the requester, or an operator of the kind's role
)

// Allows says whether op may take step a on the job now: nil, or the
// refusal. EFORBIDDEN "bulk.not_role" without the kind's role (a refusal
// or approval needs the security role), "bulk.own_job" when the
// requester would approve or refuse their own job (four eyes), and
// "bulk.not_yours" when someone else would start a preview; ECONFLICT
// "bulk.state" when the job is not in the state the step needs.
func (j *BulkJob) Allows(op *Operator, a BulkAction) error {
	if op == nil {
		return Errorf(EFORBIDDEN, "bulk.not_role", "you may not do this")
	}
	state := func(ok ...BulkState) error {
		if !slices.Contains(ok, j.State) {
			return Errorf(ECONFLICT, "bulk.state", "the job is %s", string(j.State))
		}
		return nil
	}
	switch a {
	case BulkStart:
		if op.ID != j.RequestedBy {
			return Errorf(EFORBIDDEN, "bulk.not_yours", "only who prepared the job starts it")
		}
		return state(BulkPreview)
	case BulkApprove, BulkRefuse:
		if !op.HasRole(RoleSecurity) {
			return Errorf(EFORBIDDEN, "bulk.not_role", "you may not do this")
		}
		if op.ID == j.RequestedBy {
			return Errorf(EFORBIDDEN, "bulk.own_job", "a second security officer approves a bulk denial")
		}
		return state(BulkPendingApproval)
	case BulkCancel:
		if op.ID != j.RequestedBy && !slices.ContainsFunc(j.Kind.Roles(), op.HasRole) {
			return Errorf(EFORBIDDEN, "bulk.not_role", "you may not do this")
		}
		return state(BulkPreview, BulkPendingApproval, BulkRunning)
	}
	return Errorf(EINVALID, "bulk.bad_action", "unknown step %q", string(a))
}

// Check trims the request's reason and checks the request: EINVALID
// "bulk.bad_kind" (an unknown kind, or one that does not apply to the
// source's rows), "bulk.reason_required", "bulk.reason_too_long",
// "bulk.bad_text", "bulk.nothing" (no rows marked and no filter),
// "denial.bad_ground" (BulkDeny), "bulk.bad_template" (BulkMail);
// EFORBIDDEN "bulk.not_role" when op holds none of the kind's roles.
func (r *BulkRequest) Check(op *Operator) error {
	if !slices.Contains(BulkKindsFrom(r.Selection.Source), r.Kind) {
		return Errorf(EINVALID, "bulk.bad_kind", "this action does not apply to these rows")
	}
	if op == nil || !slices.ContainsFunc(r.Kind.Roles(), op.HasRole) {
		return Errorf(EFORBIDDEN, "bulk.not_role", "you may not do this")
	}
	r.Reason = strings.TrimSpace(r.Reason)
	switch {
	case r.Reason == "":
		return Errorf(EINVALID, "bulk.reason_required", "give a reason")
	case utf8.RuneCountInString(r.Reason) > BulkReasonMaxLength:
		return Errorf(EINVALID, "bulk.reason_too_long", "the reason is too long (at most %d characters)", BulkReasonMaxLength)
	case !IsPlainText(r.Reason, true):
		return Errorf(EINVALID, "bulk.bad_text", "the reason holds control characters or is not valid UTF-8")
	case !r.Selection.All && len(r.Selection.IDs) == 0:
		return Errorf(EINVALID, "bulk.nothing", "mark rows first")
	}
	switch r.Kind {
	case BulkDeny:
		if !slices.Contains(Grounds, r.Ground) {
			return Errorf(EINVALID, "denial.bad_ground", "unknown ground %q", string(r.Ground))
		}
	case BulkMail:
		if !slices.Contains(BulkTemplates, r.Template) {
			return Errorf(EINVALID, "bulk.bad_template", "unknown template")
		}
	}
	return nil
}

// BulkService prepares, starts, approves and cancels bulk jobs and lists
// them; workers (not in this interface) run them.
type BulkService interface {
	// PrepareBulk resolves the selection (the whole filter on the
	// server) into items and keeps the job in preview, returning it with
	// its exact count and its first items. The errors of
	// BulkRequest.Check; EINVALID "bulk.too_many" (Args: the limit) over
	// BulkMaxItems, "bulk.empty" when nothing applies; EUNAUTHORIZED.
	PrepareBulk(ctx context.Context, r BulkRequest) (*BulkJob, error)
	// StepBulk takes step a on job id at version, with reason for a
	// refusal: the refusals of BulkJob.Allows, ECONFLICT "bulk.changed",
	// ENOTFOUND "bulk.not_found", EINVALID "bulk.reason_required" (a
	// refusal without a reason).
	StepBulk(ctx context.Context, id, version int64, a BulkAction, reason string) error
	// ListBulk returns the latest jobs (at most limit) of the kinds the
	// actor's roles may ask for, newest first.
	ListBulk(ctx context.Context, limit int) ([]*BulkJob, error)
	// FindBulk returns one job with its first items. ENOTFOUND.
	FindBulk(ctx context.Context, id int64) (*BulkJob, error)
	// BulkItems returns the items of job id from place after (0: the
	// first), at most limit. ENOTFOUND.
	BulkItems(ctx context.Context, id int64, after, limit int) ([]*BulkItem, error)
}

// MayBulkFrom reports whether op may ask for any kind of job on the rows
// of list s (BulkKindsFrom, each kind's Roles): a list offers marking
// only then.
func MayBulkFrom(op *Operator, s BulkSource) bool {
	return op != nil && slices.ContainsFunc(BulkKindsFrom(s), func(k BulkKind) bool { return slices.ContainsFunc(k.Roles(), op.HasRole) })
}

package domain

import (
	"context"
	"time"
)

// TermsState is where a terms-of-use version stands (¶16, ¶33).
type TermsState string

// The states of a terms-of-use version. A published version never changes
// again; publishing the next one supersedes it.
const (
	TermsDraft      TermsState = "draft"
	TermsSubmitted  TermsState = "submitted" // awaiting a second editor's approval
	TermsPublished  TermsState = "published" // in force
	TermsSuperseded TermsState = "superseded"
)

// TermsVersion is one version of the Platform's terms of use.
type TermsVersion struct {
	ID            int64
	Number        string // e.g. "2026-2"; unique
	Title         string
	Text          string
	Summary       string // summary of the changes
	State         TermsState
	BasedOn       int64 // the version in force the draft started from; 0 for the first
	DraftedBy     int64
	DraftedByName string
	// Contributors are the operators who started, saved or submitted the
	// version; none of them may approve it (Contributed).
	Contributors []int64
	ApprovedBy   int64
	ApprovedName string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	PublishedAt  time.Time // when it took force
	Version      int64     // optimistic-lock counter of the draft
	ReturnNote   string    // why it was last sent back to draft; "" if never
}

// MaxTermsText is the largest terms text accepted (bytes).
const MaxTermsText = 1 << 20

// DiffOp is one line of a line diff.
type DiffOp struct {
	Kind byte // ' ' same, '-' only in the old text, '+' only in the new
	Line string
}

// TermsAcceptance summarises, for one version, who has accepted it.
type TermsAcceptance struct {
	VersionID int64
	ByRole    []RoleCount // per Platform role: users, accepted
	Users     int64
	Accepted  int64
}

// RoleCount is a count per Platform role.
type RoleCount struct {
	Role     string
	Users    int64
	Accepted int64
}

// PendingAcceptance is a user who has not accepted the version in force.
type PendingAcceptance struct {
	UserID       int64
	Name         string
	Email        string
	Roles        []string
	LastAccepted string // the number of the last version they accepted, or ""
}

// TermsService is the editor's work on the terms of use: every method needs
// the editor role (see Actor.IsOperator). Every change is
// audited; submitting and publishing are four-eyes: the approver must be a
// different operator from the drafter.
type TermsService interface {
	// ListTermsVersions returns every version, newest first.
	ListTermsVersions(ctx context.Context) ([]*TermsVersion, error)
	// FindTermsVersion returns one version with its text. ENOTFOUND.
	FindTermsVersion(ctx context.Context, id int64) (*TermsVersion, error)
	// TermsInForce returns the published version in force. ENOTFOUND when
	// none has been published yet.
	TermsInForce(ctx context.Context) (*TermsVersion, error)
	// StartTermsDraft creates a draft from the version in force (or empty).
	// EINVALID for a taken or empty number.
	StartTermsDraft(ctx context.Context, number, title string) (*TermsVersion, error)
	// SaveTermsDraft saves a draft's title, text and summary. ECONFLICT when
	// its Version changed meanwhile or it is no longer a draft; EINVALID
	// for a text over MaxTermsText or not valid UTF-8.
	SaveTermsDraft(ctx context.Context, v *TermsVersion) error
	// SubmitTermsDraft sends a draft for approval. ECONFLICT, EINVALID
	// (empty text or summary).
	SubmitTermsDraft(ctx context.Context, id, version int64) error
	// ReturnTermsDraft sends a submitted version back to draft with a note.
	ReturnTermsDraft(ctx context.Context, id int64, note string) error
	// ApproveAndPublish publishes a submitted version: it takes force at
	// once, the previous one is superseded, and an announcement is
	// created. EFORBIDDEN when the actor drafted it; ECONFLICT when it is
	// no longer submitted or another version was published meanwhile.
	ApproveAndPublish(ctx context.Context, id int64) error
	// TermsAcceptance counts acceptances of a version by Platform role.
	TermsAcceptance(ctx context.Context, versionID int64) (*TermsAcceptance, error)
	// PendingAcceptances lists users who have not accepted the version in
	// force, keyset paged by user id (after afterUserID).
	PendingAcceptances(ctx context.Context, afterUserID int64, limit int) ([]*PendingAcceptance, error)
}

// AnnouncementKind is news or planned downtime (¶23).
type AnnouncementKind string

// Announcement kinds.
const (
	AnnouncementNews     AnnouncementKind = "news"
	AnnouncementDowntime AnnouncementKind = "downtime"
)

// AnnouncementState is where an announcement stands.
type AnnouncementState string

// Announcement states.
const (
	AnnouncementDraft     AnnouncementState = "draft"
	AnnouncementPublished AnnouncementState = "published"
	AnnouncementWithdrawn AnnouncementState = "withdrawn"
)

// Announcement is news or planned downtime for everyone or chosen Platform
// roles.
type Announcement struct {
	ID             int64
	Kind           AnnouncementKind
	State          AnnouncementState
	Title          string
	Body           string
	Audience       []string // Platform roles; empty means everyone
	StartsAt       time.Time
	EndsAt         time.Time
	Services       string // affected services (downtime)
	EmailAudience  bool   // also e-mail it through the outbox, in batches
	TermsVersion   int64  // set when created by publishing a terms version
	CreatedBy      int64
	CreatedByName  string
	CreatedAt      time.Time
	PublishedAt    time.Time
	WithdrawnAt    time.Time
	WithdrawReason string
	Version        int64 // optimistic-lock counter of the draft; 0 for a new one
	// EmailsQueued counts the e-mails written to the outbox so far;
	// EmailsPending is true while batches remain to be written.
	EmailsQueued  int64
	EmailsPending bool
}

// DowntimeBannerLead is how long before planned downtime its banner shows.
const DowntimeBannerLead = 24 * time.Hour

// AnnouncementService manages announcements. Every change is audited.
// Every method needs the editor role, except ActiveBanners, which every
// enabled operator reads (see Actor.IsOperator).
type AnnouncementService interface {
	// ListAnnouncements returns announcements, newest first.
	ListAnnouncements(ctx context.Context) ([]*Announcement, error)
	// SaveAnnouncement creates (ID 0) or updates a draft. EINVALID per
	// field (title, body, downtime start before end, unknown role).
	SaveAnnouncement(ctx context.Context, a *Announcement) error
	// PublishAnnouncement publishes a draft (and queues its e-mails when
	// asked). ECONFLICT when it is not a draft.
	PublishAnnouncement(ctx context.Context, id int64) error
	// WithdrawAnnouncement withdraws a published announcement.
	WithdrawAnnouncement(ctx context.Context, id int64, reason string) error
	// ActiveBanners returns the planned downtimes to show as a banner at
	// now: published, ending after now and starting within
	// DowntimeBannerLead.
	ActiveBanners(ctx context.Context, now time.Time) ([]*Announcement, error)
}

package domain

import "time"

// The rules of an announcement's life (¶23), asked by storage inside the
// transaction on the row it has locked and by the test double alike, so
// that a refusal has one code and one catalog key wherever it arises.

// AnnouncementAction is a step in an announcement's life.
type AnnouncementAction string

// The steps, as Announcement.Allows judges them.
const (
	AnnounceEdit     AnnouncementAction = "edit"     // save a draft
	AnnouncePublish  AnnouncementAction = "publish"  // publish a draft
	AnnounceWithdraw AnnouncementAction = "withdraw" // withdraw a published one
)

// Allows says whether step s may be taken on a at now: nil, or the
// refusal. A draft is edited and published while it is one (ECONFLICT
// "announcement.not_draft"), and published only when it still passes
// Validate (EINVALID "announcement.invalid") and, for planned downtime,
// before its end (EINVALID "announcement.ends_past"); an announcement is
// withdrawn while it is published (ECONFLICT
// "announcement.not_published"). The version an edit names is checked
// apart (CheckVersion). a itself is not changed.
func (a *Announcement) Allows(s AnnouncementAction, now time.Time) error {
	switch s {
	case AnnounceEdit, AnnouncePublish:
		if a.State != AnnouncementDraft {
			return &Error{Code: ECONFLICT, Key: "announcement.not_draft", Message: "the announcement is no longer a draft (it is " + string(a.State) + ")"}
		}
		if s == AnnounceEdit {
			return nil
		}
		c := *a
		if err := c.Validate(); err != nil {
			return err
		}
		if a.Kind == AnnouncementDowntime && !a.EndsAt.After(now) {
			return Errorf(EINVALID, "announcement.ends_past", "the planned downtime has ended already")
		}
		return nil
	case AnnounceWithdraw:
		if a.State != AnnouncementPublished {
			return &Error{Code: ECONFLICT, Key: "announcement.not_published", Message: "the announcement is not published (it is " + string(a.State) + ")"}
		}
		return nil
	}
	return &Error{Code: EINTERNAL, Key: "error.internal", Message: "unknown announcement step " + string(s)}
}

// CheckVersion returns ECONFLICT "announcement.changed" unless a is still
// at the version an edit names; an edit that names none (0) overwrites.
func (a *Announcement) CheckVersion(seen int64) error {
	if seen != 0 && seen != a.Version {
		return Errorf(ECONFLICT, "announcement.changed", "the announcement was changed meanwhile; reload it")
	}
	return nil
}

// ShowsBannerAt reports whether a is shown as a banner at now: planned
// downtime, published, not yet over, starting within DowntimeBannerLead.
func (a *Announcement) ShowsBannerAt(now time.Time) bool {
	return a.Kind == AnnouncementDowntime && a.State == AnnouncementPublished &&
		a.EndsAt.After(now) && !a.StartsAt.After(now.Add(DowntimeBannerLead))
}

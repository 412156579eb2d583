package domain

import (
	"slices"
	"strings"
	"time"
)

// The rules of a terms-of-use version's way from draft to publication
// (¶16, ¶33), asked by storage inside the transaction on the row it has
// locked and by the test double alike, so that a refusal has one code and
// one catalog key wherever it arises.

// DefaultTermsTitle names the first version when the editor gives no
// title and none is in force to take it from.
const DefaultTermsTitle = "Prasmju pārvaldības platformas lietošanas noteikumi"

// TermsAnnouncementTitle is the title of the news item publishing version
// number creates (¶33).
func TermsAnnouncementTitle(number string) string {
	return "Jauna lietošanas noteikumu redakcija Nr. " + number
}

// TermsAction is a step of a terms version's way to publication.
type TermsAction string

// The steps, as TermsVersion.Allows judges them.
const (
	TermsSave    TermsAction = "save"    // save a draft's title, text and summary
	TermsSubmit  TermsAction = "submit"  // send a draft for approval
	TermsReturn  TermsAction = "return"  // send a submitted version back to draft
	TermsPublish TermsAction = "publish" // approve and publish a submitted version
)

// NewTermsDraft returns the draft numbered number that the operator with
// id by starts at now: a copy of the version in force (inForce, nil when
// none has been published), based on it, with its title unless title is
// given (DefaultTermsTitle for the first version). The drafter is its
// first contributor. It returns the errors of CheckTermsNumber and of
// Validate.
func NewTermsDraft(number, title string, inForce *TermsVersion, by int64, now time.Time) (*TermsVersion, error) {
	number, err := CheckTermsNumber(number)
	if err != nil {
		return nil, err
	}
	v := &TermsVersion{Number: number, Title: title, State: TermsDraft, DraftedBy: by, Contributors: []int64{by},
		CreatedAt: now, UpdatedAt: now, Version: 1}
	if inForce != nil {
		v.Text, v.BasedOn = inForce.Text, inForce.ID
	}
	if strings.TrimSpace(v.Title) == "" {
		v.Title = DefaultTermsTitle
		if inForce != nil && inForce.Title != "" {
			v.Title = inForce.Title
		}
	}
	if err := v.Validate(); err != nil {
		return nil, err
	}
	return v, nil
}

// TermsNumberTaken is the refusal of a number another version has: EINVALID
// "terms.number_taken".
func TermsNumberTaken() error {
	return Errorf(EINVALID, "terms.number_taken", "a terms version with this number exists already")
}

// Contributed reports whether the operator started, saved or submitted v:
// such an operator may not approve it (four eyes, whatever the session).
func (v *TermsVersion) Contributed(operatorID int64) bool {
	return v.DraftedBy == operatorID || slices.Contains(v.Contributors, operatorID)
}

// Allows says whether the operator with id op may take step a on v now,
// inForce being the id of the version in force (0 when none): nil, or the
// refusal. A draft is saved and submitted while it is one (ECONFLICT
// "terms.not_draft"); a version is returned to draft or published while
// it waits for approval (ECONFLICT "terms.not_submitted"); it is
// published by an editor who did not contribute to it (EFORBIDDEN
// "terms.own_draft") on top of the version it was based on (ECONFLICT
// "terms.published_meanwhile" once another was published). The version a
// step names is checked apart (CheckVersion), the texts by Validate and
// CheckSubmittable.
func (v *TermsVersion) Allows(a TermsAction, op, inForce int64) error {
	switch a {
	case TermsSave, TermsSubmit:
		if v.State != TermsDraft {
			return &Error{Code: ECONFLICT, Key: "terms.not_draft", Message: "the version is no longer a draft (it is " + string(v.State) + ")"}
		}
		return nil
	case TermsPublish:
		if v.Contributed(op) {
			return TermsOwnDraft()
		}
		fallthrough
	case TermsReturn:
		if v.State != TermsSubmitted {
			return TermsNotSubmitted(v.State)
		}
		if a == TermsPublish && inForce != v.BasedOn {
			return TermsPublishedMeanwhile()
		}
		return nil
	}
	return &Error{Code: EINTERNAL, Key: "error.internal", Message: "unknown terms action " + string(a)}
}

// TermsNotSubmitted is the refusal of a step on a version that does not
// wait for approval, being in state: ECONFLICT "terms.not_submitted".
func TermsNotSubmitted(state TermsState) error {
	return &Error{Code: ECONFLICT, Key: "terms.not_submitted", Message: "the version does not wait for approval (it is " + string(state) + ")"}
}

// TermsOwnDraft is the four-eyes refusal of a publish: EFORBIDDEN
// "terms.own_draft".
func TermsOwnDraft() error {
	return Errorf(EFORBIDDEN, "terms.own_draft", "a version is approved by an editor who did not draft, edit or submit it")
}

// TermsPublishedMeanwhile is the refusal of a publish that another one
// overtook: ECONFLICT "terms.published_meanwhile".
func TermsPublishedMeanwhile() error {
	return Errorf(ECONFLICT, "terms.published_meanwhile",
		"another terms version was published meanwhile; this one must be based on the version now in force")
}

// CheckVersion returns ECONFLICT "terms.changed" unless v is still at the
// version a step names.
func (v *TermsVersion) CheckVersion(seen int64) error {
	if v.Version != seen {
		return Errorf(ECONFLICT, "terms.changed", "the draft was changed meanwhile; reload it")
	}
	return nil
}

// Rebase returns the version a draft saved with BasedOn basedOn is based
// on: its own when basedOn is 0 or names it, otherwise the version in
// force, which basedOn must name (an editor who merged a version
// published meanwhile). It returns EINVALID "terms.base_not_in_force"
// otherwise.
func (v *TermsVersion) Rebase(basedOn, inForce int64) (int64, error) {
	switch basedOn {
	case 0, v.BasedOn:
		return v.BasedOn, nil
	case inForce:
		return inForce, nil
	}
	return 0, Errorf(EINVALID, "terms.base_not_in_force", "a draft can only be based on the version in force")
}

// CheckSubmittable checks a draft before it is sent for approval: the
// problems of ValidateForSubmit, and EINVALID "terms.unchanged" when its
// text is the text of the version in force (inForce, nil when none).
func (v *TermsVersion) CheckSubmittable(inForce *TermsVersion) error {
	c := *v
	if err := c.ValidateForSubmit(); err != nil {
		return err
	}
	if inForce != nil && inForce.Text == v.Text {
		return Errorf(EINVALID, "terms.unchanged", "the text is the text of the version in force")
	}
	return nil
}

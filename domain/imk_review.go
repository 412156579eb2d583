package domain

import (
	"strings"
	"unicode/utf8"
)

// ReviewPersonAsked is the reason for review, beside the rules' names, of
// an application whose automatic decision the person asked a person to
// review (GDPR Art. 22).
const ReviewPersonAsked = "person_asked"

// Channels through which a person asks for a review of an automatic
// decision.
const (
	ReviewChannelPortal = "portal" // the portal API
	ReviewChannelMail   = "mail"   // a reply to the decision's e-mail
)

// ReviewContactEmail is where a person writes to contest an automatic
// decision; the decision's mail names it (and its reply address).
const ReviewContactEmail = "stars@viaa.gov.lv"

// IMKReviewRequest is a person's request that a person review the
// automatic decision on their IMK application (GDPR Art. 22, ¶26.4).
// PersonalCode is the person's, as the portal knows them: it must be the
// application's.
type IMKReviewRequest struct {
	ApplicationID int64
	PersonalCode  string
	Message       string // optional: the person's words
	Channel       string // ReviewChannelPortal or ReviewChannelMail
}

// ReviewMessageMaxLength bounds a review request's message, in characters.
const ReviewMessageMaxLength = MessageMaxLength

// Check trims the message and checks the request: EINVALID
// "portal.invalid" with a problem for "personal_code" (the errors of
// NormalizePersonalCode, by their keys) and "message"
// ("imk.review_message_invalid").
func (r *IMKReviewRequest) Check() error {
	var p []Problem
	code, err := NormalizePersonalCode(r.PersonalCode)
	if err != nil {
		key := "personal_code.format"
		if e := AsError(err); e != nil && e.Key != "" {
			key = e.Key
		}
		p = append(p, Problem{Field: "personal_code", Key: key})
	} else {
		r.PersonalCode = code
	}
	r.Message = strings.TrimSpace(r.Message)
	if utf8.RuneCountInString(r.Message) > ReviewMessageMaxLength || !IsPlainText(r.Message, true) {
		p = append(p, Problem{Field: "message", Key: "imk.review_message_invalid"})
	}
	if r.Channel == "" {
		r.Channel = ReviewChannelPortal
	}
	return portalInvalid(p)
}

// CheckReviewRequest says whether the person may ask a person to review
// app's decision: only an automatic decision (approved or rejected by the
// system, no reviewer named) can be contested so, once. It returns
// ECONFLICT "imk.review_not_automatic" otherwise.
func (app *IMKApplication) CheckReviewRequest() error {
	if (app.State != IMKApproved && app.State != IMKRejected) || app.DecidedBy != 0 || app.DecidedAt.IsZero() {
		return Errorf(ECONFLICT, "imk.review_not_automatic", "only an automatic decision can be sent to a person for review")
	}
	return nil
}

package domain

import (
	"strings"
	"unicode/utf8"

	"github.com/viaa/ppp/domain/plain"
)

// The rules of the institutions screen (issue 17), asked by storage
// inside its transaction, by the screen to offer or refuse a key, and by
// the test double alike, so that a refusal has one code and one catalog
// key wherever it arises.

// InstitutionAction is something an operator does on the institutions
// screen.
type InstitutionAction string

// The actions, as InstitutionAllows judges them.
const (
	InstitutionActView InstitutionAction = "view" // the list, a page, a document
	InstitutionActEdit InstitutionAction = "edit" // change the details (¶17.2)
)

// The limits of the details, in characters (a name's is the
// registration form's, InstitutionNameMaxLength).
const (
	InstitutionAddressMaxLength = 200
	// InstitutionReasonMaxLength bounds an edit's reason.
	InstitutionReasonMaxLength = MessageMaxLength
	// InstitutionSearchMin and InstitutionSearchMax bound a search by
	// name: a shorter part would match most of the list.
	InstitutionSearchMin = 2
	InstitutionSearchMax = 100
)

// InstitutionAllows says whether op may take action a: reviewers,
// security officers and administrators see institutions; only reviewers
// edit their details (¶17.2, issue 17: "Reviewer role edits; security
// sees"). It returns nil, EUNAUTHORIZED "institution.no_operator" (no
// operator), EFORBIDDEN "institution.forbidden" (may not see) or
// EFORBIDDEN "institution.edit_forbidden" (sees but may not edit).
func InstitutionAllows(op *Operator, a InstitutionAction) error {
	if op == nil || op.ID == 0 {
		return Errorf(EUNAUTHORIZED, "institution.no_operator", "only a signed-in operator can work on institutions")
	}
	if !op.HasRole(RoleReviewer) && !op.HasRole(RoleSecurity) && !op.HasRole(RoleAdmin) {
		return Errorf(EFORBIDDEN, "institution.forbidden", "institutions are for reviewers, security officers and administrators")
	}
	if a == InstitutionActEdit && !op.HasRole(RoleReviewer) {
		return Errorf(EFORBIDDEN, "institution.edit_forbidden", "only a reviewer edits an institution's details")
	}
	return nil
}

// CheckVersion returns ECONFLICT "institution.changed" unless i is still
// at the version an edit was typed over.
func (i *Institution) CheckVersion(seen int64) error {
	if seen != i.Version {
		return Errorf(ECONFLICT, "institution.changed", "the institution was changed meanwhile; reload it and type the edit again")
	}
	return nil
}

// Validate checks f and tidies its text: spaces trimmed, a name part made
// one plain line. A registration number must be whole and valid (the
// validators' own keys); a name part between InstitutionSearchMin and
// InstitutionSearchMax characters (EINVALID "institution.search_short",
// "institution.search_long"); a limit is set to InstitutionPageSize when
// not given and to InstitutionListMax at most.
func (f *InstitutionFilter) Validate() error {
	f.Name = plain.Line(f.Name)
	f.CompanyRegNumber = strings.TrimSpace(f.CompanyRegNumber)
	f.EducationRegNumber = strings.TrimSpace(f.EducationRegNumber)
	switch {
	case f.Name != "":
		n := utf8.RuneCountInString(f.Name)
		if n < InstitutionSearchMin {
			return Errorf(EINVALID, "institution.search_short", "type at least %d characters of the name", InstitutionSearchMin)
		}
		if n > InstitutionSearchMax {
			return Errorf(EINVALID, "institution.search_long", "a name searched for is at most %d characters", InstitutionSearchMax)
		}
	case f.CompanyRegNumber != "":
		if err := ValidateCompanyRegNumber(f.CompanyRegNumber); err != nil {
			return err
		}
	case f.EducationRegNumber != "":
		if err := ValidateInstitutionRegNumber(f.EducationRegNumber); err != nil {
			return err
		}
	}
	if f.Limit <= 0 {
		f.Limit = InstitutionPageSize
	}
	f.Limit = min(f.Limit, InstitutionListMax)
	return nil
}

// ValidatePhone checks a phone number and returns it as stored: "" for
// none (the detail is optional); otherwise, spaces, hyphens and brackets
// dropped, either a Latvian number — 8 digits, alone or after +371 or
// 00371 — written +371XXXXXXXX, or another country's number in E.164 form,
// '+' and 8 to 15 digits. It returns EINVALID "institution.phone_format"
// (not a number), "institution.phone_latvian" (+371 without exactly 8
// digits after it).
func ValidatePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == ' ' || r == '-' || r == '(' || r == ')':
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			return "", Errorf(EINVALID, "institution.phone_format", "a phone number is digits, with + and the country code for a foreign one")
		}
	}
	n := b.String()
	if strings.HasPrefix(n, "00") {
		n = "+" + n[2:]
	}
	if !strings.HasPrefix(n, "+") {
		if len(n) != 8 {
			return "", Errorf(EINVALID, "institution.phone_latvian", "a Latvian phone number is 8 digits (+371 and 8 digits)")
		}
		n = "+371" + n
	}
	digits := n[1:]
	if strings.HasPrefix(digits, "371") && len(digits) != 11 {
		return "", Errorf(EINVALID, "institution.phone_latvian", "a Latvian phone number is 8 digits (+371 and 8 digits)")
	}
	if len(digits) < 8 || len(digits) > 15 || digits[0] == '0' {
		return "", Errorf(EINVALID, "institution.phone_format", "a phone number is digits, with + and the country code for a foreign one")
	}
	return n, nil
}

// ValidateAddress checks a postal address and returns it as stored: one
// plain line (control characters and escape sequences dropped, runs of
// spaces kept as typed), "" for none, at most InstitutionAddressMaxLength
// characters (EINVALID "institution.address_long").
func ValidateAddress(s string) (string, error) {
	s = plain.Line(s)
	if utf8.RuneCountInString(s) > InstitutionAddressMaxLength {
		return "", Errorf(EINVALID, "institution.address_long", "an address is at most %d characters", InstitutionAddressMaxLength)
	}
	return s, nil
}

// Validate tidies e and checks every detail, returning EINVALID
// "institution.invalid" with one Problem per broken rule (its Field an
// InstitutionField…, its Key the rule's): the name required and at most
// InstitutionNameMaxLength characters, the registration numbers valid
// (¶27.1.2, ¶27.1.3), the e-mail address valid, the phone and the
// address as ValidatePhone and ValidateAddress say.
func (e *InstitutionEdit) Validate() error {
	var problems []Problem
	add := func(field string, err error) {
		if err == nil {
			return
		}
		if de := AsError(err); de != nil {
			problems = append(problems, Problem{Field: field, Key: de.Key, Args: de.Args})
		}
	}
	e.Name = plain.Line(e.Name)
	switch {
	case e.Name == "":
		add(InstitutionFieldName, Errorf(EINVALID, "institution.name_required", "the name is required"))
	case utf8.RuneCountInString(e.Name) > InstitutionNameMaxLength:
		add(InstitutionFieldName, Errorf(EINVALID, "institution.name_long", "a name is at most %d characters", InstitutionNameMaxLength))
	}
	e.CompanyRegNumber = strings.TrimSpace(e.CompanyRegNumber)
	add(InstitutionFieldCompanyRegNumber, ValidateCompanyRegNumber(e.CompanyRegNumber))
	e.EducationRegNumber = strings.TrimSpace(e.EducationRegNumber)
	add(InstitutionFieldEducationRegNumber, ValidateInstitutionRegNumber(e.EducationRegNumber))
	e.Email = strings.TrimSpace(e.Email)
	add(InstitutionFieldEmail, ValidateEmail(e.Email))
	var err error
	if e.Phone, err = ValidatePhone(e.Phone); err != nil {
		add(InstitutionFieldPhone, err)
	}
	if e.Address, err = ValidateAddress(e.Address); err != nil {
		add(InstitutionFieldAddress, err)
	}
	if len(problems) > 0 {
		return &Error{Code: EINVALID, Key: "institution.invalid", Message: "the institution's details are not valid", Problems: problems}
	}
	return nil
}

// ValidateChangeReason tidies an edit's reason: required (EINVALID
// "institution.reason_required"), one plain line of at most
// InstitutionReasonMaxLength characters (EINVALID "institution.reason_long").
func ValidateChangeReason(reason string) (string, error) {
	reason = plain.Line(reason)
	if reason == "" {
		return "", Errorf(EINVALID, "institution.reason_required", "say why the details change")
	}
	if utf8.RuneCountInString(reason) > InstitutionReasonMaxLength {
		return "", Errorf(EINVALID, "institution.reason_long", "a reason is at most %d characters", InstitutionReasonMaxLength)
	}
	return reason, nil
}

// EditOf returns the edit that leaves i's details as they are: what the
// edit form opens with.
func (i *Institution) EditOf() InstitutionEdit {
	return InstitutionEdit{
		Name: i.Name, CompanyRegNumber: i.CompanyRegNumber, EducationRegNumber: i.EducationRegNumber,
		Email: i.Email, Phone: i.Phone, Address: i.Address,
	}
}

// Changes returns the details e changes on i, one InstitutionChange per
// field (Field, OldValue, NewValue), in InstitutionFields' order; e must
// have been validated. None: the edit changes nothing.
func (i *Institution) Changes(e InstitutionEdit) []InstitutionChange {
	old, now := i.EditOf(), e
	pairs := [][3]string{
		{InstitutionFieldName, old.Name, now.Name},
		{InstitutionFieldCompanyRegNumber, old.CompanyRegNumber, now.CompanyRegNumber},
		{InstitutionFieldEducationRegNumber, old.EducationRegNumber, now.EducationRegNumber},
		{InstitutionFieldEmail, old.Email, now.Email},
		{InstitutionFieldPhone, old.Phone, now.Phone},
		{InstitutionFieldAddress, old.Address, now.Address},
	}
	var out []InstitutionChange
	for _, p := range pairs {
		if p[1] != p[2] {
			out = append(out, InstitutionChange{InstitutionID: i.ID, Field: p[0], OldValue: p[1], NewValue: p[2]})
		}
	}
	return out
}

// PrepareEdit is the whole check of an edit, in the order storage and the
// test double ask it: op may edit, the edit and its reason are valid, i
// is still at version seen, and something changes (EINVALID
// "institution.unchanged"). It returns the tidied edit, the reason and
// the changes to record.
func PrepareEdit(op *Operator, i *Institution, seen int64, e InstitutionEdit, reason string) (InstitutionEdit, string, []InstitutionChange, error) {
	if err := InstitutionAllows(op, InstitutionActEdit); err != nil {
		return e, "", nil, err
	}
	if err := e.Validate(); err != nil {
		return e, "", nil, err
	}
	reason, err := ValidateChangeReason(reason)
	if err != nil {
		return e, "", nil, err
	}
	if err := i.CheckVersion(seen); err != nil {
		return e, "", nil, err
	}
	changes := i.Changes(e)
	if len(changes) == 0 {
		return e, "", nil, Errorf(EINVALID, "institution.unchanged", "the edit changes nothing")
	}
	return e, reason, changes, nil
}

package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"mime"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits of the role-request form and of the texts of decisions, in
// characters (runes) unless said otherwise.
const (
	NameMaxLength            = 50
	InstitutionNameMaxLength = 200
	PositionMaxLength        = 100
	NotesMaxLength           = 2000
	MessageMaxLength         = 2000 // reasons, information requests and answers
	DocumentNameMaxLength    = 255
	DocumentMaxSize          = 20 << 20 // bytes
	DocumentContentMaxSize   = 10 << 20 // bytes of a file sent with the request (issue 15)
	DocumentsMax             = 10
)

// The form's field names, as Problem.Field reports them: the names the
// Platform's registration form uses.
const (
	FieldKind               = "kind"
	FieldFirstName          = "first_name"
	FieldLastName           = "last_name"
	FieldPersonalCode       = "personal_code"
	FieldEmail              = "email"
	FieldPhone              = "phone"
	FieldPosition           = "position"
	FieldInstitutionName    = "institution_name"
	FieldCompanyRegNumber   = "company_reg_number"
	FieldEducationRegNumber = "education_reg_number"
	FieldPassword           = "password"
	FieldInstitutionID      = "institution_id"
	FieldMunicipalityCode   = "municipality_code"
	FieldDocuments          = "documents"
	FieldNotes              = "notes"
)

// DocumentMediaTypes are the kinds of file an applicant may attach:
// PDF, images, office documents and Latvian e-signed containers (.edoc,
// .asice, .asics).
var DocumentMediaTypes = []string{
	"application/pdf",
	"image/jpeg",
	"image/png",
	"application/msword",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.oasis.opendocument.text",
	"application/vnd.etsi.asic-e+zip",
	"application/vnd.etsi.asic-s+zip",
}

// requirement says whether a form field must, may or must not be given for
// a kind.
type requirement int

const (
	notApplicable requirement = iota
	optional
	required
)

// formFields says, per kind, which fields apply (¶8, ¶27.1, ¶27.2, ¶28,
// ¶29). Phone, position, notes and documents may accompany any kind.
var formFields = map[RoleRequestKind]map[string]requirement{
	KindInstitution: { // ¶27.1; the names are of an optional contact person
		FieldFirstName: optional, FieldLastName: optional, FieldEmail: required,
		FieldInstitutionName: required, FieldCompanyRegNumber: required,
		FieldEducationRegNumber: required, FieldPassword: required,
	},
	KindInstitutionStaff: { // ¶27.2
		FieldFirstName: required, FieldLastName: required, FieldEmail: required,
		FieldInstitutionID: required, FieldPassword: required,
	},
	KindMunicipalCoordinator: { // ¶28
		FieldFirstName: required, FieldLastName: required, FieldPersonalCode: required,
		FieldEmail: required, FieldMunicipalityCode: required,
	},
	KindCareerConsultant: { // ¶29; an institution routes it there (¶29.3)
		FieldFirstName: required, FieldLastName: required, FieldPersonalCode: required,
		FieldEmail: required, FieldInstitutionID: optional,
	},
	KindAdultEducationCoordinator: { // ¶8
		FieldFirstName: required, FieldLastName: required, FieldPersonalCode: required,
		FieldEmail: required, FieldMunicipalityCode: optional,
	},
}

// Validate tidies the form in place and checks it against the rules of its
// kind. Tidying trims every text, joins runs of spaces inside names, writes
// the personal code in its stored form (NormalizePersonalCode), lower-cases
// document hashes, and drops an institution name given for a kind that
// names a registered institution by InstitutionID instead (¶27.2.2).
//
// It returns nil, or an *Error with code EINVALID, key
// "rolerequest.invalid" and one Problem per broken rule, each naming its
// field (FieldFirstName …) and a catalog key. The keys of rules that any
// of several fields can break end in the field's name, so that a message
// read without its form still says which field is meant:
// "rolerequest.required.<field>", "rolerequest.not_applicable.<field>",
// "rolerequest.too_long.<field>" (Args: the limit),
// "rolerequest.name_chars.<field>" (first and last name) and
// "rolerequest.text_chars.<field>" (institution name, position, notes).
// The others are "rolerequest.phone_format", "rolerequest.kind_unknown",
// "rolerequest.institution_unknown", "rolerequest.municipality_unknown",
// "rolerequest.documents_too_many" (Args: the limit),
// "rolerequest.document_name", "rolerequest.document_type",
// "rolerequest.document_size", "rolerequest.document_hash" (Args of the
// last four: the document's 1-based position), or the keys of
// ValidatePersonalCode, ValidateEmail, ValidateCompanyRegNumber,
// ValidateInstitutionRegNumber and CheckPassword (the password is checked
// against ¶31 with the e-mail's local part as the user name). Whether the
// institution and the municipality exist is for the storage layer to
// check; it reports them the same way.
func (f *RoleRequestForm) Validate() error {
	f.tidy()
	var p []Problem
	add := func(field, key string, args ...any) {
		p = append(p, Problem{Field: field, Key: key, Args: args})
	}

	fields, known := formFields[f.Kind]
	if !known {
		add(FieldKind, "rolerequest.kind_unknown")
		return RoleRequestInvalid(p)
	}
	need := func(field string, given bool) bool {
		switch r := fields[field]; {
		case r == required && !given:
			add(field, "rolerequest.required."+field)
		case r == notApplicable && given:
			add(field, "rolerequest.not_applicable."+field)
		default:
			return given // given and allowed: check it
		}
		return false
	}

	if need(FieldFirstName, f.FirstName != "") {
		checkName(add, FieldFirstName, f.FirstName)
	}
	if need(FieldLastName, f.LastName != "") {
		checkName(add, FieldLastName, f.LastName)
	}
	if need(FieldPersonalCode, f.PersonalCode != "") {
		if code, err := NormalizePersonalCode(f.PersonalCode); err != nil {
			add(FieldPersonalCode, AsError(err).Key)
		} else {
			f.PersonalCode = code
		}
	}
	if need(FieldEmail, f.Email != "") {
		if err := ValidateEmail(f.Email); err != nil {
			e := AsError(err)
			add(FieldEmail, e.Key, e.Args...)
		}
	}
	if need(FieldInstitutionName, f.InstitutionName != "") {
		checkText(add, FieldInstitutionName, f.InstitutionName, InstitutionNameMaxLength, false)
		if !strings.ContainsFunc(f.InstitutionName, unicode.IsLetter) {
			add(FieldInstitutionName, "rolerequest.text_chars."+FieldInstitutionName)
		}
	}
	if need(FieldCompanyRegNumber, f.CompanyRegNumber != "") {
		if err := ValidateCompanyRegNumber(f.CompanyRegNumber); err != nil {
			add(FieldCompanyRegNumber, AsError(err).Key)
		}
	}
	if need(FieldEducationRegNumber, f.EducationRegNumber != "") {
		if err := ValidateInstitutionRegNumber(f.EducationRegNumber); err != nil {
			add(FieldEducationRegNumber, AsError(err).Key)
		}
	}
	if need(FieldPassword, f.Password != "") {
		local, _, _ := strings.Cut(f.Email, "@")
		p = append(p, CheckPassword(f.Password, local)...)
	}
	if need(FieldInstitutionID, f.InstitutionID != 0) && f.InstitutionID < 0 {
		add(FieldInstitutionID, "rolerequest.institution_unknown")
	}
	if need(FieldMunicipalityCode, f.MunicipalityCode != "") && !isMunicipalityCode(f.MunicipalityCode) {
		add(FieldMunicipalityCode, "rolerequest.municipality_unknown")
	}

	if f.Phone != "" && !isPhone(f.Phone) {
		add(FieldPhone, "rolerequest.phone_format")
	}
	if f.Position != "" {
		checkText(add, FieldPosition, f.Position, PositionMaxLength, false)
	}
	if f.Notes != "" {
		checkText(add, FieldNotes, f.Notes, NotesMaxLength, true)
	}
	checkDocuments(add, f.Documents)
	return RoleRequestInvalid(p)
}

// RoleRequestInvalid returns nil for no problems, and otherwise the
// *Error Validate returns: EINVALID "rolerequest.invalid" with the
// problems. The storage layer adds its own problems (an unknown
// municipality or institution) through it, so that a person sees every
// bad field at once.
func RoleRequestInvalid(problems []Problem) error {
	if len(problems) == 0 {
		return nil
	}
	parts := make([]string, len(problems))
	for i, pr := range problems {
		parts[i] = pr.Field + ": " + pr.Key
	}
	return &Error{
		Code:     EINVALID,
		Key:      "rolerequest.invalid",
		Message:  "the role request is not valid: " + strings.Join(parts, "; "),
		Problems: problems,
	}
}

// tidy trims and normalises the form's texts before they are checked.
func (f *RoleRequestForm) tidy() {
	f.Kind = RoleRequestKind(strings.TrimSpace(string(f.Kind)))
	f.FirstName = tidyName(f.FirstName)
	f.LastName = tidyName(f.LastName)
	f.PersonalCode = strings.TrimSpace(f.PersonalCode)
	f.Email = strings.TrimSpace(f.Email)
	f.Phone = strings.TrimSpace(f.Phone)
	f.Position = strings.TrimSpace(f.Position)
	f.InstitutionName = strings.Join(strings.Fields(f.InstitutionName), " ")
	f.CompanyRegNumber = strings.TrimSpace(f.CompanyRegNumber)
	f.EducationRegNumber = strings.TrimSpace(f.EducationRegNumber)
	f.MunicipalityCode = strings.TrimSpace(f.MunicipalityCode)
	f.Notes = strings.TrimSpace(f.Notes)
	if f.Kind != KindInstitution {
		f.InstitutionName = ""
	}
	for i := range f.Documents {
		d := &f.Documents[i]
		d.Name = strings.TrimSpace(d.Name)
		d.MediaType = strings.ToLower(strings.TrimSpace(d.MediaType))
		d.SHA256 = strings.ToLower(strings.TrimSpace(d.SHA256))
	}
}

// tidyName trims a name and joins runs of white space into one space.
func tidyName(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// checkName checks a first or last name: Latin letters (with the Latvian
// ā č ē ģ ī ķ ļ ņ š ū ž and any other diacritics), single spaces, hyphens
// and apostrophes between them, at most NameMaxLength characters.
func checkName(add func(string, string, ...any), field, s string) {
	if utf8.RuneCountInString(s) > NameMaxLength {
		add(field, "rolerequest.too_long."+field, NameMaxLength)
		return
	}
	prevLetter := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Latin, r):
			prevLetter = true
		case (r == ' ' || r == '-' || r == '\'' || r == '’') && prevLetter:
			prevLetter = false
		default:
			add(field, "rolerequest.name_chars."+field)
			return
		}
	}
	if !prevLetter {
		add(field, "rolerequest.name_chars."+field)
	}
}

// checkText checks a free text: at most max characters, valid UTF-8, no
// control characters (but line breaks and tabs where multiline).
func checkText(add func(string, string, ...any), field, s string, max int, multiline bool) {
	if !utf8.ValidString(s) {
		add(field, "rolerequest.text_chars."+field)
		return
	}
	if utf8.RuneCountInString(s) > max {
		add(field, "rolerequest.too_long."+field, max)
		return
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			add(field, "rolerequest.text_chars."+field)
			return
		}
	}
}

// isPhone accepts 8 to 15 digits, with an optional leading '+' and spaces
// between the digits, such as "+371 2612 3456".
func isPhone(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case r == ' ' && i > 0:
		default:
			return false
		}
	}
	return digits >= 8 && digits <= 15
}

// isMunicipalityCode reports whether s has the shape of a code of the
// municipalities reference table: 2–40 lower-case ASCII letters, digits
// and underscores.
func isMunicipalityCode(s string) bool {
	if len(s) < 2 || len(s) > 40 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// checkDocuments checks the attachments (¶27.1.6). A document that
// carries its file gets its size and, when none was given, its SHA-256
// from the file; a SHA-256 given that is not the file's is refused, so
// that what the applicant meant to send is what is kept.
func checkDocuments(add func(string, string, ...any), docs []Document) {
	if len(docs) > DocumentsMax {
		add(FieldDocuments, "rolerequest.documents_too_many", DocumentsMax)
		return
	}
	for i := range docs {
		n := i + 1
		if c := docs[i].Content; c != nil {
			if len(c) > DocumentContentMaxSize {
				add(FieldDocuments, "rolerequest.document_too_large", n, DocumentContentMaxSize>>20)
				continue
			}
			docs[i].Size = int64(len(c))
			sum := sha256.Sum256(c)
			switch h := hex.EncodeToString(sum[:]); docs[i].SHA256 {
			case "":
				docs[i].SHA256 = h
			case h:
			default:
				add(FieldDocuments, "rolerequest.document_hash_mismatch", n)
			}
		}
		d := docs[i]
		if d.Name == "" || utf8.RuneCountInString(d.Name) > DocumentNameMaxLength ||
			!utf8.ValidString(d.Name) || strings.ContainsAny(d.Name, `/\`) ||
			strings.ContainsFunc(d.Name, unicode.IsControl) || d.Name == "." || d.Name == ".." {
			add(FieldDocuments, "rolerequest.document_name", n)
		}
		if mt, _, err := mime.ParseMediaType(d.MediaType); err != nil || !slices.Contains(DocumentMediaTypes, mt) {
			add(FieldDocuments, "rolerequest.document_type", n)
		}
		if d.Size <= 0 || d.Size > DocumentMaxSize {
			add(FieldDocuments, "rolerequest.document_size", n)
		}
		if !isSHA256Hex(d.SHA256) {
			add(FieldDocuments, "rolerequest.document_hash", n)
		}
	}
}

// isSHA256Hex reports whether s is 64 lower-case hexadecimal digits.
func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// CheckApproval fills in the default validity end when d has none (now +
// cfg.DefaultValidity) and checks it. It returns EINVALID
// "rolerequest.valid_until_past" for an end not after now, and
// "rolerequest.valid_until_too_far" (Args: the limit in years) for one
// beyond cfg.MaxValidity.
func (d *Decision) CheckApproval(now time.Time, cfg RoleRequestConfig) error {
	if d.ValidUntil.IsZero() {
		d.ValidUntil = now.Add(cfg.DefaultValidity)
	}
	if !d.ValidUntil.After(now) {
		return Errorf(EINVALID, "rolerequest.valid_until_past", "the role's validity must end in the future")
	}
	if cfg.MaxValidity > 0 && d.ValidUntil.After(now.Add(cfg.MaxValidity)) {
		years := int(cfg.MaxValidity / (365 * 24 * time.Hour))
		return Errorf(EINVALID, "rolerequest.valid_until_too_far", "the role's validity may end at most %d years from now", years)
	}
	return nil
}

// CheckRejection trims the reason and checks it. It returns EINVALID
// "rolerequest.reason_unknown" for a code not in RejectReasons,
// "rolerequest.reason_text_required" when the code is "other" and there
// is no text, and "rolerequest.text_too_long" (Args: the limit) for a text
// over MessageMaxLength characters.
func (d *Decision) CheckRejection() error {
	d.ReasonCode = strings.TrimSpace(d.ReasonCode)
	d.ReasonText = strings.TrimSpace(d.ReasonText)
	if !slices.Contains(RejectReasons, d.ReasonCode) {
		return Errorf(EINVALID, "rolerequest.reason_unknown", "choose a reason for the rejection")
	}
	if d.ReasonCode == "other" && d.ReasonText == "" {
		return Errorf(EINVALID, "rolerequest.reason_text_required", "explain the reason for the rejection")
	}
	return checkMessage(d.ReasonText)
}

// CheckInfoRequest trims the message and checks it. It returns EINVALID
// "rolerequest.info_message_required" when there is none and
// "rolerequest.text_too_long" (Args: the limit) when it is too long.
func (d *Decision) CheckInfoRequest() error {
	d.InfoMessage = strings.TrimSpace(d.InfoMessage)
	if d.InfoMessage == "" {
		return Errorf(EINVALID, "rolerequest.info_message_required", "write what the applicant should add")
	}
	return checkMessage(d.InfoMessage)
}

// CheckTakeOver trims the reason and checks it. It returns EINVALID
// "rolerequest.takeover_reason_required" when there is none and
// "rolerequest.text_too_long" (Args: the limit) when it is too long.
func (d *Decision) CheckTakeOver() error {
	d.ReasonText = strings.TrimSpace(d.ReasonText)
	if d.ReasonText == "" {
		return Errorf(EINVALID, "rolerequest.takeover_reason_required", "give the reason for taking the request over")
	}
	return checkMessage(d.ReasonText)
}

// CheckReminder trims the Agency's note to a reminder of the institution
// (¶29.3), which may be empty, and checks it: EINVALID
// "rolerequest.text_too_long" (Args: the limit) or "rolerequest.text_chars".
func (d *Decision) CheckReminder() error {
	d.ReasonText = strings.TrimSpace(d.ReasonText)
	if d.ReasonText == "" {
		return nil
	}
	return checkMessage(d.ReasonText)
}

// CheckAnswer trims an applicant's answer to an information request and
// checks it like the messages of decisions: EINVALID
// "rolerequest.answer_required" or "rolerequest.text_too_long".
func CheckAnswer(answer string) (string, error) {
	answer = strings.TrimSpace(answer)
	if answer == "" {
		return "", Errorf(EINVALID, "rolerequest.answer_required", "the answer is empty")
	}
	return answer, checkMessage(answer)
}

// checkMessage limits the texts of decisions to MessageMaxLength
// characters of valid UTF-8 without control characters (but line breaks
// and tabs) or reordering ones.
func checkMessage(s string) error {
	if !IsPlainText(s, true) {
		return Errorf(EINVALID, "rolerequest.text_chars", "the text contains characters that are not allowed")
	}
	if utf8.RuneCountInString(s) > MessageMaxLength {
		return Errorf(EINVALID, "rolerequest.text_too_long", "the text is too long (at most %d characters)", MessageMaxLength)
	}
	return nil
}

package storage

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/passhash"
)

// confirmTokenBytes is the size of a confirmation token's randomness.
const confirmTokenBytes = 32

// PortalService is the Platform portal's side of the back office
// (domain.PortalService): an applicant submits a request and confirms the
// e-mail address, answers the reviewer's questions, and an institution
// decides on its own career consultants (¶29.3); a person applies for an
// IMK, accepts the terms, signs in (portal_api.go). The portal itself is
// not part of this project: it calls these methods through the portal API
// (cmd/ppp/internal/portalapi) as an API client, and the demo data and
// the tests call them to write exactly what it writes. Every change is
// audited (as the actor in the context, "system" when none), recorded in
// the request's history and announced on the change feed in its
// transaction.
type PortalService struct {
	db *DB

	// Config holds the validity of roles an institution grants.
	Config domain.RoleRequestConfig
	// ConfirmURL is the page the confirmation link opens.
	ConfirmURL string
}

// NewPortalService returns a PortalService on db with the default
// configuration.
func NewPortalService(db *DB) *PortalService {
	return &PortalService{db: db, Config: domain.DefaultRoleRequestConfig()}
}

// SubmitRoleRequest validates the form and stores it as an unconfirmed
// request with its documents (their files too, when the form carries
// them), then writes the mail with the link that
// confirms the e-mail address to the outbox. Only the SHA-256 of the
// link's token is stored; the token is returned (with the request's id) so
// that the caller can show or test it, and is never logged. The password
// is stored only as its Argon2id hash. A career consultant naming an
// institution is routed to it (¶29.3), every other request to the Agency.
//
// Bad input stores nothing: it returns EINVALID "rolerequest.invalid"
// with a problem per bad field (see domain.RoleRequestForm.Validate), to
// which this adds "rolerequest.municipality_unknown" for a municipality
// not in the reference table and "rolerequest.institution_unknown" or
// "rolerequest.institution_inactive" for an institution that is not
// registered or not active, and the terms' problems ("terms.version_id",
// "terms.accepted_at", "terms.channel": domain.TermsAct.Check) when the
// form carries an acceptance (¶26.2). That acceptance must be of the
// version in force (ENOTFOUND "terms.not_found", ECONFLICT
// "terms.not_in_force"), made after it took force (EINVALID
// "portal.invalid"); it is kept on the request and, for a person with a
// personal code, as the person's (with the request it came with).
func (s *PortalService) SubmitRoleRequest(ctx context.Context, form domain.RoleRequestForm) (int64, string, error) {
	f := form
	f.Documents = append([]domain.Document(nil), form.Documents...)
	var problems []domain.Problem
	if err := f.Validate(); err != nil {
		e := domain.AsError(err)
		if e == nil {
			return 0, "", err
		}
		problems = e.Problems
	}
	refProblems, err := s.checkReferences(ctx, &f, problems)
	if err != nil {
		return 0, "", err
	}
	// ¶26.2: the acceptance the portal reports with the submission, when
	// it sends one.
	accepted := f.Terms != (domain.TermsAct{})
	if accepted {
		refProblems = append(refProblems, f.Terms.Check("terms", s.db.now())...)
	}
	if err := domain.RoleRequestInvalid(append(problems, refProblems...)); err != nil {
		return 0, "", err
	}

	var hash *string
	if f.Password != "" {
		h, err := passhash.Hash(f.Password)
		if err != nil {
			return 0, "", errorf("submit role request", err)
		}
		hash = &h
	}
	token, tokenHash, err := newConfirmToken()
	if err != nil {
		return 0, "", err
	}
	route := domain.RouteAgency
	if f.Kind == domain.KindCareerConsultant && f.InstitutionID != 0 {
		route = domain.RouteInstitution
	}

	var id int64
	err = s.db.inTx(ctx, "submit role request", func(tx *Tx) error {
		var termsVersion, termsAt, termsChannel any
		if accepted {
			published, err := lockTermsVersionInForce(ctx, tx, f.Terms.VersionID)
			if err != nil {
				return err
			}
			if err := checkAcceptedAfterPublication("terms.accepted_at", f.Terms, published); err != nil {
				return err
			}
			termsVersion, termsAt, termsChannel = f.Terms.VersionID, f.Terms.AcceptedAt, string(f.Terms.Channel)
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO role_requests (
			    kind, state, route, first_name, last_name, personal_code, email, phone, position,
			    institution_name, company_reg_number, education_reg_number, institution_id,
			    municipality_code, password_hash, notes, email_token_hash, email_sent_at,
			    created_at, updated_at, terms_version_id, terms_accepted_at, terms_channel)
			VALUES ($1, 'unconfirmed', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $17,
			        $18, $19, $20)
			RETURNING id`,
			string(f.Kind), string(route), f.FirstName, f.LastName, f.PersonalCode, f.Email, f.Phone, f.Position,
			f.InstitutionName, f.CompanyRegNumber, f.EducationRegNumber, nullID(f.InstitutionID),
			nullText(f.MunicipalityCode), hash, f.Notes, tokenHash, tx.now,
			termsVersion, termsAt, termsChannel,
		).Scan(&id)
		if err != nil {
			return dbError("submit role request", err)
		}
		// The acceptance is the person's (found by either form of the
		// code, or created); accepting a version again keeps the first.
		if accepted && f.PersonalCode != "" {
			if _, err := tx.Exec(ctx, `
				INSERT INTO terms_acceptances (person_id, version_id, accepted_at, channel, recorded_at,
				                               api_client_id, role_request_id)
				VALUES (person_for_code($1, $2, $3), $4, $5, $6, $7, $8, $9)
				ON CONFLICT DO NOTHING`,
				f.PersonalCode, f.FirstName, f.LastName, f.Terms.VersionID, f.Terms.AcceptedAt, string(f.Terms.Channel),
				tx.now, apiClientID(ctx), id); err != nil {
				return dbError("record the acceptance of the terms", err)
			}
		}
		for i, d := range f.Documents {
			var docID int64
			err := tx.QueryRow(ctx, `
				INSERT INTO role_request_documents (request_id, position, name, media_type, size, sha256)
				VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, id, i+1, d.Name, d.MediaType, d.Size, d.SHA256).Scan(&docID)
			if err != nil {
				return dbError("store request document", err)
			}
			// The file itself, when the portal sent it (issue 15).
			if d.Content != nil {
				if _, err := tx.Exec(ctx, `INSERT INTO role_request_document_contents (document_id, content) VALUES ($1, $2)`,
					docID, d.Content); err != nil {
					return dbError("store request document", err)
				}
			}
		}
		if err := addEvent(ctx, tx, id, 0, "", "submitted", ""); err != nil {
			return err
		}
		name := f.FirstName + " " + f.LastName
		if f.Kind == domain.KindInstitution {
			name = f.InstitutionName
		}
		if _, err := enqueueMail(ctx, tx, f.Email, mailLang, "rolerequest.submitted_confirm", map[string]string{
			"link": confirmLink(s.ConfirmURL, s.db.PortalURL, token), "name": strings.TrimSpace(name),
		}); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditRoleRequestSubmit, SubjectKind: "role_request", SubjectID: strconv.FormatInt(id, 10),
			Details: "kind=" + string(f.Kind) + "; route=" + string(route) + "; documents=" + strconv.Itoa(len(f.Documents)),
		})
	})
	if err != nil {
		return 0, "", err
	}
	return id, token, nil
}

// checkReferences looks up the municipality and the institution the form
// names, unless the form's own check already refused them.
func (s *PortalService) checkReferences(ctx context.Context, f *domain.RoleRequestForm, already []domain.Problem) ([]domain.Problem, error) {
	refused := func(field string) bool {
		for _, p := range already {
			if p.Field == field {
				return true
			}
		}
		return false
	}
	var problems []domain.Problem
	if f.MunicipalityCode != "" && !refused(domain.FieldMunicipalityCode) {
		var exists bool
		err := s.db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT FROM municipalities WHERE code = $1)`, f.MunicipalityCode).Scan(&exists)
		if err != nil {
			return nil, dbError("check municipality", err)
		}
		if !exists {
			problems = append(problems, domain.Problem{Field: domain.FieldMunicipalityCode, Key: "rolerequest.municipality_unknown"})
		}
	}
	if f.InstitutionID != 0 && !refused(domain.FieldInstitutionID) {
		var state string
		err := s.db.pool.QueryRow(ctx, `SELECT state FROM institutions WHERE id = $1`, f.InstitutionID).Scan(&state)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			problems = append(problems, domain.Problem{Field: domain.FieldInstitutionID, Key: "rolerequest.institution_unknown"})
		case err != nil:
			return nil, dbError("check institution", err)
		case state != "active":
			problems = append(problems, domain.Problem{Field: domain.FieldInstitutionID, Key: "rolerequest.institution_inactive"})
		}
	}
	return problems, nil
}

// ConfirmEmail confirms the e-mail address of the request whose link
// carried token: the request moves to pending (the Agency decides) or
// at_institution (its institution decides, ¶29.3: the institution is
// e-mailed at its registered address what waits for it and by when), and
// the token stops working. It returns the request's id, ENOTFOUND
// "rolerequest.token_unknown" for a token that matches no request waiting
// for confirmation, and EINVALID "rolerequest.token_expired" when the
// request waited longer than domain.UnconfirmedLifetime.
func (s *PortalService) ConfirmEmail(ctx context.Context, token string) (int64, error) {
	hash, ok := confirmTokenHash(token)
	if !ok {
		return 0, tokenUnknown()
	}
	var id int64
	err := s.db.inTx(ctx, "confirm e-mail address", func(tx *Tx) error {
		var state string
		err := tx.QueryRow(ctx, `
			UPDATE role_requests
			   SET state = CASE route WHEN 'institution' THEN 'at_institution' ELSE 'pending' END,
			       email_confirmed_at = $2, email_token_hash = NULL,
			       version = version + 1, updated_at = $2
			 WHERE email_token_hash = $1 AND state = 'unconfirmed' AND created_at > $3
			RETURNING id, state`, hash, tx.now, tx.now.Add(-domain.UnconfirmedLifetime)).Scan(&id, &state)
		if errors.Is(err, pgx.ErrNoRows) {
			var found bool
			err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM role_requests WHERE email_token_hash = $1)`, hash).Scan(&found)
			if err != nil {
				return dbError("confirm e-mail address", err)
			}
			if found {
				return domain.Errorf(domain.EINVALID, "rolerequest.token_expired", "the confirmation link has expired")
			}
			return tokenUnknown()
		}
		if err != nil {
			return dbError("confirm e-mail address", err)
		}
		if err := addEvent(ctx, tx, id, 0, "", "email_confirmed", state); err != nil {
			return err
		}
		if state == string(domain.StateAtInstitution) {
			if err := notifyInstitution(ctx, tx, id, s.Config); err != nil {
				return err
			}
		}
		err = appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditRoleRequestConfirmEmail, SubjectKind: "role_request", SubjectID: strconv.FormatInt(id, 10),
			Details: "state=" + state,
		})
		if err != nil || state != string(domain.StateAtInstitution) {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditRoleRequestInstitutionNotify, SubjectKind: "role_request", SubjectID: strconv.FormatInt(id, 10),
			Reason: "¶29.3", Details: "takeover_after_days=" + strconv.Itoa(s.Config.TakeOverAfterDays),
		})
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// tokenUnknown is the error of a confirmation link that matches nothing.
func tokenUnknown() error {
	return domain.Errorf(domain.ENOTFOUND, "rolerequest.token_unknown", "the confirmation link is not valid or has been used already")
}

// AnswerInfoRequest records the applicant's answer to the reviewer's
// question and puts the request back in the Agency's queue (pending). It
// returns EINVALID "rolerequest.answer_required" or
// "rolerequest.text_too_long", ENOTFOUND "rolerequest.not_found", and
// EINVALID "rolerequest.not_info_requested" when no question waits for an
// answer.
func (s *PortalService) AnswerInfoRequest(ctx context.Context, id int64, message string) error {
	answer, err := domain.CheckAnswer(message)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, "answer information request", func(tx *Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE role_requests
			   SET state = 'pending', info_answer = $2, version = version + 1, updated_at = $3
			 WHERE id = $1 AND state = 'info_requested'`, id, answer, tx.now)
		if err != nil {
			return dbError("answer information request", err)
		}
		if tag.RowsAffected() == 0 {
			if _, err := readRequestRow(ctx, tx, id); err != nil {
				return err
			}
			return domain.Errorf(domain.EINVALID, "rolerequest.not_info_requested", "no question waits for an answer")
		}
		if err := addEvent(ctx, tx, id, 0, "", "info_received", answer); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditRoleRequestAnswer, SubjectKind: "role_request", SubjectID: strconv.FormatInt(id, 10),
		})
	})
}

// InstitutionDecide records the decision of institutionID on a career
// consultant's request routed to it (¶29.3): approving grants the role
// within the institution (the only approval that does) for
// Config.DefaultValidity, rejecting needs a
// reason; the applicant is e-mailed either way. It returns ENOTFOUND
// "rolerequest.not_found" for a request not routed to that institution,
// EINVALID "rolerequest.reason_text_required" (rejecting without a
// reason), "rolerequest.text_too_long" or "rolerequest.institution_inactive",
// ECONFLICT "denial.holds_approval" while a denial in force reaches the
// applicant (¶24, ¶32), ECONFLICT "terms.not_accepted" while the
// applicant has not accepted the terms in force (¶26.2), and ECONFLICT "rolerequest.changed" when the request no longer waits at
// the institution (the Agency took it over, or it was decided).
func (s *PortalService) InstitutionDecide(ctx context.Context, institutionID, requestID int64, approve bool, reason string) error {
	d := domain.Decision{RequestID: requestID, ReasonCode: "other", ReasonText: reason}
	if !approve {
		if err := d.CheckRejection(); err != nil {
			return err
		}
	}
	return s.db.inTx(ctx, "institution decides role request", func(tx *Tx) error {
		var instName string
		err := tx.QueryRow(ctx, `SELECT name FROM institutions WHERE id = $1 AND state = 'active' FOR SHARE`, institutionID).Scan(&instName)
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.Errorf(domain.EINVALID, "rolerequest.institution_inactive", "the institution is not active on the Platform")
		}
		if err != nil {
			return dbError("read institution", err)
		}
		r, err := readRequestRow(ctx, tx, requestID)
		if err != nil {
			return err
		}
		if r.route != domain.RouteInstitution || r.institutionID == nil || *r.institutionID != institutionID {
			return roleRequestNotFound(requestID)
		}
		if approve {
			hold, err := roleRequestHold(ctx, tx, requestID)
			if err != nil {
				return err
			}
			if err := hold.Refusal(); err != nil {
				return err
			}
			// ¶26.2: the institution cannot accept for its consultant
			// either.
			terms, err := roleRequestTermsPending(ctx, tx, requestID)
			if err != nil {
				return err
			}
			if err := terms.Refusal(); err != nil {
				return err
			}
		}
		set := `state = 'rejected', decided_by_institution = $2, decided_at = $3,
		        reason_code = $4, reason_text = $5, password_hash = NULL`
		args := []any{requestID, institutionID, tx.now, d.ReasonCode, d.ReasonText}
		until := tx.now.Add(s.Config.DefaultValidity)
		if approve {
			set = `state = 'approved', decided_by_institution = $2, decided_at = $3, valid_until = $4`
			args = []any{requestID, institutionID, tx.now, until}
		}
		tag, err := tx.Exec(ctx, `
			UPDATE role_requests
			   SET `+set+`, version = version + 1, updated_at = $3,
			       claimed_by = NULL, claim_session = NULL, claim_expires_at = NULL
			 WHERE id = $1 AND state = 'at_institution' AND institution_id = $2`, args...)
		if err != nil {
			return dbError("institution decides role request", err)
		}
		if tag.RowsAffected() == 0 {
			return domain.Errorf(domain.ECONFLICT, "rolerequest.changed", "the request no longer waits at the institution")
		}
		if !approve {
			return finishRejection(ctx, tx, r, 0, instName, d.ReasonCode, d.ReasonText,
				"institution_rejected", domain.AuditRoleRequestInstitutionReject)
		}
		assignment, err := grantRole(ctx, tx, r, granter{institutionID: institutionID}, until)
		if err != nil {
			return err
		}
		return finishApproval(ctx, tx, r, 0, instName, until, assignment, "institution_approved", domain.AuditRoleRequestInstitutionApprove, instName)
	})
}

// newConfirmToken returns a random confirmation token for a link and the
// SHA-256 that is stored in its place.
func newConfirmToken() (token string, hash []byte, err error) {
	b := make([]byte, confirmTokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("confirmation token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(token))
	return token, sum[:], nil
}

// confirmTokenHash returns the stored form of a token from a link, or
// false when it cannot be one of ours.
func confirmTokenHash(token string) ([]byte, bool) {
	token = strings.TrimSpace(token)
	if b, err := base64.RawURLEncoding.DecodeString(token); err != nil || len(b) != confirmTokenBytes {
		return nil, false
	}
	sum := sha256.Sum256([]byte(token))
	return sum[:], true
}

// confirmLink is the link of a confirmation mail: to confirmURL when a
// service sets one, otherwise to the confirmation page of the DB's portal
// (PPP_PORTAL_URL).
func confirmLink(confirmURL, portalURL, token string) string {
	if confirmURL != "" {
		return confirmURL + "?token=" + url.QueryEscape(token)
	}
	return domain.PortalLink(portalURL, domain.ConfirmPath, token)
}

// nullID is NULL for a zero id.
func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// nullText is NULL for an empty text.
func nullText(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

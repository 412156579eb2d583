package storage

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/viaa/ppp/domain"
)

// defaultTermsTitle names the first version when the editor gives no
// title and none is in force to copy it from.
const defaultTermsTitle = "Prasmju pārvaldības platformas lietošanas noteikumi"

// StartTermsDraft creates a draft numbered number with the title and text
// of the version in force (or empty, for the first version), based
// on it, drafted by the acting editor. An empty title keeps the title of
// the version in force. It returns the draft, EINVALID
// "terms.number_required", "terms.number_too_long", "terms.number_format"
// or "terms.number_taken", EINVALID "terms.invalid" for a bad title, and
// the errors of the editor check (see TermsService).
func (s *TermsService) StartTermsDraft(ctx context.Context, number, title string) (*domain.TermsVersion, error) {
	number, err := domain.CheckTermsNumber(number)
	if err != nil {
		return nil, err
	}
	var id int64
	err = s.db.inTx(ctx, "start terms draft", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, editorGuard, domain.RoleEditor)
		if err != nil {
			return err
		}
		var base *int64
		v := domain.TermsVersion{Number: number, Title: title}
		var baseID int64
		var baseTitle string
		err = tx.QueryRow(ctx, `SELECT id, title, text FROM terms_versions WHERE state = 'published'`).
			Scan(&baseID, &baseTitle, &v.Text)
		switch {
		case err == nil:
			base = &baseID
		case !isNoRows(err):
			return dbError("read the terms in force", err)
		}
		if strings.TrimSpace(v.Title) == "" {
			v.Title = baseTitle
			if v.Title == "" {
				v.Title = defaultTermsTitle
			}
		}
		if err := v.Validate(); err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO terms_versions (number, title, text, state, based_on, drafted_by, contributors,
			                            created_at, updated_at)
			VALUES ($1, $2, $3, 'draft', $4, $5, ARRAY[$5::bigint], $6, $6)
			RETURNING id`,
			v.Number, v.Title, v.Text, base, me.id, tx.now).Scan(&id)
		if err != nil {
			return termsError("start terms draft", err)
		}
		if err := Notify(ctx, tx, termsTopic, idText(id)); err != nil {
			return err
		}
		details := "number=" + v.Number
		if base != nil {
			details += "; based_on=" + idText(*base)
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditTermsDraftStart, SubjectKind: "terms_version", SubjectID: idText(id), Details: details,
		})
	})
	if err != nil {
		return nil, err
	}
	return s.FindTermsVersion(ctx, id)
}

// SaveTermsDraft saves a draft's title, text and summary (tidied and
// checked by domain.TermsVersion.Validate, which rewrites v's fields) if
// the draft still has v.Version, and sets v.Version and v.UpdatedAt to the
// new ones. A v.BasedOn other than the draft's own rebases it onto the
// version in force, which it must name: an editor who has merged a
// version published meanwhile saves with BasedOn set to it. The acting
// editor becomes one of the draft's contributors, who may not approve it.
//
// It returns EINVALID "terms.invalid" with the problems of Validate,
// EINVALID "terms.base_not_in_force", ENOTFOUND "terms.not_found",
// ECONFLICT "terms.not_draft" when it was submitted or published
// meanwhile and ECONFLICT "terms.changed" when someone saved it
// meanwhile, and the errors of the editor check (see TermsService).
func (s *TermsService) SaveTermsDraft(ctx context.Context, v *domain.TermsVersion) error {
	if err := v.Validate(); err != nil {
		return err
	}
	return s.db.inTx(ctx, "save terms draft", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, editorGuard, domain.RoleEditor)
		if err != nil {
			return err
		}
		r, err := lockTerms(ctx, tx, v.ID, false)
		if err != nil {
			return err
		}
		if err := checkDraft(r, v.Version); err != nil {
			return err
		}
		basedOn := r.basedOn
		if v.BasedOn != 0 && v.BasedOn != r.basedOn {
			inForce, err := inForceID(ctx, tx, "FOR SHARE")
			if err != nil {
				return err
			}
			if v.BasedOn != inForce {
				return domain.Errorf(domain.EINVALID, "terms.base_not_in_force", "a draft can only be based on the version in force")
			}
			basedOn = inForce
		}
		err = tx.QueryRow(ctx, `
			UPDATE terms_versions
			   SET title = $2, text = $3, summary = $4, based_on = nullif($5, 0),
			       contributors = CASE WHEN $6 = ANY (contributors) THEN contributors
			                           ELSE contributors || $6::bigint END,
			       version = version + 1, updated_at = $7
			 WHERE id = $1 AND state = 'draft'
			RETURNING version`,
			v.ID, v.Title, v.Text, v.Summary, basedOn, me.id, tx.now).Scan(&v.Version)
		if err != nil {
			return termsError("save terms draft", err)
		}
		v.UpdatedAt, v.BasedOn = tx.now, basedOn
		if err := Notify(ctx, tx, termsTopic, idText(v.ID)); err != nil {
			return err
		}
		details := "bytes=" + strconv.Itoa(len(v.Text)) + "; lines=" + strconv.Itoa(textLines(v.Text)) +
			"; version=" + strconv.FormatInt(v.Version, 10)
		if basedOn != r.basedOn {
			details += "; rebased_on=" + idText(basedOn)
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditTermsDraftSave, SubjectKind: "terms_version", SubjectID: idText(v.ID), Details: details,
		})
	})
}

// checkDraft refuses a version that is no longer a draft, or no longer
// has the version the editor saw.
func checkDraft(r *termsRow, version int64) error {
	if r.state != domain.TermsDraft {
		return &domain.Error{Code: domain.ECONFLICT, Key: "terms.not_draft", Message: "the version is no longer a draft (it is " + string(r.state) + ")"}
	}
	if r.version != version {
		return domain.Errorf(domain.ECONFLICT, "terms.changed", "the draft was changed meanwhile; reload it")
	}
	return nil
}

// SubmitTermsDraft sends a draft, still at version, for approval by a
// second editor; the acting editor becomes one of its contributors. It
// returns ENOTFOUND "terms.not_found", ECONFLICT "terms.not_draft" or
// "terms.changed", EINVALID "terms.invalid" (with
// "terms.text_required", "terms.summary_required" or the problems of
// Validate), EINVALID "terms.unchanged" when its text is the text of the
// version in force, and the errors of the editor check (see
// TermsService).
func (s *TermsService) SubmitTermsDraft(ctx context.Context, id, version int64) error {
	return s.db.inTx(ctx, "submit terms draft", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, editorGuard, domain.RoleEditor)
		if err != nil {
			return err
		}
		r, err := lockTerms(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := checkDraft(r, version); err != nil {
			return err
		}
		v := domain.TermsVersion{Title: r.title, Text: r.text, Summary: r.summary}
		if err := v.ValidateForSubmit(); err != nil {
			return err
		}
		var unchanged bool
		err = tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM terms_versions WHERE state = 'published' AND text = $1)`,
			r.text).Scan(&unchanged)
		if err != nil {
			return dbError("compare with the terms in force", err)
		}
		if unchanged {
			return domain.Errorf(domain.EINVALID, "terms.unchanged", "the text is the text of the version in force")
		}
		_, err = tx.Exec(ctx, `
			UPDATE terms_versions
			   SET state = 'submitted',
			       contributors = CASE WHEN $2 = ANY (contributors) THEN contributors
			                           ELSE contributors || $2::bigint END,
			       version = version + 1, updated_at = $3
			 WHERE id = $1 AND state = 'draft'`, id, me.id, tx.now)
		if err != nil {
			return termsError("submit terms draft", err)
		}
		if err := Notify(ctx, tx, termsTopic, idText(id)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditTermsSubmit, SubjectKind: "terms_version", SubjectID: idText(id),
			Details: "number=" + r.number + "; bytes=" + strconv.Itoa(len(r.text)),
		})
	})
}

// ReturnTermsDraft sends a submitted version back to draft with a note
// saying why, which the version keeps (ReturnNote) until it is returned
// again. Returning does not make the editor a contributor: they may still
// approve it once it is submitted again. It returns EINVALID
// "terms.note_required", "terms.note_too_long" or "terms.control_chars",
// ENOTFOUND "terms.not_found", ECONFLICT "terms.not_submitted", and the
// errors of the editor check (see TermsService).
func (s *TermsService) ReturnTermsDraft(ctx context.Context, id int64, note string) error {
	note, err := domain.CheckReturnNote(note)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, "return terms draft", func(tx *Tx) error {
		if _, err := loadActor(ctx, tx, editorGuard, domain.RoleEditor); err != nil {
			return err
		}
		r, err := lockTerms(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if r.state != domain.TermsSubmitted {
			return notSubmitted(r.state)
		}
		_, err = tx.Exec(ctx, `
			UPDATE terms_versions
			   SET state = 'draft', return_note = $2, version = version + 1, updated_at = $3
			 WHERE id = $1 AND state = 'submitted'`, id, note, tx.now)
		if err != nil {
			return termsError("return terms draft", err)
		}
		if err := Notify(ctx, tx, termsTopic, idText(id)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditTermsReturn, SubjectKind: "terms_version", SubjectID: idText(id), Reason: note,
			Details: "number=" + r.number,
		})
	})
}

// notSubmitted is the conflict of a version that no longer waits for
// approval.
func notSubmitted(state domain.TermsState) error {
	return &domain.Error{Code: domain.ECONFLICT, Key: "terms.not_submitted", Message: "the version does not wait for approval (it is " + string(state) + ")"}
}

// contributed reports whether the operator started, saved or submitted
// the version.
func (r *termsRow) contributed(operatorID int64) bool {
	return r.draftedBy == operatorID || slices.Contains(r.contributors, operatorID)
}

// textLines counts the lines of a text as the diff sees them.
func textLines(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(strings.TrimSuffix(s, "\n"), "\n") + 1
}

package storage

import (
	"context"
	"strconv"
	"strings"

	"github.com/viaa/ppp/domain"
)

// StartTermsDraft creates a draft numbered number with the title and text
// of the version in force (or empty, for the first version), based
// on it, drafted by the acting editor (domain.NewTermsDraft). An empty
// title keeps the title of the version in force. It returns the draft,
// the errors of domain.NewTermsDraft (EINVALID "terms.number_required",
// "terms.number_too_long", "terms.number_format", EINVALID
// "terms.invalid" for a bad title), EINVALID "terms.number_taken", and
// the errors of the editor check (see TermsService).
func (s *TermsService) StartTermsDraft(ctx context.Context, number, title string) (*domain.TermsVersion, error) {
	if _, err := domain.CheckTermsNumber(number); err != nil {
		return nil, err
	}
	var id int64
	err := s.db.inTx(ctx, "start terms draft", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, editorGuard, domain.RoleEditor)
		if err != nil {
			return err
		}
		inForce, err := termsInForce(ctx, tx)
		if err != nil {
			return err
		}
		v, err := domain.NewTermsDraft(number, title, inForce, me.id, tx.now)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO terms_versions (number, title, text, state, based_on, drafted_by, contributors,
			                            created_at, updated_at)
			VALUES ($1, $2, $3, 'draft', nullif($4, 0), $5, $6, $7, $7)
			RETURNING id`,
			v.Number, v.Title, v.Text, v.BasedOn, me.id, v.Contributors, tx.now).Scan(&id)
		if err != nil {
			return termsError("start terms draft", err)
		}
		if err := Notify(ctx, tx, termsTopic, idText(id)); err != nil {
			return err
		}
		details := "number=" + v.Number
		if v.BasedOn != 0 {
			details += "; based_on=" + idText(v.BasedOn)
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

// termsInForce reads the version in force with its text inside tx, or nil
// when none has been published.
func termsInForce(ctx context.Context, tx *Tx) (*domain.TermsVersion, error) {
	v, err := scanTerms(tx.QueryRow(ctx, `SELECT `+termsColumns(true)+` FROM terms_versions t `+termsJoins+`
		WHERE t.state = 'published'`))
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, dbError("read the terms in force", err)
	}
	return v, nil
}

// SaveTermsDraft saves a draft's title, text and summary (tidied and
// checked by domain.TermsVersion.Validate, which rewrites v's fields) if
// the draft still has v.Version, and sets v.Version and v.UpdatedAt to the
// new ones. A v.BasedOn other than the draft's own rebases it onto the
// version in force, which it must name (domain.TermsVersion.Rebase): an
// editor who has merged a version published meanwhile saves with BasedOn
// set to it. The acting editor becomes one of the draft's contributors,
// who may not approve it.
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
		if err := checkStep(r, domain.TermsSave, me.id, 0, v.Version); err != nil {
			return err
		}
		basedOn := r.BasedOn
		if v.BasedOn != 0 && v.BasedOn != r.BasedOn {
			inForce, err := inForceID(ctx, tx, "FOR SHARE")
			if err != nil {
				return err
			}
			if basedOn, err = r.Rebase(v.BasedOn, inForce); err != nil {
				return err
			}
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
		if basedOn != r.BasedOn {
			details += "; rebased_on=" + idText(basedOn)
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditTermsDraftSave, SubjectKind: "terms_version", SubjectID: idText(v.ID), Details: details,
		})
	})
}

// checkStep asks domain whether the operator me may take step a on r,
// with inForce the version in force, and whether r is still at version
// (when not 0).
func checkStep(r *domain.TermsVersion, a domain.TermsAction, me, inForce, version int64) error {
	if err := r.Allows(a, me, inForce); err != nil {
		return err
	}
	if version != 0 {
		return r.CheckVersion(version)
	}
	return nil
}

// SubmitTermsDraft sends a draft, still at version, for approval by a
// second editor; the acting editor becomes one of its contributors. It
// returns ENOTFOUND "terms.not_found", ECONFLICT "terms.not_draft" or
// "terms.changed", the errors of domain.TermsVersion.CheckSubmittable
// (EINVALID "terms.invalid" with "terms.text_required",
// "terms.summary_required" or the problems of Validate; EINVALID
// "terms.unchanged" when its text is the text of the version in force),
// and the errors of the editor check (see TermsService).
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
		if err := checkStep(r, domain.TermsSubmit, me.id, 0, version); err != nil {
			return err
		}
		inForce, err := termsInForce(ctx, tx)
		if err != nil {
			return err
		}
		if err := r.CheckSubmittable(inForce); err != nil {
			return err
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
			Details: "number=" + r.Number + "; bytes=" + strconv.Itoa(len(r.Text)),
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
		me, err := loadActor(ctx, tx, editorGuard, domain.RoleEditor)
		if err != nil {
			return err
		}
		r, err := lockTerms(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if err := checkStep(r, domain.TermsReturn, me.id, 0, 0); err != nil {
			return err
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
			Details: "number=" + r.Number,
		})
	})
}

// textLines counts the lines of a text as the diff sees them.
func textLines(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(strings.TrimSuffix(s, "\n"), "\n") + 1
}

package storage

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// liftTakesEffect undoes what denial id did (revertDenial), requires a new
// password of the institution password users it reaches when newPassword
// (¶32.3, ¶32.6), and tells its subject that access is restored; the
// denial has just been lifted in tx.
func liftTakesEffect(ctx context.Context, tx *Tx, id int64, newPassword bool) error {
	if err := revertDenial(ctx, tx, id); err != nil {
		return err
	}
	if newPassword {
		// The users a denial reaches, as applyDenial denies their sign-in:
		// its platform user, or its institution's users; only those who
		// sign in with a Platform password have one to change.
		if _, err := tx.Exec(ctx, `
			UPDATE platform_users u SET password_change_required = true, updated_at = $2
			  FROM denials d
			 WHERE d.id = $1 AND u.kind = 'password'
			   AND ((d.subject_kind = 'platform_user' AND u.id = d.subject_id)
			     OR (d.subject_kind = 'institution' AND u.institution_id = d.subject_id))`, id, tx.now); err != nil {
			return dbError("require a new password", err)
		}
	}
	return tellDenial(ctx, tx, id)
}

// tellDenial tells the subject of denial id, by e-mail through the outbox,
// that access is denied (the denial is in force: ground, reason, date,
// how to contest it) or restored (it is lifted), ¶24, ¶32, ¶36 of the
// demo terms. A platform user has no language of their own: the mail is
// Latvian with English below; an institution is written to at its
// address; an operator in their language, when they have an address.
// Nobody is written to about a ¶32.8 denial (the person died), nor when
// the subject has no address. Nothing of the person goes to the log.
func tellDenial(ctx context.Context, tx *Tx, id int64) error {
	var kind, ground, note, state, email, lang string
	var since, lifted *time.Time
	var newPassword bool
	err := tx.QueryRow(ctx, `
		SELECT d.subject_kind, d.ground, d.note, d.state, d.in_force_at, d.lifted_at, d.lift_password_change,
		       coalesce(CASE d.subject_kind
		           WHEN 'platform_user' THEN (SELECT u.email FROM platform_users u WHERE u.id = d.subject_id)
		           WHEN 'institution' THEN (SELECT i.email FROM institutions i WHERE i.id = d.subject_id)
		           WHEN 'operator' THEN (SELECT o.email FROM operators o WHERE o.id = d.subject_id)
		       END, ''),
		       coalesce((SELECT o.language FROM operators o WHERE d.subject_kind = 'operator' AND o.id = d.subject_id), 'lv')
		  FROM denials d WHERE d.id = $1`, id).Scan(&kind, &ground, &note, &state, &since, &lifted, &newPassword, &email, &lang)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Errorf(domain.ENOTFOUND, "denial.not_found", "no such denial")
	}
	if err != nil {
		return dbError("read whom to tell of a denial", err)
	}
	if email == "" || domain.Ground(ground) == domain.GroundDeath || since == nil {
		return nil
	}
	data := map[string]string{
		"ground": ground, "denial": strconv.FormatInt(id, 10),
		"since": mailDay(*since),
	}
	template := "access.denied"
	if domain.DenialState(state) == domain.DenialLifted && lifted != nil {
		template = "access.restored"
		if newPassword {
			template = "access.restored_new_password"
		}
		data["lifted"] = mailDay(*lifted)
	} else {
		data["note"] = note
	}
	_, err = enqueueMail(ctx, tx, email, lang, template, data)
	return err
}

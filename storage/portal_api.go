package storage

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/viaa/ppp/domain"
)

// The portal's acts and questions that came with the portal API (issue
// 15): an IMK application with the person's acceptance of the terms, an
// acceptance of the terms in force, the terms and announcements the
// portal shows, the sign-ins it reports and the question whether someone
// may sign in. The actor is the API client ("api:<client>"); what a
// person did is recorded as theirs, with the client that carried it.

var _ domain.PortalService = (*PortalService)(nil)

// portalNewsLimit bounds the news PortalAnnouncements returns.
const portalNewsLimit = 50

// apiClientID is the id of the API client acting in ctx, or nil.
func apiClientID(ctx context.Context) *int64 {
	a := domain.ActorFrom(ctx)
	if !a.IsAPIClient() || a.APIClientID == 0 {
		return nil
	}
	return &a.APIClientID
}

// lockTermsVersionInForce locks version id against a concurrent publish
// (which would supersede it) and returns when it took force. It returns
// ENOTFOUND "terms.not_found" and ECONFLICT "terms.not_in_force" when it
// is not the version in force.
func lockTermsVersionInForce(ctx context.Context, tx *Tx, id int64) (time.Time, error) {
	var state string
	var published *time.Time
	err := tx.QueryRow(ctx, `SELECT state, published_at FROM terms_versions WHERE id = $1 FOR SHARE`, id).Scan(&state, &published)
	if isNoRows(err) {
		return time.Time{}, termsNotFound(id)
	}
	if err != nil {
		return time.Time{}, dbError("read terms version", err)
	}
	if domain.TermsState(state) != domain.TermsPublished || published == nil {
		return time.Time{}, domain.Errorf(domain.ECONFLICT, "terms.not_in_force", "terms version #%d is not the version in force", id)
	}
	return published.UTC(), nil
}

// checkAcceptedAfterPublication refuses an acceptance made before the
// version took force (the clocks' difference aside): the person cannot
// have been shown it.
func checkAcceptedAfterPublication(field string, act domain.TermsAct, published time.Time) error {
	if act.AcceptedAt.Before(published.Add(-domain.ClockSkew)) {
		return &domain.Error{Code: domain.EINVALID, Key: "portal.invalid", Message: "the terms were accepted before they took force",
			Problems: []domain.Problem{{Field: field, Key: "portal.accepted_before_publication"}}}
	}
	return nil
}

// ApplyIMK records an IMK application (¶26) with the person's acceptance
// of the terms version they were shown (¶26.2), which must be the version
// in force, in one transaction, and wakes the checker. The acceptance is
// kept as the person's (terms_acceptances by person: version, time,
// channel, the client that carried it; the person is found by either form
// of the code, or created); accepting a version again keeps the first.
// It returns EINVALID "imk.application_invalid" with a problem per bad
// field, "portal.invalid" ("terms.accepted_at" before the version took
// force), ENOTFOUND "terms.not_found", ECONFLICT "terms.not_in_force" and
// "imk.active_exists".
func (s *PortalService) ApplyIMK(ctx context.Context, form domain.IMKApplicationForm) (int64, error) {
	f := form
	if err := f.Validate(s.db.now()); err != nil {
		return 0, err
	}
	var id int64
	err := s.db.inTx(ctx, "apply for IMK", func(tx *Tx) error {
		published, err := lockTermsVersionInForce(ctx, tx, f.Terms.VersionID)
		if err != nil {
			return err
		}
		if err := checkAcceptedAfterPublication("terms.accepted_at", f.Terms, published); err != nil {
			return err
		}
		if id, err = insertIMKApplication(ctx, tx, &f); err != nil {
			return err
		}
		// The application found or created the person (person_for_code);
		// the acceptance is theirs.
		if _, err := tx.Exec(ctx, `
			INSERT INTO terms_acceptances (person_id, version_id, accepted_at, channel, recorded_at,
			                               api_client_id, imk_application_id)
			SELECT person_id, $2, $3, $4, $5, $6, id FROM imk_applications WHERE id = $1
			ON CONFLICT DO NOTHING`,
			id, f.Terms.VersionID, f.Terms.AcceptedAt, string(f.Terms.Channel), tx.now, apiClientID(ctx)); err != nil {
			return dbError("record the acceptance of the terms", err)
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditIMKApply, SubjectKind: "imk_application", SubjectID: strconv.FormatInt(id, 10),
			Details: "terms=" + strconv.FormatInt(f.Terms.VersionID, 10) + "; channel=" + string(f.Terms.Channel),
		})
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// AcceptTerms records that the Platform user userID accepted the version
// in force, as the portal reports it: the person's act (kept on their
// person; on the user when they have no personal code), with its time and
// channel and the client that carried it. Accepting a version again
// changes nothing (the first acceptance stays). It returns EINVALID
// "portal.invalid" (domain.CheckTermsAct, or an acceptance before the
// version took force), ENOTFOUND "terms.not_found" or
// "terms.user_not_found", and ECONFLICT "terms.not_in_force" when the
// version is not the one in force.
func (s *PortalService) AcceptTerms(ctx context.Context, userID int64, act domain.TermsAct) error {
	if err := domain.CheckTermsAct(&act, s.db.now()); err != nil {
		return err
	}
	return s.db.inTx(ctx, "accept terms", func(tx *Tx) error {
		published, err := lockTermsVersionInForce(ctx, tx, act.VersionID)
		if err != nil {
			return err
		}
		if err := checkAcceptedAfterPublication("accepted_at", act, published); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO terms_acceptances (user_id, version_id, accepted_at, channel, recorded_at, api_client_id)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT DO NOTHING`,
			userID, act.VersionID, act.AcceptedAt, string(act.Channel), tx.now, apiClientID(ctx))
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23503" && strings.Contains(pgErr.ConstraintName, "user_id") {
			return joinf("accept terms", domain.Errorf(domain.ENOTFOUND, "terms.user_not_found", "Platform user #%d does not exist", userID), err)
		}
		if err != nil {
			return dbError("accept terms", err)
		}
		details := "version=" + strconv.FormatInt(act.VersionID, 10) + "; channel=" + string(act.Channel)
		if tag.RowsAffected() == 0 {
			details += "; accepted before"
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditTermsAccept, SubjectKind: "platform_user", SubjectID: strconv.FormatInt(userID, 10), Details: details,
		})
	})
}

// PortalTermsInForce returns the version in force with its text, for the
// portal to show; the read is audited. It returns ENOTFOUND
// "terms.none_in_force" when none has been published yet.
func (s *PortalService) PortalTermsInForce(ctx context.Context) (*domain.TermsVersion, error) {
	var v *domain.TermsVersion
	err := s.db.inTx(ctx, "read the terms in force", func(tx *Tx) error {
		var err error
		v, err = scanTerms(tx.QueryRow(ctx, `SELECT `+termsColumns(true)+` FROM terms_versions t `+termsJoins+`
			WHERE t.state = 'published'`))
		if isNoRows(err) {
			return noneInForce()
		}
		if err != nil {
			return dbError("read the terms in force", err)
		}
		return appendPendingAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditPortalTermsRead, SubjectKind: "terms_version", SubjectID: strconv.FormatInt(v.ID, 10),
		})
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// PortalAnnouncements returns the published announcements a user holding
// role sees (those for every user, and those naming role; only the former
// when role is empty): planned downtime that has not ended, soonest
// first, then news, newest first, at most 50. The read is audited. It
// returns EINVALID "portal.role_unknown" for a role announcements cannot
// name.
func (s *PortalService) PortalAnnouncements(ctx context.Context, role domain.PlatformRole) ([]*domain.Announcement, error) {
	known := role == ""
	for _, r := range domain.AnnouncementAudiences {
		known = known || r == role
	}
	if !known {
		return nil, domain.Errorf(domain.EINVALID, "portal.role_unknown", "there is no Platform role %q", string(role))
	}
	var list []*domain.Announcement
	err := s.db.inTx(ctx, "read announcements", func(tx *Tx) error {
		rows, err := tx.Query(ctx, `
			(SELECT `+announcementColumns+announcementFrom+`
			  WHERE n.state = 'published' AND n.kind = 'downtime' AND n.ends_at > $1
			    AND (cardinality(n.audience) = 0 OR $2 = ANY (n.audience))
			  ORDER BY n.starts_at, n.id)
			UNION ALL
			(SELECT `+announcementColumns+announcementFrom+`
			  WHERE n.state = 'published' AND n.kind = 'news'
			    AND (cardinality(n.audience) = 0 OR $2 = ANY (n.audience))
			  ORDER BY n.published_at DESC, n.id DESC LIMIT $3)`, tx.now, string(role), portalNewsLimit)
		if err != nil {
			return dbError("read announcements", err)
		}
		list, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*domain.Announcement, error) { return scanAnnouncement(row) })
		if err != nil {
			return dbError("read announcements", err)
		}
		return appendPendingAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditPortalNewsRead, SubjectKind: "platform_role", SubjectID: string(role),
		})
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// platformUser is what the sign-in questions read of a user.
type platformUser struct {
	id            int64
	kind          string
	institutionID *int64
	denied        bool
	deceased      bool
	newPassword   bool // password_change_required (¶32.3, ¶32.6)
}

// readPlatformUser reads (and share-locks, when lock) a Platform user. It
// returns ENOTFOUND "portal.user_not_found".
func readPlatformUser(ctx context.Context, tx *Tx, where string, arg any, lock bool) (*platformUser, error) {
	u := &platformUser{}
	sql := `SELECT id, kind, institution_id, sign_in_denied OR ended_at IS NOT NULL,
	               EXISTS (SELECT FROM persons p WHERE p.id = platform_users.person_id AND p.deceased_on IS NOT NULL),
	               password_change_required
	          FROM platform_users WHERE ` + where
	if lock {
		sql += ` FOR SHARE`
	}
	err := tx.QueryRow(ctx, sql, arg).Scan(&u.id, &u.kind, &u.institutionID, &u.denied, &u.deceased, &u.newPassword)
	if isNoRows(err) {
		return nil, domain.Errorf(domain.ENOTFOUND, "portal.user_not_found", "there is no such Platform user")
	}
	if err != nil {
		return nil, dbError("read Platform user", err)
	}
	return u, nil
}

// signInStatus says whether u may sign in: not while a denial in force
// covers them or their institution (¶24, ¶32; the sign_in_denied flag the
// denials set), nor once the Population Register says they died (¶32.8,
// before the death check's denial is raised).
func signInStatus(ctx context.Context, tx *Tx, u *platformUser) (*domain.SignInStatus, error) {
	st := &domain.SignInStatus{Known: true, UserID: u.id, Denials: []domain.SignInDenial{}, PasswordChangeRequired: u.newPassword}
	rows, err := tx.Query(ctx, `
		SELECT d.ground, coalesce(d.in_force_at, d.raised_at) FROM denials d
		 WHERE d.state IN ('in_force', 'lift_pending')
		   AND ((d.subject_kind = 'platform_user' AND d.subject_id = $1)
		     OR (d.subject_kind = 'institution' AND d.subject_id = $2))
		 ORDER BY 2, d.id`, u.id, u.institutionID)
	if err != nil {
		return nil, dbError("read denials in force", err)
	}
	var d domain.SignInDenial
	var ground string
	_, err = pgx.ForEachRow(rows, []any{&ground, &d.Since}, func() error {
		st.Denials = append(st.Denials, domain.SignInDenial{Ground: domain.Ground(ground), Since: d.Since.UTC()})
		return nil
	})
	if err != nil {
		return nil, dbError("read denials in force", err)
	}
	st.Allowed = !u.denied && !u.deceased && len(st.Denials) == 0
	return st, nil
}

// checkMethodFits refuses a sign-in method the user cannot have: a
// Platform password for a Latvija.gov.lv user, or Latvija.gov.lv for an
// institution's user.
func checkMethodFits(u *platformUser, m domain.PlatformSignInMethod) error {
	if (u.kind == "viss") != m.ThroughLatvijaGovLv() {
		return &domain.Error{Code: domain.EINVALID, Key: "portal.invalid", Message: "the user does not sign in that way",
			Problems: []domain.Problem{{Field: "method", Key: "portal.sign_in_method_wrong"}}}
	}
	return nil
}

// RecordSignIn records a Platform user's sign-in as the portal reports it
// and returns its id; the audit entry goes through audit_pending, since
// sign-ins are many. A user whose access is denied is refused and nothing
// is recorded. It returns EINVALID "portal.invalid" (domain.PlatformSignIn's
// checks, or a method the user cannot have), ENOTFOUND
// "portal.user_not_found", and EFORBIDDEN "portal.sign_in_denied".
func (s *PortalService) RecordSignIn(ctx context.Context, in domain.PlatformSignIn) (int64, error) {
	if err := in.Check(s.db.now()); err != nil {
		return 0, err
	}
	var id int64
	err := s.db.inTx(ctx, "record Platform sign-in", func(tx *Tx) error {
		u, err := readPlatformUser(ctx, tx, `id = $1`, in.UserID, true)
		if err != nil {
			return err
		}
		if err := checkMethodFits(u, in.Method); err != nil {
			return err
		}
		st, err := signInStatus(ctx, tx, u)
		if err != nil {
			return err
		}
		if !st.Allowed {
			return domain.Errorf(domain.EFORBIDDEN, "portal.sign_in_denied", "access to the Platform is denied to this user")
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO platform_sign_ins (user_id, at, method, recorded_at, api_client_id)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			in.UserID, in.At, string(in.Method), tx.now, apiClientID(ctx)).Scan(&id); err != nil {
			return dbError("record Platform sign-in", err)
		}
		return appendPendingAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditPortalSignIn, SubjectKind: "platform_user", SubjectID: strconv.FormatInt(in.UserID, 10),
			Details: "method=" + string(in.Method),
		})
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// RecordAuthDeactivated records that the portal deactivated the user's
// sign-in method (¶32.2), with when and which; the auth-deactivated sweep
// denies the user's access within its interval. It returns EINVALID
// "portal.invalid" and ENOTFOUND "portal.user_not_found".
func (s *PortalService) RecordAuthDeactivated(ctx context.Context, d domain.AuthDeactivation) error {
	if err := d.Check(s.db.now()); err != nil {
		return err
	}
	return s.db.inTx(ctx, "record deactivated sign-in method", func(tx *Tx) error {
		u, err := readPlatformUser(ctx, tx, `id = $1`, d.UserID, false)
		if err != nil {
			return err
		}
		if err := checkMethodFits(u, d.Method); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE platform_users SET auth_deactivated_at = $2, auth_deactivated_method = $3, updated_at = $4
			 WHERE id = $1`, d.UserID, d.At, string(d.Method), tx.now); err != nil {
			return dbError("record deactivated sign-in method", err)
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditPortalAuthDeactivated, SubjectKind: "platform_user", SubjectID: strconv.FormatInt(d.UserID, 10),
			Details: "method=" + string(d.Method) + "; at=" + d.At.UTC().Format(time.RFC3339),
		})
	})
}

// SignInStatus says whether the Platform user may sign in (see
// domain.SignInStatus); the question is audited. It returns ENOTFOUND
// "portal.user_not_found".
func (s *PortalService) SignInStatus(ctx context.Context, userID int64) (*domain.SignInStatus, error) {
	var st *domain.SignInStatus
	err := s.db.inTx(ctx, "read sign-in status", func(tx *Tx) error {
		u, err := readPlatformUser(ctx, tx, `id = $1`, userID, false)
		if err != nil {
			return err
		}
		if st, err = signInStatus(ctx, tx, u); err != nil {
			return err
		}
		return appendPendingAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditPortalSignInStatus, SubjectKind: "platform_user", SubjectID: strconv.FormatInt(userID, 10),
			Details: "allowed=" + strconv.FormatBool(st.Allowed),
		})
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// PersonSignInStatus says whether the person with the personal code may
// sign in through Latvija.gov.lv: a person no Platform user has is
// unknown and may (nobody denied them anything). The question is audited
// (the code masked, as every code in the log). It returns EINVALID
// "portal.invalid" with the problem of domain.NormalizePersonalCode under
// "personal_code".
func (s *PortalService) PersonSignInStatus(ctx context.Context, personalCode string) (*domain.SignInStatus, error) {
	code, err := domain.NormalizePersonalCode(strings.TrimSpace(personalCode))
	if err != nil {
		return nil, &domain.Error{Code: domain.EINVALID, Key: "portal.invalid", Message: "the personal code is not valid",
			Problems: []domain.Problem{{Field: "personal_code", Key: domain.AsError(err).Key}}}
	}
	var st *domain.SignInStatus
	err = s.db.inTx(ctx, "read sign-in status", func(tx *Tx) error {
		// Either form of the person's code finds their account (person_codes).
		u, err := readPlatformUser(ctx, tx, `person_id = (SELECT person_id FROM person_codes WHERE code = $1)`, code, false)
		subject, subjectID := "person", code
		switch {
		case domain.ErrorCode(err) == domain.ENOTFOUND:
			st = &domain.SignInStatus{Allowed: true, Denials: []domain.SignInDenial{}}
		case err != nil:
			return err
		default:
			if st, err = signInStatus(ctx, tx, u); err != nil {
				return err
			}
			subject, subjectID = "platform_user", strconv.FormatInt(u.id, 10)
		}
		return appendPendingAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditPortalSignInStatus, SubjectKind: subject, SubjectID: subjectID,
			Details: "allowed=" + strconv.FormatBool(st.Allowed),
		})
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

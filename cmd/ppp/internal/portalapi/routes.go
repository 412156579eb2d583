package portalapi

import (
	"context"
	"net/http"
	"time"

	"github.com/viaa/ppp/domain"
)

// v1 is version 1 of the API: what the portal does in the terms of use
// (issue 15), each route through the PortalService method the demo and
// the tests use.
func (a *API) v1() []route {
	p := a.cfg.Portal
	return []route{
		{http.MethodPost, "/v1/role-requests", RoleRequestBodyLimit, func(ctx context.Context, c *call) (int, any, error) {
			var in roleRequestIn
			if err := c.decode(&in); err != nil {
				return 0, nil, err
			}
			id, _, err := p.SubmitRoleRequest(ctx, in.form())
			if err != nil {
				return 0, nil, err
			}
			return http.StatusCreated, idOut{ID: id}, nil
		}},
		{http.MethodPost, "/v1/email-confirmations", SmallBodyLimit, func(ctx context.Context, c *call) (int, any, error) {
			var in struct {
				Token string `json:"token"`
			}
			if err := c.decode(&in); err != nil {
				return 0, nil, err
			}
			id, err := p.ConfirmEmail(ctx, in.Token)
			if err != nil {
				return 0, nil, err
			}
			return http.StatusOK, idOut{ID: id}, nil
		}},
		{http.MethodPost, "/v1/role-requests/{id}/answer", SmallBodyLimit, func(ctx context.Context, c *call) (int, any, error) {
			id, err := c.pathID("id")
			if err != nil {
				return 0, nil, err
			}
			var in struct {
				Message string `json:"message"`
			}
			if err := c.decode(&in); err != nil {
				return 0, nil, err
			}
			if err := p.AnswerInfoRequest(ctx, id, in.Message); err != nil {
				return 0, nil, err
			}
			return http.StatusOK, idOut{ID: id}, nil
		}},
		{http.MethodPost, "/v1/institutions/{institution_id}/role-requests/{id}/decision", SmallBodyLimit, func(ctx context.Context, c *call) (int, any, error) {
			inst, err := c.pathID("institution_id")
			if err != nil {
				return 0, nil, err
			}
			id, err := c.pathID("id")
			if err != nil {
				return 0, nil, err
			}
			var in struct {
				Approve *bool  `json:"approve"`
				Reason  string `json:"reason"`
			}
			if err := c.decode(&in); err != nil {
				return 0, nil, err
			}
			if in.Approve == nil {
				return 0, nil, required("approve")
			}
			if err := p.InstitutionDecide(ctx, inst, id, *in.Approve, in.Reason); err != nil {
				return 0, nil, err
			}
			return http.StatusOK, idOut{ID: id}, nil
		}},
		{http.MethodPost, "/v1/imk-applications", SmallBodyLimit, func(ctx context.Context, c *call) (int, any, error) {
			var in struct {
				PersonalCode string  `json:"personal_code"`
				FirstName    string  `json:"first_name"`
				LastName     string  `json:"last_name"`
				Email        string  `json:"email"`
				Terms        termsIn `json:"terms"`
			}
			if err := c.decode(&in); err != nil {
				return 0, nil, err
			}
			id, err := p.ApplyIMK(ctx, domain.IMKApplicationForm{PersonalCode: in.PersonalCode, FirstName: in.FirstName,
				LastName: in.LastName, Email: in.Email, Terms: in.Terms.act()})
			if err != nil {
				return 0, nil, err
			}
			return http.StatusCreated, idOut{ID: id}, nil
		}},
		{http.MethodPost, "/v1/imk-applications/{id}/review-requests", SmallBodyLimit, func(ctx context.Context, c *call) (int, any, error) {
			id, err := c.pathID("id")
			if err != nil {
				return 0, nil, err
			}
			var in struct {
				PersonalCode string `json:"personal_code"`
				Message      string `json:"message"`
			}
			if err := c.decode(&in); err != nil {
				return 0, nil, err
			}
			if err := p.RequestIMKReview(ctx, domain.IMKReviewRequest{ApplicationID: id, PersonalCode: in.PersonalCode,
				Message: in.Message, Channel: domain.ReviewChannelPortal}); err != nil {
				return 0, nil, err
			}
			return http.StatusOK, idOut{ID: id}, nil
		}},
		{http.MethodPost, "/v1/platform-users/{user_id}/terms-acceptances", SmallBodyLimit, func(ctx context.Context, c *call) (int, any, error) {
			user, err := c.pathID("user_id")
			if err != nil {
				return 0, nil, err
			}
			var in termsIn
			if err := c.decode(&in); err != nil {
				return 0, nil, err
			}
			if err := p.AcceptTerms(ctx, user, in.act()); err != nil {
				return 0, nil, err
			}
			return http.StatusOK, idOut{ID: user}, nil
		}},
		{http.MethodGet, "/v1/terms", 0, func(ctx context.Context, c *call) (int, any, error) {
			v, err := p.PortalTermsInForce(ctx)
			if err != nil {
				return 0, nil, err
			}
			return http.StatusOK, termsOut{ID: v.ID, Number: v.Number, Title: v.Title, Text: v.Text, Summary: v.Summary,
				PublishedAt: v.PublishedAt.UTC()}, nil
		}},
		{http.MethodGet, "/v1/announcements", 0, func(ctx context.Context, c *call) (int, any, error) {
			list, err := p.PortalAnnouncements(ctx, domain.PlatformRole(c.r.URL.Query().Get("role")))
			if err != nil {
				return 0, nil, err
			}
			out := announcementsOut{Announcements: make([]announcementOut, 0, len(list))}
			for _, n := range list {
				out.Announcements = append(out.Announcements, announcementOutOf(n))
			}
			return http.StatusOK, out, nil
		}},
		{http.MethodPost, "/v1/password-resets", SmallBodyLimit, func(ctx context.Context, c *call) (int, any, error) {
			var in struct {
				Token       string `json:"token"`
				NewPassword string `json:"new_password"`
			}
			if err := c.decode(&in); err != nil {
				return 0, nil, err
			}
			if err := p.RedeemResetToken(ctx, in.Token, in.NewPassword); err != nil {
				return 0, nil, err
			}
			return http.StatusOK, doneOut{Done: true}, nil
		}},
		{http.MethodPost, "/v1/platform-users/{user_id}/sign-ins", SmallBodyLimit, func(ctx context.Context, c *call) (int, any, error) {
			user, err := c.pathID("user_id")
			if err != nil {
				return 0, nil, err
			}
			var in methodIn
			if err := c.decode(&in); err != nil {
				return 0, nil, err
			}
			id, err := p.RecordSignIn(ctx, domain.PlatformSignIn{UserID: user, Method: domain.PlatformSignInMethod(in.Method), At: in.At})
			if err != nil {
				return 0, nil, err
			}
			return http.StatusCreated, idOut{ID: id}, nil
		}},
		{http.MethodPost, "/v1/platform-users/{user_id}/auth-deactivations", SmallBodyLimit, func(ctx context.Context, c *call) (int, any, error) {
			user, err := c.pathID("user_id")
			if err != nil {
				return 0, nil, err
			}
			var in methodIn
			if err := c.decode(&in); err != nil {
				return 0, nil, err
			}
			if err := p.RecordAuthDeactivated(ctx, domain.AuthDeactivation{UserID: user, Method: domain.PlatformSignInMethod(in.Method), At: in.At}); err != nil {
				return 0, nil, err
			}
			return http.StatusOK, idOut{ID: user}, nil
		}},
		{http.MethodGet, "/v1/platform-users/{user_id}/sign-in-status", 0, func(ctx context.Context, c *call) (int, any, error) {
			user, err := c.pathID("user_id")
			if err != nil {
				return 0, nil, err
			}
			st, err := p.SignInStatus(ctx, user)
			if err != nil {
				return 0, nil, err
			}
			return http.StatusOK, statusOut(st), nil
		}},
		// A personal code never goes in a URL (proxies and logs keep
		// URLs): the question is a POST.
		{http.MethodPost, "/v1/sign-in-status", SmallBodyLimit, func(ctx context.Context, c *call) (int, any, error) {
			var in struct {
				PersonalCode string `json:"personal_code"`
			}
			if err := c.decode(&in); err != nil {
				return 0, nil, err
			}
			st, err := p.PersonSignInStatus(ctx, in.PersonalCode)
			if err != nil {
				return 0, nil, err
			}
			return http.StatusOK, statusOut(st), nil
		}},
	}
}

// required is the error of a field the route needs and the body lacks.
func required(field string) error {
	return &domain.Error{Code: domain.EINVALID, Key: "api.bad_json", Message: "the body lacks " + field,
		Problems: []domain.Problem{{Field: field, Key: "api.field_required"}}}
}

type idOut struct {
	ID int64 `json:"id"`
}

type doneOut struct {
	Done bool `json:"done"`
}

// roleRequestIn is a role request as the portal sends it.
type roleRequestIn struct {
	Kind               string       `json:"kind"`
	FirstName          string       `json:"first_name"`
	LastName           string       `json:"last_name"`
	PersonalCode       string       `json:"personal_code"`
	Email              string       `json:"email"`
	Phone              string       `json:"phone"`
	Position           string       `json:"position"`
	InstitutionName    string       `json:"institution_name"`
	CompanyRegNumber   string       `json:"company_reg_number"`
	EducationRegNumber string       `json:"education_reg_number"`
	Password           string       `json:"password"`
	InstitutionID      int64        `json:"institution_id"`
	MunicipalityCode   string       `json:"municipality_code"`
	Notes              string       `json:"notes"`
	Documents          []documentIn `json:"documents"`
	// ¶26.2: the applicant's acceptance of the terms in force.
	Terms *termsIn `json:"terms"`
}

// documentIn is a document with its file, base64 in JSON ([]byte).
type documentIn struct {
	Name      string `json:"name"`
	MediaType string `json:"media_type"`
	SHA256    string `json:"sha256"`
	Content   []byte `json:"content"`
}

func (in roleRequestIn) form() domain.RoleRequestForm {
	f := domain.RoleRequestForm{Kind: domain.RoleRequestKind(in.Kind), FirstName: in.FirstName, LastName: in.LastName,
		PersonalCode: in.PersonalCode, Email: in.Email, Phone: in.Phone, Position: in.Position,
		InstitutionName: in.InstitutionName, CompanyRegNumber: in.CompanyRegNumber, EducationRegNumber: in.EducationRegNumber,
		Password: in.Password, InstitutionID: in.InstitutionID, MunicipalityCode: in.MunicipalityCode, Notes: in.Notes}
	if in.Terms != nil {
		f.Terms = in.Terms.act()
	}
	for _, d := range in.Documents {
		content := d.Content
		if content == nil {
			content = []byte{} // a file was sent: an empty one is refused as such
		}
		f.Documents = append(f.Documents, domain.Document{Name: d.Name, MediaType: d.MediaType, SHA256: d.SHA256, Content: content})
	}
	return f
}

// termsIn is a person's acceptance of the terms as the portal saw it.
type termsIn struct {
	VersionID  int64     `json:"version_id"`
	AcceptedAt time.Time `json:"accepted_at"`
	Channel    string    `json:"channel"`
}

func (t termsIn) act() domain.TermsAct {
	return domain.TermsAct{VersionID: t.VersionID, AcceptedAt: t.AcceptedAt, Channel: domain.TermsChannel(t.Channel)}
}

// methodIn is a sign-in or a deactivation: the method and when.
type methodIn struct {
	Method string    `json:"method"`
	At     time.Time `json:"at"`
}

type termsOut struct {
	ID          int64     `json:"id"`
	Number      string    `json:"number"`
	Title       string    `json:"title"`
	Text        string    `json:"text"`
	Summary     string    `json:"summary"`
	PublishedAt time.Time `json:"published_at"`
}

type announcementsOut struct {
	Announcements []announcementOut `json:"announcements"`
}

type announcementOut struct {
	ID          int64      `json:"id"`
	Kind        string     `json:"kind"`
	Title       string     `json:"title"`
	Body        string     `json:"body"`
	Audience    []string   `json:"audience"`
	Services    string     `json:"services,omitempty"`
	StartsAt    *time.Time `json:"starts_at,omitempty"`
	EndsAt      *time.Time `json:"ends_at,omitempty"`
	PublishedAt time.Time  `json:"published_at"`
}

func announcementOutOf(n *domain.Announcement) announcementOut {
	o := announcementOut{ID: n.ID, Kind: string(n.Kind), Title: n.Title, Body: n.Body, Audience: n.Audience,
		Services: n.Services, PublishedAt: n.PublishedAt.UTC()}
	if o.Audience == nil {
		o.Audience = []string{}
	}
	if !n.StartsAt.IsZero() {
		s, e := n.StartsAt.UTC(), n.EndsAt.UTC()
		o.StartsAt, o.EndsAt = &s, &e
	}
	return o
}

type signInStatusOut struct {
	Known   bool        `json:"known"`
	UserID  int64       `json:"user_id,omitempty"`
	Allowed bool        `json:"allowed"`
	Denials []denialOut `json:"denials"`
	// PasswordChangeRequired: the user must choose a new password at this
	// sign-in (a lift required it, ¶32.3, ¶32.6).
	PasswordChangeRequired bool `json:"password_change_required"`
}

type denialOut struct {
	Ground string    `json:"ground"`
	Since  time.Time `json:"since"`
}

func statusOut(st *domain.SignInStatus) signInStatusOut {
	o := signInStatusOut{Known: st.Known, UserID: st.UserID, Allowed: st.Allowed, Denials: []denialOut{},
		PasswordChangeRequired: st.PasswordChangeRequired}
	for _, d := range st.Denials {
		o.Denials = append(o.Denials, denialOut{Ground: string(d.Ground), Since: d.Since.UTC()})
	}
	return o
}

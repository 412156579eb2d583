package fakes

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/viaa/ppp/domain"
)

// TermsTopic is the feed topic the Terms fake announces a change of a
// version on, with its id.
const TermsTopic = domain.TopicTerms

// AnnouncementTopic is the feed topic the Announcements fake announces a
// change on, with its id.
const AnnouncementTopic = domain.TopicAnnouncement

var (
	_ domain.TermsService        = (*Terms)(nil)
	_ domain.AnnouncementService = (*Announcements)(nil)
)

// Terms is an in-memory domain.TermsService. It keeps the rules the
// screens depend on: a draft is saved and submitted with the version it
// was read at (ECONFLICT otherwise, or once it is no longer a draft);
// every change bumps that version and writes the new one back into the
// caller's value on save; the drafter cannot approve (EFORBIDDEN); one
// version is in force. The actor comes from the context. The list, like
// storage's, carries no texts. When Feed is set, every change is
// published on TermsTopic.
type Terms struct {
	mu       sync.Mutex
	versions map[int64]*domain.TermsVersion
	nextID   int64
	fail     map[string]error
	accept   map[int64]*domain.TermsAcceptance
	pending  []*domain.PendingAcceptance

	// Feed receives a change per write when set.
	Feed *Feed
	// Announcements, when set, gets the announcement publishing creates.
	Announcements *Announcements
	// Now is the clock (time.Now when nil).
	Now func() time.Time

	saves    []domain.TermsVersion
	submits  [][2]int64
	returns  []string
	publish  []TermsPublish
	pendings [][2]int64
	finds    []int64
}

// TermsPublish is one ApproveAndPublish call and its result.
type TermsPublish struct {
	ID    int64
	Actor int64
	Err   error
}

// NewTerms returns an empty service.
func NewTerms() *Terms {
	return &Terms{versions: map[int64]*domain.TermsVersion{}, nextID: 1, fail: map[string]error{}, accept: map[int64]*domain.TermsAcceptance{}}
}

func (f *Terms) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// Add stores v (giving it an id and a version when it has none) and
// returns a copy.
func (f *Terms) Add(v *domain.TermsVersion) *domain.TermsVersion {
	f.mu.Lock()
	defer f.mu.Unlock()
	if v.ID == 0 {
		v.ID = f.nextID
	}
	f.nextID = max(f.nextID, v.ID+1)
	if v.Version == 0 {
		v.Version = 1
	}
	if v.CreatedAt.IsZero() {
		v.CreatedAt = f.now()
	}
	c := *v
	f.versions[v.ID] = &c
	return &c
}

// Get returns a copy of version id with its text, or nil.
func (f *Terms) Get(id int64) *domain.TermsVersion {
	f.mu.Lock()
	defer f.mu.Unlock()
	if v := f.versions[id]; v != nil {
		c := *v
		return &c
	}
	return nil
}

// Update changes the stored version with fn, as another editor would,
// bumping its version, and announces it.
func (f *Terms) Update(id int64, fn func(*domain.TermsVersion)) {
	f.mu.Lock()
	v := f.versions[id]
	if v != nil {
		fn(v)
		v.Version++
	}
	f.mu.Unlock()
	f.changed(id)
}

// SetAcceptance sets what TermsAcceptance returns for a version.
func (f *Terms) SetAcceptance(a *domain.TermsAcceptance) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := *a
	f.accept[a.VersionID] = &c
}

// SetPending sets the users who have not accepted the version in force.
func (f *Terms) SetPending(p []*domain.PendingAcceptance) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pending = slices.Clone(p)
	slices.SortFunc(f.pending, func(a, b *domain.PendingAcceptance) int { return int(a.UserID - b.UserID) })
}

// FailNext makes the next call of method return err.
func (f *Terms) FailNext(method string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[method] = err
}

func (f *Terms) takeFail(method string) error {
	err := f.fail[method]
	delete(f.fail, method)
	return err
}

func (f *Terms) changed(id int64) {
	if f.Feed != nil {
		f.Feed.Publish(domain.Change{Topic: TermsTopic, ID: strconv.FormatInt(id, 10)})
	}
}

func termsNotFound() error {
	return domain.Errorf(domain.ENOTFOUND, "terms.not_found", "no such terms version")
}

func termsConflict() error {
	return domain.Errorf(domain.ECONFLICT, "terms.changed", "the draft was changed meanwhile")
}

// ListTermsVersions implements domain.TermsService.
func (f *Terms) ListTermsVersions(context.Context) ([]*domain.TermsVersion, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.takeFail("ListTermsVersions"); err != nil {
		return nil, err
	}
	var out []*domain.TermsVersion
	for _, v := range f.versions {
		c := *v
		c.Text = ""
		out = append(out, &c)
	}
	slices.SortFunc(out, func(a, b *domain.TermsVersion) int { return int(b.ID - a.ID) })
	return out, nil
}

// FindTermsVersion implements domain.TermsService.
func (f *Terms) FindTermsVersion(_ context.Context, id int64) (*domain.TermsVersion, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.finds = append(f.finds, id)
	if err := f.takeFail("FindTermsVersion"); err != nil {
		return nil, err
	}
	v := f.versions[id]
	if v == nil {
		return nil, termsNotFound()
	}
	c := *v
	return &c, nil
}

func (f *Terms) inForceLocked() *domain.TermsVersion {
	for _, v := range f.versions {
		if v.State == domain.TermsPublished {
			return v
		}
	}
	return nil
}

// TermsInForce implements domain.TermsService.
func (f *Terms) TermsInForce(context.Context) (*domain.TermsVersion, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.takeFail("TermsInForce"); err != nil {
		return nil, err
	}
	v := f.inForceLocked()
	if v == nil {
		return nil, domain.Errorf(domain.ENOTFOUND, "terms.none_in_force", "no version is in force")
	}
	c := *v
	return &c, nil
}

// StartTermsDraft implements domain.TermsService.
func (f *Terms) StartTermsDraft(ctx context.Context, number, title string) (*domain.TermsVersion, error) {
	f.mu.Lock()
	if err := f.takeFail("StartTermsDraft"); err != nil {
		f.mu.Unlock()
		return nil, err
	}
	number, err := domain.CheckTermsNumber(number)
	if err != nil {
		f.mu.Unlock()
		e := domain.AsError(err)
		return nil, &domain.Error{Code: domain.EINVALID, Key: "terms.invalid", Message: e.Message,
			Problems: []domain.Problem{{Field: domain.FieldNumber, Key: e.Key, Args: e.Args}}}
	}
	for _, v := range f.versions {
		if v.Number == number {
			f.mu.Unlock()
			return nil, &domain.Error{Code: domain.EINVALID, Key: "terms.invalid", Message: "number taken",
				Problems: []domain.Problem{{Field: domain.FieldNumber, Key: "terms.number_taken", Args: []any{number}}}}
		}
	}
	a := domain.ActorFrom(ctx)
	v := &domain.TermsVersion{ID: f.nextID, Number: number, Title: title, State: domain.TermsDraft,
		DraftedBy: a.OperatorID, DraftedByName: a.Name, CreatedAt: f.now(), UpdatedAt: f.now(), Version: 1}
	if err := v.Validate(); err != nil {
		f.mu.Unlock()
		return nil, err
	}
	if cur := f.inForceLocked(); cur != nil {
		v.Text, v.BasedOn = cur.Text, cur.ID
	}
	f.nextID++
	f.versions[v.ID] = v
	c := *v
	f.mu.Unlock()
	f.changed(v.ID)
	return &c, nil
}

// SaveTermsDraft implements domain.TermsService.
func (f *Terms) SaveTermsDraft(_ context.Context, v *domain.TermsVersion) error {
	f.mu.Lock()
	f.saves = append(f.saves, *v)
	if err := f.takeFail("SaveTermsDraft"); err != nil {
		f.mu.Unlock()
		return err
	}
	cur := f.versions[v.ID]
	switch {
	case cur == nil:
		f.mu.Unlock()
		return termsNotFound()
	case cur.State != domain.TermsDraft || cur.Version != v.Version:
		f.mu.Unlock()
		return termsConflict()
	}
	c := *v
	if err := c.Validate(); err != nil {
		f.mu.Unlock()
		return err
	}
	cur.Title, cur.Text, cur.Summary = c.Title, c.Text, c.Summary
	cur.Version++
	cur.UpdatedAt = f.now()
	v.Version, v.UpdatedAt = cur.Version, cur.UpdatedAt
	f.mu.Unlock()
	f.changed(v.ID)
	return nil
}

// SubmitTermsDraft implements domain.TermsService.
func (f *Terms) SubmitTermsDraft(_ context.Context, id, version int64) error {
	f.mu.Lock()
	f.submits = append(f.submits, [2]int64{id, version})
	if err := f.takeFail("SubmitTermsDraft"); err != nil {
		f.mu.Unlock()
		return err
	}
	cur := f.versions[id]
	switch {
	case cur == nil:
		f.mu.Unlock()
		return termsNotFound()
	case cur.State != domain.TermsDraft || cur.Version != version:
		f.mu.Unlock()
		return termsConflict()
	}
	if err := cur.ValidateForSubmit(); err != nil {
		f.mu.Unlock()
		return err
	}
	cur.State = domain.TermsSubmitted
	cur.Version++
	f.mu.Unlock()
	f.changed(id)
	return nil
}

// ReturnTermsDraft implements domain.TermsService.
func (f *Terms) ReturnTermsDraft(_ context.Context, id int64, note string) error {
	f.mu.Lock()
	f.returns = append(f.returns, strconv.FormatInt(id, 10)+":"+note)
	if err := f.takeFail("ReturnTermsDraft"); err != nil {
		f.mu.Unlock()
		return err
	}
	note, err := domain.CheckReturnNote(note)
	if err != nil {
		f.mu.Unlock()
		return err
	}
	cur := f.versions[id]
	switch {
	case cur == nil:
		f.mu.Unlock()
		return termsNotFound()
	case cur.State != domain.TermsSubmitted:
		f.mu.Unlock()
		return termsConflict()
	}
	cur.State, cur.ReturnNote = domain.TermsDraft, note
	cur.Version++
	f.mu.Unlock()
	f.changed(id)
	return nil
}

// ApproveAndPublish implements domain.TermsService.
func (f *Terms) ApproveAndPublish(ctx context.Context, id int64) error {
	a := domain.ActorFrom(ctx)
	err := f.approve(a, id)
	f.mu.Lock()
	f.publish = append(f.publish, TermsPublish{ID: id, Actor: a.OperatorID, Err: err})
	f.mu.Unlock()
	if err == nil {
		f.changed(id)
	}
	return err
}

func (f *Terms) approve(a domain.Actor, id int64) error {
	f.mu.Lock()
	if err := f.takeFail("ApproveAndPublish"); err != nil {
		f.mu.Unlock()
		return err
	}
	cur := f.versions[id]
	switch {
	case cur == nil:
		f.mu.Unlock()
		return termsNotFound()
	case cur.State != domain.TermsSubmitted:
		f.mu.Unlock()
		return domain.Errorf(domain.ECONFLICT, "terms.not_submitted", "the version does not wait for approval")
	case cur.DraftedBy == a.OperatorID:
		f.mu.Unlock()
		return domain.Errorf(domain.EFORBIDDEN, "terms.own_draft", "the drafter cannot approve their own version")
	}
	now := f.now()
	if prev := f.inForceLocked(); prev != nil {
		prev.State = domain.TermsSuperseded
	}
	cur.State, cur.ApprovedBy, cur.ApprovedName, cur.PublishedAt = domain.TermsPublished, a.OperatorID, a.Name, now
	number, title := cur.Number, cur.Title
	f.mu.Unlock()
	if f.Announcements != nil {
		f.Announcements.Add(&domain.Announcement{Kind: domain.AnnouncementNews, State: domain.AnnouncementPublished,
			Title: "Lietošanas noteikumu redakcija " + number, Body: title, StartsAt: now, TermsVersion: id,
			CreatedBy: a.OperatorID, CreatedByName: a.Name, PublishedAt: now})
	}
	return nil
}

// TermsAcceptance implements domain.TermsService.
func (f *Terms) TermsAcceptance(_ context.Context, versionID int64) (*domain.TermsAcceptance, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.takeFail("TermsAcceptance"); err != nil {
		return nil, err
	}
	if f.versions[versionID] == nil {
		return nil, termsNotFound()
	}
	if a := f.accept[versionID]; a != nil {
		c := *a
		c.ByRole = slices.Clone(a.ByRole)
		return &c, nil
	}
	return &domain.TermsAcceptance{VersionID: versionID}, nil
}

// PendingAcceptances implements domain.TermsService.
func (f *Terms) PendingAcceptances(_ context.Context, afterUserID int64, limit int) ([]*domain.PendingAcceptance, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pendings = append(f.pendings, [2]int64{afterUserID, int64(limit)})
	if err := f.takeFail("PendingAcceptances"); err != nil {
		return nil, err
	}
	var out []*domain.PendingAcceptance
	for _, p := range f.pending {
		if p.UserID > afterUserID && len(out) < limit {
			c := *p
			out = append(out, &c)
		}
	}
	return out, nil
}

// Saves returns every SaveTermsDraft call's argument, as passed.
func (f *Terms) Saves() []domain.TermsVersion {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.saves)
}

// Submits returns every SubmitTermsDraft call as {id, version}.
func (f *Terms) Submits() [][2]int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.submits)
}

// Returns returns every ReturnTermsDraft call as "id:note".
func (f *Terms) Returns() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.returns)
}

// Publishes returns every ApproveAndPublish call.
func (f *Terms) Publishes() []TermsPublish {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.publish)
}

// PendingCalls returns every PendingAcceptances call as {after, limit}.
func (f *Terms) PendingCalls() [][2]int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.pendings)
}

// Finds returns the ids FindTermsVersion was asked for.
func (f *Terms) Finds() []int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.finds)
}

// Announcements is an in-memory domain.AnnouncementService following the
// contract: drafts are saved with their version (ECONFLICT otherwise) and
// validated by domain.Announcement.Validate; only drafts are published
// and only published ones withdrawn; ActiveBanners filters as storage
// does. When Feed is set, every change is published on
// AnnouncementTopic.
type Announcements struct {
	mu     sync.Mutex
	items  map[int64]*domain.Announcement
	nextID int64
	fail   map[string]error

	// Feed receives a change per write when set.
	Feed *Feed
	// Now is the clock (time.Now when nil).
	Now func() time.Time

	saves     []domain.Announcement
	published []int64
	withdrawn []string
	banners   int
}

// NewAnnouncements returns an empty service.
func NewAnnouncements() *Announcements {
	return &Announcements{items: map[int64]*domain.Announcement{}, nextID: 1, fail: map[string]error{}}
}

func (f *Announcements) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

func copyAnnouncement(a *domain.Announcement) *domain.Announcement {
	c := *a
	c.Audience = slices.Clone(a.Audience)
	return &c
}

// Add stores a (giving it an id and a version when it has none),
// announces it, and returns a copy.
func (f *Announcements) Add(a *domain.Announcement) *domain.Announcement {
	f.mu.Lock()
	if a.ID == 0 {
		a.ID = f.nextID
	}
	f.nextID = max(f.nextID, a.ID+1)
	if a.Version == 0 {
		a.Version = 1
	}
	if a.State == "" {
		a.State = domain.AnnouncementDraft
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = f.now()
	}
	f.items[a.ID] = copyAnnouncement(a)
	c := copyAnnouncement(a)
	f.mu.Unlock()
	f.changed(a.ID)
	return c
}

// Get returns a copy of announcement id, or nil.
func (f *Announcements) Get(id int64) *domain.Announcement {
	f.mu.Lock()
	defer f.mu.Unlock()
	if a := f.items[id]; a != nil {
		return copyAnnouncement(a)
	}
	return nil
}

// FailNext makes the next call of method return err.
func (f *Announcements) FailNext(method string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[method] = err
}

func (f *Announcements) takeFail(method string) error {
	err := f.fail[method]
	delete(f.fail, method)
	return err
}

func (f *Announcements) changed(id int64) {
	if f.Feed != nil {
		f.Feed.Publish(domain.Change{Topic: AnnouncementTopic, ID: strconv.FormatInt(id, 10)})
	}
}

// ListAnnouncements implements domain.AnnouncementService.
func (f *Announcements) ListAnnouncements(context.Context) ([]*domain.Announcement, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.takeFail("ListAnnouncements"); err != nil {
		return nil, err
	}
	var out []*domain.Announcement
	for _, a := range f.items {
		out = append(out, copyAnnouncement(a))
	}
	slices.SortFunc(out, func(a, b *domain.Announcement) int { return int(b.ID - a.ID) })
	return out, nil
}

// SaveAnnouncement implements domain.AnnouncementService.
func (f *Announcements) SaveAnnouncement(ctx context.Context, a *domain.Announcement) error {
	f.mu.Lock()
	f.saves = append(f.saves, *copyAnnouncement(a))
	if err := f.takeFail("SaveAnnouncement"); err != nil {
		f.mu.Unlock()
		return err
	}
	c := copyAnnouncement(a)
	if err := c.Validate(); err != nil {
		f.mu.Unlock()
		return err
	}
	now := f.now()
	if a.ID == 0 {
		actor := domain.ActorFrom(ctx)
		c.ID, c.Version, c.State, c.CreatedAt = f.nextID, 1, domain.AnnouncementDraft, now
		c.CreatedBy, c.CreatedByName = actor.OperatorID, actor.Name
		f.nextID++
	} else {
		cur := f.items[a.ID]
		switch {
		case cur == nil:
			f.mu.Unlock()
			return domain.Errorf(domain.ENOTFOUND, "announcement.not_found", "no such announcement")
		case cur.State != domain.AnnouncementDraft || cur.Version != a.Version:
			f.mu.Unlock()
			return domain.Errorf(domain.ECONFLICT, "announcement.changed", "the announcement changed meanwhile")
		}
		c.Version = cur.Version + 1
		c.State, c.CreatedAt, c.CreatedBy, c.CreatedByName = cur.State, cur.CreatedAt, cur.CreatedBy, cur.CreatedByName
	}
	f.items[c.ID] = copyAnnouncement(c)
	a.ID, a.Version, a.State = c.ID, c.Version, c.State
	f.mu.Unlock()
	f.changed(c.ID)
	return nil
}

// PublishAnnouncement implements domain.AnnouncementService.
func (f *Announcements) PublishAnnouncement(_ context.Context, id int64) error {
	f.mu.Lock()
	f.published = append(f.published, id)
	if err := f.takeFail("PublishAnnouncement"); err != nil {
		f.mu.Unlock()
		return err
	}
	cur := f.items[id]
	if cur == nil || cur.State != domain.AnnouncementDraft {
		f.mu.Unlock()
		return domain.Errorf(domain.ECONFLICT, "announcement.not_draft", "the announcement is not a draft")
	}
	cur.State, cur.PublishedAt = domain.AnnouncementPublished, f.now()
	cur.Version++
	f.mu.Unlock()
	f.changed(id)
	return nil
}

// WithdrawAnnouncement implements domain.AnnouncementService.
func (f *Announcements) WithdrawAnnouncement(_ context.Context, id int64, reason string) error {
	f.mu.Lock()
	f.withdrawn = append(f.withdrawn, strconv.FormatInt(id, 10)+":"+reason)
	if err := f.takeFail("WithdrawAnnouncement"); err != nil {
		f.mu.Unlock()
		return err
	}
	reason, err := domain.CheckWithdrawReason(reason)
	if err != nil {
		f.mu.Unlock()
		return err
	}
	cur := f.items[id]
	if cur == nil || cur.State != domain.AnnouncementPublished {
		f.mu.Unlock()
		return domain.Errorf(domain.ECONFLICT, "announcement.not_published", "the announcement is not published")
	}
	cur.State, cur.WithdrawnAt, cur.WithdrawReason = domain.AnnouncementWithdrawn, f.now(), reason
	cur.Version++
	f.mu.Unlock()
	f.changed(id)
	return nil
}

// ActiveBanners implements domain.AnnouncementService.
func (f *Announcements) ActiveBanners(_ context.Context, now time.Time) ([]*domain.Announcement, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.banners++
	if err := f.takeFail("ActiveBanners"); err != nil {
		return nil, err
	}
	var out []*domain.Announcement
	for _, a := range f.items {
		if a.Kind == domain.AnnouncementDowntime && a.State == domain.AnnouncementPublished &&
			a.EndsAt.After(now) && !a.StartsAt.After(now.Add(domain.DowntimeBannerLead)) {
			out = append(out, copyAnnouncement(a))
		}
	}
	slices.SortFunc(out, func(a, b *domain.Announcement) int { return a.StartsAt.Compare(b.StartsAt) })
	return out, nil
}

// Saves returns every SaveAnnouncement call's argument, as passed.
func (f *Announcements) Saves() []domain.Announcement {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.saves)
}

// Published returns the ids PublishAnnouncement was called with.
func (f *Announcements) Published() []int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.published)
}

// Withdrawn returns every WithdrawAnnouncement call as "id:reason".
func (f *Announcements) Withdrawn() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.withdrawn)
}

// BannerCalls returns how many times ActiveBanners was called.
func (f *Announcements) BannerCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.banners
}

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

var _ domain.AnnouncementService = (*Announcements)(nil)

// Terms is an in-memory domain.TermsService: state and recorded calls.
// Every rule is domain's (NewTermsDraft, TermsVersion.Allows,
// CheckVersion, Rebase, Validate, CheckSubmittable, CheckReturnNote), and
// the shared suite (domain/contracttest) holds it to the contract storage
// keeps. The actor comes from the context. The list, like storage's,
// carries no texts. When Feed is set, every change is published on
// TermsTopic.
type Terms struct {
	mu       sync.Mutex
	versions map[int64]*domain.TermsVersion
	nextID   int64
	failures
	accept  map[int64]*domain.TermsAcceptance
	pending []*domain.PendingAcceptance

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
	return &Terms{versions: map[int64]*domain.TermsVersion{}, nextID: 1, accept: map[int64]*domain.TermsAcceptance{}}
}

var _ domain.TermsService = (*Terms)(nil)

func (f *Terms) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

func copyTerms(v *domain.TermsVersion) *domain.TermsVersion {
	c := *v
	c.Contributors = slices.Clone(v.Contributors)
	return &c
}

// Add stores v (giving it an id and a version when it has none) and
// returns a copy.
func (f *Terms) Add(v *domain.TermsVersion) *domain.TermsVersion {
	f.mu.Lock()
	defer f.mu.Unlock()
	numbered(&v.ID, &f.nextID)
	if v.Version == 0 {
		v.Version = 1
	}
	if v.CreatedAt.IsZero() {
		v.CreatedAt = f.now()
	}
	f.versions[v.ID] = copyTerms(v)
	return copyTerms(v)
}

// Get returns a copy of version id with its text, or nil.
func (f *Terms) Get(id int64) *domain.TermsVersion {
	f.mu.Lock()
	defer f.mu.Unlock()
	if v := f.versions[id]; v != nil {
		return copyTerms(v)
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

func (f *Terms) changed(ids ...int64) {
	if f.Feed == nil {
		return
	}
	for _, id := range ids {
		if id != 0 {
			f.Feed.Publish(domain.Change{Topic: TermsTopic, ID: strconv.FormatInt(id, 10)})
		}
	}
}

func termsNotFound() error {
	return domain.Errorf(domain.ENOTFOUND, "terms.not_found", "no such terms version")
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
		c := copyTerms(v)
		c.Text = ""
		out = append(out, c)
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
	return copyTerms(v), nil
}

func (f *Terms) inForceLocked() *domain.TermsVersion {
	for _, v := range f.versions {
		if v.State == domain.TermsPublished {
			return v
		}
	}
	return nil
}

func (f *Terms) inForceID() int64 {
	if v := f.inForceLocked(); v != nil {
		return v.ID
	}
	return 0
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
	return copyTerms(v), nil
}

// StartTermsDraft implements domain.TermsService.
func (f *Terms) StartTermsDraft(ctx context.Context, number, title string) (*domain.TermsVersion, error) {
	f.mu.Lock()
	v, err := f.start(domain.ActorFrom(ctx), number, title)
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	f.changed(v.ID)
	return v, nil
}

func (f *Terms) start(a domain.Actor, number, title string) (*domain.TermsVersion, error) {
	if err := f.takeFail("StartTermsDraft"); err != nil {
		return nil, err
	}
	v, err := domain.NewTermsDraft(number, title, f.inForceLocked(), a.OperatorID, f.now())
	if err != nil {
		return nil, err
	}
	for _, o := range f.versions {
		if o.Number == v.Number {
			return nil, domain.TermsNumberTaken()
		}
	}
	v.ID, v.DraftedByName = f.nextID, a.Name
	f.nextID++
	f.versions[v.ID] = v
	return copyTerms(v), nil
}

// contribute makes the operator one of v's contributors.
func contribute(v *domain.TermsVersion, op int64) {
	if !v.Contributed(op) {
		v.Contributors = append(v.Contributors, op)
	}
}

// SaveTermsDraft implements domain.TermsService.
func (f *Terms) SaveTermsDraft(ctx context.Context, v *domain.TermsVersion) error {
	f.mu.Lock()
	f.saves = append(f.saves, *v)
	err := f.save(domain.ActorFrom(ctx).OperatorID, v)
	f.mu.Unlock()
	if err == nil {
		f.changed(v.ID)
	}
	return err
}

func (f *Terms) save(op int64, v *domain.TermsVersion) error {
	if err := f.takeFail("SaveTermsDraft"); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	cur := f.versions[v.ID]
	if cur == nil {
		return termsNotFound()
	}
	if err := cur.Allows(domain.TermsSave, op, 0); err != nil {
		return err
	}
	if err := cur.CheckVersion(v.Version); err != nil {
		return err
	}
	basedOn, err := cur.Rebase(v.BasedOn, f.inForceID())
	if err != nil {
		return err
	}
	cur.Title, cur.Text, cur.Summary, cur.BasedOn = v.Title, v.Text, v.Summary, basedOn
	contribute(cur, op)
	cur.Version++
	cur.UpdatedAt = f.now()
	v.Version, v.UpdatedAt, v.BasedOn = cur.Version, cur.UpdatedAt, basedOn
	return nil
}

// SubmitTermsDraft implements domain.TermsService.
func (f *Terms) SubmitTermsDraft(ctx context.Context, id, version int64) error {
	f.mu.Lock()
	f.submits = append(f.submits, [2]int64{id, version})
	err := f.submit(domain.ActorFrom(ctx).OperatorID, id, version)
	f.mu.Unlock()
	if err == nil {
		f.changed(id)
	}
	return err
}

func (f *Terms) submit(op, id, version int64) error {
	if err := f.takeFail("SubmitTermsDraft"); err != nil {
		return err
	}
	cur := f.versions[id]
	if cur == nil {
		return termsNotFound()
	}
	if err := cur.Allows(domain.TermsSubmit, op, 0); err != nil {
		return err
	}
	if err := cur.CheckVersion(version); err != nil {
		return err
	}
	if err := cur.CheckSubmittable(f.inForceLocked()); err != nil {
		return err
	}
	cur.State = domain.TermsSubmitted
	contribute(cur, op)
	cur.Version++
	cur.UpdatedAt = f.now()
	return nil
}

// ReturnTermsDraft implements domain.TermsService.
func (f *Terms) ReturnTermsDraft(ctx context.Context, id int64, note string) error {
	f.mu.Lock()
	f.returns = append(f.returns, strconv.FormatInt(id, 10)+":"+note)
	err := f.takeFail("ReturnTermsDraft")
	if err == nil {
		note, err = domain.CheckReturnNote(note)
	}
	cur := f.versions[id]
	switch {
	case err != nil:
	case cur == nil:
		err = termsNotFound()
	default:
		err = cur.Allows(domain.TermsReturn, domain.ActorFrom(ctx).OperatorID, 0)
	}
	if err == nil {
		cur.State, cur.ReturnNote, cur.UpdatedAt = domain.TermsDraft, note, f.now()
		cur.Version++
	}
	f.mu.Unlock()
	if err == nil {
		f.changed(id)
	}
	return err
}

// ApproveAndPublish implements domain.TermsService.
func (f *Terms) ApproveAndPublish(ctx context.Context, id int64) error {
	a := domain.ActorFrom(ctx)
	f.mu.Lock()
	old, err := f.approve(a, id)
	f.publish = append(f.publish, TermsPublish{ID: id, Actor: a.OperatorID, Err: err})
	var number, summary string
	if cur := f.versions[id]; cur != nil {
		number, summary = cur.Number, cur.Summary
	}
	now := f.now()
	f.mu.Unlock()
	if err != nil {
		return err
	}
	if f.Announcements != nil {
		f.Announcements.Add(&domain.Announcement{Kind: domain.AnnouncementNews, State: domain.AnnouncementPublished,
			Title: domain.TermsAnnouncementTitle(number), Body: summary, StartsAt: now, TermsVersion: id,
			CreatedBy: a.OperatorID, CreatedByName: a.Name, PublishedAt: now})
	}
	f.changed(id, old)
	return nil
}

// approve publishes version id and returns the id of the one it
// superseded.
func (f *Terms) approve(a domain.Actor, id int64) (int64, error) {
	if err := f.takeFail("ApproveAndPublish"); err != nil {
		return 0, err
	}
	cur := f.versions[id]
	if cur == nil {
		return 0, termsNotFound()
	}
	prev := f.inForceLocked()
	old := f.inForceID()
	if err := cur.Allows(domain.TermsPublish, a.OperatorID, old); err != nil {
		return 0, err
	}
	now := f.now()
	if prev != nil {
		prev.State = domain.TermsSuperseded
	}
	cur.State, cur.ApprovedBy, cur.ApprovedName, cur.PublishedAt, cur.UpdatedAt = domain.TermsPublished, a.OperatorID, a.Name, now, now
	cur.Version++
	return old, nil
}

// TermsAcceptance implements domain.TermsService: what SetAcceptance set,
// or no users, with a count for every Platform role of
// domain.AnnouncementAudiences.
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
	res := &domain.TermsAcceptance{VersionID: versionID}
	for _, r := range domain.AnnouncementAudiences {
		res.ByRole = append(res.ByRole, domain.RoleCount{Role: string(r)})
	}
	return res, nil
}

// PendingAcceptances implements domain.TermsService.
func (f *Terms) PendingAcceptances(_ context.Context, afterUserID int64, limit int) ([]*domain.PendingAcceptance, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pendings = append(f.pendings, [2]int64{afterUserID, int64(limit)})
	if err := f.takeFail("PendingAcceptances"); err != nil {
		return nil, err
	}
	if f.inForceLocked() == nil {
		return nil, domain.Errorf(domain.ENOTFOUND, "terms.none_in_force", "no version is in force")
	}
	var out []*domain.PendingAcceptance
	for _, p := range f.pending {
		if p.UserID > afterUserID && len(out) < domain.PageLimit(limit) {
			c := *p
			out = append(out, &c)
		}
	}
	return out, nil
}

// Saves returns every SaveTermsDraft call's argument, as passed.
func (f *Terms) Saves() []domain.TermsVersion { return snapshot(&f.mu, &f.saves) }

// Submits returns every SubmitTermsDraft call as {id, version}.
func (f *Terms) Submits() [][2]int64 { return snapshot(&f.mu, &f.submits) }

// Returns returns every ReturnTermsDraft call as "id:note".
func (f *Terms) Returns() []string { return snapshot(&f.mu, &f.returns) }

// Publishes returns every ApproveAndPublish call.
func (f *Terms) Publishes() []TermsPublish { return snapshot(&f.mu, &f.publish) }

// PendingCalls returns every PendingAcceptances call as {after, limit}.
func (f *Terms) PendingCalls() [][2]int64 { return snapshot(&f.mu, &f.pendings) }

// Finds returns the ids FindTermsVersion was asked for.
func (f *Terms) Finds() []int64 { return snapshot(&f.mu, &f.finds) }

// Announcements is an in-memory domain.AnnouncementService: state and
// recorded calls. Every rule is domain's (Announcement.Validate, Allows,
// CheckVersion, ShowsBannerAt, CheckWithdrawReason), and the shared suite
// (domain/contracttest) holds it to the contract storage keeps. When Feed
// is set, every change is published on AnnouncementTopic.
type Announcements struct {
	mu     sync.Mutex
	items  map[int64]*domain.Announcement
	nextID int64
	failures

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
	return &Announcements{items: map[int64]*domain.Announcement{}, nextID: 1}
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
	numbered(&a.ID, &f.nextID)
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

func (f *Announcements) changed(id int64) {
	if f.Feed != nil {
		f.Feed.Publish(domain.Change{Topic: AnnouncementTopic, ID: strconv.FormatInt(id, 10)})
	}
}

func announcementNotFound() error {
	return domain.Errorf(domain.ENOTFOUND, "announcement.not_found", "no such announcement")
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
	err := f.save(domain.ActorFrom(ctx), a)
	f.mu.Unlock()
	if err == nil {
		f.changed(a.ID)
	}
	return err
}

func (f *Announcements) save(actor domain.Actor, a *domain.Announcement) error {
	if err := f.takeFail("SaveAnnouncement"); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	now := f.now()
	if a.ID == 0 {
		a.ID, a.Version, a.CreatedAt, a.CreatedBy, a.CreatedByName = f.nextID, 1, now, actor.OperatorID, actor.Name
		f.nextID++
	} else {
		cur := f.items[a.ID]
		if cur == nil {
			return announcementNotFound()
		}
		if err := cur.Allows(domain.AnnounceEdit, now); err != nil {
			return err
		}
		if err := cur.CheckVersion(a.Version); err != nil {
			return err
		}
		a.Version, a.CreatedAt, a.CreatedBy, a.CreatedByName = cur.Version+1, cur.CreatedAt, cur.CreatedBy, cur.CreatedByName
	}
	a.State, a.TermsVersion = domain.AnnouncementDraft, 0
	f.items[a.ID] = copyAnnouncement(a)
	return nil
}

// change takes step s on announcement id with fn, under the domain's rule.
func (f *Announcements) change(id int64, s domain.AnnouncementAction, method string, fn func(cur *domain.Announcement, now time.Time)) error {
	f.mu.Lock()
	err := f.takeFail(method)
	cur, now := f.items[id], f.now()
	switch {
	case err != nil:
	case cur == nil:
		err = announcementNotFound()
	default:
		err = cur.Allows(s, now)
	}
	if err == nil {
		fn(cur, now)
		cur.Version++
	}
	f.mu.Unlock()
	if err == nil {
		f.changed(id)
	}
	return err
}

// PublishAnnouncement implements domain.AnnouncementService.
func (f *Announcements) PublishAnnouncement(_ context.Context, id int64) error {
	f.mu.Lock()
	f.published = append(f.published, id)
	f.mu.Unlock()
	return f.change(id, domain.AnnouncePublish, "PublishAnnouncement", func(cur *domain.Announcement, now time.Time) {
		cur.State, cur.PublishedAt = domain.AnnouncementPublished, now
	})
}

// WithdrawAnnouncement implements domain.AnnouncementService.
func (f *Announcements) WithdrawAnnouncement(_ context.Context, id int64, reason string) error {
	f.mu.Lock()
	f.withdrawn = append(f.withdrawn, strconv.FormatInt(id, 10)+":"+reason)
	f.mu.Unlock()
	reason, err := domain.CheckWithdrawReason(reason)
	if err != nil {
		return err
	}
	return f.change(id, domain.AnnounceWithdraw, "WithdrawAnnouncement", func(cur *domain.Announcement, now time.Time) {
		cur.State, cur.WithdrawnAt, cur.WithdrawReason = domain.AnnouncementWithdrawn, now, reason
	})
}

// ActiveBanners implements domain.AnnouncementService.
func (f *Announcements) ActiveBanners(_ context.Context, now time.Time) ([]*domain.Announcement, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.banners++
	if err := f.takeFail("ActiveBanners"); err != nil {
		return nil, err
	}
	if now.IsZero() {
		now = f.now()
	}
	var out []*domain.Announcement
	for _, a := range f.items {
		if a.ShowsBannerAt(now) {
			out = append(out, copyAnnouncement(a))
		}
	}
	slices.SortFunc(out, func(a, b *domain.Announcement) int {
		if c := a.StartsAt.Compare(b.StartsAt); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	return out, nil
}

// Saves returns every SaveAnnouncement call's argument, as passed.
func (f *Announcements) Saves() []domain.Announcement { return snapshot(&f.mu, &f.saves) }

// Published returns the ids PublishAnnouncement was called with.
func (f *Announcements) Published() []int64 { return snapshot(&f.mu, &f.published) }

// Withdrawn returns every WithdrawAnnouncement call as "id:reason".
func (f *Announcements) Withdrawn() []string { return snapshot(&f.mu, &f.withdrawn) }

// BannerCalls returns how many times ActiveBanners was called.
func (f *Announcements) BannerCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.banners
}

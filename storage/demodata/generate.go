package demodata

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/viaa/ppp/domain"
)

const day = 24 * time.Hour

// Shares of the mix: of every request, the share of each kind; of each
// kind's requests, the share of each state. The career consultant's
// states include at_institution (¶29.3), the only kind routed there.
var (
	kindShares = map[domain.RoleRequestKind]float64{
		domain.KindInstitution:               0.10,
		domain.KindInstitutionStaff:          0.22,
		domain.KindMunicipalCoordinator:      0.14,
		domain.KindCareerConsultant:          0.32,
		domain.KindAdultEducationCoordinator: 0.22,
	}
	stateShares = map[domain.RoleRequestState]float64{
		domain.StateApproved:      0.42,
		domain.StateRejected:      0.12,
		domain.StateExpired:       0.11,
		domain.StatePending:       0.18,
		domain.StateInfoRequested: 0.05,
		domain.StateUnconfirmed:   0.08,
		domain.StateAtInstitution: 0.04, // career consultants only
	}
	// stateOrder generates decided requests first, so that open ones can
	// repeat their people and numbers as duplicates.
	stateOrder = []domain.RoleRequestState{
		domain.StateApproved, domain.StateRejected, domain.StateExpired,
		domain.StatePending, domain.StateInfoRequested, domain.StateAtInstitution, domain.StateUnconfirmed,
	}
)

// cell is how many requests of one kind in one state to generate.
type cell struct {
	kind  domain.RoleRequestKind
	state domain.RoleRequestState
	n     int
}

// plan divides scale requests into cells: each applicable (kind, state)
// gets MinPerCell (fewer only when scale is too small for that), and the
// rest is shared by the weights.
func plan(scale int) []cell {
	var cells []cell
	var weights []float64
	total := 0.0
	for _, kind := range domain.RoleRequestKinds {
		for _, state := range stateOrder {
			if state == domain.StateAtInstitution && kind != domain.KindCareerConsultant {
				continue
			}
			w := kindShares[kind] * stateShares[state]
			cells = append(cells, cell{kind: kind, state: state})
			weights = append(weights, w)
			total += w
		}
	}
	floor := min(MinPerCell, scale/len(cells))
	rest := max(0, scale-floor*len(cells))
	for i := range cells {
		cells[i].n = floor + int(float64(rest)*weights[i]/total+0.5)
	}
	// Decided first (duplicates refer back), then kind by kind.
	slices.SortStableFunc(cells, func(a, b cell) int {
		return slices.Index(stateOrder, a.state) - slices.Index(stateOrder, b.state)
	})
	return cells
}

// person is an applicant.
type person struct {
	first, last, code, email, phone string
}

// institution is an education institution of the demo.
type institution struct {
	id                   int64
	name                 string
	company, education   string
	email, domain        string
	activatedAt          time.Time
	adminFirst, adminLst string
	adminEmail           string
}

// document is an attachment's metadata.
type document struct {
	name, mediaType, sha256 string
	size                    int64
}

// event is a line of a request's history.
type event struct {
	at        time.Time
	actorID   int64
	actorName string
	action    string
	note      string
}

// request is one generated role request, with what its approval granted.
type request struct {
	id                           int64
	kind                         domain.RoleRequestKind
	state                        domain.RoleRequestState
	route                        domain.Route
	version                      int64
	person                       person
	position, notes              string
	instName, company, education string
	institution                  *institution // named (staff, consultant) or created (registration)
	municipality                 string
	hasPassword                  bool
	tokenHash                    []byte
	sentAt, confirmedAt          time.Time
	reminderAt                   time.Time // ¶29.3: the institution reminded before the take-over limit
	decidedAt, validUntil        time.Time
	decidedBy                    int64
	decidedByInst                *institution
	reasonCode, reasonText       string
	infoMessage, infoAnswer      string
	createdAt, updatedAt         time.Time
	docs                         []document
	events                       []event
	grant                        bool
}

// reviewer is an operator who decides in the demo's history.
type reviewer struct {
	id   int64
	name string
}

// generator makes the demo's data from one random source.
type generator struct {
	rng       *rand.Rand
	now       time.Time
	reviewers []reviewer

	codes     map[string]bool // personal codes in use
	emails    map[string]bool // e-mail addresses of new people, lower case
	companies map[string]bool
	schools   map[string]bool // education registration numbers
	people    []person        // everyone so far, for duplicates
	base      []*institution  // active before the window
	created   []*institution  // activated by approvals in the window
	requests  []*request
	muniTotal int
}

func newGenerator(seed int64, now time.Time, reviewers []reviewer) *generator {
	g := &generator{
		rng:       rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15)),
		now:       now,
		reviewers: reviewers,
		codes:     map[string]bool{}, emails: map[string]bool{},
		companies: map[string]bool{}, schools: map[string]bool{},
	}
	for _, m := range municipalityWeights {
		g.muniTotal += m.weight
	}
	return g
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

// between returns a time uniformly in [from, to), to the microsecond.
func (g *generator) between(from, to time.Time) time.Time {
	if !to.After(from) {
		return from
	}
	return from.Add(time.Duration(g.rng.Int64N(int64(to.Sub(from))))).Truncate(time.Microsecond)
}

// ago returns now minus a uniform age in [min, max).
func (g *generator) ago(min, max time.Duration) time.Time {
	return g.between(g.now.Add(-max), g.now.Add(-min))
}

// after returns a time between at+min and at+max, but before now.
func (g *generator) after(at time.Time, min, max time.Duration) time.Time {
	from, to := at.Add(min), at.Add(max)
	if limit := g.now.Add(-time.Minute); to.After(limit) {
		to = limit
		if !from.Before(to) {
			from = at.Add(to.Sub(at) / 2)
		}
	}
	return g.between(from, to)
}

// personalCode returns an unused valid personal code: three in four of
// the old form (with a real birth date, 1955–2004, and its check digit),
// the rest of the form issued since 2017.
func (g *generator) personalCode() string {
	for {
		var code string
		if g.chance(0.75) {
			birth := time.Date(1955, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.rng.IntN(50*365))
			century := "1"
			if birth.Year() >= 2000 {
				century = "2"
			}
			d := birth.Format("020106") + century + fmt.Sprintf("%03d", g.rng.IntN(1000))
			code = d[:6] + "-" + d[6:] + strconv.Itoa(checkDigit(d))
		} else {
			code = "3" + strconv.Itoa(2+g.rng.IntN(8)) + fmt.Sprintf("%09d", g.rng.IntN(1_000_000_000))
		}
		if !g.codes[code] {
			g.codes[code] = true
			return code
		}
	}
}

// checkDigit is the check digit of an old-form personal code's first ten
// digits: (1101 − Σ wᵢ·dᵢ) mod 11 mod 10.
func checkDigit(d string) int {
	weights := [10]int{1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += w * int(d[i]-'0')
	}
	return (1101 - sum) % 11 % 10
}

// companyNumber returns an unused company registration number whose
// weighted sum is 3 modulo 11: public bodies start with 9000, companies
// with 4000 or 4010.
func (g *generator) companyNumber(public bool) string {
	weights := [11]int{9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1}
	prefix := "9000"
	if !public {
		prefix = g.pick([]string{"4000", "4010", "4020"})
	}
	for {
		d := prefix + fmt.Sprintf("%06d", g.rng.IntN(1_000_000))
		sum := 0
		for i := range 10 {
			sum += weights[i] * int(d[i]-'0')
		}
		last := ((3-sum)%11 + 11) % 11 // the last weight is 1
		if last == 10 {
			continue
		}
		d += strconv.Itoa(last)
		if !g.companies[d] {
			g.companies[d] = true
			return d
		}
	}
}

// educationNumber returns an unused 10-digit education-institution
// registration number.
func (g *generator) educationNumber() string {
	for {
		d := strconv.Itoa(2+g.rng.IntN(3)) + fmt.Sprintf("%09d", g.rng.IntN(1_000_000_000))
		if !g.schools[d] {
			g.schools[d] = true
			return d
		}
	}
}

// newPerson returns someone new: a first name with the surname in the
// matching form, an unused personal code and e-mail address.
func (g *generator) newPerson(emailDomain string) person {
	female := g.chance(0.62) // most of the sector's staff are women
	sn := surnames[g.rng.IntN(len(surnames))]
	p := person{first: g.pick(maleFirstNames), last: sn[0]}
	if female {
		p.first, p.last = g.pick(femaleFirstNames), sn[1]
	}
	if g.chance(0.04) { // a double surname
		other := surnames[g.rng.IntN(len(surnames))]
		if female {
			p.last += "-" + other[1]
		} else {
			p.last += "-" + other[0]
		}
	}
	p.code = g.personalCode()
	if emailDomain == "" {
		emailDomain = g.pick(emailDomains)
	}
	local := ascii(p.first) + "." + ascii(strings.ReplaceAll(p.last, "-", ""))
	p.email = local + "@" + emailDomain
	for n := 2; g.emails[p.email]; n++ {
		p.email = local + strconv.Itoa(n) + "@" + emailDomain
	}
	g.emails[p.email] = true
	if g.chance(0.6) {
		p.phone = fmt.Sprintf("+371 2%03d %04d", g.rng.IntN(1000), g.rng.IntN(10000))
	}
	g.people = append(g.people, p)
	return p
}

// someone returns a person for a request: now and then (dup) someone
// who has applied before, which the reviewer sees as a duplicate.
func (g *generator) someone(dup bool, emailDomain string) person {
	if dup && len(g.people) > 0 {
		return g.people[g.rng.IntN(len(g.people))]
	}
	return g.newPerson(emailDomain)
}

// institutionName invents a plausible name and the domain of its e-mail.
func (g *generator) institutionName() (name, domain string) {
	if g.chance(0.12) {
		word := g.pick(privateCentreNames)
		return "Mācību centrs „" + word + "”", "mc-" + ascii(word) + ".lv"
	}
	town := g.pick(towns)
	pattern := g.pick(institutionPatterns)
	if strings.Contains(pattern, "%d") {
		name = fmt.Sprintf(pattern, town, 1+g.rng.IntN(40))
	} else {
		name = fmt.Sprintf(pattern, town)
	}
	var initials strings.Builder
	for _, w := range strings.Fields(name) {
		initials.WriteString(ascii(w)[:1])
	}
	return name, initials.String() + strconv.Itoa(g.rng.IntN(100)) + ".edu.lv"
}

// newInstitution makes an institution with fresh registration numbers.
func (g *generator) newInstitution() *institution {
	name, dom := g.institutionName()
	public := !strings.HasPrefix(name, "Mācību centrs")
	return &institution{
		name: name, company: g.companyNumber(public), education: g.educationNumber(),
		email: "info@" + dom, domain: dom,
	}
}

// baseInstitutions makes the institutions active before the window, each
// with its first user.
func (g *generator) baseInstitutions(n int) {
	for range n {
		inst := g.newInstitution()
		inst.activatedAt = g.ago(90*day, 3*365*day)
		admin := g.newPerson(inst.domain)
		inst.adminFirst, inst.adminLst, inst.adminEmail = admin.first, admin.last, admin.email
		g.base = append(g.base, inst)
	}
}

func (g *generator) municipality() string {
	n := g.rng.IntN(g.muniTotal)
	for _, m := range municipalityWeights {
		if n < m.weight {
			return m.code
		}
		n -= m.weight
	}
	return "riga"
}

func (g *generator) reviewer() reviewer {
	if len(g.reviewers) == 0 {
		return reviewer{name: "VIAA"}
	}
	return g.reviewers[g.rng.IntN(len(g.reviewers))]
}

func (g *generator) sha256Hex() string {
	var b [32]byte
	for i := range b {
		b[i] = byte(g.rng.UintN(256))
	}
	return hex.EncodeToString(b[:])
}

func (g *generator) tokenHash() []byte {
	var b [32]byte
	for i := range b {
		b[i] = byte(g.rng.UintN(256))
	}
	sum := sha256.Sum256(b[:])
	return sum[:]
}

// generate makes every request of the plan.
func (g *generator) generate(cells []cell) {
	for _, c := range cells {
		for range c.n {
			g.requests = append(g.requests, g.request(c.kind, c.state))
		}
	}
	g.consultantShapes()
}

// consultantShapes (¶29.3) makes sure the queue has a career consultant's
// request waiting at its institution whose reminder is due within the
// day, and one past the take-over limit, and marks the reminder of every
// request waiting past its reminder day as sent, as the sweep would have.
func (g *generator) consultantShapes() {
	cfg := domain.DefaultRoleRequestConfig()
	remindAfter := time.Duration(cfg.TakeOverAfterDays-cfg.TakeOverRemindDays) * day
	shapes := []time.Duration{remindAfter - 10*time.Hour, time.Duration(cfg.TakeOverAfterDays)*day + 2*day}
	for _, r := range g.requests {
		if r.state != domain.StateAtInstitution {
			continue
		}
		if len(shapes) > 0 {
			waited := shapes[0]
			shapes = shapes[1:]
			r.confirmedAt = g.now.Add(-waited).Truncate(time.Microsecond)
			r.createdAt = r.confirmedAt.Add(-3 * time.Hour)
			r.sentAt = r.createdAt
			r.events[0].at = r.createdAt
			for i := range r.events {
				if a := r.events[i].action; a == "email_confirmed" || a == "institution_notified" {
					r.events[i].at = r.confirmedAt
				}
			}
			r.updatedAt = r.confirmedAt
		}
		if at := r.confirmedAt.Add(remindAfter); !at.After(g.now) {
			r.reminderAt = at
			r.updatedAt = at
			r.version++
			r.events = append(r.events, event{at: at, actorName: "system", action: "institution_reminded", note: r.institution.name})
		}
	}
}

// request makes one request of kind in state, with a history that fits.
func (g *generator) request(kind domain.RoleRequestKind, state domain.RoleRequestState) *request {
	r := &request{kind: kind, state: state, route: domain.RouteAgency, version: 1}
	open := state.Open()
	dup := open && g.chance(0.05)

	// When it arrived: unconfirmed ones mostly within the 14 days (some
	// not yet swept out), expired ones after, decided ones over the whole
	// 60 days, open ones mostly recent.
	switch state {
	case domain.StateUnconfirmed:
		if g.chance(0.2) {
			r.createdAt = g.ago(domain.UnconfirmedLifetime+time.Hour, 20*day)
		} else {
			r.createdAt = g.ago(time.Minute, domain.UnconfirmedLifetime)
		}
	case domain.StateExpired:
		r.createdAt = g.ago(15*day, 60*day)
	case domain.StatePending:
		u := g.rng.Float64()
		r.createdAt = g.now.Add(-time.Duration(u*u*float64(45*day)) - time.Hour).Truncate(time.Microsecond)
	case domain.StateAtInstitution:
		r.createdAt = g.ago(2*time.Hour, 25*day)
	case domain.StateInfoRequested:
		r.createdAt = g.ago(2*day, 50*day)
	default:
		r.createdAt = g.ago(day, 60*day)
	}
	r.sentAt = r.createdAt

	// Who applies, for what.
	switch kind {
	case domain.KindInstitution:
		inst := g.newInstitution()
		if dup && len(g.base) > 0 { // already registered: the same number
			other := g.base[g.rng.IntN(len(g.base))]
			if g.chance(0.5) {
				inst.company = other.company
			} else {
				inst.education = other.education
			}
		}
		r.instName, r.company, r.education = inst.name, inst.company, inst.education
		contact := g.someone(false, inst.domain)
		r.person = person{first: contact.first, last: contact.last, email: inst.email, phone: contact.phone}
		if g.emails[strings.ToLower(inst.email)] {
			r.person.email = "kanceleja." + strconv.Itoa(len(g.requests)) + "@" + inst.domain
		}
		g.emails[strings.ToLower(r.person.email)] = true
		r.hasPassword = true
		r.institution = inst
		for i := range 1 + g.rng.IntN(3) {
			d := institutionDocuments[i]
			r.docs = append(r.docs, document{name: d.name, mediaType: d.mediaType, size: 20_000 + g.rng.Int64N(4_000_000), sha256: g.sha256Hex()})
		}
	case domain.KindInstitutionStaff:
		inst := g.base[g.rng.IntN(len(g.base))]
		p := g.someone(dup, inst.domain)
		r.person = person{first: p.first, last: p.last, email: p.email, phone: p.phone}
		r.institution, r.hasPassword, r.position = inst, true, g.pick(positions)
	case domain.KindMunicipalCoordinator:
		r.person = g.someone(dup, "")
		r.municipality = g.municipality()
		r.position = "pašvaldības izglītības speciālists"
	case domain.KindCareerConsultant:
		r.person = g.someone(dup, "")
		var p float64
		switch state {
		case domain.StateAtInstitution:
			p = 1
		case domain.StateApproved, domain.StateRejected:
			p = 0.4
		case domain.StateUnconfirmed, domain.StateExpired:
			p = 0.35
		default: // taken over from an institution
			if g.now.Sub(r.createdAt) > 12*day {
				p = 0.15
			}
		}
		if g.chance(p) {
			r.institution = g.base[g.rng.IntN(len(g.base))]
			r.route = domain.RouteInstitution
		}
	case domain.KindAdultEducationCoordinator:
		r.person = g.someone(dup, "")
		if g.chance(0.7) {
			r.municipality = g.municipality()
		}
	}
	if !kind.UsesPassword() && r.person.code == "" {
		r.person.code = g.personalCode()
	}
	if kind.UsesPassword() {
		r.person.code = ""
	}
	if g.chance(0.15) {
		r.notes = g.pick(applicantNotes)
	}
	if kind != domain.KindInstitution && g.chance(0.15) {
		d := staffDocuments[g.rng.IntN(len(staffDocuments))]
		r.docs = append(r.docs, document{name: d.name, mediaType: d.mediaType, size: 10_000 + g.rng.Int64N(2_000_000), sha256: g.sha256Hex()})
	}

	r.events = append(r.events, event{at: r.createdAt, action: "submitted"})
	g.history(r)
	return r
}

// history moves r through the states that lead to its own.
func (g *generator) history(r *request) {
	add := func(at time.Time, who reviewer, action, note string) {
		r.events = append(r.events, event{at: at, actorID: who.id, actorName: who.name, action: action, note: note})
		r.updatedAt = at
	}
	r.updatedAt = r.createdAt
	switch r.state {
	case domain.StateUnconfirmed:
		r.tokenHash = g.tokenHash()
		if g.chance(0.1) {
			r.sentAt = g.after(r.createdAt, time.Hour, 5*day)
			add(r.sentAt, g.reviewer(), "email_resent", "")
			r.version++
		}
		return
	case domain.StateExpired:
		r.tokenHash = g.tokenHash()
		r.hasPassword = false
		add(r.createdAt.Add(domain.UnconfirmedLifetime), reviewer{name: "system"}, "expired", "")
		r.version++
		return
	}

	r.confirmedAt = g.after(r.createdAt, 2*time.Minute, 36*time.Hour)
	add(r.confirmedAt, reviewer{}, "email_confirmed", string(r.state))
	r.version++
	last := r.confirmedAt

	switch r.state {
	case domain.StateAtInstitution:
		add(r.confirmedAt, reviewer{name: "system"}, "institution_notified", r.institution.name)
		return
	case domain.StatePending, domain.StateInfoRequested:
		if r.institution != nil && r.kind == domain.KindCareerConsultant {
			at := g.after(last, 10*day, 12*day)
			add(at, g.reviewer(), "taken_over", g.pick(takeOverReasons))
			r.route, r.version, last = domain.RouteAgency, r.version+1, at
		}
		if r.state == domain.StatePending && g.chance(0.15) {
			i := g.rng.IntN(len(infoMessages))
			asked := g.after(last, time.Hour, 4*day)
			add(asked, g.reviewer(), "info_requested", infoMessages[i])
			answered := g.after(asked, time.Hour, 3*day)
			add(answered, reviewer{}, "info_received", infoAnswers[i])
			r.infoMessage, r.infoAnswer, r.version = infoMessages[i], infoAnswers[i], r.version+2
		}
		if r.state == domain.StateInfoRequested {
			r.infoMessage = g.pick(infoMessages)
			add(g.after(last, time.Hour, 5*day), g.reviewer(), "info_requested", r.infoMessage)
			r.version++
		}
		return
	}

	// Decided: by the institution it was routed to, or by a reviewer.
	decided := g.after(last, time.Hour, 10*day)
	r.decidedAt = decided
	r.hasPassword = false
	r.version++
	byInstitution := r.route == domain.RouteInstitution && r.institution != nil
	who := g.reviewer()
	if byInstitution {
		r.decidedByInst = r.institution
		who = reviewer{name: r.institution.name}
	} else {
		r.decidedBy = who.id
	}
	action := r.state
	if r.state == domain.StateApproved {
		r.validUntil = decided.Add(domain.DefaultRoleRequestConfig().DefaultValidity)
		r.grant = true
		if r.kind == domain.KindInstitution {
			r.institution.activatedAt = decided
			r.institution.adminFirst, r.institution.adminLst = r.person.first, r.person.last
			r.institution.adminEmail = r.person.email
			g.created = append(g.created, r.institution)
		}
		note := r.validUntil.Format("02.01.2006")
		if byInstitution {
			add(decided, who, "institution_approved", note)
		} else {
			add(decided, who, "approved", note)
		}
	} else {
		r.reasonCode = domain.RejectReasons[g.rng.IntN(len(domain.RejectReasons))]
		if byInstitution {
			r.reasonCode = "other"
		}
		if r.reasonCode == "other" || g.chance(0.4) {
			r.reasonText = g.pick(rejectTexts)
		}
		note := r.reasonCode
		if r.reasonText != "" {
			note += ": " + r.reasonText
		}
		if byInstitution {
			add(decided, who, "institution_rejected", note)
		} else {
			add(decided, who, string(action), note)
		}
	}
}

// order sorts the requests by arrival and numbers them from first.
func (g *generator) order(first int64) {
	slices.SortStableFunc(g.requests, func(a, b *request) int { return a.createdAt.Compare(b.createdAt) })
	for i, r := range g.requests {
		r.id = first + int64(i)
	}
}

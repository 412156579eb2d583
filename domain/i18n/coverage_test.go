package i18n_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
)

// The catalog coverage test reads the program's Go code (not its tests)
// and finds every catalog key it uses:
//
//   - a string literal equal to a key, wherever it stands (a T, N, Named
//     or Err argument, a form field's label, a key help entry, a table of
//     keys, an error key of domain.Errorf or of a struct literal);
//   - a key built from a prefix ("tui.hd.tmpl." + name): the names such a
//     prefix takes come from their source lists in prefixNames below, and
//     a prefix missing from that table fails the test;
//
// and fails on a key used but missing from the catalogs, and on a key in
// the catalogs that no code uses.
//
// A literal is taken for a key the code needs (so a missing one fails)
// when it is the key argument of a catalog call (keyArgs), a Key, Label,
// Hint or TitleKey field of a struct literal, or any literal in the
// screens' and the command line's namespaces ("tui.…", "cli.…").

// keyArgs names the functions and methods that take a catalog key, and
// the position of the key among their arguments.
var keyArgs = map[string]int{
	"T": 0, "N": 0, "Named": 0, "optional": 0, "Errorf": 1,
	"StatusCmd": 0, "SetErrorKey": 0, "setErrorKey": 0, "bilingual": 0,
	"evidence": 0, // domain.Evaluate's evidence
	"add":      1, // the validators' problems: add(field, key, args…)
}

// keyFields are the struct fields that hold a catalog key.
var keyFields = map[string]bool{"Key": true, "Label": true, "Hint": true, "TitleKey": true}

var (
	keyLike    = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$`)
	prefixLike = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.$`)
	screenKey  = regexp.MustCompile(`^(tui|cli)\.[a-z0-9_]+(\.[a-z0-9_]+)*$`)
)

// codeUses is what the scan finds.
type codeUses struct {
	literals map[string]bool     // every string literal of the code
	needed   map[string][]string // key → where the code needs it
	prefixes map[string][]string // prefix → where a key is built from it
	files    int
}

// doubles are folders of test doubles and helpers: the keys they use must
// exist, but they do not make a key used.
var doubles = []string{filepath.Join("tui", "internal", "fakes"), filepath.Join("tui", "internal", "tuitest")}

func scanCode(t *testing.T) codeUses {
	t.Helper()
	u := codeUses{literals: map[string]bool{}, needed: map[string][]string{}, prefixes: map[string][]string{}}
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "var") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		u.files++
		catalogFile := strings.HasPrefix(rel, filepath.Join("domain", "i18n")+string(filepath.Separator))
		double := slices.ContainsFunc(doubles, func(d string) bool { return strings.HasPrefix(rel, d+string(filepath.Separator)) })
		u.scanFile(fset, f, catalogFile, double)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (u *codeUses) scanFile(fset *token.FileSet, f *ast.File, catalogFile, double bool) {
	// The catalogs' own definitions are no use: the keys of their map
	// literals and the keys they assign by index.
	skip := map[ast.Node]bool{}
	if catalogFile {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.KeyValueExpr:
				markLiterals(n.Key, skip)
			case *ast.IndexExpr:
				markLiterals(n.Index, skip)
			}
			return true
		})
	}
	need := func(lit ast.Expr) {
		if s, ok := stringLit(lit); ok && keyLike.MatchString(s) {
			if at := fset.Position(lit.Pos()).String(); !slices.Contains(u.needed[s], at) {
				u.needed[s] = append(u.needed[s], at)
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BasicLit:
			s, ok := stringLit(n)
			if !ok || skip[n] {
				return true
			}
			if !double {
				u.literals[s] = true
			}
			if !catalogFile && screenKey.MatchString(s) {
				need(n)
			}
		case *ast.BinaryExpr:
			if s, ok := stringLit(n.X); ok && n.Op == token.ADD && !skip[n.X] && prefixLike.MatchString(s) && !double {
				u.prefixes[s] = append(u.prefixes[s], fset.Position(n.Pos()).String())
			}
		case *ast.CallExpr:
			var name string
			switch fn := n.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			}
			if i, ok := keyArgs[name]; ok && i < len(n.Args) && !catalogFile {
				need(n.Args[i])
			}
		case *ast.KeyValueExpr:
			if id, ok := n.Key.(*ast.Ident); ok && keyFields[id.Name] && !catalogFile {
				need(n.Value)
			}
		}
		return true
	})
}

func markLiterals(e ast.Expr, skip map[ast.Node]bool) {
	ast.Inspect(e, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok {
			skip[lit] = true
		}
		return true
	})
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// prefixNames lists, for every prefix the code builds catalog keys from,
// the names it completes them with, taken from their source lists: the
// domain's constants where it has them, else the values the code of the
// screen or the service named in the comment gives. A prefix whose keys
// are no catalog keys (an audit action, a reason code, an address) has nil.
var prefixNames = map[string][]string{
	"error.":           {domain.EINVALID, domain.ENOTFOUND, domain.ECONFLICT, domain.EUNAUTHORIZED, domain.EFORBIDDEN, domain.ELOCKED, domain.EUNAVAILABLE, domain.EINTERNAL},
	"queue.":           {"role_requests", "role_requests_institution", "imk_review", "helpdesk", "reverify"},                              // storage/dashboard.go
	"cli.help.":        {"account", "audit", "bench", "db", "demo", "imk", "imk_policy", "mail", "migrate", "operator", "serve", "sweep"}, // Main.flags
	"cli.operator.":    {"disabled", "enabled"},                                                                                           // `operator disable|enable` + "d"
	"tui.role.":        strs(domain.Roles...),
	"tui.end.":         {"idle", "max", "disabled", "shutdown"}, // tui/app FarewellKey
	"tui.si.method.":   strs(domain.SignInPublicKey, domain.SignInPassword),
	"tui.al.kind.":     strs(domain.AlertReveals, domain.AlertViews),
	"tui.ms.kind.":     strs(domain.MisuseKinds...),
	"tui.ppl.effect.":  strs(domain.DenialEffects...),
	"tui.ppl.signin.":  strs(domain.PlatformSignInMethods...),
	"tui.imk.channel.": {"portal", "mail"},                                             // imk_review_requests.channel
	"report.col.":      reportColumnNames(),                                            // domain.ReportColumnsOf
	"tui.ms.ev.":       {"role_request", "imk_application", "ticket", "pending_reset"}, // domain.MisuseEvidence.Kind
	"tui.prole.": strs(domain.PlatformInstitutionAdmin, domain.PlatformInstitutionStaff, domain.PlatformMunicipalCoord,
		domain.PlatformCareerConsultant, domain.PlatformAdultEducationCoor),

	"rolerequest.required.":       needFields,
	"rolerequest.not_applicable.": needFields,
	"rolerequest.too_long.":       {domain.FieldFirstName, domain.FieldLastName, domain.FieldInstitutionName, domain.FieldPosition, domain.FieldNotes},
	"rolerequest.name_chars.":     {domain.FieldFirstName, domain.FieldLastName},
	"rolerequest.text_chars.":     {domain.FieldInstitutionName, domain.FieldPosition, domain.FieldNotes},
	"rolerequest.reason.":         domain.RejectReasons,
	"tui.rr.kind.":                strs(domain.RoleRequestKinds...),
	"tui.rv.state.":               strs(domain.ReverifyPassed, domain.ReverifyOpen, domain.ReverifyConfirmed, domain.ReverifyUpdated, domain.ReverifyEscalated),
	"tui.rv.diff.":                strs(domain.Differences...),
	"tui.rv.status.":              strs(domain.RegisterStatuses...),
	"tui.rr.kind_short.":          strs(domain.RoleRequestKinds...),
	"tui.rr.asg.action.":          strs(domain.AssignmentActions...),
	"tui.rr.state.":               append(strs(domain.RoleRequestStates...), "active"), // "active": a duplicate role assignment
	"tui.rr.dup.":                 {"request", "assignment", "institution"},            // storage findDuplicates
	"tui.rr.dup.matched.":         {"personal_code", "email", "company_reg", "education_reg"},
	"tui.rr.event.": {"submitted", "email_confirmed", "email_resent", "claimed", "released", "approved", "rejected", // role_request_events
		"info_requested", "info_received", "taken_over", "institution_approved", "institution_rejected", "expired",
		"institution_notified", "institution_reminded", "institution_reminded_by_agency"}, // ¶29.3 (storage/consultant.go)

	"imk.register.":     strs(domain.RegisterPopulation, domain.RegisterRevenue, domain.RegisterEducation),
	"tui.imk.register.": strs(domain.RegisterPopulation, domain.RegisterRevenue, domain.RegisterEducation),
	"tui.imk.state.": strs(domain.IMKApplied, domain.IMKChecking, domain.IMKNeedsReview, domain.IMKApproved, domain.IMKRejected,
		domain.IMKSuspended, domain.IMKClosed),
	"tui.imk.outcome.": strs(domain.OutcomeEligible, domain.OutcomeNotEligible, domain.OutcomeNeedsReview),
	"tui.imk.verdict.": strs(domain.VerdictPass, domain.VerdictFail, domain.VerdictUnknown),
	"tui.imk.rule.": {domain.RuleAlive, domain.RuleAge, domain.RuleResidence, domain.RuleEmployment, domain.RuleNoOtherIMK,
		domain.RuleStudying, domain.RulePriorityLKI, domain.RulePriorityAge, domain.ReviewRegisters, domain.ReviewPersonAsked, domain.ReviewTermsNotAccepted},
	"tui.pol.short.":   domain.EligibilityRules,                      // the policy screen's rules a person reviews
	"tui.pol.combine.": {domain.PriorityAnyOf, domain.PriorityAllOf}, // EligibilityPolicy.Combine

	"tui.hd.cat.":   strs(domain.TicketCategories...),
	"tui.hd.state.": strs(domain.TicketNew, domain.TicketInProgress, domain.TicketWaiting, domain.TicketResolved),
	"tui.hd.kind.":  {"platform_user", "operator"},                                        // domain.HelpdeskAccount.Kind
	"tui.hd.tmpl.":  {"helpdesk.reply", "helpdesk.no_password", "helpdesk.reset_refused"}, // storage replyTemplates
	"tui.hd.lang.":  {"lv", "en"},                                                         // the reply form's choices

	"tui.den.ground.":     strs(domain.Grounds...),
	"tui.den.kind.":       strs(domain.SubjectPlatformUser, domain.SubjectInstitution, domain.SubjectOperator),
	"tui.den.kind_short.": strs(domain.SubjectPlatformUser, domain.SubjectInstitution, domain.SubjectOperator),
	"tui.den.state.": strs(domain.DenialPendingApproval, domain.DenialInForce, domain.DenialLiftPending, domain.DenialLifted,
		domain.DenialCancelled),
	"tui.den.sweep.":        {"role-expiry", "auth-deactivated", "death-check", "sanction-expiry", "retention", "misuse-signals"}, // storage.Sweep…
	"cli.retention.action.": {"delete", "minimise"},                                                                               // domain.RetentionDelete, RetentionMinimise

	// Sanction cases (issue 17, ¶32.5, ¶32.7).
	"tui.san.state.":  strs(domain.SanctionCaseOpen, domain.SanctionCaseClosed),
	"tui.san.step.":   strs(domain.SanctionStepKinds...),
	"tui.san.sstate.": strs(domain.SanctionStepPending, domain.SanctionStepRefused, domain.SanctionStepGiven, domain.SanctionStepInForce, domain.SanctionStepLifted, domain.SanctionStepExpired, domain.SanctionStepSuperseded),

	"terms.state.":           strs(domain.TermsDraft, domain.TermsSubmitted, domain.TermsPublished, domain.TermsSuperseded),
	"tui.terms.state_short.": strs(domain.TermsDraft, domain.TermsSubmitted, domain.TermsPublished, domain.TermsSuperseded),
	"announcement.kind.":     strs(domain.AnnouncementNews, domain.AnnouncementDowntime),
	"announcement.state.":    strs(domain.AnnouncementDraft, domain.AnnouncementPublished, domain.AnnouncementWithdrawn),
	"tui.ann.kind_short.":    strs(domain.AnnouncementNews, domain.AnnouncementDowntime),

	// The institutions screen (issue 17).
	"tui.ins.state.":  strs(domain.InstitutionStates...),
	"tui.ins.by.":     {"name", "company", "education"}, // the search form's choices
	"tui.ins.change.": domain.InstitutionFields,
	"tui.ins.source.": strs(domain.ChangeByOperator, domain.ChangeByReverification, domain.ChangeByRegister),
	"tui.ins.role.":   {"institution_admin", "institution_staff", "municipal_coordinator", "career_consultant", "adult_education_coordinator"},
	// Bulk actions (issue 17; tui/pages/bulk).
	"tui.bulk.kind.":     strs(domain.BulkKinds...),
	"tui.bulk.state.":    strs(domain.BulkPreview, domain.BulkPendingApproval, domain.BulkRunning, domain.BulkDone, domain.BulkCancelled),
	"tui.bulk.item.":     strs(domain.BulkItemPending, domain.BulkItemDone, domain.BulkItemFailed, domain.BulkItemSkipped),
	"tui.bulk.source.":   strs(domain.BulkFromRoleRequests, domain.BulkFromIMK, domain.BulkFromDenials, domain.BulkFromPlatformUsers),
	"tui.bulk.template.": domain.BulkTemplates,

	// Not catalog keys.
	"imk.rule.":  nil, // reason codes, worded by domain/mailtmpl
	"kanceleja.": nil, // demo e-mail addresses

	// The merge conflicts screen's account choice (task "account").
	"tui.mc.keep.": {"from", "into"},

	// The reports screen (issue 18, task "rptui").
	"tui.rpt.title.":  domain.ReportNames(),
	"tui.rpt.desc.":   domain.ReportNames(),
	"tui.rpt.preset.": domain.ReportPresets(),
	"tui.rpt.kind.": {domain.DrillIMKApplication, domain.DrillRoleRequest, domain.DrillDenial, domain.DrillTicket,
		domain.DrillPerson, domain.DrillInstitution},
}

// needFields are the role-request fields whose need depends on the kind
// (the fields domain's Validate passes to need).
var needFields = []string{domain.FieldFirstName, domain.FieldLastName, domain.FieldPersonalCode, domain.FieldEmail,
	domain.FieldInstitutionName, domain.FieldCompanyRegNumber, domain.FieldEducationRegNumber, domain.FieldPassword,
	domain.FieldInstitutionID, domain.FieldMunicipalityCode}

func strs[S ~string](vs ...S) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// TestCatalog_EveryKeyTheCodeUsesExists_AndEveryKeyIsUsed is the catalog
// coverage test described at the top of this file.
func TestCatalog_EveryKeyTheCodeUsesExists_AndEveryKeyIsUsed(t *testing.T) {
	u := scanCode(t)
	if u.files < 100 || len(u.needed) < 500 {
		t.Fatalf("read %d files and found %d keys; the scan is not reading the code", u.files, len(u.needed))
	}
	lv, en := i18n.For(i18n.LV), i18n.For(i18n.EN)
	has := func(key string) bool { return lv.Has(key) && en.Has(key) }

	// A literal prefix that stands alone (a form's choice key) is a
	// prefix too when catalog keys start with it.
	keys := lv.Keys()
	for s := range u.literals {
		if _, seen := u.prefixes[s]; !seen && prefixLike.MatchString(s) && slices.ContainsFunc(keys, func(k string) bool { return strings.HasPrefix(k, s) }) {
			u.prefixes[s] = []string{"a literal"}
		}
	}

	used := map[string]bool{}
	for key, where := range u.needed {
		used[key] = true
		if !has(key) {
			t.Errorf("key %q is used (%s) but is missing from the catalogs", key, strings.Join(where, ", "))
		}
	}
	for s := range u.literals {
		if has(s) {
			used[s] = true
		}
	}
	for prefix, where := range u.prefixes {
		names, listed := prefixNames[prefix]
		if !listed {
			t.Errorf("keys are built from %q (%s): list the names it takes in prefixNames", prefix, strings.Join(where, ", "))
			continue
		}
		for _, name := range names {
			used[prefix+name] = true
			if !has(prefix + name) {
				t.Errorf("key %q (%q + a name from its source list) is missing from the catalogs", prefix+name, prefix)
			}
		}
	}
	for prefix := range prefixNames {
		if _, seen := u.prefixes[prefix]; !seen {
			t.Errorf("prefixNames lists %q, which no code builds keys from", prefix)
		}
	}
	slices.Sort(keys)
	for _, key := range keys {
		if !used[key] {
			t.Errorf("key %q is in the catalogs, but no code uses it", key)
		}
	}
}

// TestCatalog_CoverageScan_FindsEachKindOfUse proves that the scan sees
// each kind of use it relies on, so that a change to the scan cannot make
// the coverage test pass by finding nothing.
func TestCatalog_CoverageScan_FindsEachKindOfUse(t *testing.T) {
	u := scanCode(t)
	for key, kind := range map[string]string{
		"tui.dash.title":         "a T argument",
		"imk.ev.age":             "domain's evidence key",
		"rolerequest.decided":    "a domain.Errorf key",
		"tui.imk.field.reason":   "a form field's label",
		"tui.key.refresh":        "key help",
		"cli.audit.intact":       "an N argument",
		"rolerequest.invalid":    "an error key in domain",
		"tui.pw.field.new":       "a struct literal's Label",
		"personal_code.checksum": "a validator's key",
	} {
		if !u.literals[key] {
			t.Errorf("the scan does not see %q (%s)", key, kind)
		}
	}
	for _, prefix := range []string{"tui.hd.tmpl.", "error.", "rolerequest.required."} {
		if len(u.prefixes[prefix]) == 0 {
			t.Errorf("the scan does not see keys built from %q", prefix)
		}
	}
	for key, kind := range map[string]string{
		"rolerequest.decided":      "domain.Errorf's key",
		"imk.ev.alive":             "domain.Evaluate's evidence key",
		"rolerequest.phone_format": "a validator's problem",
		"tui.den.field.evidence":   "a screen's key in a table",
	} {
		if _, ok := u.needed[key]; !ok {
			t.Errorf("the scan does not take %s (%q) for a key the code needs", kind, key)
		}
	}
}

// reportColumnNames lists the names of every report's columns, whose
// catalog keys domain.ReportColumnsOf builds.
func reportColumnNames() []string {
	var out []string
	for _, r := range domain.ReportNames() {
		for _, c := range domain.ReportColumnsOf(r) {
			out = append(out, c.Name)
		}
	}
	return out
}

package storage_test

import (
	"context"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// badInputValues are the texts the searches are run over: each pair
// differs only where a LIKE wildcard or escape would blur them, so a
// search that is not literal finds both.
var badInputValues = []string{
	`100% Ozola`,
	`100x Ozola`,
	`a_b Liepa`,
	`axb Liepa`,
	`k\s Kalns`,
	`ks Kalns`,
	`o'b"q" Zariņš`,
}

// badSearchTerms are typed into every search. want lists the values (by
// index in badInputValues) the term starts a word of, which every search
// must find; a search may return nothing else that does not contain the
// term literally. mayRefuse marks terms a search may refuse with a clear
// EINVALID (too short, or not storable text) instead.
var badSearchTerms = []struct {
	name      string
	term      string
	want      []int
	mayRefuse bool
}{
	{"percent", "100%", []int{0}, false},
	{"underscore", "a_b", []int{2}, false},
	{"backslash", `k\s`, []int{4}, false},
	{"quotes", `o'b"q"`, []int{6}, false},
	{"lone percent", "%", nil, true},
	{"lone underscore", "_", nil, true},
	{"lone backslash", `\`, nil, true},
	{"three percents", "%%%", nil, false},
	{"three underscores", "___", nil, false},
	{"single quote", "'", nil, true},
	{"double quote", `"`, nil, true},
	{"comment", ";--", nil, false},
	{"or true", "' OR '1'='1", nil, false},
	{"placeholder", "$1", nil, true},
	{"10 kB", strings.Repeat("ž", 5*1024), nil, true},
	{"invalid UTF-8", "ab\xff\xfecd", nil, true},
	{"NUL", "ab\x00cd", nil, true},
}

// TestSearches_BadInput_MatchLiterallyOrRefuseClearly runs SQL
// metacharacters, a 10 kB string, invalid UTF-8 and NUL through every
// search the screens offer, on real PostgreSQL: each finds exactly the
// rows that hold the term literally, or refuses it with EINVALID and a
// catalog message; never an internal error, never every row.
func TestSearches_BadInput_MatchLiterallyOrRefuseClearly(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	db := e.db
	// Every search needs its role: the searcher holds them all.
	ctx := as(t, newOperator(t, db, "visas.lomas", withRoles(domain.Roles...)))
	admin := adminCtx(t)

	// Role requests: the applicant's name is first name, space, last name.
	for _, v := range badInputValues {
		first, last, _ := strings.Cut(v, " ")
		id := e.pending(t, domain.KindMunicipalCoordinator)
		if _, err := db.Pool().Exec(t.Context(), `UPDATE role_requests SET first_name = $1, last_name = $2 WHERE id = $3`, first, last, id); err != nil {
			t.Fatal(err)
		}
	}
	// IMK applications.
	for i, v := range badInputValues {
		first, last, _ := strings.Cut(v, " ")
		_, err := db.Pool().Exec(t.Context(), `
			INSERT INTO imk_applications (personal_code, first_name, last_name, email, applied_at, state)
			VALUES ($1, $2, $3, $4, now() - interval '1 hour', 'needs_review')`,
			newCode(900+i), first, last, "imk"+itoa(int64(i))+"@example.lv")
		if err != nil {
			t.Fatal(err)
		}
	}
	// Helpdesk tickets: the value is the subject.
	hd := storage.NewHelpdeskService(db)
	for _, v := range badInputValues {
		raw, _ := rawMail("lietotajs@example.lv", v, "Labdien!")
		if _, err := hd.Ingest(t.Context(), raw); err != nil {
			t.Fatalf("ingest %q: %v", v, err)
		}
	}
	// Audit entries: the value is the reason, and the action after "bi.".
	audit := storage.NewAuditService(db)
	for i, v := range badInputValues {
		en := &domain.AuditEntry{Action: "bi." + v, SubjectKind: "thing", SubjectID: itoa(int64(i)), Reason: v}
		if err := audit.RecordAudit(admin, en); err != nil {
			t.Fatalf("record %q: %v", v, err)
		}
	}

	imk := storage.NewIMKService(db, nil)
	ops := storage.NewOperatorService(db)
	denials := storage.NewDenialService(db)
	searches := []struct {
		name string
		// run returns the searched text of each row found.
		run func(ctx context.Context, term string) ([]string, error)
	}{
		{"role requests", func(ctx context.Context, term string) ([]string, error) {
			list, err := e.svc.ListRoleRequests(ctx, domain.RoleRequestFilter{Search: term, Limit: 500})
			var out []string
			for _, r := range list {
				out = append(out, r.Form.FirstName+" "+r.Form.LastName)
			}
			return out, err
		}},
		{"IMK applications", func(ctx context.Context, term string) ([]string, error) {
			list, err := imk.ListIMK(ctx, domain.IMKFilter{Search: term, Limit: 500})
			var out []string
			for _, a := range list {
				out = append(out, a.FirstName+" "+a.LastName+" "+a.PersonalCode)
			}
			return out, err
		}},
		{"helpdesk tickets", func(ctx context.Context, term string) ([]string, error) {
			list, err := hd.ListTickets(ctx, domain.TicketFilter{Search: term, Limit: 500})
			var out []string
			for _, tk := range list {
				out = append(out, tk.Subject+" "+tk.From)
			}
			return out, err
		}},
		{"audit text", func(ctx context.Context, term string) ([]string, error) {
			list, err := audit.SearchAudit(ctx, domain.AuditFilter{Text: term, Limit: 500})
			var out []string
			for _, en := range list {
				out = append(out, strings.Join([]string{en.Action, en.ActorName, en.SubjectKind, en.SubjectID, en.Reason, en.Details}, "\x1f"))
			}
			return out, err
		}},
		{"audit action", func(ctx context.Context, term string) ([]string, error) {
			list, err := audit.SearchAudit(ctx, domain.AuditFilter{Action: "bi." + term, Limit: 500})
			var out []string
			for _, en := range list {
				if !strings.HasPrefix(en.Action, "bi."+term) {
					t.Errorf("action search %q found %q", "bi."+term, en.Action)
				}
				out = append(out, strings.TrimPrefix(en.Action, "bi."))
			}
			return out, err
		}},
		{"operator by name", func(ctx context.Context, term string) ([]string, error) {
			op, err := ops.FindOperatorByName(ctx, term)
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			return []string{op.Name}, nil
		}},
		{"denials by subject kind", func(ctx context.Context, term string) ([]string, error) {
			list, err := denials.ListDenials(ctx, domain.DenialFilter{SubjectKind: domain.SubjectKind(term)})
			var out []string
			for _, d := range list {
				out = append(out, string(d.SubjectKind))
			}
			return out, err
		}},
	}

	lv := i18n.For(i18n.LV)
	for _, s := range searches {
		for _, tt := range badSearchTerms {
			t.Run(s.name+"/"+tt.name, func(t *testing.T) {
				found, err := s.run(ctx, tt.term)
				if err != nil {
					de := domain.AsError(err)
					if !tt.mayRefuse || de == nil || de.Code != domain.EINVALID || de.Key == "" ||
						strings.HasPrefix(lv.Err(err), "[") {
						t.Fatalf("search %q: %v (code %s), want rows or a clear EINVALID", tt.term, err, domain.ErrorCode(err))
					}
					return
				}
				term := strings.ToLower(tt.term)
				for _, f := range found {
					if !strings.Contains(strings.ToLower(f), term) {
						t.Errorf("search %q found %q, which does not hold it", tt.term, f)
					}
				}
				if s.name == "denials by subject kind" || s.name == "operator by name" {
					return // no value of badInputValues lives there
				}
				for _, i := range tt.want {
					v := badInputValues[i]
					if s.name == "audit action" {
						v = strings.ToLower(v)
					}
					ok := false
					for _, f := range found {
						if strings.Contains(strings.ToLower(f), strings.ToLower(v)) {
							ok = true
						}
					}
					if !ok {
						t.Errorf("search %q did not find %q among %q", tt.term, v, found)
					}
				}
			})
		}
	}
}

// TestDBError_NULAndInvalidUTF8_AreEINVALIDWithAMessage proves that text
// PostgreSQL cannot store (SQLSTATE 22021) is refused as EINVALID
// "storage.bad_text" with a message in both languages, not as an internal
// error, where no validator stops it first (an IMK decision's reason), and
// that nothing is stored.
func TestDBError_NULAndInvalidUTF8_AreEINVALIDWithAMessage(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	rev := newOperator(t, db, "rev.badinput")
	ctx := domain.WithActor(t.Context(), domain.Actor{OperatorID: rev.ID, Name: rev.Name, SessionID: "s-bad"})
	svc := storage.NewIMKService(db, nil)
	for i, bad := range []string{"a\x00b", "a\xc3\x28b"} {
		var id int64
		err := db.Pool().QueryRow(t.Context(), `
			INSERT INTO imk_applications (personal_code, first_name, last_name, email, applied_at, state)
			VALUES ($1, 'Anna', 'Bērziņa', 'anna@example.lv', now(), 'needs_review') RETURNING id`, newCode(950+i)).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		a, err := svc.FindIMK(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		err = svc.DecideIMK(ctx, id, a.Version, false, bad)
		wantError(t, err, domain.EINVALID, "storage.bad_text")
		wantSQLState(t, err, "22021")
		for _, lang := range []i18n.Lang{i18n.LV, i18n.EN} {
			if msg := i18n.For(lang).Err(err); msg == "" || strings.HasPrefix(msg, "[") {
				t.Errorf("%s message %q", lang, msg)
			}
		}
		if after, err := svc.FindIMK(ctx, id); err != nil || after.State != domain.IMKNeedsReview || after.Reason != "" {
			t.Errorf("after the refusal: %+v, %v", after, err)
		}
	}
}

// TestDeny_ControlCharactersAndInvalidUTF8_RefusedBeforeStorage proves that
// the denial's validator refuses a note or evidence PostgreSQL could not
// store, or that would send escape sequences to a screen, with its own
// message.
func TestDeny_ControlCharactersAndInvalidUTF8_RefusedBeforeStorage(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	user := e.passwordUser(t, "denial.badinput@example.lv", true)
	svc := storage.NewDenialService(e.db)
	for name, in := range map[string][2]string{
		"NUL in the note":           {"a\x00b", ""},
		"invalid UTF-8 in the note": {"a\xffb", ""},
		"escape in the note":        {"a\x1b[31mb", ""},
		"bidi override in evidence": {"note", "a\u202eb"},
		"NUL in evidence":           {"note", "a\x00b"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := svc.Deny(as(t, e.ilze), domain.SubjectPlatformUser, user, domain.GroundRulesBroken, in[0], in[1])
			wantError(t, err, domain.EINVALID, "denial.bad_text")
		})
	}
	// A line break and a tab are text, not control.
	if _, err := svc.Deny(as(t, e.ilze), domain.SubjectPlatformUser, user, domain.GroundRulesBroken, "pirmā rinda\notrā\trinda", ""); err != nil {
		t.Fatalf("a note of two lines: %v", err)
	}
}

// TestImportRegister_BadBytes_RefusedWithTheLine proves that a register
// extract with a NUL or an escape in a field, or a quote left open (which
// used to panic), is refused with the line, and nothing is imported.
func TestImportRegister_BadBytes_RefusedWithTheLine(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	count := func() int {
		var n int
		if err := db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM population_register`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	const header = "personal_code,first_name,last_name,birth_date,resident,municipality,deceased_on\n"
	const good = "180565-05610,Anna,Kalniņa,1965-05-18,true,riga,\n"
	for name, row := range map[string]string{
		"NUL":         "010180-10006,Jā\x00nis,Ozols,1980-01-01,true,riga,\n",
		"escape":      "010180-10006,Jānis,\x1b[2JOzols,1980-01-01,true,riga,\n",
		"C1 control":  "010180-10006,Jānis,Ozols\u009b,1980-01-01,true,riga,\n",
		"open quote":  "010180-10006,\"Jānis,Ozols,1980-01-01,true,riga,\n",
		"invalid UTF": "010180-10006,J\xe2nis,Ozols,1980-01-01,true,riga,\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := storage.ImportRegisterReport(t.Context(), db, domain.RegisterPopulation, strings.NewReader(header+good+row))
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("import: %v, want EINVALID", err)
			}
			if key := domain.AsError(err).Key; key != "register.bad_row" && key != "register.encoding" {
				t.Fatalf("key %q", key)
			}
			if msg := i18n.For(i18n.LV).Err(err); !strings.Contains(msg, "3") {
				t.Errorf("the message does not name line 3: %q", msg)
			}
			if n := count(); n != before {
				t.Errorf("%d rows in the register, %d before", n, before)
			}
		})
	}
	// The good row alone is imported: the refusals were about the bad one.
	if _, err := storage.ImportRegisterReport(t.Context(), db, domain.RegisterPopulation, strings.NewReader(header+good)); err != nil {
		t.Fatalf("good extract: %v", err)
	}
	if n := count(); n != before+1 {
		t.Errorf("%d rows after the good extract, want %d", n, before+1)
	}
}

package storage_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

const populationHeader = "personal_code,first_name,last_name,birth_date,resident,municipality,deceased_on\n"

// The Population Register extract's headers with sex (issue 18), without
// and with current_code.
const (
	sexHeader       = "personal_code,first_name,last_name,birth_date,resident,municipality,deceased_on,sex\n"
	linkedSexHeader = "personal_code,first_name,last_name,birth_date,resident,municipality,deceased_on,current_code,sex\n"
)

// TestImportRegister_SexColumn_BothHeaders_OldHeaderKeepsIt proves the
// population extract's optional sex column (issue 18, the ¶26.4 take-up
// report by sex): F, M or empty (unknown) in the header without
// current_code and in the one with it; a later extract that says another
// sex updates it; an extract in the old header (no sex) leaves the sex the
// mirror holds, and counts those rows unchanged.
func TestImportRegister_SexColumn_BothHeaders_OldHeaderKeepsIt(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	sexOf := func(code string) string {
		t.Helper()
		var sex *string
		if err := db.Pool().QueryRow(t.Context(), `SELECT sex FROM population_register WHERE personal_code = $1`, code).Scan(&sex); err != nil {
			t.Fatal(err)
		}
		if sex == nil {
			return "NULL"
		}
		return *sex
	}
	rows := "180565-12343,Jānis,Bērziņš,1965-05-18,true,Rīga,,M\n32550128526,Anna,Ozola,1990-06-15,true,Rīga,,F\n010375-10018,Alex,Kalns,1975-03-01,true,Rīga,,\n"
	if res, err := storage.ImportRegisterReport(t.Context(), db, domain.RegisterPopulation, strings.NewReader(sexHeader+rows)); err != nil || res.Inserted != 3 {
		t.Fatalf("import with sex: %+v, %v", res, err)
	}
	if a, b, c := sexOf("180565-12343"), sexOf("32550128526"), sexOf("010375-10018"); a != "M" || b != "F" || c != "NULL" {
		t.Fatalf("sex after the import: %s %s %s, want M F NULL", a, b, c)
	}
	// With current_code: Alex's sex now known.
	linked := "010375-10018,Alex,Kalns,1975-03-01,true,Rīga,,,F\n"
	if res, err := storage.ImportRegisterReport(t.Context(), db, domain.RegisterPopulation, strings.NewReader(linkedSexHeader+linked)); err != nil || res.Updated != 1 {
		t.Fatalf("import with current_code and sex: %+v, %v", res, err)
	}
	if s := sexOf("010375-10018"); s != "F" {
		t.Fatalf("sex after the second import: %s, want F", s)
	}
	// The old header says nothing of sex: kept, rows unchanged.
	old := "180565-12343,Jānis,Bērziņš,1965-05-18,true,Rīga,\n32550128526,Anna,Ozola,1990-06-15,true,Rīga,\n"
	res, err := storage.ImportRegisterReport(t.Context(), db, domain.RegisterPopulation, strings.NewReader(populationHeader+old))
	if err != nil || res.Unchanged != 2 {
		t.Fatalf("import in the old header: %+v, %v", res, err)
	}
	if a, b := sexOf("180565-12343"), sexOf("32550128526"); a != "M" || b != "F" {
		t.Fatalf("the old header changed sex: %s %s, want M F", a, b)
	}
	// An empty sex is the register saying it does not know.
	if _, err := storage.ImportRegisterReport(t.Context(), db, domain.RegisterPopulation,
		strings.NewReader(sexHeader+"180565-12343,Jānis,Bērziņš,1965-05-18,true,Rīga,,\n")); err != nil {
		t.Fatal(err)
	}
	if s := sexOf("180565-12343"); s != "NULL" {
		t.Fatalf("an empty sex left %s", s)
	}
}

func TestImportRegister_MalformedFiles_ImportNothing(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	good := "180565-12343,Jānis,Bērziņš,1965-05-18,true,Rīga,\n"
	cases := []struct {
		name, reg, file, key string
		line                 int
	}{
		{"empty file", "population", "", "register.empty", 0},
		{"wrong columns", "population", "personal_code,first_name\n" + good, "register.header", 0},
		{"too few fields", "population", populationHeader + good + "32550128526,Anna\n", "register.bad_row", 3},
		{"bad personal code", "population", populationHeader + good + "180565-05611,Anna,Ozola,1965-05-18,true,Rīga,\n", "register.bad_row", 3},
		{"no such date", "population", populationHeader + "32550128526,Anna,Ozola,1990-02-30,true,Rīga,\n", "register.bad_row", 2},
		{"bad boolean", "education", "personal_code,highest_lki,studying\n32550128526,3,maybe\n", "register.bad_row", 2},
		{"LKI 9", "education", "personal_code,highest_lki,studying\n32550128526,9,false\n", "register.bad_row", 2},
		{"period ends before it starts", "revenue", "personal_code,employer,self_employed,valid_from,valid_until\n32550128526,40003521600,false,2020-01-01,2019-01-01\n", "register.bad_row", 2},
		{"ISO-8859-13", "population", populationHeader + good + "32550128526,J\xe2nis,B\xebrzi\xf2\xf0,1990-01-01,true,R\xeeg\xe2,\n", "register.encoding", 3},
		{"duplicate row", "population", populationHeader + good + good, "register.bad_row", 3},
		{"sex neither F nor M", "population", sexHeader + "180565-12343,Jānis,Bērziņš,1965-05-18,true,Rīga,,M\n32550128526,Anna,Ozola,1990-01-01,true,Rīga,,S\n", "register.bad_row", 3},
		{"sex in lower case", "population", linkedSexHeader + "180565-12343,Jānis,Bērziņš,1965-05-18,true,Rīga,,,m\n", "register.bad_row", 2},
		{"sex column without its header", "population", populationHeader + "180565-12343,Jānis,Bērziņš,1965-05-18,true,Rīga,,M\n", "register.bad_row", 2},
		{"sex before current_code", "population", strings.TrimSuffix(populationHeader, "\n") + ",sex,current_code\n" + good, "register.header", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := storage.ImportRegister(t.Context(), db, domain.Register(c.reg), strings.NewReader(c.file))
			e := domain.AsError(err)
			if e == nil || e.Code != domain.EINVALID || e.Key != c.key {
				t.Fatalf("err = %v, want EINVALID %s", err, c.key)
			}
			if c.line > 0 && (len(e.Args) == 0 || e.Args[0] != c.line) {
				t.Fatalf("args %v, want line %d", e.Args, c.line)
			}
			if n := countRows(t, db, "SELECT count(*) FROM population_register"); n != 0 {
				t.Fatalf("%d rows imported from a bad file", n)
			}
		})
	}
}

func countRows(t *testing.T, db *storage.DB, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Pool().QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportRegister_SameFileTwice_ChangesNothing(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	file := populationHeader + "180565-12343,Jānis,Bērziņš,1965-05-18,true,Rīga,\n32550128526,Anna,Ozola,1990-06-15,false,,2024-01-02\n"
	first, err := storage.ImportRegisterReport(t.Context(), db, domain.RegisterPopulation, strings.NewReader(file))
	if err != nil || first.Inserted != 2 {
		t.Fatalf("first import %+v, %v", first, err)
	}
	second, err := storage.ImportRegisterReport(t.Context(), db, domain.RegisterPopulation, strings.NewReader(file))
	if err != nil || second.Rows != 2 || second.Unchanged != 2 || second.Inserted+second.Updated != 0 {
		t.Fatalf("second import %+v, %v", second, err)
	}
	changed := strings.Replace(file, "Ozola", "Ozoliņa", 1)
	third, err := storage.ImportRegisterReport(t.Context(), db, domain.RegisterPopulation, strings.NewReader(changed))
	if err != nil || third.Updated != 1 || third.Unchanged != 1 {
		t.Fatalf("third import %+v, %v", third, err)
	}
}

func TestMirrorRegisters_FetchKeepsSnapshots(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	importAll(t, db, "32550128526")
	regs := storage.NewMirrorRegisters(db, storage.Outage{}, nil)
	s, err := regs.Fetch(t.Context(), domain.RegisterPopulation, "325501-28526")
	if err != nil || !s.Answered || !s.Found || s.Person.FirstName != "Anna" || s.ID == 0 {
		t.Fatalf("fetch %+v, %v", s, err)
	}
	s, err = regs.Fetch(t.Context(), domain.RegisterRevenue, "180565-12343")
	if err != nil || !s.Answered || s.Found {
		t.Fatalf("unknown person: %+v, %v", s, err)
	}
	if n := countRows(t, db, "SELECT count(*) FROM register_snapshots"); n != 2 {
		t.Fatalf("%d snapshots, want 2", n)
	}
}

func TestMirrorRegisters_Outage_GivesUnansweredSnapshots(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	regs := storage.NewMirrorRegisters(db, storage.Outage{FailureRate: 1}, rand.NewPCG(1, 2))
	s, err := regs.Fetch(t.Context(), domain.RegisterEducation, "32550128526")
	if err != nil || s.Answered || s.Error == "" {
		t.Fatalf("fetch in outage %+v, %v", s, err)
	}
	o, err := storage.ParseOutage("0.3,200ms")
	if err != nil || o.FailureRate != 0.3 || o.Latency.Milliseconds() != 200 {
		t.Fatalf("ParseOutage = %+v, %v", o, err)
	}
	if _, err := storage.ParseOutage("lots"); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("ParseOutage(lots) err = %v", err)
	}
}

// importAll imports an eligible person per code into the three registers.
func importAll(t testing.TB, db *storage.DB, codes ...string) {
	t.Helper()
	var pop, rev, edu strings.Builder
	pop.WriteString(populationHeader)
	rev.WriteString("personal_code,employer,self_employed,valid_from,valid_until\n")
	edu.WriteString("personal_code,highest_lki,studying\n")
	for _, c := range codes {
		pop.WriteString(c + ",Anna,Bērziņa,1990-06-15,true,Rīga,\n")
		rev.WriteString(c + ",40003521600,false,2020-01-01,\n")
		edu.WriteString(c + ",5,false\n")
	}
	for reg, f := range map[domain.Register]string{domain.RegisterPopulation: pop.String(), domain.RegisterRevenue: rev.String(), domain.RegisterEducation: edu.String()} {
		if _, err := storage.ImportRegister(t.Context(), db, reg, strings.NewReader(f)); err != nil {
			t.Fatalf("import %s: %v", reg, err)
		}
	}
}

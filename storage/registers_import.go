package storage

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// ImportResult counts what an import did: every row of the file is
// inserted, updated or unchanged. For the Population Register it also
// counts the persons whose two codes the extract linked (current_code):
// Linked (a code added to a person), Merged (two person records became
// one) and Conflicts (two records left for a person to resolve).
type ImportResult struct {
	Rows, Inserted, Updated, Unchanged int
	Linked, Merged, Conflicts          int
}

// populationLinkedHeader is the Population Register extract with the code
// the register now knows each person by (issue 16): the old header (without
// it) is still accepted, and means no links.
var populationLinkedHeader = append(append([]string(nil), registerHeaders[domain.RegisterPopulation]...), "current_code")

// populationSexColumn is the Population Register extract's optional last
// column (issue 18: the take-up report by sex; Latvian personal codes do
// not encode it): F, M or empty (unknown). Each header, with or without
// current_code, may end with it; an extract without it leaves the sex the
// mirror holds as it is.
const populationSexColumn = "sex"

// populationHeaderColumns tells a Population Register extract's header
// apart: whether it has current_code and sex, and false when it is none of
// the four accepted.
func populationHeaderColumns(first []string) (linked, sex, ok bool) {
	base := registerHeaders[domain.RegisterPopulation]
	if len(first) < len(base) || strings.Join(first[:len(base)], ",") != strings.Join(base, ",") {
		return false, false, false
	}
	switch strings.Join(first[len(base):], ",") {
	case "":
		return false, false, true
	case "current_code":
		return true, false, true
	case populationSexColumn:
		return false, true, true
	case "current_code," + populationSexColumn:
		return true, true, true
	}
	return false, false, false
}

// registerHeaders are the exact header lines of the extracts.
var registerHeaders = map[domain.Register][]string{
	domain.RegisterPopulation: {"personal_code", "first_name", "last_name", "birth_date", "resident", "municipality", "deceased_on"},
	domain.RegisterRevenue:    {"personal_code", "employer", "self_employed", "valid_from", "valid_until"},
	domain.RegisterEducation:  {"personal_code", "highest_lki", "studying"},
}

// ImportRegister loads a register extract (CSV, UTF-8, the exact header
// of its register) into the mirror and returns the number of data rows.
// See ImportRegisterReport.
func ImportRegister(ctx context.Context, db *DB, reg domain.Register, r io.Reader) (rows int, err error) {
	res, err := ImportRegisterReport(ctx, db, reg, r)
	if err != nil {
		return 0, err
	}
	return res.Rows, nil
}

// ImportRegisterReport loads a register extract into the mirror in one
// transaction: every row is validated first, and a bad one is reported
// with its line number while nothing from the file is imported. Rows are
// upserted, so importing the same file twice changes nothing (the second
// import reports every row unchanged). It returns EINVALID
// "register.unknown", "register.encoding" (with the line), "register.empty",
// "register.header" or "register.bad_row" (with the line and the problem),
// and EUNAVAILABLE when the database does not answer.
func ImportRegisterReport(ctx context.Context, db *DB, reg domain.Register, r io.Reader) (*ImportResult, error) {
	if _, ok := registerHeaders[reg]; !ok {
		return nil, domain.Errorf(domain.EINVALID, "register.unknown", "unknown register %q", string(reg))
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, errorf("read register extract", err)
	}
	header, rows, err := parseRegisterExtract(reg, data)
	if err != nil {
		return nil, err
	}
	res := &ImportResult{Rows: len(rows)}
	err = db.inTx(ctx, "import register extract", func(tx *Tx) error {
		return upsertRegister(ctx, tx, reg, header, rows, res)
	})
	if err != nil {
		return nil, err
	}
	res.Unchanged = res.Rows - res.Inserted - res.Updated
	return res, nil
}

// parseRegisterExtract checks a whole extract of register reg (known) and
// returns its header and rows, or the EINVALID error of
// ImportRegisterReport; it touches no database.
func parseRegisterExtract(reg domain.Register, data []byte) (header []string, rows [][]any, err error) {
	header = registerHeaders[reg]
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	for i, line := range bytes.Split(data, []byte("\n")) {
		if !utf8.Valid(line) {
			return nil, nil, domain.Errorf(domain.EINVALID, "register.encoding", "line %d is not valid UTF-8: the file must be UTF-8", i+1)
		}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	first, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, domain.Errorf(domain.EINVALID, "register.empty", "the file is empty: the header line is missing")
	}
	want := strings.Join(header, ",")
	linked, sex, known := false, false, err == nil && strings.Join(first, ",") == want
	if reg == domain.RegisterPopulation && err == nil {
		linked, sex, known = populationHeaderColumns(first)
	}
	if !known {
		if reg == domain.RegisterPopulation {
			want += " (or with ,current_code and/or ,sex)"
		}
		return nil, nil, domain.Errorf(domain.EINVALID, "register.header", "wrong header: it must be %s", want)
	}
	if reg == domain.RegisterPopulation {
		// Rows are read in this order whatever the file holds: no
		// current_code is an empty one (no link).
		header = populationLinkedHeader
		if sex {
			header = append(append([]string(nil), populationLinkedHeader...), populationSexColumn)
		}
	}
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// FieldPos would panic here: a record that did not parse has
			// no fields.
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, nil, badRow(line, "not valid CSV")
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(first) {
			return nil, nil, badRow(line, fmt.Sprintf("%d columns, want %d", len(rec), len(first)))
		}
		if reg == domain.RegisterPopulation && !linked {
			rec = slices.Insert(rec, len(registerHeaders[reg]), "")
		}
		row, key, problem := parseRegisterRow(reg, header, rec)
		if problem != "" {
			return nil, nil, badRow(line, problem)
		}
		if prev, dup := seen[key]; dup {
			return nil, nil, badRow(line, fmt.Sprintf("the same record as line %d", prev))
		}
		seen[key] = line
		rows = append(rows, row)
	}
	return header, rows, nil
}

func badRow(line int, problem string) error {
	return domain.Errorf(domain.EINVALID, "register.bad_row", "line %d: %s. Nothing from the file was imported", line, problem)
}

// parseRegisterRow validates one record (its columns named by header) and
// returns its values in the header's order, its key, or what is wrong with
// it (never repeating a personal code).
func parseRegisterRow(reg domain.Register, header []string, rec []string) (row []any, key, problem string) {
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
		// PostgreSQL cannot store a NUL, and a control character would
		// reach the screens that show register data.
		if strings.ContainsFunc(rec[i], unicode.IsControl) {
			return nil, "", header[i] + " holds a control character"
		}
	}
	code, err := domain.NormalizePersonalCode(rec[0])
	if err != nil {
		return nil, "", "invalid personal code (" + domain.AsError(err).Key + ")"
	}
	date := func(s, what string, optional bool) (any, string) {
		if s == "" && optional {
			return nil, ""
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return nil, what + " is not a date YYYY-MM-DD"
		}
		return t, ""
	}
	boolean := func(s, what string) (bool, string) {
		switch strings.ToLower(s) {
		case "true", "1":
			return true, ""
		case "false", "0":
			return false, ""
		}
		return false, what + " is not true or false"
	}
	switch reg {
	case domain.RegisterPopulation:
		birth, p := date(rec[3], "birth_date", false)
		if p != "" {
			return nil, "", p
		}
		res, p := boolean(rec[4], "resident")
		if p != "" {
			return nil, "", p
		}
		died, p := date(rec[6], "deceased_on", true)
		if p != "" {
			return nil, "", p
		}
		if rec[1] == "" || rec[2] == "" {
			return nil, "", "first_name and last_name are required"
		}
		current := ""
		if rec[7] != "" {
			c, err := domain.NormalizePersonalCode(rec[7])
			if err != nil {
				return nil, "", "invalid current_code (" + domain.AsError(err).Key + ")"
			}
			if c != code {
				current = c
			}
		}
		row := []any{code, rec[1], rec[2], birth, res, rec[5], died, current}
		if len(rec) > 8 {
			switch rec[8] {
			case "":
				row = append(row, nil)
			case "F", "M":
				row = append(row, rec[8])
			default:
				return nil, "", "sex is not F, M or empty"
			}
		}
		return row, code, ""
	case domain.RegisterRevenue:
		self, p := boolean(rec[2], "self_employed")
		if p != "" {
			return nil, "", p
		}
		from, p := date(rec[3], "valid_from", false)
		if p != "" {
			return nil, "", p
		}
		until, p := date(rec[4], "valid_until", true)
		if p != "" {
			return nil, "", p
		}
		if until != nil && until.(time.Time).Before(from.(time.Time)) {
			return nil, "", "valid_until is before valid_from"
		}
		return []any{code, rec[1], self, from, until}, code + "\x00" + rec[1] + "\x00" + rec[3], ""
	default:
		lki, err := strconv.Atoi(rec[1])
		if rec[1] == "" {
			lki, err = 0, nil
		}
		if err != nil || lki < 0 || lki > 8 || (rec[1] != "" && lki == 0) {
			return nil, "", "highest_lki is not an LKI level 1–8 (empty: no document)"
		}
		studying, p := boolean(rec[2], "studying")
		if p != "" {
			return nil, "", p
		}
		return []any{code, lki, studying}, code, ""
	}
}

// upsertSQL merges the temporary table into the mirror, changing only rows
// whose values differ, and tells inserts from updates.
var upsertSQL = map[domain.Register]string{
	domain.RegisterPopulation: `
		INSERT INTO population_register AS p (personal_code, first_name, last_name, birth_date, resident, municipality, deceased_on, current_code, sex, fetched_at, import_id)
		SELECT personal_code, first_name, last_name, birth_date, resident, municipality, deceased_on, current_code, sex, $1, $2 FROM import_rows
		ON CONFLICT (personal_code) DO UPDATE
		   SET first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, birth_date = EXCLUDED.birth_date,
		       resident = EXCLUDED.resident, municipality = EXCLUDED.municipality, deceased_on = EXCLUDED.deceased_on,
		       current_code = EXCLUDED.current_code, sex = EXCLUDED.sex, fetched_at = EXCLUDED.fetched_at, import_id = EXCLUDED.import_id
		 WHERE (p.first_name, p.last_name, p.birth_date, p.resident, p.municipality, p.deceased_on, p.current_code, p.sex)
		       IS DISTINCT FROM (EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.birth_date, EXCLUDED.resident, EXCLUDED.municipality, EXCLUDED.deceased_on, EXCLUDED.current_code, EXCLUDED.sex)
		RETURNING xmax = 0`,
	domain.RegisterRevenue: `
		INSERT INTO revenue_register AS r (personal_code, employer, self_employed, valid_from, valid_until, fetched_at)
		SELECT personal_code, employer, self_employed, valid_from, valid_until, $1 FROM import_rows
		ON CONFLICT (personal_code, employer, valid_from) DO UPDATE
		   SET self_employed = EXCLUDED.self_employed, valid_until = EXCLUDED.valid_until, fetched_at = EXCLUDED.fetched_at
		 WHERE (r.self_employed, r.valid_until) IS DISTINCT FROM (EXCLUDED.self_employed, EXCLUDED.valid_until)
		RETURNING xmax = 0`,
	domain.RegisterEducation: `
		INSERT INTO education_register AS e (personal_code, highest_lki, studying, fetched_at)
		SELECT personal_code, highest_lki, studying, $1 FROM import_rows
		ON CONFLICT (personal_code) DO UPDATE
		   SET highest_lki = EXCLUDED.highest_lki, studying = EXCLUDED.studying, fetched_at = EXCLUDED.fetched_at
		 WHERE (e.highest_lki, e.studying) IS DISTINCT FROM (EXCLUDED.highest_lki, EXCLUDED.studying)
		RETURNING xmax = 0`,
}

// importColumns are the temporary table's columns for each register.
var importColumns = map[domain.Register]string{
	domain.RegisterPopulation: `personal_code text, first_name text, last_name text, birth_date date, resident boolean, municipality text, deceased_on date, current_code text, sex text`,
	domain.RegisterRevenue:    `personal_code text, employer text, self_employed boolean, valid_from date, valid_until date`,
	domain.RegisterEducation:  `personal_code text, highest_lki smallint, studying boolean`,
}

// upsertRegister copies rows into a temporary table and merges it.
func upsertRegister(ctx context.Context, tx *Tx, reg domain.Register, header []string, rows [][]any, res *ImportResult) (err error) {
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE import_rows (`+importColumns[reg]+`) ON COMMIT DROP`); err != nil {
		return dbError("import register extract", err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"import_rows"}, header, pgx.CopyFromRows(rows)); err != nil {
		return dbError("import register extract", err)
	}
	args := []any{tx.now}
	if reg == domain.RegisterPopulation && !slices.Contains(header, populationSexColumn) {
		// An extract without the column says nothing of sex: the mirror
		// keeps what it holds.
		if _, err := tx.Exec(ctx, `
			UPDATE import_rows i SET sex = p.sex FROM population_register p WHERE p.personal_code = i.personal_code`); err != nil {
			return dbError("import register extract", err)
		}
	}
	if reg == domain.RegisterPopulation {
		var importID int64
		if err := tx.QueryRow(ctx, `
			INSERT INTO register_imports (register, imported_at, rows) VALUES ($1, $2, $3) RETURNING id`,
			string(reg), tx.now, len(rows)).Scan(&importID); err != nil {
			return dbError("import register extract", err)
		}
		// The register answered for every person in the file: a row it
		// confirmed unchanged is as fresh as a changed one (¶32.8 counts a
		// check only on fresh data), though the import reports it
		// unchanged.
		if _, err := tx.Exec(ctx, `
			UPDATE population_register p SET fetched_at = $1, import_id = $2
			  FROM import_rows i
			 WHERE p.personal_code = i.personal_code
			   AND (p.first_name, p.last_name, p.birth_date, p.resident, p.municipality, p.deceased_on, p.current_code, p.sex)
			       IS NOT DISTINCT FROM (i.first_name, i.last_name, i.birth_date, i.resident, i.municipality, i.deceased_on, i.current_code, i.sex)`,
			tx.now, importID); err != nil {
			return dbError("import register extract", err)
		}
		args = append(args, importID)
		defer func() {
			if err == nil {
				err = linkPersonCodes(ctx, tx, importID, res)
			}
		}()
	}
	out, err := tx.Query(ctx, upsertSQL[reg], args...)
	if err != nil {
		return dbError("import register extract", err)
	}
	var inserted bool
	_, err = pgx.ForEachRow(out, []any{&inserted}, func() error {
		if inserted {
			res.Inserted++
		} else {
			res.Updated++
		}
		return nil
	})
	return dbError("import register extract", err)
}

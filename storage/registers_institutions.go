package storage

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// The extracts of the two registers of institutions (issue 17): the
// Register of Enterprises and the register of education institutions
// (VIIS). They follow the other extracts' conventions — CSV, UTF-8 (a
// byte-order mark is dropped), the exact header line, every row checked
// and a bad one named by its line, nothing imported from a bad file — and
// are read as a stream: the file is never held whole, and one larger than
// the limit is refused.

// DefaultOrgExtractMaxBytes bounds an extract of a register of
// institutions: the Register of Enterprises' whole extract is some tens of
// megabytes.
const DefaultOrgExtractMaxBytes = 256 << 20

// orgFieldMaxLength bounds one value of an extract, in characters.
const orgFieldMaxLength = 1000

// orgHeaders are the exact header lines of the two extracts.
var orgHeaders = map[domain.Register][]string{
	domain.RegisterEnterprises:  {"reg_number", "name", "legal_form", "status", "status_date", "address"},
	domain.RegisterInstitutions: {"institution_number", "name", "founder_reg_number", "status", "address"},
}

// IsOrgRegister reports whether reg is one of the registers of
// institutions, imported by ImportOrgRegister.
func IsOrgRegister(reg domain.Register) bool {
	_, ok := orgHeaders[reg]
	return ok
}

// ImportOrgRegister loads an extract of the Register of Enterprises or of
// VIIS into its mirror, at most DefaultOrgExtractMaxBytes. See
// ImportOrgRegisterLimit.
func ImportOrgRegister(ctx context.Context, db *DB, reg domain.Register, r io.Reader) (*ImportResult, error) {
	return ImportOrgRegisterLimit(ctx, db, reg, r, DefaultOrgExtractMaxBytes)
}

// ImportOrgRegisterLimit loads an extract of the Register of Enterprises
// (enterprises) or of VIIS (institutions) into its mirror in one
// transaction, reading it as a stream of at most maxBytes bytes, and
// records it in register_imports. Rows are upserted; every row of the
// file is confirmed by the import (its fetched_at and import), so a
// re-verification counts it as fresh. It returns EINVALID
// "register.unknown", "register.empty", "register.header",
// "register.encoding" (Args: the line), "register.bad_row" (Args: the
// line and the problem), "register.too_large" (Args: the limit in bytes),
// and EUNAVAILABLE when the database does not answer.
func ImportOrgRegisterLimit(ctx context.Context, db *DB, reg domain.Register, r io.Reader, maxBytes int64) (*ImportResult, error) {
	if !IsOrgRegister(reg) {
		return nil, domain.Errorf(domain.EINVALID, "register.unknown", "unknown register %q", string(reg))
	}
	res := &ImportResult{}
	err := db.inTx(ctx, "import register extract", func(tx *Tx) error {
		cols := `line integer, reg_number text, name text, legal_form text, status text, status_date date, address text`
		if reg == domain.RegisterInstitutions {
			cols = `line integer, institution_number text, name text, founder_reg_number text, status text, address text`
		}
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE import_org_rows (`+cols+`) ON COMMIT DROP`); err != nil {
			return dbError("import register extract", err)
		}
		src := &orgSource{}
		src.rows = make(chan []any)
		done := make(chan error, 1)
		stop := make(chan struct{})
		go func() {
			defer close(src.rows)
			done <- parseOrgExtract(reg, r, maxBytes, func(line int, row []any) error {
				select {
				case src.rows <- append([]any{line}, row...):
					return nil
				case <-stop:
					return errStopped
				}
			})
		}()
		header := append([]string{"line"}, orgHeaders[reg]...)
		n, copyErr := tx.CopyFrom(ctx, pgx.Identifier{"import_org_rows"}, header, src)
		close(stop)
		for range src.rows {
		}
		if perr := <-done; perr != nil && !errors.Is(perr, errStopped) {
			return perr
		}
		if copyErr != nil {
			return dbError("import register extract", copyErr)
		}
		res.Rows = int(n)
		return mergeOrgRows(ctx, tx, reg, res)
	})
	if err != nil {
		return nil, err
	}
	res.Unchanged = res.Rows - res.Inserted - res.Updated
	return res, nil
}

var errStopped = errors.New("import stopped")

// orgSource feeds COPY from the parser's goroutine.
type orgSource struct {
	rows chan []any
	cur  []any
}

func (s *orgSource) Next() bool {
	row, ok := <-s.rows
	s.cur = row
	return ok
}
func (s *orgSource) Values() ([]any, error) { return s.cur, nil }
func (s *orgSource) Err() error             { return nil }

// mergeOrgRows refuses a record given twice (naming both lines), records
// the import and merges the staged rows into the mirror.
func mergeOrgRows(ctx context.Context, tx *Tx, reg domain.Register, res *ImportResult) error {
	key := "reg_number"
	if reg == domain.RegisterInstitutions {
		key = "institution_number"
	}
	var first, again int
	err := tx.QueryRow(ctx, `
		SELECT min(line), (array_agg(line ORDER BY line))[2] FROM import_org_rows
		 GROUP BY `+key+` HAVING count(*) > 1 ORDER BY 2 LIMIT 1`).Scan(&first, &again)
	if err == nil {
		return badRow(again, fmt.Sprintf("the same record as line %d", first))
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return dbError("import register extract", err)
	}
	var importID int64
	if err := tx.QueryRow(ctx, `
		INSERT INTO register_imports (register, imported_at, rows) VALUES ($1, $2, $3) RETURNING id`,
		string(reg), tx.now, res.Rows).Scan(&importID); err != nil {
		return dbError("import register extract", err)
	}
	var sql string
	if reg == domain.RegisterEnterprises {
		sql = `
		INSERT INTO enterprise_register AS e (reg_number, name, legal_form, status, status_date, address, fetched_at, import_id)
		SELECT reg_number, name, legal_form, status, status_date, address, $1, $2 FROM import_org_rows
		ON CONFLICT (reg_number) DO UPDATE
		   SET name = EXCLUDED.name, legal_form = EXCLUDED.legal_form, status = EXCLUDED.status,
		       status_date = EXCLUDED.status_date, address = EXCLUDED.address,
		       fetched_at = EXCLUDED.fetched_at, import_id = EXCLUDED.import_id
		RETURNING xmax = 0, false`
	} else {
		sql = `
		INSERT INTO institution_register AS e (institution_number, name, founder_reg_number, status, address, fetched_at, import_id)
		SELECT institution_number, name, founder_reg_number, status, address, $1, $2 FROM import_org_rows
		ON CONFLICT (institution_number) DO UPDATE
		   SET name = EXCLUDED.name, founder_reg_number = EXCLUDED.founder_reg_number, status = EXCLUDED.status,
		       address = EXCLUDED.address, fetched_at = EXCLUDED.fetched_at, import_id = EXCLUDED.import_id
		RETURNING xmax = 0, false`
	}
	// What changed is told by comparing the mirror before the merge.
	changed, err := orgChangedCount(ctx, tx, reg)
	if err != nil {
		return err
	}
	rows, err := tx.Query(ctx, sql, tx.now, importID)
	if err != nil {
		return dbError("import register extract", err)
	}
	var inserted, ignored bool
	if _, err := pgx.ForEachRow(rows, []any{&inserted, &ignored}, func() error {
		if inserted {
			res.Inserted++
		}
		return nil
	}); err != nil {
		return dbError("import register extract", err)
	}
	res.Updated = changed
	return appendAudit(ctx, tx, &domain.AuditEntry{Action: domain.AuditRegisterImport, SubjectKind: "register_import",
		SubjectID: strconv.FormatInt(importID, 10), Details: "register=" + string(reg) + "; rows=" + strconv.Itoa(res.Rows)})
}

// orgChangedCount counts the staged rows whose mirror row exists and
// differs: the updates an import makes.
func orgChangedCount(ctx context.Context, tx *Tx, reg domain.Register) (int, error) {
	sql := `SELECT count(*) FROM import_org_rows i JOIN enterprise_register e ON e.reg_number = i.reg_number
		 WHERE (e.name, e.legal_form, e.status, e.status_date, e.address) IS DISTINCT FROM (i.name, i.legal_form, i.status, i.status_date, i.address)`
	if reg == domain.RegisterInstitutions {
		sql = `SELECT count(*) FROM import_org_rows i JOIN institution_register e ON e.institution_number = i.institution_number
		 WHERE (e.name, e.founder_reg_number, e.status, e.address) IS DISTINCT FROM (i.name, i.founder_reg_number, i.status, i.address)`
	}
	var n int
	if err := tx.QueryRow(ctx, sql).Scan(&n); err != nil {
		return 0, dbError("import register extract", err)
	}
	return n, nil
}

// boundedReader reads at most limit bytes of r and fails beyond them.
type boundedReader struct {
	r     io.Reader
	left  int64
	limit int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells a file of exactly the limit from a longer one.
		var one [1]byte
		if n, _ := b.r.Read(one[:]); n == 0 {
			return 0, io.EOF
		}
		return 0, domain.Errorf(domain.EINVALID, "register.too_large", "the file is larger than %d bytes", b.limit)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

// parseOrgExtract reads an extract of register reg (one of orgHeaders')
// from r, at most maxBytes, and hands each checked row to emit with its
// line, in the header's order; it stops at the first problem and returns
// ImportOrgRegisterLimit's EINVALID errors (or emit's). It touches no
// database.
func parseOrgExtract(reg domain.Register, r io.Reader, maxBytes int64, emit func(line int, row []any) error) error {
	header := orgHeaders[reg]
	br := bufio.NewReader(&boundedReader{r: r, left: maxBytes, limit: maxBytes})
	if head, _ := br.Peek(3); string(head) == "\xef\xbb\xbf" {
		_, _ = br.Discard(3) // a byte-order mark
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	readErr := func(err error) error {
		if e := domain.AsError(err); e != nil {
			return e
		}
		line := 0
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if e := domain.AsError(pe.Err); e != nil {
				return e
			}
			line = pe.Line
		}
		return badRow(line, "not valid CSV")
	}
	first, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return domain.Errorf(domain.EINVALID, "register.empty", "the file is empty: the header line is missing")
	}
	if err != nil {
		if e := domain.AsError(err); e != nil {
			return e
		}
	}
	if err != nil || !slices.Equal(first, header) {
		return domain.Errorf(domain.EINVALID, "register.header", "wrong header: it must be %s", strings.Join(header, ","))
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return readErr(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return badRow(line, fmt.Sprintf("%d columns, want %d", len(rec), len(header)))
		}
		for i := range rec {
			if !utf8.ValidString(rec[i]) {
				return domain.Errorf(domain.EINVALID, "register.encoding", "line %d is not valid UTF-8: the file must be UTF-8", line)
			}
		}
		row, problem := parseOrgRow(reg, rec)
		if problem != "" {
			return badRow(line, problem)
		}
		if err := emit(line, row); err != nil {
			return err
		}
	}
}

// parseOrgRow checks one record and returns its values in the header's
// order, or what is wrong with it.
func parseOrgRow(reg domain.Register, rec []string) (row []any, problem string) {
	header := orgHeaders[reg]
	vals := make([]string, len(rec))
	for i := range rec {
		vals[i] = strings.TrimSpace(rec[i])
		// A control or reordering character would reach the screens that
		// show register data; PostgreSQL cannot store a NUL.
		if !domain.IsPlainText(vals[i], false) {
			return nil, header[i] + " holds a control character"
		}
		if utf8.RuneCountInString(vals[i]) > orgFieldMaxLength {
			return nil, fmt.Sprintf("%s is longer than %d characters", header[i], orgFieldMaxLength)
		}
	}
	status := func(s string) (string, string) {
		if !slices.Contains(domain.RegisterStatuses, domain.RegisterStatus(s)) {
			return "", "status is not active, in_liquidation, liquidated or excluded"
		}
		return s, ""
	}
	if vals[1] == "" {
		return nil, "name is required"
	}
	switch reg {
	case domain.RegisterEnterprises:
		if err := domain.ValidateCompanyRegNumber(vals[0]); err != nil {
			return nil, "invalid reg_number (" + domain.AsError(err).Key + ")"
		}
		st, p := status(vals[3])
		if p != "" {
			return nil, p
		}
		var date any
		if vals[4] != "" {
			t, err := time.Parse(time.DateOnly, vals[4])
			if err != nil {
				return nil, "status_date is not a date YYYY-MM-DD"
			}
			date = t
		} else if st != string(domain.StatusActive) {
			return nil, "status_date is required unless the status is active"
		}
		return []any{vals[0], vals[1], vals[2], st, date, vals[5]}, ""
	default:
		if err := domain.ValidateInstitutionRegNumber(vals[0]); err != nil {
			return nil, "invalid institution_number (" + domain.AsError(err).Key + ")"
		}
		if vals[2] != "" {
			if err := domain.ValidateCompanyRegNumber(vals[2]); err != nil {
				return nil, "invalid founder_reg_number (" + domain.AsError(err).Key + ")"
			}
		}
		st, p := status(vals[3])
		if p != "" {
			return nil, p
		}
		return []any{vals[0], vals[1], vals[2], st, vals[4]}, ""
	}
}

package storage

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/viaa/ppp/domain"
)

// FuzzParseOrgExtract feeds arbitrary bytes to the check of the extracts
// of the Register of Enterprises and VIIS (issue 17): it never panics,
// refuses with an EINVALID "register.*" error, or hands on rows of the
// header's width, with increasing line numbers, whose numbers are valid
// and whose texts are plain (valid UTF-8, no control or reordering
// character); a file over the limit is refused.
func FuzzParseOrgExtract(f *testing.F) {
	f.Add(uint8(0), []byte("reg_number,name,legal_form,status,status_date,address\n40003521600,\"SIA \"\"Ābele\"\"\",SIA,active,,Rīga\n"))
	f.Add(uint8(0), []byte("\xef\xbb\xbfreg_number,name,legal_form,status,status_date,address\r\n40003521600,A,SIA,liquidated,2025-01-01,\r\n"))
	f.Add(uint8(0), []byte("reg_number,name,legal_form,status,status_date,address\n40003521600,A\x1b[31m,SIA,active,,\n"))
	f.Add(uint8(1), []byte("institution_number,name,founder_reg_number,status,address\n3013900001,Skola,40003521600,active,Rīga\n\"unterminated\n"))
	f.Add(uint8(1), []byte("institution_number,name,founder_reg_number,status,address\n3013900001,\xff\xfe,,active,\n"))
	regs := []domain.Register{domain.RegisterEnterprises, domain.RegisterInstitutions}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		reg := regs[int(which)%len(regs)]
		limit := int64(4096)
		last := 0
		err := parseOrgExtract(reg, bytes.NewReader(data), limit, func(line int, row []any) error {
			if line <= last {
				t.Fatalf("line %d after line %d", line, last)
			}
			last = line
			if len(row) != len(orgHeaders[reg]) {
				t.Fatalf("row of %d values for %d columns", len(row), len(orgHeaders[reg]))
			}
			num, _ := row[0].(string)
			if reg == domain.RegisterEnterprises && domain.ValidateCompanyRegNumber(num) != nil ||
				reg == domain.RegisterInstitutions && domain.ValidateInstitutionRegNumber(num) != nil {
				t.Fatalf("number %q let through", num)
			}
			for _, v := range row {
				if s, ok := v.(string); ok && (!utf8.ValidString(s) || !domain.IsPlainText(s, false)) {
					t.Fatalf("value %q let through", s)
				}
			}
			return nil
		})
		if err != nil {
			e := domain.AsError(err)
			if e == nil || e.Code != domain.EINVALID || !strings.HasPrefix(e.Key, "register.") {
				t.Fatalf("error %v is not an EINVALID register.* error", err)
			}
		} else if int64(len(data)) > limit {
			t.Fatalf("a file of %d bytes passed the limit of %d", len(data), limit)
		}
	})
}

package storage

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/viaa/ppp/domain"
)

// FuzzParseRegisterExtract feeds arbitrary bytes to the register-extract
// check of ppp registers import: it never panics, refuses with an EINVALID
// "register.*" error, or returns rows of the header's width whose texts
// are valid UTF-8 without control characters and whose personal codes are
// valid, and a population row's current_code (the register's link to
// another form of the code, issue 16) is empty or another valid code, and
// its sex (issue 18), when the extract has the column, F, M or none — what
// the import would then store. The extracts without current_code or sex
// are still read, as before.
func FuzzParseRegisterExtract(f *testing.F) {
	f.Add(uint8(0), []byte("personal_code,first_name,last_name,birth_date,resident,municipality,deceased_on\n180565-05610,Anna,Kalniņa,1965-05-18,true,riga,\n"))
	f.Add(uint8(0), []byte("personal_code,first_name,last_name,birth_date,resident,municipality,deceased_on\n180565-05610,An\x00na,Kalniņa,1965-05-18,true,riga,\n"))
	f.Add(uint8(0), []byte("personal_code,first_name,last_name,birth_date,resident,municipality,deceased_on,current_code\n180565-05610,Anna,Kalniņa,1965-05-18,true,riga,,32000000001\n"))
	f.Add(uint8(0), []byte("personal_code,first_name,last_name,birth_date,resident,municipality,deceased_on,current_code\n180565-05610,Anna,Kalniņa,1965-05-18,true,riga,,180565-05611\n"))
	// A control character in the column after the base header's used to
	// name its column out of that header's range (a panic).
	f.Add(uint8(0), []byte("personal_code,first_name,last_name,birth_date,resident,municipality,deceased_on,current_code\n180565-05610,Anna,Kalniņa,1965-05-18,true,riga,,32000\x1b00001\n"))
	f.Add(uint8(0), []byte("personal_code,first_name,last_name,birth_date,resident,municipality,deceased_on,sex\n180565-05610,Anna,Kalniņa,1965-05-18,true,riga,,F\n010375-10018,Alex,Kalns,1975-03-01,true,riga,,\n"))
	f.Add(uint8(0), []byte("personal_code,first_name,last_name,birth_date,resident,municipality,deceased_on,current_code,sex\n180565-05610,Anna,Kalniņa,1965-05-18,true,riga,,32000000001,X\n"))
	f.Add(uint8(1), []byte("\xef\xbb\xbfpersonal_code,employer,self_employed,valid_from,valid_until\r\n18056505610,\"SIA \"\"Ābele\"\"\",false,2020-01-01,2019-01-01\r\n"))
	f.Add(uint8(2), []byte("personal_code,highest_lki,studying\n180565-05610,9,1\n180565-05610,3,0\n\"unterminated\n"))
	f.Add(uint8(2), []byte("personal_code,highest_lki,studying\n\xff\xfe,1,1\n"))
	registers := []domain.Register{domain.RegisterPopulation, domain.RegisterRevenue, domain.RegisterEducation}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		reg := registers[int(which)%len(registers)]
		header, rows, err := parseRegisterExtract(reg, data)
		if err != nil {
			e := domain.AsError(err)
			if e == nil || e.Code != domain.EINVALID || !strings.HasPrefix(e.Key, "register.") {
				t.Fatalf("error %v is not an EINVALID register.* error", err)
			}
			return
		}
		for i, row := range rows {
			if len(row) != len(header) {
				t.Fatalf("row %d has %d values for %d columns", i, len(row), len(header))
			}
			code, ok := row[0].(string)
			if !ok {
				t.Fatalf("row %d: personal code %T", i, row[0])
			}
			if _, err := domain.NormalizePersonalCode(code); err != nil {
				t.Fatalf("row %d: personal code %q: %v", i, code, err)
			}
			if reg == domain.RegisterPopulation {
				if len(header) < 8 || len(header) > 9 || header[7] != "current_code" || len(header) == 9 && header[8] != "sex" {
					t.Fatalf("population header %v: want current_code, then sex or nothing", header)
				}
				if len(header) == 9 {
					if sex := row[8]; sex != nil && sex != "F" && sex != "M" {
						t.Fatalf("row %d: sex %v", i, sex)
					}
				}
				current, _ := row[7].(string)
				if current != "" {
					if n, err := domain.NormalizePersonalCode(current); err != nil || n != current || current == code {
						t.Fatalf("row %d: current_code %q of %q", i, current, code)
					}
				}
			}
			for j, v := range row {
				switch v := v.(type) {
				case string:
					if !utf8.ValidString(v) || strings.ContainsFunc(v, unicode.IsControl) {
						t.Fatalf("row %d column %s: %q", i, header[j], v)
					}
				case bool, int, time.Time, nil:
				default:
					t.Fatalf("row %d column %s: unexpected %T", i, header[j], v)
				}
			}
		}
	})
}

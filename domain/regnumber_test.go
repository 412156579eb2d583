package domain

import (
	"regexp"
	"testing"
)

func TestValidateCompanyRegNumber_BriefVectors(t *testing.T) {
	for _, n := range []string{"40003521600", "53603062391", "50000000002"} {
		if err := ValidateCompanyRegNumber(n); err != nil {
			t.Errorf("ValidateCompanyRegNumber(%q) = %v, want nil", n, err)
		}
	}
	wantKey(t, ValidateCompanyRegNumber("40003521601"), "company_reg.checksum")
	wantKey(t, ValidateCompanyRegNumber("53603062390"), "company_reg.checksum")
}

func TestValidateCompanyRegNumber_AnySingleDigitTypo_FailsChecksum(t *testing.T) {
	// Every weight is coprime to 11, so changing one digit always moves
	// the sum off 3 (mod 11).
	for _, valid := range []string{"40003521600", "53603062391"} {
		for i := range len(valid) {
			for d := byte('0'); d <= '9'; d++ {
				if d == valid[i] {
					continue
				}
				typo := valid[:i] + string(d) + valid[i+1:]
				e := AsError(ValidateCompanyRegNumber(typo))
				if e == nil || e.Key != "company_reg.checksum" {
					t.Errorf("ValidateCompanyRegNumber(%q) = %v, want company_reg.checksum", typo, e)
				}
			}
		}
	}
}

func TestValidateCompanyRegNumber_NotElevenDigits_FailsWithFormat(t *testing.T) {
	for _, n := range []string{
		"", "4000352160", "400035216000", " 40003521600", "40003521600 ",
		"4000352160O", "40003-521600", "LV40003521600", "４０００３５２１６００",
	} {
		t.Run(n, func(t *testing.T) { wantKey(t, ValidateCompanyRegNumber(n), "company_reg.format") })
	}
}

func TestValidateInstitutionRegNumber_TenDigits_Valid(t *testing.T) {
	for _, n := range []string{"3113903386", "0000000000", "4312900001"} {
		if err := ValidateInstitutionRegNumber(n); err != nil {
			t.Errorf("ValidateInstitutionRegNumber(%q) = %v, want nil", n, err)
		}
	}
}

func TestValidateInstitutionRegNumber_NotTenDigits_FailsWithFormat(t *testing.T) {
	for _, n := range []string{
		"", "311390338", "31139033860", " 3113903386", "3113903386\n",
		"311390338x", "3113-903386", "３１１３９０３３８６",
	} {
		t.Run(n, func(t *testing.T) { wantKey(t, ValidateInstitutionRegNumber(n), "institution_reg.format") })
	}
}

func FuzzValidateCompanyRegNumber(f *testing.F) {
	for _, seed := range []string{"40003521600", "53603062391", "40003521601", "", "4000352160٠"} {
		f.Add(seed)
	}
	elevenDigits := regexp.MustCompile(`^[0-9]{11}$`)
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidateCompanyRegNumber(s)
		if err == nil {
			if !elevenDigits.MatchString(s) {
				t.Fatalf("ValidateCompanyRegNumber accepted %q", s)
			}
			last := (s[10]-'0'+1)%10 + '0'
			if ValidateCompanyRegNumber(s[:10]+string(last)) == nil {
				t.Fatalf("%q and a different last digit are both valid", s)
			}
			return
		}
		if ErrorCode(err) != EINVALID {
			t.Fatalf("ValidateCompanyRegNumber(%q) = %v, want EINVALID", s, err)
		}
		if key := AsError(err).Key; (key == "company_reg.format") == elevenDigits.MatchString(s) {
			t.Fatalf("ValidateCompanyRegNumber(%q) key %s", s, key)
		}
	})
}

func FuzzValidateInstitutionRegNumber(f *testing.F) {
	for _, seed := range []string{"3113903386", "311390338", "", "311390338٠"} {
		f.Add(seed)
	}
	tenDigits := regexp.MustCompile(`^[0-9]{10}$`)
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidateInstitutionRegNumber(s)
		if (err == nil) != tenDigits.MatchString(s) {
			t.Fatalf("ValidateInstitutionRegNumber(%q) = %v", s, err)
		}
		if err != nil && ErrorCode(err) != EINVALID {
			t.Fatalf("ValidateInstitutionRegNumber(%q) = %v, want EINVALID", s, err)
		}
	})
}

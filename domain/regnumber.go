package domain

// ValidateCompanyRegNumber checks a company registration number
// (uzņēmuma reģistrācijas numurs, ¶27.1.2): exactly 11 ASCII digits, with
// no spaces, whose weighted sum Σ wᵢ·dᵢ with w = 9,1,4,8,3,10,2,5,7,6,1 is
// 3 modulo 11. It returns an *Error with code EINVALID and key
// "company_reg.format" (not 11 digits) or "company_reg.checksum" (the sum
// does not match, usually a mistyped digit).
func ValidateCompanyRegNumber(s string) error {
	if len(s) != 11 || !isASCIIDigits(s) {
		return Errorf(EINVALID, "company_reg.format", "a company registration number is 11 digits")
	}
	weights := [11]int{9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1}
	sum := 0
	for i, w := range weights {
		sum += w * int(s[i]-'0')
	}
	if sum%11 != 3 {
		return Errorf(EINVALID, "company_reg.checksum", "the company registration number is not valid: its check digit does not match")
	}
	return nil
}

// ValidateInstitutionRegNumber checks an education-institution
// registration number (izglītības iestādes reģistrācijas numurs,
// ¶27.1.3): exactly 10 ASCII digits, with no spaces. These numbers carry
// no check digit. It returns an *Error with code EINVALID and key
// "institution_reg.format".
func ValidateInstitutionRegNumber(s string) error {
	if len(s) != 10 || !isASCIIDigits(s) {
		return Errorf(EINVALID, "institution_reg.format", "an education-institution registration number is 10 digits")
	}
	return nil
}

// isASCIIDigits reports whether s is non-empty and made of '0'–'9' only;
// unicode.IsDigit would also let in Arabic-Indic and full-width digits,
// which no Latvian register issues.
func isASCIIDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

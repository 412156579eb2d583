package domain

import "testing"

func TestParseNumberSearch_WholeCodesInEitherForm(t *testing.T) {
	for _, tc := range []struct{ in, code string }{
		{"180565-05610", "180565-05610"},
		{"18056505610", "180565-05610"},
		{" 180565 05610 ", "180565-05610"},
		{"32550128526", "32550128526"},
		{"325501-28526", "32550128526"},
	} {
		n, ok := ParseNumberSearch(tc.in)
		if !ok || n.Code != tc.code || n.Whole() != nil {
			t.Errorf("ParseNumberSearch(%q) = %+v, %v; want code %s", tc.in, n, ok, tc.code)
		}
		if forms := n.CodeForms(); len(forms) != 2 || forms[0] != tc.code || forms[1] == tc.code {
			t.Errorf("CodeForms of %q = %v", tc.in, forms)
		}
	}
}

func TestParseNumberSearch_TextIsNoNumber(t *testing.T) {
	for _, in := range []string{"", "  ", "-", "Bērziņš", "397678-*****", "anna@example.lv", "Rīgas 64. vidusskola", "12a"} {
		if n, ok := ParseNumberSearch(in); ok {
			t.Errorf("ParseNumberSearch(%q) = %+v, a number", in, n)
		}
	}
}

func TestNumberSearch_Whole_RefusesEveryPartOfACode(t *testing.T) {
	code := "39767812345"
	for i := 1; i < len(code); i++ {
		n, ok := ParseNumberSearch(code[:i])
		if !ok {
			t.Fatalf("%q is not a number", code[:i])
		}
		if err := n.Whole(); err == nil || AsError(err).Key != "search.whole_code" {
			t.Errorf("Whole(%q) = %v, want search.whole_code", code[:i], err)
		}
	}
	n, _ := ParseNumberSearch("397678-1234")
	if err := n.Whole(10, 11); err == nil {
		t.Error("ten digits written like a code passed as a registration number")
	}
	n, _ = ParseNumberSearch("3113903386")
	if err := n.Whole(10, 11); err != nil {
		t.Errorf("a registration number of 10 digits: %v", err)
	}
	n, _ = ParseNumberSearch("40003521600")
	if err := n.Whole(10, 11); err != nil || n.Code != "" {
		t.Errorf("a company number: %+v, %v", n, err)
	}
	if err := n.Whole(); err == nil {
		t.Error("a company number passed where only codes are known")
	}
	n, _ = ParseNumberSearch("180565-05611")
	if err := n.Whole(); err == nil || AsError(err).Key != "personal_code.checksum" {
		t.Errorf("a mistyped code: %v", err)
	}
}

func TestPersonKey_SameForEitherForm(t *testing.T) {
	keys := []string{PersonKey("180565-05610"), PersonKey("18056505610"), PersonKey(" 180565-05610 ")}
	if len(keys[0]) != 64 || keys[1] != keys[0] || keys[2] != keys[0] {
		t.Errorf("keys = %v", keys)
	}
	if PersonKey(" ") != "" || PersonKey("061193-06460") == keys[0] {
		t.Error("a blank code has a key, or two people share one")
	}
}

package domain

import "testing"

// Issue 17: what MergeConflict.CheckResolution refuses, in order, and
// which account a merge ends.
func TestMergeConflict_CheckResolution(t *testing.T) {
	accounts := func() *MergeConflict {
		return &MergeConflict{ID: 1, From: MergeSide{PersonID: 10, UserID: 501}, Into: MergeSide{PersonID: 11, UserID: 502}}
	}
	bothIMK := &MergeConflict{ID: 2, From: MergeSide{PersonID: 12, ActiveIMK: true}, Into: MergeSide{PersonID: 13, ActiveIMK: true}}
	resolved := accounts()
	resolved.Resolution = MergeDistinct
	for _, tc := range []struct {
		name      string
		c         *MergeConflict
		r         MergeResolution
		code, key string
	}{
		{"resolved", resolved, MergeResolution{Outcome: MergeDistinct, Reason: "x"}, ECONFLICT, "merge.resolved"},
		{"unknown outcome", accounts(), MergeResolution{Outcome: "delete", Reason: "x"}, EINVALID, "merge.bad_outcome"},
		{"no reason", accounts(), MergeResolution{Outcome: MergeDistinct, Reason: " \t"}, EINVALID, "account.reason_required"},
		{"no account chosen", accounts(), MergeResolution{Outcome: MergeResolved, Reason: "x"}, EINVALID, "merge.keep_required"},
		{"another account chosen", accounts(), MergeResolution{Outcome: MergeResolved, KeepUserID: 999, Reason: "x"}, EINVALID, "merge.keep_required"},
		{"both with an active IMK", bothIMK, MergeResolution{Outcome: MergeResolved, Reason: "x"}, ECONFLICT, "merge.both_imk"},
		{"distinct despite both IMKs", bothIMK, MergeResolution{Outcome: MergeDistinct, Reason: "x"}, "", ""},
		{"merge keeping one", accounts(), MergeResolution{Outcome: MergeResolved, KeepUserID: 502, Reason: " x "}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.c.CheckResolution(&tc.r)
			if tc.key == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if e := AsError(err); e == nil || e.Code != tc.code || e.Key != tc.key {
				t.Fatalf("err = %v, want %s %s", err, tc.code, tc.key)
			}
		})
	}
	c := accounts()
	r := MergeResolution{Outcome: MergeResolved, KeepUserID: 502, Reason: "x"}
	if got := c.EndedUserID(&r); got != 501 {
		t.Fatalf("keeping 502 ends %d, want 501", got)
	}
	if got := c.EndedUserID(&MergeResolution{Outcome: MergeDistinct}); got != 0 {
		t.Fatalf("'distinct' ends account %d", got)
	}
}

// ¶14, ¶31.3: the reset's rules of an account, in order.
func TestResetAccount_ResetBlocker_P14_P31_3(t *testing.T) {
	for _, tc := range []struct {
		a   ResetAccount
		key string
	}{
		{ResetAccount{Kind: "viss", EmailConfirmed: true}, "account.reset_viss"},
		{ResetAccount{Kind: "password"}, "account.reset_unconfirmed"},
		{ResetAccount{Kind: "password", EmailConfirmed: true, Ended: true}, "account.reset_ended"},
		{ResetAccount{Kind: "password", EmailConfirmed: true}, ""},
	} {
		got := ""
		if err := tc.a.ResetBlocker(); err != nil {
			got = AsError(err).Key
		}
		if got != tc.key {
			t.Errorf("%+v: %q, want %q", tc.a, got, tc.key)
		}
	}
}

package i18n

// Messages of the versioned target-group policy (¶26.4): mērķa grupas
// politika, its versijas, a melnraksts that a second operator apstiprina.
func init() {
	register(map[string][2]string{
		// The problems of a policy's numbers (EligibilityPolicy.Validate).
		"imk.policy_min_age":      {"minimālajam vecumam jābūt no 0 līdz 120", "the minimum age must be from 0 to 120"},
		"imk.policy_max_age":      {"maksimālajam vecumam jābūt 0 (bez ierobežojuma) vai ne mazākam par minimālo", "the maximum age must be 0 (no limit) or at least the minimum age"},
		"imk.policy_max_data_age": {"maksimālajam datu vecumam jābūt pozitīvam", "the maximum data age must be positive"},
		"imk.policy_priority_lki": {"prioritātes LKI jābūt no 0 līdz 8", "the priority LKI must be from 0 to 8"},
		"imk.policy_priority_age": {"prioritātes vecumam jābūt no 0 līdz 120", "the priority age must be from 0 to 120"},

		"imk.policy_not_found":   {"Mērķa grupas politikas versija %d nav atrasta.", "Target-group policy version %d was not found."},
		"imk.policy_no_operator": {"Mērķa grupas politiku var mainīt tikai pieteicies operators.", "Only a signed-in operator can change the target-group policy."},
		"imk.policy_not_editor":  {"Mērķa grupas politiku var mainīt tikai redaktors vai administrators.", "Only an editor or an administrator can change the target-group policy."},
		"imk.policy_own_draft":   {"Savu melnrakstu nevar apstiprināt: to jāapstiprina citam operatoram.", "You cannot approve your own draft: another operator must approve it."},
		"imk.policy_not_draft":   {"Mērķa grupas politikas versija %d jau ir apstiprināta, un to nevar mainīt.", "Target-group policy version %d is approved already and cannot be changed."},
		"imk.policy_past":        {"Politikas versija nevar stāties spēkā pagātnē.", "A policy version cannot take effect in the past."},

		"cli.imk_policy.bad_id":         {"Nederīgs politikas versijas ID %q.", "Invalid policy version ID %q."},
		"cli.imk_policy.need_name":      {"Norādiet politikas versijas nosaukumu: --name NOSAUKUMS.", "Give the policy version a name: --name NAME."},
		"cli.imk_policy.need_min":       {"Norādiet minimālo vecumu: --min-age N.", "Give the minimum age: --min-age N."},
		"cli.imk_policy.drafted":        {"Izveidots mērķa grupas politikas melnraksts: versija %d (ID %d).", "Target-group policy draft created: version %d (ID %d)."},
		"cli.imk_policy.discarded":      {"Mērķa grupas politikas melnraksts %d dzēsts.", "Target-group policy draft %d discarded."},
		"cli.imk_policy.header":         {"ID\tVERSIJA\tSTATUSS\tSPĒKĀ NO\tNOSAUKUMS", "ID\tVERSION\tSTATE\tIN FORCE FROM\tNAME"},
		"cli.imk_policy.in_force":       {"(spēkā)", "(in force)"},
		"cli.imk_policy.draft":          {"melnraksts", "draft"},
		"cli.imk_policy.approved_state": {"apstiprināta", "approved"},
		"cli.imk_policy.always":         {"vienmēr", "always"},
		"cli.imk_policy.show": {
			"Versija %d (ID %d): %s\nStatuss: %s\nSpēkā no: %s\nMinimālais vecums: %d\nMaksimālais vecums: %d (0: bez ierobežojuma)\nJābūt nodarbinātam vai pašnodarbinātam: %s\nJābūt deklarētai dzīvesvietai Latvijā: %s\nIzslēgt klātienes studējošos: %s\nMaksimālais datu vecums: %s\nPrioritāte, ja LKI ≤ %d vai vecums ≥ %d",
			"Version %d (ID %d): %s\nState: %s\nIn force from: %s\nMinimum age: %d\nMaximum age: %d (0: no limit)\nEmployed or self-employed required: %s\nResidence in Latvia required: %s\nFull-time students excluded: %s\nMaximum data age: %s\nPriority when LKI ≤ %d or age ≥ %d",
		},
		"cli.imk_policy.yes": {"jā", "yes"},
		"cli.imk_policy.no":  {"nē", "no"},
	})
}

package i18n

// The messages of issue 15's audit trail: checkpoints anchored outside
// the database, verification that resumes, and searches at scale.
func init() {
	register(map[string][2]string{
		"audit.search_short": {
			"Meklējiet audita žurnālā vismaz %d rakstzīmes.",
			"Search the audit log for at least %d characters.",
		},
		"audit.checkpoint_malformed": {
			"Tā nav audita kontrolpunkta rinda.",
			"That is not an audit checkpoint line.",
		},
	})
}

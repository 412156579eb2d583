package i18n

// Messages of issue 16's "words and facts": the portal's address.
func init() {
	register(map[string][2]string{
		"portal_url.invalid": {
			"PPP_PORTAL_URL %q nav portāla https adrese (piemēram, https://stars.gov.lv; http tikai localhost)",
			"PPP_PORTAL_URL %q is not an https address of the portal (e.g. https://stars.gov.lv; http only for localhost)",
		},
	})
}

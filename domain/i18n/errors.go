package i18n

func init() {
	register(map[string][2]string{
		"error.invalid":      {"Nederīga ievade.", "Invalid input."},
		"error.not_found":    {"Nav atrasts.", "Not found."},
		"error.conflict":     {"Kāds cits to jau ir mainījis. Atjaunojiet skatu un mēģiniet vēlreiz.", "Someone else has changed it already. Refresh and try again."},
		"error.unauthorized": {"Pieteikšanās neizdevās.", "Sign-in failed."},
		"error.forbidden":    {"Jums nav tiesību to darīt.", "You are not allowed to do that."},
		"error.locked":       {"Pārāk daudz neveiksmīgu mēģinājumu. Mēģiniet vēlāk.", "Too many failed attempts. Try again later."},
		"error.unavailable":  {"Datubāze nav pieejama. Mēģiniet vēlreiz pēc brīža.", "The database is not available. Try again in a moment."},
		"error.internal":     {"Radās neparedzēta kļūda.", "An unexpected error occurred."},
	})
}

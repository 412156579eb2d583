package domain

// How people reach the Platform's controller (¶25 of the terms of use of
// 2024-09-04: "e-pasta adresi stars@viaa.gov.lv un tālruni +371 67359075").
// ¶17.5 asks users to report by telephone in working hours and by e-mail
// outside them, so the hours go with the number wherever it is written:
// mail signatures and the ¶14 explanation. This is the one place they are
// kept; domain/mailtmpl builds its signatures from them.
const (
	// HelpdeskEmail is the controller's address for users (¶25).
	HelpdeskEmail = "stars@viaa.gov.lv"
	// HelpdeskPhone is the controller's telephone for users (¶25).
	HelpdeskPhone = "+371 67359075"
	// HelpdeskHoursLV and HelpdeskHoursEN are the hours the telephone is
	// answered (¶17.5 "darba laikā"), as each language writes them.
	HelpdeskHoursLV = "darba dienās 8.30–17.00"
	HelpdeskHoursEN = "on working days 8:30–17:00"
)

package people_test

import (
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

// TestPeople_Export_SecurityIsToldTheCommand_HelpdeskRefused: g on the
// person's page (issue 18, GDPR Art. 15) tells a security officer the
// `ppp person export` line for this person; a helpdesk operator is
// refused (domain.PersonExportRoles).
func TestPeople_Export_SecurityIsToldTheCommand_HelpdeskRefused(t *testing.T) {
	m := openJanis(t, newEnv().withDefence(), "en", domain.RoleHelpdesk)
	tuitest.Send(t, m, tuitest.Runes("g")...)
	tuitest.MustShow(t, m, "do not hold the role")
	tuitest.MustNotShow(t, m, "ppp person export")

	m = openJanis(t, newEnv().withDefence(), "en", domain.RoleSecurity)
	tuitest.Send(t, m, tuitest.Runes("g")...)
	tuitest.MustShow(t, m, "ppp person export --id")
}

package storage_test

import (
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
)

// TestPortal_ConfirmationLink_UsesTheConfiguredPortalURL proves the
// confirmation mail's link starts with the DB's PortalURL
// (PPP_PORTAL_URL), not a host written in the code (issue 16).
func TestPortal_ConfirmationLink_UsesTheConfiguredPortalURL(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	e.db.PortalURL = "https://test.stars.gov.lv"
	f := rrForm(domain.KindMunicipalCoordinator, 0)
	_, token := e.submit(t, f)
	var body string
	err := e.db.Pool().QueryRow(t.Context(), `SELECT body FROM outbox WHERE template = 'rolerequest.submitted_confirm' AND to_addr = $1`, f.Email).Scan(&body)
	if err != nil {
		t.Fatalf("confirmation mail: %v", err)
	}
	if !strings.Contains(body, "https://test.stars.gov.lv/apstiprinat?token="+token) {
		t.Errorf("confirmation mail does not link to the configured portal:\n%s", body)
	}
}

package fakes_test

import (
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/contracttest"
	"github.com/viaa/ppp/tui/internal/fakes"
)

type reportHarness struct {
	fakeOn[*fakes.Reports]
	subject int64
}

func (h *reportHarness) Service() domain.ReportService { return h.f }

func (h *reportHarness) IMKApplication(_ *testing.T, s contracttest.ReportIMKSeed) int64 {
	return h.f.AddIMK(&fakes.ReportIMK{PersonalCode: s.PersonalCode, State: s.State, AppliedAt: s.AppliedAt,
		DecidedAt: s.DecidedAt, DecidedBy: s.DecidedBy, Sex: s.Sex})
}

func (h *reportHarness) Denial(_ *testing.T, ground domain.Ground, inForce, lifted time.Time) int64 {
	h.subject++
	return h.f.AddDenial(&fakes.ReportDenial{SubjectKind: "platform_user", SubjectID: h.subject, Ground: ground,
		InForceAt: inForce, LiftedAt: lifted})
}

func (h *reportHarness) Institution(_ *testing.T, due time.Time) int64 {
	return h.f.AddInstitution(&fakes.ReportInstitution{Name: "Mācību centrs", ReverifyAt: due})
}

func TestContract_ReportService_Fake(t *testing.T) {
	contracttest.RunReportService(t, func(t *testing.T) contracttest.ReportHarness {
		f := fakes.NewReports()
		return &reportHarness{fakeOn: newFakeOn(f, &f.Now)}
	})
}

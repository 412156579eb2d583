package dbbench

import (
	"fmt"
	"time"

	"github.com/viaa/ppp/cmd/ppp/internal/benchfig"
	"github.com/viaa/ppp/domain"
)

// Evaluations measures the IMK eligibility evaluator (domain.Evaluate,
// pure) over 100,000 applications whose register data vary: ages across
// 55 years, every education level, one in seven without an answer from the
// revenue service, some under age.
func Evaluations(o Options) benchfig.Figure {
	n := 100_000
	if o.Quick {
		n = 5_000
	}
	fig := benchfig.Figure{
		Name: "IMK eligibility evaluations (pure, default policy)", Unit: "evals/s",
		Baseline: benchfig.None, HigherIsBetter: true, Target: "—", Met: true,
	}
	checkDate := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	fetched := checkDate.Add(-time.Hour)
	born := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)
	inputs := make([][]*domain.Snapshot, n)
	for i := range inputs {
		pop := &domain.PersonRecord{PersonalCode: "32550128526", FirstName: "Anna", LastName: "Bērziņa",
			BirthDate: born.AddDate(0, 0, (i*37)%20000), Resident: true, Municipality: "Rīga"}
		inputs[i] = []*domain.Snapshot{
			{ID: 1, Register: domain.RegisterPopulation, FetchedAt: fetched, Answered: true, Found: true, Person: pop},
			{ID: 2, Register: domain.RegisterRevenue, FetchedAt: fetched, Answered: i%7 != 0, Found: true,
				Employment: []domain.EmploymentPeriod{{Employer: "40003521600", From: born.AddDate(60, 0, 0)}}},
			{ID: 3, Register: domain.RegisterEducation, FetchedAt: fetched, Answered: true, Found: true,
				Education: &domain.EducationRecord{HighestLKI: i % 9}},
		}
	}
	p := domain.DefaultEligibilityPolicy()
	outcomes := map[domain.Outcome]int{}
	start := time.Now()
	for i := range inputs {
		outcomes[domain.Evaluate(p, inputs[i], false, checkDate).Outcome]++
	}
	took := time.Since(start)
	fig.Value = float64(n) / took.Seconds()
	fig.Note = fmt.Sprintf("%d applications in %v; outcomes %v", n, took.Round(time.Millisecond), outcomes)
	return fig
}

package fakes

import (
	"context"
	"time"

	"github.com/viaa/ppp/domain"
)

// Misuse is an in-memory domain.MisuseService: the signals as a test
// seeds them, the thresholds, and the closes it records. Every rule is
// domain's (MisuseSignal.CloseBlocker, CheckDefenceNote,
// CheckMisuseThreshold); the role checks are storage's.
type Misuse struct {
	guarded
	staff
	Signals    []*domain.MisuseSignal
	Thresholds []domain.MisuseThreshold
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Closed records the notes closes left, by signal id.
	Closed map[int64]string
}

var _ domain.MisuseService = (*Misuse)(nil)

// NewMisuse returns a service with no signals and the default thresholds.
func NewMisuse() *Misuse {
	return &Misuse{Thresholds: domain.DefaultMisuseThresholds(), Closed: map[int64]string{}}
}

func (f *Misuse) clock() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// OpenMisuseSignals lists the signals not closed, newest first.
func (f *Misuse) OpenMisuseSignals(ctx context.Context) (out []*domain.MisuseSignal, err error) {
	err = f.locked(func() error {
		out = copiesOf(f.Signals, func(s *domain.MisuseSignal) bool { return s.CloseBlocker() == nil },
			func(a, b *domain.MisuseSignal) int { return byTimeThenID(b.RaisedAt, a.RaisedAt, b.ID, a.ID) })
		return nil
	})
	return out, err
}

// CloseMisuseSignal closes a signal with a note.
func (f *Misuse) CloseMisuseSignal(ctx context.Context, id int64, note string) error {
	return f.locked(func() error {
		note, err := domain.CheckDefenceNote(note)
		if err != nil {
			return err
		}
		s, err := rowByID(f.Signals, func(s *domain.MisuseSignal) int64 { return s.ID }, id, func(id int64) error {
			return domain.Errorf(domain.ENOTFOUND, "misuse.not_found", "no misuse signal %d", id)
		})
		if err == nil {
			err = s.CloseBlocker()
		}
		if err != nil {
			return err
		}
		actor := domain.ActorFrom(ctx)
		s.ClosedAt, s.ClosedBy, s.ClosedByName, s.Note = f.clock(), actor.OperatorID, f.ref(actor).Name, note
		f.Closed[id] = note
		return nil
	})
}

// MisuseThresholds returns the thresholds.
func (f *Misuse) MisuseThresholds(ctx context.Context) (out []domain.MisuseThreshold, err error) {
	err = f.locked(func() error {
		out = append(out, f.Thresholds...)
		return nil
	})
	return out, err
}

// SetMisuseThreshold changes one kind's threshold and window.
func (f *Misuse) SetMisuseThreshold(ctx context.Context, kind domain.MisuseKind, threshold int, window time.Duration) (out domain.MisuseThreshold, err error) {
	err = f.locked(func() error {
		if err := domain.CheckMisuseThreshold(kind, threshold, window); err != nil {
			return err
		}
		out = domain.MisuseThreshold{Kind: kind, Threshold: threshold, Window: window, ChangedAt: f.clock(),
			ChangedByName: f.ref(domain.ActorFrom(ctx)).Name}
		for i := range f.Thresholds {
			if f.Thresholds[i].Kind == kind {
				f.Thresholds[i] = out
				return nil
			}
		}
		f.Thresholds = append(f.Thresholds, out)
		return nil
	})
	return out, err
}

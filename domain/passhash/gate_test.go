package passhash

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestVerify_ParallelAttempts_NeverMoreThanTheLimitAtOnce reproduces the
// memory attack of issue 13: every password attempt ran Argon2id at once
// (24 parallel attempts took the server from 156 MB to 1.6 GB). However
// many attempts arrive together, no more than the limit hash at a time.
func TestVerify_ParallelAttempts_NeverMoreThanTheLimitAtOnce(t *testing.T) {
	defer SetConcurrency(SetConcurrency(2))
	// Big enough that hashes overlap when nothing stops them, small
	// enough for a quick test.
	encoded := cheapHash(params{memory: 4 * 1024, time: 1, threads: 1}, "Zaļš-Kalns7", 32)
	before := ReadStats()
	ResetPeak()

	const attempts = 24
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range attempts {
		wg.Go(func() {
			<-start
			if i < 2 { // the full 64 MiB, through the same gate
				DummyVerify()
				return
			}
			if _, err := Verify("wrong", encoded); err != nil {
				t.Error(err)
			}
		})
	}
	close(start)
	wg.Wait()

	s := ReadStats()
	if got := s.Done - before.Done; got != attempts {
		t.Fatalf("%d hashes done, want %d", got, attempts)
	}
	if s.Peak > 2 {
		t.Errorf("%d hashes ran at once, want at most 2", s.Peak)
	}
}

// TestVerifyContext_NoSlotInTime_GivesUpWithoutHashing: an attempt that
// waits longer than its deadline ends with ErrBusy and hashes nothing, and
// while it waits it is counted as waiting, not running.
func TestVerifyContext_NoSlotInTime_GivesUpWithoutHashing(t *testing.T) {
	defer SetConcurrency(SetConcurrency(1))
	encoded := cheapHash(cheap, "Zaļš-Kalns7", 32)
	if err := hashing.acquire(context.Background(), false); err != nil { // the only slot, held
		t.Fatal(err)
	}
	before := ReadStats()

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	errc := make(chan error, 1)
	go func() { _, err := VerifyContext(ctx, "Zaļš-Kalns7", encoded); errc <- err }()
	for ReadStats().Waiting == 0 {
		time.Sleep(time.Millisecond)
	}
	if s := ReadStats(); s.Running != 1 {
		t.Errorf("running %d while one waits, want 1", s.Running)
	}
	err := <-errc
	if !errors.Is(err, ErrBusy) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("VerifyContext = %v, want ErrBusy and the deadline", err)
	}
	if err := DummyVerifyContext(ctx); !errors.Is(err, ErrBusy) {
		t.Fatalf("DummyVerifyContext after the deadline = %v, want ErrBusy", err)
	}
	s := ReadStats()
	if s.Done != before.Done || s.GaveUp != before.GaveUp+2 || s.Waiting != 0 {
		t.Errorf("stats %+v after two waits gave up (before %+v)", s, before)
	}

	hashing.release(false, 0, false)
	if ok, err := Verify("Zaļš-Kalns7", encoded); !ok || err != nil {
		t.Fatalf("Verify once the slot is free = %v, %v", ok, err)
	}
}

// TestSetConcurrency_RaisingTheLimit_LetsWaitersIn: waiters queue while the
// slot is held and go in as soon as the limit is raised.
func TestSetConcurrency_RaisingTheLimit_LetsWaitersIn(t *testing.T) {
	defer SetConcurrency(SetConcurrency(1))
	encoded := cheapHash(cheap, "Zaļš-Kalns7", 32)
	if err := hashing.acquire(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	defer hashing.release(false, 0, false)
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() { _, _ = Verify("x", encoded) })
	}
	for ReadStats().Waiting != 3 {
		time.Sleep(time.Millisecond)
	}
	SetConcurrency(4)
	wg.Wait() // would hang with the limit still 1
}

func TestDefaultConcurrency_HalfTheProcessorsWithinAnEighthOfMemory(t *testing.T) {
	const gib = 1 << 30
	for _, tc := range []struct {
		mem   uint64
		procs int
		want  int
	}{
		{0, 1, 1}, {0, 2, 1}, {0, 8, 4}, {0, 64, 8},
		{24 * gib, 2, 1}, {24 * gib, 16, 8},
		{2 * gib, 16, 4},   // 256 MiB for hashing
		{256 << 20, 16, 1}, // less than one hash's worth: still one
	} {
		if got := DefaultConcurrency(tc.mem, tc.procs); got != tc.want {
			t.Errorf("DefaultConcurrency(%d MiB, %d) = %d, want %d", tc.mem>>20, tc.procs, got, tc.want)
		}
	}
}

// TestGate_Suspects_GoLast_OneAtATime_ThenPause: a hash marked Suspect
// waits behind every other waiter, runs alone among suspects, and leaves
// a pause in proportion to its length before the next suspect; a flood of
// suspects cannot keep the processors busy.
func TestGate_Suspects_GoLast_OneAtATime_ThenPause(t *testing.T) {
	defer SetConcurrency(SetConcurrency(1))
	defer SetDutyCycle(SetDutyCycle(0.5))
	encoded := cheapHash(params{memory: 1024, time: 1, threads: 1}, "Zaļš-Kalns7", 32)
	if err := hashing.acquire(context.Background(), false); err != nil { // the only slot, held
		t.Fatal(err)
	}
	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	verify := func(name string, ctx context.Context) {
		if _, err := VerifyContext(ctx, "x", encoded); err != nil {
			t.Error(err)
		}
		mu.Lock()
		order = append(order, name)
		mu.Unlock()
	}
	wg.Go(func() { verify("suspect", Suspect(context.Background())) })
	for ReadStats().Waiting != 1 {
		time.Sleep(time.Millisecond)
	}
	wg.Go(func() { verify("clean", context.Background()) })
	for ReadStats().Waiting != 2 {
		time.Sleep(time.Millisecond)
	}
	released := time.Now()
	hashing.release(false, 0, false)
	wg.Wait()
	if len(order) != 2 || order[0] != "clean" {
		t.Fatalf("finished in the order %v, want the clean attempt first", order)
	}
	hashing.mu.Lock()
	pausedUntil := hashing.suspectAfter
	hashing.mu.Unlock()
	if !pausedUntil.After(released) {
		t.Error("no pause was set after the suspect hash")
	}

	SetConcurrency(4)
	ResetPeak()
	before := ReadStats().SuspectDone
	for range 6 {
		wg.Go(func() { verify("suspect", Suspect(context.Background())) })
	}
	wg.Wait()
	s := ReadStats()
	if s.SuspectDone-before != 6 || s.SuspectPeak != 1 {
		t.Errorf("%d suspect hashes, %d at once; want 6, one at a time", s.SuspectDone-before, s.SuspectPeak)
	}
}

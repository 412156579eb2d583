package sshload

import (
	"fmt"
	"math"
	"time"

	"github.com/viaa/ppp/cmd/ppp/internal/benchfig"
)

// The project's targets for the session figures.
const (
	firstFrameRatio   = 2.0  // × the baseline
	memPerSessionKB   = 250  // KB per idle session
	cpuPer100Sessions = 5.0  // % of a core per 100 idle sessions
	keyP99Ms          = 50.0 // ms, keypress to frame
	liveP99Ms         = 500  // ms, claim to the name on another screen
)

const helloName = "minimal wish + Bubble Tea hello"

// figures turns the two servers' results into the bench's lines.
func figures(sessions int, p plan, base, ours results) []benchfig.Figure {
	ff := benchfig.Figure{
		Name:  fmt.Sprintf("SSH connect to first frame (median of %d)", p.frames),
		Value: benchfig.Ms(ours.firstFrame), Baseline: benchfig.Ms(base.firstFrame), BaseName: helloName,
		Unit: "ms", Target: fmt.Sprintf("≤ %g× baseline", firstFrameRatio),
		Note: "key sign-in, PTY xterm-256color 80×24, read until the operator's full name (baseline: \"hello\")",
	}
	ff.Met = ff.Ratio() <= firstFrameRatio

	mem := benchfig.Figure{
		Name:  fmt.Sprintf("memory per idle session (%d on the dashboard)", sessions),
		Value: perSession(ours), Baseline: perSession(base), BaseName: helloName,
		Unit: "KB", Target: fmt.Sprintf("≤ %d KB", memPerSessionKB),
		Note: fmt.Sprintf("server RSS after − before the sessions, settled %v; ppp %.0f → %.0f KB, baseline %.0f → %.0f KB",
			p.settle, ours.rssBefore, ours.rssAfter, base.rssBefore, base.rssAfter),
	}
	mem.Met = mem.Value <= memPerSessionKB

	cpu := benchfig.Figure{
		Name:  "CPU per 100 idle sessions",
		Value: cpuPer100(ours), Baseline: cpuPer100(base), BaseName: helloName,
		Unit: "% of a core", Target: fmt.Sprintf("≤ %g %%", cpuPer100Sessions),
		Note: fmt.Sprintf("utime+stime over %v with %d idle sessions minus without any, scaled to 100; ppp %.2f %% → %.2f %%, baseline %.2f %% → %.2f %%",
			p.cpuWindow, sessions, ours.cpuNone, ours.cpuIdle, base.cpuNone, base.cpuIdle),
	}
	cpu.Met = cpu.Value <= cpuPer100Sessions

	keyNote := fmt.Sprintf("%d sessions typing 5–8 keys/s for %v into the role-request search (baseline: an echo); ppp %d keys, %d never shown; baseline %d keys, %d never shown; machine load average %.1f after ppp's typing, %.1f after the baseline's",
		sessions, p.typing, ours.typed, ours.keysLost, base.typed, base.keysLost, ours.load, base.load)
	kp50, kp99 := percentiles(ours.keys)
	bp50, bp99 := percentiles(base.keys)
	key50 := benchfig.Figure{
		Name:  fmt.Sprintf("keypress to frame p50 (%d typing)", sessions),
		Value: kp50, Baseline: bp50, BaseName: "hello echo", Unit: "ms",
		Target: fmt.Sprintf("≤ %g ms", keyP99Ms), Met: kp50 <= keyP99Ms && ours.keysLost == 0,
	}
	key99 := benchfig.Figure{
		Name:  fmt.Sprintf("keypress to frame p99 (%d typing)", sessions),
		Value: kp99, Baseline: bp99, BaseName: "hello echo", Unit: "ms",
		Target: fmt.Sprintf("≤ %g ms", keyP99Ms), Met: kp99 <= keyP99Ms && ours.keysLost == 0,
		Note: keyNote,
	}

	lp50, lp99 := percentiles(ours.live)
	np50, np99 := percentiles(ours.listen)
	cp50, cp99 := percentiles(ours.claimCalls)
	liveNote := fmt.Sprintf("%d claims through storage, timed from the call (which ends with the commit: p50 %.1f ms, p99 %.1f ms) to the holder's name on a session's queue list; baseline: the same NOTIFY on a plain pgx LISTEN connection",
		len(ours.live), cp50, cp99)
	live50 := benchfig.Figure{
		Name:  "live update of a claim p50",
		Value: lp50, Baseline: np50, BaseName: "pgx LISTEN", Unit: "ms",
		Target: fmt.Sprintf("≤ %d ms", liveP99Ms), Met: lp50 <= liveP99Ms,
	}
	live99 := benchfig.Figure{
		Name:  "live update of a claim p99",
		Value: lp99, Baseline: np99, BaseName: "pgx LISTEN", Unit: "ms",
		Target: fmt.Sprintf("≤ %d ms", liveP99Ms), Met: lp99 <= liveP99Ms,
		Note: liveNote,
	}
	return []benchfig.Figure{ff, mem, cpu, key50, key99, live50, live99}
}

// perSession is the growth of the server's RSS per session, in KB.
func perSession(r results) float64 {
	if r.sessions == 0 {
		return math.NaN()
	}
	return (r.rssAfter - r.rssBefore) / float64(r.sessions)
}

// cpuPer100 is the CPU the idle sessions add, scaled to 100 sessions; a
// negative difference (noise) counts as none.
func cpuPer100(r results) float64 {
	if r.sessions == 0 {
		return math.NaN()
	}
	return max(r.cpuIdle-r.cpuNone, 0) * 100 / float64(r.sessions)
}

// percentiles returns p50 and p99 of ds in milliseconds (NaN for none).
func percentiles(ds []time.Duration) (p50, p99 float64) {
	if len(ds) == 0 {
		return math.NaN(), math.NaN()
	}
	return benchfig.Ms(benchfig.Percentile(ds, 50)), benchfig.Ms(benchfig.Percentile(ds, 99))
}

package storage

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkChainCheck_Entry measures the Go side of a verification alone:
// one entry's canonical text and hash recomputed and compared, from the
// binary row as the database sends it. It must not allocate.
//
//	go test -run '^$' -bench ChainCheck -benchmem ./storage/
func BenchmarkChainCheck_Entry(b *testing.B) {
	const n = 1024
	at := time.Date(2026, 12, 6, 10, 0, 0, 123456000, time.UTC).UnixMicro() - pgEpochMicros
	rows := make([][][]byte, n)
	prev := make([]byte, sha256.Size)
	for i := range rows {
		seq := int64(i + 1)
		texts := [][]byte{[]byte("k.berzina12"), []byte("s0badc0de"), []byte("10.1.2.3:40222"), []byte("rolerequest.approve"),
			[]byte("role_request"), []byte("483920"), []byte("dokumenti nav pievienoti"), []byte("kind=viss state=approved version=3")}
		id := binary.BigEndian.AppendUint64(nil, 13)
		canon := appendAuditCanonical(nil, seq, at, id, texts)
		sum := sha256.Sum256(append(append([]byte(nil), prev...), canon...))
		row := [][]byte{binary.BigEndian.AppendUint64(nil, uint64(seq)), binary.BigEndian.AppendUint64(nil, uint64(at)), id}
		row = append(row, texts...)
		row = append(row, prev, sum[:])
		rows[i] = row
		prev = sum[:]
	}
	c, _ := newChainCheck(nil)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%n == 0 {
			c.want, c.prev = 1, make([]byte, sha256.Size)
		}
		if !c.entry(rows[i%n]) {
			b.Fatalf("entry %d: %s", i%n+1, c.v.Problem)
		}
	}
}

// TestAppendAuditTime_AsAppendFormat compares the verifier's own time
// formatting with the standard library's over random instants of ten
// thousand years, month ends and leap days, and both sides of 1970 and
// 2000.
func TestAppendAuditTime_AsAppendFormat(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var cases []time.Time
	for _, s := range []string{"0001-01-01T00:00:00Z", "1969-12-31T23:59:59.999999Z", "1970-01-01T00:00:00Z", "1999-12-31T23:59:59.999999Z",
		"2000-01-01T00:00:00Z", "2000-02-29T12:00:00.5Z", "2100-02-28T23:59:59Z", "2100-03-01T00:00:00Z", "2024-02-29T00:00:00.000001Z", "9999-12-31T23:59:59.999999Z"} {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, tm)
	}
	lo, hi := cases[0].UnixMicro(), cases[len(cases)-1].UnixMicro()
	for range 200_000 {
		cases = append(cases, time.UnixMicro(lo+r.Int64N(hi-lo)))
	}
	for _, tm := range cases {
		want := tm.UTC().Format(auditTimeLayout)
		if got := string(appendAuditTime(nil, tm.UnixMicro()-pgEpochMicros)); got != want {
			t.Fatalf("%v: %s, want %s", tm, got, want)
		}
	}
}

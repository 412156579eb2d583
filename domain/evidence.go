package domain

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Evidence is what a rule's verdict rests on, as a catalog key of
// domain/i18n and its arguments ("imk.ev.age": 36, 1990-06-15,
// 2027-03-01), so that each screen words it in its operator's language.
// It is stored with the evaluation as it is (key and arguments, no prose).
//
// Prose is the evidence of an evaluation stored before evidence had keys:
// English text, shown as it was written. An Evidence has a Key or Prose,
// or neither when a rule has no evidence.
type Evidence struct {
	Key   string        `json:"key,omitempty"`
	Args  []EvidenceArg `json:"args,omitempty"`
	Prose string        `json:"prose,omitempty"`
}

// ArgKind says what an EvidenceArg holds and how it is shown.
type ArgKind string

// Kinds of evidence arguments.
const (
	ArgNumber   ArgKind = "number"   // Num: an age, an LKI level, a count
	ArgDate     ArgKind = "date"     // Text: a calendar date, YYYY-MM-DD
	ArgRegister ArgKind = "register" // Text: a Register, shown by its name
	ArgText     ArgKind = "text"     // Text: a register's value (a municipality), drawn plain
)

// EvidenceArg is one argument of an Evidence message: a number in Num, or
// a date, a register or a register's text in Text, by Kind.
type EvidenceArg struct {
	Kind ArgKind `json:"kind"`
	Num  int64   `json:"num,omitempty"`
	Text string  `json:"text,omitempty"`
}

// NumberArg is n as an evidence argument.
func NumberArg(n int) EvidenceArg { return EvidenceArg{Kind: ArgNumber, Num: int64(n)} }

// DateArg is t's calendar date as an evidence argument.
func DateArg(t time.Time) EvidenceArg {
	return EvidenceArg{Kind: ArgDate, Text: t.Format(time.DateOnly)}
}

// RegisterArg names reg as an evidence argument.
func RegisterArg(reg Register) EvidenceArg { return EvidenceArg{Kind: ArgRegister, Text: string(reg)} }

// TextArg is a register's text as an evidence argument.
func TextArg(s string) EvidenceArg { return EvidenceArg{Kind: ArgText, Text: s} }

// IsZero reports whether e says nothing.
func (e Evidence) IsZero() bool { return e.Key == "" && e.Prose == "" && len(e.Args) == 0 }

// String is e for logs and tests: its key and arguments, or its prose.
// It is not for a person to read; a screen renders e through the catalogs.
func (e Evidence) String() string {
	if e.Key == "" {
		return e.Prose
	}
	var b strings.Builder
	b.WriteString(e.Key)
	for i, a := range e.Args {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(", ")
		}
		if a.Kind == ArgNumber {
			b.WriteString(strconv.FormatInt(a.Num, 10))
		} else {
			b.WriteString(a.Text)
		}
	}
	return b.String()
}

// UnmarshalJSON reads Evidence as stored now (an object) or as an
// evaluation stored before evidence had keys held it (an English string,
// kept as Prose).
func (e *Evidence) UnmarshalJSON(b []byte) error {
	if b = bytes.TrimSpace(b); len(b) > 0 && b[0] == '"' {
		*e = Evidence{}
		return json.Unmarshal(b, &e.Prose)
	}
	if string(b) == "null" {
		*e = Evidence{}
		return nil
	}
	type plain Evidence // without this method
	var v plain
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*e = Evidence(v)
	return nil
}

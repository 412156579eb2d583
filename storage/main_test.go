package storage_test

import (
	"os"
	"testing"

	"github.com/viaa/ppp/domain/passhash"
)

// TestMain lowers the cost of password hashes for this package's tests:
// they sign in and set passwords often, and under the race detector a hash
// at the real cost takes about two seconds. The parameters themselves are
// domain/passhash's tests; the one test here about a hash's duration
// (TestAuth_RefusedWithoutHashing_AnswersNoQuickerThanAHash) compares with
// the duration of the hashes it makes, whatever their cost.
func TestMain(m *testing.M) {
	restore := passhash.LowerCostForTests()
	code := m.Run()
	restore()
	os.Exit(code)
}

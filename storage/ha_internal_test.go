package storage

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestFollowPrimary_SeveralHosts_ReadWriteAndTimeoutUnlessTheURLSays: a
// URL of several hosts gets a connect timeout per host and only a host
// that accepts writes, unless it sets either itself; one host is left as
// it is. (TestFaults_PrimarySwitchover in cmd/ppp proves the switch.)
func TestFollowPrimary_SeveralHosts_ReadWriteAndTimeoutUnlessTheURLSays(t *testing.T) {
	t.Setenv("PGTARGETSESSIONATTRS", "")
	t.Setenv("PGCONNECT_TIMEOUT", "")
	for _, tc := range []struct {
		url       string
		timeout   time.Duration
		readWrite bool
	}{
		{"postgres://u@a:5432,b:5433/ppp", hostConnectTimeout, true},
		{"host=a,b port=5432,5433 dbname=ppp", hostConnectTimeout, true},
		{"postgres://u@a,b/ppp?connect_timeout=2&target_session_attrs=any", 2 * time.Second, false},
		{"postgres://u@a,b/ppp?target_session_attrs=read-write", hostConnectTimeout, true},
		{"postgres://u@a:5432/ppp", 0, false},
		{"postgres://u@a:5432/ppp?sslmode=disable", 0, false},
	} {
		cfg, err := pgx.ParseConfig(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		followPrimary(&cfg.Config, tc.url)
		if cfg.ConnectTimeout != tc.timeout || (cfg.ValidateConnect != nil) != tc.readWrite {
			t.Errorf("%s: connect timeout %v, read-write %v; want %v, %v", tc.url, cfg.ConnectTimeout, cfg.ValidateConnect != nil, tc.timeout, tc.readWrite)
		}
	}
}

package storage

import (
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// hostConnectTimeout bounds a connection attempt to each host of a
// database URL that lists several (PostgreSQL high availability) and sets
// no connect_timeout of its own: a primary that hangs, rather than
// refusing, would otherwise hold every new connection for the operating
// system's minutes before the next host is tried.
const hostConnectTimeout = 5 * time.Second

// followPrimary makes a configuration of several hosts find the primary:
// each host is given hostConnectTimeout unless the URL says otherwise,
// and, unless the URL gives target_session_attrs, only a host that
// accepts writes is used (target_session_attrs=read-write): the pool's
// writes and the change feed's LISTEN fail on a standby. url is the
// connection string cfg was parsed from (pgx cannot tell an explicit
// target_session_attrs=any from none). A configuration of one host is
// left as it is.
func followPrimary(cfg *pgconn.Config, url string) {
	several := false
	for _, fb := range cfg.Fallbacks {
		// sslmode=prefer adds a fallback of the same host without TLS.
		several = several || fb.Host != cfg.Host || fb.Port != cfg.Port
	}
	if !several {
		return
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = hostConnectTimeout
	}
	if cfg.ValidateConnect == nil && !strings.Contains(url, "target_session_attrs") && os.Getenv("PGTARGETSESSIONATTRS") == "" {
		cfg.ValidateConnect = pgconn.ValidateConnectTargetSessionAttrsReadWrite
	}
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/viaa/ppp/storage"
)

// version, revision and buildTime are set by `make build` (-ldflags -X
// main.version=… …): `git describe --always --dirty`, `git rev-parse
// HEAD` and the UTC time of the build. A plain `go build` leaves them
// empty, and the build information's module version and VCS stamp stand
// in.
var (
	version   string
	revision  string
	buildTime string
)

// versionInfo is what `ppp version` prints.
type versionInfo struct {
	Version    string `json:"version"`
	Revision   string `json:"revision"`    // the VCS commit, "+dirty" when built from a changed tree
	CommitTime string `json:"commit_time"` // the commit's time (vcs.time)
	BuildTime  string `json:"build_time"`
	Go         string `json:"go"`
	// Schema is the highest migration applied in the database, or the
	// binary's newest when the database was not reached
	// (SchemaReached false).
	Schema        int  `json:"schema"`
	SchemaReached bool `json:"schema_from_database"`
}

// readVersion reads the binary's build information.
func readVersion() versionInfo {
	v := versionInfo{Version: version, BuildTime: buildTime, Go: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v.Version == "" {
			v.Version = bi.Main.Version
		}
		dirty := false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Revision = s.Value
			case "vcs.time":
				v.CommitTime = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if dirty && v.Revision != "" {
			v.Revision += "+dirty"
		}
	}
	if v.Revision == "" {
		v.Revision = revision
	}
	for _, s := range []*string{&v.Version, &v.Revision, &v.CommitTime, &v.BuildTime} {
		if *s == "" {
			*s = "unknown"
		}
	}
	return v
}

// versionDBWait bounds `ppp version`'s question to the database.
const versionDBWait = 3 * time.Second

// runVersion prints the binary's version, commit, commit and build times,
// Go version and the schema version: the database's (PPP_DATABASE_URL,
// asked for at most 3 seconds; the private cluster is never started for
// it) or, when it is not reached, the binary's newest migration marked so.
// --format json prints the same as one JSON object.
func (m *Main) runVersion(ctx context.Context, args []string) error {
	fs := m.flags("version")
	format := fs.String("format", "text", "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return usageError{m.cat.T("cli.version.bad_format", *format)}
	}
	v := readVersion()
	v.Schema = storage.LatestMigration()
	if url := m.Env("PPP_DATABASE_URL"); url != "" {
		dctx, cancel := context.WithTimeout(ctx, versionDBWait)
		if db, err := storage.Open(dctx, url); err == nil {
			if n, err := storage.SchemaVersion(dctx, db); err == nil {
				v.Schema, v.SchemaReached = n, true
			}
			db.Close()
		}
		cancel()
	}
	if *format == "json" {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, string(b))
		return nil
	}
	schema := strconv.Itoa(v.Schema)
	if !v.SchemaReached {
		schema = m.cat.T("cli.version.schema_binary", v.Schema)
	}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.version.text", v.Version, v.Revision, v.CommitTime, v.BuildTime, v.Go, schema))
	return nil
}

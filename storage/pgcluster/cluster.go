// Package pgcluster runs a private PostgreSQL cluster from the machine's
// PostgreSQL binaries in a data folder, listening only on a Unix socket.
package pgcluster

import "context"

// Config says where the cluster lives.
type Config struct {
	DataDir string // the project's data folder (PPP_DATA_DIR); the cluster lives in DataDir/pg
	BinDir  string // PostgreSQL's bin folder; found on PATH or under /usr/lib/postgresql/*/bin when empty
}

// Cluster is a running private cluster.
type Cluster struct {
	cfg     Config
	url     string
	started bool
}

// Ensure connects to the cluster in cfg.DataDir when it is running, or
// initialises it (the first time) and starts it. Started reports which.
func Ensure(ctx context.Context, cfg Config) (*Cluster, error) {
	panic("not yet")
}

// URL is the connection URL of the cluster's "ppp" database.
func (c *Cluster) URL() string { return c.url }

// Started reports whether this process started the cluster.
func (c *Cluster) Started() bool { return c.started }

// Release stops the cluster when this process started it, and does nothing
// otherwise.
func (c *Cluster) Release(ctx context.Context) error { panic("not yet") }

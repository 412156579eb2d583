package fakes

import (
	"context"
	"slices"
	"sync"

	"github.com/viaa/ppp/domain"
)

// Dashboard is an in-memory domain.DashboardService.
type Dashboard struct {
	mu    sync.Mutex
	tiles []domain.QueueTile
	err   error
	calls int
}

// Set replaces the tiles and the error QueueTiles returns.
func (d *Dashboard) Set(tiles []domain.QueueTile, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.tiles, d.err = slices.Clone(tiles), err
}

// Calls returns how many times QueueTiles was called.
func (d *Dashboard) Calls() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.calls
}

// QueueTiles implements domain.DashboardService.
func (d *Dashboard) QueueTiles(context.Context) ([]domain.QueueTile, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls++
	return slices.Clone(d.tiles), d.err
}

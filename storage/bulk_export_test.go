package storage

import "context"

// SetAfterItem makes w call f in each item's transaction before it
// commits: a test stops a worker there as a killed server would.
func (w *BulkWorker) SetAfterItem(f func(ctx context.Context, seq int)) { w.afterItem = f }

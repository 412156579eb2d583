package storage

// SetDueHook makes sc call hook(name) after it has found sweep name due
// and before it takes the sweep's lease: the moment another instance's
// run could slip in between.
func SetDueHook(sc *Scheduler, hook func(name string)) { sc.dueHook = hook }

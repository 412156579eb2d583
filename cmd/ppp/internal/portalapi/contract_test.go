package portalapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/cmd/ppp/internal/portalapi"
)

// The contract: the OpenAPI document names every route and only routes
// that exist, and every response the handler tests see has a status the
// document declares for its route and a body its schema accepts. The
// schemas use a small subset of JSON Schema (type, properties, required,
// additionalProperties false, items, enum, minimum, maxItems, $ref),
// which validate below implements; a keyword outside it fails the test,
// so the subset cannot grow unchecked.

// document is the OpenAPI document, decoded once.
var document = func() map[string]any {
	var d map[string]any
	if err := json.Unmarshal(portalapi.OpenAPI, &d); err != nil {
		panic("openapi.json: " + err.Error())
	}
	return d
}()

// contractLog checks each response the tests see against the document.
type contractLog struct{}

var sharedLog = &contractLog{}

func (l *contractLog) record(t *testing.T, method, pattern string, r resp) {
	t.Helper()
	if pattern == "" {
		return // no route: the catch-all's 404
	}
	op := operation(method, pattern)
	if op == nil {
		t.Errorf("contract: %s %s is not in openapi.json", method, pattern)
		return
	}
	responses, _ := op["responses"].(map[string]any)
	declared, ok := responses[strconv.Itoa(r.status)].(map[string]any)
	if !ok {
		t.Errorf("contract: %s %s answered %d, which openapi.json does not declare: %s", method, pattern, r.status, r.raw)
		return
	}
	schema := jsonPath(declared, "content", "application/json", "schema")
	if schema == nil {
		return
	}
	var body any
	if err := json.Unmarshal(r.raw, &body); err != nil {
		t.Errorf("contract: %s %s %d: body is not JSON: %v", method, pattern, r.status, err)
		return
	}
	for _, p := range validate(schema, body, "$") {
		t.Errorf("contract: %s %s %d: %s\n%s", method, pattern, r.status, p, r.raw)
	}
}

// operation returns the document's operation of method on path.
func operation(method, path string) map[string]any {
	op, _ := jsonPath(document, "paths", path, strings.ToLower(method)).(map[string]any)
	return op
}

// jsonPath walks objects by key.
func jsonPath(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// resolve follows a local $ref.
func resolve(schema map[string]any) map[string]any {
	for {
		ref, ok := schema["$ref"].(string)
		if !ok {
			return schema
		}
		parts := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
		next, _ := jsonPath(document, parts...).(map[string]any)
		if next == nil {
			return map[string]any{"unresolved": ref}
		}
		schema = next
	}
}

// known are the keywords validate understands or may ignore (notes for
// people and encodings of strings).
var known = map[string]bool{"type": true, "properties": true, "required": true, "additionalProperties": true,
	"items": true, "enum": true, "minimum": true, "maxItems": true, "minLength": true, "maxLength": true, "$ref": true,
	"format": true, "description": true, "contentEncoding": true}

// validate returns what in v breaks schema, each with its place.
func validate(s any, v any, at string) []string {
	schema, _ := s.(map[string]any)
	if schema == nil {
		return []string{at + ": no schema"}
	}
	schema = resolve(schema)
	var out []string
	for k := range schema {
		if !known[k] {
			out = append(out, fmt.Sprintf("%s: schema keyword %q is outside the validated subset", at, k))
		}
	}
	if ty, ok := schema["type"].(string); ok && !hasType(ty, v) {
		return append(out, fmt.Sprintf("%s: %T is not %s", at, v, ty))
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.Contains(enum, v) {
		out = append(out, fmt.Sprintf("%s: %v is not one of %v", at, v, enum))
	}
	if min, ok := schema["minimum"].(float64); ok {
		if n, ok := v.(float64); ok && n < min {
			out = append(out, fmt.Sprintf("%s: %v < %v", at, n, min))
		}
	}
	if schema["format"] == "date-time" {
		if s, ok := v.(string); ok {
			if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
				out = append(out, fmt.Sprintf("%s: %q is not a date-time", at, s))
			}
		}
	}
	switch val := v.(type) {
	case map[string]any:
		props, _ := schema["properties"].(map[string]any)
		for _, r := range asStrings(schema["required"]) {
			if _, ok := val[r]; !ok {
				out = append(out, fmt.Sprintf("%s: %q is required", at, r))
			}
		}
		keys := make([]string, 0, len(val))
		for k := range val {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ps, ok := props[k]
			if !ok {
				if schema["additionalProperties"] == false {
					out = append(out, fmt.Sprintf("%s: %q is not in the schema", at, k))
				}
				continue
			}
			out = append(out, validate(ps, val[k], at+"."+k)...)
		}
	case []any:
		if max, ok := schema["maxItems"].(float64); ok && float64(len(val)) > max {
			out = append(out, fmt.Sprintf("%s: %d items > %v", at, len(val), max))
		}
		if items, ok := schema["items"]; ok {
			for i, it := range val {
				out = append(out, validate(items, it, at+"["+strconv.Itoa(i)+"]")...)
			}
		}
	}
	return out
}

func hasType(ty string, v any) bool {
	switch ty {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "integer":
		n, ok := v.(float64)
		return ok && n == float64(int64(n))
	case "number":
		_, ok := v.(float64)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "null":
		return v == nil
	}
	return false
}

func asStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, s := range list {
		out = append(out, s.(string))
	}
	return out
}

func TestOpenAPI_EveryRouteDocumented_NothingDocumentedUnrouted(t *testing.T) {
	api := portalapi.New(portalapi.Config{})
	if document["openapi"] != "3.1.0" {
		t.Errorf("openapi %v, want 3.1.0", document["openapi"])
	}
	routed := map[string]bool{}
	for _, rt := range api.Routes() {
		routed[rt.Method+" "+rt.Pattern] = true
		op := operation(rt.Method, rt.Pattern)
		if op == nil {
			t.Errorf("%s %s is routed but not in openapi.json", rt.Method, rt.Pattern)
			continue
		}
		if _, ok := jsonPath(op, "responses", "200").(map[string]any); !ok {
			if _, ok := jsonPath(op, "responses", "201").(map[string]any); !ok {
				t.Errorf("%s %s declares no success", rt.Method, rt.Pattern)
			}
		}
		if rt.Method == http.MethodPost {
			for _, code := range []string{"400", "401", "413", "429"} {
				if jsonPath(op, "responses", code) == nil {
					t.Errorf("%s %s does not declare %s", rt.Method, rt.Pattern, code)
				}
			}
		}
	}
	paths, _ := document["paths"].(map[string]any)
	for path, item := range paths {
		for method := range item.(map[string]any) {
			if !routed[strings.ToUpper(method)+" "+path] {
				t.Errorf("openapi.json documents %s %s, which is not routed", strings.ToUpper(method), path)
			}
		}
	}
	// Every schema of the document is in the validated subset and
	// resolves.
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok && resolve(x)["unresolved"] != nil {
				t.Errorf("%s: $ref %s does not resolve", at, ref)
			}
			for k, c := range x {
				walk(c, at+"/"+k)
			}
		case []any:
			for i, c := range x {
				walk(c, at+"/"+strconv.Itoa(i))
			}
		}
	}
	walk(document, "#")
	schemas, _ := jsonPath(document, "components", "schemas").(map[string]any)
	for name, s := range schemas {
		for k := range s.(map[string]any) {
			if !known[k] {
				t.Errorf("schema %s uses %q, outside the validated subset", name, k)
			}
		}
	}
}

// The validator itself catches what it must, or the contract test could
// pass on anything.
func TestOpenAPI_Validator_CatchesWrongBodies(t *testing.T) {
	errSchema := map[string]any{"$ref": "#/components/schemas/Error"}
	good := map[string]any{"code": "x", "message": "m", "problems": []any{map[string]any{"field": "f", "code": "c", "message": "m"}}}
	if p := validate(errSchema, good, "$"); len(p) != 0 {
		t.Fatalf("a good error body refused: %v", p)
	}
	for name, bad := range map[string]any{
		"missing message": map[string]any{"code": "x", "problems": []any{}},
		"extra field":     map[string]any{"code": "x", "message": "m", "problems": []any{}, "stack": "..."},
		"wrong type":      map[string]any{"code": 1.0, "message": "m", "problems": []any{}},
		"bad problem":     map[string]any{"code": "x", "message": "m", "problems": []any{map[string]any{"field": "f"}}},
		"not an object":   []any{},
	} {
		if p := validate(errSchema, bad, "$"); len(p) == 0 {
			t.Errorf("%s: accepted", name)
		}
	}
	st := map[string]any{"$ref": "#/components/schemas/SignInStatus"}
	if p := validate(st, map[string]any{"known": true, "allowed": true, "denials": []any{map[string]any{"ground": "32.5", "since": "yesterday"}}}, "$"); len(p) == 0 {
		t.Error("a date-time that is not one accepted")
	}
	id := map[string]any{"$ref": "#/components/schemas/Id"}
	if p := validate(id, map[string]any{"id": 1.5}, "$"); len(p) == 0 {
		t.Error("a fraction accepted as an integer")
	}
}

func TestOpenAPI_ServedWithoutToken(t *testing.T) {
	e := newEnv(t)
	r := e.call(http.MethodGet, "/v1/openapi.json", nil, "Authorization", "")
	if r.status != http.StatusOK || r.body["openapi"] != "3.1.0" {
		t.Fatalf("GET /v1/openapi.json: %d %s", r.status, r.raw[:min(len(r.raw), 200)])
	}
}

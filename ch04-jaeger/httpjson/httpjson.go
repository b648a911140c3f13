// Package httpjson is the HTTP services' JSON plumbing: bounded request bodies, answers, and
// errors that name the request's trace, so a user who gets an error can look it up.
package httpjson

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"

	"go.opentelemetry.io/otel/trace"
)

// MaxBodyBytes bounds every JSON body the HTTP services and their clients read.
const MaxBodyBytes = 64 << 10

// ErrorBody is every HTTP error's JSON: what went wrong, and the trace to look at.
type ErrorBody struct {
	Error   string `json:"error"`
	TraceID string `json:"trace_id,omitempty"`
}

// Decode reads r's body into v, at most MaxBodyBytes, and answers the client itself when it
// cannot: 413 for a body too large, 400 for anything that is not the JSON expected.
func Decode(w http.ResponseWriter, r *http.Request, v any) bool {
	body := http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		Error(w, r, http.StatusRequestEntityTooLarge, fmt.Errorf("body larger than %d bytes", MaxBodyBytes))
	case err != nil:
		Error(w, r, http.StatusBadRequest, fmt.Errorf("body is not the JSON expected: %s", describe(err)))
	case dec.More():
		Error(w, r, http.StatusBadRequest, errors.New("body has more than one JSON value"))
	default:
		return true
	}
	return false
}

// describe says what is wrong with a body in the client's terms: encoding/json's own message for
// a value of the wrong type names the server's Go type, which means nothing to a caller.
func describe(err error) string {
	var wrongType *json.UnmarshalTypeError
	if !errors.As(err, &wrongType) {
		return err.Error()
	}
	want := "an object"
	switch wrongType.Type.Kind() {
	case reflect.String:
		want = "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		want = "a number"
	case reflect.Bool:
		want = "true or false"
	case reflect.Slice, reflect.Array:
		want = "an array"
	}
	if wrongType.Field == "" {
		return fmt.Sprintf("the body is a JSON %s, want %s", wrongType.Value, want)
	}
	return fmt.Sprintf("%q is a JSON %s, want %s", wrongType.Field, wrongType.Value, want)
}

// Write answers with status and v as JSON.
func Write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client hung up: nothing left to tell it
}

// Error answers with status and a JSON error that names the request's trace.
func Error(w http.ResponseWriter, r *http.Request, status int, err error) {
	Write(w, status, ErrorBody{Error: err.Error(), TraceID: TraceID(r.Context())})
}

// TraceID is the ID of the trace the request belongs to, or "" outside a trace.
func TraceID(ctx context.Context) string {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.HasTraceID() {
		return ""
	}
	return sc.TraceID().String()
}

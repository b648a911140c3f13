package jaegerapi

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/rpc-tracing/workbook/internal/waterfall"
)

// decodeTraces reads the v3 API's answer, {"result": TracesData}, into spans. The TracesData is
// OTLP/JSON, which writes trace and span IDs as hex where protojson expects base64 (the OTLP
// specification's one exception to the protobuf JSON mapping), so the IDs are rewritten first.
func decodeTraces(body []byte) ([]Span, error) {
	var answer struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return nil, err
	}
	if len(answer.Result) == 0 {
		return nil, nil
	}
	result, err := hexIDsToBase64(answer.Result)
	if err != nil {
		return nil, err
	}
	var td tracepb.TracesData
	if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(result, &td); err != nil {
		return nil, err
	}
	var out []Span
	for _, rs := range td.GetResourceSpans() {
		service := stringValue(rs.GetResource().GetAttributes(), "service.name")
		for _, ss := range rs.GetScopeSpans() {
			for _, s := range ss.GetSpans() {
				out = append(out, toSpan(s, service))
			}
		}
	}
	return out, nil
}

// toSpan converts one OTLP span: kind and status are fields of the span, not tags.
func toSpan(s *tracepb.Span, service string) Span {
	start := time.Unix(0, int64(s.GetStartTimeUnixNano()))
	span := Span{Attributes: attributes(s.GetAttributes()), Span: waterfall.Span{
		TraceID:      hex.EncodeToString(s.GetTraceId()),
		SpanID:       hex.EncodeToString(s.GetSpanId()),
		ParentSpanID: hex.EncodeToString(s.GetParentSpanId()),
		Service:      service,
		Name:         s.GetName(),
		Kind:         kind(s.GetKind()),
		Start:        start,
		Duration:     time.Unix(0, int64(s.GetEndTimeUnixNano())).Sub(start),
	}}
	if s.GetStatus().GetCode() == tracepb.Status_STATUS_CODE_ERROR {
		span.Error = true
		span.ErrorMessage = s.GetStatus().GetMessage()
	}
	return span
}

// kind is the waterfall's name of a span kind: "server", "client", …, and "internal" when unset.
func kind(k tracepb.Span_SpanKind) string {
	if k == tracepb.Span_SPAN_KIND_UNSPECIFIED {
		return "internal"
	}
	return strings.ToLower(strings.TrimPrefix(k.String(), "SPAN_KIND_"))
}

func attributes(kvs []*commonpb.KeyValue) map[string]any {
	out := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		out[kv.GetKey()] = value(kv.GetValue())
	}
	return out
}

func value(v *commonpb.AnyValue) any {
	switch v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return v.GetStringValue()
	case *commonpb.AnyValue_IntValue:
		return v.GetIntValue()
	case *commonpb.AnyValue_DoubleValue:
		return v.GetDoubleValue()
	case *commonpb.AnyValue_BoolValue:
		return v.GetBoolValue()
	default:
		return protojson.Format(v) // arrays, maps and bytes: rare here, kept readable
	}
}

func stringValue(kvs []*commonpb.KeyValue, key string) string {
	for _, kv := range kvs {
		if kv.GetKey() == key {
			return kv.GetValue().GetStringValue()
		}
	}
	return ""
}

// idFields are the OTLP/JSON fields that hold trace and span IDs, in spans and in their links.
var idFields = map[string]bool{"traceId": true, "spanId": true, "parentSpanId": true}

// hexIDsToBase64 rewrites every ID field of an OTLP/JSON document from hex to base64.
func hexIDsToBase64(doc json.RawMessage) ([]byte, error) {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return nil, err
	}
	if err := rewriteIDs(v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

func rewriteIDs(v any) error {
	switch v := v.(type) {
	case map[string]any:
		for k, field := range v {
			if s, ok := field.(string); ok && idFields[k] {
				id, err := hex.DecodeString(s)
				if err != nil {
					return fmt.Errorf("%s %q is not hex: %w", k, s, err)
				}
				v[k] = base64.StdEncoding.EncodeToString(id)
				continue
			}
			if err := rewriteIDs(field); err != nil {
				return err
			}
		}
	case []any:
		for _, item := range v {
			if err := rewriteIDs(item); err != nil {
				return err
			}
		}
	}
	return nil
}

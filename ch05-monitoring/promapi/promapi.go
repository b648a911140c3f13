// Package promapi asks a Prometheus the questions chapter 5 needs, through its HTTP API: an
// instant PromQL query, the alerts, the exemplars of a series. (Prometheus's own Go client,
// github.com/prometheus/client_golang/api, does the same with more types; three small calls
// read more clearly here.)
package promapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// DefaultURL is chapter 5's Prometheus.
const DefaultURL = "http://127.0.0.1:9090"

// Client talks to one Prometheus.
type Client struct {
	URL  string
	HTTP *http.Client
}

// Sample is one series of an instant query's result.
type Sample struct {
	Labels map[string]string
	Value  float64
}

// Query runs an instant PromQL query now: GET /api/v1/query.
func (c Client) Query(ctx context.Context, promql string) ([]Sample, error) {
	return c.QueryAt(ctx, promql, time.Time{})
}

// QueryAt runs an instant PromQL query as of at (now if at is zero): what a rate was in the
// middle of a load, for example, asked after the load has ended.
func (c Client) QueryAt(ctx context.Context, promql string, at time.Time) ([]Sample, error) {
	var data struct {
		ResultType string `json:"resultType"`
		Result     []struct {
			Metric map[string]string `json:"metric"`
			Value  [2]any            `json:"value"`
		} `json:"result"`
	}
	q := url.Values{"query": {promql}}
	if !at.IsZero() {
		q.Set("time", strconv.FormatFloat(float64(at.UnixMilli())/1000, 'f', 3, 64))
	}
	if err := c.get(ctx, "/api/v1/query", q, &data); err != nil {
		return nil, err
	}
	if data.ResultType != "vector" {
		return nil, fmt.Errorf("query %q: want a vector, got %s", promql, data.ResultType)
	}
	out := make([]Sample, 0, len(data.Result))
	for _, r := range data.Result {
		s, _ := r.Value[1].(string)
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("query %q: value %q: %w", promql, s, err)
		}
		out = append(out, Sample{Labels: r.Metric, Value: v})
	}
	return out, nil
}

// Alert is an alert Prometheus is evaluating: pending (its condition holds, not yet for long
// enough) or firing.
type Alert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	State       string            `json:"state"`
	Value       string            `json:"value"`
}

// Alerts lists the pending and firing alerts: GET /api/v1/alerts.
func (c Client) Alerts(ctx context.Context) ([]Alert, error) {
	var data struct {
		Alerts []Alert `json:"alerts"`
	}
	err := c.get(ctx, "/api/v1/alerts", nil, &data)
	return data.Alerts, err
}

// Exemplar is a sample that points at a trace.
type Exemplar struct {
	SeriesLabels map[string]string
	Labels       map[string]string // trace_id, span_id
	Value        float64
	Time         time.Time
}

// Exemplars returns the exemplars of the series a PromQL selector picks, over [start, end]:
// GET /api/v1/query_exemplars.
func (c Client) Exemplars(ctx context.Context, selector string, start, end time.Time) ([]Exemplar, error) {
	var data []struct {
		SeriesLabels map[string]string `json:"seriesLabels"`
		Exemplars    []struct {
			Labels    map[string]string `json:"labels"`
			Value     string            `json:"value"`
			Timestamp float64           `json:"timestamp"`
		} `json:"exemplars"`
	}
	q := url.Values{"query": {selector}, "start": {unix(start)}, "end": {unix(end)}}
	if err := c.get(ctx, "/api/v1/query_exemplars", q, &data); err != nil {
		return nil, err
	}
	var out []Exemplar
	for _, series := range data {
		for _, e := range series.Exemplars {
			v, _ := strconv.ParseFloat(e.Value, 64)
			sec := int64(e.Timestamp)
			out = append(out, Exemplar{SeriesLabels: series.SeriesLabels, Labels: e.Labels, Value: v,
				Time: time.Unix(sec, int64((e.Timestamp-float64(sec))*1e9))})
		}
	}
	return out, nil
}

func unix(t time.Time) string { return strconv.FormatFloat(float64(t.UnixNano())/1e9, 'f', 3, 64) }

// get calls path and decodes the "data" of Prometheus's answer into v.
func (c Client) get(ctx context.Context, path string, q url.Values, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL+path+"?"+q.Encode(), nil)
	if err != nil {
		return err
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var body struct {
		Status string          `json:"status"`
		Data   json.RawMessage `json:"data"`
		Error  string          `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return fmt.Errorf("prometheus %s: %s: %w", path, resp.Status, err)
	}
	if body.Status != "success" {
		return fmt.Errorf("prometheus %s: %s: %s", path, resp.Status, body.Error)
	}
	return json.Unmarshal(body.Data, v)
}

package cardinality_test

import (
	"context"
	"fmt"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/ch05-monitoring/exercises/cardinality/check"
	"github.com/rpc-tracing/workbook/ch05-monitoring/solutions/cardinality"
)

// Example makes the same six calls (three students, two each) to the read service four times
// and counts what its call duration costs each time: data points in the SDK, series on /metrics.
func Example() {
	fmt.Printf("%-33s %6s %6s\n", "extra attribute", "points", "series")
	for _, c := range []struct {
		name  string
		attrs func(context.Context) []attribute.KeyValue
		opts  []sdkmetric.Option
	}{
		{"none", nil, nil},
		{"study.student", cardinality.Student, nil},
		{"study.request_id", cardinality.RequestID, nil},
		{"study.student, dropped by a View", cardinality.Student,
			[]sdkmetric.Option{sdkmetric.WithView(cardinality.DropView(check.Duration, listen.BaggageStudent))}},
	} {
		rm, err := check.Read(c.attrs, c.opts, check.Students(6)...)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-33s %6d %6d\n", c.name, len(check.Points(rm, check.Duration)), cardinality.PrometheusSeries(rm, check.Duration))
	}
	// region: output

	// Output:
	// extra attribute                   points series
	// none                                   1     17
	// study.student                          3     51
	// study.request_id                       6    102
	// study.student, dropped by a View       1     17
}

// endregion

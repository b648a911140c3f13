package load_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/load"
)

// ExampleRun sends 100 requests of DefaultMix to a stand-in for the edge that fails whatever
// ?fail= names: the round-robin makes the counts exact, every time.
func ExampleRun() {
	edge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("fail") != "" {
			http.Error(w, `{"error":"write: injected failure"}`, http.StatusBadGateway)
			return
		}
		fmt.Fprintln(w, `{"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}`)
	}))
	defer edge.Close()

	res, err := load.Run(context.Background(), load.Config{Target: edge.URL + "/api/study", Requests: 100})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("stopped by", res.Stopped)
	for _, k := range res.Kinds {
		fmt.Printf("%-13s %v\n", k.Name, k.Statuses)
	}
	// Output:
	// stopped by count
	// normal        map[200:90]
	// slow read     map[200:5]
	// failing write map[502:5]
}

func ExampleCheckTarget() {
	for _, target := range []string{
		"http://127.0.0.1:8080/api/study",
		"http://localhost:8080/api/study",
		"http://192.168.1.20:8080/api/study",
		"http://example.com/api/study",
	} {
		_, err := load.CheckTarget(target)
		fmt.Println(target, "→", err)
	}
	// Output:
	// http://127.0.0.1:8080/api/study → <nil>
	// http://localhost:8080/api/study → <nil>
	// http://192.168.1.20:8080/api/study → load: target "http://192.168.1.20:8080/api/study": host "192.168.1.20": target is not on loopback
	// http://example.com/api/study → load: target "http://example.com/api/study": host "example.com": target is not on loopback
}

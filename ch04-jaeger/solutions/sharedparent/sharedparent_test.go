package sharedparent_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch04-jaeger/exercises/sharedparent/check"
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
	"github.com/rpc-tracing/workbook/ch04-jaeger/solutions/sharedparent"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestTwoStudents runs the exercise's check against the reference solution.
func TestTwoStudents(t *testing.T) {
	check.TwoStudents(t, func(d check.Downstream) studyv1.SpeakServiceServer {
		return &sharedparent.Service{Read: d.Read, Sing: d.Sing, SingURL: d.SingURL}
	})
}

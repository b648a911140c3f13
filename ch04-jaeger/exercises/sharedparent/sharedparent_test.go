//go:build exercise

package sharedparent_test

import (
	"testing"

	"github.com/rpc-tracing/workbook/ch04-jaeger/exercises/sharedparent"
	"github.com/rpc-tracing/workbook/ch04-jaeger/exercises/sharedparent/check"
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

// TestTwoStudents runs the check against the Service in this folder, the one you edit.
func TestTwoStudents(t *testing.T) {
	check.TwoStudents(t, func(d check.Downstream) studyv1.SpeakServiceServer {
		return &sharedparent.Service{Read: d.Read, Sing: d.Sing, SingURL: d.SingURL}
	})
}

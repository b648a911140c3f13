package calcgrpc

import (
	"errors"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
)

// toStatus maps chapter 1's errors to gRPC status codes. net/rpc could only send an error's
// text; a status code is machine-readable, travels in the trailers, and ends up as the
// rpc.response.status_code attribute of both spans.
func toStatus(err error) error {
	switch {
	case errors.Is(err, calc.ErrDivisionByZero):
		return badRequest("b", "must not be zero: division by zero")
	case errors.Is(err, calc.ErrOverflow):
		return status.Error(codes.OutOfRange, err.Error())
	default:
		return status.Error(codes.Internal, err.Error())
	}
}

// badRequest is an INVALID_ARGUMENT status with a BadRequest detail naming the field at fault,
// so a client can tell which input to fix without parsing a message.
func badRequest(field, description string) error {
	st := status.New(codes.InvalidArgument, field+": "+description)
	detailed, err := st.WithDetails(&errdetails.BadRequest{
		FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: field, Description: description}},
	})
	if err != nil {
		return st.Err() // a detail that cannot be marshalled: send the status without it
	}
	return detailed.Err()
}

// FieldViolations returns the fields named by err's BadRequest details, for clients and tests.
func FieldViolations(err error) []string {
	var fields []string
	for _, d := range status.Convert(err).Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				fields = append(fields, v.GetField())
			}
		}
	}
	return fields
}

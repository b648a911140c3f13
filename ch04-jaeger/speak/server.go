// Package speak is the service that has a text read and written about at the same time, then
// answers the student: it calls read and write side by side. listen calls it over gRPC through
// Client.
package speak

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"

	"github.com/rpc-tracing/workbook/ch04-jaeger/faults"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
	"github.com/rpc-tracing/workbook/ch04-jaeger/serve"
)

// Name is the service's service.name in traces, and the value the fault knobs take for it.
const Name = "speak"

// Server is the speak service.
type Server struct {
	studyv1.UnimplementedSpeakServiceServer
	Faults faults.Knob
	Read   studyv1.ReadServiceClient
	Write  studyv1.WriteServiceClient
}

// Speak fans out to read and write in parallel. Both calls get the errgroup's context, a child
// of this call's: their spans are siblings under speak's, and the first failure cancels the other.
func (s *Server) Speak(ctx context.Context, req *studyv1.SpeakRequest) (*studyv1.SpeakResponse, error) {
	if err := s.Faults.Apply(ctx); err != nil {
		return nil, serve.GRPCStatus(err)
	}
	var (
		read  *studyv1.ReadResponse
		write *studyv1.WriteResponse
	)
	// region: fan-out
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		read, err = s.Read.Read(gctx, &studyv1.ReadRequest{Text: req.GetText()})
		return err
	})
	g.Go(func() (err error) {
		write, err = s.Write.Write(gctx, &studyv1.WriteRequest{Student: req.GetStudent(), Text: req.GetText()})
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, serve.GRPCStatus(err)
	}
	// endregion
	reply := fmt.Sprintf("%s, your %d words take %ds to read aloud. In short: %q. Sing it: %s",
		req.GetStudent(), read.GetWords(), read.GetReadingSeconds(), write.GetSummary(), write.GetSong())
	return &studyv1.SpeakResponse{Reply: reply, Read: read, Write: write}, nil
}

// NewServer returns speak's gRPC server, every call traced, calling read and write with the
// clients given.
func NewServer(p otelsetup.Providers, knob faults.Knob, read studyv1.ReadServiceClient, write studyv1.WriteServiceClient) *grpc.Server {
	srv := otelsetup.NewGRPCServer(p)
	studyv1.RegisterSpeakServiceServer(srv, &Server{Faults: knob, Read: read, Write: write})
	return srv
}

package chain

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

// SpeakServer is the speak service: it has the text read and written about at the same time,
// then answers the student.
type SpeakServer struct {
	studyv1.UnimplementedSpeakServiceServer
	Faults Faults
	Read   studyv1.ReadServiceClient
	Write  studyv1.WriteServiceClient
}

// Speak fans out to read and write in parallel. Both calls get the errgroup's context, a child
// of this call's: their spans are siblings under speak's, and the first failure cancels the other.
func (s *SpeakServer) Speak(ctx context.Context, req *studyv1.SpeakRequest) (*studyv1.SpeakResponse, error) {
	if err := s.Faults.Apply(ctx); err != nil {
		return nil, grpcError(err)
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
		return nil, grpcError(err)
	}
	// endregion
	reply := fmt.Sprintf("%s, your %d words take %ds to read aloud. In short: %q. Sing it: %s",
		req.GetStudent(), read.GetWords(), read.GetReadingSeconds(), write.GetSummary(), write.GetSong())
	return &studyv1.SpeakResponse{Reply: reply, Read: read, Write: write}, nil
}

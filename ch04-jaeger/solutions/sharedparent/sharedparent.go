// Package sharedparent is speak as the original go-jaeger-demo wrote it, with its defect fixed:
// its handler has read (gRPC) count a student's words, then has sing (HTTP) make a song of the
// text. Every call it makes is traced, and the trace of each call is the student's.
package sharedparent

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

// Service is speak's gRPC server. Read is its client of read; Sing is the HTTP client it calls
// sing at SingURL with. Both clients are made once and shared by every request; nothing else
// is, because a service serves many requests at once.
type Service struct {
	studyv1.UnimplementedSpeakServiceServer
	Read    studyv1.ReadServiceClient
	Sing    *http.Client
	SingURL string
}

// Speak answers one student: how many words their text has, and sing's song of it. The request's
// trace lives in ctx, so ctx goes down the call to every call this request makes: each request
// has its own, and no other request can change it.
func (s *Service) Speak(ctx context.Context, req *studyv1.SpeakRequest) (*studyv1.SpeakResponse, error) {
	read, err := s.Read.Read(ctx, &studyv1.ReadRequest{Text: req.GetText()})
	if err != nil {
		return nil, err
	}
	song, err := s.sing(ctx, req.GetText())
	if err != nil {
		return nil, err
	}
	return &studyv1.SpeakResponse{
		Reply: fmt.Sprintf("%s: %d words", req.GetStudent(), read.GetWords()),
		Read:  read,
		Write: &studyv1.WriteResponse{Song: song},
	}, nil
}

// sing asks sing for a song of text, in the trace (and within the deadline) of ctx.
func (s *Service) sing(ctx context.Context, text string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.SingURL, strings.NewReader(text))
	if err != nil {
		return "", err
	}
	resp, err := s.Sing.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	song, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("sing: %s", resp.Status)
	}
	return string(song), nil
}

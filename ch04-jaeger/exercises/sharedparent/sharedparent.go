// Package sharedparent is speak as the original go-jaeger-demo wrote it, cut down to one defect:
// its handler has read (gRPC) count a student's words, then has sing (HTTP) make a song of the
// text. Every call it makes is traced, and the trace of each call should be the student's.
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
// sing at SingURL with. Both clients are made once and shared by every request.
type Service struct {
	studyv1.UnimplementedSpeakServiceServer
	Read    studyv1.ReadServiceClient
	Sing    *http.Client
	SingURL string
}

// parent is the context of the request speak is serving, kept where every call can reach it
// without passing it along.
var parent context.Context

// Speak answers one student: how many words their text has, and sing's song of it.
//
// TODO: one student at a time, every trace looks right. When two students ask at the same time,
// one request's call to read or to sing turns up in the other student's trace, and
// `go test -race` reports a data race. Find out why, and fix it so that each request's calls
// stay in its own trace however many requests run at once.
func (s *Service) Speak(ctx context.Context, req *studyv1.SpeakRequest) (*studyv1.SpeakResponse, error) {
	parent = ctx
	read, err := s.Read.Read(parent, &studyv1.ReadRequest{Text: req.GetText()})
	if err != nil {
		return nil, err
	}
	song, err := s.sing(req.GetText())
	if err != nil {
		return nil, err
	}
	return &studyv1.SpeakResponse{
		Reply: fmt.Sprintf("%s: %d words", req.GetStudent(), read.GetWords()),
		Read:  read,
		Write: &studyv1.WriteResponse{Song: song},
	}, nil
}

// sing asks sing for a song of text.
func (s *Service) sing(text string) (string, error) {
	req, err := http.NewRequestWithContext(parent, http.MethodPost, s.SingURL, strings.NewReader(text))
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

package read

import (
	"strings"
	"unicode"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

// wordsPerMinute is a comfortable pace for reading aloud.
const wordsPerMinute = 150

// Analyze is read's work: it counts a text's words and sentences, finds its longest word, and
// estimates how long reading it aloud takes, with chapter 1's overflow-checked arithmetic.
func Analyze(text string) (*studyv1.ReadResponse, error) {
	words := strings.Fields(text)
	resp := &studyv1.ReadResponse{Words: int64(len(words)), Sentences: int64(countSentences(text))}
	for _, w := range words {
		w = strings.TrimFunc(w, unicode.IsPunct)
		if len([]rune(w)) > len([]rune(resp.LongestWord)) {
			resp.LongestWord = w
		}
	}
	// seconds = ceil(words × 60 / wordsPerMinute)
	scaled, err := calc.Mul(len(words), 60)
	if err != nil {
		return nil, err
	}
	if scaled, err = calc.Add(scaled, wordsPerMinute-1); err != nil {
		return nil, err
	}
	secs, err := calc.Div(scaled, wordsPerMinute)
	if err != nil {
		return nil, err
	}
	resp.ReadingSeconds = int64(secs)
	return resp, nil
}

// countSentences counts runs of . ! ? that end a sentence; a text with words but no final mark
// is one sentence.
func countSentences(text string) int {
	n, inEnd, sawWord := 0, false, false
	for _, r := range text {
		switch {
		case r == '.' || r == '!' || r == '?':
			if sawWord && !inEnd {
				n++
			}
			inEnd = true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			inEnd, sawWord = false, true
		}
	}
	if sawWord && !inEnd {
		n++
	}
	return n
}

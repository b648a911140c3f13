package read_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch04-jaeger/read"
)

func TestAnalyze(t *testing.T) {
	cases := []struct {
		text                   string
		words, sentences, secs int64
		longest                string
	}{
		{"", 0, 0, 0, ""},
		{"Hello", 1, 1, 1, "Hello"},
		{"Ada reads the notes. Then she writes a program!", 9, 2, 4, "program"},
		{"Wait... what?! Really.", 3, 3, 2, "Really"},
	}
	for _, tc := range cases {
		got, err := read.Analyze(tc.text)
		require.NoError(t, err)
		assert.Equal(t, tc.words, got.GetWords(), "%q", tc.text)
		assert.Equal(t, tc.sentences, got.GetSentences(), "%q", tc.text)
		assert.Equal(t, tc.secs, got.GetReadingSeconds(), "%q", tc.text)
		assert.Equal(t, tc.longest, got.GetLongestWord(), "%q", tc.text)
	}
}

func ExampleAnalyze() {
	m, err := read.Analyze("Ada reads the notes. Then she writes a program!")
	if err != nil {
		panic(err)
	}
	fmt.Println(m.GetWords(), "words,", m.GetSentences(), "sentences,", m.GetReadingSeconds(), "s aloud, longest:", m.GetLongestWord())
	// Output: 9 words, 2 sentences, 4 s aloud, longest: program
}

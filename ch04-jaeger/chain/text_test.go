package chain_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
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
		got, err := chain.Analyze(tc.text)
		require.NoError(t, err)
		assert.Equal(t, tc.words, got.GetWords(), "%q", tc.text)
		assert.Equal(t, tc.sentences, got.GetSentences(), "%q", tc.text)
		assert.Equal(t, tc.secs, got.GetReadingSeconds(), "%q", tc.text)
		assert.Equal(t, tc.longest, got.GetLongestWord(), "%q", tc.text)
	}
}

func TestSummarize(t *testing.T) {
	assert.Equal(t, "Ada reads the notes.", chain.Summarize("Ada reads the notes. Then she writes."))
	assert.Equal(t, "no final mark", chain.Summarize("no   final mark"))
	assert.Equal(t, "one two three four five six seven eight nine ten eleven twelve …",
		chain.Summarize("one two three four five six seven eight nine ten eleven twelve thirteen."))
}

func TestSong(t *testing.T) {
	assert.Equal(t, "la-la la la la-la", chain.Song("Ada reads the notes."))
	assert.Equal(t, "", chain.Song("tsk 123"), "no vowels, no song")
}

package write

import "strings"

// maxSummaryWords bounds a summary: the first sentence, or this many words of it.
const maxSummaryWords = 12

// Summarize is write's work: the text's first sentence, cut to maxSummaryWords words.
func Summarize(text string) string {
	first := text
	if i := strings.IndexAny(text, ".!?"); i >= 0 {
		first = text[:i+1]
	}
	words := strings.Fields(first)
	if len(words) > maxSummaryWords {
		return strings.Join(words[:maxSummaryWords], " ") + " …"
	}
	return strings.Join(words, " ")
}

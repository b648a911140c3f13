package write_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/rpc-tracing/workbook/ch04-jaeger/write"
)

func TestSummarize(t *testing.T) {
	assert.Equal(t, "Ada reads the notes.", write.Summarize("Ada reads the notes. Then she writes."))
	assert.Equal(t, "no final mark", write.Summarize("no   final mark"))
	assert.Equal(t, "one two three four five six seven eight nine ten eleven twelve …",
		write.Summarize("one two three four five six seven eight nine ten eleven twelve thirteen."))
}

func ExampleSummarize() {
	fmt.Println(write.Summarize("Ada reads the notes. Then she writes a program!"))
	// Output: Ada reads the notes.
}

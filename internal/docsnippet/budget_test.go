package docsnippet_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chapterBudget is the most words a chapter page may hold, prose and code together: what a
// newcomer reads and runs in one sitting. What does not fit goes to the chapter's deeper page.
const chapterBudget = 3500

// afternoon is the most minutes docs/README.md may promise for chapters 1–5 with their demos.
const afternoon = 4 * 60

// TestChapterPagesFitTheirBudget counts the words of every chapter page (as wc -w does:
// whitespace-separated tokens of the whole file) and fails over the budget, so the core path
// through the five chapters stays an afternoon.
func TestChapterPagesFitTheirBudget(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join(root, "docs", "ch0*-*.md"))
	require.NoError(t, err)
	require.Len(t, pages, 5, "five chapter pages")
	for _, page := range pages {
		md, err := os.ReadFile(page)
		require.NoError(t, err)
		words := len(strings.Fields(string(md)))
		assert.LessOrEqual(t, words, chapterBudget,
			"%s has %d words, over the chapter budget of %d: move design notes, costs and test inventories to docs/deeper/%s",
			filepath.Base(page), words, chapterBudget, filepath.Base(page))
	}
}

var (
	chapterHeading = regexp.MustCompile(`(?m)^## [1-5]\. `)
	takes          = regexp.MustCompile(`\*\*It takes\*\* about (\d+) minutes`)
	total          = regexp.MustCompile(`Total for chapters 1–5: \*\*(\d+) hours? (\d+) minutes\*\*`)
)

// TestTheAfternoonAddsUp reads docs/README.md's time for each of chapters 1–5 and checks that
// the total it states is their sum and stays within an afternoon.
func TestTheAfternoonAddsUp(t *testing.T) {
	md, err := os.ReadFile(filepath.Join(root, "docs", "README.md"))
	require.NoError(t, err)
	starts := chapterHeading.FindAllStringIndex(string(md), -1)
	require.Len(t, starts, 5, "docs/README.md has a section per chapter, ## 1. to ## 5.")
	sum := 0
	for i, start := range starts {
		end := len(md)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		m := takes.FindStringSubmatch(string(md[start[0]:end]))
		require.NotNil(t, m, "chapter %d's section says how long it takes (**It takes** about N minutes)", i+1)
		minutes, err := strconv.Atoi(m[1])
		require.NoError(t, err)
		sum += minutes
	}
	m := total.FindStringSubmatch(string(md))
	require.NotNil(t, m, "docs/README.md states the total for chapters 1–5")
	hours, _ := strconv.Atoi(m[1])
	minutes, _ := strconv.Atoi(m[2])
	assert.Equal(t, sum, hours*60+minutes, "the stated total is the sum of the chapters' times")
	assert.LessOrEqual(t, sum, afternoon, "chapters 1–5 fit in an afternoon")
}

package docsnippet

import (
	"strconv"
	"strings"
	"unicode"
)

// Anchors returns the "#section" anchors a markdown renderer such as GitHub's gives the headings of
// markdown: lower case, punctuation dropped, spaces turned into hyphens, and -1, -2… appended to
// repeats. Letters of every script are kept, so a Chinese heading keeps its characters (and
// drops its full-width punctuation, as GitHub does). Lines inside fenced code blocks are not headings, even when they start with '#'.
func Anchors(markdown string) map[string]bool {
	anchors := map[string]bool{}
	seen := map[string]int{}
	inFence := false
	for _, line := range strings.Split(markdown, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") {
			inFence = !inFence
			continue
		}
		if inFence || !strings.HasPrefix(line, "#") {
			continue
		}
		text := strings.TrimSpace(strings.TrimLeft(line, "#"))
		slug := slugify(text)
		if n := seen[slug]; n > 0 {
			anchors[slug+"-"+strconv.Itoa(n)] = true
		} else {
			anchors[slug] = true
		}
		seen[slug]++
	}
	return anchors
}

func slugify(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.Pc):
			b.WriteRune(r)
		}
	}
	return b.String()
}

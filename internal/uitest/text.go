package uitest

import (
	"html"
	"regexp"
	"strings"
)

var (
	invisible = regexp.MustCompile(`(?is)<(script|style|svg)\b.*?</(script|style|svg)>|<!--.*?-->`)
	tag       = regexp.MustCompile(`<[^>]*>`)
	space     = regexp.MustCompile(`\s+`)
)

// Text returns the words a person reads on a page whose DOM is dom: no markup, comments, scripts,
// styles or icons, entities decoded, every run of white space one space. Words of adjacent elements are
// kept apart.
func Text(dom string) string {
	s := invisible.ReplaceAllString(dom, " ")
	s = tag.ReplaceAllString(s, " ")
	return strings.TrimSpace(space.ReplaceAllString(html.UnescapeString(s), " "))
}

package docsnippet

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

var linkRE = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// BrokenLinks returns the relative link targets of the markdown file docPath that name no
// existing file or directory, or a "#section" that the markdown file they name (docPath itself
// for a bare "#section") has no heading for. Links with a scheme (https:, mailto:) are not checked.
func BrokenLinks(docPath string) ([]string, error) {
	doc, err := os.ReadFile(docPath)
	if err != nil {
		return nil, err
	}
	var broken []string
	for _, m := range linkRE.FindAllStringSubmatch(string(doc), -1) {
		target, anchor, _ := strings.Cut(m[1], "#")
		if strings.Contains(target, ":") {
			continue
		}
		path := docPath
		if target != "" {
			path = filepath.Join(filepath.Dir(docPath), target)
		}
		if _, err := os.Stat(path); err != nil {
			broken = append(broken, m[1])
			continue
		}
		if anchor != "" && strings.HasSuffix(path, ".md") && !hasAnchor(path, anchor) {
			broken = append(broken, m[1])
		}
	}
	return broken, nil
}

func hasAnchor(path, anchor string) bool {
	// A link to a Chinese heading may be written percent-encoded, as a browser copies it.
	if unescaped, err := url.PathUnescape(anchor); err == nil {
		anchor = unescaped
	}
	md, err := os.ReadFile(path)
	return err == nil && Anchors(string(md))[anchor]
}

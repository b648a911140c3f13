// Package alerts is chapter 5's alerts exercise: two alerts on speak's fan-out, written in
// extra.rules.yml beside this file. The Go code only carries the rules file to the check.
//
// Check your work with `make exercise EX=ch05/alerts`.
package alerts

import _ "embed"

// Rules is extra.rules.yml, the file you edit.
//
//go:embed extra.rules.yml
var Rules []byte

// Package alerts is the reference solution of chapter 5's alerts exercise: two alerts on speak's
// fan-out, in extra.rules.yml beside this file (its header explains them), unit-tested by
// extra_test.yml. The Go code only carries the rules file to the check.
package alerts

import _ "embed"

// Rules is extra.rules.yml.
//
//go:embed extra.rules.yml
var Rules []byte

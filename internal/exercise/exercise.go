// Package exercise finds the workbook's exercises and checks them, so that every exercise has the
// same loop: a stub the learner edits, one command, a test that fails until the work is right.
//
// An exercise named ex of a chapter folder chNN-slug is laid out as:
//
//	chNN-slug/exercises/ex/          the stub: compiles, its bodies say TODO
//	chNN-slug/exercises/ex/ex_test.go  "//go:build exercise": the check, run against the stub
//	chNN-slug/exercises/ex/check/    the assertions, shared with the solution's test
//	chNN-slug/solutions/ex/          the reference solution: same package and file names
//	chNN-slug/solutions/solutions_test.go  runs each exercise's check on its solution
//
// The build tag keeps the stub's failing test out of `go test ./...`; the chapter's solutions
// test runs the same assertions there. Because the solution has the stub's file names, `go test -overlay`
// can put the solution's files in place of the stub's and prove that the learner's check passes
// for the reference answer.
package exercise

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Tag is the build tag of the tests that check a stub.
const Tag = "exercise"

// Exercise is one exercise found in the tree.
type Exercise struct {
	// ID is how a learner names it: "ch02/operands".
	ID string
	// Chapter is the chapter's folder ("ch02-tracing-basics"), Name the exercise's ("operands").
	Chapter, Name string
	// Stub and Solution are the folders, relative to the module root.
	Stub, Solution string
}

// Package is the stub's package pattern for go test ("./ch02-tracing-basics/exercises/operands").
func (e Exercise) Package() string { return "./" + filepath.ToSlash(e.Stub) }

// Discover returns the exercises under root (the module root), ordered by chapter and then as
// the chapter's page lists them. A stub without its solution, or without a test carrying the
// exercise tag, is an error: an exercise that cannot be checked must not go unnoticed.
func Discover(root string) ([]Exercise, error) {
	stubs, err := filepath.Glob(filepath.Join(root, "ch*", "exercises", "*"))
	if err != nil {
		return nil, err
	}
	var found []Exercise
	var problems []error
	for _, dir := range stubs {
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			continue
		}
		ex, err := describe(root, dir)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		found = append(found, ex)
	}
	pos := pagePositions(root, found)
	sort.Slice(found, func(i, j int) bool {
		a, b := found[i], found[j]
		if a.Chapter != b.Chapter {
			return a.Chapter < b.Chapter
		}
		if pos[a.ID] != pos[b.ID] {
			return pos[a.ID] < pos[b.ID]
		}
		return a.ID < b.ID
	})
	return found, errors.Join(problems...)
}

// pagePositions says where each exercise's check command ("EX=ch05/logs") first appears on its
// chapter's page, docs/<chapter>.md, so that exercises come in the order the page teaches them.
// An exercise the page does not name comes after those it does.
func pagePositions(root string, all []Exercise) map[string]int {
	pos := make(map[string]int, len(all))
	pages := map[string]string{}
	for _, ex := range all {
		page, ok := pages[ex.Chapter]
		if !ok {
			data, _ := os.ReadFile(filepath.Join(root, "docs", ex.Chapter+".md"))
			page = string(data)
			pages[ex.Chapter] = page
		}
		pos[ex.ID] = math.MaxInt
		if loc := regexp.MustCompile(`EX=` + regexp.QuoteMeta(ex.ID) + `\b`).FindStringIndex(page); loc != nil {
			pos[ex.ID] = loc[0]
		}
	}
	return pos
}

// describe checks the layout of one stub folder and names its parts.
func describe(root, dir string) (Exercise, error) {
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return Exercise{}, err
	}
	chapter := strings.Split(filepath.ToSlash(rel), "/")[0]
	name := filepath.Base(dir)
	short, _, _ := strings.Cut(chapter, "-")
	ex := Exercise{
		ID:       short + "/" + name,
		Chapter:  chapter,
		Name:     name,
		Stub:     rel,
		Solution: filepath.Join(chapter, "solutions", name),
	}
	if info, err := os.Stat(filepath.Join(root, ex.Solution)); err != nil || !info.IsDir() {
		return ex, fmt.Errorf("%s: the stub %s has no reference solution in %s", ex.ID, ex.Stub, ex.Solution)
	}
	tagged, err := hasTaggedTest(filepath.Join(root, ex.Stub))
	if err != nil {
		return ex, err
	}
	if !tagged {
		return ex, fmt.Errorf("%s: no test in %s starts with //go:build %s, so nothing checks the stub", ex.ID, ex.Stub, Tag)
	}
	return ex, nil
}

// hasTaggedTest says whether dir holds a _test.go file built only with the exercise tag.
func hasTaggedTest(dir string) (bool, error) {
	tests, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		return false, err
	}
	for _, f := range tests {
		src, err := os.ReadFile(f)
		if err != nil {
			return false, err
		}
		if strings.HasPrefix(string(src), "//go:build "+Tag+"\n") {
			return true, nil
		}
	}
	return false, nil
}

// Find returns the exercise with the given ID, or an error that lists the IDs there are.
func Find(all []Exercise, id string) (Exercise, error) {
	var ids []string
	for _, ex := range all {
		if ex.ID == id {
			return ex, nil
		}
		ids = append(ids, ex.ID)
	}
	return Exercise{}, fmt.Errorf("no exercise %q; the exercises are: %s", id, strings.Join(ids, ", "))
}

// Next says what a learner who has just finished ex should do: the chapter's next exercise, or
// else the next chapter's page.
func Next(all []Exercise, ex Exercise) string {
	for i, e := range all {
		if e.ID == ex.ID && i+1 < len(all) && all[i+1].Chapter == ex.Chapter {
			return "make exercise EX=" + all[i+1].ID
		}
	}
	return "the chapter's recap, then the next chapter (docs/README.md lists them)"
}

// Overlay returns a `go build -overlay` file that puts the solution's files in place of the
// stub's files of the same name: its Go files, and the YAML files they embed (a rules exercise is
// a YAML file carried by go:embed). root must be absolute. The stub and the solution must have the
// same non-test Go files: a file on one side only would leave the stub half replaced; each of the
// stub's YAML files must be in the solution too.
func Overlay(root string, ex Exercise) ([]byte, error) {
	stubFiles, err := sourceFiles(filepath.Join(root, ex.Stub))
	if err != nil {
		return nil, err
	}
	solFiles, err := sourceFiles(filepath.Join(root, ex.Solution))
	if err != nil {
		return nil, err
	}
	if strings.Join(stubFiles, " ") != strings.Join(solFiles, " ") {
		return nil, fmt.Errorf("%s: the stub's files (%s) and the solution's (%s) must have the same names",
			ex.ID, strings.Join(stubFiles, " "), strings.Join(solFiles, " "))
	}
	data, err := dataFiles(filepath.Join(root, ex.Stub))
	if err != nil {
		return nil, err
	}
	replace := map[string]string{}
	for _, f := range append(stubFiles, data...) {
		sol := filepath.Join(root, ex.Solution, f)
		if _, err := os.Stat(sol); err != nil {
			return nil, fmt.Errorf("%s: the stub's %s has no counterpart in %s", ex.ID, f, ex.Solution)
		}
		replace[filepath.Join(root, ex.Stub, f)] = sol
	}
	return json.Marshal(struct{ Replace map[string]string }{replace})
}

// dataFiles lists the YAML files of dir, sorted.
func dataFiles(dir string) ([]string, error) {
	var files []string
	for _, pattern := range []string{"*.yml", "*.yaml"} {
		matches, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			return nil, err
		}
		for _, m := range matches {
			files = append(files, filepath.Base(m))
		}
	}
	sort.Strings(files)
	return files, nil
}

// sourceFiles lists the non-test Go files of dir, sorted.
func sourceFiles(dir string) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var files []string
	for _, m := range matches {
		if !strings.HasSuffix(m, "_test.go") {
			files = append(files, filepath.Base(m))
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s has no Go files", dir)
	}
	sort.Strings(files)
	return files, nil
}

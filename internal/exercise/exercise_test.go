package exercise_test

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/exercise"
)

// tree writes files (path → content) under a new temporary module root and returns the root.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	files["go.mod"] = "module example.com/book\n\ngo 1.26\n"
	for path, content := range files {
		full := filepath.Join(root, path)
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(content), 0o644))
	}
	return root
}

// addExercise is a complete exercise: a stub that returns 0, a check that wants the sum, and a
// solution that adds.
func addExercise() map[string]string {
	return map[string]string{
		"ch09-sums/exercises/add/add.go":       "package add\n\n// Add should return a+b.\nfunc Add(a, b int) int {\n\t// TODO: add them\n\treturn 0\n}\n",
		"ch09-sums/exercises/add/add_test.go":  "//go:build exercise\n\npackage add\n\nimport \"testing\"\n\nfunc TestAdd(t *testing.T) {\n\tif got := Add(2, 3); got != 5 {\n\t\tt.Errorf(\"Add(2, 3) = %d, want 5\\nhint: use +\", got)\n\t}\n}\n",
		"ch09-sums/solutions/add/add.go":       "package add\n\n// Add returns a+b.\nfunc Add(a, b int) int { return a + b }\n",
		"ch09-sums/solutions/add/add_test.go":  "package add\n\nimport \"testing\"\n\nfunc TestAdd(t *testing.T) {\n\tif Add(2, 3) != 5 {\n\t\tt.Fatal(\"wrong\")\n\t}\n}\n",
		"ch09-sums/exercises/README-not-a-dir": "",
	}
}

func TestDiscoverNamesTheParts(t *testing.T) {
	root := tree(t, addExercise())
	all, err := exercise.Discover(root)
	require.NoError(t, err)
	require.Len(t, all, 1)
	assert.Equal(t, exercise.Exercise{
		ID: "ch09/add", Chapter: "ch09-sums", Name: "add",
		Stub: filepath.Join("ch09-sums", "exercises", "add"), Solution: filepath.Join("ch09-sums", "solutions", "add"),
	}, all[0])
	assert.Equal(t, "./ch09-sums/exercises/add", all[0].Package())

	found, err := exercise.Find(all, "ch09/add")
	require.NoError(t, err)
	assert.Equal(t, all[0], found)
	_, err = exercise.Find(all, "ch09/sub")
	assert.ErrorContains(t, err, `no exercise "ch09/sub"; the exercises are: ch09/add`)
}

func TestDiscoverRefusesAnExerciseThatCannotBeChecked(t *testing.T) {
	files := addExercise()
	delete(files, "ch09-sums/solutions/add/add.go")
	delete(files, "ch09-sums/solutions/add/add_test.go")
	files["ch09-sums/exercises/sub/sub.go"] = "package sub\n"
	files["ch09-sums/exercises/sub/sub_test.go"] = "package sub\n"
	files["ch09-sums/solutions/sub/sub.go"] = "package sub\n"
	_, err := exercise.Discover(tree(t, files))
	require.Error(t, err)
	assert.ErrorContains(t, err, "ch09/add: the stub")
	assert.ErrorContains(t, err, "has no reference solution")
	assert.ErrorContains(t, err, "ch09/sub: no test in")
}

func TestOverlayPutsTheSolutionInPlaceOfTheStub(t *testing.T) {
	root := tree(t, addExercise())
	all, err := exercise.Discover(root)
	require.NoError(t, err)
	raw, err := exercise.Overlay(root, all[0])
	require.NoError(t, err)
	var overlay struct{ Replace map[string]string }
	require.NoError(t, json.Unmarshal(raw, &overlay))
	assert.Equal(t, map[string]string{
		filepath.Join(root, "ch09-sums/exercises/add/add.go"): filepath.Join(root, "ch09-sums/solutions/add/add.go"),
	}, overlay.Replace)

	require.NoError(t, os.WriteFile(filepath.Join(root, "ch09-sums/solutions/add/extra.go"), []byte("package add\n"), 0o644))
	_, err = exercise.Overlay(root, all[0])
	assert.ErrorContains(t, err, "must have the same names")
}

// TestOverlayReplacesEmbeddedYAML: a rules exercise is a YAML file a Go file embeds; the overlay
// must replace it too, and a stub's YAML file the solution lacks is an error.
func TestOverlayReplacesEmbeddedYAML(t *testing.T) {
	embed := "package rules\n\nimport _ \"embed\"\n\n//go:embed r.yml\nvar R string\n"
	root := tree(t, map[string]string{
		"ch09-sums/exercises/rules/rules.go":      embed,
		"ch09-sums/exercises/rules/r.yml":         "stub\n",
		"ch09-sums/exercises/rules/rules_test.go": "//go:build exercise\n\npackage rules\n\nimport \"testing\"\n\nfunc TestR(t *testing.T) {\n\tif R != \"solution\\n\" {\n\t\tt.Errorf(\"R = %q\", R)\n\t}\n}\n",
		"ch09-sums/solutions/rules/rules.go":      embed,
		"ch09-sums/solutions/rules/r.yml":         "solution\n",
	})
	all, err := exercise.Discover(root)
	require.NoError(t, err)
	outcome, _, err := exercise.Run(context.Background(), root, all[0], true, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, exercise.Passed, outcome, "the solution's r.yml must replace the stub's")
	outcome, _, err = exercise.Run(context.Background(), root, all[0], false, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, exercise.Failed, outcome)

	require.NoError(t, os.Remove(filepath.Join(root, "ch09-sums/solutions/rules/r.yml")))
	_, err = exercise.Overlay(root, all[0])
	assert.ErrorContains(t, err, "the stub's r.yml has no counterpart")
}

// TestRunTellsFailedFromPassedFromBroken runs the real go test on a tiny module: the untouched
// stub fails with the check's message, the solution passes, a stub that panics has panicked, and
// a stub that does not compile is broken, not failed.
func TestRunTellsFailedFromPassedFromBroken(t *testing.T) {
	root := tree(t, addExercise())
	all, err := exercise.Discover(root)
	require.NoError(t, err)
	ctx := context.Background()

	outcome, out, err := exercise.Run(ctx, root, all[0], false, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, exercise.Failed, outcome, out)
	assert.Contains(t, out, "Add(2, 3) = 0, want 5")
	assert.Contains(t, out, "hint: use +")

	outcome, out, err = exercise.Run(ctx, root, all[0], true, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, exercise.Passed, outcome, out)

	require.NoError(t, os.WriteFile(filepath.Join(root, "ch09-sums/exercises/add/add.go"), []byte("package add\n\nfunc Add(a, b int) int { return a / (b - b) }\n"), 0o644))
	outcome, out, err = exercise.Run(ctx, root, all[0], false, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, exercise.Panicked, outcome, out)
	assert.Contains(t, out, "integer divide by zero")

	require.NoError(t, os.WriteFile(filepath.Join(root, "ch09-sums/exercises/add/add.go"), []byte("package add\n\nfunc Add(a, b int) int { return a + }\n"), 0o644))
	outcome, out, err = exercise.Run(ctx, root, all[0], false, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, exercise.Broken, outcome, out)
}

// TestDiscoverOrdersAsThePageTeaches: a chapter's exercises come in the order its page names
// their check commands, whatever their names; one the page does not name comes last.
func TestDiscoverOrdersAsThePageTeaches(t *testing.T) {
	files := addExercise()
	for _, name := range []string{"sub", "mul"} {
		for path, content := range addExercise() {
			if strings.Contains(path, "/add/") {
				files[strings.ReplaceAll(path, "add", name)] = strings.ReplaceAll(content, "package add", "package "+name)
			}
		}
	}
	files["docs/ch09-sums.md"] = "First `make exercise EX=ch09/sub`, then `make exercise EX=ch09/add`.\n"
	all, err := exercise.Discover(tree(t, files))
	require.NoError(t, err)
	var ids []string
	for _, ex := range all {
		ids = append(ids, ex.ID)
	}
	assert.Equal(t, []string{"ch09/sub", "ch09/add", "ch09/mul"}, ids)
}

func TestNext(t *testing.T) {
	all := []exercise.Exercise{{ID: "ch01/a", Chapter: "ch01-x"}, {ID: "ch01/b", Chapter: "ch01-x"}, {ID: "ch02/c", Chapter: "ch02-y"}}
	assert.Equal(t, "make exercise EX=ch01/b", exercise.Next(all, all[0]))
	assert.Contains(t, exercise.Next(all, all[1]), "next chapter")
	assert.Contains(t, exercise.Next(all, all[2]), "next chapter")
}

// TestEveryExerciseOfTheWorkbookHasAReadme: each exercise folder says, beside the stub, what its
// check does and how to run it.
func TestEveryExerciseOfTheWorkbookHasAReadme(t *testing.T) {
	all, err := exercise.Discover("../..")
	require.NoError(t, err)
	require.NotEmpty(t, all)
	for _, ex := range all {
		readme, err := os.ReadFile(filepath.Join("../..", ex.Stub, "README.md"))
		if assert.NoError(t, err, "%s has no README.md", ex.ID) {
			assert.Contains(t, string(readme), "make exercise EX="+ex.ID, "%s's README says how to check it", ex.ID)
		}
	}
}

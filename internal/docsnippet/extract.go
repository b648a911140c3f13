package docsnippet

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Tag lines mark a region of a source file. In Go and protobuf files they are comments
// (// region: name … // endregion), in YAML, Makefiles and shell scripts too (# region: name
// … # endregion). Regions may nest; tag lines never appear in what a region shows.
var (
	regionRE    = regexp.MustCompile(`^\s*(?://|#) region: (\S+)\s*$`)
	endregionRE = regexp.MustCompile(`^\s*(?://|#) endregion\s*$`)
)

// Extract returns the code a snippet marker names, relative to root (the module root):
//
//	path        the whole file
//	path#name   the region tagged name in the file, or, in a Go file without such a region, the
//	            top-level declaration name (a func, a method as Type.Method, a type, or a const or
//	            var declaration with its whole group) with its doc comment
func Extract(root, ref string) (string, error) {
	path, name, _ := strings.Cut(ref, "#")
	src, err := os.ReadFile(filepath.Join(root, path))
	if err != nil {
		return "", err
	}
	if name == "" {
		return withoutTags(string(src)), nil
	}
	if code, ok, err := region(string(src), name); ok || err != nil {
		return code, err
	}
	if !strings.HasSuffix(path, ".go") {
		return "", fmt.Errorf("%s has no region %q", path, name)
	}
	return declaration(path, src, name)
}

// region returns the lines between "region: name" and its "endregion", without any tag lines
// and without blank lines at either end.
func region(src, name string) (code string, found bool, err error) {
	lines := strings.Split(src, "\n")
	start := -1
	for i, line := range lines {
		if m := regionRE.FindStringSubmatch(line); m != nil && m[1] == name {
			if start >= 0 {
				return "", true, fmt.Errorf("region %q is tagged twice", name)
			}
			start = i
		}
	}
	if start < 0 {
		return "", false, nil
	}
	var body []string
	depth := 1
	for _, line := range lines[start+1:] {
		switch {
		case regionRE.MatchString(line):
			depth++
		case endregionRE.MatchString(line):
			depth--
		default:
			body = append(body, line)
		}
		if depth == 0 {
			return trimBlankLines(body), true, nil
		}
	}
	return "", true, fmt.Errorf("region %q has no endregion", name)
}

func trimBlankLines(lines []string) string {
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n") + "\n"
}

// declaration returns the source text of the top-level declaration name, from the start of its
// doc comment to its end, exactly as the file has it.
func declaration(path string, src []byte, name string) (string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	if err != nil {
		return "", err
	}
	for _, decl := range f.Decls {
		if !declares(decl, name) {
			continue
		}
		start := decl.Pos()
		if doc := docOf(decl); doc != nil {
			start = doc.Pos()
		}
		from := fset.Position(start).Offset
		from -= fset.Position(start).Column - 1 // from the start of the line
		to := fset.Position(decl.End()).Offset
		return withoutTags(string(src[from:to])), nil
	}
	return "", fmt.Errorf("%s has no region or top-level declaration %q", path, name)
}

func docOf(decl ast.Decl) *ast.CommentGroup {
	switch d := decl.(type) {
	case *ast.FuncDecl:
		return d.Doc
	case *ast.GenDecl:
		return d.Doc
	}
	return nil
}

// declares reports whether decl declares name: Name for a func or a type, const or var (any
// name of a group), Type.Method for a method.
func declares(decl ast.Decl, name string) bool {
	switch d := decl.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil || len(d.Recv.List) == 0 {
			return d.Name.Name == name
		}
		return receiverType(d.Recv.List[0].Type)+"."+d.Name.Name == name
	case *ast.GenDecl:
		for _, spec := range d.Specs {
			switch s := spec.(type) {
			case *ast.TypeSpec:
				if s.Name.Name == name {
					return true
				}
			case *ast.ValueSpec:
				for _, n := range s.Names {
					if n.Name == name {
						return true
					}
				}
			}
		}
	}
	return false
}

func receiverType(expr ast.Expr) string {
	switch e := expr.(type) {
	case *ast.StarExpr:
		return receiverType(e.X)
	case *ast.IndexExpr:
		return receiverType(e.X)
	case *ast.IndexListExpr:
		return receiverType(e.X)
	case *ast.Ident:
		return e.Name
	}
	return ""
}

// withoutTags returns s without its region tag lines, ending in a newline.
func withoutTags(s string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	kept := lines[:0]
	for _, line := range lines {
		if !regionRE.MatchString(line) && !endregionRE.MatchString(line) {
			kept = append(kept, line)
		}
	}
	return ensureNewline(strings.Join(kept, "\n"))
}

func ensureNewline(s string) string {
	if s == "" || strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

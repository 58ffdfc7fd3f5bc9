// Command scopeoracle prints, for every identifier use in the Go packages named on the
// command line, what go/types resolves it to: a package-level object, an import name, a
// predeclared object or a local, with the local's type. Imports are not loaded (each
// one fails and becomes a fake package), so only the files themselves are checked.
//
// Output: one JSON object per file, {"file": path, "uses": [[line, col, name, kind, type]]},
// with 1-based lines and 1-based columns in UTF-16 code units.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"
)

type noImports struct{}

func (noImports) Import(path string) (*types.Package, error) {
	return nil, errors.New("imports are not loaded")
}

type fileOut struct {
	File string  `json:"file"`
	Uses [][]any `json:"uses"`
}

func main() {
	enc := json.NewEncoder(os.Stdout)
	for _, dir := range os.Args[1:] {
		bp, err := build.ImportDir(dir, 0)
		if err != nil {
			fmt.Fprintln(os.Stderr, dir, err)
			continue
		}
		fset := token.NewFileSet()
		var files []*ast.File
		srcs := map[*ast.File][]byte{}
		for _, name := range append(append([]string{}, bp.GoFiles...), bp.CgoFiles...) {
			path := filepath.Join(dir, name)
			src, err := os.ReadFile(path)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				continue
			}
			f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
			if err != nil {
				continue
			}
			files = append(files, f)
			srcs[f] = src
		}
		info := &types.Info{Uses: map[*ast.Ident]types.Object{}}
		conf := types.Config{Importer: noImports{}, FakeImportC: true, Error: func(error) {}}
		pkg, _ := conf.Check(bp.ImportPath, fset, files, info)
		qual := func(p *types.Package) string {
			if p == pkg {
				return ""
			}
			return p.Name()
		}
		for _, f := range files {
			src := srcs[f]
			out := fileOut{File: fset.File(f.Pos()).Name(), Uses: [][]any{}}
			sels := map[*ast.Ident]bool{}
			ast.Inspect(f, func(n ast.Node) bool {
				if s, ok := n.(*ast.SelectorExpr); ok {
					sels[s.Sel] = true
				}
				return true
			})
			ast.Inspect(f, func(n ast.Node) bool {
				id, ok := n.(*ast.Ident)
				if !ok || sels[id] {
					return true
				}
				obj := info.Uses[id]
				if obj == nil {
					return true
				}
				kind, typ := "local", ""
				switch {
				case obj.Pkg() == nil:
					kind = "universe"
				case isPkgName(obj):
					kind = "import"
				case obj.Parent() == pkg.Scope():
					kind = "pkg"
				default:
					if v, ok := obj.(*types.Var); ok && v.IsField() {
						kind = "field"
					}
					typ = types.TypeString(obj.Type(), qual)
				}
				p := fset.Position(id.Pos())
				out.Uses = append(out.Uses, []any{p.Line, col16(src, p.Offset, p.Column), id.Name, kind, typ})
				return true
			})
			enc.Encode(out)
		}
	}
}

func isPkgName(o types.Object) bool {
	_, ok := o.(*types.PkgName)
	return ok
}

// col16 converts a byte column to UTF-16 code units.
func col16(src []byte, off, col int) int {
	start := off - (col - 1)
	line := string(src[start:off])
	if !strings.ContainsFunc(line, func(r rune) bool { return r >= 0x80 }) {
		return col
	}
	return len(utf16.Encode([]rune(line))) + 1
}

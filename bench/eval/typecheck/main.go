// Command typecheck type-checks packages that `go build` could not compile because a
// package they import failed (go build does not type-check the dependants of a failed
// package), so that matrix.js can tell whether a finding there is right.
//
//	GOOS=… GOARCH=… go run ./bench/eval/typecheck DIR PKG...
//
// It runs `go list -e -deps -export` in DIR for the packages, imports every package that
// compiled from its export data, type-checks the others from source with go/types (the
// checker gc uses, minus the compiler's later phases), and prints the type errors of the
// named packages as `file:line:col: message`, one per line. Standard library only.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

type listed struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	CgoFiles   []string
	Export     string
	ImportMap  map[string]string
	Module     *struct{ GoVersion string }
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: typecheck DIR PKG...")
		os.Exit(2)
	}
	dir, wanted := os.Args[1], os.Args[2:]
	args := append([]string{"list", "-e", "-deps", "-export", "-json=ImportPath,Dir,GoFiles,CgoFiles,Export,ImportMap,Module"}, wanted...)
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Stderr = io.Discard
	out, err := cmd.Output()
	if err != nil && len(out) == 0 {
		fmt.Fprintln(os.Stderr, "go list:", err)
		os.Exit(2)
	}
	var pkgs []*listed
	byPath := map[string]*listed{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		p := new(listed)
		if err := dec.Decode(p); err != nil {
			fmt.Fprintln(os.Stderr, "go list output:", err)
			os.Exit(2)
		}
		pkgs = append(pkgs, p)
		byPath[p.ImportPath] = p
	}
	want := map[string]bool{}
	for _, w := range wanted {
		want[w] = true
	}

	fset := token.NewFileSet()
	gc := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		p := byPath[path]
		if p == nil || p.Export == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(p.Export)
	}).(types.ImporterFrom)
	checked := map[string]*types.Package{}
	goarch := os.Getenv("GOARCH")
	if goarch == "" {
		goarch = runtime.GOARCH
	}
	sizes := types.SizesFor("gc", goarch)

	var check func(p *listed) *types.Package
	imp := func(from *listed) types.ImporterFrom {
		return importerFunc(func(path string) (*types.Package, error) {
			if path == "unsafe" {
				return types.Unsafe, nil
			}
			if m, ok := from.ImportMap[path]; ok {
				path = m
			}
			if t, ok := checked[path]; ok {
				return t, nil
			}
			p := byPath[path]
			if p == nil {
				return nil, fmt.Errorf("package %s not listed", path)
			}
			if len(p.GoFiles)+len(p.CgoFiles) == 0 {
				// No files for the target: the go command reports it at the import.
				return nil, fmt.Errorf("no Go files for %s", path)
			}
			if p.Export != "" && !want[path] {
				return gc.ImportFrom(path, p.Dir, 0)
			}
			return check(p), nil
		})
	}
	check = func(p *listed) *types.Package {
		if t, ok := checked[p.ImportPath]; ok {
			return t
		}
		var files []*ast.File
		for _, name := range append(append([]string{}, p.GoFiles...), p.CgoFiles...) {
			f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.SkipObjectResolution)
			if err != nil {
				if want[p.ImportPath] {
					fmt.Println(err)
				}
				if f == nil {
					continue
				}
			}
			files = append(files, f)
		}
		conf := types.Config{
			Importer:    imp(p),
			Sizes:       sizes,
			FakeImportC: len(p.CgoFiles) > 0,
			Error: func(err error) {
				if want[p.ImportPath] {
					if te, ok := err.(types.Error); ok {
						fmt.Printf("%s: %s\n", te.Fset.Position(te.Pos), te.Msg)
					}
				}
			},
		}
		if p.Module != nil && p.Module.GoVersion != "" {
			conf.GoVersion = "go" + p.Module.GoVersion
		}
		t, _ := conf.Check(p.ImportPath, fset, files, nil)
		checked[p.ImportPath] = t
		return t
	}
	for _, p := range pkgs {
		if want[p.ImportPath] {
			check(p)
		}
	}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
func (f importerFunc) ImportFrom(path, _ string, _ types.ImportMode) (*types.Package, error) {
	return f(path)
}

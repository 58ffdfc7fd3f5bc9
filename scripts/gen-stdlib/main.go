// Command gen-stdlib writes the standard-library facts crossvet ships for machines
// without a Go toolchain: for every port of `go tool dist list`, which standard packages
// have Go files, what each imports, and the exported API of the public packages
// (declared names, struct fields with their types, method sets, constant values),
// computed by go/types from GOROOT's sources with that port's build context and sizes.
//
// Facts that hold on every port where a package exists are stored once; those that
// differ carry the set of ports they hold on (an index into a table of port sets).
//
// Usage: go run . -o ../../src/stdlib/stdlib.json   (from scripts/gen-stdlib)
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

type port struct {
	GOOS   string
	GOARCH string
}

func (p port) String() string { return p.GOOS + "/" + p.GOARCH }

// fact is one statement about a package on one port: "Stat_t.Blksize is a field of type int32".
type fact struct {
	Name   string // "Dup2", "Stat_t.Blksize", "Stat_t.Fd"
	Kind   string // const, var, type, func, field, method
	Detail string // const: "type value"; var and field: type; type: underlying kind
}

type portResult struct {
	exists  map[string]bool            // import path -> has Go files
	imports map[string][]string        // import path -> imports
	api     map[string]map[fact]bool   // public import path -> facts
	errs    map[string]int             // type-check errors per package
}

var (
	parseMu    sync.Mutex
	parseCache = map[string]*ast.File{}
	fset       = token.NewFileSet()
)

func parse(path string) (*ast.File, error) {
	parseMu.Lock()
	defer parseMu.Unlock()
	if f, ok := parseCache[path]; ok {
		return f, nil
	}
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	parseCache[path] = f
	return f, nil
}

// importer type-checks standard packages from source for one port, without function bodies.
type importer struct {
	ctx   build.Context
	sizes types.Sizes
	pkgs  map[string]*types.Package
	errs  map[string]int
	mu    sync.Mutex
}

func (im *importer) Import(path string) (*types.Package, error) {
	return im.ImportFrom(path, im.ctx.GOROOT+"/src", 0)
}

func (im *importer) ImportFrom(path, dir string, _ types.ImportMode) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	bp, err := im.ctx.Import(path, dir, 0)
	if err != nil {
		return nil, err
	}
	if p, ok := im.pkgs[bp.ImportPath]; ok {
		if p == nil {
			return nil, errors.New("import cycle or failed package " + bp.ImportPath)
		}
		return p, nil
	}
	im.pkgs[bp.ImportPath] = nil
	var files []*ast.File
	for _, name := range bp.GoFiles {
		f, err := parse(filepath.Join(bp.Dir, name))
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	conf := types.Config{
		Importer:         im,
		Sizes:            im.sizes,
		IgnoreFuncBodies: true,
		FakeImportC:      true,
		GoVersion:        "",
		Error:            func(error) { im.errs[bp.ImportPath]++ },
	}
	p, _ := conf.Check(bp.ImportPath, fset, files, nil)
	im.pkgs[bp.ImportPath] = p
	return p, nil
}

func public(path string) bool {
	for _, part := range strings.Split(path, "/") {
		if part == "internal" || part == "vendor" {
			return false
		}
	}
	return true
}

func collect(p port, goroot string, paths []string) portResult {
	ctx := build.Default
	ctx.GOROOT = goroot
	ctx.GOOS, ctx.GOARCH = p.GOOS, p.GOARCH
	ctx.CgoEnabled = false
	ctx.BuildTags = nil
	ctx.ToolTags = toolTags(p)
	im := &importer{ctx: ctx, sizes: types.SizesFor("gc", p.GOARCH), pkgs: map[string]*types.Package{}, errs: map[string]int{}}
	res := portResult{exists: map[string]bool{}, imports: map[string][]string{}, api: map[string]map[fact]bool{}, errs: im.errs}
	for _, path := range paths {
		bp, err := ctx.Import(path, goroot+"/src", 0)
		if err != nil {
			var noGo *build.NoGoError
			if errors.As(err, &noGo) {
				continue
			}
			fmt.Fprintf(os.Stderr, "%s: %s: %v\n", p, path, err)
			continue
		}
		res.exists[path] = true
		res.imports[path] = bp.Imports
		if !public(path) {
			continue
		}
		tp, err := im.ImportFrom(path, goroot+"/src", 0)
		if err != nil || tp == nil {
			fmt.Fprintf(os.Stderr, "%s: %s: %v\n", p, path, err)
			continue
		}
		res.api[path] = apiOf(tp)
	}
	return res
}

// toolTags are the tags the go command adds for a port by default (internal/buildcfg):
// the architecture feature level and the default experiments. Only the ones that select
// files in GOROOT matter here.
func toolTags(p port) []string {
	var tags []string
	switch p.GOARCH {
	case "amd64":
		tags = append(tags, "amd64.v1")
	case "arm":
		tags = append(tags, "arm.5", "arm.6", "arm.7")
	case "arm64":
		tags = append(tags, "arm64.v8.0")
	case "386":
		tags = append(tags, "386.sse2")
	case "ppc64", "ppc64le":
		tags = append(tags, p.GOARCH+".power8")
	case "riscv64":
		tags = append(tags, "riscv64.rva20u64")
	case "mips", "mipsle":
		tags = append(tags, p.GOARCH+".hardfloat")
	case "mips64", "mips64le":
		tags = append(tags, p.GOARCH+".hardfloat")
	}
	switch p.GOARCH {
	case "amd64", "arm64", "loong64", "ppc64le", "ppc64", "riscv64", "s390x":
		tags = append(tags, "goexperiment.regabiwrappers", "goexperiment.regabiargs")
	}
	tags = append(tags, "goexperiment.greenteagc", "goexperiment.randomizedheapbase64")
	if p.GOOS != "darwin" && p.GOOS != "ios" && p.GOOS != "aix" {
		tags = append(tags, "goexperiment.dwarf5")
	}
	return tags
}

func apiOf(p *types.Package) map[fact]bool {
	out := map[fact]bool{}
	qual := func(q *types.Package) string {
		if q == p {
			return ""
		}
		return q.Path()
	}
	scope := p.Scope()
	for _, name := range scope.Names() {
		if !ast.IsExported(name) {
			continue
		}
		switch o := scope.Lookup(name).(type) {
		case *types.Const:
			out[fact{name, "const", types.TypeString(o.Type(), qual) + " " + o.Val().ExactString()}] = true
		case *types.Var:
			out[fact{name, "var", types.TypeString(o.Type(), qual)}] = true
		case *types.Func:
			out[fact{name, "func", signature(o.Type().(*types.Signature), qual)}] = true
		case *types.TypeName:
			t := o.Type()
			out[fact{name, "type", underlyingKind(t)}] = true
			if st, ok := t.Underlying().(*types.Struct); ok {
				for fname, f := range selectableFields(st) {
					out[fact{name + "." + fname, "field", types.TypeString(f.Type(), qual)}] = true
				}
			}
			// The method set of *T includes T's and promoted methods.
			var recv types.Type = t
			if _, isIface := t.Underlying().(*types.Interface); !isIface {
				recv = types.NewPointer(t)
			}
			ms := types.NewMethodSet(recv)
			for i := 0; i < ms.Len(); i++ {
				m := ms.At(i).Obj()
				if m.Exported() {
					out[fact{name + "." + m.Name(), "method", signature(m.Type().(*types.Signature), qual)}] = true
				}
			}
		}
	}
	return out
}

// selectableFields returns the exported fields x.f selects for a value x of the struct
// type: its own and the promoted ones (Go spec, Selectors: the shallowest depth wins, and
// two at the same depth make the name ambiguous, so it is left out).
func selectableFields(st *types.Struct) map[string]*types.Var {
	out := map[string]*types.Var{}
	seen := map[string]bool{}
	level := []*types.Struct{st}
	visited := map[*types.Struct]bool{}
	for len(level) > 0 {
		found := map[string][]*types.Var{}
		var next []*types.Struct
		for _, s := range level {
			if visited[s] {
				continue
			}
			visited[s] = true
			for i := 0; i < s.NumFields(); i++ {
				f := s.Field(i)
				found[f.Name()] = append(found[f.Name()], f)
				if f.Embedded() {
					et := f.Type()
					if p, ok := et.(*types.Pointer); ok {
						et = p.Elem()
					}
					if es, ok := et.Underlying().(*types.Struct); ok {
						next = append(next, es)
					}
				}
			}
		}
		for name, fs := range found {
			if seen[name] {
				continue
			}
			seen[name] = true
			if len(fs) == 1 && fs[0].Exported() {
				out[name] = fs[0]
			}
		}
		level = next
	}
	return out
}

// signature writes a function's parameter types as "(int64, int64)" or "(string, ...any)";
// generic functions get "" (their parameter types depend on the instantiation).
func signature(sig *types.Signature, qual types.Qualifier) string {
	if sig.TypeParams().Len() > 0 || sig.RecvTypeParams().Len() > 0 {
		return ""
	}
	var parts []string
	params := sig.Params()
	for i := 0; i < params.Len(); i++ {
		t := params.At(i).Type()
		if sig.Variadic() && i == params.Len()-1 {
			parts = append(parts, "..."+types.TypeString(t.(*types.Slice).Elem(), qual))
			continue
		}
		parts = append(parts, types.TypeString(t, qual))
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func underlyingKind(t types.Type) string {
	switch u := t.Underlying().(type) {
	case *types.Struct:
		return "struct"
	case *types.Interface:
		return "interface"
	case *types.Basic:
		return u.Name()
	case *types.Pointer:
		return "pointer"
	case *types.Slice:
		return "slice"
	case *types.Array:
		return "array"
	case *types.Map:
		return "map"
	case *types.Chan:
		return "chan"
	case *types.Signature:
		return "func"
	}
	return "other"
}

// ---- output ----

type setTable struct {
	index map[string]int
	sets  []string
}

// id returns the index of a port set, written as ranges of port indexes ("0-3,7").
func (t *setTable) id(ports []int) int {
	sort.Ints(ports)
	var b strings.Builder
	for i := 0; i < len(ports); {
		j := i
		for j+1 < len(ports) && ports[j+1] == ports[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		if j > i {
			fmt.Fprintf(&b, "%d-%d", ports[i], ports[j])
		} else {
			fmt.Fprintf(&b, "%d", ports[i])
		}
		i = j + 1
	}
	key := b.String()
	if n, ok := t.index[key]; ok {
		return n
	}
	t.index[key] = len(t.sets)
	t.sets = append(t.sets, key)
	return len(t.sets) - 1
}

type pkgOut struct {
	// On is the set of ports where the package has Go files.
	On int `json:"on"`
	// Imports maps each import to the ports where it is imported; -1: wherever the package exists.
	Imports map[string]int `json:"imports,omitempty"`
	// API lists exported facts: [name, kind, detail, set]; set -1 means wherever the package exists.
	API [][]any `json:"api,omitempty"`
}

type output struct {
	GoVersion string            `json:"goVersion"`
	Generated string            `json:"generatedBy"`
	Cgo       bool              `json:"cgo"`
	Ports     []string          `json:"ports"`
	Sets      []string          `json:"sets"`
	Packages  map[string]pkgOut `json:"packages"`
}

func main() {
	out := flag.String("o", "", "output file")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: gen-stdlib -o FILE")
		os.Exit(2)
	}
	goroot := runtime.GOROOT()
	if env := os.Getenv("GOROOT"); env != "" {
		goroot = env
	}
	ports := listPorts()
	paths := listStd()
	results := make([]portResult, len(ports))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, p := range ports {
		wg.Add(1)
		go func(i int, p port) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = collect(p, goroot, paths)
			fmt.Fprintf(os.Stderr, "%s: %d packages\n", p, len(results[i].exists))
		}(i, p)
	}
	wg.Wait()

	sets := &setTable{index: map[string]int{}}
	o := output{GoVersion: goVersion(), Generated: "scripts/gen-stdlib", Cgo: false, Packages: map[string]pkgOut{}}
	for _, p := range ports {
		o.Ports = append(o.Ports, p.String())
	}
	for _, path := range paths {
		var on []int
		for i := range ports {
			if results[i].exists[path] {
				on = append(on, i)
			}
		}
		if len(on) == 0 {
			continue
		}
		po := pkgOut{On: sets.id(append([]int{}, on...))}
		imps := map[string][]int{}
		for _, i := range on {
			for _, imp := range results[i].imports[path] {
				imps[imp] = append(imps[imp], i)
			}
		}
		if len(imps) > 0 {
			po.Imports = map[string]int{}
			for imp, where := range imps {
				if len(where) == len(on) {
					po.Imports[imp] = -1
				} else {
					po.Imports[imp] = sets.id(where)
				}
			}
		}
		if public(path) {
			facts := map[fact][]int{}
			for _, i := range on {
				for f := range results[i].api[path] {
					facts[f] = append(facts[f], i)
				}
			}
			keys := make([]fact, 0, len(facts))
			for f := range facts {
				keys = append(keys, f)
			}
			sort.Slice(keys, func(a, b int) bool {
				x, y := keys[a], keys[b]
				if x.Name != y.Name {
					return x.Name < y.Name
				}
				if x.Kind != y.Kind {
					return x.Kind < y.Kind
				}
				return x.Detail < y.Detail
			})
			for _, f := range keys {
				where := facts[f]
				set := -1
				if len(where) != len(on) {
					set = sets.id(where)
				}
				po.API = append(po.API, []any{f.Name, f.Kind, f.Detail, set})
			}
		}
		o.Packages[path] = po
	}
	o.Sets = sets.sets
	for i := range ports {
		for path, n := range results[i].errs {
			if n > 0 && public(path) {
				fmt.Fprintf(os.Stderr, "warning: %s: %s: %d type errors\n", ports[i], path, n)
			}
		}
	}
	data, err := json.Marshal(o)
	if err != nil {
		panic(err)
	}
	if err := os.WriteFile(*out, append(data, '\n'), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d bytes, %d ports, %d packages, %d port sets\n", *out, len(data), len(ports), len(o.Packages), len(o.Sets))
}

func listPorts() []port {
	b, err := exec.Command("go", "tool", "dist", "list", "-json").Output()
	if err != nil {
		panic(err)
	}
	var list []port
	if err := json.Unmarshal(b, &list); err != nil {
		panic(err)
	}
	return list
}

// listStd lists every standard package directory, whatever the port: the union of `go list std` over all ports is
// the set of directories under GOROOT/src with Go files, outside testdata and cmd.
func listStd() []string {
	b, err := exec.Command("go", "list", "-e", "-f", "{{.ImportPath}}", "std").Output()
	if err != nil {
		panic(err)
	}
	seen := map[string]bool{}
	for _, l := range strings.Fields(string(b)) {
		seen[l] = true
	}
	// Packages with no files on the host are absent from the host's list: add every dir with .go files.
	root := filepath.Join(runtime.GOROOT(), "src")
	if env := os.Getenv("GOROOT"); env != "" {
		root = filepath.Join(env, "src")
	}
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			name := d.Name()
			if name == "testdata" || name == "cmd" && filepath.Dir(p) == root || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
			rel, _ := filepath.Rel(root, filepath.Dir(p))
			rel = filepath.ToSlash(rel)
			if rel != "." && !strings.HasPrefix(rel, "builtin") {
				seen[rel] = true
			}
		}
		return nil
	})
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func goVersion() string {
	b, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimSpace(string(b))
}

// atomicoracle prepares a Go module so that the toolchain itself can say which 64-bit
// atomic operations of its packages are misaligned on a 32-bit target.
//
// Usage (run with GOARCH=386 in the environment):
//
//	atomicoracle -root DIR -out FILE [patterns]
//
// DIR is a module, or a go.work workspace of several. It type-checks every package of
// DIR's modules (with export data from `go list -export`), and then, in place:
//
//   - wraps the address operand of every call of a 64-bit sync/atomic function in
//     crossvetoracle__.Addr(id, ...), which records that the call was reached and whether
//     the address was 8-byte aligned (And and Or do not panic on 386, whose LOCK
//     CMPXCHG8B takes any address, but do on arm and mips);
//   - writes crossvetoracle/probe.go in each module, the recorder, and in each package a test file
//     crossvet_oracle_test.go that performs the package's atomic operations: it calls each
//     function or method holding such a call with fresh arguments (new(T) for pointers,
//     1 for integers, four-element slices, ...), and calls each pointer method of each
//     field (at every depth, and element 1 of arrays) of a fresh new(S) for every struct S;
//     each case runs under recover and prints one CROSSVET-ORACLE line;
//   - adds TestCrossvetLayout, which prints the size, alignment and field offsets of every
//     named struct type (CROSSVET-LAYOUT lines), so that other targets can be compared.
//
// FILE receives the sites (id and position of each atomic call's operand) and the cases.
// Nothing here decides alignment: the atomic operations do, by panicking or not.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
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
	"sort"
	"strings"
)

var atomic64 = map[string]bool{}

func init() {
	for _, op := range []string{"Add", "Load", "Store", "Swap", "CompareAndSwap", "And", "Or"} {
		atomic64[op+"Int64"] = true
		atomic64[op+"Uint64"] = true
	}
}

type listedPackage struct {
	ImportPath string
	Name       string
	Dir        string
	Export     string
	GoFiles    []string
	Standard   bool
	DepOnly    bool
	Module     *struct {
		Path string
		Dir  string
		Main bool
	}
	Error *struct{ Err string }
}

type Site struct {
	ID int `json:"id"`
	// Op is the sync/atomic function called, or "call:F" for an address passed to F.
	Op   string `json:"op"`
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
	Func string `json:"func"`
	Pkg  string `json:"pkg"`
}

type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

type Case struct {
	ID   int    `json:"id"`
	Pkg  string `json:"pkg"`
	Kind string `json:"kind"` // "func" or "path"
	Text string `json:"text"`
	// Func cases: the function called (F or T.M), whose own atomic calls the case decides.
	Func string `json:"func,omitempty"`
	// Path cases: the struct the path starts at (absent for a bare new(T).M()), the fields
	// walked (their declarations), and the key of the same path without its first field.
	Start  string `json:"start,omitempty"`
	Fields []Pos  `json:"fields,omitempty"`
	Suffix string `json:"suffix,omitempty"`
	Key    string `json:"key,omitempty"`
}

type Output struct {
	Sites   []Site   `json:"sites"`
	Cases   []Case   `json:"cases"`
	Skipped []string `json:"skipped"`
}

func main() {
	root := flag.String("root", "", "module directory")
	out := flag.String("out", "", "output JSON file")
	flag.Parse()
	if *root == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: atomicoracle -root DIR -out FILE")
		os.Exit(2)
	}
	patterns := flag.Args()
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	res, err := run(*root, patterns)
	if err != nil {
		fmt.Fprintln(os.Stderr, "atomicoracle:", err)
		os.Exit(1)
	}
	data, _ := json.MarshalIndent(res, "", " ")
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "atomicoracle:", err)
		os.Exit(1)
	}
}

func goList(root string, patterns []string) ([]listedPackage, error) {
	cmd := exec.Command("go", append([]string{"list", "-e", "-export", "-deps", "-json"}, patterns...)...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	data, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v: %s", err, stderr.String())
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

type state struct {
	root     string
	modPath  string
	modDirs  map[string]string // module path -> directory, for the probes
	fset     *token.FileSet
	exports  map[string]string
	standard map[string]bool
	out      Output
	caseKeys map[string]int
	nextSite int
}

func run(root string, patterns []string) (*Output, error) {
	root, _ = filepath.Abs(root)
	pkgs, err := goList(root, patterns)
	if err != nil {
		return nil, err
	}
	st := &state{root: root, fset: token.NewFileSet(), exports: map[string]string{}, standard: map[string]bool{}, caseKeys: map[string]int{}, modDirs: map[string]string{}}
	var mine []listedPackage
	for _, p := range pkgs {
		if p.Error != nil {
			return nil, fmt.Errorf("package %s: %s", p.ImportPath, p.Error.Err)
		}
		st.exports[p.ImportPath] = p.Export
		st.standard[p.ImportPath] = p.Standard
		if p.Module != nil && p.Module.Main && !p.DepOnly {
			mine = append(mine, p)
			st.modDirs[p.Module.Path] = p.Module.Dir
		}
	}
	st.out.Sites = []Site{}
	st.out.Cases = []Case{}
	st.out.Skipped = []string{}
	for _, p := range mine {
		st.modPath = p.Module.Path
		if err := st.pkg(p); err != nil {
			return nil, err
		}
	}
	if err := st.writeProbe(); err != nil {
		return nil, err
	}
	return &st.out, nil
}

func (st *state) rel(p string) string {
	r, err := filepath.Rel(st.root, p)
	if err != nil {
		return p
	}
	return filepath.ToSlash(r)
}

func (st *state) pos(p token.Pos) Pos {
	ps := st.fset.Position(p)
	return Pos{File: st.rel(ps.Filename), Line: ps.Line, Col: ps.Column}
}

// moduleFunc names the function a call calls when it is declared outside the standard
// library (the module's own code, or a dependency's); "" for anything else.
func moduleFunc(info *types.Info, call *ast.CallExpr, standard map[string]bool) string {
	var id *ast.Ident
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		id = f.Sel
	case *ast.Ident:
		id = f
	default:
		return ""
	}
	fn, ok := info.Uses[id].(*types.Func)
	if !ok || fn.Pkg() == nil || standard[fn.Pkg().Path()] {
		return ""
	}
	return fn.Name()
}

// isWordPointer reports whether t is a pointer to a 64-bit integer.
func isWordPointer(t types.Type) bool {
	p, ok := t.(*types.Pointer)
	if !ok {
		return false
	}
	b, ok := p.Elem().Underlying().(*types.Basic)
	return ok && (b.Kind() == types.Int64 || b.Kind() == types.Uint64)
}

func calleeName(call *ast.CallExpr) string {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		return f.Sel.Name
	case *ast.Ident:
		return f.Name
	}
	return ""
}

// isAtomic64 reports whether a call's callee is one of sync/atomic's 64-bit functions.
func isAtomic64(info *types.Info, call *ast.CallExpr) bool {
	fun := ast.Unparen(call.Fun)
	var id *ast.Ident
	switch f := fun.(type) {
	case *ast.SelectorExpr:
		id = f.Sel
	case *ast.Ident:
		id = f
	default:
		return false
	}
	fn, ok := info.Uses[id].(*types.Func)
	return ok && fn.Pkg() != nil && fn.Pkg().Path() == "sync/atomic" && atomic64[fn.Name()] && len(call.Args) > 0
}

type edit struct {
	off  int
	text string
}

func (st *state) pkg(p listedPackage) error {
	var files []*ast.File
	for _, name := range p.GoFiles {
		f, err := parser.ParseFile(st.fset, filepath.Join(p.Dir, name), nil, parser.ParseComments)
		if err != nil {
			return err
		}
		files = append(files, f)
	}
	conf := types.Config{
		Importer: importer.ForCompiler(st.fset, "gc", func(path string) (io.ReadCloser, error) {
			e, ok := st.exports[path]
			if !ok || e == "" {
				return nil, fmt.Errorf("no export data for %s", path)
			}
			return os.Open(e)
		}),
		Sizes: types.SizesFor("gc", "386"),
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}, Types: map[ast.Expr]types.TypeAndValue{}}
	tpkg, err := conf.Check(p.ImportPath, st.fset, files, info)
	if err != nil {
		return fmt.Errorf("type-checking %s: %v", p.ImportPath, err)
	}
	d := &driver{st: st, pkg: tpkg, imports: map[string]string{}}
	for _, f := range files {
		var edits []edit
		for _, decl := range f.Decls {
			fd, _ := decl.(*ast.FuncDecl)
			hasSite := false
			ast.Inspect(decl, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if !isAtomic64(info, call) {
					// Addresses of 64-bit words handed to the module's own functions, which
					// may pass them on to sync/atomic: recorded too, as "call:" sites.
					callee := moduleFunc(info, call, st.standard)
					if callee == "" {
						return true
					}
					for _, arg := range call.Args {
						if !isWordPointer(info.Types[arg].Type) {
							continue
						}
						if _, isAddr := ast.Unparen(arg).(*ast.UnaryExpr); !isAddr {
							continue
						}
						st.nextSite++
						pp := st.pos(arg.Pos())
						fnName := ""
						if fd != nil {
							fnName = funcKey(fd)
						}
						st.out.Sites = append(st.out.Sites, Site{ID: st.nextSite, Op: "call:" + callee, File: pp.File, Line: pp.Line, Col: pp.Col, Func: fnName, Pkg: p.ImportPath})
						edits = append(edits,
							edit{st.fset.Position(arg.Pos()).Offset, fmt.Sprintf("crossvetoracle__.Addr(%d, ", st.nextSite)},
							edit{st.fset.Position(arg.End()).Offset, ")"})
						hasSite = true
					}
					return true
				}
				st.nextSite++
				id := st.nextSite
				arg := call.Args[0]
				fnName := ""
				if fd != nil {
					fnName = funcKey(fd)
				}
				pp := st.pos(arg.Pos())
				st.out.Sites = append(st.out.Sites, Site{ID: id, Op: calleeName(call), File: pp.File, Line: pp.Line, Col: pp.Col, Func: fnName, Pkg: p.ImportPath})
				edits = append(edits,
					edit{st.fset.Position(arg.Pos()).Offset, fmt.Sprintf("crossvetoracle__.Addr(%d, ", id)},
					edit{st.fset.Position(arg.End()).Offset, ")"})
				hasSite = true
				return true
			})
			if hasSite && fd != nil {
				d.funcCase(fd, info)
			} else if hasSite {
				st.out.Skipped = append(st.out.Skipped, fmt.Sprintf("%s: atomic call outside a function", st.pos(decl.Pos()).File))
			}
		}
		if len(edits) > 0 {
			// One import, appended to the package clause's line so that no line moves.
			edits = append(edits, edit{st.fset.Position(f.Name.End()).Offset, fmt.Sprintf("; import crossvetoracle__ %q", st.modPath+"/crossvetoracle")})
			if err := applyEdits(st.fset.Position(f.Package).Filename, edits); err != nil {
				return err
			}
		}
	}
	// Path cases and layouts: every named, non-generic struct type of the package.
	scope := tpkg.Scope()
	names := scope.Names()
	sort.Strings(names)
	for _, n := range names {
		tn, ok := scope.Lookup(n).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		named, ok := tn.Type().(*types.Named)
		if !ok || named.TypeParams().Len() > 0 {
			continue
		}
		if _, ok := named.Underlying().(*types.Struct); !ok {
			continue
		}
		d.layouts = append(d.layouts, named)
		d.paths(named, named, "new("+d.typeString(named)+")", nil, 0, map[*types.Named]bool{})
	}
	return d.write(p)
}

// funcKey names a function declaration as sites and cases refer to it: F, or T.M.
func funcKey(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		case *ast.ParenExpr:
			t = x.X
			continue
		}
		break
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fd.Name.Name
	}
	return fd.Name.Name
}

func applyEdits(file string, edits []edit) error {
	src, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].off < edits[j].off })
	var b bytes.Buffer
	last := 0
	for _, e := range edits {
		b.Write(src[last:e.off])
		b.WriteString(e.text)
		last = e.off
	}
	b.Write(src[last:])
	return os.WriteFile(file, b.Bytes(), 0o644)
}

// driver accumulates the generated test file of one package.
type driver struct {
	st      *state
	pkg     *types.Package
	imports map[string]string // path -> local name
	body    []string
	layouts []*types.Named
}

func (d *driver) qualifier(p *types.Package) string {
	if p == d.pkg {
		return ""
	}
	name, ok := d.imports[p.Path()]
	if !ok {
		name = fmt.Sprintf("imp%d_%s", len(d.imports), p.Name())
		d.imports[p.Path()] = name
	}
	return name
}

func (d *driver) typeString(t types.Type) string {
	return types.TypeString(t, d.qualifier)
}

// accessible reports whether the driver (in d.pkg) can name t.
func (d *driver) accessible(t types.Type) bool {
	ok := true
	var walk func(t types.Type, depth int)
	walk = func(t types.Type, depth int) {
		if depth > 6 || !ok {
			return
		}
		switch x := t.(type) {
		case *types.Named:
			obj := x.Obj()
			if obj.Pkg() != nil && obj.Pkg() != d.pkg && !obj.Exported() {
				ok = false
			}
			if obj.Pkg() != nil && obj.Pkg() != d.pkg && strings.Contains(obj.Pkg().Path(), "/internal") {
				ok = false
			}
			if obj.Pkg() != nil && obj.Pkg().Name() == "main" && obj.Pkg() != d.pkg {
				ok = false
			}
			for i := 0; i < x.TypeArgs().Len(); i++ {
				walk(x.TypeArgs().At(i), depth+1)
			}
		case *types.Pointer:
			walk(x.Elem(), depth+1)
		case *types.Slice:
			walk(x.Elem(), depth+1)
		case *types.Array:
			walk(x.Elem(), depth+1)
		case *types.Map:
			walk(x.Key(), depth+1)
			walk(x.Elem(), depth+1)
		case *types.Chan:
			walk(x.Elem(), depth+1)
		case *types.Struct:
			for i := 0; i < x.NumFields(); i++ {
				walk(x.Field(i).Type(), depth+1)
			}
		case *types.TypeParam:
			ok = false
		}
	}
	walk(t, 0)
	return ok
}

// arg is a fresh value for a parameter: new allocations for pointers, 1 for integers (so
// that index 1 is used), four-element slices, zero values otherwise.
func (d *driver) arg(t types.Type) (string, bool) {
	if !d.accessible(t) {
		return "", false
	}
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return "new(" + d.typeString(u.Elem()) + ")", d.accessible(u.Elem())
	case *types.Slice:
		return "make(" + d.typeString(t) + ", 4)", true
	case *types.Map:
		return "make(" + d.typeString(t) + ")", true
	case *types.Chan:
		return "make(" + d.typeString(t) + ", 1)", true
	case *types.Basic:
		if u.Info()&types.IsInteger != 0 {
			return d.typeString(t) + "(1)", true
		}
	}
	return "*new(" + d.typeString(t) + ")", true
}

func (d *driver) args(sig *types.Signature) (string, bool) {
	var parts []string
	n := sig.Params().Len()
	if sig.Variadic() {
		n--
	}
	for i := 0; i < n; i++ {
		a, ok := d.arg(sig.Params().At(i).Type())
		if !ok {
			return "", false
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, ", "), true
}

func (d *driver) addCase(c Case) {
	if c.Key == "" {
		c.Key = c.Pkg + "|" + c.Text
	}
	if _, ok := d.st.caseKeys[c.Key]; ok {
		return
	}
	c.ID = len(d.st.out.Cases) + 1
	d.st.caseKeys[c.Key] = c.ID
	d.st.out.Cases = append(d.st.out.Cases, c)
	d.body = append(d.body, fmt.Sprintf("\tcrossvetoracle__.Run(%d, func() { %s })", c.ID, c.Text))
}

// intOK: a type parameter whose constraint int satisfies is instantiated with int.
func intOK(tp *types.TypeParam) bool {
	iface, ok := tp.Constraint().Underlying().(*types.Interface)
	return ok && types.Satisfies(types.Typ[types.Int], iface)
}

func (d *driver) funcCase(fd *ast.FuncDecl, info *types.Info) {
	obj, _ := info.Defs[fd.Name].(*types.Func)
	if obj == nil || (fd.Recv == nil && (fd.Name.Name == "init" || fd.Name.Name == "main")) {
		d.st.out.Skipped = append(d.st.out.Skipped, fmt.Sprintf("%s: %s cannot be called", d.st.pos(fd.Pos()).File, fd.Name.Name))
		return
	}
	sig := obj.Type().(*types.Signature)
	skip := func(why string) {
		d.st.out.Skipped = append(d.st.out.Skipped, fmt.Sprintf("%s: %s: %s", d.st.pos(fd.Pos()).File, fd.Name.Name, why))
	}
	var text string
	if recv := sig.Recv(); recv != nil {
		rt := recv.Type()
		ptr := false
		if p, ok := rt.(*types.Pointer); ok {
			rt = p.Elem()
			ptr = true
		}
		named, ok := rt.(*types.Named)
		if !ok {
			skip("receiver is not a named type")
			return
		}
		if tps := named.TypeParams(); tps.Len() > 0 {
			var targs []types.Type
			for i := 0; i < tps.Len(); i++ {
				if !intOK(tps.At(i)) {
					skip("type parameter not instantiable with int")
					return
				}
				targs = append(targs, types.Typ[types.Int])
			}
			inst, err := types.Instantiate(nil, named.Origin(), targs, true)
			if err != nil {
				skip(err.Error())
				return
			}
			rt = inst
			// The method's signature, instantiated.
			if m, _, _ := types.LookupFieldOrMethod(types.NewPointer(inst), true, d.pkg, obj.Name()); m != nil {
				sig = m.Type().(*types.Signature)
			}
		}
		a, ok := d.args(sig)
		if !ok {
			skip("arguments cannot be made")
			return
		}
		recvText := "new(" + d.typeString(rt) + ")"
		if !ptr {
			recvText = "(*" + recvText + ")"
		}
		text = fmt.Sprintf("%s.%s(%s)", recvText, obj.Name(), a)
	} else {
		name := obj.Name()
		if tps := sig.TypeParams(); tps.Len() > 0 {
			var targs []types.Type
			var names []string
			for i := 0; i < tps.Len(); i++ {
				if !intOK(tps.At(i)) {
					skip("type parameter not instantiable with int")
					return
				}
				targs = append(targs, types.Typ[types.Int])
				names = append(names, "int")
			}
			inst, err := types.Instantiate(nil, sig, targs, true)
			if err != nil {
				skip(err.Error())
				return
			}
			sig = inst.(*types.Signature)
			name += "[" + strings.Join(names, ", ") + "]"
		}
		a, ok := d.args(sig)
		if !ok {
			skip("arguments cannot be made")
			return
		}
		text = fmt.Sprintf("%s(%s)", name, a)
	}
	d.addCase(Case{Pkg: d.pkg.Path(), Kind: "func", Text: text, Func: funcKey(fd)})
}

// paths adds, for the struct at expr (of type t, reached from start through fields), a
// case per pointer method of each field's type, and recurses into value fields.
func (d *driver) paths(start *types.Named, t types.Type, expr string, fields []fieldStep, depth int, seen map[*types.Named]bool) {
	if depth > 3 {
		return
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return
	}
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		if f.Name() == "_" || (!f.Exported() && f.Pkg() != d.pkg) {
			continue
		}
		ft := f.Type()
		step := fieldStep{name: f.Name(), pos: d.st.pos(f.Pos()), typ: ft}
		sub := expr + "." + f.Name()
		if arr, ok := ft.Underlying().(*types.Array); ok && arr.Len() >= 1 {
			// Elements 0 and 1 of an array field.
			for _, idx := range []int{0, 1} {
				if int64(idx) >= arr.Len() {
					continue
				}
				el := fieldStep{name: fmt.Sprintf("%s[%d]", f.Name(), idx), pos: step.pos, typ: arr.Elem(), index: true}
				d.fieldMethods(start, arr.Elem(), fmt.Sprintf("%s[%d]", sub, idx), append(append([]fieldStep{}, fields...), el))
				d.paths(start, arr.Elem(), fmt.Sprintf("%s[%d]", sub, idx), append(append([]fieldStep{}, fields...), el), depth+1, seen)
			}
			continue
		}
		path := append(append([]fieldStep{}, fields...), step)
		d.fieldMethods(start, ft, sub, path)
		if n, ok := ft.(*types.Named); ok {
			if seen[n] {
				continue
			}
			seen2 := map[*types.Named]bool{n: true}
			for k, v := range seen {
				seen2[k] = v
			}
			d.paths(start, ft, sub, path, depth+1, seen2)
		} else if _, ok := ft.(*types.Struct); ok {
			d.paths(start, ft, sub, path, depth+1, seen)
		}
	}
}

type fieldStep struct {
	name  string
	pos   Pos
	typ   types.Type
	index bool
}

// fieldMethods adds a case per operation on t (a named type of this module, not of the
// standard library): each pointer method, and each function of t's package whose first
// parameter is *t, applied to the field reached by expr; and the same operation on a fresh
// value of the type the path's first field holds (the path's suffix), to compare with.
func (d *driver) fieldMethods(start *types.Named, t types.Type, expr string, path []fieldStep) {
	named, ok := t.(*types.Named)
	if !ok || named.Obj().Pkg() == nil || d.st.standard[named.Obj().Pkg().Path()] || named.TypeParams().Len() > 0 && named.TypeArgs().Len() == 0 {
		return
	}
	for _, tmpl := range d.callsOn(named) {
		var fields []Pos
		var names []string
		for _, s := range path {
			fields = append(fields, s.pos)
			names = append(names, s.name)
		}
		key := d.typeKey(start) + "." + strings.Join(names, ".") + "|" + tmpl
		suffix := ""
		// Without the first field: the same walk from a fresh value of its type (for an
		// array element, a fresh element).
		if fn, ok := path[0].typ.(*types.Named); ok && d.accessible(fn) {
			rest := names[1:]
			suffix = d.typeKey(fn) + "." + strings.Join(rest, ".") + "|" + tmpl
			base := "(*new(" + d.typeString(fn) + "))"
			for _, r := range rest {
				base += "." + r
			}
			d.addCase(Case{Pkg: d.pkg.Path(), Kind: "path", Text: fmt.Sprintf(tmpl, base), Start: d.typeKey(fn), Fields: d.posList(path[1:]), Key: suffix})
		}
		d.addCase(Case{Pkg: d.pkg.Path(), Kind: "path", Text: fmt.Sprintf(tmpl, expr), Start: d.typeKey(start), Fields: fields, Suffix: suffix, Key: key})
	}
}

// callsOn lists the operations on an addressable value of type named, as templates with %s
// for the value: its pointer methods, and functions of its package taking *named first.
func (d *driver) callsOn(named *types.Named) []string {
	var out []string
	ms := types.NewMethodSet(types.NewPointer(named))
	for i := 0; i < ms.Len(); i++ {
		m := ms.At(i).Obj().(*types.Func)
		if !m.Exported() && m.Pkg() != d.pkg {
			continue
		}
		sig := m.Type().(*types.Signature)
		if _, isPtr := sig.Recv().Type().(*types.Pointer); !isPtr {
			continue
		}
		if a, ok := d.args(sig); ok {
			out = append(out, "%s."+m.Name()+"("+strings.ReplaceAll(a, "%", "%%")+")")
		}
	}
	pkg := named.Obj().Pkg()
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		fn, ok := scope.Lookup(name).(*types.Func)
		if !ok || (!fn.Exported() && pkg != d.pkg) {
			continue
		}
		sig := fn.Type().(*types.Signature)
		if sig.TypeParams().Len() > 0 || sig.Params().Len() == 0 || !types.Identical(sig.Params().At(0).Type(), types.NewPointer(named)) {
			continue
		}
		rest := types.NewSignatureType(nil, nil, nil, types.NewTuple(tupleVars(sig.Params())[1:]...), sig.Results(), sig.Variadic())
		a, ok := d.args(rest)
		if !ok {
			continue
		}
		callee := name
		if pkg != d.pkg {
			callee = d.qualifier(pkg) + "." + name
		}
		args := "&%s"
		if a != "" {
			args += ", " + strings.ReplaceAll(a, "%", "%%")
		}
		out = append(out, callee+"("+args+")")
	}
	return out
}

func tupleVars(t *types.Tuple) []*types.Var {
	out := make([]*types.Var, t.Len())
	for i := range out {
		out[i] = t.At(i)
	}
	return out
}

func (d *driver) posList(steps []fieldStep) []Pos {
	out := []Pos{}
	for _, s := range steps {
		out = append(out, s.pos)
	}
	return out
}

func (d *driver) typeKey(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string { return p.Path() })
}

func (d *driver) write(p listedPackage) error {
	var b strings.Builder
	fmt.Fprintf(&b, "package %s\n\nimport (\n\t\"fmt\"\n\t\"testing\"\n\t\"unsafe\"\n\n\tcrossvetoracle__ %q\n", p.Name, d.st.modPath+"/crossvetoracle")
	var lines []string
	lines = append(lines, "func TestCrossvetLayout(t *testing.T) {")
	for i, n := range d.layouts {
		if !d.accessible(n) {
			continue
		}
		st := n.Underlying().(*types.Struct)
		lines = append(lines, fmt.Sprintf("\tvar v%d %s", i, d.typeString(n)))
		args := fmt.Sprintf("%q, unsafe.Sizeof(v%d), unsafe.Alignof(v%d)", d.typeKey(n), i, i)
		format := "CROSSVET-LAYOUT {\"type\":%q,\"size\":%d,\"align\":%d,\"offsets\":{"
		var parts []string
		for j := 0; j < st.NumFields(); j++ {
			f := st.Field(j)
			if f.Name() == "_" {
				continue
			}
			parts = append(parts, fmt.Sprintf("%q:%%d", f.Name()))
			args += fmt.Sprintf(", unsafe.Offsetof(v%d.%s)", i, f.Name())
		}
		format += strings.Join(parts, ",") + "}}\n"
		lines = append(lines, fmt.Sprintf("\tfmt.Printf(%q, %s)", format, args))
	}
	lines = append(lines, "}", "", "func TestCrossvetOracle(t *testing.T) {")
	lines = append(lines, d.body...)
	lines = append(lines, "}")
	paths := make([]string, 0, len(d.imports))
	for path := range d.imports {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	body := strings.Join(lines, "\n")
	for _, path := range paths {
		// Only the imports some generated line uses (a deduplicated case may have named one).
		if strings.Contains(body, d.imports[path]+".") {
			fmt.Fprintf(&b, "\t%s %q\n", d.imports[path], path)
		}
	}
	b.WriteString(")\n\nvar _ = fmt.Sprint\nvar _ unsafe.Pointer\nvar _ = crossvetoracle__.Run\n\n")
	b.WriteString(strings.Join(lines, "\n") + "\n")
	return os.WriteFile(filepath.Join(p.Dir, "crossvet_oracle_test.go"), []byte(b.String()), 0o644)
}

const probe = `// Package crossvetoracle records which atomic operations a test reached and how it ended.
package crossvetoracle

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
)

var (
	mu         sync.Mutex
	reached    map[int]int
	misaligned map[int]int
	last       int
)

// Addr notes that the atomic call with this id is about to run, and whether the address
// it is given is 8-byte aligned; it returns the address.
func Addr[P any](id int, p P) P {
	mu.Lock()
	reached[id]++
	if reflect.ValueOf(p).Pointer()%8 != 0 {
		misaligned[id]++
	}
	last = id
	mu.Unlock()
	return p
}

// Run performs one case and prints what happened.
func Run(id int, f func()) {
	mu.Lock()
	reached = map[int]int{}
	misaligned = map[int]int{}
	last = 0
	mu.Unlock()
	defer func() {
		r := recover()
		msg := ""
		if r != nil {
			msg = fmt.Sprint(r)
		}
		mu.Lock()
		out, _ := json.Marshal(map[string]any{"case": id, "reached": reached, "misaligned": misaligned, "last": last, "panic": msg, "unaligned": strings.Contains(msg, "unaligned 64-bit atomic operation")})
		mu.Unlock()
		fmt.Fprintf(os.Stdout, "CROSSVET-ORACLE %s\n", out)
	}()
	f()
}
`

// writeProbe writes the recorder package into each module (a workspace may hold several).
func (st *state) writeProbe() error {
	for _, mdir := range st.modDirs {
		dir := filepath.Join(mdir, "crossvetoracle")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "probe.go"), []byte(probe), 0o644); err != nil {
			return err
		}
	}
	return nil
}

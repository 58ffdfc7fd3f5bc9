// atomicoracle lists every 64-bit sync/atomic access of a module with its offset from the
// start of its allocation, computed by go/types with the gc compiler's sizes for one GOARCH
// (types.SizesFor("gc", GOARCH): the layout the compiler uses, including the 8-byte
// alignment of atomic.Int64/Uint64). It is the truth the evaluation in ../README.md compares
// crossvet, go vet and staticcheck against.
//
//	cd MODULE && GOARCH=386 atomicoracle ./... > oracle.jsonl
//
// One JSON object per line and per access:
//
//	{"pos":"file.go:12:2","via":"","offset":4,"stride":false,"misaligned":true,
//	 "fields":["file.go:30:2", ...],"path":"T.a.b","known":true}
//
// An access is an atomic call whose operand is `&x.f...`, `&a[i]`, a conversion of one, or a
// call of a function or method that hands one of its pointer parameters (or its receiver) to
// a 64-bit atomic function, with the address it is given at the call. `via` names that
// function. `fields` are the declarations of the fields on the way from the allocation to the
// word, so a finding placed at a field declaration can be matched. Operands that are plain
// pointers made elsewhere (a parameter, a field holding a pointer, a call's result) are taken
// to point to the start of an allocation, which is 8-byte aligned; accesses through a type
// parameter's layout are "known":false.
package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	"golang.org/x/tools/go/packages"
)

var atomic64 = regexp.MustCompile(`^(Add|Load|Store|Swap|CompareAndSwap|And|Or)(Int64|Uint64)$`)

// place is where a word is: `param` ≥ -1 when it is relative to what a parameter (−1: the
// receiver) points to, -2 when relative to the start of an allocation.
type place struct {
	param   int
	offset  int64
	stride  bool // a variable index with a stride that is not a multiple of 8
	fields  []*types.Var
	path    string
	unknown bool
	opaque  bool
}

const alloc = -2

// need: the function hands param's pointee + offset to a 64-bit atomic function.
type need struct {
	param  int
	offset int64
	stride bool
	fields []*types.Var
	path   string
	op     string
}

type access struct {
	Pos        string   `json:"pos"`
	Via        string   `json:"via"`
	Op         string   `json:"op"`
	Offset     int64    `json:"offset"`
	Stride     bool     `json:"stride"`
	Misaligned bool     `json:"misaligned"`
	Known      bool     `json:"known"`
	Fields     []string `json:"fields"`
	Path       string   `json:"path"`
	// Param: the offset is from what a parameter or the receiver points to, taken as the
	// start of an allocation (callers that pass an inner address are listed on their own).
	Param bool `json:"param"`
}

type oracle struct {
	fset  *token.FileSet
	sizes types.Sizes
	root  string
	needs map[*types.Func][]need
	out   map[string]access
	info  *types.Info
	sig   *types.Signature
	recv  *types.Var
	// locals: the one expression each local of the current function is given.
	locals map[*types.Var]ast.Expr
	busy   map[*types.Var]bool
}

func main() {
	arch := os.Getenv("GOARCH")
	if arch == "" {
		arch = "386"
	}
	cfg := &packages.Config{
		Fset:  token.NewFileSet(),
		Mode:  packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo | packages.NeedImports,
		Tests: true,
		Env:   append(os.Environ(), "GOARCH="+arch, "CGO_ENABLED=0"),
	}
	pkgs, err := packages.Load(cfg, os.Args[1:]...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	root, _ := os.Getwd()
	o := &oracle{fset: cfg.Fset, sizes: types.SizesFor("gc", arch), root: root, needs: map[*types.Func][]need{}, out: map[string]access{}}
	// Needs grow through wrappers of wrappers: a few rounds reach a fixed point.
	for round := 0; round < 6; round++ {
		before := o.count()
		o.walk(pkgs, false)
		if o.count() == before && round > 0 {
			break
		}
	}
	o.walk(pkgs, true)
	keys := make([]string, 0, len(o.out))
	for k := range o.out {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	enc := json.NewEncoder(os.Stdout)
	for _, k := range keys {
		enc.Encode(o.out[k])
	}
}

func (o *oracle) count() int {
	n := 0
	for _, l := range o.needs {
		n += len(l)
	}
	return n
}

func (o *oracle) walk(pkgs []*packages.Package, record bool) {
	for _, p := range pkgs {
		if p.TypesInfo == nil {
			continue
		}
		o.info = p.TypesInfo
		for _, f := range p.Syntax {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				fn, _ := o.info.Defs[fd.Name].(*types.Func)
				if fn == nil {
					continue
				}
				o.sig = fn.Type().(*types.Signature)
				o.recv = o.sig.Recv()
				o.collectLocals(fd.Body)
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					if c, ok := n.(*ast.CallExpr); ok {
						o.call(fn, c, record)
					}
					return true
				})
			}
		}
	}
}

func (o *oracle) rel(p token.Pos) string {
	pos := o.fset.Position(p)
	r, err := filepath.Rel(o.root, pos.Filename)
	if err != nil {
		r = pos.Filename
	}
	return fmt.Sprintf("%s:%d:%d", r, pos.Line, pos.Column)
}

func (o *oracle) call(caller *types.Func, c *ast.CallExpr, record bool) {
	// sync/atomic's 64-bit functions.
	if sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok {
		if f, ok := o.info.Uses[sel.Sel].(*types.Func); ok && f.Pkg() != nil && f.Pkg().Path() == "sync/atomic" && atomic64.MatchString(f.Name()) && len(c.Args) > 0 {
			pl := o.addr(c.Args[0])
			o.use(caller, c, pl, need{param: 0, op: f.Name()}, "", record)
			return
		}
	}
	callee, recvExpr := o.callee(c)
	if callee == nil {
		return
	}
	for _, n := range o.needs[callee] {
		var pl place
		if n.param == -1 {
			if recvExpr == nil {
				continue
			}
			pl = recvExpr()
		} else {
			if n.param >= len(c.Args) {
				continue
			}
			pl = o.addr(c.Args[n.param])
		}
		o.use(caller, c, pl, n, callee.Name(), record)
	}
}

// use combines the place an address comes from with what the callee does with it.
func (o *oracle) use(caller *types.Func, c *ast.CallExpr, pl place, n need, via string, record bool) {
	if pl.opaque && via != "" {
		// Handing a pointer made elsewhere to a wrapper: the wrapper's own record judges it.
		return
	}
	total := place{param: pl.param, offset: pl.offset + n.offset, stride: pl.stride || n.stride, fields: append(append([]*types.Var{}, pl.fields...), n.fields...), path: pl.path + n.path, unknown: pl.unknown}
	if total.param != alloc {
		// Relative to what a parameter points to: the callers say where that is; a
		// pointer made elsewhere points to the start of an allocation, so the word is
		// also judged here as if it did.
		o.addNeed(caller, need{param: total.param, offset: total.offset, stride: total.stride, fields: total.fields, path: total.path, op: n.op})
	}
	if !record {
		return
	}
	// A call whose address adds a multiple of 8 to what the callee's own record measured
	// (the start of an allocation, the caller's parameter unchanged, an embedded struct at
	// offset 0) says nothing that record does not.
	if via != "" && pl.offset%8 == 0 && !pl.stride {
		return
	}
	a := access{Pos: o.rel(c.Pos()), Via: via, Op: n.op, Offset: total.offset, Stride: total.stride, Known: !total.unknown, Path: total.path, Param: total.param != alloc}
	a.Misaligned = a.Known && (total.offset%8 != 0 || total.stride)
	for _, f := range total.fields {
		a.Fields = append(a.Fields, o.rel(f.Pos()))
	}
	key := fmt.Sprintf("%s|%s|%d|%s", a.Pos, a.Via, a.Offset, a.Path)
	o.out[key] = a
}

func (o *oracle) addNeed(fn *types.Func, n need) {
	for _, m := range o.needs[fn] {
		if m.param == n.param && m.offset == n.offset && m.stride == n.stride && m.path == n.path {
			return
		}
	}
	o.needs[fn] = append(o.needs[fn], n)
}

// callee is the function or method a call names, and for a method, how to find the address
// of its receiver.
func (o *oracle) callee(c *ast.CallExpr) (*types.Func, func() place) {
	switch fun := ast.Unparen(c.Fun).(type) {
	case *ast.Ident:
		f, _ := o.info.Uses[fun].(*types.Func)
		return origin(f), nil
	case *ast.SelectorExpr:
		sel := o.info.Selections[fun]
		if sel == nil {
			f, _ := o.info.Uses[fun.Sel].(*types.Func)
			return origin(f), nil
		}
		if sel.Kind() != types.MethodVal {
			return nil, nil
		}
		f, _ := sel.Obj().(*types.Func)
		if f == nil {
			return nil, nil
		}
		sig := f.Type().(*types.Signature)
		if _, ptr := sig.Recv().Type().(*types.Pointer); !ptr {
			return nil, nil
		}
		idx := sel.Index()
		return origin(f), func() place { return o.selectPath(fun.X, idx[:len(idx)-1], true) }
	}
	return nil, nil
}

func origin(f *types.Func) *types.Func {
	if f == nil {
		return nil
	}
	return f.Origin()
}

// addr is where the pointer value e points.
func (o *oracle) addr(e ast.Expr) place {
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			return o.place(x.X)
		}
	case *ast.CallExpr:
		// Conversions: (*T)(unsafe.Pointer(p)), unsafe.Pointer(p).
		if tv, ok := o.info.Types[x.Fun]; ok && tv.IsType() && len(x.Args) == 1 {
			return o.addr(x.Args[0])
		}
		if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok && id.Name == "new" {
			return place{param: alloc}
		}
	case *ast.Ident:
		if v, ok := o.info.Uses[x].(*types.Var); ok {
			if v == o.recv {
				return place{param: -1}
			}
			for i := 0; i < o.sig.Params().Len(); i++ {
				if o.sig.Params().At(i) == v {
					return place{param: i}
				}
			}
			// A local given an address once (`p := &s.f`) points where that address does.
			if rhs, ok := o.locals[v]; ok && rhs != nil && !o.busy[v] {
				o.busy[v] = true
				defer delete(o.busy, v)
				return o.addr(rhs)
			}
		}
	}
	// A pointer made elsewhere: the start of an allocation.
	return place{param: alloc, opaque: true}
}

// collectLocals records, for each local variable of a function body, the expression it is
// given when that is its only assignment (nil when it is assigned more than once).
func (o *oracle) collectLocals(body *ast.BlockStmt) {
	o.locals = map[*types.Var]ast.Expr{}
	o.busy = map[*types.Var]bool{}
	set := func(id *ast.Ident, rhs ast.Expr) {
		obj := o.info.ObjectOf(id)
		v, ok := obj.(*types.Var)
		if !ok {
			return
		}
		if _, seen := o.locals[v]; seen {
			o.locals[v] = nil
			return
		}
		o.locals[v] = rhs
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.AssignStmt:
			for i, l := range s.Lhs {
				id, ok := l.(*ast.Ident)
				if !ok {
					continue
				}
				var rhs ast.Expr
				if len(s.Rhs) == len(s.Lhs) {
					rhs = s.Rhs[i]
				}
				set(id, rhs)
			}
		case *ast.ValueSpec:
			for i, id := range s.Names {
				var rhs ast.Expr
				if len(s.Values) == len(s.Names) {
					rhs = s.Values[i]
				}
				set(id, rhs)
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{s.Key, s.Value} {
				if id, ok := e.(*ast.Ident); ok {
					set(id, nil)
					set(id, nil)
				}
			}
		}
		return true
	})
}

// place is where the addressable expression e is.
func (o *oracle) place(e ast.Expr) place {
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.Ident, *ast.CompositeLit:
		return place{param: alloc}
	case *ast.StarExpr:
		return o.addr(x.X)
	case *ast.SelectorExpr:
		sel := o.info.Selections[x]
		if sel == nil { // a package-level variable
			return place{param: alloc}
		}
		return o.selectPath(x.X, sel.Index(), false)
	case *ast.IndexExpr:
		t := o.info.TypeOf(x.X)
		var base place
		var elem types.Type
		switch u := t.Underlying().(type) {
		case *types.Array:
			base, elem = o.place(x.X), u.Elem()
		case *types.Pointer:
			base, elem = o.addr(x.X), u.Elem().Underlying().(*types.Array).Elem()
		case *types.Slice:
			base, elem = place{param: alloc}, u.Elem()
		default:
			return place{param: alloc, opaque: true}
		}
		if hasTypeParam(elem) {
			base.unknown = true
			return base
		}
		stride := o.sizes.Sizeof(elem)
		if tv := o.info.Types[x.Index]; tv.Value != nil {
			i, _ := constant.Int64Val(tv.Value)
			base.offset += i * stride
			base.path += fmt.Sprintf("[%d]", i)
		} else {
			base.path += "[i]"
			if stride%8 != 0 {
				base.stride = true
			}
		}
		return base
	}
	return place{param: alloc, opaque: true}
}

// selectPath follows field indices from x (a struct value, or a pointer to one); with
// addressOf, x is a method's receiver operand, which may itself be a pointer.
func (o *oracle) selectPath(x ast.Expr, idx []int, addressOf bool) place {
	t := o.info.TypeOf(x)
	var base place
	if _, ptr := t.Underlying().(*types.Pointer); ptr {
		base = o.addr(x)
		t = t.Underlying().(*types.Pointer).Elem()
	} else {
		base = o.place(x)
	}
	base.fields = append([]*types.Var{}, base.fields...)
	for _, i := range idx {
		if p, ok := t.Underlying().(*types.Pointer); ok {
			base = place{param: alloc}
			t = p.Elem()
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok {
			return place{param: alloc, opaque: true}
		}
		fs := make([]*types.Var, st.NumFields())
		for k := range fs {
			fs[k] = st.Field(k)
			if hasTypeParam(fs[k].Type()) && k <= i {
				base.unknown = true
			}
		}
		if base.unknown {
			return base
		}
		base.offset += o.sizes.Offsetsof(fs)[i]
		base.fields = append(base.fields, st.Field(i))
		base.path += "." + st.Field(i).Name()
		t = st.Field(i).Type()
	}
	return base
}

func hasTypeParam(t types.Type) bool {
	switch u := t.(type) {
	case *types.TypeParam:
		return true
	case *types.Named:
		if u.TypeArgs() != nil {
			for i := 0; i < u.TypeArgs().Len(); i++ {
				if hasTypeParam(u.TypeArgs().At(i)) {
					return true
				}
			}
		}
		return false
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			if hasTypeParam(u.Field(i).Type()) {
				return true
			}
		}
	case *types.Array:
		return hasTypeParam(u.Elem())
	}
	return false
}

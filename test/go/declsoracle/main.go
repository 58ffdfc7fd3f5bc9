// declsoracle prints what go/parser sees in Go files, in the shape of crossvet's syntax
// facts, so that the tests can compare the two. It reads one file path per line on
// stdin and writes a JSON array with one entry per file.
//
// Columns are converted from go/token's byte columns to UTF-16 code units here, from
// the line's own bytes, independently of crossvet.
package main

import (
	"bufio"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"
)

type pos struct {
	Line int `json:"line"`
	Col  int `json:"col"`
}

type importOut struct {
	Path  string  `json:"path"`
	Name  *string `json:"name,omitempty"`
	Start pos     `json:"start"`
}

type field struct {
	Name     string  `json:"name"`
	Embedded bool    `json:"embedded"`
	Type     any     `json:"type"`
	Start    pos     `json:"start"`
	Tag      *string `json:"tag,omitempty"`
}

type decl struct {
	Kind        string   `json:"kind"`
	Name        string   `json:"name"`
	Start       pos      `json:"start"`
	Recv        *string  `json:"recv,omitempty"`
	RecvPointer *bool    `json:"recvPointer,omitempty"`
	TypeParams  []string `json:"typeParams,omitempty"`
	Alias       bool     `json:"alias,omitempty"`
	Type        any      `json:"type,omitempty"`
	Value       *string  `json:"value,omitempty"`
	Iota        *int     `json:"iota,omitempty"`
	Group       *int     `json:"group,omitempty"`
}

type fileOut struct {
	Path    string      `json:"path"`
	Error   string      `json:"error,omitempty"`
	Package string      `json:"package"`
	Imports []importOut `json:"imports"`
	Decls   []decl      `json:"decls"`
}

type conv struct {
	fset *token.FileSet
	src  []byte
	tf   *token.File
}

// pos turns a token.Pos into a 1-based line and a 1-based UTF-16 column of the file
// itself (//line directives ignored).
func (c *conv) pos(p token.Pos) pos {
	position := c.fset.PositionFor(p, false)
	lineStart := c.tf.LineStart(position.Line)
	off := c.tf.Offset(lineStart)
	end := c.tf.Offset(p)
	col := 1
	for b := c.src[off:end]; len(b) > 0; {
		r, size := utf8.DecodeRune(b)
		if r >= 0x10000 {
			col += 2
		} else {
			col++
		}
		b = b[size:]
	}
	return pos{position.Line, col}
}

func (c *conv) text(n ast.Node) string {
	return string(c.src[c.tf.Offset(n.Pos()):c.tf.Offset(n.End())])
}

// typeExpr mirrors crossvet's TypeExpr.
func (c *conv) typeExpr(e ast.Expr) any {
	switch t := e.(type) {
	case *ast.Ident:
		return map[string]any{"kind": "name", "name": t.Name}
	case *ast.SelectorExpr:
		if x, ok := t.X.(*ast.Ident); ok {
			return map[string]any{"kind": "name", "pkg": x.Name, "name": t.Sel.Name}
		}
	case *ast.IndexExpr:
		return c.generic(t.X, []ast.Expr{t.Index}, e)
	case *ast.IndexListExpr:
		return c.generic(t.X, t.Indices, e)
	case *ast.StarExpr:
		return map[string]any{"kind": "pointer", "elem": c.typeExpr(t.X)}
	case *ast.ArrayType:
		if t.Len == nil {
			return map[string]any{"kind": "slice", "elem": c.typeExpr(t.Elt)}
		}
		return map[string]any{"kind": "array", "len": c.text(t.Len), "elem": c.typeExpr(t.Elt)}
	case *ast.MapType:
		return map[string]any{"kind": "map", "key": c.typeExpr(t.Key), "value": c.typeExpr(t.Value)}
	case *ast.ChanType:
		return map[string]any{"kind": "chan", "elem": c.typeExpr(t.Value)}
	case *ast.FuncType:
		return map[string]any{"kind": "func"}
	case *ast.ParenExpr:
		return c.typeExpr(t.X)
	case *ast.InterfaceType:
		methods := []string{}
		embeds := []any{}
		for _, f := range t.Methods.List {
			if len(f.Names) > 0 {
				for _, n := range f.Names {
					methods = append(methods, n.Name)
				}
			} else {
				embeds = append(embeds, c.typeExpr(f.Type))
			}
		}
		return map[string]any{"kind": "interface", "methods": methods, "embeds": embeds}
	case *ast.StructType:
		return map[string]any{"kind": "struct", "fields": c.fields(t)}
	}
	return map[string]any{"kind": "unknown", "text": c.text(e)}
}

func (c *conv) generic(x ast.Expr, args []ast.Expr, whole ast.Expr) any {
	base, ok := c.typeExpr(x).(map[string]any)
	if !ok || base["kind"] != "name" {
		return map[string]any{"kind": "unknown", "text": c.text(whole)}
	}
	list := []any{}
	for _, a := range args {
		list = append(list, c.typeExpr(a))
	}
	base["args"] = list
	return base
}

func (c *conv) fields(st *ast.StructType) []field {
	out := []field{}
	for _, f := range st.Fields.List {
		var tag *string
		if f.Tag != nil {
			v := f.Tag.Value
			tag = &v
		}
		typ := c.typeExpr(f.Type)
		if len(f.Names) == 0 {
			// Go spec: the unqualified type name acts as the field name.
			base := f.Type
			for {
				switch b := base.(type) {
				case *ast.StarExpr:
					base = b.X
					continue
				case *ast.IndexExpr:
					base = b.X
					continue
				case *ast.IndexListExpr:
					base = b.X
					continue
				case *ast.SelectorExpr:
					base = b.Sel
					continue
				case *ast.ParenExpr:
					base = b.X
					continue
				}
				break
			}
			if id, ok := base.(*ast.Ident); ok {
				out = append(out, field{Name: id.Name, Embedded: true, Type: typ, Start: c.pos(id.Pos()), Tag: tag})
			}
			continue
		}
		for _, n := range f.Names {
			out = append(out, field{Name: n.Name, Type: typ, Start: c.pos(n.Pos()), Tag: tag})
		}
	}
	return out
}

func typeParamNames(fl *ast.FieldList) []string {
	if fl == nil {
		return nil
	}
	var names []string
	for _, f := range fl.List {
		for _, n := range f.Names {
			names = append(names, n.Name)
		}
	}
	return names
}

func (c *conv) file(path string) fileOut {
	out := fileOut{Path: path, Imports: []importOut{}, Decls: []decl{}}
	src, err := os.ReadFile(path)
	if err != nil {
		out.Error = err.Error()
		return out
	}
	c.src = src
	c.fset = token.NewFileSet()
	f, err := parser.ParseFile(c.fset, path, src, parser.SkipObjectResolution|parser.AllErrors)
	if err != nil {
		out.Error = err.Error()
		return out
	}
	c.tf = c.fset.File(f.Pos())
	out.Package = f.Name.Name
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		io := importOut{Path: p, Start: c.pos(im.Path.Pos())}
		if im.Name != nil {
			n := im.Name.Name
			io.Name = &n
		}
		out.Imports = append(out.Imports, io)
	}
	group := 0
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			o := decl{Kind: "func", Name: d.Name.Name, Start: c.pos(d.Name.Pos()), TypeParams: typeParamNames(d.Type.TypeParams)}
			if d.Recv != nil && len(d.Recv.List) > 0 {
				o.Kind = "method"
				t := d.Recv.List[0].Type
				for {
					if p, ok := t.(*ast.ParenExpr); ok {
						t = p.X
						continue
					}
					break
				}
				ptr := false
				if s, ok := t.(*ast.StarExpr); ok {
					ptr = true
					t = s.X
				}
				for {
					if p, ok := t.(*ast.ParenExpr); ok {
						t = p.X
						continue
					}
					break
				}
				var idx []ast.Expr
				switch g := t.(type) {
				case *ast.IndexExpr:
					t, idx = g.X, []ast.Expr{g.Index}
				case *ast.IndexListExpr:
					t, idx = g.X, g.Indices
				}
				for _, x := range idx {
					if id, ok := x.(*ast.Ident); ok {
						o.TypeParams = append(o.TypeParams, id.Name)
					}
				}
				if id, ok := t.(*ast.Ident); ok {
					name := id.Name
					o.Recv = &name
					o.RecvPointer = &ptr
				}
			}
			out.Decls = append(out.Decls, o)
		case *ast.GenDecl:
			switch d.Tok {
			case token.TYPE:
				for _, s := range d.Specs {
					ts := s.(*ast.TypeSpec)
					out.Decls = append(out.Decls, decl{Kind: "type", Name: ts.Name.Name, Start: c.pos(ts.Name.Pos()), TypeParams: typeParamNames(ts.TypeParams), Alias: ts.Assign.IsValid(), Type: c.typeExpr(ts.Type)})
				}
			case token.VAR, token.CONST:
				kind := "var"
				if d.Tok == token.CONST {
					kind = "const"
				}
				g := group
				var prevType ast.Expr
				var prevValues []ast.Expr
				for i, s := range d.Specs {
					vs := s.(*ast.ValueSpec)
					typ, values := vs.Type, vs.Values
					if kind == "const" {
						// Go spec, Constant declarations: an empty list repeats the previous non-empty one and its type.
						if typ == nil && len(values) == 0 {
							typ, values = prevType, prevValues
						} else if len(values) > 0 {
							prevType, prevValues = typ, values
						}
					}
					for j, n := range vs.Names {
						o := decl{Kind: kind, Name: n.Name, Start: c.pos(n.Pos())}
						if typ != nil {
							o.Type = c.typeExpr(typ)
						}
						if len(values) == len(vs.Names) {
							v := c.text(values[j])
							o.Value = &v
						}
						if kind == "const" {
							iota := i
							o.Iota = &iota
							o.Group = &g
						}
						out.Decls = append(out.Decls, o)
					}
				}
				if kind == "const" {
					group++
				}
			}
		}
	}
	return out
}

func main() {
	var outs []fileOut
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	c := &conv{}
	for sc.Scan() {
		path := strings.TrimSpace(sc.Text())
		if path != "" {
			outs = append(outs, c.file(path))
		}
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(outs); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
}

// The `consts` extractor: what the int-overflow-32bit rule needs to evaluate constants and
// to see which type each one meets. It records the file's declarations (constants with
// their iota, variables, types, functions and methods with their signatures), every
// function-local name with what declares it, and the "roots": expressions standing in a
// context that gives them a type (x := e, var x T = e, return e, f(e), a case, an array
// length, ...). Roots that cannot hold an interesting constant — no literal of 2^31 or
// more, no name that might be a constant, no constant operator — are left out.
//
// Scoping follows the Go spec closely enough that an identifier marked local (`l`) is one;
// an unmarked identifier is resolved later in the package, then the universe.
import type { SyntaxNode } from 'tree-sitter';
import { registerExtractor, type ExtractorContext, type PlainNode } from '../extractors';
import { field as fieldOf, fields, named } from '../tree';
import type { ConstSpec, ConstsFacts, Elem, Expr, FieldRef, FuncSpec, Local, Root, S, TypeRef, TypeSpec, VarSpec, Want } from '../../consteval/ast';

export const CONSTS_EXTRACTOR = 'consts';
export const CONSTS_EXTRACTOR_VERSION = 4;

// The tree as plain objects (ExtractorContext.tree): reading the native tree costs a call
// per property. Anonymous tokens (operators, `:=`) carry their type only. Loops over
// `children` meet tokens and comments too: they pick the node types they handle by name.
type N = PlainNode;

/** Nodes whose operator we read: the plain tree gives tokens no field, so it is their first token but parentheses. */
const WITH_OPERATOR = new Set(['unary_expression', 'binary_expression', 'assignment_statement']);

/** The child in a field (for `operator`, the operator token of the nodes above). */
function field(n: N, name: string): N | undefined {
  if (name !== 'operator') return fieldOf(n, name);
  if (!WITH_OPERATOR.has(n.type)) return undefined;
  for (const k of n.children) if (!k.named && k.type !== '(' && k.type !== ')') return k;
  return undefined;
}

const TYPE_NODES = new Set([
  'type_identifier', 'qualified_type', 'generic_type', 'pointer_type', 'slice_type', 'array_type', 'implicit_length_array_type',
  'map_type', 'channel_type', 'struct_type', 'function_type', 'interface_type', 'parenthesized_type', 'negated_type',
]);

/** Builtins whose result type follows from their arguments. */
const TYPED_BY_ARGS = new Set(['append', 'min', 'max', 'make', 'new']);

const OTHER: Expr = { k: 'other' };

/** Below this an integer literal fits every integer type that can hold it on every target. */
const SMALL = 2 ** 31;

class Scope {
  readonly names = new Map<string, number>();
  constructor(readonly parent?: Scope) {}
  lookup(name: string): number | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const l = s.names.get(name);
      if (l !== undefined) return l;
    }
    return undefined;
  }
}

class Extractor {
  readonly out: ConstsFacts = { consts: [], vars: [], types: [], funcs: [], locals: [], roots: [] };
  /** Result types of the enclosing function, for return statements. */
  private results: TypeRef[][] = [];

  constructor(private readonly ctx: ExtractorContext) {}

  /** Source text of a node; an anonymous token's type is its text. */
  text(n: N): string {
    return n.named ? this.ctx.text.slice(n.start, n.end) : n.type;
  }

  span(n: N): S {
    const a = this.ctx.lines.pos(n.start);
    const b = this.ctx.lines.pos(n.end);
    return [a.line, a.col, b.line, b.col];
  }

  // ---- declarations -------------------------------------------------------------------

  file(root: N): void {
    for (const d of root.children) {
      switch (d.type) {
        case 'import_declaration':
          this.imports(d);
          break;
        case 'const_declaration':
          this.constDecl(d, undefined);
          break;
        case 'var_declaration':
          this.varDecl(d, undefined);
          break;
        case 'type_declaration':
          this.typeDecl(d, undefined);
          break;
        case 'function_declaration':
        case 'method_declaration':
          this.funcDecl(d);
          break;
      }
    }
  }

  imports(d: N): void {
    const specs = d.children.flatMap((x) => (x.type === 'import_spec_list' ? x.children : [x])).filter((x) => x.type === 'import_spec');
    for (const s of specs) {
      const name = field(s, 'name');
      const p = field(s, 'path');
      if (name?.type === 'dot' && p) (this.out.dotImports ??= []).push(this.text(p).slice(1, -1));
    }
  }

  declareLocal(scope: Scope, l: Local): number {
    const i = this.out.locals.push(l) - 1;
    if (l.n !== '_') scope.names.set(l.n, i);
    return i;
  }

  /** Constant declarations, with iota and the implicit repetition of the last expression list. */
  constDecl(d: N, scope: Scope | undefined): void {
    let iota = 0;
    let lastType: TypeRef | undefined;
    let lastValues: Expr[] = [];
    for (const spec of d.children.filter((x) => x.type === 'const_spec')) {
      const names = fields(spec, 'name').filter((x) => x.type === 'identifier');
      const tn = field(spec, 'type');
      const vn = field(spec, 'value');
      let inh: 1 | undefined;
      if (vn) {
        lastType = tn ? this.typeRef(tn, scope) : undefined;
        lastValues = named(vn).map((x) => this.expr(x, scope));
      } else {
        inh = 1;
      }
      names.forEach((nm, i) => {
        const e = lastValues[i];
        // Facts are JSON: an absent type or expression is no member, not an undefined one.
        const rec = { n: this.text(nm), s: this.span(nm), ...(lastType ? { t: lastType } : {}), ...(e ? { e } : {}), iota, ...(inh ? { inh } : {}) };
        if (scope) this.declareLocal(scope, { ...rec, kind: 'const' });
        else this.out.consts.push(rec as ConstSpec);
      });
      iota++;
    }
  }

  varDecl(d: N, scope: Scope | undefined): void {
    const specs = d.children.flatMap((x) => (x.type === 'var_spec_list' ? x.children : [x])).filter((x) => x.type === 'var_spec');
    for (const spec of specs) {
      const names = fields(spec, 'name').filter((x) => x.type === 'identifier');
      const tn = field(spec, 'type');
      const vn = field(spec, 'value');
      const t = tn ? this.typeRef(tn, scope) : undefined;
      const values = vn ? named(vn).map((x) => this.expr(x, scope)) : [];
      const multi = values.length === 1 && names.length > 1;
      values.forEach((e) => {
        const w: Want = multi ? { k: 'none' } : t ? { k: 'type', t, why: 'var' } : { k: 'default', why: 'var' };
        this.root(w, e);
      });
      names.forEach((nm, i) => {
        const rec: VarSpec = { n: this.text(nm), s: this.span(nm) };
        if (t) rec.t = t;
        if (multi) {
          rec.e = this.skeleton(values[0]);
          rec.idx = i;
        } else if (values[i]) rec.e = this.skeleton(values[i]);
        if (scope) this.declareLocal(scope, { ...rec, kind: 'var' });
        else this.out.vars.push(rec);
      });
    }
  }

  typeDecl(d: N, scope: Scope | undefined): void {
    for (const spec of d.children) {
      if (spec.type !== 'type_spec' && spec.type !== 'type_alias') continue;
      const nm = field(spec, 'name');
      const tn = field(spec, 'type');
      if (!nm || !tn) continue;
      const tps = field(spec, 'type_parameters');
      const inner = tps ? new Scope(scope) : scope;
      if (tps && inner) this.typeParams(tps, inner);
      else if (tps) {
        // Package-level generic type: its parameters are local to the declaration.
        const s = new Scope();
        this.typeParams(tps, s);
        const t = this.typeRef(tn, s);
        this.pushType(spec, nm, t, scope, 1);
        continue;
      }
      this.pushType(spec, nm, this.typeRef(tn, inner), scope, tps ? 1 : undefined);
    }
  }

  private pushType(spec: N, nm: N, t: TypeRef, scope: Scope | undefined, gen: 1 | undefined): void {
    const rec: TypeSpec = { n: this.text(nm), s: this.span(nm), t };
    if (spec.type === 'type_alias') rec.alias = 1;
    if (gen) rec.gen = 1;
    if (scope) this.declareLocal(scope, { n: rec.n, s: rec.s, kind: 'type', t });
    else this.out.types.push(rec);
  }

  typeParams(list: N, scope: Scope): void {
    for (const p of list.children.filter((x) => x.type === 'type_parameter_declaration')) {
      for (const nm of fields(p, 'name').filter((x) => x.type === 'identifier')) {
        this.declareLocal(scope, { n: this.text(nm), s: this.span(nm), kind: 'tparam' });
      }
    }
  }

  funcDecl(d: N): void {
    const nm = field(d, 'name');
    if (!nm) return;
    const scope = new Scope();
    const tps = field(d, 'type_parameters');
    if (tps) this.typeParams(tps, scope);
    let recv: string | undefined;
    const rl = field(d, 'receiver');
    if (rl) {
      const rp = rl.children.find((x) => x.type === 'parameter_declaration');
      let rt = rp && field(rp, 'type');
      if (rt?.type === 'pointer_type') rt = named(rt)[0];
      if (rt?.type === 'generic_type') {
        // The receiver's type arguments declare the method's type parameters.
        const ta = field(rt, 'type_arguments');
        for (const el of ta?.children ?? []) {
          const id = el.children.find((x) => x.type === 'type_identifier');
          if (id) this.declareLocal(scope, { n: this.text(id), s: this.span(id), kind: 'tparam' });
        }
        rt = field(rt, 'type');
      }
      if (rt?.type === 'type_identifier') recv = this.text(rt);
      if (rp) this.params(rl, scope, true);
    }
    const t = this.signature(d, scope);
    const rec: FuncSpec = { n: this.text(nm), s: this.span(nm), t };
    if (recv) rec.recv = recv;
    if (tps) rec.gen = 1;
    this.out.funcs.push(rec);
    const body = field(d, 'body');
    if (body) this.body(body, scope, t);
  }

  /** The function type of a declaration or literal; declares its parameters and results in `scope`. */
  signature(d: N, scope: Scope): TypeRef & { k: 'func' } {
    const pl = field(d, 'parameters');
    const p = pl ? this.params(pl, scope, true) : { types: [], variadic: false };
    const rn = field(d, 'result');
    let r: TypeRef[] = [];
    if (rn?.type === 'parameter_list') r = this.params(rn, scope, true).types;
    else if (rn) r = [this.typeRef(rn, scope)];
    const t: TypeRef & { k: 'func' } = { k: 'func', p: p.types, r };
    if (p.variadic) t.v = 1;
    return t;
  }

  /** Parameter types, one per parameter (a name list repeats its type); declares the names when asked. */
  params(list: N, scope: Scope, declare: boolean): { types: TypeRef[]; variadic: boolean } {
    const types: TypeRef[] = [];
    let variadic = false;
    for (const p of list.children) {
      if (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration') continue;
      const tn = field(p, 'type');
      const t = tn ? this.typeRef(tn, scope) : ({ k: 'other' } as TypeRef);
      const names = fields(p, 'name').filter((x) => x.type === 'identifier');
      const isVar = p.type === 'variadic_parameter_declaration';
      if (isVar) variadic = true;
      for (let i = 0; i < Math.max(1, names.length); i++) types.push(t);
      if (declare) {
        for (const nm of names) {
          this.declareLocal(scope, { n: this.text(nm), s: this.span(nm), kind: 'var', t: isVar ? { k: 'slice', e: t } : t });
        }
      }
    }
    return { types, variadic };
  }

  body(block: N, scope: Scope, sig: TypeRef & { k: 'func' }): void {
    this.results.push(sig.r);
    // Parameters and the body's top-level declarations share one block.
    for (const st of block.children.flatMap((x) => (x.type === 'statement_list' ? x.children : [x]))) this.stmt(st, scope);
    this.results.pop();
  }

  // ---- statements ---------------------------------------------------------------------

  stmts(list: N[], scope: Scope): void {
    for (const st of list) this.stmt(st, scope);
  }

  block(n: N | undefined, scope: Scope): void {
    if (!n) return;
    const inner = new Scope(scope);
    this.stmts(n.children.flatMap((x) => (x.type === 'statement_list' ? x.children : [x])), inner);
  }

  stmt(n: N, scope: Scope): void {
    switch (n.type) {
      case 'block':
        this.block(n, scope);
        break;
      case 'statement_list':
        this.stmts(n.children, scope);
        break;
      case 'expression_statement':
      case 'go_statement':
      case 'defer_statement':
      case 'inc_statement':
      case 'dec_statement':
        for (const x of named(n)) this.root({ k: 'none' }, this.expr(x, scope));
        break;
      case 'send_statement': {
        const ch = field(n, 'channel');
        const v = field(n, 'value');
        if (ch && v) {
          const che = this.expr(ch, scope);
          this.root({ k: 'none' }, che);
          this.root({ k: 'send', ch: che }, this.expr(v, scope));
        }
        break;
      }
      case 'short_var_declaration':
        this.shortVar(n, scope);
        break;
      case 'assignment_statement':
        this.assign(n, scope);
        break;
      case 'var_declaration':
        this.varDecl(n, scope);
        break;
      case 'const_declaration':
        this.constDecl(n, scope);
        break;
      case 'type_declaration':
        this.typeDecl(n, scope);
        break;
      case 'return_statement': {
        const list = n.children.find((x) => x.type === 'expression_list');
        const values = list ? named(list).map((x) => this.expr(x, scope)) : [];
        const rs = this.results[this.results.length - 1] ?? [];
        values.forEach((e, i) => this.root(values.length === rs.length ? { k: 'type', t: rs[i], why: 'return' } : { k: 'none' }, e));
        break;
      }
      case 'if_statement': {
        const inner = new Scope(scope);
        const init = field(n, 'initializer');
        if (init) this.stmt(init, inner);
        const cond = field(n, 'condition');
        if (cond) this.root({ k: 'none' }, this.expr(cond, inner));
        this.block(field(n, 'consequence'), inner);
        const alt = field(n, 'alternative');
        if (alt?.type === 'block') this.block(alt, inner);
        else if (alt) this.stmt(alt, inner);
        break;
      }
      case 'for_statement':
        this.forStmt(n, scope);
        break;
      case 'expression_switch_statement': {
        const inner = new Scope(scope);
        const init = field(n, 'initializer');
        if (init) this.stmt(init, inner);
        const vn = field(n, 'value');
        const tag = vn ? this.expr(vn, inner) : undefined;
        if (tag) this.root({ k: 'none' }, tag);
        for (const c of n.children) {
          if (c.type !== 'expression_case' && c.type !== 'default_case') continue;
          const vals = field(c, 'value');
          for (const v of vals ? named(vals) : []) this.root(tag ? { k: 'as', x: tag, why: 'case' } : { k: 'none' }, this.expr(v, inner));
          this.stmts(c.children.flatMap((x) => (x.type === 'statement_list' ? x.children : [])), new Scope(inner));
        }
        break;
      }
      case 'type_switch_statement': {
        const inner = new Scope(scope);
        const init = field(n, 'initializer');
        if (init) this.stmt(init, inner);
        const vn = field(n, 'value');
        if (vn) this.root({ k: 'none' }, this.expr(vn, inner));
        const alias = field(n, 'alias');
        const aliasId = alias ? named(alias).find((x) => x.type === 'identifier') : undefined;
        for (const c of n.children) {
          if (c.type !== 'type_case' && c.type !== 'default_case') continue;
          const cs = new Scope(inner);
          if (aliasId) this.declareLocal(cs, { n: this.text(aliasId), s: this.span(aliasId), kind: 'var' });
          this.stmts(c.children.flatMap((x) => (x.type === 'statement_list' ? x.children : [])), cs);
        }
        break;
      }
      case 'select_statement':
        for (const c of n.children) {
          if (c.type !== 'communication_case' && c.type !== 'default_case') continue;
          const cs = new Scope(scope);
          const comm = field(c, 'communication');
          if (comm?.type === 'receive_statement') this.receive(comm, cs);
          else if (comm) this.stmt(comm, cs);
          this.stmts(c.children.flatMap((x) => (x.type === 'statement_list' ? x.children : [])), cs);
        }
        break;
      case 'labeled_statement':
        for (const x of n.children) if (x.type !== 'label_name') this.stmt(x, scope);
        break;
    }
  }

  /** Whether the token between two children is `:=` (range clauses and receives have no field for it). */
  definesBetween(left: N, right: N): boolean {
    return this.ctx.text.slice(left.end, right.start).includes(':=');
  }

  receive(n: N, scope: Scope): void {
    const left = field(n, 'left');
    const right = field(n, 'right');
    if (!right) return;
    const re = this.expr(right, scope);
    this.root({ k: 'none' }, re);
    if (left && this.definesBetween(left, right)) {
      named(left).forEach((id, i) => {
        if (id.type === 'identifier') this.declareLocal(scope, { n: this.text(id), s: this.span(id), kind: 'var', e: this.skeleton(re), idx: i });
      });
    }
  }

  forStmt(n: N, scope: Scope): void {
    const inner = new Scope(scope);
    for (const c of n.children) {
      if (c.type === 'for_clause') {
        const init = field(c, 'initializer');
        if (init) this.stmt(init, inner);
        const cond = field(c, 'condition');
        if (cond) this.root({ k: 'none' }, this.expr(cond, inner));
        const upd = field(c, 'update');
        if (upd) this.stmt(upd, inner);
      } else if (c.type === 'range_clause') {
        const left = field(c, 'left');
        const right = field(c, 'right');
        if (!right) continue;
        const re = this.expr(right, inner);
        const defines = left !== undefined && this.definesBetween(left, right);
        const first = left && !defines ? named(left)[0] : undefined;
        this.root(first ? { k: 'range', x: this.expr(first, inner) } : { k: 'range' }, re);
        if (left && defines) {
          named(left).forEach((id, i) => {
            if (id.type === 'identifier' && i < 2) {
              this.declareLocal(inner, { n: this.text(id), s: this.span(id), kind: 'var', e: this.skeleton(re), range: i === 0 ? 'key' : 'value' });
            }
          });
        }
      } else if (c.type === 'block') {
        this.block(c, inner);
      } else if (c.named && c.type !== 'comment' && c.field === null) {
        // for cond { }
        this.root({ k: 'none' }, this.expr(c, inner));
      }
    }
  }

  shortVar(n: N, scope: Scope): void {
    const left = field(n, 'left');
    const right = field(n, 'right');
    if (!left || !right) return;
    const values = named(right).map((x) => this.expr(x, scope));
    const ids = named(left);
    const multi = values.length === 1 && ids.length > 1;
    if (multi) this.root({ k: 'none' }, values[0]);
    const decls: Local[] = [];
    ids.forEach((id, i) => {
      const name = this.text(id);
      const e = multi ? values[0] : values[i];
      if (!multi && e) {
        if (name === '_') this.root({ k: 'default', why: 'assign' }, e);
        else if (scope.names.has(name)) this.root({ k: 'as', x: this.expr(id, scope), why: 'assign' }, e);
        else this.root({ k: 'default', why: 'var' }, e);
      }
      // Redeclared names keep their variable; new ones are declared after the right side.
      if (id.type === 'identifier' && name !== '_' && !scope.names.has(name)) {
        const l: Local = { n: name, s: this.span(id), kind: 'var' };
        if (e) l.e = this.skeleton(e);
        if (multi) l.idx = i;
        decls.push(l);
      }
    });
    for (const l of decls) this.declareLocal(scope, l);
  }

  assign(n: N, scope: Scope): void {
    const left = field(n, 'left');
    const right = field(n, 'right');
    const op = field(n, 'operator');
    if (!left || !right) return;
    const lhs = named(left).map((x) => this.expr(x, scope));
    const rhs = named(right).map((x) => this.expr(x, scope));
    const opText = op ? this.text(op) : '=';
    for (const l of lhs) this.root({ k: 'none' }, l);
    if (lhs.length !== rhs.length) {
      for (const r of rhs) this.root({ k: 'none' }, r);
      return;
    }
    rhs.forEach((r, i) => {
      const l = lhs[i];
      if (opText === '<<=' || opText === '>>=') this.root({ k: 'none' }, r);
      else if (l.k === 'id' && l.n === '_' && l.l === undefined) this.root({ k: 'default', why: 'assign' }, r);
      else this.root({ k: 'as', x: l, why: 'assign' }, r);
    });
  }

  // ---- expressions and types -----------------------------------------------------------

  ident(n: N, scope: Scope | undefined): Expr {
    const name = this.text(n);
    const l = scope?.lookup(name);
    return l === undefined ? { k: 'id', n: name, s: this.span(n) } : { k: 'id', n: name, l, s: this.span(n) };
  }

  expr(n: N, scope: Scope | undefined): Expr {
    const s = this.span(n);
    switch (n.type) {
      case 'int_literal':
        return { k: 'int', raw: this.text(n), s };
      case 'float_literal':
        return { k: 'float', raw: this.text(n), s };
      case 'imaginary_literal':
        return { k: 'imag', raw: this.text(n), s };
      case 'rune_literal':
        return { k: 'rune', raw: this.text(n), s };
      case 'interpreted_string_literal':
      case 'raw_string_literal':
        return { k: 'str', raw: this.text(n), s };
      case 'identifier':
        return this.ident(n, scope);
      case 'true':
      case 'false':
      case 'nil':
        return { k: 'id', n: n.type, s };
      case 'iota':
        return { k: 'iota', s };
      case 'parenthesized_expression': {
        const inner = named(n)[0];
        return inner ? this.expr(inner, scope) : { k: 'other', s };
      }
      case 'selector_expression': {
        const x = field(n, 'operand');
        const f = field(n, 'field');
        return x && f ? { k: 'sel', x: this.expr(x, scope), n: this.text(f), s } : { k: 'other', s };
      }
      case 'call_expression': {
        const fn = field(n, 'function');
        const al = field(n, 'arguments');
        if (!fn) return { k: 'other', s };
        const f: Expr = field(n, 'type_arguments') ? { k: 'other', s: this.span(fn) } : this.expr(fn, scope);
        const a: Expr[] = [];
        let dots = false;
        for (const x of al ? named(al) : []) {
          if (x.type === 'variadic_argument') {
            dots = true;
            const inner = named(x)[0];
            if (inner) a.push(this.expr(inner, scope));
          } else a.push(this.expr(x, scope));
        }
        return dots ? { k: 'call', f, a, dots: 1, s } : { k: 'call', f, a, s };
      }
      case 'type_conversion_expression': {
        const tn = field(n, 'type');
        const x = field(n, 'operand');
        if (!tn || !x) return { k: 'other', s };
        return { k: 'call', f: { k: 'type', t: this.typeRef(tn, scope), s: this.span(tn) }, a: [this.expr(x, scope)], s };
      }
      case 'unary_expression': {
        const op = field(n, 'operator');
        const x = field(n, 'operand');
        return op && x ? { k: 'un', op: this.text(op), x: this.expr(x, scope), s } : { k: 'other', s };
      }
      case 'binary_expression': {
        const op = field(n, 'operator');
        const x = field(n, 'left');
        const y = field(n, 'right');
        return op && x && y ? { k: 'bin', op: this.text(op), x: this.expr(x, scope), y: this.expr(y, scope), s } : { k: 'other', s };
      }
      case 'index_expression': {
        const x = field(n, 'operand');
        const i = field(n, 'index');
        return x && i ? { k: 'index', x: this.expr(x, scope), i: [this.expr(i, scope)], s } : { k: 'other', s };
      }
      case 'slice_expression': {
        const x = field(n, 'operand');
        if (!x) return { k: 'other', s };
        const e: Expr & { k: 'slice' } = { k: 'slice', x: this.expr(x, scope), s };
        const lo = field(n, 'start');
        const hi = field(n, 'end');
        const max = field(n, 'capacity');
        if (lo) e.lo = this.expr(lo, scope);
        if (hi) e.hi = this.expr(hi, scope);
        if (max) e.max = this.expr(max, scope);
        return e;
      }
      case 'composite_literal': {
        const tn = field(n, 'type');
        const body = field(n, 'body');
        const e: Expr & { k: 'lit' } = { k: 'lit', els: body ? this.elems(body, scope) : [], s };
        if (tn) e.t = this.typeRef(tn, scope);
        return e;
      }
      case 'literal_value':
        return { k: 'lit', els: this.elems(n, scope), s };
      case 'type_assertion_expression': {
        const x = field(n, 'operand');
        const tn = field(n, 'type');
        if (!x) return { k: 'other', s };
        const e: Expr & { k: 'assert' } = { k: 'assert', x: this.expr(x, scope), s };
        if (tn) e.t = this.typeRef(tn, scope);
        return e;
      }
      case 'func_literal': {
        const fs = new Scope(scope);
        const t = this.signature(n, fs);
        const body = field(n, 'body');
        if (body) this.body(body, fs, t);
        return { k: 'func', t, s };
      }
      default:
        if (TYPE_NODES.has(n.type)) return { k: 'type', t: this.typeRef(n, scope), s };
        return { k: 'other', s };
    }
  }

  elems(body: N, scope: Scope | undefined): Elem[] {
    const out: Elem[] = [];
    const value = (le: N): Expr => {
      const inner = named(le)[0];
      return inner ? this.expr(inner, scope) : { k: 'other', s: this.span(le) };
    };
    for (const el of body.children) {
      if (el.type === 'keyed_element') {
        const k = field(el, 'key');
        const v = field(el, 'value');
        if (k && v) out.push({ key: value(k), v: value(v) });
      } else if (el.type === 'literal_element') {
        out.push({ v: value(el) });
      }
    }
    return out;
  }

  typeRef(n: N, scope: Scope | undefined): TypeRef {
    switch (n.type) {
      case 'type_identifier': {
        const name = this.text(n);
        const l = scope?.lookup(name);
        const kind = l === undefined ? undefined : this.out.locals[l].kind;
        return l !== undefined && (kind === 'type' || kind === 'tparam') ? { k: 'name', n: name, l } : { k: 'name', n: name };
      }
      case 'qualified_type': {
        const p = field(n, 'package');
        const nm = field(n, 'name');
        return p && nm ? { k: 'name', n: this.text(nm), p: this.text(p) } : { k: 'other' };
      }
      case 'generic_type': {
        const base = field(n, 'type');
        const ta = field(n, 'type_arguments');
        const t = base ? this.typeRef(base, scope) : ({ k: 'other' } as TypeRef);
        if (t.k !== 'name') return { k: 'other' };
        const args = (ta ? named(ta) : []).map((el) => {
          const inner = named(el)[0];
          return inner ? this.typeRef(inner, scope) : ({ k: 'other' } as TypeRef);
        });
        return { ...t, args };
      }
      case 'pointer_type':
      case 'slice_type':
      case 'channel_type': {
        const inner = n.type === 'slice_type' ? field(n, 'element') : n.type === 'channel_type' ? field(n, 'value') : named(n)[0];
        const k = n.type === 'pointer_type' ? 'ptr' : n.type === 'slice_type' ? 'slice' : 'chan';
        return { k, e: inner ? this.typeRef(inner, scope) : { k: 'other' } };
      }
      case 'array_type': {
        const ln = field(n, 'length');
        const el = field(n, 'element');
        const len = ln ? this.expr(ln, scope) : undefined;
        if (len) this.root({ k: 'arraylen' }, len);
        const t: TypeRef & { k: 'array' } = { k: 'array', e: el ? this.typeRef(el, scope) : { k: 'other' } };
        if (len) t.len = len;
        return t;
      }
      case 'implicit_length_array_type': {
        const el = field(n, 'element');
        return { k: 'array', e: el ? this.typeRef(el, scope) : { k: 'other' } };
      }
      case 'map_type': {
        const k = field(n, 'key');
        const v = field(n, 'value');
        return { k: 'map', key: k ? this.typeRef(k, scope) : { k: 'other' }, e: v ? this.typeRef(v, scope) : { k: 'other' } };
      }
      case 'struct_type': {
        const f: FieldRef[] = [];
        const list = n.children.find((x) => x.type === 'field_declaration_list');
        for (const fd of list?.children ?? []) {
          if (fd.type !== 'field_declaration') continue;
          const tn = field(fd, 'type');
          const t = tn ? this.typeRef(tn, scope) : ({ k: 'other' } as TypeRef);
          const names = fields(fd, 'name').filter((x) => x.type === 'field_identifier');
          if (names.length === 0) f.push({ t });
          for (const nm of names) f.push({ n: this.text(nm), t });
        }
        return { k: 'struct', f };
      }
      case 'function_type':
        return this.signature(n, new Scope(scope));
      case 'interface_type': {
        const m: { n: string; t: TypeRef }[] = [];
        const emb: TypeRef[] = [];
        for (const el of n.children) {
          if (el.type === 'method_elem') {
            const nm = field(el, 'name');
            if (nm) m.push({ n: this.text(nm), t: this.signature(el, new Scope(scope)) });
          } else if (el.type === 'type_elem') {
            const ts = named(el);
            emb.push(ts.length === 1 ? this.typeRef(ts[0], scope) : { k: 'other' });
          }
        }
        return { k: 'iface', m, emb };
      }
      case 'parenthesized_type': {
        const inner = named(n)[0];
        return inner ? this.typeRef(inner, scope) : { k: 'other' };
      }
      default:
        return { k: 'other' };
    }
  }

  // ---- pruning --------------------------------------------------------------------------

  root(w: Want, e: Expr): void {
    if (!(w.k === 'arraylen' ? this.worthConst(e) || !this.maybeConst(e) : this.containsWorth(e))) return;
    this.stripSpans(e);
    if (w.k === 'as' || (w.k === 'range' && w.x)) this.stripSpans(w.x!);
    else if (w.k === 'send') this.stripSpans(w.ch);
    this.out.roots.push({ w, e });
  }

  /** Spans are kept only where a constant can stand: nowhere else can a problem be reported. */
  stripSpans(e: Expr): void {
    if (!this.maybeConst(e)) delete e.s;
    switch (e.k) {
      case 'sel':
        this.stripSpans(e.x);
        break;
      case 'call':
        this.stripSpans(e.f);
        e.a.forEach((x) => this.stripSpans(x));
        break;
      case 'un':
        this.stripSpans(e.x);
        break;
      case 'bin':
        this.stripSpans(e.x);
        this.stripSpans(e.y);
        break;
      case 'index':
        this.stripSpans(e.x);
        e.i.forEach((x) => this.stripSpans(x));
        break;
      case 'slice':
        for (const x of [e.x, e.lo, e.hi, e.max]) if (x) this.stripSpans(x);
        break;
      case 'lit':
        for (const el of e.els) {
          if (el.key) this.stripSpans(el.key);
          this.stripSpans(el.v);
        }
        break;
      case 'assert':
        this.stripSpans(e.x);
        break;
    }
  }

  /**
   * A copy of an initializer with only what its type depends on, without spans: arguments
   * of calls that are neither builtins nor constants, elements of composite literals and
   * slice bounds are left out. The whole expression, when it matters, is a root.
   */
  skeleton(e: Expr): Expr {
    switch (e.k) {
      case 'int':
      case 'float':
      case 'imag':
      case 'rune':
      case 'str':
        return { k: e.k, raw: e.raw };
      case 'id':
        return e.l === undefined ? { k: 'id', n: e.n } : { k: 'id', n: e.n, l: e.l };
      case 'iota':
      case 'other':
        return { k: e.k };
      case 'sel':
        return { k: 'sel', x: this.skeleton(e.x), n: e.n };
      case 'call': {
        const builtin = e.f.k === 'id' && e.f.l === undefined && TYPED_BY_ARGS.has(e.f.n);
        const a = e.a.map((x) => (builtin || this.maybeConst(x) ? this.skeleton(x) : OTHER));
        return e.dots ? { k: 'call', f: this.skeleton(e.f), a, dots: 1 } : { k: 'call', f: this.skeleton(e.f), a };
      }
      case 'un':
        return { k: 'un', op: e.op, x: this.skeleton(e.x) };
      case 'bin':
        return { k: 'bin', op: e.op, x: this.skeleton(e.x), y: this.skeleton(e.y) };
      case 'index':
        return { k: 'index', x: this.skeleton(e.x), i: e.i.map((x) => this.skeleton(x)) };
      case 'slice':
        return { k: 'slice', x: this.skeleton(e.x) };
      case 'lit':
        return e.t ? { k: 'lit', t: e.t, els: [] } : { k: 'lit', els: [] };
      case 'type':
        return { k: 'type', t: e.t };
      case 'assert':
        return e.t ? { k: 'assert', x: OTHER, t: e.t } : { k: 'assert', x: OTHER };
      case 'func':
        return { k: 'func', t: e.t };
    }
  }

  /** Could `e` be a constant expression? (Unmarked names might be package constants.) */
  maybeConst(e: Expr): boolean {
    switch (e.k) {
      case 'int':
      case 'float':
      case 'imag':
      case 'rune':
      case 'str':
      case 'iota':
        return true;
      case 'id':
        return e.n !== 'nil' && (e.l === undefined || this.out.locals[e.l].kind === 'const');
      case 'sel':
        return e.x.k === 'id' && e.x.l === undefined;
      case 'call':
        if (e.dots) return false;
        if (e.f.k === 'sel' && e.f.x.k === 'id' && e.f.x.n === 'unsafe') return true;
        if (e.f.k === 'id' && (e.f.n === 'min' || e.f.n === 'max')) return e.a.every((x) => this.maybeConst(x));
        return e.a.length === 1 && (e.f.k === 'id' || e.f.k === 'sel' || e.f.k === 'type') && this.maybeConst(e.a[0]);
      case 'un':
        return (e.op === '-' || e.op === '+' || e.op === '^' || e.op === '!') && this.maybeConst(e.x);
      case 'bin':
        return this.maybeConst(e.x) && this.maybeConst(e.y);
      default:
        return false;
    }
  }

  /** A possibly-constant expression worth evaluating: anything but a literal that fits every type. */
  worthConst(e: Expr): boolean {
    switch (e.k) {
      case 'int':
      case 'float': {
        const v = Number(e.raw.replace(/_/g, '').replace(/^0([0-7]+)$/, '0o$1'));
        return !(v < SMALL);
      }
      case 'imag':
      case 'rune':
      case 'str':
        return false;
      case 'id':
        return e.n !== 'true' && e.n !== 'false';
      default:
        return true;
    }
  }

  containsWorth(e: Expr): boolean {
    if (this.maybeConst(e)) return this.worthConst(e);
    switch (e.k) {
      case 'sel':
        return this.containsWorth(e.x);
      case 'call':
        return this.containsWorth(e.f) || e.a.some((x) => this.containsWorth(x));
      case 'un':
        return this.containsWorth(e.x);
      case 'bin':
        return this.containsWorth(e.x) || this.containsWorth(e.y);
      case 'index':
        return this.containsWorth(e.x) || e.i.some((x) => this.containsWorth(x));
      case 'slice':
        return [e.x, e.lo, e.hi, e.max].some((x) => x !== undefined && this.containsWorth(x));
      case 'lit':
        return e.els.some((el) => (el.key !== undefined && el.key.k !== 'id' && this.containsWorth(el.key)) || this.containsWorth(el.v));
      case 'assert':
        return this.containsWorth(e.x);
      default:
        return false;
    }
  }
}

export function extractConsts(_root: SyntaxNode, ctx: ExtractorContext): ConstsFacts {
  const x = new Extractor(ctx);
  x.file(ctx.tree);
  return x.out;
}

registerExtractor(CONSTS_EXTRACTOR, CONSTS_EXTRACTOR_VERSION, extractConsts);

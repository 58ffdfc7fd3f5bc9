// Extractor "symrefs": the references platform-symbol and syscall-portability check, with
// the scope resolution done here, where the whole tree is at hand.
//
// A reference that a local name (variable, constant, type, parameter, receiver, named
// result, type parameter) explains is dropped: what is left can only mean a package-level
// name, an import name or a predeclared identifier, and the rules decide which. Selector
// chains keep their operand's static type when the syntax alone makes it certain (a
// declared type, a composite literal, a type assertion, `new(T)`), so that fields and
// methods can be looked up per target. Binary operations and assignments where a selected
// field meets another typed operand are kept too: a field whose type differs per target
// (Stat_t.Blksize) breaks them on some targets only.
import type { SyntaxNode } from 'tree-sitter';
import type { Span } from '../types';
import { registerExtractor, type ExtractorContext, type PlainNode } from './extractors';
import { field as fieldOf, fields as fieldsOf, hasToken, named as namedKids } from './tree';
import { PREDECLARED } from '../symbols/types';

export const SYMREFS = 'symrefs';
/** Bump when the output changes: it is part of the facts cache key. */
export const SYMREFS_VERSION = 6;

/** A named type as written: `T`, `*T`, `pkg.T`, `*pkg.T` (type arguments dropped). */
export interface TypeRef {
  /** The qualifier as written (an import name of the file); absent for the file's own package. */
  pkg?: string;
  name: string;
  ptr?: true;
}

/** What a selector chain starts from. */
export type Base =
  /** An identifier no local explains: a package-level name, an import name, or a predeclared one. */
  | { k: 'name'; name: string; span: Span }
  /** An operand of certain static type; `name` and `span` when the operand is a local identifier. */
  | { k: 'type'; t: TypeRef; name?: string; span?: Span }
  /** An operand whose type is that of another chain (`bs := st.Blksize`). */
  | { k: 'of'; chain: number };

export interface Sel {
  name: string;
  span: Span;
}

/** `base.sel1.sel2…`; with no selectors, a bare identifier reference. */
export interface Chain {
  base: Base;
  sels: Sel[];
}

/** A field name as the key of a composite literal of a known named type (`syscall.SysProcAttr{Setpgid: true}`). */
export interface KeyRef {
  t: TypeRef;
  name: string;
  span: Span;
  /** Whether no local of that name is in scope (so, for a non-struct type, the key is a package-level name). */
  free: boolean;
  /** The value's type, when known (`Rdev: st.Rdev`): it must match the field's. */
  value?: Operand;
  valueSpan?: Span;
}

export type Operand = { k: 'chain'; chain: number } | { k: 'type'; t: TypeRef };

/** Two typed operands that must have identical types: `a + b`, `a == b`, `a = b`, `a += b`, `var a T = b`. */
export interface Mix {
  /** `arg`: an argument and its parameter's type (made by the rules from a Call). */
  kind: 'binary' | 'assign' | 'init' | 'arg' | 'field';
  op: string;
  left: Operand;
  right: Operand;
  span: Span;
}

/** A call whose arguments include a selected field: each argument must match its parameter's type. */
export interface Call {
  /** The callee: a chain (`time.Unix`, `f`, `x.M`). */
  fn: number;
  /** Each argument's type, when known. */
  args: (Operand | null)[];
  spans: Span[];
  /** `f(xs...)`. */
  spread: boolean;
}

/** A top-level function or method and the types of its parameters, for calls to it. */
export interface FuncSig {
  name: string;
  /** Methods: the receiver's base type name. */
  recv?: string;
  /** One entry per parameter (names expanded); null where not a named type. */
  params: (TypeRef | null)[];
  variadic: boolean;
}

export interface SymRefs {
  chains: Chain[];
  keys: KeyRef[];
  mixes: Mix[];
  calls: Call[];
  funcs: FuncSig[];
}

// The tree as plain objects (ExtractorContext.tree): reading the native tree costs a call
// per property. Anonymous tokens (operators, `:=`) carry their type only.
type N = PlainNode;

/** The operator token of a binary, unary or assignment node: its first anonymous child. */
function operatorOf(n: N): string | undefined {
  return n.children.find((k) => !k.named)?.type;
}

// ---------------------------------------------------------------------------------------

/** What a local name is known to be. */
type Binding = { t?: TypeRef; of?: number } | null;

/** Predeclared types a one-argument call converts to. */
const BASIC = new Set([
  'bool', 'byte', 'complex64', 'complex128', 'float32', 'float64', 'int', 'int8', 'int16', 'int32', 'int64', 'rune',
  'string', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr',
]);

/** Operators whose operands must have identical types (shifts excepted; && and || take bools). */
const SAME_TYPE_OPS = new Set(['+', '-', '*', '/', '%', '&', '|', '^', '&^', '==', '!=', '<', '<=', '>', '>=']);
const SAME_TYPE_ASSIGN = new Set(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '&^=']);

class Walker {
  private readonly out: SymRefs = { chains: [], keys: [], mixes: [], calls: [], funcs: [] };
  /** Innermost scope last. */
  private readonly scopes: Map<string, Binding>[] = [];
  /** Result types of the enclosing functions, innermost last. */
  private readonly results: (TypeRef | undefined)[][] = [];

  constructor(
    private readonly text: string,
    private readonly ctx: ExtractorContext,
  ) {}

  result(root: N): SymRefs {
    this.scopes.push(new Map());
    for (const n of root.children) {
      if (!n.named) continue;
      switch (n.type) {
        case 'package_clause':
        case 'import_declaration':
        case 'comment':
          break;
        case 'function_declaration':
        case 'method_declaration':
          this.func(n);
          break;
        case 'type_declaration':
          this.typeDecl(n, false);
          break;
        case 'var_declaration':
        case 'const_declaration':
          // Package-level: the names are the package's, not locals.
          for (const spec of this.specs(n)) {
            const t = fieldOf(spec, 'type');
            const v = fieldOf(spec, 'value');
            if (t) this.visit(t);
            if (v) this.initMix(spec, t, v);
          }
          break;
        default:
          this.visit(n);
      }
    }
    return this.out;
  }

  // ---- scopes ----

  private t(n: N): string {
    return this.text.slice(n.start, n.end);
  }

  private span(n: N): Span {
    return this.ctx.toSpan({ startIndex: n.start, endIndex: n.end });
  }

  private lookup(name: string): Binding | undefined {
    for (let i = this.scopes.length - 1; i >= 1; i--) {
      const b = this.scopes[i].get(name);
      if (b !== undefined) return b;
    }
    return undefined;
  }

  private isLocal(name: string): boolean {
    return this.lookup(name) !== undefined;
  }

  private bind(n: N | undefined, b: Binding = null): void {
    if (!n || (n.type !== 'identifier' && n.type !== 'type_identifier')) return;
    const name = this.t(n);
    if (name === '_' || name === '') return;
    this.scopes[this.scopes.length - 1].set(name, b);
  }

  private push(): void {
    this.scopes.push(new Map());
  }

  private pop(): void {
    this.scopes.pop();
  }

  // ---- emitting ----

  private chain(base: Base, sels: Sel[]): number {
    this.out.chains.push({ base, sels });
    return this.out.chains.length - 1;
  }

  /** A bare identifier in value or type position. */
  private ident(n: N): void {
    const name = this.t(n);
    if (name === '_' || name === '' || this.isLocal(name) || PREDECLARED.has(name)) return;
    this.chain({ k: 'name', name, span: this.span(n) }, []);
  }

  // ---- types as written ----

  /** The named type a type expression denotes, when it is `T`, `*T`, `pkg.T` or `*pkg.T` and no local hides it. */
  private typeRef(n: N | undefined): TypeRef | undefined {
    if (!n) return undefined;
    let ptr = false;
    while (n.type === 'parenthesized_type') n = namedKids(n)[0];
    if (n && n.type === 'pointer_type') {
      ptr = true;
      n = namedKids(n)[0];
      while (n && n.type === 'parenthesized_type') n = namedKids(n)[0];
    }
    if (n && n.type === 'generic_type') n = fieldOf(n, 'type');
    if (!n) return undefined;
    let ref: TypeRef | undefined;
    if (n.type === 'type_identifier' || n.type === 'identifier') {
      const name = this.t(n);
      if (this.isLocal(name)) return undefined;
      ref = { name };
    } else if (n.type === 'qualified_type') {
      const pkg = fieldOf(n, 'package');
      const name = fieldOf(n, 'name');
      if (!pkg || !name || this.isLocal(this.t(pkg))) return undefined;
      ref = { pkg: this.t(pkg), name: this.t(name) };
    } else if (n.type === 'selector_expression') {
      // A type in expression position (`x.(*pkg.T)` parses as qualified_type, conversions as selectors).
      const op = fieldOf(n, 'operand');
      const name = fieldOf(n, 'field');
      if (!op || !name || op.type !== 'identifier' || this.isLocal(this.t(op))) return undefined;
      ref = { pkg: this.t(op), name: this.t(name) };
    }
    if (ref && ptr) ref.ptr = true;
    return ref;
  }

  // ---- declarations ----

  private specs(decl: N): N[] {
    const out: N[] = [];
    for (const k of namedKids(decl)) {
      if (k.type === 'var_spec' || k.type === 'const_spec') out.push(k);
      else if (k.type === 'var_spec_list' || k.type === 'const_spec_list') out.push(...namedKids(k).filter((s) => s.type === 'var_spec' || s.type === 'const_spec'));
    }
    return out;
  }

  private typeParamNames(list: N | undefined): N[] {
    const out: N[] = [];
    if (list) for (const d of namedKids(list)) if (d.type === 'type_parameter_declaration') out.push(...fieldsOf(d, 'name'));
    return out;
  }

  /** Type declarations; local ones bind their names first (a type may refer to itself). */
  private typeDecl(decl: N, local: boolean): void {
    for (const spec of namedKids(decl)) {
      if (spec.type !== 'type_spec' && spec.type !== 'type_alias') continue;
      if (local) this.bind(fieldOf(spec, 'name'));
      const tparams = fieldOf(spec, 'type_parameters');
      this.push();
      for (const p of this.typeParamNames(tparams)) this.bind(p);
      if (tparams) this.typeParams(tparams);
      const t = fieldOf(spec, 'type');
      if (t) this.visit(t);
      this.pop();
    }
  }

  private typeParams(list: N): void {
    for (const d of namedKids(list)) {
      const c = fieldOf(d, 'type');
      if (c) this.visit(c);
    }
  }

  /** Functions and methods: receiver, type parameters, parameters and results are locals of the body. */
  private func(n: N): void {
    this.push();
    if (n.type === 'method_declaration') {
      const recv = fieldOf(n, 'receiver');
      const param = recv && namedKids(recv).find((k) => k.type === 'parameter_declaration');
      if (param) {
        let t = fieldOf(param, 'type');
        let pointer = false;
        while (t && (t.type === 'parenthesized_type' || t.type === 'pointer_type')) {
          if (t.type === 'pointer_type') pointer = true;
          t = namedKids(t)[0];
        }
        let base = t;
        if (t && t.type === 'generic_type') {
          // `func (r *T[K]) M()` declares K.
          const args = fieldOf(t, 'type_arguments');
          if (args) for (const el of namedKids(args)) this.bind(namedKids(el)[0]);
          base = fieldOf(t, 'type');
        }
        if (base && base.type === 'type_identifier') {
          this.ident(base);
          const ref: TypeRef = { name: this.t(base) };
          if (pointer) ref.ptr = true;
          for (const nm of fieldsOf(param, 'name')) this.bind(nm, { t: ref });
        } else {
          if (base) this.visit(base);
          for (const nm of fieldsOf(param, 'name')) this.bind(nm);
        }
      }
    } else {
      const tparams = fieldOf(n, 'type_parameters');
      for (const p of this.typeParamNames(tparams)) this.bind(p);
      if (tparams) this.typeParams(tparams);
    }
    const sig = this.funcSig(n);
    this.body(n, this.signature(n, sig));
    if (sig) this.out.funcs.push(sig);
    this.pop();
  }

  /** A signature record for a top-level function or method (not for nested declarations). */
  private funcSig(n: N): FuncSig | undefined {
    if (this.scopes.length !== 2) return undefined;
    const name = fieldOf(n, 'name');
    if (!name) return undefined;
    const sig: FuncSig = { name: this.t(name), params: [], variadic: false };
    if (n.type === 'method_declaration') {
      const recv = fieldOf(n, 'receiver');
      const param = recv && namedKids(recv).find((k) => k.type === 'parameter_declaration');
      let t = param && fieldOf(param, 'type');
      while (t && (t.type === 'parenthesized_type' || t.type === 'pointer_type')) t = namedKids(t)[0];
      if (t && t.type === 'generic_type') t = fieldOf(t, 'type');
      if (!t || t.type !== 'type_identifier') return undefined;
      sig.recv = this.t(t);
    }
    return sig;
  }

  /**
   * Visits parameter and result types, then binds their names in the current scope.
   * Returns the result types, one per result (undefined where not a named type).
   */
  private signature(fn: N, sig?: FuncSig): (TypeRef | undefined)[] {
    const names: [N, TypeRef | undefined][] = [];
    const results: (TypeRef | undefined)[] = [];
    for (const part of [fieldOf(fn, 'parameters'), fieldOf(fn, 'result')]) {
      if (!part) continue;
      const isResult = part.field === 'result';
      if (part.type !== 'parameter_list') {
        this.visit(part);
        if (isResult) results.push(this.typeRef(part));
        continue;
      }
      for (const p of namedKids(part)) {
        if (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration') continue;
        const t = fieldOf(p, 'type');
        if (t) this.visit(t);
        const ref = p.type === 'parameter_declaration' ? this.typeRef(t) : undefined;
        const pnames = fieldsOf(p, 'name');
        for (const nm of pnames) names.push([nm, ref]);
        if (isResult) for (let i = 0; i < Math.max(1, pnames.length); i++) results.push(ref);
        else if (sig) {
          for (let i = 0; i < Math.max(1, pnames.length); i++) sig.params.push(p.type === 'variadic_parameter_declaration' ? this.typeRef(t) ?? null : ref ?? null);
          if (p.type === 'variadic_parameter_declaration') sig.variadic = true;
        }
      }
    }
    for (const [nm, ref] of names) this.bind(nm, ref ? { t: ref } : null);
    return results;
  }

  /** A function body, with the function's result types for its return statements. */
  private body(n: N, results: (TypeRef | undefined)[]): void {
    const body = fieldOf(n, 'body');
    if (!body) return;
    this.results.push(results);
    this.block(body, false);
    this.results.pop();
  }

  /** A block; `scoped` false when the caller already opened the scope (function bodies). */
  private block(n: N, scoped = true): void {
    if (scoped) this.push();
    for (const k of n.children) if (k.named) this.stmt(k);
    if (scoped) this.pop();
  }

  private stmts(list: N): void {
    for (const k of list.children) if (k.named) this.stmt(k);
  }

  // ---- statements ----

  private stmt(n: N): void {
    switch (n.type) {
      case 'statement_list':
        this.stmts(n);
        return;
      case 'block':
        this.block(n);
        return;
      case 'var_declaration':
        for (const spec of this.specs(n)) {
          const t = fieldOf(spec, 'type');
          const v = fieldOf(spec, 'value');
          if (t) this.visit(t);
          const names = fieldsOf(spec, 'name');
          const kinds = v ? this.initMix(spec, t, v) : [];
          const declared = this.typeRef(t);
          names.forEach((nm, i) => this.bind(nm, declared ? { t: declared } : names.length === kinds.length ? kinds[i] ?? null : null));
        }
        return;
      case 'const_declaration':
        for (const spec of this.specs(n)) {
          const t = fieldOf(spec, 'type');
          const v = fieldOf(spec, 'value');
          if (t) this.visit(t);
          if (v) this.visit(v);
          for (const nm of fieldsOf(spec, 'name')) this.bind(nm);
        }
        return;
      case 'type_declaration':
        this.typeDecl(n, true);
        return;
      case 'short_var_declaration': {
        const left = fieldOf(n, 'left');
        const right = fieldOf(n, 'right');
        const values = right ? namedKids(right) : [];
        const kinds = values.map((v) => this.expr(v));
        const lhs = left ? namedKids(left) : [];
        lhs.forEach((nm, i) => {
          let b: Binding = null;
          if (lhs.length === values.length) b = kinds[i] ?? null;
          else if (values.length === 1 && lhs.length === 2 && values[0].type === 'type_assertion_expression' && i === 0) b = kinds[0] ?? null;
          if (nm.type === 'identifier') this.bind(nm, b);
          else this.visit(nm);
        });
        return;
      }
      case 'assignment_statement': {
        const left = fieldOf(n, 'left');
        const right = fieldOf(n, 'right');
        const op = operatorOf(n);
        const lhs = left ? namedKids(left) : [];
        const rhs = right ? namedKids(right) : [];
        const lk = lhs.map((x) => this.expr(x));
        const rk = rhs.map((x) => this.expr(x));
        // go/types reports `x = y` at y, and `x op= y` at the statement.
        if (op && SAME_TYPE_ASSIGN.has(op) && lhs.length === 1 && rhs.length === 1) this.mix('assign', op, lk[0], rk[0], op === '=' ? rhs[0] : n);
        return;
      }
      case 'if_statement': {
        this.push();
        const init = fieldOf(n, 'initializer');
        if (init) this.stmt(init);
        const cond = fieldOf(n, 'condition');
        if (cond) this.expr(cond);
        const cons = fieldOf(n, 'consequence');
        if (cons) this.block(cons);
        const alt = fieldOf(n, 'alternative');
        if (alt) this.stmt(alt);
        this.pop();
        return;
      }
      case 'for_statement': {
        this.push();
        for (const k of namedKids(n)) {
          if (k.type === 'for_clause') {
            const init = fieldOf(k, 'initializer');
            if (init) this.stmt(init);
            const cond = fieldOf(k, 'condition');
            if (cond) this.expr(cond);
            const upd = fieldOf(k, 'update');
            if (upd) this.stmt(upd);
          } else if (k.type === 'range_clause') {
            const left = fieldOf(k, 'left');
            const right = fieldOf(k, 'right');
            if (right) this.expr(right);
            if (left) {
              if (hasToken(k, ':=')) for (const nm of namedKids(left)) this.bind(nm);
              else for (const x of namedKids(left)) this.expr(x);
            }
          } else if (k.type === 'block') {
            this.block(k);
          } else {
            this.expr(k);
          }
        }
        this.pop();
        return;
      }
      case 'expression_switch_statement': {
        this.push();
        const init = fieldOf(n, 'initializer');
        if (init) this.stmt(init);
        const value = fieldOf(n, 'value');
        if (value) this.expr(value);
        for (const c of namedKids(n)) {
          if (c.type !== 'expression_case' && c.type !== 'default_case') continue;
          const vals = fieldOf(c, 'value');
          if (vals) for (const v of namedKids(vals)) this.expr(v);
          this.push();
          for (const s of namedKids(c)) if (s.type === 'statement_list') this.stmts(s);
          this.pop();
        }
        this.pop();
        return;
      }
      case 'type_switch_statement': {
        this.push();
        const init = fieldOf(n, 'initializer');
        if (init) this.stmt(init);
        const value = fieldOf(n, 'value');
        if (value) this.expr(value);
        const alias = fieldOf(n, 'alias');
        const aliasName = alias ? namedKids(alias)[0] : undefined;
        for (const c of namedKids(n)) {
          if (c.type !== 'type_case' && c.type !== 'default_case') continue;
          const types = fieldsOf(c, 'type');
          for (const t of types) this.visit(t);
          this.push();
          // In a clause listing exactly one type, the alias has that type.
          const one = types.length === 1 ? this.typeRef(types[0]) : undefined;
          if (aliasName) this.bind(aliasName, one ? { t: one } : null);
          for (const s of namedKids(c)) if (s.type === 'statement_list') this.stmts(s);
          this.pop();
        }
        this.pop();
        return;
      }
      case 'select_statement':
        for (const c of namedKids(n)) {
          this.push();
          const comm = fieldOf(c, 'communication');
          if (comm) this.stmt(comm);
          for (const s of namedKids(c)) if (s.type === 'statement_list') this.stmts(s);
          this.pop();
        }
        return;
      case 'receive_statement': {
        const left = fieldOf(n, 'left');
        const right = fieldOf(n, 'right');
        if (right) this.expr(right);
        if (left) {
          if (hasToken(n, ':=')) for (const nm of namedKids(left)) this.bind(nm);
          else for (const x of namedKids(left)) this.expr(x);
        }
        return;
      }
      case 'return_statement': {
        const list = namedKids(n)[0];
        const values = list ? (list.type === 'expression_list' ? namedKids(list) : [list]) : [];
        const kinds = values.map((v) => this.expr(v));
        const results = this.results[this.results.length - 1] ?? [];
        if (values.length === results.length) {
          values.forEach((v, i) => {
            const r = results[i];
            if (r && !r.ptr) this.mix('assign', '=', { t: r }, kinds[i], v);
          });
        }
        return;
      }
      case 'labeled_statement':
        for (const k of namedKids(n)) if (k.type !== 'label_name') this.stmt(k);
        return;
      case 'break_statement':
      case 'continue_statement':
      case 'goto_statement':
      case 'fallthrough_statement':
      case 'empty_statement':
      case 'comment':
        return;
      case 'function_declaration':
      case 'method_declaration':
        this.func(n);
        return;
      default:
        // Expression statements, go, defer, return, send, inc/dec.
        for (const k of namedKids(n)) this.expr(k);
    }
  }

  /** `var a T = b`: a mix when T is named; returns what each value's type is known to be. */
  private initMix(spec: N, typeNode: N | undefined, valueList: N): (Binding | undefined)[] {
    const values = namedKids(valueList);
    const kinds = values.map((v) => this.expr(v));
    const names = fieldsOf(spec, 'name');
    const declared = this.typeRef(typeNode);
    if (declared && !declared.ptr && names.length === 1 && values.length === 1) {
      this.mix('init', '=', { t: declared }, kinds[0], values[0]);
    }
    return kinds;
  }

  private operand(b: Binding | undefined): Operand | undefined {
    if (!b) return undefined;
    if (b.of !== undefined) return { k: 'chain', chain: b.of };
    if (b.t) return { k: 'type', t: b.t };
    return undefined;
  }

  private mix(kind: Mix['kind'], op: string, l: Binding | undefined, r: Binding | undefined, at: N): void {
    const left = this.operand(l);
    const right = this.operand(r);
    if (!left || !right) return;
    // Only a selected field can change type between targets.
    const selects = (o: Operand) => o.k === 'chain' && this.out.chains[o.chain].sels.length > 0;
    if (!selects(left) && !selects(right)) return;
    this.out.mixes.push({ kind, op, left, right, span: this.span(at) });
  }

  // ---- expressions ----

  /**
   * Visits an expression (or a type in expression position) and returns its type when
   * the syntax makes it certain: a named type, or "the type of chain i".
   */
  private expr(n: N): Binding | undefined {
    switch (n.type) {
      case 'identifier': {
        const name = this.t(n);
        const b = this.lookup(name);
        if (b !== undefined) return b;
        if (name === '_' || PREDECLARED.has(name)) return undefined;
        return { of: this.chain({ k: 'name', name, span: this.span(n) }, []) };
      }
      case 'type_identifier':
        this.ident(n);
        return undefined;
      case 'parenthesized_expression': {
        const inner = namedKids(n)[0];
        return inner ? this.expr(inner) : undefined;
      }
      case 'selector_expression':
        return this.selector(n);
      case 'qualified_type': {
        const pkg = fieldOf(n, 'package');
        const name = fieldOf(n, 'name');
        if (!pkg || !name) return undefined;
        const p = this.t(pkg);
        if (this.isLocal(p)) return undefined;
        this.chain({ k: 'name', name: p, span: this.span(pkg) }, [{ name: this.t(name), span: this.span(name) }]);
        return undefined;
      }
      case 'type_assertion_expression': {
        const op = fieldOf(n, 'operand');
        const t = fieldOf(n, 'type');
        if (op) this.expr(op);
        if (t) this.visit(t);
        const ref = this.typeRef(t);
        return ref ? { t: ref } : undefined;
      }
      case 'composite_literal':
        return this.composite(n);
      case 'unary_expression': {
        const op = operatorOf(n);
        const x = fieldOf(n, 'operand');
        if (!x) return undefined;
        const b = this.expr(x);
        if (op === '&' && x.type === 'composite_literal' && b?.t && !b.t.ptr) return { t: { ...b.t, ptr: true } };
        return undefined;
      }
      case 'call_expression': {
        const fn = fieldOf(n, 'function');
        const args = fieldOf(n, 'arguments');
        const argList = args ? namedKids(args) : [];
        if (fn && fn.type === 'identifier' && !this.isLocal(this.t(fn))) {
          const name = this.t(fn);
          if (name === 'new' && argList.length === 1) {
            this.visit(argList[0]);
            const ref = this.typeRef(argList[0]);
            return ref && !ref.ptr ? { t: { ...ref, ptr: true } } : undefined;
          }
          if (BASIC.has(name) && argList.length === 1 && !hasToken(args!, '...')) {
            this.expr(argList[0]);
            return { t: { name } };
          }
        }
        // `(*T)(p)`, `(*pkg.T)(unsafe.Pointer(&b[0]))`: a conversion to a pointer type (a
        // package-level function pointer called through `(*f)(x)` resolves to no type, and
        // lookups on it stay unknown).
        let inner = fn;
        while (inner && inner.type === 'parenthesized_expression') inner = namedKids(inner)[0];
        if (fn && fn !== inner && inner?.type === 'unary_expression' && operatorOf(inner) === '*' && argList.length === 1 && !hasToken(args!, '...')) {
          const ref = this.typeRef(fieldOf(inner, 'operand'));
          if (ref && !ref.ptr) {
            this.expr(fn);
            this.expr(argList[0]);
            return { t: { ...ref, ptr: true } };
          }
        }
        const callee = fn ? this.expr(fn) : undefined;
        const targs = fieldOf(n, 'type_arguments');
        if (targs) this.visit(targs);
        const kinds = argList.map((a) => this.operand(this.expr(a)) ?? null);
        // A selected field can change type between targets, and so can the parameters of a
        // function declared per target: a call with an argument of known type is kept.
        if (callee?.of !== undefined && kinds.some((k) => k !== null)) {
          this.out.calls.push({ fn: callee.of, args: kinds, spans: argList.map((a) => this.span(a)), spread: hasToken(args!, '...') });
        }
        return undefined;
      }
      case 'binary_expression': {
        const l = fieldOf(n, 'left');
        const r = fieldOf(n, 'right');
        const op = operatorOf(n);
        const lk = l ? this.expr(l) : undefined;
        const rk = r ? this.expr(r) : undefined;
        if (op && SAME_TYPE_OPS.has(op)) this.mix('binary', op, lk, rk, n);
        return undefined;
      }
      case 'func_literal': {
        this.push();
        this.body(n, this.signature(n));
        this.pop();
        return undefined;
      }
      case 'literal_value':
        this.literal(n, undefined);
        return undefined;
      default:
        this.visit(n);
        return undefined;
    }
  }

  /** `a.b.c`: one chain from the innermost operand whose type or name is known. */
  private selector(n: N): Binding | undefined {
    const sels: Sel[] = [];
    let x: N | undefined = n;
    while (x && (x.type === 'selector_expression' || x.type === 'parenthesized_expression')) {
      if (x.type === 'parenthesized_expression') {
        x = namedKids(x)[0];
        continue;
      }
      const f = fieldOf(x, 'field');
      if (f) sels.unshift({ name: this.t(f), span: this.span(f) });
      x = fieldOf(x, 'operand');
    }
    if (!x) return undefined;
    let base: Base | undefined;
    if (x.type === 'identifier') {
      const name = this.t(x);
      const b = this.lookup(name);
      if (b === undefined) {
        if (name !== '_' && !PREDECLARED.has(name)) base = { k: 'name', name, span: this.span(x) };
      } else if (b?.t) base = { k: 'type', t: b.t, name, span: this.span(x) };
      else if (b?.of !== undefined) base = { k: 'of', chain: b.of };
    } else {
      const b = this.expr(x);
      if (b?.t) base = { k: 'type', t: b.t };
      else if (b?.of !== undefined) base = { k: 'of', chain: b.of };
    }
    if (!base) return undefined;
    return { of: this.chain(base, sels) };
  }

  /** A composite literal: its type, its keys (field names of a named type), its elements. */
  private composite(n: N): Binding | undefined {
    const t = fieldOf(n, 'type');
    const body = fieldOf(n, 'body');
    if (t) this.visit(t);
    if (body) this.literal(body, t);
    const ref = this.typeRef(t);
    return ref && !ref.ptr ? { t: ref } : undefined;
  }

  /**
   * The body of a composite literal of type `type` (as written; undefined when unknown).
   * Keys are field names for a named type (kept as KeyRefs) or a struct type literal,
   * expressions for maps, slices and arrays; nested literals may elide their type.
   */
  private literal(body: N, type: N | undefined): void {
    while (type && type.type === 'parenthesized_type') type = namedKids(type)[0];
    // `[]*T{{…}}` elides `&T`: the nested literal is a T either way.
    if (type && type.type === 'pointer_type') type = namedKids(type)[0];
    const ref = this.typeRef(type);
    let keys: 'field' | 'expr' | 'unknown' = 'unknown';
    let keyType: N | undefined;
    let elemType: N | undefined;
    if (ref) keys = 'field';
    else if (type && type.type === 'struct_type') keys = 'field';
    else if (type && (type.type === 'slice_type' || type.type === 'array_type' || type.type === 'implicit_length_array_type')) {
      keys = 'expr';
      elemType = fieldOf(type, 'element');
    } else if (type && type.type === 'map_type') {
      keys = 'expr';
      keyType = fieldOf(type, 'key');
      elemType = fieldOf(type, 'value');
    }
    for (const el of namedKids(body)) {
      if (el.type !== 'keyed_element') {
        this.element(el, elemType);
        continue;
      }
      const key = fieldOf(el, 'key');
      const value = fieldOf(el, 'value');
      if (key) {
        const inner = namedKids(key);
        const only = inner.length === 1 ? inner[0] : undefined;
        if (only && only.type === 'identifier' && keys !== 'expr') {
          // A field name, or (for a named map or slice type) an expression: the rules decide.
          if (ref) {
            const name = this.t(only);
            const k: KeyRef = { t: ref, name, span: this.span(only), free: !this.isLocal(name) && !PREDECLARED.has(name) };
            this.out.keys.push(k);
            const v = value ? this.operand(this.element(value, elemType)) : undefined;
            if (v) {
              k.value = v;
              k.valueSpan = this.span(value!);
            }
            continue;
          }
        } else this.element(key, keyType);
      }
      if (value) this.element(value, elemType);
    }
  }

  /** A literal element: an expression, or a nested literal whose type (`elided`) is left out. */
  private element(el: N, elided: N | undefined): Binding | undefined {
    const inner = el.type === 'literal_element' ? namedKids(el)[0] : el;
    if (!inner) return undefined;
    if (inner.type === 'literal_value') this.literal(inner, elided);
    else return this.expr(inner);
    return undefined;
  }

  // ---- types and everything else ----

  /** Visits types and other nodes that hold only uses. */
  private visit(n: N): void {
    switch (n.type) {
      case 'identifier':
      case 'type_identifier':
        this.ident(n);
        return;
      case 'field_identifier':
      case 'package_identifier':
      case 'label_name':
      case 'comment':
      case 'ERROR':
        return;
      case 'qualified_type':
      case 'selector_expression':
      case 'composite_literal':
      case 'call_expression':
      case 'binary_expression':
      case 'unary_expression':
      case 'type_assertion_expression':
      case 'func_literal':
      case 'parenthesized_expression':
        this.expr(n);
        return;
      case 'parameter_list':
        // Parameter names of function types and interface methods are not uses.
        for (const p of namedKids(n)) {
          const t = fieldOf(p, 'type');
          if (t) this.visit(t);
        }
        return;
      case 'field_declaration': {
        const t = fieldOf(n, 'type');
        if (t) this.visit(t);
        return;
      }
      case 'method_elem': {
        const params = fieldOf(n, 'parameters');
        const result = fieldOf(n, 'result');
        if (params) this.visit(params);
        if (result) this.visit(result);
        return;
      }
      case 'literal_value':
        this.literal(n, undefined);
        return;
      case 'block':
        this.block(n);
        return;
      default:
        for (const k of n.children) if (k.named) this.visit(k);
    }
  }
}

export function extractSymRefs(_root: SyntaxNode, ctx: ExtractorContext): SymRefs {
  return new Walker(ctx.text, ctx).result(ctx.tree);
}

// ---------------------------------------------------------------------------------------
// The stored form. Facts are cached on disk and cross threads as JSON, and a file has
// thousands of references: spans and objects are flattened into arrays of strings and
// numbers (an identifier's span is its start; its end follows from its length).

/** SymRefs as stored in FileFacts.extras.symrefs. */
export interface PackedSymRefs {
  c: (string | number)[][];
  k: unknown[][];
  m: unknown[][];
  a: unknown[][];
  f: unknown[][];
}

type PackedType = [string, string, number];

function packType(t: TypeRef): PackedType {
  return [t.pkg ?? '', t.name, t.ptr ? 1 : 0];
}

function unpackType(p: PackedType): TypeRef {
  const t: TypeRef = { name: p[1] };
  if (p[0]) t.pkg = p[0];
  if (p[2]) t.ptr = true;
  return t;
}

function identSpan(name: string, line: number, col: number): Span {
  return { start: { line, col }, end: { line, col: col + name.length } };
}

function packSpan(s: Span): number[] {
  return [s.start.line, s.start.col, s.end.line, s.end.col];
}

function unpackSpan(a: unknown[], i: number): Span {
  return { start: { line: a[i] as number, col: a[i + 1] as number }, end: { line: a[i + 2] as number, col: a[i + 3] as number } };
}

function packOperand(o: Operand | null): unknown {
  return o === null ? null : o.k === 'chain' ? o.chain : packType(o.t);
}

function unpackOperand(p: unknown): Operand | null {
  if (p === null || p === undefined) return null;
  return typeof p === 'number' ? { k: 'chain', chain: p } : { k: 'type', t: unpackType(p as PackedType) };
}

export function packSymRefs(r: SymRefs): PackedSymRefs {
  const c = r.chains.map((ch) => {
    const b = ch.base;
    let out: (string | number)[];
    if (b.k === 'name') out = [0, b.name, b.span.start.line, b.span.start.col];
    else if (b.k === 'type') out = [1, b.t.pkg ?? '', b.t.name, b.t.ptr ? 1 : 0, b.name ?? '', b.span?.start.line ?? 0, b.span?.start.col ?? 0];
    else out = [2, b.chain];
    for (const x of ch.sels) out.push(x.name, x.span.start.line, x.span.start.col);
    return out;
  });
  const k = r.keys.map((x) => [...packType(x.t), x.name, x.span.start.line, x.span.start.col, x.free ? 1 : 0, ...(x.value && x.valueSpan ? [packOperand(x.value), ...packSpan(x.valueSpan)] : [])]);
  const m = r.mixes.map((x) => [x.kind, x.op, packOperand(x.left), packOperand(x.right), ...packSpan(x.span)]);
  const a = r.calls.map((x) => [x.fn, x.args.map(packOperand), x.spans.flatMap(packSpan), x.spread ? 1 : 0]);
  const f = r.funcs.map((x) => [x.name, x.recv ?? '', x.variadic ? 1 : 0, x.params.map((p) => (p ? packType(p) : null))]);
  return { c, k, m, a, f };
}

export function unpackSymRefs(p: PackedSymRefs): SymRefs {
  const chains: Chain[] = p.c.map((a) => {
    let base: Base;
    let i: number;
    if (a[0] === 0) {
      base = { k: 'name', name: a[1] as string, span: identSpan(a[1] as string, a[2] as number, a[3] as number) };
      i = 4;
    } else if (a[0] === 1) {
      const t = unpackType([a[1], a[2], a[3]] as PackedType);
      const name = a[4] as string;
      base = name ? { k: 'type', t, name, span: identSpan(name, a[5] as number, a[6] as number) } : { k: 'type', t };
      i = 7;
    } else {
      base = { k: 'of', chain: a[1] as number };
      i = 2;
    }
    const sels: Sel[] = [];
    for (; i + 2 < a.length; i += 3) sels.push({ name: a[i] as string, span: identSpan(a[i] as string, a[i + 1] as number, a[i + 2] as number) });
    return { base, sels };
  });
  const keys: KeyRef[] = p.k.map((a) => {
    const k: KeyRef = { t: unpackType([a[0], a[1], a[2]] as PackedType), name: a[3] as string, span: identSpan(a[3] as string, a[4] as number, a[5] as number), free: a[6] === 1 };
    const v = a.length > 7 ? unpackOperand(a[7]) : null;
    if (v) {
      k.value = v;
      k.valueSpan = unpackSpan(a, 8);
    }
    return k;
  });
  const mixes: Mix[] = p.m.map((a) => ({ kind: a[0] as Mix['kind'], op: a[1] as string, left: unpackOperand(a[2])!, right: unpackOperand(a[3])!, span: unpackSpan(a, 4) }));
  const calls: Call[] = p.a.map((a) => {
    const args = (a[1] as unknown[]).map(unpackOperand);
    const flat = a[2] as number[];
    return { fn: a[0] as number, args, spans: args.map((_, i) => unpackSpan(flat, i * 4)), spread: a[3] === 1 };
  });
  return { chains, keys, mixes, calls, funcs: unpackFuncs(p) };
}

function unpackFuncs(p: PackedSymRefs): FuncSig[] {
  return p.f.map((a) => {
    const sig: FuncSig = { name: a[0] as string, params: (a[3] as (PackedType | null)[]).map((x) => (x ? unpackType(x) : null)), variadic: a[2] === 1 };
    if (a[1]) sig.recv = a[1] as string;
    return sig;
  });
}

/** Only the function signatures of a file's symrefs (what a symbol table needs of a declaring file). */
export function funcSigsOf(extras: Record<string, unknown> | undefined): FuncSig[] {
  const p = extras?.[SYMREFS] as PackedSymRefs | undefined;
  return p && Array.isArray(p.f) ? unpackFuncs(p) : [];
}

const unpacked = new WeakMap<object, SymRefs>();

/** The symrefs of a file's facts (undefined when the extractor did not run), unpacked once. */
export function symRefsOf(extras: Record<string, unknown> | undefined): SymRefs | undefined {
  const p = extras?.[SYMREFS] as PackedSymRefs | undefined;
  if (!p || !Array.isArray(p.c)) return undefined;
  let r = unpacked.get(p);
  if (!r) unpacked.set(p, (r = unpackSymRefs(p)));
  return r;
}

registerExtractor(SYMREFS, SYMREFS_VERSION, (root, ctx) => packSymRefs(extractSymRefs(root, ctx)));

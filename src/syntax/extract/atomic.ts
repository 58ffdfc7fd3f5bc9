// What the atomic-alignment rule needs from function bodies, as plain JSON (facts.extras.atomic):
//
// - the calls to sync/atomic's 64-bit functions, with their address operand in a small
//   structured form (selectors, &, *, indexing, conversions, calls, literals), and the calls
//   of other functions that pass an address (the callee may be a wrapper of sync/atomic);
// - for every body holding such a call, the locals its operands may name, with what types
//   them: a declared type, an initializer, each later assignment, or the ranged expression;
// - the signatures of every top-level function and method (their result types type
//   `x := f()` elsewhere), and the initializers of untyped package-level variables.
//
// Identifiers are resolved to locals here, where scopes are visible; everything else (which
// package a qualifier names, what a field's offset is) is the rule's job.
import type { SyntaxNode } from 'tree-sitter';
import type { Span } from '../../types';
import type { FieldFact, TypeExpr } from '../facts';
import { registerExtractor, type ExtractorContext, type PlainNode } from '../extractors';
import { field, fields, named } from '../tree';

export const ATOMIC_EXTRACTOR = 'atomic';
/** Bump when the output changes: it is part of the facts cache key. */
export const ATOMIC_EXTRACTOR_VERSION = 4;

/** The 64-bit functions of sync/atomic that need an 8-byte-aligned address (operand: first argument). */
export const ATOMIC64_FUNCS = new Set(
  ['Add', 'Load', 'Store', 'Swap', 'CompareAndSwap', 'And', 'Or'].flatMap((op) => [`${op}Int64`, `${op}Uint64`]),
);

export type Expr =
  /** `local` indexes the body's locals; absent: a package-level name, an import or a predeclared name. */
  | { e: 'id'; name: string; local?: number }
  | { e: 'sel'; x: Expr; name: string }
  | { e: 'addr'; x: Expr }
  | { e: 'deref'; x: Expr }
  | { e: 'index'; x: Expr; index: Expr }
  | { e: 'int'; value: number }
  /** A call, or a conversion whose callee is a name or `(*T)`: the rule tells them apart. */
  | { e: 'call'; fn: Expr; args: Expr[] }
  /** A conversion whose callee is syntactically a type (`[]byte(x)`, `(*T)(x)` is a call). */
  | { e: 'conv'; type: TypeExpr; x: Expr }
  /** A composite literal; `type` is absent when elided (`{...}` inside another literal). */
  | { e: 'lit'; type?: TypeExpr }
  /** A type in expression position (the argument of new or make). */
  | { e: 'type'; type: TypeExpr }
  | { e: 'assert'; type: TypeExpr }
  | { e: 'func' }
  | { e: 'other'; text: string };

export interface ParamFact {
  name?: string;
  type: TypeExpr;
}

export interface FuncFact {
  name: string;
  /** Methods: the receiver as written (`*T`, `T[K]`). */
  recv?: ParamFact;
  params: ParamFact[];
  /** One entry per result (a `a, b int` group counts twice). */
  results: TypeExpr[];
  typeParams?: string[];
  span: Span;
}

export type LocalKind = 'param' | 'recv' | 'result' | 'var' | 'define' | 'range-key' | 'range-value' | 'type' | 'other';

export interface LocalVar {
  name: string;
  kind: LocalKind;
  /** The declared type (parameters, `var x T`), or for kind 'type' the type it defines. */
  type?: TypeExpr;
  /** Every value assigned with `=`/`:=`/`var x = e`; for range variables, the ranged expression. */
  values?: Expr[];
  /** Per value: for `a, b := f()`, which result of the call the name takes; -1 when the value is the name's own. */
  results?: number[];
  /** Assigned in a way the values do not describe (`x, y = f()` with a mismatch, `op=`, `&x` taken). */
  opaque?: boolean;
  /** A parameter of the top-level function (not of a closure): its position. */
  param?: number;
}

export interface AtomicCallFact {
  /** The qualifier as written (`atomic`, an alias), or '' for a dot import. */
  qual: string;
  fn: string;
  arg: Expr;
  /** Span of the first argument (what is reported). */
  span: Span;
  callSpan: Span;
  /** Inside an `if` or `switch` that tests the platform at run time (runtime.GOARCH, unsafe.Sizeof, ...). */
  guarded?: boolean;
}

/** A call that passes an address (`f(&x.n)`, `pkg.F((*int64)(&x.n))`): the callee may hand it to sync/atomic. */
export interface PointerCallFact {
  /** The callee: a function name, `pkg.Name`, or a method selector. */
  fn: Expr;
  /** The arguments that are addresses, by position. */
  args: { index: number; arg: Expr; span: Span }[];
}

export interface BodyFact {
  /** Index of the enclosing function in `funcs`; -1 for a package-level initializer. */
  func: number;
  locals: LocalVar[];
  calls: AtomicCallFact[];
  /** Calls of other functions with address arguments. */
  ptrCalls: PointerCallFact[];
}

export interface AtomicFacts {
  funcs: FuncFact[];
  /** Package-level variables without a declared type, with their initializer. */
  vars: { name: string; init: Expr; result?: number }[];
  bodies: BodyFact[];
}

const MAX_DEPTH = 12;

/** Conditions that test the platform at run time: code under them may never run on 32-bit targets. */
const PLATFORM_TEST = /\b(runtime\.GOARCH|unsafe\.Sizeof|unsafe\.Alignof|strconv\.IntSize|bits\.UintSize|goarch\.PtrSize|goarch\.Is\w+)\b|\^uint(ptr)?\(0\)/;

// The tree as plain objects (ExtractorContext.tree): reading the native tree costs a call
// per property. Anonymous tokens (operators, `:=`) carry their type only.
type N = PlainNode;

function unparen(n: N): N {
  let x = n;
  while (x.type === 'parenthesized_expression' || x.type === 'parenthesized_type') {
    const inner = named(x)[0];
    if (!inner) break;
    x = inner;
  }
  return x;
}

function hasToken(n: N, token: string): boolean {
  return n.children.some((k) => !k.named && k.type === token);
}

/**
 * The operator of a unary expression or an assignment: its field `operator`, which the
 * plain tree does not record for tokens; it is the node's first anonymous child.
 */
function operatorOf(n: N): string {
  for (const k of n.children) if (!k.named) return k.type;
  const first = n.children[0];
  return first ? first.type : '';
}

class Extractor {
  readonly out: AtomicFacts = { funcs: [], vars: [], bodies: [] };
  private locals: LocalVar[] = [];
  private calls: AtomicCallFact[] = [];
  private ptrCalls: PointerCallFact[] = [];
  private scopes: Map<string, number>[] = [];
  /** How many enclosing statements test the platform at run time. */
  private guards = 0;

  constructor(
    private readonly ctx: ExtractorContext,
    private readonly walkBodies: boolean,
  ) {}

  private t(n: N): string {
    return this.ctx.text.slice(n.start, n.end);
  }

  private span(n: N): Span {
    return this.ctx.lines.span(n.start, n.end);
  }

  file(root: N): AtomicFacts {
    for (const n of named(root)) {
      if (n.type === 'function_declaration' || n.type === 'method_declaration') this.funcDecl(n);
      else if (n.type === 'var_declaration') this.topVar(n);
    }
    return this.out;
  }

  // ---- top level ----

  private funcDecl(n: N): void {
    const nameNode = field(n, 'name');
    const fn: FuncFact = { name: nameNode ? this.t(nameNode) : '', params: [], results: [], span: this.span(nameNode ?? n) };
    const recvList = field(n, 'receiver');
    if (recvList) {
      const p = named(recvList).find((k) => k.type === 'parameter_declaration');
      const rt = p ? field(p, 'type') : undefined;
      if (p && rt) {
        const rn = field(p, 'name');
        fn.recv = { type: this.typeExpr(rt), ...(rn ? { name: this.t(rn) } : {}) };
        const tps = this.receiverTypeParams(rt);
        if (tps.length) fn.typeParams = tps;
      }
    }
    const tparams = field(n, 'type_parameters');
    if (tparams) {
      fn.typeParams = named(tparams)
        .filter((d) => d.type === 'type_parameter_declaration')
        .flatMap((d) => fields(d, 'name').map((x) => this.t(x)));
    }
    fn.params = this.paramList(field(n, 'parameters'));
    fn.results = this.results(field(n, 'result')).map((r) => r.type);
    this.out.funcs.push(fn);
    const body = field(n, 'body');
    if (!body || !this.walkBodies) return;
    this.beginBody();
    if (fn.recv?.name) this.declare(fn.recv.name, { kind: 'recv', type: fn.recv.type });
    fn.params.forEach((p, i) => {
      if (p.name) this.declare(p.name, { kind: 'param', type: p.type, param: i });
    });
    for (const r of this.results(field(n, 'result'))) if (r.name) this.declare(r.name, { kind: 'result', type: r.type });
    this.block(body);
    this.endBody(this.out.funcs.length - 1);
  }

  /** `func (r *T[K, V]) M()`: K and V are the method's type parameters. */
  private receiverTypeParams(t: N): string[] {
    let x = unparen(t);
    if (x.type === 'pointer_type') x = unparen(named(x)[0] ?? x);
    if (x.type !== 'generic_type') return [];
    const args = field(x, 'type_arguments');
    return args ? named(args).map((el) => this.t(el).trim()) : [];
  }

  private topVar(decl: N): void {
    for (const spec of this.specs(decl, 'var_spec')) {
      const names = fields(spec, 'name');
      const typeNode = field(spec, 'type');
      const value = field(spec, 'value');
      // Initializers may hold closures with atomic calls: walk them as a body of their own.
      if (value && this.walkBodies) {
        this.beginBody();
        for (const v of named(value)) this.expr(v, 0);
        this.endBody(-1);
      }
      if (typeNode || !value) continue;
      const values = named(value);
      names.forEach((nm, i) => {
        if (values.length === names.length) this.out.vars.push({ name: this.t(nm), init: this.expr(values[i], 0, false) });
        else if (values.length === 1) this.out.vars.push({ name: this.t(nm), init: this.expr(values[0], 0, false), result: i });
      });
    }
  }

  private specs(decl: N, type: string): N[] {
    const out: N[] = [];
    for (const k of named(decl)) {
      if (k.type === type) out.push(k);
      else if (k.type === type + '_list') out.push(...named(k).filter((s) => s.type === type));
    }
    return out;
  }

  private paramList(list: N | undefined): ParamFact[] {
    const out: ParamFact[] = [];
    if (!list) return out;
    for (const p of named(list)) {
      if (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration') continue;
      const tn = field(p, 'type');
      if (!tn) continue;
      let type = this.typeExpr(tn);
      if (p.type === 'variadic_parameter_declaration') type = { kind: 'slice', elem: type };
      const names = fields(p, 'name');
      if (names.length === 0) out.push({ type });
      for (const nm of names) out.push({ name: this.t(nm), type });
    }
    return out;
  }

  private results(res: N | undefined): ParamFact[] {
    if (!res) return [];
    if (res.type === 'parameter_list') return this.paramList(res);
    return [{ type: this.typeExpr(res) }];
  }

  // ---- bodies and scopes ----

  private beginBody(): void {
    this.locals = [];
    this.calls = [];
    this.ptrCalls = [];
    this.scopes = [new Map()];
  }

  private endBody(func: number): void {
    if (this.calls.length > 0 || this.ptrCalls.length > 0) this.out.bodies.push({ func, locals: this.locals, calls: this.calls, ptrCalls: this.ptrCalls });
    this.locals = [];
    this.calls = [];
    this.ptrCalls = [];
    this.scopes = [];
  }

  private declare(name: string, v: Omit<LocalVar, 'name'>): number {
    if (name === '_') return -1;
    const idx = this.locals.length;
    this.locals.push({ name, ...v });
    this.scopes[this.scopes.length - 1].set(name, idx);
    return idx;
  }

  private lookup(name: string): number | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const hit = this.scopes[i].get(name);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }

  private scoped(f: () => void): void {
    this.scopes.push(new Map());
    try {
      f();
    } finally {
      this.scopes.pop();
    }
  }

  private block(n: N): void {
    this.scoped(() => this.stmts(n));
  }

  private stmts(n: N): void {
    for (const k of named(n)) this.stmt(k);
  }

  private stmt(n: N): void {
    switch (n.type) {
      case 'block':
        this.block(n);
        return;
      case 'statement_list':
        this.stmts(n);
        return;
      case 'short_var_declaration':
        this.define(field(n, 'left'), field(n, 'right'));
        return;
      case 'var_declaration':
        for (const spec of this.specs(n, 'var_spec')) this.varSpec(spec);
        return;
      case 'const_declaration':
        for (const spec of this.specs(n, 'const_spec')) {
          const v = field(spec, 'value');
          if (v) this.scan(v);
          for (const nm of fields(spec, 'name')) this.declare(this.t(nm), { kind: 'other' });
        }
        return;
      case 'type_declaration':
        for (const spec of named(n)) {
          const nm = field(spec, 'name');
          const tn = field(spec, 'type');
          if (nm && tn && (spec.type === 'type_spec' || spec.type === 'type_alias')) this.declare(this.t(nm), { kind: 'type', type: this.typeExpr(tn) });
        }
        return;
      case 'assignment_statement':
        this.assign(n);
        return;
      case 'if_statement':
      case 'for_statement':
      case 'expression_switch_statement':
      case 'select_statement': {
        const test = field(n, n.type === 'if_statement' ? 'condition' : 'value');
        const guard = test !== undefined && n.type !== 'for_statement' && PLATFORM_TEST.test(this.t(test));
        if (guard) this.guards++;
        // Go spec, Blocks: each of these is an implicit block, and so is each clause.
        try {
          this.scoped(() => {
            for (const k of named(n)) {
              if (k.type === 'range_clause') this.rangeClause(k);
              else if (k.type.endsWith('_case')) this.scoped(() => this.stmtsOrExprs(k));
              else if (k.type === 'for_clause') this.stmtsOrExprs(k);
              else this.stmtOrExpr(k);
            }
          });
        } finally {
          if (guard) this.guards--;
        }
        return;
      }
      case 'type_switch_statement':
        this.scoped(() => {
          const alias = field(n, 'alias');
          const value = field(n, 'value');
          if (value) this.scan(value);
          for (const k of named(n)) {
            if (k === alias || k === value) continue;
            if (k.type === 'type_case' || k.type === 'default_case') {
              this.scoped(() => {
                if (alias) for (const a of named(alias)) this.declare(this.t(a), { kind: 'other' });
                this.stmtsOrExprs(k);
              });
            } else this.stmtOrExpr(k);
          }
        });
        return;
      case 'receive_statement': {
        const right = field(n, 'right');
        if (right) this.scan(right);
        const left = field(n, 'left');
        if (left && hasToken(n, ':=')) for (const k of named(left)) if (k.type === 'identifier') this.declare(this.t(k), { kind: 'other' });
        return;
      }
      case 'labeled_statement':
        for (const k of named(n)) if (k.type !== 'label_name') this.stmt(k);
        return;
      default:
        this.scan(n);
    }
  }

  private stmtsOrExprs(n: N): void {
    for (const k of named(n)) this.stmtOrExpr(k);
  }

  private stmtOrExpr(n: N): void {
    this.stmt(n);
  }

  /** `a, b := x, y` or `a, b := f()`: new names are declared after the right side is read. */
  private define(left: N | undefined, right: N | undefined): void {
    const rhs = right ? named(right) : [];
    const values = rhs.map((r) => this.expr(r, 0));
    if (!left) return;
    const lhs = named(left);
    const current = this.scopes[this.scopes.length - 1];
    lhs.forEach((l, i) => {
      if (l.type !== 'identifier') return;
      const name = this.t(l);
      const value = values.length === lhs.length ? values[i] : values.length === 1 ? values[0] : undefined;
      const result = values.length === lhs.length ? -1 : i;
      const existing = current.get(name);
      if (existing !== undefined) {
        // Redeclared in the same scope: an assignment (Go spec, Short variable declarations).
        this.addValue(existing, value, result);
        return;
      }
      this.declare(name, value ? { kind: 'define', values: [value], results: [result] } : { kind: 'define', opaque: true });
    });
  }

  private varSpec(spec: N): void {
    const names = fields(spec, 'name');
    const tn = field(spec, 'type');
    const value = field(spec, 'value');
    const values = value ? named(value).map((v) => this.expr(v, 0)) : [];
    const type = tn ? this.typeExpr(tn) : undefined;
    names.forEach((nm, i) => {
      const v: Omit<LocalVar, 'name'> = { kind: 'var' };
      if (type) v.type = type;
      if (values.length === names.length) {
        v.values = [values[i]];
        v.results = [-1];
      } else if (values.length === 1) {
        v.values = [values[0]];
        v.results = [i];
      }
      this.declare(this.t(nm), v);
    });
  }

  private assign(n: N): void {
    const left = field(n, 'left');
    const right = field(n, 'right');
    const rhs = right ? named(right).map((r) => this.expr(r, 0)) : [];
    const op = operatorOf(n);
    const lhs = left ? named(left) : [];
    lhs.forEach((l, i) => {
      if (l.type !== 'identifier') {
        this.scan(l);
        return;
      }
      const idx = this.lookup(this.t(l));
      if (idx === undefined) return;
      if (op !== '=') {
        this.locals[idx].opaque = true;
        return;
      }
      if (rhs.length === lhs.length) this.addValue(idx, rhs[i], -1);
      else if (rhs.length === 1) this.addValue(idx, rhs[0], i);
      else this.locals[idx].opaque = true;
    });
  }

  private addValue(idx: number, value: Expr | undefined, result: number): void {
    const l = this.locals[idx];
    if (!value) {
      l.opaque = true;
      return;
    }
    (l.values ??= []).push(value);
    (l.results ??= []).push(result);
  }

  private rangeClause(n: N): void {
    const right = field(n, 'right');
    const ranged = right ? this.expr(right, 0) : undefined;
    const left = field(n, 'left');
    if (!left) return;
    const lhs = named(left);
    if (hasToken(n, ':=')) {
      lhs.forEach((l, i) => {
        if (l.type !== 'identifier') return;
        const kind: LocalKind = i === 0 ? 'range-key' : 'range-value';
        this.declare(this.t(l), ranged ? { kind, values: [ranged] } : { kind, opaque: true });
      });
    } else {
      for (const l of lhs) {
        const idx = l.type === 'identifier' ? this.lookup(this.t(l)) : undefined;
        if (idx !== undefined) this.locals[idx].opaque = true;
      }
    }
  }

  // ---- expressions ----

  /** Walks an expression or statement only for what it contains (calls, closures). */
  private scan(n: N): void {
    this.expr(n, 0);
  }

  /**
   * Converts an expression, recording the atomic calls and closures inside it. With
   * `record` false (package-level initializers read for their type) nothing is recorded.
   */
  private expr(n: N, depth: number, record = true): Expr {
    const x = unparen(n);
    if (depth > MAX_DEPTH) {
      if (record) this.visitChildren(x, depth, record);
      return { e: 'other', text: this.short(x) };
    }
    switch (x.type) {
      case 'identifier': {
        const name = this.t(x);
        const local = this.scopes.length ? this.lookup(name) : undefined;
        return local === undefined ? { e: 'id', name } : { e: 'id', name, local };
      }
      case 'int_literal': {
        const v = Number(this.t(x).replace(/_/g, '').replace(/^0([0-7]+)$/, '0o$1'));
        return Number.isSafeInteger(v) ? { e: 'int', value: v } : { e: 'other', text: this.t(x) };
      }
      case 'selector_expression': {
        const op = field(x, 'operand');
        const f = field(x, 'field');
        if (!op || !f) break;
        return { e: 'sel', x: this.expr(op, depth + 1, record), name: this.t(f) };
      }
      case 'unary_expression': {
        const op = operatorOf(x);
        const operand = field(x, 'operand');
        if (!operand) break;
        const inner = this.expr(operand, depth + 1, record);
        if (op === '&') {
          // Taking a local's address lets others change it behind our back.
          if (inner.e === 'id' && inner.local !== undefined && record) this.locals[inner.local].opaque = true;
          return { e: 'addr', x: inner };
        }
        if (op === '*') return { e: 'deref', x: inner };
        return { e: 'other', text: this.short(x) };
      }
      case 'index_expression': {
        const op = field(x, 'operand');
        const idx = field(x, 'index');
        if (!op || !idx) break;
        return { e: 'index', x: this.expr(op, depth + 1, record), index: this.expr(idx, depth + 1, record) };
      }
      case 'call_expression': {
        const fn = field(x, 'function');
        const argList = field(x, 'arguments');
        if (!fn) break;
        const argNodes = argList ? named(argList) : [];
        const fnExpr = this.expr(fn, depth + 1, record);
        // new(T) and make(T, ...) take a type; a type can also parse as an expression.
        const takesType = fnExpr.e === 'id' && fnExpr.local === undefined && (fnExpr.name === 'new' || fnExpr.name === 'make');
        const args = argNodes.map((a, i) => (takesType && i === 0 && isTypeNode(a) ? { e: 'type' as const, type: this.typeExpr(a) } : this.expr(a, depth + 1, record)));
        if (record) this.maybeAtomicCall(x, fnExpr, argNodes, args);
        return { e: 'call', fn: fnExpr, args };
      }
      case 'type_conversion_expression': {
        const tn = field(x, 'type');
        const op = field(x, 'operand');
        if (!tn || !op) break;
        return { e: 'conv', type: this.typeExpr(tn), x: this.expr(op, depth + 1, record) };
      }
      case 'composite_literal': {
        const tn = field(x, 'type');
        const body = field(x, 'body');
        if (body && record) this.visitChildren(body, depth, record);
        return tn ? { e: 'lit', type: this.typeExpr(tn) } : { e: 'lit' };
      }
      case 'type_assertion_expression': {
        const op = field(x, 'operand');
        const tn = field(x, 'type');
        if (op && record) this.expr(op, depth + 1, record);
        return tn ? { e: 'assert', type: this.typeExpr(tn) } : { e: 'other', text: this.short(x) };
      }
      case 'func_literal': {
        if (record) this.funcLit(x);
        return { e: 'func' };
      }
      default:
        if (isTypeNode(x)) return { e: 'type', type: this.typeExpr(x) };
        if (record) this.visitChildren(x, depth, record);
        return { e: 'other', text: this.short(x) };
    }
    if (record) this.visitChildren(x, depth, record);
    return { e: 'other', text: this.short(x) };
  }

  private visitChildren(n: N, depth: number, record: boolean): void {
    for (const k of named(n)) {
      if (k.type === 'func_literal') this.funcLit(k);
      else if (k.type === 'block' || k.type.endsWith('_statement') || k.type === 'statement_list') this.stmt(k);
      else this.expr(k, Math.min(depth + 1, MAX_DEPTH), record);
    }
  }

  private funcLit(n: N): void {
    const body = field(n, 'body');
    this.scoped(() => {
      for (const p of this.paramList(field(n, 'parameters'))) if (p.name) this.declare(p.name, { kind: 'param', type: p.type });
      for (const r of this.results(field(n, 'result'))) if (r.name) this.declare(r.name, { kind: 'result', type: r.type });
      if (body) this.block(body);
    });
  }

  private maybeAtomicCall(call: N, fn: Expr, argNodes: N[], args: Expr[]): void {
    let qual: string;
    let name: string;
    if (fn.e === 'sel' && fn.x.e === 'id' && fn.x.local === undefined) {
      qual = fn.x.name;
      name = fn.name;
    } else if (fn.e === 'id' && fn.local === undefined) {
      qual = '';
      name = fn.name;
    } else return;
    if (!ATOMIC64_FUNCS.has(name) || argNodes.length === 0) {
      this.maybePointerCall(fn, argNodes, args);
      return;
    }
    const fact: AtomicCallFact = { qual, fn: name, arg: args[0], span: this.span(argNodes[0]), callSpan: this.span(call) };
    if (this.guards > 0) fact.guarded = true;
    this.calls.push(fact);
  }

  /** Remembers a call that passes `&x...` (possibly converted) to a named function or method. */
  private maybePointerCall(fn: Expr, argNodes: N[], args: Expr[]): void {
    if (fn.e !== 'id' && fn.e !== 'sel') return;
    if (fn.e === 'id' && (fn.local !== undefined || fn.name === 'new' || fn.name === 'append')) return;
    const out: PointerCallFact['args'] = [];
    args.forEach((a, i) => {
      let x = a;
      while (x.e === 'conv' || (x.e === 'call' && x.args.length === 1 && x.fn.e !== 'id')) x = x.e === 'conv' ? x.x : x.args[0];
      if (x.e === 'addr' && argNodes[i]) out.push({ index: i, arg: a, span: this.span(argNodes[i]) });
    });
    if (out.length) this.ptrCalls.push({ fn, args: out });
  }

  private short(n: N): string {
    const s = this.t(n);
    return s.length > 60 ? s.slice(0, 57) + '...' : s;
  }

  // ---- types as written (the same shapes as the base facts' TypeExpr) ----

  typeExpr(n: N): TypeExpr {
    const x = unparen(n);
    switch (x.type) {
      case 'type_identifier':
      case 'identifier':
        return { kind: 'name', name: this.t(x) };
      case 'qualified_type': {
        const pkg = field(x, 'package');
        const nm = field(x, 'name');
        if (pkg && nm) return { kind: 'name', pkg: this.t(pkg), name: this.t(nm) };
        break;
      }
      case 'selector_expression': {
        const op = field(x, 'operand');
        const f = field(x, 'field');
        if (op && f && op.type === 'identifier') return { kind: 'name', pkg: this.t(op), name: this.t(f) };
        break;
      }
      case 'generic_type': {
        const base = field(x, 'type');
        const args = field(x, 'type_arguments');
        const b = base && this.typeExpr(base);
        if (b && b.kind === 'name') return { ...b, args: args ? named(args).map((el) => this.typeElem(el)) : [] };
        break;
      }
      case 'pointer_type': {
        const elem = named(x)[0];
        if (elem) return { kind: 'pointer', elem: this.typeExpr(elem) };
        break;
      }
      case 'unary_expression': {
        // `*T` read as an expression (the callee of `(*T)(x)`).
        const operand = field(x, 'operand');
        if (operand && operatorOf(x) === '*') return { kind: 'pointer', elem: this.typeExpr(operand) };
        break;
      }
      case 'slice_type': {
        const elem = field(x, 'element');
        if (elem) return { kind: 'slice', elem: this.typeExpr(elem) };
        break;
      }
      case 'array_type': {
        const len = field(x, 'length');
        const elem = field(x, 'element');
        if (len && elem) return { kind: 'array', len: this.t(len), elem: this.typeExpr(elem) };
        break;
      }
      case 'implicit_length_array_type': {
        const elem = field(x, 'element');
        if (elem) return { kind: 'array', len: '...', elem: this.typeExpr(elem) };
        break;
      }
      case 'map_type': {
        const k = field(x, 'key');
        const v = field(x, 'value');
        if (k && v) return { kind: 'map', key: this.typeExpr(k), value: this.typeExpr(v) };
        break;
      }
      case 'channel_type': {
        const v = field(x, 'value');
        if (v) return { kind: 'chan', elem: this.typeExpr(v) };
        break;
      }
      case 'function_type':
        return { kind: 'func' };
      case 'interface_type':
        return { kind: 'interface', methods: [], embeds: [] };
      case 'struct_type':
        return { kind: 'struct', fields: this.structFields(x) };
    }
    return { kind: 'unknown', text: this.short(x) };
  }

  private typeElem(el: N): TypeExpr {
    const parts = named(el);
    return parts.length === 1 ? this.typeExpr(parts[0]) : { kind: 'unknown', text: this.short(el) };
  }

  private structFields(st: N): FieldFact[] {
    const out: FieldFact[] = [];
    const list = named(st).find((k) => k.type === 'field_declaration_list');
    if (!list) return out;
    for (const fd of named(list)) {
      if (fd.type !== 'field_declaration') continue;
      const tn = field(fd, 'type');
      if (!tn) continue;
      const names = fields(fd, 'name');
      let type = this.typeExpr(tn);
      if (names.length > 0) {
        for (const nm of names) out.push({ name: this.t(nm), embedded: false, type, span: this.span(nm) });
        continue;
      }
      if (hasToken(fd, '*')) type = { kind: 'pointer', elem: type };
      let base: TypeExpr = type;
      while (base.kind === 'pointer') base = base.elem;
      if (base.kind === 'name') out.push({ name: base.name, embedded: true, type, span: this.span(tn) });
    }
    return out;
  }
}

const TYPE_NODES = new Set([
  'type_identifier', 'qualified_type', 'generic_type', 'pointer_type', 'slice_type', 'array_type', 'implicit_length_array_type',
  'map_type', 'channel_type', 'function_type', 'interface_type', 'struct_type', 'parenthesized_type',
]);

function isTypeNode(n: N): boolean {
  return TYPE_NODES.has(n.type) || n.type === 'identifier' || n.type === 'selector_expression';
}

/**
 * Walks bodies only in files that import sync/atomic (the text test is cheap and errs on
 * the side of walking); signatures and package-level initializers are read everywhere,
 * since other files' operands may need them.
 */
export function extractAtomic(_root: SyntaxNode, ctx: ExtractorContext): AtomicFacts {
  return new Extractor(ctx, ctx.text.includes('"sync/atomic"')).file(ctx.tree);
}

registerExtractor(ATOMIC_EXTRACTOR, ATOMIC_EXTRACTOR_VERSION, extractAtomic);

// Constant evaluation and the constant checks of the Go type checker, for one target.
//
// `operand` evaluates an expression the way go/types does for constants: exactly, with the
// typed/untyped rules of the spec, and converting an untyped constant to the type it meets
// (the other operand, a parameter, a field, an index). Where a constant does not fit the
// integer type it meets, it records a Problem, as the compiler reports an error. Types of
// non-constant operands are computed lazily: only when a constant that could overflow
// meets them. Whatever cannot be known for sure (unresolved names, generics, struct sizes)
// is unknown, and unknown never produces a Problem.
import type { SourceFile } from '../model/types';
import type { Target } from '../targets';
import type { ConstsFacts, Elem, Expr, Local, Root, S, TypeRef } from './ast';
import { intRange, isFloat, isInteger, UNIVERSE_BASIC, type BasicName, type UntypedKind } from './basic';
import { literalValue } from './literal';
import { roundFloat } from './basic';
import { PackageScope, Pending, Scopes, type PkgDecl } from './scope';
import { StdApi, StdPackage } from './stdapi';
import { ANY, basic, defaultType, identical, sizeOf, UNKNOWN, underlying, UNTYPED, type Named, type T } from './types';
import { bitLen, int, isNum, numAdd, numCmp, numMul, numNeg, numQuo, numSub, rat, type NumVal, type Val } from './value';

/** A constant that does not fit the integer type it meets, on one target. */
export interface Problem {
  file: SourceFile;
  s: S;
  value: Val;
  /** The type it meets. */
  type: T;
  /** Where it meets it: "conversion", "argument to f", "array length", ... */
  why: string;
  /** Package path of the file, to qualify type names in messages. */
  pkgPath: string;
  target: string;
}

type Lazy<V> = () => V;

/**
 * A value computed once, on first use. Asking for it while it is being computed (a type
 * defined in terms of itself, `type T struct{ _ [unsafe.Sizeof(T{})]byte }`, which the
 * compiler rejects) gets `onCycle` instead of recursing forever.
 */
function lazy<V>(f: () => V, onCycle?: V): Lazy<V> {
  let state: 'new' | 'busy' | 'done' = 'new';
  let v: V;
  return () => {
    if (state === 'done') return v;
    if (state === 'busy') return onCycle as V;
    state = 'busy';
    try {
      v = f();
      state = 'done';
    } finally {
      if (state === 'busy') state = 'new';
    }
    return v;
  };
}

/** A lazily computed type: unknown when asked for while being computed. */
function lazyT(f: () => T): Lazy<T> {
  return lazy(f, UNKNOWN);
}

export type Operand =
  | { m: 'const'; v: Val; t: T }
  | { m: 'value'; t: Lazy<T> }
  | { m: 'type'; t: T }
  | { m: 'builtin'; n: string }
  | { m: 'pkg'; scope: PackageScope | StdPackage | 'unsafe' }
  /** Not a usable value: unknown, or invalid (an error the compiler reports). */
  | { m: 'none' };

interface Ctx {
  scope: PackageScope;
  file: SourceFile;
  facts: ConstsFacts;
  iota?: number;
  /** Report problems here instead of at the expression (implicitly repeated constant specs). */
  at?: S;
  memo: Map<Expr, Operand>;
}

const NONE: Operand = { m: 'none' };
/**
 * Nesting beyond this is not Go anyone writes (a sum of 20,000 terms, a chain of thousands of
 * constants each defined by the next): the value is unknown rather than a stack overflow.
 */
const MAX_DEPTH = 1500;
const INT = basic('int');
const UINTPTR = basic('uintptr');
const BOOL_VALUE: Operand = { m: 'value', t: () => basic('bool') };

/** Untyped integer constants wider than this are an error ("constant overflow") in gc. */
const MAX_UNTYPED_BITS = 512;
/** gc rejects constant shift counts above this ("invalid shift count"). */
const MAX_SHIFT = 1074;

const BUILTINS = new Set([
  'append', 'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag', 'len', 'make', 'max', 'min', 'new', 'panic',
  'print', 'println', 'real', 'recover',
]);
const UNSAFE_FUNCS = new Set(['Sizeof', 'Alignof', 'Offsetof', 'Add', 'Slice', 'String', 'StringData', 'SliceData']);
const COMPARISON = new Set(['==', '!=', '<', '<=', '>', '>=']);

/** Could this constant overflow some integer type on some target? Others need no type at all. */
function mayOverflow(v: Val): boolean {
  return v.k === 'int' && (v.v < 0n || v.v >= 1n << 31n);
}

const UNTYPED_RANK: Record<string, number> = { int: 0, rune: 1, float: 2, complex: 3 };

function untypedKind(t: T): UntypedKind | undefined {
  return t.k === 'untyped' ? t.n : undefined;
}

/** The basic type a constant of type t computes in, if any. */
function basicOf(t: T): BasicName | undefined {
  const u = underlying(t);
  return u.k === 'basic' ? u.n : undefined;
}

/** How the compiler names a callee in its messages: `f`, `pkg.F`, `r.c.add`. */
function calleeName(f: Expr): string {
  if (f.k === 'id') return f.n;
  if (f.k === 'sel') {
    const x = calleeName(f.x);
    return x === 'function' ? f.n : `${x}.${f.n}`;
  }
  return 'function';
}

export class Checker {
  private constMemo = new Map<object, Operand | 'busy'>();
  private std: StdApi | null | undefined;
  private namedMemo = new Map<object, Named>();
  private ctxMemo = new Map<string, Ctx>();
  readonly ptrSize: 4 | 8;

  constructor(
    readonly target: Target,
    readonly scopes: Scopes,
    private readonly sink: (p: Problem) => void,
  ) {
    this.ptrSize = target.ptrSize;
  }

  // ---- entry points ---------------------------------------------------------------------

  /**
   * Every check of one file: its constant declarations, then its roots. Each check that
   * needs facts not parsed yet is skipped; the files it needs are returned (all of them at
   * once, so that one parse round serves the whole file), and checking the file again
   * after they are parsed completes it. Nothing half-computed is remembered.
   */
  checkFile(file: SourceFile): SourceFile[] {
    const scope = this.scopes.scopeOf(file);
    if (!scope) return [];
    const need = new Map<string, SourceFile>();
    const attempt = (f: () => void) => {
      try {
        f();
      } catch (e) {
        if (!(e instanceof Pending)) throw e;
        for (const x of e.files) need.set(x.path, x);
      }
    };
    let facts: ConstsFacts | undefined;
    attempt(() => (facts = scope.factsOf([file])[0]?.facts));
    if (!facts) return [...need.values()];
    const ctx = this.fileCtx(file, scope, facts);
    for (const spec of facts.consts) attempt(() => this.constValue(spec, spec.e, spec.t, spec.iota, spec.inh ? spec.s : undefined, ctx));
    for (const l of facts.locals) if (l.kind === 'const') attempt(() => this.constValue(l, l.e, l.t, l.iota ?? 0, l.inh ? l.s : undefined, ctx));
    for (const r of facts.roots) attempt(() => this.root(r, ctx));
    // The file's own evaluations are not needed once it is checked (what other files use
    // of it, declarations, is memoised separately): keeping them would hold every
    // expression of the run in memory, once per target.
    if (need.size === 0) ctx.memo.clear();
    return [...need.values()];
  }

  /** The value of a package-level constant as this target sees it (for tests and callers). */
  packageConst(file: SourceFile, name: string): Operand {
    const scope = this.scopes.scopeOf(file);
    const hit = scope?.factsOf([file])[0];
    if (!scope || !hit) return NONE;
    const d = scope.lookup(name);
    if (!d || d.kind !== 'const') return NONE;
    return this.declOperand(d, this.fileCtx(file, scope, hit.facts));
  }

  /** The shipped standard-library facts for this target, used when a GOROOT is missing. */
  private stdApi(): StdApi | undefined {
    if (this.std === undefined) this.std = StdApi.forTarget(this.target) ?? null;
    return this.std ?? undefined;
  }

  /** The value of a declared constant if this checker has evaluated it already. */
  evaluated(spec: object): Operand | undefined {
    const m = this.constMemo.get(spec);
    return m === 'busy' ? undefined : m;
  }

  private fileCtx(file: SourceFile, scope: PackageScope, facts: ConstsFacts): Ctx {
    const key = `${file.path}\0${scope.key}`;
    let c = this.ctxMemo.get(key);
    if (!c) this.ctxMemo.set(key, (c = { scope, file, facts, memo: new Map() }));
    return c;
  }

  private declCtx(file: SourceFile, from: Ctx): Ctx | undefined {
    if (file === from.file) return this.fileCtx(file, from.scope, from.facts);
    // A declaration found through `from.scope` lives in one of its files.
    const [hit] = from.scope.factsOf([file]);
    return hit ? this.fileCtx(file, from.scope, hit.facts) : undefined;
  }

  /**
   * Records a problem. Expressions without a span are type-only copies of initializers:
   * whatever they hold is also a root of its own, which reports it at its place.
   */
  private problem(ctx: Ctx, s: S | undefined, value: Val, type: T, why: string): void {
    const at = ctx.at ?? s;
    if (at) this.sink({ file: ctx.file, s: at, value, type, why, pkgPath: ctx.scope.pkgPath, target: this.target.id });
  }

  // ---- roots ------------------------------------------------------------------------------

  root(r: Root, ctx: Ctx): void {
    const o = this.operand(r.e, ctx);
    const w = r.w;
    switch (w.k) {
      case 'none':
        return;
      case 'type':
        this.assignLazy(o, () => this.resolveType(w.t, ctx), r.e, ctx, w.why === 'var' ? 'variable declaration' : 'return statement');
        return;
      case 'default':
        this.assignLazy(o, () => defaultType(o.m === 'const' ? o.t : UNKNOWN), r.e, ctx, w.why === 'var' ? 'variable declaration' : 'assignment');
        return;
      case 'as': {
        const x = this.operand(w.x, ctx);
        this.assignLazy(o, () => this.typeOf(x), r.e, ctx, w.why === 'case' ? 'switch case' : 'assignment');
        return;
      }
      case 'send': {
        const ch = this.operand(w.ch, ctx);
        this.assignLazy(o, () => {
          const u = underlying(this.typeOf(ch));
          return u.k === 'chan' ? u.e : UNKNOWN;
        }, r.e, ctx, 'send');
        return;
      }
      case 'range': {
        // An untyped constant ranged over takes the type of the iteration variable it is
        // assigned to (for x = range c), else int.
        if (o.m !== 'const' || o.t.k !== 'untyped' || !(o.t.n === 'int' || o.t.n === 'rune' || o.t.n === 'float')) return;
        const x = w.x ? this.operand(w.x, ctx) : undefined;
        this.assignLazy(o, () => (x ? this.typeOf(x) : INT), r.e, ctx, 'range clause');
        return;
      }
      case 'arraylen':
        this.indexConst(o, r.e, ctx, 'array length');
        return;
    }
  }

  private typeOf(o: Operand): T {
    if (o.m === 'value') return o.t();
    if (o.m === 'const') return o.t;
    return UNKNOWN;
  }

  // ---- declarations ---------------------------------------------------------------------

  /**
   * A declared constant's value (memoised per declaration), after conversion to its declared
   * type. `at` is set for implicitly repeated specs, whose errors gc reports at the name.
   */
  private constValue(key: object, e: Expr | undefined, t: TypeRef | undefined, iota: number, at: S | undefined, outer: Ctx): Operand {
    const memo = this.constMemo.get(key);
    if (memo === 'busy') return NONE;
    if (memo) return memo;
    this.constMemo.set(key, 'busy');
    try {
      const ctx: Ctx = { ...outer, iota, at, memo: new Map() };
      let r = e ? this.operand(e, ctx) : NONE;
      if (r.m === 'const' && t && e) {
        const tt = this.resolveType(t, ctx);
        r = tt.k === 'unknown' ? NONE : this.assignConst(r, tt, e, ctx, 'constant declaration');
      } else if (r.m !== 'const') r = NONE;
      this.constMemo.set(key, r);
      return r;
    } finally {
      if (this.constMemo.get(key) === 'busy') this.constMemo.delete(key);
    }
  }

  private declOperand(d: PkgDecl, from: Ctx): Operand {
    const ctx = this.declCtx(d.file, from);
    if (!ctx) return NONE;
    switch (d.kind) {
      case 'const':
        return this.constValue(d.spec, d.spec.e, d.spec.t, d.spec.iota, d.spec.inh ? d.spec.s : undefined, ctx);
      case 'var': {
        const spec = d.spec;
        return { m: 'value', t: lazyT(() => this.declaredType(spec.t, spec.e, spec.idx, undefined, ctx)) };
      }
      case 'type':
        return { m: 'type', t: this.namedType(d.spec, d.spec, ctx, false) };
      case 'func': {
        const spec = d.spec;
        return { m: 'value', t: lazyT(() => (spec.gen ? UNKNOWN : this.resolveType(spec.t, ctx))) };
      }
    }
  }

  /** The type of a variable from its declaration: written, or taken from its initializer. */
  private declaredType(t: TypeRef | undefined, e: Expr | undefined, idx: number | undefined, range: 'key' | 'value' | undefined, ctx: Ctx): T {
    if (t) return this.resolveType(t, ctx);
    if (!e) return UNKNOWN;
    const o = this.operand(e, ctx);
    if (range) return this.rangeType(o, range);
    if (idx !== undefined) return this.resultAt(o, e, idx);
    return defaultType(this.typeOf(o));
  }

  private rangeType(o: Operand, which: 'key' | 'value'): T {
    const t = this.typeOf(o);
    const u = underlying(t.k === 'untyped' ? defaultType(t) : t);
    const base = u.k === 'ptr' ? underlying(u.e) : u;
    switch (base.k) {
      case 'basic':
        if (base.n === 'string') return which === 'key' ? INT : basic('int32');
        return isInteger(base.n) && which === 'key' ? t.k === 'untyped' ? INT : t : UNKNOWN;
      case 'slice':
      case 'array':
        return which === 'key' ? INT : base.e;
      case 'map':
        return which === 'key' ? base.key : base.e;
      case 'chan':
        return which === 'key' ? base.e : UNKNOWN;
      default:
        return UNKNOWN;
    }
  }

  /** Result `idx` of a multi-valued expression: a call, or the comma-ok forms. */
  private resultAt(o: Operand, e: Expr, idx: number): T {
    const t = this.typeOf(o);
    if (t.k === 'tuple') return t.ts[idx] ?? UNKNOWN;
    if (e.k === 'index' || e.k === 'assert' || (e.k === 'un' && e.op === '<-')) return idx === 0 ? t : idx === 1 ? basic('bool') : UNKNOWN;
    return UNKNOWN;
  }

  private localOperand(l: Local, ctx: Ctx): Operand {
    switch (l.kind) {
      case 'const':
        return this.constValue(l, l.e, l.t, l.iota ?? 0, l.inh ? l.s : undefined, ctx);
      case 'var':
        return { m: 'value', t: lazyT(() => this.declaredType(l.t, l.e, l.idx, l.range, ctx)) };
      case 'type':
        return { m: 'type', t: l.t ? this.namedType(l, { n: l.n, t: l.t }, ctx, true) : UNKNOWN };
      case 'tparam':
        return { m: 'type', t: UNKNOWN };
    }
  }

  // ---- names --------------------------------------------------------------------------------

  private ident(e: Expr & { k: 'id' }, ctx: Ctx): Operand {
    if (e.n === '_') return NONE;
    if (e.l !== undefined) {
      const l = ctx.facts.locals[e.l];
      return l ? this.localOperand(l, ctx) : NONE;
    }
    const d = ctx.scope.lookup(e.n);
    if (d) return this.declOperand(d, ctx);
    // Predeclared names before imports: only an explicitly named import could hide one,
    // and finding the package name of every other import would load them all.
    const u = this.universe(e.n);
    if (u.m !== 'none' && !this.scopes.namedImport(ctx.file, e.n)) return u;
    const path = this.scopes.importPath(ctx.file, e.n);
    if (path === 'unsafe') return { m: 'pkg', scope: 'unsafe' };
    if (path) {
      const s = this.scopes.importScope(ctx.file, path);
      if (s) return { m: 'pkg', scope: s };
      // No source for it (no GOROOT): a standard package's API comes from the shipped facts.
      const std = this.stdApi()?.package(path);
      return std ? { m: 'pkg', scope: std } : NONE;
    }
    for (const p of ctx.facts.dotImports ?? []) {
      const s = this.scopes.importScope(ctx.file, p);
      const dd = s?.lookup(e.n);
      if (s && dd) return this.declOperand(dd, this.scopeCtx(s, dd));
    }
    return this.universe(e.n);
  }

  private scopeCtx(s: PackageScope, d: PkgDecl): Ctx {
    const [hit] = s.factsOf([d.file]);
    return this.fileCtx(d.file, s, hit.facts);
  }

  private universe(name: string): Operand {
    if (name in UNIVERSE_BASIC) return { m: 'type', t: basic(UNIVERSE_BASIC[name]) };
    switch (name) {
      case 'true':
      case 'false':
        return { m: 'const', v: { k: 'bool', v: name === 'true' }, t: UNTYPED.bool };
      case 'nil':
        return { m: 'value', t: () => UNTYPED.nil };
      case 'any':
      case 'error':
      case 'comparable':
        return { m: 'type', t: ANY };
    }
    return BUILTINS.has(name) ? { m: 'builtin', n: name } : NONE;
  }

  private selector(e: Expr & { k: 'sel' }, ctx: Ctx): Operand {
    const x = this.operand(e.x, ctx);
    if (x.m === 'pkg') return this.member_(x.scope, e.n);
    if (x.m === 'value') return { m: 'value', t: lazyT(() => this.member(x.t(), e.n) ?? UNKNOWN) };
    return NONE;
  }

  /** The type of field or method `name` of a value of type t (with promotion through embedding). */
  member(t: T, name: string): T | undefined {
    let start = t;
    const u0 = underlying(t);
    if (u0.k === 'ptr') start = u0.e;
    let level: T[] = [start];
    const seen = new Set<string>();
    for (let depth = 0; depth < 8 && level.length; depth++) {
      const found: T[] = [];
      const next: T[] = [];
      for (const cur of level) {
        if (cur.k === 'named') {
          if (seen.has(cur.id)) continue;
          seen.add(cur.id);
          const m = cur.method(name);
          if (m) found.push(m);
        }
        const u = underlying(cur);
        if (u.k === 'struct') {
          for (const f of u.fields) {
            if (f.n === name) found.push(f.t);
            if (f.emb) {
              const fu = f.t.k === 'named' ? f.t : underlying(f.t);
              next.push(fu.k === 'ptr' ? fu.e : f.t);
            }
          }
        } else if (u.k === 'iface') {
          const m = u.method(name);
          if (m) found.push(m);
        }
      }
      if (found.length === 1) return found[0];
      if (found.length > 1) return undefined;
      level = next;
    }
    return undefined;
  }

  // ---- types ---------------------------------------------------------------------------------

  /** The named type a declaration introduces (memoised per declaration, so identity holds). */
  private namedType(key: object, spec: { n: string; t: TypeRef; alias?: 1; gen?: 1 }, ctx: Ctx, local: boolean): T {
    if (spec.alias) {
      // An alias cycle (type A = B; type B = A) is a compile error; its type is unknown.
      if (spec.gen || this.aliasesInProgress.has(key)) return UNKNOWN;
      this.aliasesInProgress.add(key);
      try {
        return this.resolveType(spec.t, ctx);
      } finally {
        this.aliasesInProgress.delete(key);
      }
    }
    let n = this.namedMemo.get(key);
    if (!n) {
      const scope = ctx.scope;
      const name = spec.n;
      const s = (key as { s?: S }).s;
      n = {
        k: 'named',
        id: local ? `${ctx.file.path}:${name}:${s ? s.join(',') : ''}` : `${scope.id}.${name}`,
        name,
        pkgPath: scope.pkgPath,
        pkgName: scope.pkgName,
        under: lazyT(() => this.resolveType(spec.t, ctx)),
        method: (m: string) => {
          if (local) return undefined;
          const hit = scope.method(name, m);
          if (!hit || hit.spec.gen) return undefined;
          const mctx = this.declCtx(hit.file, ctx);
          return mctx ? this.resolveType(hit.spec.t, mctx) : undefined;
        },
      };
      this.namedMemo.set(key, n);
    }
    return n;
  }

  /** pkg.Name where pkg is an import of the context's file. */
  private qualified(pkg: string, name: string, ctx: Ctx): Operand {
    const x = this.ident({ k: 'id', n: pkg }, ctx);
    if (x.m !== 'pkg') return NONE;
    return this.member_(x.scope, name);
  }

  private member_(scope: PackageScope | StdPackage | 'unsafe', name: string): Operand {
    if (scope === 'unsafe') {
      if (name === 'Pointer') return { m: 'type', t: basic('unsafe.Pointer') };
      return UNSAFE_FUNCS.has(name) ? { m: 'builtin', n: `unsafe.${name}` } : NONE;
    }
    if (scope instanceof StdPackage) {
      const r = scope.member(name);
      if (!r) return NONE;
      return r.m === 'value' ? { m: 'value', t: () => r.t } : r;
    }
    if (!/^\p{Lu}/u.test(name)) return NONE;
    const d = scope.lookup(name);
    return d ? this.declOperand(d, this.scopeCtx(scope, d)) : NONE;
  }

  resolveType(r: TypeRef, ctx: Ctx): T {
    switch (r.k) {
      case 'name': {
        if (r.args) return UNKNOWN;
        if (r.l !== undefined) {
          const l = ctx.facts.locals[r.l];
          if (!l || l.kind !== 'type' || !l.t) return UNKNOWN;
          return this.namedType(l, { n: l.n, t: l.t }, ctx, true);
        }
        const o = r.p ? this.qualified(r.p, r.n, ctx) : this.ident({ k: 'id', n: r.n }, ctx);
        return o.m === 'type' ? o.t : UNKNOWN;
      }
      case 'ptr':
      case 'slice':
      case 'chan':
        return { k: r.k, e: this.resolveType(r.e, ctx) };
      case 'array': {
        let len: bigint | undefined;
        if (r.len) {
          const o = this.operand(r.len, ctx);
          if (o.m === 'const' && o.v.k === 'int') len = o.v.v;
        }
        return { k: 'array', len, e: this.resolveType(r.e, ctx) };
      }
      case 'map':
        return { k: 'map', key: this.resolveType(r.key, ctx), e: this.resolveType(r.e, ctx) };
      case 'struct':
        return {
          k: 'struct',
          fields: r.f.map((f) => ({ n: f.n ?? embeddedName(f.t), t: this.resolveType(f.t, ctx), emb: f.n === undefined })),
        };
      case 'func':
        return { k: 'func', p: r.p.map((p) => this.resolveType(p, ctx)), r: r.r.map((x) => this.resolveType(x, ctx)), variadic: !!r.v };
      case 'iface': {
        const ms = r.m;
        const embs = r.emb;
        return {
          k: 'iface',
          method: (name: string) => {
            const m = ms.find((x) => x.n === name);
            if (m) return this.resolveType(m.t, ctx);
            for (const e of embs) {
              const u = underlying(this.resolveType(e, ctx));
              const hit = u.k === 'iface' ? u.method(name) : undefined;
              if (hit) return hit;
            }
            return undefined;
          },
        };
      }
      default:
        return UNKNOWN;
    }
  }

  // ---- expressions ----------------------------------------------------------------------------

  operand(e: Expr, ctx: Ctx, hint?: T): Operand {
    if (hint === undefined) {
      const m = ctx.memo.get(e);
      if (m) return m;
    }
    if (this.depth > MAX_DEPTH) return NONE;
    this.depth++;
    let r: Operand;
    try {
      r = this.compute(e, ctx, hint);
    } finally {
      this.depth--;
    }
    if (hint === undefined) ctx.memo.set(e, r);
    return r;
  }
  private depth = 0;
  private aliasesInProgress = new Set<object>();

  private compute(e: Expr, ctx: Ctx, hint?: T): Operand {
    switch (e.k) {
      case 'int':
      case 'float':
      case 'rune':
      case 'str': {
        const v = literalValue(e.k, e.raw);
        const t = e.k === 'int' ? UNTYPED.int : e.k === 'float' ? UNTYPED.float : e.k === 'rune' ? UNTYPED.rune : UNTYPED.string;
        return v ? { m: 'const', v, t } : NONE;
      }
      case 'imag':
        return NONE;
      case 'iota':
        return ctx.iota === undefined ? NONE : { m: 'const', v: int(BigInt(ctx.iota)), t: UNTYPED.int };
      case 'id':
        return this.ident(e, ctx);
      case 'sel':
        return this.selector(e, ctx);
      case 'call':
        return this.call(e, ctx);
      case 'un':
        return this.unary(e, ctx);
      case 'bin':
        return this.binary(e, ctx);
      case 'index':
        return this.index(e, ctx);
      case 'slice':
        return this.slice(e, ctx);
      case 'lit':
        return this.lit(e, ctx, hint);
      case 'type':
        return { m: 'type', t: this.resolveType(e.t, ctx) };
      case 'assert': {
        this.operand(e.x, ctx);
        const tr = e.t;
        return tr ? { m: 'value', t: lazyT(() => this.resolveType(tr, ctx)) } : NONE;
      }
      case 'func': {
        const tr = e.t;
        return { m: 'value', t: lazyT(() => this.resolveType(tr, ctx)) };
      }
      default:
        return NONE;
    }
  }

  // ---- conversions and assignability of constants ---------------------------------------------

  /**
   * Whether value v is representable by type t (spec: "Representability"); records a Problem
   * when an integer type is too small. Returns the (possibly rounded) value, or undefined.
   */
  private represent(v: Val, t: T, at: Expr, ctx: Ctx, why: string, conversion: boolean): Val | undefined {
    const b = basicOf(t);
    if (!b) return undefined;
    if (isInteger(b)) {
      if (!isNum(v)) return undefined;
      // A non-integral value is "truncated": an error on every target, and not an overflow.
      if (v.k !== 'int') return undefined;
      const r = intRange(b, this.ptrSize)!;
      if (v.v < r.min || v.v > r.max) {
        this.problem(ctx, at.s, v, t, why);
        return undefined;
      }
      return v;
    }
    if (isFloat(b)) return isNum(v) ? roundFloat(v, b as 'float32' | 'float64') : undefined;
    if (b === 'string') {
      if (v.k === 'str') return v;
      // string(rune) is a conversion only.
      if (conversion && v.k === 'int') {
        const cp = v.v >= 0n && v.v <= 0x10ffffn && !(v.v >= 0xd800n && v.v < 0xe000n) ? Number(v.v) : 0xfffd;
        return { k: 'str', b: Buffer.from(String.fromCodePoint(cp), 'utf8').toString('latin1') };
      }
      return undefined;
    }
    if (b === 'bool') return v.k === 'bool' ? v : undefined;
    return undefined;
  }

  /** T(c) for a constant c. */
  private convertConst(c: Operand & { m: 'const' }, t: T, at: Expr, ctx: Ctx): Operand {
    const u = underlying(t);
    if (u.k === 'iface') {
      this.assignConst(c, defaultType(c.t), at, ctx, 'conversion');
      return { m: 'value', t: () => t };
    }
    if (u.k !== 'basic' || u.n === 'unsafe.Pointer' || u.n === 'complex64' || u.n === 'complex128') return u.k === 'unknown' ? NONE : { m: 'value', t: () => t };
    const v = this.represent(c.v, t, at, ctx, 'conversion', true);
    return v ? { m: 'const', v, t } : NONE;
  }

  /** Assigns constant c to a variable (parameter, field, ...) of type t. */
  private assignConst(c: Operand & { m: 'const' }, t: T, at: Expr, ctx: Ctx, why: string): Operand {
    if (c.t.k !== 'untyped') return c;
    const u = underlying(t);
    if (u.k === 'iface') {
      const d = defaultType(c.t);
      const v = d.k === 'unknown' ? undefined : this.represent(c.v, d, at, ctx, why, false);
      return v ? { m: 'const', v, t: d } : NONE;
    }
    if (u.k !== 'basic') return NONE;
    const v = this.represent(c.v, t, at, ctx, why, false);
    return v ? { m: 'const', v, t } : NONE;
  }

  /** Assignment of an untyped constant to a type computed only when the value could overflow. */
  private assignLazy(o: Operand, t: Lazy<T>, at: Expr, ctx: Ctx, why: string): void {
    if (o.m !== 'const' || o.t.k !== 'untyped' || !mayOverflow(o.v)) return;
    const tt = t();
    if (tt.k === 'unknown' || tt.k === 'untyped' || tt.k === 'tuple') return;
    this.assignConst(o, tt, at, ctx, why);
  }

  /** An index, a make size or an array length: it must fit int (spec: "Index expressions"). */
  private indexConst(o: Operand, at: Expr, ctx: Ctx, why: string): void {
    if (o.m !== 'const') return;
    const b = o.t.k === 'untyped' ? 'int' : basicOf(o.t);
    if (!b || !(isInteger(b) || o.t.k === 'untyped') || !isNum(o.v) || o.v.k !== 'int') return;
    this.represent(o.v, INT, at, ctx, why, false);
  }

  // ---- calls --------------------------------------------------------------------------------------

  private call(e: Expr & { k: 'call' }, ctx: Ctx): Operand {
    const f = this.operand(e.f, ctx);
    if (f.m === 'type') {
      const args = e.a.map((a) => this.operand(a, ctx));
      if (args.length !== 1) return NONE;
      const a = args[0];
      if (a.m === 'const') return this.convertConst(a, f.t, e.a[0], ctx);
      return f.t.k === 'unknown' ? NONE : { m: 'value', t: () => f.t };
    }
    if (f.m === 'builtin') return this.builtin(f.n, e, ctx);
    const args = e.a.map((a) => this.operand(a, ctx));
    if (f.m !== 'value') return NONE;
    const sig = lazy(() => {
      const u = underlying(f.t());
      return u.k === 'func' ? u : undefined;
    });
    const name = calleeName(e.f);
    args.forEach((a, i) => {
      this.assignLazy(a, () => {
        const s = sig();
        if (!s || (e.a.length === 1 && s.p.length > 1)) return UNKNOWN;
        if (s.variadic && i >= s.p.length - 1) {
          if (e.dots) return UNKNOWN;
          return s.p[s.p.length - 1] ?? UNKNOWN;
        }
        return s.p[i] ?? UNKNOWN;
      }, e.a[i], ctx, `argument to ${name}`);
    });
    return {
      m: 'value',
      t: lazyT(() => {
        const s = sig();
        if (!s) return UNKNOWN;
        return s.r.length === 1 ? s.r[0] : s.r.length > 1 ? { k: 'tuple', ts: s.r } : UNKNOWN;
      }),
    };
  }

  private builtin(name: string, e: Expr & { k: 'call' }, ctx: Ctx): Operand {
    const args = e.a.map((a) => this.operand(a, ctx));
    const typeOfArg = (i: number): T => (args[i] ? this.typeOf(args[i]) : UNKNOWN);
    switch (name) {
      case 'len':
      case 'cap': {
        const a = args[0];
        if (!a) return NONE;
        if (name === 'len' && a.m === 'const' && a.v.k === 'str') return { m: 'const', v: int(BigInt(a.v.b.length)), t: INT };
        // len of an array variable is constant (no calls or receives in a plain name).
        if (a.m === 'value' && (e.a[0].k === 'id' || e.a[0].k === 'sel')) {
          const u = underlying(a.t());
          const arr = u.k === 'ptr' ? underlying(u.e) : u;
          if (arr.k === 'array' && arr.len !== undefined) return { m: 'const', v: int(arr.len), t: INT };
        }
        return { m: 'value', t: () => INT };
      }
      case 'make':
        for (let i = 1; i < args.length; i++) this.indexConst(args[i], e.a[i], ctx, 'make size');
        return args[0]?.m === 'type' ? { m: 'value', t: () => (args[0] as { t: T }).t } : NONE;
      case 'new':
        return args[0]?.m === 'type' ? { m: 'value', t: () => ({ k: 'ptr', e: (args[0] as { t: T }).t }) } : NONE;
      case 'append': {
        if (!e.dots) {
          for (let i = 1; i < args.length; i++) {
            this.assignLazy(args[i], () => {
              const u = underlying(typeOfArg(0));
              return u.k === 'slice' ? u.e : UNKNOWN;
            }, e.a[i], ctx, 'argument to append');
          }
        }
        return { m: 'value', t: lazyT(() => typeOfArg(0)) };
      }
      case 'copy':
        return { m: 'value', t: () => INT };
      case 'delete':
        if (args[1]) {
          this.assignLazy(args[1], () => {
            const u = underlying(typeOfArg(0));
            return u.k === 'map' ? u.key : UNKNOWN;
          }, e.a[1], ctx, 'argument to delete');
        }
        return NONE;
      case 'panic':
      case 'print':
      case 'println':
        args.forEach((a, i) => this.assignLazy(a, () => ANY, e.a[i], ctx, `argument to ${name}`));
        return NONE;
      case 'min':
      case 'max':
        return this.minMax(name, e, args, ctx);
      case 'recover':
        return { m: 'value', t: () => ANY };
      case 'unsafe.Sizeof': {
        const a = args[0];
        if (!a) return NONE;
        const t = a.m === 'const' ? defaultType(a.t) : a.m === 'value' ? a.t() : UNKNOWN;
        const n = t.k === 'unknown' ? undefined : sizeOf(t, this.ptrSize);
        return n === undefined ? { m: 'value', t: () => UINTPTR } : { m: 'const', v: int(n), t: UINTPTR };
      }
      case 'unsafe.Alignof':
      case 'unsafe.Offsetof':
        return { m: 'value', t: () => UINTPTR };
      case 'unsafe.Add':
      case 'unsafe.Slice':
      case 'unsafe.String':
        if (args[1]) this.indexConst(args[1], e.a[1], ctx, `argument to ${name}`);
        return name === 'unsafe.Add' ? { m: 'value', t: () => basic('unsafe.Pointer') } : NONE;
      default:
        return NONE;
    }
  }

  /** min and max of constants are constants; otherwise untyped arguments take the typed ones' type. */
  private minMax(name: string, e: Expr & { k: 'call' }, args: Operand[], ctx: Ctx): Operand {
    if (args.length === 0) return NONE;
    if (args.every((a) => a.m === 'const')) {
      let best = args[0] as Operand & { m: 'const' };
      for (let i = 1; i < args.length; i++) {
        const u = this.unify(best, args[i] as Operand & { m: 'const' }, e.a[i - 1], e.a[i], ctx);
        if (!u) return NONE;
        const [x, y, t] = u;
        if (!isNum(x.v) || !isNum(y.v)) {
          if (x.v.k !== 'str' || y.v.k !== 'str') return NONE;
          const lt = y.v.b < x.v.b;
          best = { m: 'const', v: (name === 'min') === lt ? y.v : x.v, t };
          continue;
        }
        const c = numCmp(y.v, x.v);
        best = { m: 'const', v: (name === 'min' ? c < 0 : c > 0) ? y.v : x.v, t };
      }
      return best;
    }
    const typed = lazyT(() => args.map((a) => this.typeOf(a)).find((t) => t.k !== 'untyped' && t.k !== 'unknown') ?? UNKNOWN);
    args.forEach((a, i) => this.assignLazy(a, typed, e.a[i], ctx, `argument to ${name}`));
    return { m: 'value', t: typed };
  }

  // ---- operators --------------------------------------------------------------------------------

  private unary(e: Expr & { k: 'un' }, ctx: Ctx): Operand {
    const x = this.operand(e.x, ctx);
    switch (e.op) {
      case '&':
        return x.m === 'value' ? { m: 'value', t: lazyT(() => ({ k: 'ptr', e: x.t() }) as T) } : NONE;
      case '*':
        if (x.m === 'type') return { m: 'type', t: { k: 'ptr', e: x.t } };
        return x.m === 'value'
          ? { m: 'value', t: lazyT(() => { const u = underlying(x.t()); return u.k === 'ptr' ? u.e : UNKNOWN; }) }
          : NONE;
      case '<-':
        return x.m === 'value'
          ? { m: 'value', t: lazyT(() => { const u = underlying(x.t()); return u.k === 'chan' ? u.e : UNKNOWN; }) }
          : NONE;
      case '!':
        if (x.m === 'const') return x.v.k === 'bool' ? { m: 'const', v: { k: 'bool', v: !x.v.v }, t: x.t } : NONE;
        return x.m === 'value' ? { m: 'value', t: x.t } : NONE;
    }
    if (x.m === 'value') return { m: 'value', t: x.t };
    if (x.m !== 'const' || !isNum(x.v)) return NONE;
    let v: NumVal;
    if (e.op === '+') v = x.v;
    else if (e.op === '-') v = numNeg(x.v);
    else if (e.op === '^') {
      if (x.v.k !== 'int') return NONE;
      const b = x.t.k === 'untyped' ? undefined : basicOf(x.t);
      if (x.t.k !== 'untyped' && (!b || !isInteger(b))) return NONE;
      if (b && b.startsWith('uint')) {
        // ^x for unsigned x flips the bits of the type's width.
        const r = intRange(b, this.ptrSize)!;
        v = int(x.v.v ^ r.max) as NumVal;
      } else v = int(-x.v.v - 1n) as NumVal;
    } else return NONE;
    return this.fit(v, x.t, e, ctx);
  }

  /** A typed constant result must be representable by its type ("constant X overflows T"). */
  private fit(v: Val, t: T, e: Expr, ctx: Ctx): Operand {
    if (t.k === 'untyped') {
      if ((t.n === 'int' || t.n === 'rune') && v.k === 'int' && bitLen(v.v) > MAX_UNTYPED_BITS) return NONE;
      return { m: 'const', v, t };
    }
    const r = this.represent(v, t, e, ctx, 'constant expression', false);
    return r ? { m: 'const', v: r, t } : NONE;
  }

  /**
   * Brings two constant operands to one type: untyped to typed (checked), untyped to the
   * larger untyped kind. Undefined when the types clash (a compile error that is not ours).
   */
  private unify(
    x: Operand & { m: 'const' },
    y: Operand & { m: 'const' },
    ex: Expr,
    ey: Expr,
    ctx: Ctx,
  ): [Operand & { m: 'const' }, Operand & { m: 'const' }, T] | undefined {
    const kx = untypedKind(x.t);
    const ky = untypedKind(y.t);
    if (kx && ky) {
      if (kx in UNTYPED_RANK && ky in UNTYPED_RANK) return [x, y, UNTYPED_RANK[kx] >= UNTYPED_RANK[ky] ? x.t : y.t];
      return kx === ky ? [x, y, x.t] : undefined;
    }
    if (kx) {
      const c = this.assignConst(x, y.t, ex, ctx, 'operand');
      return c.m === 'const' ? [c, y, y.t] : undefined;
    }
    if (ky) {
      const c = this.assignConst(y, x.t, ey, ctx, 'operand');
      return c.m === 'const' ? [x, c, x.t] : undefined;
    }
    return identical(x.t, y.t) ? [x, y, x.t] : undefined;
  }

  private binary(e: Expr & { k: 'bin' }, ctx: Ctx): Operand {
    const x = this.operand(e.x, ctx);
    const y = this.operand(e.y, ctx);
    if (e.op === '<<' || e.op === '>>') return this.shift(e, x, y, ctx);
    if (e.op === '&&' || e.op === '||') {
      if (x.m === 'const' && y.m === 'const' && x.v.k === 'bool' && y.v.k === 'bool') {
        return { m: 'const', v: { k: 'bool', v: e.op === '&&' ? x.v.v && y.v.v : x.v.v || y.v.v }, t: UNTYPED.bool };
      }
      return BOOL_VALUE;
    }
    if (x.m === 'const' && y.m === 'const') return this.constBinary(e, x, y, ctx);
    // An untyped constant meeting a typed operand is converted to its type.
    const why = COMPARISON.has(e.op) ? 'comparison' : `operand of ${e.op}`;
    if (x.m === 'const' && y.m === 'value') this.assignLazy(x, y.t, e.x, ctx, why);
    if (y.m === 'const' && x.m === 'value') this.assignLazy(y, x.t, e.y, ctx, why);
    if (COMPARISON.has(e.op)) return x.m === 'none' || y.m === 'none' ? NONE : { m: 'value', t: () => UNTYPED.bool };
    if (x.m === 'value' && y.m === 'value') {
      const xt = x.t;
      const yt = y.t;
      return { m: 'value', t: lazyT(() => { const t = xt(); return t.k === 'untyped' ? yt() : t; }) };
    }
    if (x.m === 'value' && y.m === 'const') return { m: 'value', t: x.t };
    if (y.m === 'value' && x.m === 'const') return { m: 'value', t: y.t };
    return NONE;
  }

  private constBinary(e: Expr & { k: 'bin' }, x0: Operand & { m: 'const' }, y0: Operand & { m: 'const' }, ctx: Ctx): Operand {
    const u = this.unify(x0, y0, e.x, e.y, ctx);
    if (!u) return NONE;
    const [x, y, t] = u;
    if (COMPARISON.has(e.op)) {
      let c: number | undefined;
      if (isNum(x.v) && isNum(y.v)) c = numCmp(x.v, y.v);
      else if (x.v.k === 'str' && y.v.k === 'str') c = x.v.b < y.v.b ? -1 : x.v.b > y.v.b ? 1 : 0;
      else if (x.v.k === 'bool' && y.v.k === 'bool' && (e.op === '==' || e.op === '!=')) c = x.v.v === y.v.v ? 0 : 1;
      if (c === undefined) return NONE;
      const r = { '==': c === 0, '!=': c !== 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }[e.op]!;
      return { m: 'const', v: { k: 'bool', v: r }, t: UNTYPED.bool };
    }
    if (x.v.k === 'str' && y.v.k === 'str') return e.op === '+' ? { m: 'const', v: { k: 'str', b: x.v.b + y.v.b }, t } : NONE;
    if (!isNum(x.v) || !isNum(y.v)) return NONE;
    const b = basicOf(t);
    const kind = t.k === 'untyped' ? t.n : b && isInteger(b) ? 'int' : b && isFloat(b) ? 'float' : undefined;
    if (kind === undefined || kind === 'complex') return NONE;
    const integer = kind === 'int' || kind === 'rune';
    let v: NumVal | undefined;
    if (integer) {
      if (x.v.k !== 'int' || y.v.k !== 'int') return NONE;
      const a = x.v.v;
      const c = y.v.v;
      switch (e.op) {
        case '+': v = int(a + c) as NumVal; break;
        case '-': v = int(a - c) as NumVal; break;
        case '*': v = int(a * c) as NumVal; break;
        // Integer division truncates toward zero, as BigInt's does.
        case '/': v = c === 0n ? undefined : (int(a / c) as NumVal); break;
        case '%': v = c === 0n ? undefined : (int(a % c) as NumVal); break;
        case '&': v = int(a & c) as NumVal; break;
        case '|': v = int(a | c) as NumVal; break;
        case '^': v = int(a ^ c) as NumVal; break;
        case '&^': v = int(a & ~c) as NumVal; break;
      }
    } else {
      switch (e.op) {
        case '+': v = numAdd(x.v, y.v); break;
        case '-': v = numSub(x.v, y.v); break;
        case '*': v = numMul(x.v, y.v); break;
        case '/': v = numQuo(x.v, y.v); break;
      }
    }
    if (!v) return NONE;
    if (t.k !== 'untyped' && b && isFloat(b)) {
      const r = roundFloat(v, b as 'float32' | 'float64');
      return r ? { m: 'const', v: r, t } : NONE;
    }
    return this.fit(v, t, e, ctx);
  }

  private shift(e: Expr & { k: 'bin' }, x: Operand, y: Operand, ctx: Ctx): Operand {
    if (x.m === 'const' && y.m === 'const') {
      if (!isNum(y.v) || y.v.k !== 'int' || y.v.v < 0n || y.v.v > BigInt(MAX_SHIFT)) return NONE;
      if (y.t.k !== 'untyped' && !isInteger(basicOf(y.t) ?? 'bool')) return NONE;
      if (!isNum(x.v) || x.v.k !== 'int') return NONE;
      const s = y.v.v;
      const v = int(e.op === '<<' ? x.v.v << s : x.v.v >> s);
      if (x.t.k === 'untyped') {
        // The result of shifting an untyped constant is an integer constant.
        const t = x.t.n === 'rune' ? UNTYPED.rune : UNTYPED.int;
        return this.fit(v, t, e, ctx);
      }
      const b = basicOf(x.t);
      if (!b || !isInteger(b)) return NONE;
      return this.fit(v, x.t, e, ctx);
    }
    if (x.m === 'value') return { m: 'value', t: x.t };
    // A non-constant shift of an untyped constant takes its type from the context; unknown here.
    if (x.m === 'const' && x.t.k !== 'untyped') return { m: 'value', t: () => x.t };
    return NONE;
  }

  private index(e: Expr & { k: 'index' }, ctx: Ctx): Operand {
    const x = this.operand(e.x, ctx);
    const idx = e.i.map((i) => this.operand(i, ctx));
    if (x.m === 'type') return { m: 'type', t: UNKNOWN };
    if (e.i.length !== 1) return NONE;
    const i = idx[0];
    if (x.m === 'const' && x.v.k === 'str') {
      this.indexConst(i, e.i[0], ctx, 'index');
      return { m: 'value', t: () => basic('uint8') };
    }
    if (x.m !== 'value') return NONE;
    const under = lazyT(() => {
      const u = underlying(x.t());
      return u.k === 'ptr' ? underlying(u.e) : u;
    });
    if (i.m === 'const' && mayOverflow(i.v)) {
      const u = under();
      if (u.k === 'map') this.assignConst(i, u.key, e.i[0], ctx, 'map index');
      else if (u.k === 'slice' || u.k === 'array' || (u.k === 'basic' && u.n === 'string')) this.indexConst(i, e.i[0], ctx, 'index');
    }
    return {
      m: 'value',
      t: lazyT(() => {
        const u = under();
        if (u.k === 'map' || u.k === 'slice' || u.k === 'array') return u.e;
        if (u.k === 'basic' && u.n === 'string') return basic('uint8');
        if (u.k === 'func') return UNKNOWN;
        return UNKNOWN;
      }),
    };
  }

  private slice(e: Expr & { k: 'slice' }, ctx: Ctx): Operand {
    const x = this.operand(e.x, ctx);
    for (const p of [e.lo, e.hi, e.max]) if (p) this.indexConst(this.operand(p, ctx), p, ctx, 'slice index');
    if (x.m === 'const' && x.v.k === 'str') return { m: 'value', t: () => basic('string') };
    if (x.m !== 'value') return NONE;
    return {
      m: 'value',
      t: lazyT(() => {
        const t = x.t();
        const u = underlying(t);
        if (u.k === 'ptr') {
          const a = underlying(u.e);
          return a.k === 'array' ? ({ k: 'slice', e: a.e } as T) : UNKNOWN;
        }
        if (u.k === 'array') return { k: 'slice', e: u.e };
        return t;
      }),
    };
  }

  private lit(e: Expr & { k: 'lit' }, ctx: Ctx, hint?: T): Operand {
    const t = e.t ? this.resolveType(e.t, ctx) : hint ?? UNKNOWN;
    // &T{} elided in a []*T literal: the literal is of the pointed-to type.
    const litType = lazyT(() => {
      const u = underlying(t);
      return u.k === 'ptr' && !e.t ? u.e : t;
    });
    const under = lazyT(() => underlying(litType()));
    const kind = e.t?.k === 'array' || e.t?.k === 'slice' ? 'list' : e.t?.k === 'map' ? 'map' : e.t?.k === 'struct' ? 'struct' : undefined;
    e.els.forEach((el: Elem, i: number) => {
      const u = () => under();
      // Keys: field names of structs are not expressions.
      // A plain name as key is a field name unless the literal is written as a map or array.
      const keyIsField = el.key?.k === 'id' && kind !== 'map' && kind !== 'list';
      if (el.key && !keyIsField) {
        if (el.key.k === 'lit' && !el.key.t) {
          const kt = u();
          this.operand(el.key, ctx, kt.k === 'map' ? kt.key : UNKNOWN);
        } else {
          const k = this.operand(el.key, ctx);
          if (k.m === 'const' && mayOverflow(k.v)) {
            const kt = u();
            if (kt.k === 'map') this.assignConst(k, kt.key, el.key, ctx, 'map literal');
            else if (kt.k === 'slice' || kt.k === 'array') this.indexConst(k, el.key, ctx, 'index');
          }
        }
      }
      const elemType = (): T => {
        const ut = u();
        if (ut.k === 'slice' || ut.k === 'array' || ut.k === 'map') return ut.e;
        if (ut.k === 'struct') {
          if (el.key) return keyIsField && el.key.k === 'id' ? ut.fields.find((f) => f.n === (el.key as { n: string }).n)?.t ?? UNKNOWN : UNKNOWN;
          return ut.fields[i]?.t ?? UNKNOWN;
        }
        return UNKNOWN;
      };
      const v = el.v.k === 'lit' && !el.v.t ? this.operand(el.v, ctx, elemType()) : this.operand(el.v, ctx);
      const what = kind === 'map' ? 'map literal' : kind === 'list' ? 'array or slice literal' : kind === 'struct' ? 'struct literal' : 'composite literal';
      this.assignLazy(v, elemType, el.v, ctx, what === 'composite literal' ? literalWhat(u()) : what);
    });
    return t.k === 'unknown' ? NONE : { m: 'value', t: () => t };
  }
}

function literalWhat(u: T): string {
  return u.k === 'map' ? 'map literal' : u.k === 'struct' ? 'struct literal' : 'array or slice literal';
}

function embeddedName(t: TypeRef): string {
  if (t.k === 'name') return t.n;
  if (t.k === 'ptr') return embeddedName(t.e);
  return '';
}

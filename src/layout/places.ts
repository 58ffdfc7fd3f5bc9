// Where an expression's memory is, for one target: the allocation it lives in (a pointer
// dereference, a variable, a composite literal or a slice's backing array, all of which
// start 8-byte aligned) and its offset from the allocation's start, walking selector chains
// through value-typed structs, embedded fields and arrays back to the last indirection.
// Expressions come from the atomic extractor (src/syntax/extract/atomic.ts); their types
// are found from declarations, initializers, signatures and fields.
import type { SourceFile } from '../model/types';
import type { TypeExpr } from '../syntax/facts';
import type { AtomicFacts, BodyFact, Expr, FuncFact, LocalVar } from '../syntax/extract/atomic';
import { ATOMIC_EXTRACTOR } from '../syntax/extract/atomic';
import type { DeclEntry } from './host';
import { eager, under, unknown, typeName, type NamedType, type PkgView, type RField, type RType } from './model';
import type { LayoutEngine, Scope } from './engine';

export interface Root {
  kind: 'deref' | 'variable' | 'literal' | 'elements';
  /** The type of the allocation (for 'elements', the slice type). */
  type: RType;
  /** Variables: the variable's name. */
  name?: string;
}

export interface PlaceStep {
  field: RField;
  /** The struct type that declares the field. */
  owner: RType;
  /** The field's offset within owner. */
  offset: number;
  /** For array indexing steps: the index text instead of a field. */
  index?: string;
}

export interface Stride {
  /** Bytes between consecutive elements. */
  stride: number;
  elem: RType;
  /** The indexed expression's type, for messages ("[]Stat"). */
  of: RType;
}

export interface Place {
  k: 'place';
  root: Root;
  /** Constant part of the offset from the start of the allocation. */
  offset: number;
  /** Non-constant indexes: the offset also grows by i*stride for each. */
  strides: Stride[];
  steps: PlaceStep[];
  type: RType;
  /** The address went through unsafe.Pointer: its element type may not be what was indexed. */
  viaUnsafe?: boolean;
}

export interface NotKnown {
  k: 'unknown';
  why: string;
  pending?: boolean;
}

/** An address that comes from somewhere this analysis does not follow (a parameter, a field). */
export interface Opaque {
  k: 'opaque';
  why: string;
  /** The address is the enclosing function's parameter at this position. */
  param?: number;
}

export type Placement = Place | NotKnown | Opaque;

/** Everything needed to read expressions of one body (or of package-level initializers). */
export interface BodyEnv {
  engine: LayoutEngine;
  file: SourceFile;
  view: PkgView;
  facts: AtomicFacts;
  body?: BodyFact;
  scope: Scope;
}

function notKnown(t: RType | { unknown: string; pending?: boolean } | string): NotKnown {
  if (typeof t === 'string') return { k: 'unknown', why: t };
  if ('unknown' in t) return t.pending ? { k: 'unknown', why: t.unknown, pending: true } : { k: 'unknown', why: t.unknown };
  if (t.k === 'unknown') return t.pending ? { k: 'unknown', why: t.why, pending: true } : { k: 'unknown', why: t.why };
  return { k: 'unknown', why: `unexpected type ${typeName(t)}` };
}

const BUILTIN_FUNCS = new Set(['new', 'make', 'append', 'len', 'cap', 'min', 'max', 'complex', 'real', 'imag']);

/** The atomic facts of a file, if its facts are loaded. */
export function atomicFactsOf(engine: LayoutEngine, file: SourceFile): AtomicFacts | undefined {
  const f = engine.host.facts(file);
  return f?.extras[ATOMIC_EXTRACTOR] as AtomicFacts | undefined;
}

/** The environment of a body: the function's type parameters and local types are in scope. */
export function bodyEnv(engine: LayoutEngine, file: SourceFile, facts: AtomicFacts, body: BodyFact | undefined): BodyEnv {
  const view = engine.host.viewOf(file);
  const fn: FuncFact | undefined = body && body.func >= 0 ? facts.funcs[body.func] : undefined;
  const tparams = new Map<string, RType>();
  for (const p of fn?.typeParams ?? []) tparams.set(p, { k: 'tparam', name: p });
  const localTypes = new Map<string, TypeExpr>();
  for (const l of body?.locals ?? []) if (l.kind === 'type' && l.type) localTypes.set(l.name, l.type);
  const bodyKey = body ? String(facts.bodies.indexOf(body)) : '';
  return { engine, file, view, facts, body, scope: { view, file, tparams, localTypes, bodyKey } };
}

export class PlaceFinder {
  private typing = new Set<string>();

  constructor(private readonly engine: LayoutEngine) {}

  // ---- types of expressions ----

  typeOf(e: Expr, env: BodyEnv, result = -1): RType {
    switch (e.e) {
      case 'id':
        return this.identType(e, env);
      case 'int':
        return { k: 'basic', name: 'int' };
      case 'sel': {
        const pkg = this.packageOf(e.x, env);
        if (pkg) return this.packageMemberType(pkg, e.name);
        const xt = this.typeOf(e.x, env);
        if (xt.k === 'unknown') return xt;
        const r = this.engine.lookupField(xt, e.name);
        if ('steps' in r) return r.steps[r.steps.length - 1].field.type;
        if ('unknown' in r) return unknown(r.unknown, r.pending);
        return unknown(`no field ${e.name} in ${typeName(xt)}`);
      }
      case 'addr': {
        const t = this.typeOf(e.x, env);
        return t.k === 'unknown' ? t : { k: 'pointer', elem: eager(t) };
      }
      case 'deref': {
        const t = this.typeOf(e.x, env);
        const u = under(t);
        if (u.k === 'pointer') return u.elem.get();
        return t.k === 'unknown' ? t : unknown(`cannot dereference ${typeName(t)}`);
      }
      case 'index': {
        const t = this.typeOf(e.x, env);
        let u = under(t);
        if (u.k === 'pointer') u = under(u.elem.get());
        if (u.k === 'slice') return u.elem.get();
        if (u.k === 'array') return u.elem;
        if (u.k === 'map') return u.value.get();
        if (u.k === 'basic' && u.name === 'string') return { k: 'basic', name: 'byte' };
        return t.k === 'unknown' ? t : unknown(`cannot index ${typeName(t)}`);
      }
      case 'call':
        return this.callType(e, env, result);
      case 'conv':
        return this.engine.resolve(e.type, env.scope);
      case 'lit':
        return e.type ? this.engine.resolve(e.type, env.scope) : unknown('composite literal without a type');
      case 'assert':
        return this.engine.resolve(e.type, env.scope);
      case 'type':
        return unknown('a type is not a value');
      case 'func':
        return { k: 'func' };
      case 'other':
        return unknown(`expression ${e.text} is not followed`);
    }
  }

  private local(env: BodyEnv, idx: number): LocalVar | undefined {
    return env.body?.locals[idx];
  }

  private identType(e: Extract<Expr, { e: 'id' }>, env: BodyEnv): RType {
    if (e.local !== undefined) {
      const l = this.local(env, e.local);
      if (!l) return unknown(`local ${e.name} is not known`);
      const key = `${env.file.path}\0${env.body?.func}\0${e.local}`;
      if (this.typing.has(key)) return unknown(`type of ${e.name} depends on itself`);
      this.typing.add(key);
      try {
        return this.localType(l, env);
      } finally {
        this.typing.delete(key);
      }
    }
    const entry = this.engine.lookup(env.view, e.name);
    if (entry) return this.declType(entry);
    if (e.name === 'nil') return unknown('nil has no type');
    if (e.name === 'true' || e.name === 'false') return { k: 'basic', name: 'bool' };
    if (this.engine.index(env.view).incomplete) return unknown(`${e.name}: facts still loading`, true);
    return unknown(`${e.name} is not declared`);
  }

  private localType(l: LocalVar, env: BodyEnv): RType {
    if (l.kind === 'type') return unknown(`${l.name} is a type`);
    if (l.type) return this.engine.resolve(l.type, env.scope);
    const values = l.values ?? [];
    if (values.length === 0) return unknown(`type of ${l.name} is not known`);
    if (l.kind === 'range-key' || l.kind === 'range-value') return this.rangeType(values[0], l.kind === 'range-key', env);
    // All values have the variable's type; the first one that can be typed says it.
    let last: RType = unknown(`type of ${l.name} is not known`);
    for (let i = 0; i < values.length; i++) {
      const t = this.typeOf(values[i], env, l.results?.[i] ?? -1);
      if (t.k !== 'unknown') return t;
      if (t.pending || last.k !== 'unknown' || !last.pending) last = t;
    }
    return last;
  }

  private rangeType(ranged: Expr, key: boolean, env: BodyEnv): RType {
    const t = this.typeOf(ranged, env);
    let u = under(t);
    if (u.k === 'pointer') u = under(u.elem.get());
    const int: RType = { k: 'basic', name: 'int' };
    switch (u.k) {
      case 'slice':
        return key ? int : u.elem.get();
      case 'array':
        return key ? int : u.elem;
      case 'map':
        return key ? u.key.get() : u.value.get();
      case 'chan':
        return key ? u.elem.get() : unknown('range over a channel has one variable');
      case 'basic':
        if (u.name === 'string') return key ? int : { k: 'basic', name: 'rune' };
        return key ? t : unknown('range over an integer has one variable');
    }
    return t.k === 'unknown' ? t : unknown(`range over ${typeName(t)} is not followed`);
  }

  /** The type of a package-level declaration (a variable's type; a function's result). */
  private declType(entry: DeclEntry): RType {
    const d = entry.decl;
    const view = this.engine.host.viewOf(entry.file);
    const scope: Scope = { view, file: entry.file };
    if (d.kind === 'var') {
      if (d.type) return this.engine.resolve(d.type, scope);
      const facts = atomicFactsOf(this.engine, entry.file);
      if (!facts) return unknown(`${d.name}: facts still loading`, this.engine.host.pending(entry.file));
      const v = facts.vars.find((x) => x.name === d.name);
      if (!v) return unknown(`type of ${d.name} is not known`);
      const key = `${entry.file.path}\0var\0${d.name}`;
      if (this.typing.has(key)) return unknown(`type of ${d.name} depends on itself`);
      this.typing.add(key);
      try {
        return this.typeOf(v.init, bodyEnv(this.engine, entry.file, facts, undefined), v.result ?? -1);
      } finally {
        this.typing.delete(key);
      }
    }
    if (d.kind === 'const') return d.type ? this.engine.resolve(d.type, scope) : { k: 'basic', name: 'int' };
    if (d.kind === 'func') return { k: 'func' };
    return unknown(`${d.name} is not a value`);
  }

  /** `pkg` when an expression is an import's name (not shadowed by a local). */
  packageOf(x: Expr, env: BodyEnv): PkgView | undefined {
    if (x.e !== 'id' || x.local !== undefined) return undefined;
    if (this.engine.index(env.view).byName.has(x.name)) return undefined;
    return this.engine.qualifier(env.file, x.name)?.view;
  }

  private packageMemberType(pkg: PkgView, name: string): RType {
    const entry = this.engine.index(pkg).byName.get(name);
    if (!entry) return unknown(`${pkg.name}.${name} is not declared for this target`, this.engine.index(pkg).incomplete);
    return this.declType(entry);
  }

  /** If `fn` names a type, the conversion's type. */
  typeNamedBy(fn: Expr, env: BodyEnv): RType | undefined {
    const asType = exprAsType(fn);
    if (!asType) return undefined;
    // A name is a type when it resolves to a type declaration, a local type, or a predeclared type.
    let base = asType;
    while (base.kind === 'pointer') base = base.elem;
    if (base.kind !== 'name') return this.engine.resolve(asType, env.scope);
    if (base.pkg === undefined) {
      if (env.scope.tparams?.has(base.name) || env.scope.localTypes?.has(base.name)) return this.engine.resolve(asType, env.scope);
      if (fn.e === 'id' && fn.local !== undefined) return undefined;
      const entry = this.engine.lookup(env.view, base.name);
      if (entry) return entry.decl.kind === 'type' ? this.engine.resolve(asType, env.scope) : undefined;
      if (BUILTIN_FUNCS.has(base.name)) return undefined;
      const t = this.engine.resolve(asType, env.scope);
      return t.k === 'unknown' && !t.pending ? undefined : t;
    }
    const q = this.engine.qualifier(env.file, base.pkg);
    if (!q) return undefined;
    if (q.unsafe) return base.name === 'Pointer' ? this.engine.resolve(asType, env.scope) : undefined;
    if (!q.view) return undefined;
    const entry = this.engine.index(q.view).byName.get(base.name);
    return entry?.decl.kind === 'type' ? this.engine.resolve(asType, env.scope) : undefined;
  }

  private callType(e: Extract<Expr, { e: 'call' }>, env: BodyEnv, result: number): RType {
    const fn = e.fn;
    if (fn.e === 'id' && fn.local === undefined && !this.engine.lookup(env.view, fn.name)) {
      const a0 = e.args[0];
      if (fn.name === 'new' && a0) return { k: 'pointer', elem: eager(this.argType(a0, env)) };
      if (fn.name === 'make' && a0) return this.argType(a0, env);
      if (fn.name === 'append' && a0) return this.typeOf(a0, env);
      if (fn.name === 'len' || fn.name === 'cap') return { k: 'basic', name: 'int' };
    }
    const conv = this.typeNamedBy(fn, env);
    if (conv) return conv;
    if (fn.e === 'id') {
      if (fn.local !== undefined) return unknown(`${fn.name} is a function value`);
      const entry = this.engine.lookup(env.view, fn.name);
      if (!entry) return unknown(`function ${fn.name} is not declared`, this.engine.index(env.view).incomplete);
      return this.funcResult(entry, undefined, result < 0 ? 0 : result);
    }
    if (fn.e === 'sel') {
      const pkg = this.packageOf(fn.x, env);
      if (pkg) {
        const entry = this.engine.index(pkg).byName.get(fn.name);
        if (!entry) return unknown(`${pkg.name}.${fn.name} is not declared for this target`, this.engine.index(pkg).incomplete);
        return this.funcResult(entry, undefined, result < 0 ? 0 : result);
      }
      const recv = this.typeOf(fn.x, env);
      if (recv.k === 'unknown') return recv;
      return this.methodResult(recv, fn.name, result < 0 ? 0 : result, 0);
    }
    return unknown('call of a computed function');
  }

  private argType(a: Expr, env: BodyEnv): RType {
    if (a.e === 'type') return this.engine.resolve(a.type, env.scope);
    const t = exprAsType(a);
    return t ? this.engine.resolve(t, env.scope) : unknown('not a type');
  }

  /** Result `index` of a top-level function, or of a method when `recvNamed` is given. */
  private funcResult(entry: DeclEntry, recvNamed: NamedType | undefined, index: number): RType {
    const facts = atomicFactsOf(this.engine, entry.file);
    if (!facts) return unknown(`${entry.decl.name}: facts still loading`, this.engine.host.pending(entry.file));
    const fn = facts.funcs.find((f) => f.name === entry.decl.name && (recvNamed ? recvBase(f.recv?.type) === recvNamed.name : !f.recv));
    if (!fn) return unknown(`signature of ${entry.decl.name} is not known`);
    const res = fn.results[index];
    if (!res) return unknown(`${entry.decl.name} has no result ${index}`);
    const view = this.engine.host.viewOf(entry.file);
    const tparams = new Map<string, RType>();
    (fn.typeParams ?? []).forEach((p, i) => tparams.set(p, recvNamed?.args[i] ?? { k: 'tparam', name: p }));
    return this.engine.resolve(res, { view, file: entry.file, tparams });
  }

  private methodResult(recv: RType, name: string, index: number, depth: number): RType {
    let t = recv;
    if (t.k === 'pointer') t = t.elem.get();
    if (t.k === 'named' && t.view) {
      const idx = this.engine.index(t.view);
      const m = idx.methods.get(t.name)?.find((x) => x.decl.name === name);
      if (m) return this.funcResult(m, t, index);
    }
    // Promoted methods: look through embedded fields, shallowest first.
    const u = under(t);
    if (u.k === 'struct' && depth < 4) {
      for (const f of u.fields) {
        if (!f.embedded) continue;
        const r = this.methodResult(f.type, name, index, depth + 1);
        if (r.k !== 'unknown' || r.pending) return r;
      }
    }
    if (u.k === 'unknown') return u;
    return unknown(`method ${name} of ${typeName(recv)} is not known`);
  }

  // ---- places ----

  private constIndex(e: Expr, env: BodyEnv): number | undefined {
    if (e.e === 'int') return e.value;
    if (e.e === 'id' && e.local === undefined) {
      const entry = this.engine.lookup(env.view, e.name);
      if (entry?.decl.kind !== 'const') return undefined;
      const v = this.engine.evalConst(e.name, env.view, env.file);
      return typeof v === 'bigint' && v >= 0n && v < 1n << 31n ? Number(v) : undefined;
    }
    return undefined;
  }

  /** The memory an addressable expression denotes. */
  placeOf(e: Expr, env: BodyEnv): Placement {
    switch (e.e) {
      case 'id': {
        const t = this.typeOf(e, env);
        if (t.k === 'unknown') return notKnown(t);
        if (e.local !== undefined) {
          const l = this.local(env, e.local);
          if (l?.kind === 'type') return notKnown(`${e.name} is a type`);
        } else {
          const entry = this.engine.lookup(env.view, e.name);
          if (entry && entry.decl.kind !== 'var') return notKnown(`${e.name} is not a variable`);
        }
        // A variable (local, parameter or global) is its own allocation.
        return { k: 'place', root: { kind: 'variable', type: t, name: e.name }, offset: 0, strides: [], steps: [], type: t };
      }
      case 'sel': {
        const pkg = this.packageOf(e.x, env);
        if (pkg) {
          const t = this.packageMemberType(pkg, e.name);
          if (t.k === 'unknown') return notKnown(t);
          return { k: 'place', root: { kind: 'variable', type: t, name: `${pkg.name}.${e.name}` }, offset: 0, strides: [], steps: [], type: t };
        }
        const xt = this.typeOf(e.x, env);
        if (xt.k === 'unknown') return notKnown(xt);
        const xu = under(xt);
        let base: Placement;
        let structType: RType;
        if (xu.k === 'pointer') {
          structType = xu.elem.get();
          base = this.derefBase(e.x, structType, env);
        } else {
          structType = xt;
          base = this.placeOf(e.x, env);
        }
        if (base.k !== 'place') return base;
        return this.selectField(base, structType, e.name);
      }
      case 'index': {
        const xt = this.typeOf(e.x, env);
        if (xt.k === 'unknown') return notKnown(xt);
        const xu = under(xt);
        let base: Placement;
        let arr: Extract<RType, { k: 'array' }> | undefined;
        let elem: RType;
        if (xu.k === 'slice') {
          elem = xu.elem.get();
          base = { k: 'place', root: { kind: 'elements', type: xt }, offset: 0, strides: [], steps: [], type: xt };
        } else if (xu.k === 'array') {
          arr = xu;
          elem = xu.elem;
          base = this.placeOf(e.x, env);
        } else if (xu.k === 'pointer' && under(xu.elem.get()).k === 'array') {
          const at = xu.elem.get();
          elem = (under(at) as Extract<RType, { k: 'array' }>).elem;
          base = this.derefBase(e.x, at, env);
        } else return notKnown(`${typeName(xt)} elements are not addressable`);
        if (base.k !== 'place') return base;
        const el = this.engine.layout(elem);
        if ('unknown' in el) return notKnown(el);
        const i = this.constIndex(e.index, env);
        const step: PlaceStep = { field: { name: '', embedded: false, type: elem, text: typeName(elem) }, owner: arr ?? xt, offset: 0, index: i === undefined ? 'i' : String(i) };
        if (i !== undefined) return { ...base, offset: base.offset + i * el.size, steps: [...base.steps, { ...step, offset: i * el.size }], type: elem };
        return { ...base, strides: [...base.strides, { stride: el.size, elem, of: xt }], steps: [...base.steps, step], type: elem };
      }
      case 'deref': {
        const xt = this.typeOf(e.x, env);
        const xu = under(xt);
        if (xu.k !== 'pointer') return notKnown(xt.k === 'unknown' ? xt : `cannot dereference ${typeName(xt)}`);
        return this.derefBase(e.x, xu.elem.get(), env);
      }
      case 'lit': {
        const t = this.typeOf(e, env);
        if (t.k === 'unknown') return notKnown(t);
        return { k: 'place', root: { kind: 'literal', type: t }, offset: 0, strides: [], steps: [], type: t };
      }
      default:
        return notKnown('not an addressable expression');
    }
  }

  /**
   * The place a pointer expression points to. A pointer that a local took from `&x.f` (and
   * nothing else) is followed; any other dereference starts a new, aligned allocation.
   */
  private derefBase(ptr: Expr, elem: RType, env: BodyEnv): Placement {
    if (ptr.e === 'id' && ptr.local !== undefined) {
      const l = this.local(env, ptr.local);
      const vals = l?.values ?? [];
      if (l && !l.opaque && !l.type && (l.kind === 'define' || l.kind === 'var') && vals.length === 1 && vals[0].e === 'addr' && (l.results?.[0] ?? -1) < 0) {
        const p = this.placeOf(vals[0].x, env);
        if (p.k === 'place') return p;
      }
    }
    return { k: 'place', root: { kind: 'deref', type: elem }, offset: 0, strides: [], steps: [], type: elem };
  }

  private selectField(base: Place, structType: RType, name: string): Placement {
    const r = this.engine.lookupField(structType, name);
    if ('missing' in r) return notKnown(`no field ${name} in ${typeName(structType)}`);
    if ('unknown' in r) return notKnown(r);
    let p: Place = base;
    for (const s of r.steps) {
      if (s.viaPointer) p = { k: 'place', root: { kind: 'deref', type: s.owner }, offset: 0, strides: [], steps: [], type: s.owner };
      const fo = this.engine.fieldOffset(s.owner, s.index);
      if ('unknown' in fo) return notKnown(fo);
      const off = fo.offset;
      p = { ...p, offset: p.offset + off, steps: [...p.steps, { field: s.field, owner: s.owner, offset: off }], type: s.field.type };
    }
    return p;
  }

  /** The places a pointer-valued expression may point to. */
  addrOf(e: Expr, env: BodyEnv, depth = 0): Placement[] {
    if (depth > 8) return [{ k: 'opaque', why: 'too many indirections' }];
    switch (e.e) {
      case 'addr':
        return [this.placeOf(e.x, env)];
      case 'conv':
        return this.addrOf(e.x, env, depth + 1).map((p) => (p.k === 'place' ? { ...p, viaUnsafe: p.viaUnsafe || isUnsafePointer(this.engine.resolve(e.type, env.scope)) } : p));
      case 'call': {
        if (e.fn.e === 'id' && e.fn.local === undefined && e.fn.name === 'new' && !this.engine.lookup(env.view, 'new')) {
          const t = this.typeOf(e, env);
          if (t.k === 'unknown') return [notKnown(t)];
          const elem = (t as Extract<RType, { k: 'pointer' }>).elem.get();
          return [{ k: 'place', root: { kind: 'literal', type: elem }, offset: 0, strides: [], steps: [], type: elem }];
        }
        const conv = this.typeNamedBy(e.fn, env);
        if (conv && e.args.length === 1) {
          if (conv.k === 'unknown') return [notKnown(conv)];
          const unsafe = isUnsafePointer(conv);
          return this.addrOf(e.args[0], env, depth + 1).map((p) => (p.k === 'place' ? { ...p, viaUnsafe: p.viaUnsafe || unsafe } : p));
        }
        return [{ k: 'opaque', why: 'a pointer returned by a call' }];
      }
      case 'id': {
        if (e.local === undefined) return [{ k: 'opaque', why: `the pointer in ${e.name}` }];
        const l = this.local(env, e.local);
        if (!l) return [notKnown(`local ${e.name} is not known`)];
        if (l.kind === 'param' || l.kind === 'recv' || l.kind === 'result') {
          const o: Opaque = { k: 'opaque', why: `a pointer passed in as ${e.name}` };
          if (l.param !== undefined) o.param = l.param;
          return [o];
        }
        const values = l.values ?? [];
        if (l.opaque || values.length === 0 || (l.results ?? []).some((r) => r >= 0)) return [{ k: 'opaque', why: `the pointer in ${e.name}` }];
        return values.flatMap((v) => this.addrOf(v, env, depth + 1));
      }
      case 'lit':
        return [notKnown('not a pointer')];
      default:
        return [{ k: 'opaque', why: 'a pointer computed elsewhere' }];
    }
  }
}

function isUnsafePointer(t: RType): boolean {
  return t.k === 'basic' && t.name === 'unsafe.Pointer';
}

function recvBase(t: TypeExpr | undefined): string | undefined {
  let x = t;
  while (x && x.kind === 'pointer') x = x.elem;
  return x && x.kind === 'name' ? x.name : undefined;
}

/** An expression read as a type (`T`, `pkg.T`, `*T` in `(*T)(x)`), if it can be one. */
export function exprAsType(e: Expr): TypeExpr | undefined {
  switch (e.e) {
    case 'id':
      return { kind: 'name', name: e.name };
    case 'sel':
      return e.x.e === 'id' ? { kind: 'name', pkg: e.x.name, name: e.name } : undefined;
    case 'deref': {
      const inner = exprAsType(e.x);
      return inner ? { kind: 'pointer', elem: inner } : undefined;
    }
    case 'type':
      return e.type;
    case 'index': {
      // A generic type instantiated with one argument: G[int].
      const base = exprAsType(e.x);
      const arg = exprAsType(e.index);
      return base && base.kind === 'name' && arg ? { ...base, args: [arg] } : undefined;
    }
    default:
      return undefined;
  }
}

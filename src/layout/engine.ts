// The layout engine: resolves type expressions as written (syntax facts) to types, and
// computes their sizes, alignments and field offsets exactly as the gc compiler does for
// one target. Whatever cannot be resolved (a missing package, a cgo type, a length that
// is not a known constant, a type parameter) is "unknown", never a guess.
import type { SourceFile } from '../model/types';
import type { DeclFact, TypeExpr } from '../syntax/facts';
import { alignUp, basicLayout, interfaceLayout, isBasicName, sliceLayout, wordLayout, type Arch, type SizeAlign } from './sizes';
import { evalConstInt } from './consts';
import { buildIndex, type DeclEntry, type PackageIndex, type TypeHost } from './host';
import { lazy, under, unknown, type NamedType, type PkgView, type RField, type RType, type UnknownType } from './model';

/** Where a type expression is read: its package, its file (for imports), bound type parameters. */
export interface Scope {
  view: PkgView;
  file: SourceFile;
  tparams?: Map<string, RType>;
  /** Types declared inside a function body, by name (they shadow package-level ones). */
  localTypes?: Map<string, TypeExpr>;
  /** Identifies that body within its file, so that local types of different functions stay apart. */
  bodyKey?: string;
}

export type LayoutResult = SizeAlign | { unknown: string; pending?: boolean };

export interface StructLayout {
  /** Offset of each field; undefined from the first field whose layout is unknown on. */
  offsets: (number | undefined)[];
  size?: number;
  align?: number;
  /** Why size/align (or some offsets) are unknown. */
  unknown?: string;
  pending?: boolean;
}

/** One step of a selector: a field of a struct, reached through a pointer or not. */
export interface FieldStep {
  /** The struct type (named when it is one) that declares the field. */
  owner: RType;
  index: number;
  field: RField;
  /** The embedded field holding `owner` was a pointer: this step starts a new allocation. */
  viaPointer: boolean;
}

export type FieldLookup = { steps: FieldStep[] } | { unknown: string; pending?: boolean } | { missing: true };

/** Packages whose empty `align64` struct gc treats as "align the enclosing struct to 8 bytes". */
const ALIGN64_PKGS = new Set(['sync/atomic', 'internal/runtime/atomic', 'runtime/internal/atomic']);

const UNSAFE_POINTER = 'unsafe.Pointer';

export class LayoutEngine {
  private indexes = new Map<string, PackageIndex>();
  private namedCache = new Map<string, RType>();
  private importCache = new Map<string, Map<string, Qualified | null>>();
  private layoutMemo = new WeakMap<object, LayoutResult>();
  private structMemo = new WeakMap<object, StructLayout>();
  private inProgress = new WeakSet<object>();
  private constBusy = new Set<string>();

  constructor(
    readonly arch: Arch,
    readonly host: TypeHost,
  ) {}

  // ---- packages and names ----

  index(view: PkgView): PackageIndex {
    let idx = this.indexes.get(view.key);
    if (!idx) {
      idx = buildIndex(this.host, view);
      this.indexes.set(view.key, idx);
    }
    return idx;
  }

  /** The package an identifier `q` names in a file, through that file's imports. */
  qualifier(file: SourceFile, q: string): Qualified | undefined {
    let perFile = this.importCache.get(file.path);
    if (!perFile) this.importCache.set(file.path, (perFile = new Map()));
    const hit = perFile.get(q);
    if (hit !== undefined) return hit ?? undefined;
    const facts = this.host.facts(file);
    let found: Qualified | null = null;
    if (facts) {
      const named = facts.imports.find((i) => i.name === q);
      const candidates = named ? [named] : facts.imports.filter((i) => i.name === undefined);
      for (const imp of candidates) {
        if (imp.path === 'unsafe') {
          if (named || q === 'unsafe') found = { path: imp.path, unsafe: true };
        } else if (imp.path === 'C') {
          if (named || q === 'C') found = { path: imp.path, cgo: true };
        } else {
          // An unnamed import is known by its package clause, not its path: load it to see.
          const view = this.host.importView(imp.path, file);
          if (view && (named || view.name === q)) found = { path: imp.path, view };
          else if (!view && (named || defaultImportName(imp.path) === q)) found = { path: imp.path };
        }
        if (found) break;
      }
    }
    if (facts) perFile.set(q, found);
    return found ?? undefined;
  }

  /** A package-level declaration of a view by name (dot imports included). */
  lookup(view: PkgView, name: string): DeclEntry | undefined {
    const idx = this.index(view);
    const own = idx.byName.get(name);
    if (own) return own;
    for (const d of idx.dotImports) {
      const other = this.host.importView(d.path, d.from);
      const hit = other && this.index(other).byName.get(name);
      if (hit && isExported(name)) return hit;
    }
    return undefined;
  }

  // ---- resolution ----

  /** Resolves a type expression as written in `scope`. */
  resolve(t: TypeExpr, scope: Scope): RType {
    switch (t.kind) {
      case 'name':
        return this.resolveName(t, scope);
      case 'pointer':
        return { k: 'pointer', elem: lazy(() => this.resolve(t.elem, scope)) };
      case 'slice':
        return { k: 'slice', elem: lazy(() => this.resolve(t.elem, scope)) };
      case 'array': {
        const n = this.arrayLen(t.len, scope);
        if (typeof n !== 'number') return n;
        return { k: 'array', len: n, elem: this.resolve(t.elem, scope) };
      }
      case 'map':
        return { k: 'map', key: lazy(() => this.resolve(t.key, scope)), value: lazy(() => this.resolve(t.value, scope)) };
      case 'chan':
        return { k: 'chan', elem: lazy(() => this.resolve(t.elem, scope)) };
      case 'func':
        return { k: 'func' };
      case 'interface':
        return { k: 'interface' };
      case 'struct':
        return {
          k: 'struct',
          fields: t.fields.map((f) => {
            let resolved: RType | undefined;
            const field = { name: f.name, embedded: f.embedded, text: typeExprText(f.type), decl: { file: scope.file, span: f.span }, expr: f.type, file: scope.file };
            return Object.defineProperty(field, 'type', { enumerable: true, get: () => (resolved ??= this.resolve(f.type, scope)) }) as RField;
          }),
        };
      case 'unknown':
        return unknown(`type ${t.text} is not understood`);
    }
  }

  private resolveName(t: Extract<TypeExpr, { kind: 'name' }>, scope: Scope): RType {
    const args = t.args ?? [];
    if (t.pkg !== undefined) {
      const q = this.qualifier(scope.file, t.pkg);
      if (!q) return this.missingQualifier(scope.file, t.pkg);
      if (q.unsafe) return t.name === 'Pointer' ? { k: 'basic', name: UNSAFE_POINTER } : unknown(`unsafe.${t.name} is not a type`);
      if (q.cgo) return unknown(`C.${t.name} is a cgo type`);
      if (!q.view) {
        const fb = q.path === 'sync/atomic' ? this.atomicFallback(q.path, t.name, args.map((a) => this.resolve(a, scope))) : undefined;
        return fb ?? unknown(`package ${q.path} cannot be resolved`);
      }
      return this.named(q.view, t.name, args.map((a) => this.resolve(a, scope)));
    }
    const bound = scope.tparams?.get(t.name);
    if (bound) return bound;
    const local = args.length === 0 ? scope.localTypes?.get(t.name) : undefined;
    if (local) return this.localNamed(t.name, local, scope);
    const decl = this.lookup(scope.view, t.name);
    if (decl) return this.fromDecl(decl, args.map((a) => this.resolve(a, scope)));
    if (isBasicName(t.name)) return { k: 'basic', name: t.name };
    if (this.index(scope.view).incomplete) return unknown(`${t.name}: facts still loading`, true);
    return unknown(`type ${t.name} is not declared in package ${scope.view.name} for this target`);
  }

  /** A type declared in a function body: named, scoped to its file (names may repeat in other functions). */
  private localNamed(name: string, def: TypeExpr, scope: Scope): RType {
    const key = `${scope.file.path}\0local\0${scope.bodyKey ?? ''}\0${name}`;
    const cached = this.namedCache.get(key);
    if (cached) return cached;
    // Inside its own definition the name refers to itself (through pointers only, in valid Go).
    let u: RType | undefined;
    let busy = false;
    const named: NamedType = {
      k: 'named',
      name,
      pkgPath: scope.view.pkg.importPath,
      view: scope.view,
      args: [],
      key,
      underlying: () => {
        if (u) return u;
        if (busy) return unknown(`type ${name} is defined in terms of itself`);
        busy = true;
        try {
          u = under(this.resolve(def, scope));
        } finally {
          busy = false;
        }
        return u;
      },
    };
    this.namedCache.set(key, named);
    return named;
  }

  private missingQualifier(file: SourceFile, q: string): UnknownType {
    if (this.host.pending(file)) return unknown(`${q}: facts still loading`, true);
    return unknown(`package ${q} cannot be resolved`);
  }

  /** A named type of a package, instantiated with `args`. */
  named(view: PkgView, name: string, args: RType[]): RType {
    const decl = this.index(view).byName.get(name);
    if (!decl) {
      if (this.index(view).incomplete) return unknown(`${view.name}.${name}: facts still loading`, true);
      return unknown(`type ${view.name}.${name} is not declared for this target`);
    }
    return this.fromDecl(decl, args);
  }

  private fromDecl(entry: DeclEntry, args: RType[]): RType {
    const { decl, file } = entry;
    const view = this.host.viewOf(file);
    if (decl.kind !== 'type') return unknown(`${decl.name} is not a type`);
    const params = decl.typeParams ?? [];
    if (args.length !== params.length && !(args.length === 0 && params.length > 0)) {
      return unknown(`${decl.name} takes ${params.length} type arguments, not ${args.length}`);
    }
    // A generic type named without arguments (only possible inside its own methods and
    // declaration) keeps its parameters as unknowns.
    const actual = args.length ? args : params.map((p): RType => ({ k: 'tparam', name: p }));
    const key = `${view.key}\0${decl.name}\0${actual.map(typeKey).join(',')}`;
    const cached = this.namedCache.get(key);
    if (cached) return cached;
    const tparams = new Map<string, RType>();
    params.forEach((p, i) => tparams.set(p, actual[i]));
    const scope: Scope = { view, file, tparams };
    if (!decl.type) {
      const u = unknown(`type ${decl.name} has no readable definition`);
      this.namedCache.set(key, u);
      return u;
    }
    if (decl.alias) {
      this.namedCache.set(key, unknown(`alias ${decl.name} refers to itself`));
      const target = this.resolve(decl.type, scope);
      this.namedCache.set(key, target);
      return target;
    }
    const declType = decl.type;
    let u: RType | undefined;
    let busy = false;
    const named: NamedType = {
      k: 'named',
      name: decl.name,
      pkgPath: view.pkg.importPath,
      view,
      args: args.length ? actual : [],
      decl: { file, span: decl.span },
      key,
      underlying: () => {
        if (u) return u;
        if (busy) return unknown(`type ${decl.name} is defined in terms of itself`);
        busy = true;
        try {
          u = under(this.resolve(declType, scope));
        } finally {
          busy = false;
        }
        return u;
      },
    };
    if (decl.name === 'align64' && ALIGN64_PKGS.has(view.pkg.importPath)) named.special = 'align64';
    this.namedCache.set(key, named);
    return named;
  }

  /**
   * sync/atomic's types when its sources cannot be read (no GOROOT): their layouts are
   * part of the package's documented contract (Int64 and Uint64 are 8-byte aligned on
   * every target).
   */
  private atomicFallback(pkgPath: string, name: string, args: RType[]): RType | undefined {
    const field = (t: RType): RField => ({ name: 'v', embedded: false, type: t, text: typeName0(t) });
    const align64: NamedType = { k: 'named', name: 'align64', pkgPath, args: [], key: `${pkgPath}\0align64`, special: 'align64', underlying: () => ({ k: 'struct', fields: [] }) };
    const shapes: Record<string, RField[]> = {
      Bool: [field({ k: 'basic', name: 'uint32' })],
      Int32: [field({ k: 'basic', name: 'int32' })],
      Uint32: [field({ k: 'basic', name: 'uint32' })],
      Int64: [{ name: '_', embedded: false, type: align64, text: 'align64' }, field({ k: 'basic', name: 'int64' })],
      Uint64: [{ name: '_', embedded: false, type: align64, text: 'align64' }, field({ k: 'basic', name: 'uint64' })],
      Uintptr: [field({ k: 'basic', name: 'uintptr' })],
      Pointer: [field({ k: 'basic', name: UNSAFE_POINTER })],
      Value: [field({ k: 'interface' })],
    };
    const fields = shapes[name];
    if (!fields) return undefined;
    const key = `${pkgPath}\0${name}\0${args.map(typeKey).join(',')}`;
    const st: RType = { k: 'struct', fields };
    return { k: 'named', name, pkgPath, args, key, underlying: () => st };
  }

  private arrayLen(len: string, scope: Scope): number | UnknownType {
    if (len === '...') return unknown('array length [...] is only known from its literal');
    const v = this.evalConst(len, scope.view, scope.file);
    if (v === undefined) return unknown(`array length ${len} is not a known constant`);
    if (typeof v !== 'bigint') return v;
    if (v < 0n || v > BigInt(Number.MAX_SAFE_INTEGER)) return unknown(`array length ${len} is out of range`);
    return Number(v);
  }

  /** The value of an integer constant expression read in a file of a view. */
  evalConst(src: string, view: PkgView, file: SourceFile, iota?: number): bigint | UnknownType | undefined {
    let pending = false;
    const v = evalConstInt(
      src,
      (name, qualifier) => {
        let entry: DeclEntry | undefined;
        if (qualifier !== undefined) {
          const q = this.qualifier(file, qualifier);
          if (!q?.view) {
            if (this.host.pending(file)) pending = true;
            return undefined;
          }
          entry = this.index(q.view).byName.get(name);
          if (!entry && this.index(q.view).incomplete) pending = true;
        } else {
          entry = this.lookup(view, name);
          if (!entry && this.index(view).incomplete) pending = true;
        }
        if (!entry) return undefined;
        const r = this.constOf(entry);
        if (r !== undefined && typeof r !== 'bigint') {
          if (r.pending) pending = true;
          return undefined;
        }
        return r;
      },
      iota,
    );
    if (v === undefined && pending) return unknown('constant: facts still loading', true);
    return v;
  }

  private constOf(entry: DeclEntry): bigint | UnknownType | undefined {
    const d: DeclFact = entry.decl;
    if (d.kind !== 'const' || d.value === undefined) return undefined;
    const key = `${entry.file.path}\0${d.name}`;
    if (this.constBusy.has(key)) return undefined;
    this.constBusy.add(key);
    try {
      return this.evalConst(d.value, this.host.viewOf(entry.file), entry.file, d.iota);
    } finally {
      this.constBusy.delete(key);
    }
  }

  // ---- layout ----

  layout(t: RType): LayoutResult {
    const memo = this.layoutMemo.get(t);
    if (memo) return memo;
    if (this.inProgress.has(t)) return { unknown: 'the type contains itself' };
    this.inProgress.add(t);
    let r: LayoutResult;
    try {
      r = this.computeLayout(t);
    } finally {
      this.inProgress.delete(t);
    }
    this.layoutMemo.set(t, r);
    return r;
  }

  private computeLayout(t: RType): LayoutResult {
    const a = this.arch;
    switch (t.k) {
      case 'basic':
        if (t.name === UNSAFE_POINTER) return wordLayout(a);
        return basicLayout(t.name, a) ?? { unknown: `unknown basic type ${t.name}` };
      case 'pointer':
      case 'map':
      case 'chan':
      case 'func':
        return wordLayout(a);
      case 'slice':
        return sliceLayout(a);
      case 'interface':
        return interfaceLayout(a);
      case 'array': {
        const e = this.layout(t.elem);
        if ('unknown' in e) return e;
        return { size: t.len * e.size, align: e.align };
      }
      case 'struct': {
        const s = this.structLayout(t);
        if (s.size === undefined || s.align === undefined) return { unknown: s.unknown ?? 'unknown field', pending: s.pending };
        return { size: s.size, align: s.align };
      }
      case 'named':
        if (t.special === 'align64') return { size: 0, align: 8 };
        return this.layout(t.underlying());
      case 'tparam':
        return { unknown: `depends on type parameter ${t.name}` };
      case 'unknown':
        return t.pending ? { unknown: t.why, pending: true } : { unknown: t.why };
    }
  }

  /** Field offsets of a struct type (named or not) with gc's padding rules. */
  structLayout(t: RType): StructLayout {
    const st = under(t);
    if (st.k !== 'struct') return { offsets: [], unknown: 'not a struct' };
    const memo = this.structMemo.get(st);
    if (memo) return memo;
    const offsets: (number | undefined)[] = [];
    let off = 0;
    let maxAlign = 1;
    let why: string | undefined;
    let pending = false;
    let lastSize = -1;
    for (const f of st.fields) {
      if (why !== undefined) {
        offsets.push(undefined);
        continue;
      }
      const l = this.layout(f.type);
      if ('unknown' in l) {
        why = `${f.name}: ${l.unknown}`;
        pending = !!l.pending;
        offsets.push(undefined);
        continue;
      }
      off = alignUp(off, l.align);
      offsets.push(off);
      off += l.size;
      maxAlign = Math.max(maxAlign, l.align);
      lastSize = l.size;
    }
    let r: StructLayout;
    if (why !== undefined) {
      r = { offsets, unknown: why, pending };
    } else {
      // gc: a non-zero-sized struct that ends in a zero-sized field gets one byte of padding,
      // so that the field's address cannot point past the object (golang/go#9401).
      if (st.fields.length > 0 && off > 0 && lastSize === 0) off += 1;
      r = { offsets, size: alignUp(off, maxAlign), align: maxAlign };
    }
    this.structMemo.set(st, r);
    return r;
  }

  /**
   * The offset of field `index` of a struct type. Only the fields before it (and its own
   * alignment) are laid out, so types after it are not resolved.
   */
  fieldOffset(t: RType, index: number): { offset: number } | { unknown: string; pending?: boolean } {
    const st = under(t);
    if (st.k !== 'struct' || index >= st.fields.length) return { unknown: 'not a field' };
    const full = this.structMemo.get(st);
    if (full) {
      const o = full.offsets[index];
      return o !== undefined ? { offset: o } : { unknown: full.unknown ?? 'unknown layout', pending: full.pending };
    }
    let off = 0;
    for (let i = 0; i <= index; i++) {
      const f = st.fields[i];
      const l = this.layout(f.type);
      if ('unknown' in l) return { unknown: `${f.name}: ${l.unknown}`, pending: l.pending };
      off = alignUp(off, l.align);
      if (i === index) return { offset: off };
      off += l.size;
    }
    return { unknown: 'not a field' };
  }

  // ---- selectors ----

  /**
   * Finds field `name` of a struct type (or a pointer to one), following embedded fields as
   * Go's selector rules do: the shallowest depth wins, two at the same depth are ambiguous.
   */
  lookupField(t: RType, name: string): FieldLookup {
    let start = t;
    if (under(start).k === 'pointer') start = (under(start) as Extract<RType, { k: 'pointer' }>).elem.get();
    type Item = { type: RType; steps: FieldStep[]; viaPointer: boolean };
    let level: Item[] = [{ type: start, steps: [], viaPointer: false }];
    const seen = new Set<string>();
    for (let depth = 0; level.length > 0 && depth < 16; depth++) {
      const found: FieldStep[][] = [];
      const next: Item[] = [];
      for (const item of level) {
        const u = under(item.type);
        if (u.k === 'unknown') return u.pending ? { unknown: u.why, pending: true } : { unknown: u.why };
        if (u.k !== 'struct') continue;
        u.fields.forEach((f, index) => {
          const step: FieldStep = { owner: item.type, index, field: f, viaPointer: item.viaPointer };
          if (f.name === name) found.push([...item.steps, step]);
          if (!f.embedded) return;
          let ft = f.type;
          let viaPointer = false;
          const fu = under(ft);
          if (fu.k === 'pointer' && ft.k === 'pointer') {
            ft = fu.elem.get();
            viaPointer = true;
          }
          const k = ft.k === 'named' ? ft.key : `${typeKey(ft)}@${depth}`;
          if (seen.has(k)) return;
          seen.add(k);
          next.push({ type: ft, steps: [...item.steps, step], viaPointer });
        });
      }
      if (found.length === 1) return { steps: found[0] };
      if (found.length > 1) return { unknown: `ambiguous selector ${name}` };
      level = next;
    }
    return { missing: true };
  }
}

/** What a qualifier names: an import (its path, and its package when it could be loaded). */
export interface Qualified {
  path: string;
  view?: PkgView;
  unsafe?: boolean;
  cgo?: boolean;
}

/** The name an import is known by when its package cannot be read: the last path element, without a major-version suffix. */
function defaultImportName(p: string): string {
  const parts = p.split('/');
  let last = parts[parts.length - 1];
  if (/^v[0-9]+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  return last.replace(/\.v[0-9]+$/, '').replace(/^go-/, '').replace(/[-.]go$/, '');
}

function isExported(name: string): boolean {
  return /^\p{Lu}/u.test(name);
}

function typeName0(t: RType): string {
  return t.k === 'basic' ? t.name : t.k;
}

/** A canonical key for a resolved type (used to cache generic instantiations). */
export function typeKey(t: RType, depth = 0): string {
  if (depth > 8) return '…';
  switch (t.k) {
    case 'basic':
      return t.name;
    case 'named':
      return t.key;
    case 'pointer':
      return '*' + typeKey(t.elem.get(), depth + 1);
    case 'slice':
      return '[]' + typeKey(t.elem.get(), depth + 1);
    case 'array':
      return `[${t.len}]` + typeKey(t.elem, depth + 1);
    case 'map':
      return `map[${typeKey(t.key.get(), depth + 1)}]` + typeKey(t.value.get(), depth + 1);
    case 'chan':
      return 'chan ' + typeKey(t.elem.get(), depth + 1);
    case 'struct':
      return `struct{${t.fields.map((f) => `${f.embedded ? '~' : ''}${f.name} ${typeKey(f.type, depth + 1)}`).join(';')}}`;
    case 'tparam':
      return `$${t.name}`;
    case 'unknown':
      return `?${t.why}`;
    default:
      return t.k;
  }
}

/** A type expression as Go source (close to how it was written), for messages. */
export function typeExprText(t: TypeExpr): string {
  switch (t.kind) {
    case 'name': {
      const base = t.pkg ? `${t.pkg}.${t.name}` : t.name;
      return t.args && t.args.length ? `${base}[${t.args.map(typeExprText).join(', ')}]` : base;
    }
    case 'pointer':
      return '*' + typeExprText(t.elem);
    case 'slice':
      return '[]' + typeExprText(t.elem);
    case 'array':
      return `[${t.len}]${typeExprText(t.elem)}`;
    case 'map':
      return `map[${typeExprText(t.key)}]${typeExprText(t.value)}`;
    case 'chan':
      return 'chan ' + typeExprText(t.elem);
    case 'func':
      return 'func(…)';
    case 'interface':
      return t.methods.length || t.embeds.length ? 'interface{…}' : 'interface{}';
    case 'struct':
      return 'struct{…}';
    case 'unknown':
      return t.text;
  }
}

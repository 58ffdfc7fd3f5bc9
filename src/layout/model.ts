// The resolved type model the layout engine works on: a Go type as gc sees it for one
// target, with every name resolved to its declaration in the files that build for that
// target. Pointer, slice and map element types are resolved lazily, so recursive types
// (`type List struct{ next *List }`) cost nothing until a rule walks through them.
import type { Span } from '../types';
import type { Package, SourceFile } from '../model/types';
import type { TypeExpr } from '../syntax/facts';

/** A package as one compilation unit: the files of a directory with one package name. */
export interface PkgView {
  pkg: Package;
  /** The package clause's name. */
  name: string;
  /** Whether the package's _test.go files of the same name belong to it. */
  tests: boolean;
  /** Stable identity of the view. */
  key: string;
}

export interface DeclRef {
  file: SourceFile;
  span: Span;
}

export interface Lazy {
  get(): RType;
}

export interface RField {
  name: string;
  embedded: boolean;
  /** Resolved on first use: a struct's fields may name packages no one needs to read. */
  readonly type: RType;
  /** The field's type as written, for messages ("uint64", "*sync.Mutex"). */
  text: string;
  decl?: DeclRef;
  /** The type expression and the file it is read in, to look at it without resolving it. */
  expr?: TypeExpr;
  file?: SourceFile;
}

export interface NamedType {
  k: 'named';
  name: string;
  /** Import path of the declaring package ("sync", "example.com/m/stats"). */
  pkgPath: string;
  /** The declaring package view (undefined for the built-in fallbacks of sync/atomic). */
  view?: PkgView;
  args: RType[];
  decl?: DeclRef;
  /** sync/atomic's align64 marker: size 0, alignment 8 on every target. */
  special?: 'align64';
  underlying(): RType;
  /** Cache key: declaring package, name and type arguments. */
  key: string;
}

export type RType =
  | { k: 'basic'; name: string }
  | { k: 'pointer'; elem: Lazy }
  | { k: 'slice'; elem: Lazy }
  | { k: 'array'; len: number; elem: RType }
  | { k: 'map'; key: Lazy; value: Lazy }
  | { k: 'chan'; elem: Lazy }
  | { k: 'func' }
  | { k: 'interface' }
  | { k: 'struct'; fields: RField[] }
  | NamedType
  | { k: 'tparam'; name: string }
  | { k: 'unknown'; why: string; pending?: boolean };

export type UnknownType = Extract<RType, { k: 'unknown' }>;

export function unknown(why: string, pending = false): UnknownType {
  return pending ? { k: 'unknown', why, pending } : { k: 'unknown', why };
}

export function lazy(f: () => RType): Lazy {
  let v: RType | undefined;
  return {
    get() {
      if (v === undefined) v = f();
      return v;
    },
  };
}

export function eager(t: RType): Lazy {
  return { get: () => t };
}

/** The type with names stripped: the underlying type of a named type, else the type itself. */
export function under(t: RType): RType {
  let cur = t;
  // Named types' underlying types are never named, but guard against a broken chain.
  for (let i = 0; i < 100 && cur.k === 'named'; i++) cur = cur.underlying();
  return cur;
}

/** A short human name for a type, as Go would print it relative to its package. */
export function typeName(t: RType, depth = 0): string {
  if (depth > 6) return '…';
  switch (t.k) {
    case 'basic':
      return t.name;
    case 'pointer':
      return '*' + typeName(t.elem.get(), depth + 1);
    case 'slice':
      return '[]' + typeName(t.elem.get(), depth + 1);
    case 'array':
      return `[${t.len}]` + typeName(t.elem, depth + 1);
    case 'map':
      return `map[${typeName(t.key.get(), depth + 1)}]${typeName(t.value.get(), depth + 1)}`;
    case 'chan':
      return 'chan ' + typeName(t.elem.get(), depth + 1);
    case 'func':
      return 'func(…)';
    case 'interface':
      return 'interface{…}';
    case 'struct':
      return 'struct{…}';
    case 'named': {
      const args = t.args.length ? `[${t.args.map((a) => typeName(a, depth + 1)).join(', ')}]` : '';
      return t.name + args;
    }
    case 'tparam':
      return t.name;
    case 'unknown':
      return '?';
  }
}

/** The package-qualified name of a named type ("sync.Mutex"), or typeName for others. */
export function qualifiedName(t: RType): string {
  if (t.k !== 'named') return typeName(t);
  const pkgName = t.view?.name ?? t.pkgPath.split('/').pop();
  return `${pkgName}.${typeName(t)}`;
}

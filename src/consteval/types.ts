// Resolved Go types, as far as constant checking needs them: basic and untyped types
// exactly, composite types structurally, named types lazily (their underlying type and
// methods are looked up only when asked, which also breaks recursive definitions).
// Anything we cannot resolve with certainty is 'unknown', and checks stop there.
import { basicSize, type BasicName, type UntypedKind } from './basic';

export type T =
  | { k: 'basic'; n: BasicName }
  | { k: 'untyped'; n: UntypedKind }
  | Named
  | { k: 'ptr' | 'slice' | 'chan'; e: T }
  | { k: 'array'; len?: bigint; e: T }
  | { k: 'map'; key: T; e: T }
  | { k: 'struct'; fields: { n: string; t: T; emb: boolean }[] }
  | { k: 'func'; p: T[]; r: T[]; variadic: boolean }
  | { k: 'iface'; method(name: string): T | undefined }
  /** The results of a call with several. */
  | { k: 'tuple'; ts: T[] }
  | { k: 'unknown' };

export interface Named {
  k: 'named';
  /** Identity: declaring package (dir), name, and for local types the declaration. */
  id: string;
  name: string;
  /** Import path and name of the declaring package, for messages. */
  pkgPath: string;
  pkgName: string;
  under(): T;
  /** Signature of a method declared on this type (either receiver form). */
  method(name: string): T | undefined;
}

export const UNKNOWN: T = { k: 'unknown' };

const basics = new Map<string, T>();
export function basic(n: BasicName): T {
  let t = basics.get(n);
  if (!t) basics.set(n, (t = { k: 'basic', n }));
  return t;
}

export const UNTYPED: Record<UntypedKind, T> = {
  int: { k: 'untyped', n: 'int' },
  rune: { k: 'untyped', n: 'rune' },
  float: { k: 'untyped', n: 'float' },
  complex: { k: 'untyped', n: 'complex' },
  string: { k: 'untyped', n: 'string' },
  bool: { k: 'untyped', n: 'bool' },
  nil: { k: 'untyped', n: 'nil' },
};

export const ANY: T = { k: 'iface', method: () => undefined };

/** The underlying type; 'unknown' for a named type defined in terms of itself. */
export function underlying(t: T): T {
  const seen = new Set<Named>();
  let cur = t;
  while (cur.k === 'named') {
    if (seen.has(cur)) return UNKNOWN;
    seen.add(cur);
    cur = cur.under();
  }
  return cur;
}

/** The default type of an untyped constant (spec: "Constants"). */
export function defaultType(t: T): T {
  if (t.k !== 'untyped') return t;
  switch (t.n) {
    case 'int':
      return basic('int');
    case 'rune':
      return basic('int32');
    case 'float':
      return basic('float64');
    case 'complex':
      return basic('complex128');
    case 'string':
      return basic('string');
    case 'bool':
      return basic('bool');
    default:
      return UNKNOWN;
  }
}

/** Type identity, for the types constants can have (basic and named). */
export function identical(a: T, b: T): boolean {
  if (a.k === 'basic' && b.k === 'basic') return a.n === b.n;
  if (a.k === 'named' && b.k === 'named') return a.id === b.id;
  if (a.k === 'untyped' && b.k === 'untyped') return a.n === b.n;
  return false;
}

/** How the type is written in a message, qualified when declared in another package than `fromPkg`. */
export function typeString(t: T, fromPkg?: string): string {
  switch (t.k) {
    case 'basic':
      return t.n;
    case 'untyped':
      return `untyped ${t.n}`;
    case 'named':
      return t.pkgPath && t.pkgPath !== fromPkg && t.pkgName ? `${t.pkgName}.${t.name}` : t.name;
    case 'ptr':
      return `*${typeString(t.e, fromPkg)}`;
    case 'slice':
      return `[]${typeString(t.e, fromPkg)}`;
    case 'array':
      return `[${t.len ?? '?'}]${typeString(t.e, fromPkg)}`;
    case 'map':
      return `map[${typeString(t.key, fromPkg)}]${typeString(t.e, fromPkg)}`;
    case 'chan':
      return `chan ${typeString(t.e, fromPkg)}`;
    default:
      return t.k;
  }
}

/** unsafe.Sizeof where it follows from the type alone; undefined for structs and anything unknown. */
export function sizeOf(t: T, ptrSize: 4 | 8): bigint | undefined {
  const u = underlying(t);
  switch (u.k) {
    case 'basic': {
      const n = basicSize(u.n, ptrSize);
      return n === undefined ? undefined : BigInt(n);
    }
    case 'ptr':
    case 'map':
    case 'chan':
    case 'func':
      return BigInt(ptrSize);
    case 'slice':
      return BigInt(3 * ptrSize);
    case 'iface':
      return BigInt(2 * ptrSize);
    case 'array': {
      const e = sizeOf(u.e, ptrSize);
      return e === undefined || u.len === undefined ? undefined : e * u.len;
    }
    default:
      return undefined;
  }
}

// What a package declares, per target: the common face of packages read from source
// (parsed.ts) and of the standard library's shipped facts (shipped.ts).
import type { SourceFile } from '../model/types';
import type { TypeExpr } from '../syntax/facts';

export type TopKind = 'const' | 'var' | 'type' | 'func';

/** A package-level declaration and the run targets on which it is part of the build. */
export interface TopDecl {
  name: string;
  kind: TopKind;
  /** Run target ids. */
  targets: ReadonlySet<string>;
  /** Where it is declared, for messages: "consts_amd64.go (amd64)" or "the Go 1.26 standard library". */
  site: string;
  /** The declaring file (packages read from source). */
  file?: SourceFile;
  /** var/const: the declared type, if written; type: the type it denotes. */
  type?: TypeExpr;
  alias?: boolean;
  typeParams?: string[];
  /** Functions: parameter types (null where not a named type); the last is variadic's element type. */
  sig?: Signature;
}

export interface Signature {
  params: (TypeExpr | null)[];
  variadic: boolean;
}

/** A type as far as the rules need it: a named type of some package, a predeclared basic type, or unknown. */
export type RType =
  | { k: 'named'; src: SymbolSource; name: string; ptr: boolean }
  | { k: 'basic'; name: string }
  | { k: 'unknown' };

export const UNKNOWN: RType = { k: 'unknown' };

/**
 * Looking up `x.sel` on one target: a field (with its type), a method, certainly
 * missing (the type is known there and has no such member), absent (the type is not
 * declared there), unread (the package's files not read yet may say), or unknown
 * (declared more than once, or a promotion could not be followed).
 */
export type MemberResult =
  | { k: 'field'; type: RType; site: string; /** Reached through an embedded field (not a composite-literal key then). */ promoted?: boolean }
  | { k: 'method'; site: string; sig?: Signature; file?: SourceFile; src?: SymbolSource }
  | { k: 'missing' }
  /** The type itself is not declared on the target (the reference to it is another finding). */
  | { k: 'absent' }
  /** Not found in the files read so far; the package's other files may declare it. */
  | { k: 'unread' }
  | { k: 'unknown' };

export interface SymbolSource {
  readonly importPath: string;
  /** The package name (as its package clauses say), when known. */
  readonly name: string | undefined;
  /** Run targets on which the package has files that build. */
  readonly present: ReadonlySet<string>;
  /** Whether every declaration of the package is known (else only those of the files parsed so far). */
  readonly complete: boolean;
  /** Makes the source complete (parses the remaining files). */
  completeAll(): Promise<void>;
  /** The declarations of a package-level name (in the files known so far). */
  decls(name: string): TopDecl[];
  /** Whether the known declarations of a name leave room for one in a file not read yet. */
  uncertain(decls: TopDecl[], name: string): boolean;
  /** The type of a var or const declaration on a target. */
  valueType(d: TopDecl, target: string): RType;
  /** A type written in one of the package's files (or in its facts), as seen on a target. */
  resolveIn(te: TypeExpr, file: SourceFile | undefined, target: string): RType;
  /** Whether a file not read yet may declare the name (then completeAll may tell more). */
  mayDeclare(name: string): boolean;
  /** `T.sel` for a named type T of this package on a target. */
  member(typeName: string, sel: string, target: string, depth?: number): MemberResult;
  /** Whether field `sel` of type T is declared with different types by different declarations of T. */
  fieldVaries(typeName: string, sel: string): boolean;
  /** Whether named type T is a struct type on a target (its composite literals take field names). */
  kindOf(typeName: string, target: string, depth?: number): 'struct' | 'other' | 'unknown';
  /** Where a member of T is declared on any target or file (empty: nowhere), for messages. */
  memberSites(typeName: string, sel: string): string[];
  /** Names declared at package level not on every target where the package is present. */
  restrictedNames(): ReadonlySet<string>;
  /** Field and method names whose availability may differ between targets. */
  restrictedMembers(): ReadonlySet<string>;
  /** Functions declared with different parameter types for different targets. */
  varyingFuncs(): ReadonlySet<string>;
  /** Field names declared with different types by different declarations of their struct. */
  varyingFields(): ReadonlySet<string>;
}

/** Predeclared identifiers (Go spec, Universe block). */
export const PREDECLARED = new Set([
  'any', 'bool', 'byte', 'comparable', 'complex64', 'complex128', 'error', 'float32', 'float64', 'int', 'int8', 'int16',
  'int32', 'int64', 'rune', 'string', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr',
  'true', 'false', 'iota', 'nil',
  'append', 'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag', 'len', 'make', 'max', 'min', 'new', 'panic',
  'print', 'println', 'real', 'recover',
]);

/** Predeclared basic types; byte and rune are aliases. */
export const BASIC_TYPES = new Map<string, string>([
  ['bool', 'bool'], ['string', 'string'], ['int', 'int'], ['int8', 'int8'], ['int16', 'int16'], ['int32', 'int32'],
  ['int64', 'int64'], ['uint', 'uint'], ['uint8', 'uint8'], ['uint16', 'uint16'], ['uint32', 'uint32'], ['uint64', 'uint64'],
  ['uintptr', 'uintptr'], ['float32', 'float32'], ['float64', 'float64'], ['complex64', 'complex64'],
  ['complex128', 'complex128'], ['byte', 'uint8'], ['rune', 'int32'],
]);

/** Identifier tokens of a Go source text (a superset of its identifiers: comments and strings count too). */
export function identTokens(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/[\p{L}_][\p{L}\p{Nd}_]*/gu)) out.add(m[0]);
  return out;
}

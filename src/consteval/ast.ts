// The plain, serialisable form in which the `consts` extractor (src/syntax/extract/consts.ts)
// hands Go declarations and expressions to the constant evaluator. Field names are short
// because these records are cached on disk for every parsed file.

/**
 * A source range: [startLine, startCol, endLine, endCol], 1-based UTF-16 columns, end exclusive.
 * Expressions carry one only where a constant can stand (a problem can only be reported there),
 * and not at all in the type-only copies of initializers (Local.e, VarSpec.e).
 */
export type S = [number, number, number, number];

export type Expr =
  /** Literals, with their source text (`raw`) exactly as written. */
  | { k: 'int' | 'float' | 'imag' | 'rune' | 'str'; raw: string; s?: S }
  /** An identifier; `l` is its index in ConstsFacts.locals when it names a function-local object. */
  | { k: 'id'; n: string; l?: number; s?: S }
  | { k: 'iota'; s?: S }
  | { k: 'sel'; x: Expr; n: string; s?: S }
  | { k: 'call'; f: Expr; a: Expr[]; dots?: 1; s?: S }
  | { k: 'un'; op: string; x: Expr; s?: S }
  | { k: 'bin'; op: string; x: Expr; y: Expr; s?: S }
  /** x[i] (one index) or an instantiation x[A, B]. */
  | { k: 'index'; x: Expr; i: Expr[]; s?: S }
  | { k: 'slice'; x: Expr; lo?: Expr; hi?: Expr; max?: Expr; s?: S }
  /** A composite literal; `t` is absent when the type is elided (`[]T{{...}}`). */
  | { k: 'lit'; t?: TypeRef; els: Elem[]; s?: S }
  /** A type written where an expression goes: the callee of a conversion, make's first argument. */
  | { k: 'type'; t: TypeRef; s?: S }
  /** x.(T); `t` is absent for x.(type). */
  | { k: 'assert'; x: Expr; t?: TypeRef; s?: S }
  /** A function literal: its type only; the body's statements are roots of their own. */
  | { k: 'func'; t: TypeRef; s?: S }
  | { k: 'other'; s?: S };

export interface Elem {
  /** Field name (as an 'id'), map key or array index. */
  key?: Expr;
  v: Expr;
}

export type TypeRef =
  /** A type name; `p` is a package qualifier, `l` a local type or type parameter. */
  | { k: 'name'; n: string; p?: string; l?: number; args?: TypeRef[] }
  | { k: 'ptr' | 'slice' | 'chan'; e: TypeRef }
  /** `len` absent: [...]T. */
  | { k: 'array'; len?: Expr; e: TypeRef }
  | { k: 'map'; key: TypeRef; e: TypeRef }
  | { k: 'struct'; f: FieldRef[] }
  /** `v`: the last parameter is variadic (its type is written as the element type). */
  | { k: 'func'; p: TypeRef[]; r: TypeRef[]; v?: 1 }
  | { k: 'iface'; m: { n: string; t: TypeRef }[]; emb: TypeRef[] }
  | { k: 'other' };

/** A struct field; `n` absent for an embedded field (its name is its type's name). */
export interface FieldRef {
  n?: string;
  t: TypeRef;
}

export interface ConstSpec {
  n: string;
  /** Span of the name. */
  s: S;
  t?: TypeRef;
  e?: Expr;
  iota: number;
  /** The expression (and type) came from an earlier spec of the group (implicit repetition). */
  inh?: 1;
}

export interface VarSpec {
  n: string;
  s: S;
  t?: TypeRef;
  /** The initializer, reduced to what its type depends on (a root holds it whole). */
  e?: Expr;
  /** The initializer is a multi-valued expression; this variable takes result `idx`. */
  idx?: number;
}

export interface TypeSpec {
  n: string;
  s: S;
  t: TypeRef;
  alias?: 1;
  /** Declared with type parameters. */
  gen?: 1;
}

export interface FuncSpec {
  n: string;
  s: S;
  /** Receiver base type name, for methods. */
  recv?: string;
  t: TypeRef;
  gen?: 1;
}

export interface Local {
  n: string;
  kind: 'var' | 'const' | 'type' | 'tparam';
  s: S;
  t?: TypeRef;
  /** Constants: the expression. Variables: the initializer reduced to what its type depends on. */
  e?: Expr;
  idx?: number;
  /** Declared by a range clause: the key or value of ranging over `e`. */
  range?: 'key' | 'value';
  iota?: number;
  inh?: 1;
}

/** What type an expression is converted to where it stands. */
export type Want =
  /** Its value is used as is (conditions, expression statements). */
  | { k: 'none' }
  /** Converted to a written type (typed declarations, results of a function). */
  | { k: 'type'; t: TypeRef; why: 'var' | 'return' }
  /** Takes its default type (x := c, var x = c, _ = c). */
  | { k: 'default'; why: 'var' | 'assign' }
  /** Assigned to, or compared as a switch case with, the expression `x`. */
  | { k: 'as'; x: Expr; why: 'assign' | 'case' }
  | { k: 'send'; ch: Expr }
  /** The expression ranged over; `x` is the iteration variable of `for x = range e`, whose type an untyped constant takes. */
  | { k: 'range'; x?: Expr }
  /** An array length. */
  | { k: 'arraylen' };

export interface Root {
  w: Want;
  e: Expr;
}

/** Everything the extractor records for one file (FileFacts.extras.consts). */
export interface ConstsFacts {
  consts: ConstSpec[];
  vars: VarSpec[];
  types: TypeSpec[];
  funcs: FuncSpec[];
  locals: Local[];
  roots: Root[];
  /** Imports that are dot-imports: names from them may appear unqualified. */
  dotImports?: string[];
}

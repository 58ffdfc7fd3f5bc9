// The syntax pass: parse one Go file with tree-sitter and keep plain, serialisable facts
// (DESIGN.md, "Data flow", step 4). Facts depend only on the file's content, so they can
// be computed in worker threads and cached by content hash (cache.ts, pool.ts).
//
// The tree is copied into plain objects once (tree.ts); the facts are collected from the
// copy (collect.ts); then the registered extractors run (extractors.ts).
import Parser from 'tree-sitter';
import Go from 'tree-sitter-go';
import type { Pos, Span } from '../types';
import { FactBuilder } from './collect';
import { LineIndex, runExtractors, toSpan } from './extractors';
import { buildTree } from './tree';
import './extractor-modules';

export { unquote } from './collect';

/** Bump whenever the shape or meaning of FileFacts changes: it is part of the cache key. */
export const FACTS_SCHEMA_VERSION = 1;

export interface ImportFact {
  /** The import path, unquoted. */
  path: string;
  /** The local name as written: an identifier, '.' or '_'; absent when the import has none. */
  name?: string;
  /** Span of the path literal, quotes included. */
  span: Span;
}

export type DeclKind = 'const' | 'var' | 'type' | 'func' | 'method';

export interface DeclFact {
  kind: DeclKind;
  name: string;
  /** Span of the declared name. */
  span: Span;
  /** Methods: the receiver's base type name (`T` for `func (r *T[K]) M()`). */
  recv?: string;
  /** Methods: whether the receiver is a pointer. */
  recvPointer?: boolean;
  /** Type parameter names; for methods, the ones the receiver declares (`K` above). */
  typeParams?: string[];
  /** `type A = B` (also generic aliases). */
  alias?: boolean;
  /** The declared type of a var or const (for consts repeated implicitly, the repeated one), or the type a type name denotes. */
  type?: TypeExpr;
  /**
   * Source text of the initializer for this name. For a const spec that repeats the
   * previous expression list implicitly, the repeated text (evaluate it with `iota`).
   * Absent when the spec has no initializer or the counts of names and values differ.
   */
  value?: string;
  /** Consts: the value of iota, i.e. the index of the spec in its declaration. */
  iota?: number;
  /** Consts: which const declaration of the file (0-based) the name belongs to. */
  group?: number;
}

export type TypeExpr =
  | { kind: 'name'; pkg?: string; name: string; args?: TypeExpr[] }
  | { kind: 'pointer'; elem: TypeExpr }
  | { kind: 'slice'; elem: TypeExpr }
  | { kind: 'array'; len: string; elem: TypeExpr }
  | { kind: 'map'; key: TypeExpr; value: TypeExpr }
  | { kind: 'chan'; elem: TypeExpr }
  | { kind: 'func' }
  | { kind: 'interface'; methods: string[]; embeds: TypeExpr[] }
  | { kind: 'struct'; fields: FieldFact[] }
  | { kind: 'unknown'; text: string };

export interface FieldFact {
  /** The field name; for an embedded field, the unqualified type name (the Go spec's field name). */
  name: string;
  embedded: boolean;
  type: TypeExpr;
  /** Span of the name (for embedded fields, of the type name). */
  span: Span;
  /** The tag literal as written, quotes included (go/ast's Field.Tag.Value). */
  tag?: string;
}

export type RefFact =
  | { kind: 'ident'; name: string; span: Span }
  /** `x.name` or `pkg.Name`; `x` is the operand when it is a plain identifier. */
  | { kind: 'selector'; x?: string; name: string; span: Span }
  /** An identifier used as a key in a composite literal: a field name, or an expression in map and array literals. */
  | { kind: 'key'; name: string; span: Span };

/** A name declared inside a function; it shadows package-level names from scopeStart to scopeEnd. */
export interface LocalFact {
  name: string;
  span: Span;
  scopeStart: Pos;
  scopeEnd: Pos;
}

export interface SyntaxErrorFact {
  span: Span;
  message: string;
}

export interface FileFacts {
  /** The package clause's name; absent when the file has none. */
  package?: string;
  imports: ImportFact[];
  /** Top-level declarations, in source order. */
  decls: DeclFact[];
  /** Identifier uses (never the defining occurrence), in source order. */
  refs: RefFact[];
  locals: LocalFact[];
  /** Syntax errors; the other facts still describe whatever parsed. */
  errors: SyntaxErrorFact[];
  /** Results of the registered extractors, by name. */
  extras: Record<string, unknown>;
  /** Extractors that threw on this file (a crossvet bug, not the file's). */
  extractorErrors?: { name: string; message: string }[];
}

let parser: Parser | undefined;

function getParser(): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(Go as unknown as Parser.Language);
  }
  return parser;
}

/**
 * The text tree-sitter parses. Invalid UTF-8 becomes U+FFFD (one column per bad
 * sequence), and a leading byte order mark, which Go ignores, becomes a space so that
 * the parser ignores it too while columns still count it.
 */
export function decodeSource(src: Buffer): string {
  const text = src.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
}

/**
 * Parses Go source text (as returned by decodeSource).
 *
 * tree-sitter-go 0.25 predates Go 1.26, where `new` also takes an expression
 * (`new(123)`, `new(f())`): its grammar parses new's argument as a type, so such calls
 * come out as syntax errors that also spoil the statements around them. When a tree has
 * errors, each called `new` whose argument parses only as an ordinary call's argument is
 * renamed to another identifier of the same length, and the text is parsed again; the
 * second tree is kept when it has fewer errors. No offset moves, and the tree's text is
 * set back to the original so that `node.text` still reads `new`.
 */
export function parseGo(text: string): Parser.Tree {
  // One buffer for the whole text: the binding copies the input in chunks of bufferSize
  // UTF-16 units, with a call into JavaScript for each.
  const tree = getParser().parse(text, undefined, { bufferSize: text.length + 1 });
  if (!tree.rootNode.hasError) return tree;
  const renames = newWithExpression(tree, text);
  if (renames.length === 0) return tree;
  let patched = '';
  let last = 0;
  for (const at of renames) {
    patched += text.slice(last, at) + 'nEw';
    last = at + 3;
  }
  const again = getParser().parse(patched + text.slice(last), undefined, { bufferSize: text.length + 1 });
  if (errorCount(again) >= errorCount(tree)) return tree;
  // node.text reads tree.input (tree-sitter's index.js); same length, so every offset holds.
  (again as unknown as { input: string }).input = text;
  return again;
}

// `new`, then spaces and block comments, then the opening parenthesis.
const CALL_AFTER = /^\s*(?:\/\*[\s\S]*?\*\/\s*)*\(/;

/** Offsets of the `new`s called with an argument that tree-sitter-go parses only in an ordinary call. */
function newWithExpression(tree: Parser.Tree, text: string): number[] {
  const out: number[] = [];
  for (const n of tree.rootNode.descendantsOfType('identifier')) {
    if (n.endIndex - n.startIndex !== 3 || text.slice(n.startIndex, n.endIndex) !== 'new') continue;
    const m = CALL_AFTER.exec(text.slice(n.endIndex, n.endIndex + 256));
    if (!m) continue;
    const open = n.endIndex + m[0].length - 1;
    const close = closingParen(text, open);
    if (close === undefined) continue;
    // Let the grammar decide, on the call alone: a type stays with `new`.
    const arg = text.slice(open + 1, close);
    if (!getParser().parse(`package p\nvar _ = new(${arg}\n)\n`).rootNode.hasError) continue;
    if (getParser().parse(`package p\nvar _ = nEw(${arg}\n)\n`).rootNode.hasError) continue;
    out.push(n.startIndex);
  }
  return out.sort((a, b) => a - b);
}

/** The offset of the parenthesis that closes the one at `open`, skipping literals and comments. */
function closingParen(text: string, open: number): number | undefined {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (--depth === 0) return c === ')' ? i : undefined;
    } else if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
    } else if (c === '`') {
      i = text.indexOf('`', i + 1);
      if (i < 0) return undefined;
    } else if (c === '/' && text[i + 1] === '/') {
      i = text.indexOf('\n', i);
      if (i < 0) return undefined;
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2) + 1;
      if (i <= 0) return undefined;
    }
  }
  return undefined;
}

function errorCount(tree: Parser.Tree): number {
  return tree.rootNode.hasError ? 1 + tree.rootNode.descendantsOfType('ERROR').length : 0;
}

/** Extracts the facts of one Go file. `path` is used only in messages: facts depend on content alone. */
export function extractFacts(src: Buffer, path: string): FileFacts {
  const text = decodeSource(src);
  let tree: Parser.Tree;
  try {
    tree = parseGo(text);
  } catch (err) {
    throw new Error(`${path}: tree-sitter could not parse the file: ${err instanceof Error ? err.message : String(err)}`);
  }
  const lines = new LineIndex(text);
  const rootNode = tree.rootNode;
  const hasError = rootNode.hasError;
  const root = buildTree(tree, hasError);
  const facts = new FactBuilder(text, lines).file(root, hasError);
  const { extras, failures } = runExtractors(rootNode, { src, text, lines, toSpan: (n) => toSpan(lines, n), tree: root });
  facts.extras = extras;
  if (failures.length > 0) facts.extractorErrors = failures;
  return facts;
}

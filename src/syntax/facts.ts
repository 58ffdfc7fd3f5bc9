// The syntax pass: parse one Go file with tree-sitter and keep plain, serialisable facts
// (DESIGN.md, "Data flow", step 4). Facts depend only on the file's content, so they can
// be computed in worker threads and cached by content hash (cache.ts, pool.ts).
//
// Reading the tree through the Node binding costs a native call per property, so the
// tree is first copied into small JavaScript objects in one cursor walk (buildTree), and
// everything else works on those.
import Parser from 'tree-sitter';
import Go from 'tree-sitter-go';
import type { Pos, Span } from '../types';
import { LineIndex, runExtractors, toSpan, type PlainNode } from './extractors';
import './extractor-modules';

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

/** A tree-sitter node copied into plain JavaScript (see PlainNode). */
type Node = PlainNode;

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

/** Parses Go source text (as returned by decodeSource). */
export function parseGo(text: string): Parser.Tree {
  return getParser().parse(text);
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
  const root = buildTree(tree, rootNode.hasError);
  const facts = new FactBuilder(text, lines).file(root);
  const { extras, failures } = runExtractors(rootNode, { src, text, lines, toSpan: (n) => toSpan(lines, n), tree: root });
  facts.extras = extras;
  if (failures.length > 0) facts.extractorErrors = failures;
  return facts;
}

// Literals whose insides no fact needs: their text is taken whole.
const OPAQUE = new Set(['comment', 'interpreted_string_literal', 'raw_string_literal', 'rune_literal']);

/**
 * Copies the tree in one cursor walk. Anonymous tokens keep only their type unless the
 * tree has errors, where their positions are needed to report MISSING tokens.
 */
function buildTree(tree: Parser.Tree, hasError: boolean): Node {
  const types: ({ type: string; named: boolean } | undefined)[] = [];
  const fieldNames: (string | null | undefined)[] = [];
  const c = tree.walk();
  const read = (): Node => {
    const id = c.nodeTypeId;
    let t = types[id];
    if (t === undefined) t = types[id] = { type: c.nodeType, named: c.nodeIsNamed };
    const n: Node = { type: t.type, named: t.named, field: null, start: -1, end: -1, missing: false, children: [] };
    if (t.named || hasError) {
      n.start = c.startIndex;
      n.end = c.endIndex;
      if (hasError && n.start === n.end) n.missing = c.nodeIsMissing;
    }
    if (t.named) {
      const fid = c.currentFieldId;
      if (fid) {
        let f = fieldNames[fid];
        if (f === undefined) f = fieldNames[fid] = c.currentFieldName;
        n.field = f;
      }
    }
    return n;
  };
  const root = read();
  const stack: Node[] = [root];
  if (!c.gotoFirstChild()) return root;
  for (;;) {
    const n = read();
    stack[stack.length - 1].children.push(n);
    if (!OPAQUE.has(n.type) && c.gotoFirstChild()) {
      stack.push(n);
      continue;
    }
    while (!c.gotoNextSibling()) {
      if (!c.gotoParent()) return root;
      stack.pop();
      if (stack.length === 0) return root;
    }
  }
}

function field(n: Node, name: string): Node | undefined {
  for (const k of n.children) if (k.field === name && k.named) return k;
  return undefined;
}

function fields(n: Node, name: string): Node[] {
  return n.children.filter((k) => k.field === name && k.named);
}

function named(n: Node): Node[] {
  return n.children.filter((k) => k.named && k.type !== 'comment');
}

function hasToken(n: Node, token: string): boolean {
  return n.children.some((k) => !k.named && k.type === token);
}

/** Walks the copied tree and collects the facts. */
class FactBuilder {
  private readonly facts: FileFacts = { imports: [], decls: [], refs: [], locals: [], errors: [], extras: {} };
  private constGroup = 0;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
  ) {}

  file(root: Node): FileFacts {
    const f = this.facts;
    for (const n of root.children) {
      if (!n.named) continue;
      switch (n.type) {
        case 'package_clause': {
          const id = named(n).find((k) => k.type === 'package_identifier' && !k.missing);
          if (id) f.package = this.t(id);
          break;
        }
        case 'import_declaration':
          this.imports(n);
          break;
        case 'const_declaration':
          this.topConst(n, this.constGroup++);
          break;
        case 'var_declaration':
          this.topVar(n);
          break;
        case 'type_declaration':
          this.typeDecl(n, root.end, true);
          break;
        case 'function_declaration':
        case 'method_declaration':
          this.funcDecl(n);
          break;
        case 'comment':
        case 'ERROR':
          break;
        default:
          // tree-sitter accepts statements at top level; Go does not.
          f.errors.push({ span: this.span(n), message: 'syntax error: non-declaration statement outside function body' });
      }
    }
    if (f.package === undefined && !root.children.some((k) => k.type === 'package_clause')) {
      f.errors.push({ span: this.lines.span(0, 0), message: 'syntax error: missing package clause' });
    }
    if (root.type === 'ERROR') f.errors.push({ span: this.span(root), message: 'syntax error' });
    this.collectErrors(root);
    f.errors.sort((a, b) => a.span.start.line - b.span.start.line || a.span.start.col - b.span.start.col);
    return f;
  }

  // ---- helpers ----

  private t(n: Node): string {
    return this.text.slice(n.start, n.end);
  }

  private span(n: Node): Span {
    return this.lines.span(n.start, n.end);
  }

  /** Span of a one-line node (identifiers): one lookup instead of two. */
  private lineSpan(n: Node): Span {
    const start = this.lines.pos(n.start);
    return { start, end: { line: start.line, col: start.col + (n.end - n.start) } };
  }

  private isName(n: Node): boolean {
    return !n.missing && n.end > n.start;
  }

  private ref(n: Node): void {
    if (!this.isName(n)) return;
    const name = this.t(n);
    if (name === '_') return;
    this.facts.refs.push({ kind: 'ident', name, span: this.lineSpan(n) });
  }

  private local(n: Node, scopeStart: number, scopeEnd: number): void {
    if (n.type !== 'identifier' && n.type !== 'type_identifier') return;
    if (!this.isName(n)) return;
    const name = this.t(n);
    if (name === '_') return;
    this.facts.locals.push({ name, span: this.lineSpan(n), scopeStart: this.lines.pos(scopeStart), scopeEnd: this.lines.pos(scopeEnd) });
  }

  private collectErrors(n: Node): void {
    for (const k of n.children) {
      if (k.type === 'ERROR') {
        const snippet = this.t(k).split('\n')[0].trim().slice(0, 40);
        this.facts.errors.push({ span: this.span(k), message: snippet ? `syntax error near ${JSON.stringify(snippet)}` : 'syntax error' });
      } else if (k.missing) {
        this.facts.errors.push({ span: this.span(k), message: `syntax error: missing ${k.named ? k.type : JSON.stringify(k.type)}` });
      } else if (k.children.length > 0) {
        this.collectErrors(k);
      }
    }
  }

  // ---- top-level declarations ----

  private imports(n: Node): void {
    for (const k of named(n)) {
      if (k.type === 'import_spec_list') this.imports(k);
      if (k.type !== 'import_spec') continue;
      const pathNode = field(k, 'path');
      if (!pathNode || pathNode.missing) continue;
      const path = unquote(this.t(pathNode));
      if (path === undefined) continue;
      const fact: ImportFact = { path, span: this.span(pathNode) };
      const nameNode = field(k, 'name');
      if (nameNode && this.isName(nameNode)) fact.name = this.t(nameNode);
      this.facts.imports.push(fact);
    }
  }

  private specs(decl: Node, type: string): Node[] {
    const out: Node[] = [];
    for (const k of named(decl)) {
      if (k.type === type) out.push(k);
      else if (k.type === type + '_list') out.push(...named(k).filter((s) => s.type === type));
    }
    return out;
  }

  private topConst(decl: Node, group: number): void {
    let prevType: Node | undefined;
    let prevValues: Node[] | undefined;
    this.specs(decl, 'const_spec').forEach((spec, iota) => {
      const names = fields(spec, 'name');
      let typeNode = field(spec, 'type');
      const valueNode = field(spec, 'value');
      let values = valueNode ? named(valueNode) : undefined;
      if (!typeNode && !valueNode) {
        // Go spec, Constant declarations: an omitted list repeats the first preceding
        // non-empty expression list and its type.
        typeNode = prevType;
        values = prevValues;
      } else if (valueNode) {
        prevType = typeNode;
        prevValues = values;
      }
      const type = typeNode ? this.typeExpr(typeNode) : undefined;
      names.forEach((nameNode, i) => {
        if (!this.isName(nameNode)) return;
        const d: DeclFact = { kind: 'const', name: this.t(nameNode), span: this.lineSpan(nameNode), iota, group };
        if (type) d.type = type;
        if (values && values.length === names.length) d.value = this.t(values[i]);
        this.facts.decls.push(d);
      });
      const written = field(spec, 'type');
      if (written) this.visit(written, decl.end);
      if (valueNode) this.visit(valueNode, decl.end);
    });
  }

  private topVar(decl: Node): void {
    for (const spec of this.specs(decl, 'var_spec')) {
      const names = fields(spec, 'name');
      const typeNode = field(spec, 'type');
      const valueNode = field(spec, 'value');
      const values = valueNode ? named(valueNode) : undefined;
      const type = typeNode ? this.typeExpr(typeNode) : undefined;
      names.forEach((nameNode, i) => {
        if (!this.isName(nameNode)) return;
        const d: DeclFact = { kind: 'var', name: this.t(nameNode), span: this.lineSpan(nameNode) };
        if (type) d.type = type;
        if (values && values.length === names.length) d.value = this.t(values[i]);
        this.facts.decls.push(d);
      });
      if (typeNode) this.visit(typeNode, decl.end);
      if (valueNode) this.visit(valueNode, decl.end);
    }
  }

  /** A type declaration: top-level ones become decls, local ones become locals ending at scopeEnd. */
  private typeDecl(decl: Node, scopeEnd: number, top: boolean): void {
    for (const spec of named(decl)) {
      if (spec.type !== 'type_spec' && spec.type !== 'type_alias') continue;
      const nameNode = field(spec, 'name');
      const typeNode = field(spec, 'type');
      const tparams = field(spec, 'type_parameters');
      if (nameNode && this.isName(nameNode)) {
        if (top) {
          const d: DeclFact = { kind: 'type', name: this.t(nameNode), span: this.lineSpan(nameNode) };
          const tp = tparams ? this.typeParamNames(tparams) : [];
          if (tp.length > 0) d.typeParams = tp.map((p) => this.t(p));
          if (spec.type === 'type_alias') d.alias = true;
          if (typeNode) d.type = this.typeExpr(typeNode);
          this.facts.decls.push(d);
        } else {
          // Go spec, Declarations and scope: a local type's scope begins at its name, so it can refer to itself.
          this.local(nameNode, nameNode.start, scopeEnd);
        }
      }
      if (tparams) {
        // The scope of a generic type's parameters: after its name to the end of the TypeSpec.
        for (const p of this.typeParamNames(tparams)) this.local(p, nameNode ? nameNode.end : spec.start, spec.end);
        this.visit(tparams, spec.end);
      }
      if (typeNode) this.visit(typeNode, spec.end);
    }
  }

  private typeParamNames(list: Node): Node[] {
    const out: Node[] = [];
    for (const d of named(list)) if (d.type === 'type_parameter_declaration') out.push(...fields(d, 'name'));
    return out;
  }

  private funcDecl(n: Node): void {
    const nameNode = field(n, 'name');
    const body = field(n, 'body');
    const declEnd = n.end;
    const afterName = nameNode ? nameNode.end : n.start;
    let decl: DeclFact | undefined;
    if (nameNode && this.isName(nameNode)) {
      decl = { kind: n.type === 'method_declaration' ? 'method' : 'func', name: this.t(nameNode), span: this.lineSpan(nameNode) };
      this.facts.decls.push(decl);
    }
    const typeParams: Node[] = [];
    if (n.type === 'method_declaration') {
      const receiver = field(n, 'receiver');
      const param = receiver && named(receiver).find((k) => k.type === 'parameter_declaration');
      if (param) {
        const recv = this.receiver(param);
        if (decl && recv.base) {
          decl.recv = recv.base;
          decl.recvPointer = recv.pointer;
        }
        typeParams.push(...recv.typeParams);
        if (body) for (const r of fields(param, 'name')) this.local(r, body.start, body.end);
      }
    } else {
      const tparams = field(n, 'type_parameters');
      if (tparams) {
        typeParams.push(...this.typeParamNames(tparams));
        this.visit(tparams, declEnd);
      }
    }
    if (decl && typeParams.length > 0) decl.typeParams = typeParams.map((p) => this.t(p));
    // Go spec: type parameters are in scope from after the function name to the end of its body.
    for (const p of typeParams) this.local(p, afterName, declEnd);
    this.signature(n, body);
    if (body) this.visit(body, body.end);
  }

  /** Receiver base type, pointer-ness, and the type parameters it declares; emits the base type's ref. */
  private receiver(param: Node): { base?: string; pointer: boolean; typeParams: Node[] } {
    let t = field(param, 'type');
    let pointer = false;
    const typeParams: Node[] = [];
    const unparen = (x: Node | undefined): Node | undefined => {
      while (x && x.type === 'parenthesized_type') x = named(x)[0];
      return x;
    };
    t = unparen(t);
    if (t && t.type === 'pointer_type') {
      pointer = true;
      t = unparen(named(t)[0]);
    }
    if (t && t.type === 'generic_type') {
      const args = field(t, 'type_arguments');
      if (args) {
        for (const el of named(args)) {
          const id = named(el)[0];
          // In a receiver, `T[K]` declares K; anything else is not valid Go and is visited as a use.
          if (id && id.type === 'type_identifier') typeParams.push(id);
          else this.visit(el, param.end);
        }
      }
      t = field(t, 'type');
    }
    if (t && t.type === 'type_identifier' && this.isName(t)) {
      this.ref(t);
      return { base: this.t(t), pointer, typeParams };
    }
    if (t) this.visit(t, param.end);
    return { pointer, typeParams };
  }

  /** Parameters and results of a function with a body become locals of that body; their types are uses. */
  private signature(fn: Node, body: Node | undefined): void {
    for (const part of [field(fn, 'parameters'), field(fn, 'result')]) {
      if (!part) continue;
      if (part.type === 'parameter_list') {
        for (const p of named(part)) {
          if (body && (p.type === 'parameter_declaration' || p.type === 'variadic_parameter_declaration')) {
            for (const nm of fields(p, 'name')) this.local(nm, body.start, body.end);
          }
        }
      }
      this.visit(part, fn.end);
    }
  }

  // ---- types as written ----

  private typeExpr(n: Node): TypeExpr {
    switch (n.type) {
      case 'type_identifier':
        if (this.isName(n)) return { kind: 'name', name: this.t(n) };
        break;
      case 'qualified_type': {
        const pkg = field(n, 'package');
        const name = field(n, 'name');
        if (pkg && name && this.isName(pkg) && this.isName(name)) return { kind: 'name', pkg: this.t(pkg), name: this.t(name) };
        break;
      }
      case 'generic_type': {
        const base = field(n, 'type');
        const args = field(n, 'type_arguments');
        const b = base && this.typeExpr(base);
        if (b && b.kind === 'name') return { ...b, args: args ? named(args).map((el) => this.typeElem(el)) : [] };
        break;
      }
      case 'pointer_type': {
        const elem = named(n)[0];
        if (elem) return { kind: 'pointer', elem: this.typeExpr(elem) };
        break;
      }
      case 'slice_type': {
        const elem = field(n, 'element');
        if (elem) return { kind: 'slice', elem: this.typeExpr(elem) };
        break;
      }
      case 'array_type': {
        const len = field(n, 'length');
        const elem = field(n, 'element');
        if (len && elem) return { kind: 'array', len: this.t(len), elem: this.typeExpr(elem) };
        break;
      }
      case 'implicit_length_array_type': {
        const elem = field(n, 'element');
        if (elem) return { kind: 'array', len: '...', elem: this.typeExpr(elem) };
        break;
      }
      case 'map_type': {
        const key = field(n, 'key');
        const value = field(n, 'value');
        if (key && value) return { kind: 'map', key: this.typeExpr(key), value: this.typeExpr(value) };
        break;
      }
      case 'channel_type': {
        const elem = field(n, 'value');
        if (elem) return { kind: 'chan', elem: this.typeExpr(elem) };
        break;
      }
      case 'function_type':
        return { kind: 'func' };
      case 'parenthesized_type': {
        const inner = named(n)[0];
        if (inner) return this.typeExpr(inner);
        break;
      }
      case 'interface_type': {
        const methods: string[] = [];
        const embeds: TypeExpr[] = [];
        for (const k of named(n)) {
          if (k.type === 'method_elem') {
            const nm = field(k, 'name');
            if (nm && this.isName(nm)) methods.push(this.t(nm));
          } else if (k.type === 'type_elem') {
            embeds.push(this.typeElem(k));
          }
        }
        return { kind: 'interface', methods, embeds };
      }
      case 'struct_type':
        return { kind: 'struct', fields: this.structFields(n) };
    }
    return { kind: 'unknown', text: this.t(n) };
  }

  /** A type argument or interface element: one type, or a union/approximation kept as text. */
  private typeElem(el: Node): TypeExpr {
    const parts = named(el);
    return parts.length === 1 ? this.typeExpr(parts[0]) : { kind: 'unknown', text: this.t(el) };
  }

  private structFields(st: Node): FieldFact[] {
    const out: FieldFact[] = [];
    const list = named(st).find((k) => k.type === 'field_declaration_list');
    if (!list) return out;
    for (const fd of named(list)) {
      if (fd.type !== 'field_declaration') continue;
      const typeNode = field(fd, 'type');
      if (!typeNode) continue;
      const tagNode = field(fd, 'tag');
      const tag = tagNode ? this.t(tagNode) : undefined;
      const names = fields(fd, 'name');
      if (names.length > 0) {
        const type = this.typeExpr(typeNode);
        for (const nm of names) {
          if (!this.isName(nm)) continue;
          const f: FieldFact = { name: this.t(nm), embedded: false, type, span: this.lineSpan(nm) };
          if (tag !== undefined) f.tag = tag;
          out.push(f);
        }
        continue;
      }
      // Embedded: `T`, `*T`, `pkg.T`, `*pkg.T`, `T[A]`; the pointer star is a token of the field.
      let type = this.typeExpr(typeNode);
      if (hasToken(fd, '*')) type = { kind: 'pointer', elem: type };
      const base = embeddedName(typeNode);
      if (!base || !this.isName(base)) continue;
      const f: FieldFact = { name: this.t(base), embedded: true, type, span: this.lineSpan(base) };
      if (tag !== undefined) f.tag = tag;
      out.push(f);
    }
    return out;
  }

  // ---- uses and locals ----

  private visitAll(nodes: Node[], scopeEnd: number): void {
    for (const k of nodes) if (k.named) this.visit(k, scopeEnd);
  }

  /**
   * Records identifier uses under `n`, and the names declared inside functions.
   * `scopeEnd` is the end of the innermost enclosing block (explicit or implicit).
   */
  private visit(n: Node, scopeEnd: number): void {
    switch (n.type) {
      case 'identifier':
      case 'type_identifier':
        this.ref(n);
        return;
      case 'ERROR':
      case 'field_identifier':
      case 'package_identifier':
      case 'label_name':
      case 'comment':
        return;
      case 'selector_expression': {
        const op = field(n, 'operand');
        const sel = field(n, 'field');
        if (op) this.visit(op, scopeEnd);
        if (sel && this.isName(sel)) this.facts.refs.push({ kind: 'selector', x: op && op.type === 'identifier' && this.isName(op) ? this.t(op) : undefined, name: this.t(sel), span: this.lineSpan(sel) });
        return;
      }
      case 'qualified_type': {
        const pkg = field(n, 'package');
        const name = field(n, 'name');
        if (name && this.isName(name)) this.facts.refs.push({ kind: 'selector', x: pkg && this.isName(pkg) ? this.t(pkg) : undefined, name: this.t(name), span: this.lineSpan(name) });
        return;
      }
      case 'keyed_element': {
        const key = field(n, 'key');
        let k = key;
        if (k && k.type === 'literal_element') {
          const inner = named(k);
          if (inner.length === 1) k = inner[0];
        }
        if (k && k.type === 'identifier') {
          if (this.isName(k)) this.facts.refs.push({ kind: 'key', name: this.t(k), span: this.lineSpan(k) });
        } else if (key) this.visit(key, scopeEnd);
        const value = field(n, 'value');
        if (value) this.visit(value, scopeEnd);
        return;
      }
      case 'block':
        this.visitAll(n.children, n.end);
        return;
      // Implicit blocks (Go spec, Blocks): the statement itself, and each clause.
      case 'if_statement':
      case 'for_statement':
      case 'expression_switch_statement':
      case 'select_statement':
      case 'expression_case':
      case 'default_case':
      case 'type_case':
      case 'communication_case':
        this.visitAll(n.children, n.end);
        return;
      case 'type_switch_statement': {
        const alias = field(n, 'alias');
        const value = field(n, 'value');
        for (const k of n.children) if (k.named && k !== alias) this.visit(k, n.end);
        if (alias) for (const a of named(alias)) this.local(a, value ? value.end : alias.end, n.end);
        return;
      }
      case 'short_var_declaration':
      case 'range_clause':
      case 'receive_statement': {
        const left = field(n, 'left');
        const right = field(n, 'right');
        const defines = n.type === 'short_var_declaration' || hasToken(n, ':=');
        if (left && !defines) this.visit(left, scopeEnd);
        if (right) this.visit(right, scopeEnd);
        if (left && defines) {
          // The scope of a short variable declaration begins at the end of the statement.
          for (const k of named(left)) {
            if (k.type === 'identifier') this.local(k, n.end, scopeEnd);
            else this.visit(k, scopeEnd);
          }
        }
        return;
      }
      case 'var_declaration':
      case 'const_declaration':
        for (const spec of this.specs(n, n.type === 'var_declaration' ? 'var_spec' : 'const_spec')) {
          const typeNode = field(spec, 'type');
          const valueNode = field(spec, 'value');
          if (typeNode) this.visit(typeNode, scopeEnd);
          if (valueNode) this.visit(valueNode, scopeEnd);
          for (const nm of fields(spec, 'name')) this.local(nm, spec.end, scopeEnd);
        }
        return;
      case 'type_declaration':
        this.typeDecl(n, scopeEnd, false);
        return;
      case 'func_literal': {
        const body = field(n, 'body');
        this.signature(n, body);
        if (body) this.visit(body, body.end);
        return;
      }
      case 'parameter_declaration':
      case 'variadic_parameter_declaration':
      case 'type_parameter_declaration':
      case 'field_declaration': {
        const type = field(n, 'type');
        if (type) this.visit(type, scopeEnd);
        return;
      }
      case 'method_elem': {
        const params = field(n, 'parameters');
        const result = field(n, 'result');
        if (params) this.visit(params, scopeEnd);
        if (result) this.visit(result, scopeEnd);
        return;
      }
      default:
        // Everything else (expressions, types, statements, labeled statements whose
        // label_name is skipped above) only contains uses.
        this.visitAll(n.children, scopeEnd);
    }
  }
}

/** The type name node of an embedded field's type (`T` in `*pkg.T[A]`). */
function embeddedName(t: Node): Node | undefined {
  let x: Node | undefined = t;
  for (;;) {
    if (!x) return undefined;
    switch (x.type) {
      case 'type_identifier':
        return x;
      case 'qualified_type':
        return field(x, 'name');
      case 'generic_type':
        x = field(x, 'type');
        break;
      case 'pointer_type':
      case 'parenthesized_type':
        x = named(x)[0];
        break;
      default:
        return undefined;
    }
  }
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, "'": 39, '"': 34 };

/** The value of a Go string literal (raw or interpreted), or undefined when it is malformed. */
export function unquote(lit: string): string | undefined {
  if (lit.length >= 2 && lit[0] === '`' && lit[lit.length - 1] === '`') return lit.slice(1, -1).replace(/\r/g, '');
  if (lit.length < 2 || lit[0] !== '"' || lit[lit.length - 1] !== '"') return undefined;
  const body = lit.slice(1, -1);
  if (!body.includes('\\')) return body;
  // Escapes can spell single bytes (\x, octal), so build bytes and decode once.
  const bytes: number[] = [];
  for (let i = 0; i < body.length; ) {
    const ch = body[i];
    if (ch !== '\\') {
      const cp = body.codePointAt(i)!;
      bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return undefined;
    if (e in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[e]);
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) return undefined;
      const v = parseInt(hex, 16);
      if (e === 'x') bytes.push(v);
      else if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) return undefined;
      else bytes.push(...Buffer.from(String.fromCodePoint(v), 'utf8'));
      i += 2 + len;
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) return undefined;
      bytes.push(parseInt(oct, 8));
      i += 4;
    } else return undefined;
  }
  return Buffer.from(bytes).toString('utf8');
}

// Collects FileFacts from the copied tree (tree.ts): package, imports, top-level
// declarations with types as written, identifier uses, locals with their scopes, and
// syntax errors. The Go spec decides what each construct declares and where scopes end.
import type { Span } from '../types';
import type { LineIndex, PlainNode } from './extractors';
import type { DeclFact, FieldFact, FileFacts, ImportFact, RefFact, TypeExpr } from './facts';
import { field, fields, hasToken, named } from './tree';

type Node = PlainNode;

/** Walks the copied tree and collects the facts. */
export class FactBuilder {
  private readonly facts: FileFacts = { imports: [], decls: [], refs: [], locals: [], errors: [], extras: {} };
  private constGroup = 0;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
  ) {}

  /** `hasError` false (tree-sitter found no error or missing node) skips the search for them. */
  file(root: Node, hasError = true): FileFacts {
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
    if (hasError) this.collectErrors(root);
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
        if (sel && this.isName(sel)) {
          const r: RefFact = { kind: 'selector', name: this.t(sel), span: this.lineSpan(sel) };
          if (op && op.type === 'identifier' && this.isName(op)) r.x = this.t(op);
          this.facts.refs.push(r);
        }
        return;
      }
      case 'qualified_type': {
        const pkg = field(n, 'package');
        const name = field(n, 'name');
        if (name && this.isName(name)) {
          const r: RefFact = { kind: 'selector', name: this.t(name), span: this.lineSpan(name) };
          if (pkg && this.isName(pkg)) r.x = this.t(pkg);
          this.facts.refs.push(r);
        }
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

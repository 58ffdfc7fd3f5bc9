// The symbol table of a package read from source: its package-level declarations,
// methods by receiver base type and struct fields, each with the run targets on which its
// file builds. A name declared on target t is one declared by a file that builds on t.
//
// Only the files whose declarations can differ between targets are read at first: those
// that build on fewer targets than the package does ("constrained" files). A name or
// member declared in them is "restricted"; everything an unconstrained file declares is
// available wherever the package is. The other files are read on demand (completeAll),
// when a lookup needs them.
import type { SourceFile } from '../model/types';
import type { FileFacts, TypeExpr } from '../syntax/facts';
import { fileLabel } from './describe';
import { BASIC_TYPES, UNKNOWN, type MemberResult, type RType, type Signature, type SymbolSource, type TopDecl } from './types';
import { funcSigsOf, type TypeRef } from '../syntax/symrefs-extractor';

/** What a parsed package needs from its surroundings. */
export interface SourceHost {
  facts(f: SourceFile): FileFacts | undefined;
  /** Identifier tokens of a file's text (no parsing): what an unread file could declare. */
  tokens(f: SourceFile): ReadonlySet<string>;
  ensureFacts(files: SourceFile[]): Promise<void>;
  /** The package an import name of `file` denotes (undefined: not an import, or unresolvable). */
  importSource(file: SourceFile, importName: string): SymbolSource | undefined;
}

interface MethodDecl {
  targets: ReadonlySet<string>;
  site: string;
  file: SourceFile;
  sig?: Signature;
}

function toTypeExpr(r: TypeRef | null): TypeExpr | null {
  if (!r) return null;
  const name: TypeExpr = r.pkg ? { kind: 'name', pkg: r.pkg, name: r.name } : { kind: 'name', name: r.name };
  return r.ptr ? { kind: 'pointer', elem: name } : name;
}

/** Deep enough for any real embedding chain; guards against cycles through aliases. */
const MAX_DEPTH = 8;

export class ParsedSource implements SymbolSource {
  readonly present: ReadonlySet<string>;
  private readonly loaded = new Set<SourceFile>();
  private readonly byName = new Map<string, TopDecl[]>();
  private readonly methods = new Map<string, Map<string, MethodDecl[]>>();
  private restricted?: Set<string>;
  private members?: Set<string>;
  private varying?: Set<string>;
  private varyingSigs?: Set<string>;
  private completing?: Promise<void>;
  /** Files whose facts could not be had (unreadable, unparsable): the table may miss names. */
  missingFacts = 0;

  constructor(
    private readonly host: SourceHost,
    readonly importPath: string,
    readonly files: SourceFile[],
    /** Read constrained files that build on none of the run targets too (the scanned packages). */
    private readonly eagerNonBuilding: boolean,
  ) {
    const present = new Set<string>();
    for (const f of files) for (const t of f.builds) present.add(t);
    this.present = present;
  }

  get name(): string | undefined {
    const building = this.files.find((f) => f.builds.size > 0 && f.header.packageName) ?? this.files.find((f) => f.header.packageName);
    return building?.header.packageName;
  }

  get complete(): boolean {
    return this.loaded.size === this.files.length;
  }

  /** Whether a file's declarations can differ from what the package has everywhere. */
  isConstrained(f: SourceFile): boolean {
    return f.builds.size < this.present.size;
  }

  /** The files to read first. */
  initialFiles(): SourceFile[] {
    return this.files.filter((f) => this.isConstrained(f) && (this.eagerNonBuilding || f.builds.size > 0) && !this.loaded.has(f));
  }

  /** Indexes the facts of files already parsed by the host. */
  addFiles(files: SourceFile[]): void {
    for (const f of files) {
      if (this.loaded.has(f)) continue;
      this.loaded.add(f);
      const facts = this.host.facts(f);
      if (!facts) {
        this.missingFacts++;
        continue;
      }
      this.index(f, facts);
    }
    this.restricted = undefined;
    this.members = undefined;
    this.varying = undefined;
    this.varyingSigs = undefined;
  }

  async completeAll(): Promise<void> {
    if (this.complete) return;
    if (!this.completing) {
      const rest = this.files.filter((f) => !this.loaded.has(f));
      this.completing = this.host.ensureFacts(rest).then(() => this.addFiles(rest));
    }
    await this.completing;
  }

  private index(f: SourceFile, facts: FileFacts): void {
    const site = fileLabel(f);
    const sigs = new Map<string, Signature>();
    for (const fs of funcSigsOf(facts.extras)) {
      sigs.set(fs.recv ? `${fs.recv}.${fs.name}` : fs.name, { params: fs.params.map(toTypeExpr), variadic: fs.variadic });
    }
    for (const d of facts.decls) {
      if (d.kind === 'method') {
        if (!d.recv) continue;
        let byType = this.methods.get(d.recv);
        if (!byType) this.methods.set(d.recv, (byType = new Map()));
        const list = byType.get(d.name) ?? [];
        const m: MethodDecl = { targets: f.builds, site, file: f };
        const sig = sigs.get(`${d.recv}.${d.name}`);
        if (sig) m.sig = sig;
        list.push(m);
        byType.set(d.name, list);
        continue;
      }
      if (d.name === '_') continue;
      const td: TopDecl = { name: d.name, kind: d.kind, targets: f.builds, site, file: f };
      if (d.type) td.type = d.type;
      if (d.alias) td.alias = true;
      if (d.typeParams) td.typeParams = d.typeParams;
      if (d.kind === 'func' && !d.typeParams) {
        const sig = sigs.get(d.name);
        if (sig) td.sig = sig;
      }
      const list = this.byName.get(d.name) ?? [];
      list.push(td);
      this.byName.set(d.name, list);
    }
  }

  decls(name: string): TopDecl[] {
    return this.byName.get(name) ?? [];
  }

  restrictedNames(): ReadonlySet<string> {
    if (!this.restricted) {
      const out = new Set<string>();
      for (const [name, list] of this.byName) {
        const on = new Set<string>();
        for (const d of list) for (const t of d.targets) on.add(t);
        if (on.size === this.present.size) continue;
        // Declared only by files that build for no run target (race.go, x_plan9.go): most such
        // names have a twin in an unconstrained file (norace.go), which is not read yet.
        if (on.size === 0 && this.mayDeclare(name)) continue;
        out.add(name);
      }
      this.restricted = out;
    }
    return this.restricted;
  }

  /** Functions whose declarations (in files for different targets) have different parameter types. */
  varyingFuncs(): ReadonlySet<string> {
    if (!this.varyingSigs) {
      const out = new Set<string>();
      for (const [name, list] of this.byName) {
        const sigs = new Set(list.filter((d) => d.kind === 'func' && d.sig && d.targets.size > 0).map((d) => JSON.stringify(d.sig)));
        if (sigs.size > 1) out.add(name);
      }
      this.varyingSigs = out;
    }
    return this.varyingSigs;
  }

  /**
   * Whether a file not read yet could declare the name: one whose text has the token. Such
   * a file builds wherever the package does, so it can declare a name the files read so far
   * declare only when those build for no run target (a name declared twice on one target is
   * a compile error of its own).
   */
  mayDeclare(name: string): boolean {
    if (this.complete) return false;
    for (const f of this.files) if (!this.loaded.has(f) && this.host.tokens(f).has(name)) return true;
    return false;
  }

  /** Whether the known declarations of a name leave room for one in a file not read yet. */
  uncertain(decls: TopDecl[], name: string): boolean {
    return decls.every((d) => d.targets.size === 0) && this.mayDeclare(name);
  }

  /**
   * Fields and methods whose availability differs from their type's, or whose type differs
   * between declarations: the only members a selector can find missing on some targets,
   * or of another type there.
   */
  restrictedMembers(): ReadonlySet<string> {
    if (this.members) return this.members;
    const out = new Set<string>();
    const varying = new Set<string>();
    const union = (sets: Iterable<ReadonlySet<string>>) => {
      const u = new Set<string>();
      for (const s of sets) for (const t of s) u.add(t);
      return u;
    };
    // A type with no declaration read yet is in an unconstrained file: present everywhere.
    const typeOn = (name: string) => {
      const ds = this.decls(name).filter((d) => d.kind === 'type');
      return ds.length ? union(ds.map((d) => d.targets)) : this.present;
    };
    for (const [name, list] of this.byName) {
      const structs = list.filter((d) => d.kind === 'type' && d.type?.kind === 'struct');
      if (structs.length === 0) continue;
      const on = typeOn(name);
      const fields = new Map<string, { on: Set<string>; types: Set<string> }>();
      for (const d of structs) {
        if (d.type?.kind !== 'struct') continue;
        for (const fl of d.type.fields) {
          const e = fields.get(fl.name) ?? { on: new Set<string>(), types: new Set<string>() };
          for (const t of d.targets) e.on.add(t);
          e.types.add(JSON.stringify(fl.type));
          fields.set(fl.name, e);
        }
      }
      for (const [field, e] of fields) {
        if (e.on.size !== on.size || e.types.size > 1) out.add(field);
        if (e.types.size > 1) varying.add(field);
      }
    }
    for (const [typeName, byName] of this.methods) {
      const on = typeOn(typeName);
      for (const [m, list] of byName) if (union(list.map((x) => x.targets)).size !== on.size) out.add(m);
    }
    this.members = out;
    this.varying = varying;
    return out;
  }

  varyingFields(): ReadonlySet<string> {
    this.restrictedMembers();
    return this.varying!;
  }

  valueType(d: TopDecl, target: string): RType {
    if ((d.kind !== 'var' && d.kind !== 'const') || !d.type || !d.file) return UNKNOWN;
    return this.resolveType(d.type, d.file, target, []);
  }

  resolveIn(te: TypeExpr, file: SourceFile | undefined, target: string): RType {
    return file ? this.resolveType(te, file, target, []) : UNKNOWN;
  }

  /** A type expression written in one of this package's files, as seen on a target. */
  resolveType(te: TypeExpr, file: SourceFile, target: string, typeParams: string[]): RType {
    let ptr = false;
    if (te.kind === 'pointer') {
      ptr = true;
      te = te.elem;
    }
    if (te.kind !== 'name') return UNKNOWN;
    if (te.pkg) {
      const src = this.host.importSource(file, te.pkg);
      return src ? { k: 'named', src, name: te.name, ptr } : UNKNOWN;
    }
    if (typeParams.includes(te.name)) return UNKNOWN;
    const declared = this.decls(te.name).some((d) => d.kind === 'type');
    if (!declared && BASIC_TYPES.has(te.name)) return ptr ? UNKNOWN : { k: 'basic', name: BASIC_TYPES.get(te.name)! };
    if (!declared && !this.complete) return { k: 'named', src: this, name: te.name, ptr };
    return declared ? { k: 'named', src: this, name: te.name, ptr } : UNKNOWN;
  }

  private methodOn(typeName: string, sel: string, target: string): MethodDecl | undefined {
    return this.methods.get(typeName)?.get(sel)?.find((m) => m.targets.has(target));
  }

  member(typeName: string, sel: string, target: string, depth = 0, fieldsOnly = false): MemberResult {
    if (depth > MAX_DEPTH) return { k: 'unknown' };
    const all = this.decls(typeName).filter((d) => d.kind === 'type');
    const tds = all.filter((d) => d.targets.has(target));
    // A name found in a constrained file is declared by no other file, so its absence is certain.
    if (tds.length === 0 && (all.length === 0 || this.uncertain(all, typeName))) return this.mayDeclare(typeName) ? { k: 'unread' } : { k: 'unknown' };
    if (tds.length === 0) return { k: 'absent' };
    // Declared twice (a compile error of its own).
    if (tds.length !== 1) return { k: 'unknown' };
    const d = tds[0];
    // A method may be declared in a file not read yet (one that mentions it), unless a known
    // declaration of the member builds for some run target: a method of T in an unread file
    // would collide with it there, which is a compile error of its own.
    const notFound: MemberResult = this.mayDeclare(sel) && !this.memberBuilds(typeName, sel) ? { k: 'unread' } : { k: 'missing' };
    if (!fieldsOnly && !d.alias) {
      const m = this.methodOn(typeName, sel, target);
      if (m) return { k: 'method', site: m.site, sig: m.sig, file: m.file, src: this };
    }
    const te = d.type;
    if (!te || !d.file) return { k: 'unknown' };
    const tparams = d.typeParams ?? [];
    if (d.alias) {
      const r = this.resolveType(te, d.file, target, tparams);
      if (r.k !== 'named') return r.k === 'basic' ? notFound : { k: 'unknown' };
      return memberOf(r, sel, target, depth + 1, fieldsOnly);
    }
    switch (te.kind) {
      case 'struct': {
        for (const fl of te.fields) {
          if (fl.name === sel) {
            return { k: 'field', type: this.resolveType(fl.type, d.file, target, tparams), site: d.site };
          }
        }
        // Promoted through embedded fields (depth order does not matter for existence).
        let unsure = false;
        for (const fl of te.fields) {
          if (!fl.embedded) continue;
          const r = this.resolveType(fl.type, d.file, target, tparams);
          if (r.k !== 'named') {
            unsure = true;
            continue;
          }
          const sub = memberOf(r, sel, target, depth + 1, false);
          if (sub.k === 'field') return { ...sub, promoted: true };
          if (sub.k === 'method') return sub;
          if (sub.k !== 'missing') unsure = true;
        }
        return unsure ? { k: 'unknown' } : notFound;
      }
      case 'interface': {
        // An interface's methods are all in its declaration.
        if (te.methods.includes(sel)) return { k: 'method', site: d.site };
        let unsure = false;
        for (const e of te.embeds) {
          const r = this.resolveType(e, d.file, target, tparams);
          if (r.k !== 'named') {
            unsure = true;
            continue;
          }
          const sub = memberOf(r, sel, target, depth + 1, false);
          if (sub.k === 'method') return sub;
          if (sub.k !== 'missing') unsure = true;
        }
        return unsure ? { k: 'unknown' } : { k: 'missing' };
      }
      case 'name': {
        // `type T U`: T has U's fields (and the methods U's struct promotes) but not U's declared
        // methods, unless U is an interface.
        const r = this.resolveType(te, d.file, target, tparams);
        if (r.k === 'basic') return notFound;
        if (r.k !== 'named' || r.ptr) return { k: 'unknown' };
        return memberOf(r, sel, target, depth + 1, true);
      }
      case 'pointer':
      case 'unknown':
        // A defined pointer type selects the fields of its base type; anything unparsed is unknown.
        return { k: 'unknown' };
      default:
        // Slices, maps, arrays, channels, funcs have no fields; methods were looked up above.
        return fieldsOnly ? { k: 'unknown' } : notFound;
    }
  }

  kindOf(typeName: string, target: string, depth = 0): 'struct' | 'other' | 'unknown' {
    const tds = this.decls(typeName).filter((d) => d.kind === 'type' && d.targets.has(target));
    if (tds.length !== 1 || depth > MAX_DEPTH) return 'unknown';
    const d = tds[0];
    if (!d.type || !d.file) return 'unknown';
    if (d.type.kind === 'struct') return 'struct';
    if (d.type.kind === 'name' || d.type.kind === 'pointer') {
      const r = this.resolveType(d.type, d.file, target, d.typeParams ?? []);
      if (r.k === 'basic') return 'other';
      return r.k === 'named' && !r.ptr ? r.src.kindOf(r.name, target, depth + 1) : 'unknown';
    }
    return d.type.kind === 'unknown' ? 'unknown' : 'other';
  }

  fieldVaries(typeName: string, sel: string): boolean {
    const types = new Set<string>();
    for (const d of this.decls(typeName)) {
      if (d.kind !== 'type' || d.type?.kind !== 'struct') continue;
      for (const f of d.type.fields) if (f.name === sel) types.add(JSON.stringify(f.type));
    }
    return types.size > 1;
  }

  /** Whether a known declaration of the member builds for some run target. */
  private memberBuilds(typeName: string, sel: string): boolean {
    for (const d of this.decls(typeName)) {
      if (d.kind !== 'type' || !d.type || d.targets.size === 0) continue;
      if (d.type.kind === 'struct' && d.type.fields.some((f) => f.name === sel)) return true;
      if (d.type.kind === 'interface' && d.type.methods.includes(sel)) return true;
    }
    return (this.methods.get(typeName)?.get(sel) ?? []).some((m) => m.targets.size > 0);
  }

  memberSites(typeName: string, sel: string): string[] {
    const out = new Set<string>();
    for (const d of this.decls(typeName)) {
      if (d.kind !== 'type' || !d.type) continue;
      if (d.type.kind === 'struct' && d.type.fields.some((f) => f.name === sel)) out.add(d.site);
      if (d.type.kind === 'interface' && d.type.methods.includes(sel)) out.add(d.site);
    }
    for (const m of this.methods.get(typeName)?.get(sel) ?? []) out.add(m.site);
    return [...out];
  }
}

/** `sel` on a resolved named type, wherever it is declared. */
export function memberOf(r: Extract<RType, { k: 'named' }>, sel: string, target: string, depth: number, fieldsOnly: boolean): MemberResult {
  if (r.src instanceof ParsedSource) return r.src.member(r.name, sel, target, depth, fieldsOnly);
  const res = r.src.member(r.name, sel, target, depth);
  // Shipped facts give the method set of *T; through `type T U`, U's methods do not carry over.
  if (fieldsOnly && res.k === 'method') return { k: 'unknown' };
  return res;
}

// Checks one file's references against the symbol tables, target by target: is each
// package-level name, qualified name, field, method and composite-literal key declared
// for every target the file builds on? And do operands that must have identical types
// still have them where a field's type differs between targets?
import type { SourceFile } from '../model/types';
import type { Span } from '../types';
import type { Call, Chain, Mix, Operand, SymRefs, TypeRef } from '../syntax/symrefs-extractor';
import { memberOf, type ParsedSource } from './parsed';
import { BASIC_TYPES, UNKNOWN, type MemberResult, type RType, type Signature, type SymbolSource, type TopDecl } from './types';
import type { SymbolWorld } from './world';

interface Common {
  file: SourceFile;
  span: Span;
  /** Run targets (of the file's) on which the reference does not compile, in run order. */
  missing: string[];
}

/** A package-level name, bare (`pageShift`) or qualified (`unix.Dup2`). */
export interface NameFinding extends Common {
  kind: 'name';
  name: string;
  /** The import name for a qualified reference. */
  qualifier?: string;
  src: SymbolSource;
  decls: TopDecl[];
}

/** A field or method (`st.Blksize`, `attr.Setpgid`), or a field name as a composite-literal key. */
export interface MemberFinding extends Common {
  kind: 'member';
  typeName: string;
  src: SymbolSource;
  sel: string;
  key: boolean;
  sites: string[];
  /** Targets of the file on which the member exists. */
  found: string[];
}

/** An import of a package that has no file for some targets. */
export interface ImportFinding extends Common {
  kind: 'import';
  path: string;
  src: SymbolSource;
}

/** Operands whose types differ on some targets because a field's type does. */
export interface MismatchFinding extends Common {
  kind: 'mismatch';
  mix: Mix;
  /** The field whose type varies; or, with `signature`, the function (typeName) whose parameter types vary. */
  owner: { src: SymbolSource; typeName: string; sel: string; signature?: true };
  /** Per target where they differ: [left type, right type]. */
  types: Map<string, [string, string]>;
  /** Targets where both sides have the same type. */
  agree: string[];
  /** For an argument: the function called (`time.Unix`). */
  callee?: string;
}

export type SymFinding = NameFinding | MemberFinding | ImportFinding | MismatchFinding;

type Named = Extract<RType, { k: 'named' }>;

/** One chain on one target: where it went missing, and the type it ends with. */
interface Step {
  type: RType;
  /** Index of the selector that is missing (-1: the base name). */
  missingAt?: number;
  /** Owner type of each selector that was looked up. */
  owners: (Named | undefined)[];
  /** How many selectors were found (the first `ok` ones). */
  ok: number;
}

export class FileChecker {
  private readonly chainTypes: Map<string, Step>[] = [];
  private readonly out: SymFinding[] = [];
  private readonly own: ParsedSource;
  private readonly order: string[];
  private readonly restrictedMembers: (sel: string) => boolean;
  private readonly varyingField: (sel: string) => boolean;
  /** Calls that pass a field whose type differs between declarations. */
  private readonly relevantCalls = new Set<Call>();
  /** Composite-literal fields where a field whose type differs between declarations takes part. */
  private readonly relevantKeys = new Set<SymRefs['keys'][number]>();

  constructor(
    private readonly world: SymbolWorld,
    private readonly file: SourceFile,
    private readonly refs: SymRefs,
    restrictedMembers: (sel: string) => boolean,
    /** Field names whose type differs between declarations somewhere: the only ones a mismatch can come from. */
    varyingField: (sel: string) => boolean,
  ) {
    this.own = world.ownSource(file)!;
    this.order = world.ctx.targets.map((t) => t.id).filter((t) => file.builds.has(t));
    this.restrictedMembers = restrictedMembers;
    this.varyingField = varyingField;
  }

  async run(): Promise<SymFinding[]> {
    for (let i = 0; i < this.refs.chains.length; i++) {
      const c = this.refs.chains[i];
      this.chainTypes[i] = await this.steps(i, c, false);
      this.reportChain(c, this.chainTypes[i]);
    }
    for (const k of this.refs.keys) await this.key(k);
    await this.operandTypes();
    for (const m of this.refs.mixes) this.mix(m);
    for (const c of this.refs.calls ?? []) await this.call(c);
    for (const k of this.relevantKeys) await this.keyValue(k);
    return this.out;
  }

  /**
   * Only a field whose type differs between declarations can make operands disagree. The
   * operations and calls where such a field takes part are worth reading more of a package
   * for: the other operand's type, or the callee's signature. Their chains are resolved
   * again, reading whatever files that needs.
   */
  private async operandTypes(): Promise<void> {
    const varies = (o: Operand | null): boolean => {
      if (o?.k !== 'chain') return false;
      const c = this.refs.chains[o.chain];
      const last = c.sels.length - 1;
      if (last < 0 || !this.varyingField(c.sels[last].name)) return false;
      for (const step of this.chainTypes[o.chain]?.values() ?? []) {
        const owner = step.owners[last];
        if (owner && step.ok > last && owner.src.fieldVaries(owner.name, c.sels[last].name)) return true;
      }
      return false;
    };
    const wanted = new Set<number>();
    for (const m of this.refs.mixes) {
      if (!varies(m.left) && !varies(m.right)) continue;
      for (const o of [m.left, m.right]) if (o.k === 'chain') wanted.add(o.chain);
    }
    for (const c of this.refs.calls ?? []) {
      if (!c.args.some(varies) && !(c.args.some((a) => a !== null) && this.varyingSignature(this.refs.chains[c.fn]))) continue;
      this.relevantCalls.add(c);
      wanted.add(c.fn);
      for (const o of c.args) if (o?.k === 'chain') wanted.add(o.chain);
    }
    // Composite-literal values: the value's field, or the literal's field, may vary.
    for (const k of this.refs.keys) {
      if (!k.value || (!varies(k.value) && !this.varyingField(k.name))) continue;
      this.relevantKeys.add(k);
      if (k.value.k === 'chain') wanted.add(k.value.chain);
    }
    // In index order: a chain's base may be the type of an earlier one.
    for (const i of [...wanted].sort((a, b) => a - b)) this.chainTypes[i] = await this.steps(i, this.refs.chains[i], true);
  }

  /** Imports whose package has no file for some of the file's targets (headers only: no parse needed). */
  static imports(world: SymbolWorld, file: SourceFile): ImportFinding[] {
    const out: ImportFinding[] = [];
    const order = world.ctx.targets.map((t) => t.id).filter((t) => file.builds.has(t));
    for (const imp of file.header.imports) {
      if (imp.path === 'C' || imp.path === 'unsafe') continue;
      const src = world.sourceByPath(imp.path, file);
      if (!src) continue;
      const missing = order.filter((t) => !src.present.has(t));
      if (missing.length === 0) continue;
      out.push({ kind: 'import', file, span: { start: { line: imp.line, col: imp.col }, end: { line: imp.line, col: imp.endCol } }, missing, path: imp.path, src });
    }
    return out;
  }

  // ---- chains ----

  /**
   * A chain on every target. Lookups may need a package's other files: resolve, read them,
   * and retry. `operand`: the chain's type matters (to an operation or a call).
   */
  private async steps(i: number, c: Chain, operand: boolean): Promise<Map<string, Step>> {
    const steps = new Map<string, Step>();
    for (let attempt = 0; attempt < 3; attempt++) {
      steps.clear();
      const need = new Set<SymbolSource>();
      for (const t of this.order) steps.set(t, this.walk(c, t, need, operand));
      if (need.size === 0) break;
      for (const s of need) await s.completeAll();
    }
    return steps;
  }

  /** A package-level name or import at the base of a chain, on one target. */
  private walk(c: Chain, t: string, need: Set<SymbolSource>, operand: boolean): Step {
    const owners: (Named | undefined)[] = [];
    let ok = 0;
    let cur: RType = UNKNOWN;
    let next = 0;
    const b = c.base;
    if (b.k === 'name') {
      const imports = this.world.fileImports(this.file);
      const imp = imports.byName.get(b.name);
      if (imp) {
        // A qualified name: cgo's C, an unresolved import or a target without the package say nothing here.
        if (imp.path === 'C' || !imp.src || !imp.src.present.has(t) || c.sels.length === 0) return { type: UNKNOWN, owners, ok };
        const sel = c.sels[0].name;
        if (!/^\p{Lu}/u.test(sel)) return { type: UNKNOWN, owners, ok };
        const ds = imp.src.decls(sel);
        const here = ds.filter((d) => d.targets.has(t));
        if (here.length === 0) {
          if (ds.length > 0 && imp.src.uncertain(ds, sel)) {
            need.add(imp.src);
            return { type: UNKNOWN, owners, ok };
          }
          if (ds.length > 0) return { type: UNKNOWN, missingAt: 0, owners, ok };
          // Declared in no file read so far, so in an unconstrained one (or nowhere, or only in
          // files that build for none of the run targets, which are not read for a dependency).
          // Its type matters only when a later selector could differ between targets.
          if (!imp.src.complete && c.sels.slice(1).some((s) => this.restrictedMembers(s.name))) need.add(imp.src);
          return { type: UNKNOWN, owners, ok };
        }
        cur = here.length === 1 ? imp.src.valueType(here[0], t) : UNKNOWN;
        next = 1;
        ok = 1;
      } else {
        const ds = this.own.decls(b.name);
        const here = ds.filter((d) => d.targets.has(t));
        if (here.length === 0) {
          if (ds.length === 0) {
            // Not in a constrained file: declared everywhere, or nowhere. Its type matters only
            // when a selector could differ between targets.
            if (!this.own.complete && (operand || c.sels.some((s) => this.restrictedMembers(s.name)))) need.add(this.own);
            return { type: UNKNOWN, owners, ok };
          }
          if (this.own.uncertain(ds, b.name)) {
            need.add(this.own);
            return { type: UNKNOWN, owners, ok };
          }
          if (this.dotDeclares(b.name, t) !== false) return { type: UNKNOWN, owners, ok };
          return { type: UNKNOWN, missingAt: -1, owners, ok };
        }
        cur = here.length === 1 ? this.own.valueType(here[0], t) : UNKNOWN;
      }
    } else if (b.k === 'type') {
      cur = this.resolveRef(b.t, t);
    } else {
      cur = this.chainTypes[b.chain]?.get(t)?.type ?? UNKNOWN;
    }
    for (let k = next; k < c.sels.length; k++) {
      if (cur.k !== 'named') return { type: UNKNOWN, owners, ok };
      owners[k] = cur;
      const sel = c.sels[k].name;
      const r: MemberResult = memberOf(cur, sel, t, 0, false);
      if (r.k === 'field' || r.k === 'method') ok = k + 1;
      if (r.k === 'field') cur = r.type;
      else if (r.k === 'method') cur = UNKNOWN;
      else if (r.k === 'missing') return { type: UNKNOWN, missingAt: k, owners, ok };
      else {
        // The rest of the type's package is worth reading when this chain's type matters, or
        // when this member or a later one is one the packages this file sees declare for some
        // targets only (an embedded field may bring it in from another package; a field of a
        // type declared everywhere may have a type whose members differ: c.SysProcAttr.Setsid).
        if (r.k === 'unread' && (operand || c.sels.slice(k).some((s) => this.restrictedMembers(s.name)))) need.add(cur.src);
        return { type: UNKNOWN, owners, ok };
      }
    }
    return { type: cur, owners, ok };
  }

  /** Whether a dot import declares an exported name on the target; undefined when one is unresolved. */
  private dotDeclares(name: string, t: string): boolean | undefined {
    const dots = this.world.fileImports(this.file).dots;
    if (dots.length === 0) return false;
    if (!/^\p{Lu}/u.test(name)) return dots.some((d) => d === undefined) ? undefined : false;
    for (const d of dots) {
      if (!d) return undefined;
      if (d.decls(name).some((x) => x.targets.has(t))) return true;
      if (!d.complete) return undefined;
    }
    return false;
  }

  private resolveRef(ref: TypeRef, t: string): RType {
    if (ref.pkg) {
      const imp = this.world.fileImports(this.file).byName.get(ref.pkg);
      if (!imp?.src) return UNKNOWN;
      return { k: 'named', src: imp.src, name: ref.name, ptr: !!ref.ptr };
    }
    const named: RType = { k: 'named', src: this.own, name: ref.name, ptr: !!ref.ptr };
    if (this.own.decls(ref.name).some((d) => d.kind === 'type')) return named;
    // A predeclared type, unless the package redeclares it (it would have to do so in a file
    // not read yet, which no real code does).
    const basic = BASIC_TYPES.get(ref.name);
    if (basic) return ref.ptr ? UNKNOWN : { k: 'basic', name: basic };
    // Declared nowhere in the package: a dot import's type, perhaps.
    if (this.own.complete || this.world.fileImports(this.file).dots.length > 0) return UNKNOWN;
    return named;
  }

  private reportChain(c: Chain, steps: Map<string, Step>): void {
    const missingBy = new Map<number, string[]>();
    for (const t of this.order) {
      const s = steps.get(t)!;
      if (s.missingAt === undefined) continue;
      const list = missingBy.get(s.missingAt) ?? [];
      list.push(t);
      missingBy.set(s.missingAt, list);
    }
    for (const [at, missing] of missingBy) {
      if (at === -1 && c.base.k === 'name') {
        this.out.push({ kind: 'name', file: this.file, span: c.base.span, missing, name: c.base.name, src: this.own, decls: this.own.decls(c.base.name) });
      } else if (at === 0 && c.base.k === 'name' && this.world.fileImports(this.file).byName.has(c.base.name)) {
        const src = this.world.fileImports(this.file).byName.get(c.base.name)!.src!;
        const name = c.sels[0].name;
        this.out.push({ kind: 'name', file: this.file, span: c.sels[0].span, missing, name, qualifier: c.base.name, src, decls: src.decls(name) });
      } else {
        const owner = steps.get(missing[0])!.owners[at];
        if (!owner) continue;
        const sel = c.sels[at].name;
        const sites = owner.src.memberSites(owner.name, sel);
        const found = this.order.filter((t) => steps.get(t)!.ok > at);
        // A member declared nowhere is a plain typo that every build reports: not a platform difference.
        if (sites.length === 0 && found.length === 0) continue;
        this.out.push({ kind: 'member', file: this.file, span: c.sels[at].span, missing, typeName: owner.name, src: owner.src, sel, key: false, sites, found });
      }
    }
  }

  // ---- composite-literal keys ----

  private async key(k: SymRefs['keys'][number]): Promise<void> {
    const missing: string[] = [];
    const found: string[] = [];
    let owner: Named | undefined;
    for (const t of this.order) {
      let r = this.resolveRef(k.t, t);
      if (r.k !== 'named') continue;
      // A key can be missing only where its struct's package declares the field for some targets.
      const maybe = r.src.restrictedMembers().has(k.name);
      if (r.src.kindOf(r.name, t) !== 'struct') {
        if (!r.src.complete && maybe) {
          await r.src.completeAll();
          r = this.resolveRef(k.t, t);
          if (r.k !== 'named' || r.src.kindOf(r.name, t) !== 'struct') continue;
        } else continue;
      }
      let res = memberOf(r, k.name, t, 0, false);
      if (res.k === 'unread' && maybe) {
        await r.src.completeAll();
        res = memberOf(r, k.name, t, 0, false);
      }
      // Only fields can be keys, and not promoted ones (Go spec, Composite literals): a key
      // naming a promoted field is an error of another kind, on every target that has it.
      if (res.k === 'field' && res.promoted) return;
      if (res.k === 'field') found.push(t);
      else if (res.k === 'missing') {
        missing.push(t);
        owner = r;
      }
    }
    if (!owner || missing.length === 0) return;
    const sites = owner.src.memberSites(owner.name, k.name);
    if (sites.length === 0 && found.length === 0) return;
    this.out.push({ kind: 'member', file: this.file, span: k.span, missing, typeName: owner.name, src: owner.src, sel: k.name, key: true, sites, found });
  }

  /**
   * `T{F: v}`: v must have the type of field F of T (Go spec, assignability), which fails
   * on the targets where one of them is a field whose type differs between targets.
   */
  private async keyValue(k: SymRefs['keys'][number]): Promise<void> {
    if (!k.value || !k.valueSpan) return;
    const types = new Map<string, [string, string]>();
    const agree: string[] = [];
    let owner: MismatchFinding['owner'] | undefined;
    for (const t of this.order) {
      let r = this.resolveRef(k.t, t);
      if (r.k !== 'named') continue;
      // The literal's type is often declared in a file not read yet (an unconstrained one).
      if (r.src.kindOf(r.name, t) === 'unknown' && !r.src.complete) {
        await r.src.completeAll();
        r = this.resolveRef(k.t, t);
        if (r.k !== 'named') continue;
      }
      let res = r.src.kindOf(r.name, t) === 'struct' ? memberOf(r, k.name, t, 0, false) : undefined;
      if (res?.k === 'unread') {
        await r.src.completeAll();
        res = memberOf(r, k.name, t, 0, false);
      }
      // Only fields can be keys, and not promoted ones.
      if (res?.k !== 'field' || res.promoted || res.type.k !== 'basic') continue;
      const v = this.operandType(k.value, t);
      if (v.type.k !== 'basic') continue;
      if (v.type.name === res.type.name) {
        agree.push(t);
        continue;
      }
      types.set(t, [res.type.name, v.type.name]);
      if (!owner) {
        if (v.owner && v.sel && v.owner.src.fieldVaries(v.owner.name, v.sel)) owner = { src: v.owner.src, typeName: v.owner.name, sel: v.sel };
        else if (r.src.fieldVaries(r.name, k.name)) owner = { src: r.src, typeName: r.name, sel: k.name };
      }
    }
    if (types.size === 0 || !owner) return;
    if (agree.length === 0 && !owner.src.fieldVaries(owner.typeName, owner.sel)) return;
    const mix: Mix = { kind: 'field', op: '=', left: { k: 'type', t: { name: types.values().next().value![0] } }, right: k.value, span: k.valueSpan };
    this.out.push({ kind: 'mismatch', file: this.file, span: k.valueSpan, missing: [...types.keys()], mix, owner, types, agree });
  }

  // ---- operands whose types must match ----

  private operandType(o: Operand, t: string): { type: RType; owner?: Named; sel?: string } {
    if (o.k === 'type') return { type: this.resolveRef(o.t, t) };
    const step = this.chainTypes[o.chain]?.get(t);
    if (!step || step.missingAt !== undefined) return { type: UNKNOWN };
    const c = this.refs.chains[o.chain];
    const last = c.sels.length - 1;
    return { type: step.type, owner: last >= 0 ? step.owners[last] : undefined, sel: last >= 0 ? c.sels[last].name : undefined };
  }

  // ---- arguments whose types must match their parameters ----

  /** The function a call's callee chain denotes on a target, with its signature. */
  private callee(c: Chain, chainIndex: number, t: string, need: Set<SymbolSource>): { sig: Signature; src: SymbolSource; file?: SourceFile } | undefined {
    const pick = (src: SymbolSource, name: string) => {
      const here = src.decls(name).filter((d) => d.kind === 'func' && d.targets.has(t));
      if (here.length === 1 && here[0].sig) return { sig: here[0].sig, src, file: here[0].file };
      if (here.length === 0 && src.mayDeclare(name)) need.add(src);
      return undefined;
    };
    if (c.base.k === 'name' && c.sels.length === 0) return this.world.fileImports(this.file).byName.has(c.base.name) ? undefined : pick(this.own, c.base.name);
    if (c.base.k === 'name' && c.sels.length === 1) {
      const imp = this.world.fileImports(this.file).byName.get(c.base.name);
      if (imp) return imp.src && imp.src.present.has(t) ? pick(imp.src, c.sels[0].name) : undefined;
    }
    // A method: the owner of the last selector, looked up again for its signature.
    const step = this.chainTypes[chainIndex]?.get(t);
    const owner = step?.owners[c.sels.length - 1];
    if (!owner || !step || step.ok !== c.sels.length) return undefined;
    const r = memberOf(owner, c.sels[c.sels.length - 1].name, t, 0, false);
    return r.k === 'method' && r.sig && r.src ? { sig: r.sig, src: r.src, file: r.file } : undefined;
  }

  /**
   * The package and name of a function `F` or `pkg.F` whose declarations (for different
   * targets) have different parameter types: syscall.SetNonblock takes an int on unix and a
   * Handle on windows. Such functions are declared in constrained files, which are read first.
   */
  private varyingSignature(c: Chain): { src: SymbolSource; name: string } | undefined {
    if (c.base.k !== 'name') return undefined;
    let src: SymbolSource | undefined;
    let name: string;
    const imp = this.world.fileImports(this.file).byName.get(c.base.name);
    if (imp && c.sels.length === 1) {
      src = imp.src;
      name = c.sels[0].name;
    } else if (!imp && c.sels.length === 0) {
      src = this.own;
      name = c.base.name;
    } else return undefined;
    if (!src) return undefined;
    const sigs = new Set(src.decls(name).filter((d) => d.kind === 'func' && d.sig && d.targets.size > 0).map((d) => JSON.stringify(d.sig)));
    return sigs.size > 1 ? { src, name } : undefined;
  }

  /** A parameter's type on a target as a name, when it is basic or a defined type whose underlying type is basic. */
  private paramType(p: RType, t: string): { name: string; defined: boolean } | undefined {
    if (p.k === 'basic') return { name: p.name, defined: false };
    if (p.k !== 'named' || p.ptr) return undefined;
    const ds = p.src.decls(p.name).filter((d) => d.kind === 'type' && d.targets.has(t));
    if (ds.length !== 1 || ds[0].alias || ds[0].typeParams || ds[0].type?.kind !== 'name') return undefined;
    const u = p.src.resolveIn(ds[0].type, ds[0].file, t);
    return u.k === 'basic' ? { name: `${p.src.name ?? p.src.importPath}.${p.name}`, defined: true } : undefined;
  }

  private async call(c: Call): Promise<void> {
    const fnChain = this.refs.chains[c.fn];
    // Only a field whose type can differ between targets makes an argument worth the callee's declaration.
    if (!this.relevantCalls.has(c)) return;
    for (let attempt = 0; attempt < 2; attempt++) {
      const need = new Set<SymbolSource>();
      const perArg = c.args.map(() => ({ types: new Map<string, [string, string]>(), agree: [] as string[], owner: undefined as MismatchFinding['owner'] | undefined }));
      for (const t of this.order) {
        const callee = this.callee(fnChain, c.fn, t, need);
        if (!callee) continue;
        const n = callee.sig.params.length;
        c.args.forEach((arg, i) => {
          if (!arg || (c.spread && i === c.args.length - 1)) return;
          const pi = callee.sig.variadic && i >= n - 1 ? n - 1 : i;
          const pte = callee.sig.params[pi];
          if (!pte) return;
          const p = this.paramType(callee.src.resolveIn(pte, callee.file, t), t);
          const a = this.operandType(arg, t);
          if (!p || a.type.k !== 'basic') return;
          const acc = perArg[i];
          // A typed basic value is assignable to a parameter of the same basic type only.
          if (!p.defined && p.name === a.type.name) {
            acc.agree.push(t);
            return;
          }
          acc.types.set(t, [p.name, a.type.name]);
          if (!acc.owner && a.owner && a.sel) acc.owner = { src: a.owner.src, typeName: a.owner.name, sel: a.sel };
        });
      }
      if (need.size > 0 && attempt === 0) {
        for (const s of need) await s.completeAll();
        continue;
      }
      const sig = this.varyingSignature(fnChain);
      c.args.forEach((arg, i) => {
        const acc = perArg[i];
        if (!arg || acc.types.size === 0) return;
        // The argument's field, or else the callee's parameter, is what differs between targets.
        const field = acc.owner && (acc.agree.length > 0 || acc.owner.src.fieldVaries(acc.owner.typeName, acc.owner.sel)) ? acc.owner : undefined;
        const owner = field ?? (sig ? { src: sig.src, typeName: sig.name, sel: '', signature: true as const } : undefined);
        if (!owner) return;
        const mix: Mix = { kind: 'arg', op: '=', left: { k: 'type', t: { name: acc.types.values().next().value![0] } }, right: arg, span: c.spans[i] };
        const callee = chainText(fnChain);
        this.out.push({ kind: 'mismatch', file: this.file, span: c.spans[i], missing: [...acc.types.keys()], mix, owner, types: acc.types, agree: acc.agree, callee });
      });
      return;
    }
  }

  private mix(m: Mix): void {
    const types = new Map<string, [string, string]>();
    const agree: string[] = [];
    let owner: MismatchFinding['owner'] | undefined;
    for (const t of this.order) {
      const l = this.operandType(m.left, t);
      const r = this.operandType(m.right, t);
      if (l.type.k !== 'basic' || r.type.k !== 'basic') continue;
      if (l.type.name === r.type.name) {
        agree.push(t);
        continue;
      }
      types.set(t, [l.type.name, r.type.name]);
      const side = l.owner && l.sel ? l : r;
      if (!owner && side.owner && side.sel) owner = { src: side.owner.src, typeName: side.owner.name, sel: side.sel };
    }
    // The finding is a difference between targets: the operands agree on some target, or the
    // field is declared with different types (the file may build only where they disagree).
    if (types.size === 0 || !owner) return;
    if (agree.length === 0 && !owner.src.fieldVaries(owner.typeName, owner.sel)) return;
    this.out.push({ kind: 'mismatch', file: this.file, span: m.span, missing: [...types.keys()], mix: m, owner, types, agree });
  }
}

/** `time.Unix`, `f`, `x.M`: a callee as written (locals shown by their type). */
function chainText(c: Chain): string {
  const base = c.base.k === 'name' ? c.base.name : c.base.k === 'type' ? (c.base.name ?? c.base.t.name) : '…';
  return [base, ...c.sels.map((x) => x.name)].join('.');
}

// A standard package's symbol table from the facts crossvet ships (src/stdlib), for runs
// without a GOROOT. The facts are per port and complete: every exported name, the
// selectable fields of every exported struct type (promoted ones included) with their
// types, and the method set of every exported type.
import type { Target } from '../targets';
import type { TypeExpr } from '../syntax/facts';
import type { ApiEntry, StdFacts, StdPackageFacts } from '../stdlib';
import { BASIC_TYPES, UNKNOWN, type MemberResult, type RType, type Signature, type SymbolSource, type TopDecl, type TopKind } from './types';

/** Resolves another standard package by import path (for field types such as time.Duration). */
export type StdLookup = (importPath: string) => SymbolSource | undefined;

const TOP = new Set(['const', 'var', 'type', 'func']);

export class ShippedSource implements SymbolSource {
  readonly present: ReadonlySet<string>;
  readonly complete = true;
  private readonly top = new Map<string, ApiEntry[]>();
  /** "T.sel" → entries. */
  private readonly memberEntries = new Map<string, ApiEntry[]>();
  private readonly portOf = new Map<string, number>();
  private restricted?: Set<string>;
  private members?: Set<string>;
  private readonly varying = new Set<string>();
  private readonly site: string;

  constructor(
    readonly importPath: string,
    private readonly facts: StdFacts,
    private readonly pkg: StdPackageFacts,
    private readonly targets: Target[],
    private readonly lookupStd: StdLookup,
  ) {
    const present = new Set<string>();
    const on = facts.set(pkg.on);
    for (const t of targets) {
      const p = facts.port(t.goos, t.goarch);
      if (p === undefined) continue;
      this.portOf.set(t.id, p);
      if (on.has(p)) present.add(t.id);
    }
    this.present = present;
    for (const e of pkg.api ?? []) {
      const map = TOP.has(e[1]) ? this.top : this.memberEntries;
      const list = map.get(e[0]) ?? [];
      list.push(e);
      map.set(e[0], list);
    }
    this.site = `the ${facts.goVersion} standard library (shipped facts)`;
  }

  get name(): string {
    // Standard package names are their last path element, except for major-version suffixes.
    const parts = this.importPath.split('/');
    const last = parts[parts.length - 1];
    return /^v[0-9]+$/.test(last) && parts.length > 1 ? parts[parts.length - 2] : last;
  }

  async completeAll(): Promise<void> {}

  uncertain(): boolean {
    return false;
  }

  private targetsOf(e: ApiEntry): Set<string> {
    const ports = this.facts.set(e[3], this.pkg);
    const out = new Set<string>();
    for (const [id, p] of this.portOf) if (ports.has(p) && this.present.has(id)) out.add(id);
    return out;
  }

  private holds(e: ApiEntry, target: string): boolean {
    const p = this.portOf.get(target);
    return p !== undefined && this.present.has(target) && this.facts.set(e[3], this.pkg).has(p);
  }

  decls(name: string): TopDecl[] {
    return (this.top.get(name) ?? []).map((e) => {
      const d: TopDecl = { name, kind: e[1] as TopKind, targets: this.targetsOf(e), site: this.site };
      const type = e[1] === 'var' ? e[2] : e[1] === 'const' ? constType(e[2]) : undefined;
      const te = type !== undefined ? parseTypeString(type) : undefined;
      if (te) d.type = te;
      if (e[1] === 'func') {
        const sig = parseSignature(e[2]);
        if (sig) d.sig = sig;
      }
      return d;
    });
  }

  valueType(d: TopDecl, _target: string): RType {
    return d.type ? this.resolve(d.type) : UNKNOWN;
  }

  resolveIn(te: TypeExpr): RType {
    return this.resolve(te);
  }

  mayDeclare(): boolean {
    return false;
  }

  private resolve(te: TypeExpr): RType {
    let ptr = false;
    if (te.kind === 'pointer') {
      ptr = true;
      te = te.elem;
    }
    if (te.kind !== 'name') return UNKNOWN;
    if (te.pkg) {
      const src = this.lookupStd(te.pkg);
      return src ? { k: 'named', src, name: te.name, ptr } : UNKNOWN;
    }
    if (this.top.get(te.name)?.some((e) => e[1] === 'type')) return { k: 'named', src: this, name: te.name, ptr };
    const basic = BASIC_TYPES.get(te.name);
    return basic && !ptr ? { k: 'basic', name: basic } : UNKNOWN;
  }

  member(typeName: string, sel: string, target: string): MemberResult {
    // Unexported members are not in the facts (and not selectable from another package).
    if (!/^\p{Lu}/u.test(sel)) return { k: 'unknown' };
    const types = (this.top.get(typeName) ?? []).filter((e) => e[1] === 'type');
    const typeHere = types.filter((e) => this.holds(e, target));
    if (typeHere.length === 0 && types.length > 0) return { k: 'absent' };
    if (typeHere.length !== 1) return { k: 'unknown' };
    for (const e of this.memberEntries.get(`${typeName}.${sel}`) ?? []) {
      if (!this.holds(e, target)) continue;
      if (e[1] === 'method') {
        const sig = parseSignature(e[2]);
        return sig ? { k: 'method', site: this.site, sig, src: this } : { k: 'method', site: this.site };
      }
      const te = parseTypeString(e[2]);
      return { k: 'field', type: te ? this.resolve(te) : UNKNOWN, site: this.site };
    }
    return { k: 'missing' };
  }

  fieldVaries(typeName: string, sel: string): boolean {
    const list = (this.memberEntries.get(`${typeName}.${sel}`) ?? []).filter((e) => e[1] === 'field');
    return new Set(list.map((e) => e[2])).size > 1;
  }

  kindOf(typeName: string, target: string): 'struct' | 'other' | 'unknown' {
    const here = (this.top.get(typeName) ?? []).filter((e) => e[1] === 'type' && this.holds(e, target));
    if (here.length !== 1) return 'unknown';
    return here[0][2] === 'struct' ? 'struct' : 'other';
  }

  memberSites(typeName: string, sel: string): string[] {
    const list = this.memberEntries.get(`${typeName}.${sel}`) ?? [];
    if (list.length === 0) return [];
    const ports = new Set<number>();
    for (const e of list) for (const p of this.facts.set(e[3], this.pkg)) ports.add(p);
    return [`${this.site}, on ${[...ports].sort((a, b) => a - b).map((p) => this.facts.file.ports[p]).join(', ')}`];
  }

  restrictedNames(): ReadonlySet<string> {
    if (!this.restricted) {
      this.restricted = new Set();
      for (const [name, list] of this.top) {
        const on = new Set<string>();
        for (const e of list) for (const t of this.targetsOf(e)) on.add(t);
        if (on.size < this.present.size) this.restricted.add(name);
      }
    }
    return this.restricted;
  }

  /** Members whose availability differs from their type's, or whose type differs between ports. */
  /** The shipped facts keep no parameter types per port. */
  varyingFuncs(): ReadonlySet<string> {
    return EMPTY;
  }

  restrictedMembers(): ReadonlySet<string> {
    if (!this.members) {
      this.members = new Set();
      const typeOn = new Map<string, number>();
      for (const [name, list] of this.top) {
        const on = new Set<string>();
        for (const e of list) if (e[1] === 'type') for (const t of this.targetsOf(e)) on.add(t);
        typeOn.set(name, on.size);
      }
      for (const [key, list] of this.memberEntries) {
        const dot = key.indexOf('.');
        const on = new Set<string>();
        let kinds = 0;
        for (const e of list) {
          const ts = this.targetsOf(e);
          if (ts.size) kinds++;
          for (const t of ts) on.add(t);
        }
        if (on.size !== (typeOn.get(key.slice(0, dot)) ?? -1) || kinds > 1) this.members.add(key.slice(dot + 1));
        if (kinds > 1 && list.every((e) => e[1] === 'field')) this.varying.add(key.slice(dot + 1));
      }
    }
    return this.members;
  }

  varyingFields(): ReadonlySet<string> {
    this.restrictedMembers();
    return this.varying;
  }
}

/**
 * A function's parameter types as the facts write them ("int64, int64", "string, ...any");
 * undefined for facts without a signature (generic functions, older facts).
 */
export function parseSignature(detail: string): Signature | undefined {
  if (!detail.startsWith('(') || !detail.endsWith(')')) return undefined;
  const inner = detail.slice(1, -1);
  if (inner === '') return { params: [], variadic: false };
  // Split at top-level commas (func types and generics may nest).
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of inner) {
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    if (ch === ')' || ch === ']' || ch === '}') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  parts.push(cur.trim());
  const variadic = parts[parts.length - 1].startsWith('...');
  if (variadic) parts[parts.length - 1] = parts[parts.length - 1].slice(3);
  return { params: parts.map((p) => parseTypeString(p) ?? null), variadic };
}

/** The type part of a const detail ("int64 5", "untyped int 5"); undefined for untyped constants. */
function constType(detail: string): string | undefined {
  if (detail.startsWith('untyped ')) return undefined;
  const sp = detail.indexOf(' ');
  return sp < 0 ? detail : detail.slice(0, sp);
}

/** A go/types type string, as far as a named type or pointer to one: "int32", "*Timespec", "time.Duration". */
export function parseTypeString(s: string): TypeExpr | undefined {
  const m = /^(\*?)(?:([\w./-]+)\.)?([\p{L}_][\p{L}\p{Nd}_]*)$/u.exec(s);
  if (!m) return undefined;
  const name: TypeExpr = m[2] ? { kind: 'name', pkg: m[2], name: m[3] } : { kind: 'name', name: m[3] };
  return m[1] ? { kind: 'pointer', elem: name } : name;
}

const EMPTY: ReadonlySet<string> = new Set();

// Standard packages without a GOROOT: their exported constants, types and signatures from the
// facts crossvet ships (src/stdlib/stdlib.json, generated from a real GOROOT with go/types,
// per port). Constants there are exact ("untyped int 4294967295", "io/fs.FileMode 2147483648")
// and per port, so math.MaxInt is right for each target. A live GOROOT is always preferred:
// this is only asked when an import cannot be loaded from source.
import { isStdPath, stdFacts, type ApiEntry, type StdFacts } from '../stdlib';
import type { Target } from '../targets';
import { UNIVERSE_BASIC } from './basic';
import { parseStringLit } from './literal';
import { ANY, basic, UNKNOWN, UNTYPED, type Named, type T } from './types';
import { int, rat, type Val } from './value';

export type StdMember =
  | { m: 'const'; v: Val; t: T }
  | { m: 'type'; t: T }
  | { m: 'value'; t: T };

function lastElement(path: string): string {
  const parts = path.split('/');
  const last = parts[parts.length - 1];
  return /^v\d+$/.test(last) && parts.length > 1 ? parts[parts.length - 2] : last;
}

/** One standard package on one port, as the shipped facts describe it. */
export class StdPackage {
  private entries = new Map<string, ApiEntry>();
  private named = new Map<string, Named>();

  constructor(
    private readonly api: StdApi,
    readonly path: string,
    entries: ApiEntry[],
  ) {
    for (const e of entries) this.entries.set(e[0], e);
  }

  get name(): string {
    return lastElement(this.path);
  }

  member(name: string): StdMember | undefined {
    const e = this.entries.get(name);
    if (!e) return undefined;
    switch (e[1]) {
      case 'const':
        return this.constant(e[2]);
      case 'type':
        return { m: 'type', t: this.namedType(name) };
      case 'var':
        return { m: 'value', t: this.api.parseType(e[2], this.path) };
      case 'func':
        return { m: 'value', t: this.api.signature(e[2], this.path) };
      default:
        return undefined;
    }
  }

  /** "untyped int 4294967295", "Month 4", "io/fs.FileMode 2147483648", "untyped string \"x\"". */
  private constant(detail: string): StdMember | undefined {
    let typeText: string;
    let valueText: string;
    const m = /^untyped (\w+) (.*)$/s.exec(detail);
    if (m) {
      typeText = `untyped ${m[1]}`;
      valueText = m[2];
    } else {
      const sp = detail.indexOf(' ');
      if (sp < 0) return undefined;
      typeText = detail.slice(0, sp);
      valueText = detail.slice(sp + 1);
    }
    const t = m ? UNTYPED[m[1] as keyof typeof UNTYPED] ?? UNKNOWN : this.api.parseType(typeText, this.path);
    if (t.k === 'unknown') return undefined;
    const v = parseValue(valueText);
    return v ? { m: 'const', v, t } : undefined;
  }

  namedType(name: string): Named {
    let n = this.named.get(name);
    if (n) return n;
    const e = this.entries.get(name);
    const api = this.api;
    const path = this.path;
    n = {
      k: 'named',
      id: `${api.rootId}${path}.${name}`,
      name,
      pkgPath: path,
      pkgName: this.name,
      under: () => {
        const detail = e?.[1] === 'type' ? e[2] : '';
        if (detail in UNIVERSE_BASIC) return basic(UNIVERSE_BASIC[detail]);
        if (detail === 'struct') {
          const fields: { n: string; t: T; emb: boolean }[] = [];
          for (const [k, x] of this.entries) {
            if (x[1] === 'field' && k.startsWith(`${name}.`)) fields.push({ n: k.slice(name.length + 1), t: api.parseType(x[2], path), emb: false });
          }
          return { k: 'struct', fields };
        }
        if (detail === 'interface') return { k: 'iface', method: (m: string) => this.method(name, m) };
        return UNKNOWN;
      },
      method: (m: string) => this.method(name, m),
    };
    this.named.set(name, n);
    return n;
  }

  private method(typeName: string, m: string): T | undefined {
    const e = this.entries.get(`${typeName}.${m}`);
    return e && e[1] === 'method' ? this.api.signature(e[2], this.path) : undefined;
  }
}

/** The standard library of one target, from the shipped facts. */
export class StdApi {
  private pkgs = new Map<string, StdPackage | null>();
  /** Identity prefix of named types, distinct from the ones read from source. */
  readonly rootId = 'stdlib:';

  private constructor(
    private readonly facts: StdFacts,
    private readonly port: number,
  ) {}

  /** The shipped facts for a target, when they exist and know its port. */
  static forTarget(t: Target): StdApi | undefined {
    const facts = stdFacts();
    const port = facts?.port(t.goos, t.goarch);
    return facts && port !== undefined ? new StdApi(facts, port) : undefined;
  }

  package(path: string): StdPackage | undefined {
    if (!isStdPath(path)) return undefined;
    let p = this.pkgs.get(path);
    if (p === undefined) {
      const facts = this.facts.package(path);
      if (!facts || !facts.api || !this.facts.set(facts.on).has(this.port)) p = null;
      else {
        const entries = facts.api.filter((e) => this.facts.set(e[3], facts).has(this.port));
        p = new StdPackage(this, path, entries);
      }
      this.pkgs.set(path, p);
    }
    return p ?? undefined;
  }

  /** A type as go/types prints it with package paths: "int", "[]byte", "io/fs.FileMode", "...any". */
  parseType(text: string, fromPkg: string): T {
    const s = text.trim();
    if (s in UNIVERSE_BASIC) return basic(UNIVERSE_BASIC[s]);
    if (s === 'any' || s === 'error' || s.startsWith('interface{')) return ANY;
    if (s.startsWith('[]')) return { k: 'slice', e: this.parseType(s.slice(2), fromPkg) };
    if (s.startsWith('*')) return { k: 'ptr', e: this.parseType(s.slice(1), fromPkg) };
    if (s.startsWith('chan ')) return { k: 'chan', e: this.parseType(s.slice(5), fromPkg) };
    let m = /^\[(\d+)\](.*)$/s.exec(s);
    if (m) return { k: 'array', len: BigInt(m[1]), e: this.parseType(m[2], fromPkg) };
    m = /^([\w./-]+)\.(\p{Lu}[\p{L}\p{N}_]*)$/u.exec(s);
    if (m) return this.package(m[1])?.namedType(m[2]) ?? UNKNOWN;
    if (/^\p{L}[\p{L}\p{N}_]*$/u.test(s)) return this.package(fromPkg)?.namedType(s) ?? UNKNOWN;
    return UNKNOWN;
  }

  /** "(string, ...any)": the parameters only (the facts do not record results). */
  signature(text: string, fromPkg: string): T {
    const inner = text.trim().replace(/^\(/, '').replace(/\)$/, '');
    const parts = splitTop(inner);
    let variadic = false;
    const p = parts.map((x, i) => {
      // As for declarations read from source, a variadic parameter is recorded by its element type.
      if (x.startsWith('...')) {
        if (i === parts.length - 1) variadic = true;
        return this.parseType(x.slice(3), fromPkg);
      }
      return this.parseType(x, fromPkg);
    });
    return { k: 'func', p, r: [], variadic };
  }
}

/** Splits at commas outside brackets and parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function parseValue(text: string): Val | undefined {
  if (/^-?\d+$/.test(text)) return int(BigInt(text));
  const m = /^(-?\d+)\/(\d+)$/.exec(text);
  if (m) return rat(BigInt(m[1]), BigInt(m[2]));
  if (text === 'true' || text === 'false') return { k: 'bool', v: text === 'true' };
  if (text.startsWith('"') || text.startsWith('`')) {
    const b = parseStringLit(text);
    return b === undefined ? undefined : { k: 'str', b };
  }
  return undefined;
}

// Can a file build anywhere? A file's build condition (its constraint, its file-name
// suffix, and cgo when it imports "C") is tried on every port of the toolchain, with cgo
// on and off (on only where the port supports it), with either compiler, with the release
// tags of older and newer Go, and with every setting of the custom tags it mentions — so
// a custom tag never makes a false alarm. Custom tags are free variables; a small
// case-splitting search decides whether some setting satisfies what is left once the
// platform is fixed.
import { type Expr, exprString } from '../../src/constraints/expr';
import { goodOSArchFile } from '../../src/constraints/suffix';
import { KNOWN_ARCH, KNOWN_OS, UNIX_OS, type Port } from '../../src/targets';

export interface Platform {
  goos: string;
  goarch: string;
  cgo: boolean;
  compiler: 'gc' | 'gccgo';
  /** Release tags go1.1 .. go1.<goMinor> hold. */
  goMinor: number;
  /** Whether this is a real port of the toolchain or a GOOS/GOARCH pair Go knows without a port. */
  real: boolean;
}

export interface SatQuery {
  /** The base name of the file (its suffix constrains it). */
  name: string;
  /** The file's build expression, if it has one. */
  expr?: Expr;
  /** The file imports "C", so it builds only with cgo. */
  needsCgo: boolean;
}

export type SatResult =
  | { kind: 'sat'; witness: Platform }
  /** Only on a GOOS/GOARCH pair the go command knows but has no port for (nacl, openbsd/mips64). */
  | { kind: 'no-port'; witness: Platform }
  | { kind: 'unsat' }
  /** The search grew past its budget; the answer is unknown. */
  | { kind: 'too-complex' };

/** Case splits allowed per query: far beyond any real constraint, small enough to bound a pathological one. */
const BUDGET = 200_000;

type Val = boolean | undefined; // undefined: a free (custom) tag

/** The truth of a tag on a platform, or undefined when the tag is the user's to set. */
export function platformTag(p: Platform, tag: string): Val {
  if (tag === 'cgo') return p.cgo;
  if (tag === 'gc' || tag === 'gccgo') return tag === p.compiler;
  if (tag === 'unix') return UNIX_OS.has(p.goos);
  if (KNOWN_OS.has(tag)) {
    return tag === p.goos || (tag === 'linux' && p.goos === 'android') || (tag === 'darwin' && p.goos === 'ios') || (tag === 'solaris' && p.goos === 'illumos');
  }
  if (KNOWN_ARCH.has(tag)) return tag === p.goarch;
  const rel = /^go1\.([1-9][0-9]*)$/.exec(tag);
  if (rel) return Number(rel[1]) <= p.goMinor;
  // Architecture feature levels (amd64.v3, arm.7): set by GOAMD64, GOARM, ... for that GOARCH only.
  const dot = tag.indexOf('.');
  if (dot > 0 && KNOWN_ARCH.has(tag.slice(0, dot))) return tag.slice(0, dot) === p.goarch ? undefined : false;
  return undefined;
}

/** Substitute known tags; returns a constant or the residual expression over free tags. */
function reduce(x: Expr, val: (tag: string) => Val): Expr | boolean {
  switch (x.kind) {
    case 'tag': {
      const v = val(x.tag);
      return v === undefined ? x : v;
    }
    case 'not': {
      const a = reduce(x.x, val);
      return typeof a === 'boolean' ? !a : { kind: 'not', x: a };
    }
    case 'and': {
      const a = reduce(x.x, val);
      if (a === false) return false;
      const b = reduce(x.y, val);
      if (b === false) return false;
      if (a === true) return b;
      if (b === true) return a;
      return { kind: 'and', x: a, y: b };
    }
    case 'or': {
      const a = reduce(x.x, val);
      if (a === true) return true;
      const b = reduce(x.y, val);
      if (b === true) return true;
      if (a === false) return b;
      if (b === false) return a;
      return { kind: 'or', x: a, y: b };
    }
  }
}

function firstTag(x: Expr): string {
  return x.kind === 'tag' ? x.tag : x.kind === 'not' ? firstTag(x.x) : firstTag(x.x);
}

/** Whether some setting of the free tags makes x true; undefined when the budget runs out. */
function satisfiable(x: Expr | boolean, budget: { left: number }): boolean | undefined {
  if (typeof x === 'boolean') return x;
  if (--budget.left < 0) return undefined;
  const tag = firstTag(x);
  const yes = satisfiable(reduce(x, (t) => (t === tag ? true : undefined)), budget);
  if (yes !== false) return yes;
  return satisfiable(reduce(x, (t) => (t === tag ? false : undefined)), budget);
}

function releaseTags(x: Expr | undefined, out = new Set<number>()): Set<number> {
  if (!x) return out;
  if (x.kind === 'tag') {
    const m = /^go1\.([1-9][0-9]*)$/.exec(x.tag);
    if (m && m[1].length < 6) out.add(Number(m[1]));
  } else if (x.kind === 'not') releaseTags(x.x, out);
  else {
    releaseTags(x.x, out);
    releaseTags(x.y, out);
  }
  return out;
}

/**
 * The platforms to try: every port (cgo off, and on where supported) and, separately,
 * every GOOS/GOARCH pair the go command knows that no port has (cgo off), each with both
 * compilers and one representative of every range of Go releases the expression tells apart.
 */
function* platforms(ports: Port[], goMinor: number, x: Expr | undefined): Generator<Platform> {
  const mentioned = releaseTags(x);
  const minors = new Set<number>([goMinor]);
  for (const n of mentioned) {
    minors.add(n);
    minors.add(n - 1);
  }
  function* add(goos: string, goarch: string, cgoChoices: boolean[], real: boolean): Generator<Platform> {
    for (const cgo of cgoChoices) {
      for (const compiler of ['gc', 'gccgo'] as const) {
        for (const m of minors) yield { goos, goarch, cgo, compiler, goMinor: m, real };
      }
    }
  }
  const ported = new Set<string>();
  for (const p of ports) {
    ported.add(`${p.goos}/${p.goarch}`);
    yield* add(p.goos, p.goarch, p.cgoSupported ? [false, true] : [false], true);
  }
  // Pairs without a port (gccgo targets such as aix/ppc and hurd, removed ports such as
  // nacl): cgo is as available as on the real ports of the same GOOS, and available on a
  // GOOS without any port, so that `js && cgo` stays impossible (js/wasm has no cgo)
  // while `aix && ppc && cgo` is only portless.
  const osCgo = new Map<string, boolean>();
  for (const p of ports) osCgo.set(p.goos, (osCgo.get(p.goos) ?? false) || p.cgoSupported);
  // GOOS values that imply another (android, ios, illumos) come last, so that an example
  // of a portless pair reads linux/ppc rather than android/ppc.
  const implying = new Set(['android', 'ios', 'illumos']);
  const oses = [...KNOWN_OS].sort((a, b) => Number(implying.has(a)) - Number(implying.has(b)));
  for (const os of oses) {
    for (const arch of KNOWN_ARCH) {
      if (ported.has(`${os}/${arch}`)) continue;
      yield* add(os, arch, osCgo.get(os) ?? true ? [false, true] : [false], false);
    }
  }
}

const cache = new Map<string, SatResult>();

/** Decide where the file could build. Results are cached by name suffix, expression and cgo need. */
export function whereBuilds(q: SatQuery, ports: Port[], goMinor: number): SatResult {
  const key = `${suffixKey(q.name)}\0${q.expr ? exprString(q.expr) : ''}\0${q.needsCgo}\0${goMinor}\0${ports.length}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const result = decide(q, ports, goMinor);
  cache.set(key, result);
  return result;
}

function suffixKey(name: string): string {
  const stem = name.split('.', 1)[0];
  const i = stem.indexOf('_');
  return i < 0 ? '' : stem.slice(i);
}

function decide(q: SatQuery, ports: Port[], goMinor: number): SatResult {
  const budget = { left: BUDGET };
  let fallback: SatResult = { kind: 'unsat' };
  let exceeded = false;
  for (const p of platforms(ports, goMinor, q.expr)) {
    if (q.needsCgo && !p.cgo) continue;
    if (!goodOSArchFile(q.name, (tag) => platformTag(p, tag) === true)) continue;
    let ok: boolean | undefined = true;
    if (q.expr) ok = satisfiable(reduce(q.expr, (t) => platformTag(p, t)), budget);
    if (ok === undefined) {
      exceeded = true;
      break;
    }
    if (!ok) continue;
    if (p.real) return { kind: 'sat', witness: p };
    fallback = { kind: 'no-port', witness: p };
    break; // real ports come first: the rest are portless too
  }
  if (exceeded) return { kind: 'too-complex' };
  return fallback;
}

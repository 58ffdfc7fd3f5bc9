// The oracle for atomic-alignment and its layout engine: the Go toolchain decides.
//
// 1. Layout: every non-generic type of test/go/layoutoracle (basic kinds, padding, the
//    trailing zero-size field, arrays, constants, generics, aliases, embedded fields, `_`
//    fields, types from another package, from vendor/ and from GOROOT) is measured by the
//    engine for 386, amd64, arm, mips and arm64; a generated program prints unsafe.Sizeof,
//    Alignof and Offsetof built for 386 and amd64 (run natively), and for arm, mips and arm64
//    the engine's numbers become constant assertions that only compile if they are right.
// 2. Fixtures: for every fixtures/atomic-* case, each 64-bit atomic call of the fixture is
//    performed for real by a GOARCH=386 build of the fixture's package (a generated test
//    that calls every function with fresh allocations and recovers the panic), and the
//    offsets of every reported selector chain are checked for GOARCH=arm by constant
//    assertions. Every `// want atomic-alignment` must panic ("unaligned 64-bit atomic
//    operation") and every unflagged call must not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RuleContext } from '../src/rule';
import type { Notification, Diagnostic } from '../src/types';
import type { Package } from '../src/model/types';
import { parseTargets, type Target } from '../src/targets';
import { contextFor } from '../src/constraints/match';
import { findModule } from '../src/discover/module';
import { listPackageDirs } from '../src/discover/packages';
import { Resolver } from '../src/discover/resolve';
import { World } from '../src/model/world';
import { FactsPool } from '../src/syntax/pool';
import { goEnv, runGo } from '../src/goenv';
import { toRel } from '../src/engine/files';
import { LayoutEngine } from '../src/layout/engine';
import { ContextHost, FactsLoader } from '../src/layout/context-host';
import { under, type RType } from '../src/layout/model';
import { evalConstInt } from '../src/layout/consts';
import { check, type CheckOptions } from '../src/engine/check';
import { parseWants } from './support/wants';

const repo = path.resolve(__dirname, '..');
const hasGo = goEnv() !== null;

interface Opened {
  ctx: RuleContext;
  targets: Target[];
  notes: Notification[];
  diags: Diagnostic[];
  close(): Promise<void>;
}

/** A RuleContext over a module directory, built from the engine's own parts. */
function openModule(dir: string, targetSpec: string): Opened {
  const targets = parseTargets(targetSpec);
  const contexts = new Map(targets.map((t) => [t.id, contextFor(t, { cgo: 'off' })]));
  const mod = findModule(dir);
  if (!mod) throw new Error(`no module at ${dir}`);
  const resolver = new Resolver(mod, {});
  const notes: Notification[] = [];
  const diags: Diagnostic[] = [];
  let pool: FactsPool | undefined;
  const world = new World(mod.root, [...contexts.values()], true, resolver, () => (pool ??= new FactsPool({ workers: 0, cache: false })), notes);
  const packages: Package[] = [];
  for (const d of listPackageDirs(mod.root, { patterns: ['./...'] }).dirs) {
    const rel = toRel(mod.root, d);
    const pkg = world.loadDir(d, rel ? `${mod.goMod.module}/${rel}` : mod.goMod.module, 'scan');
    if (pkg) packages.push(pkg);
  }
  const files = packages.flatMap((p) => p.files);
  const ctx: RuleContext = {
    root: mod.root,
    targets,
    contexts,
    packages,
    files,
    classes: [],
    source: (f) => world.source(f),
    facts: (f) => world.facts(f),
    ensureFacts: (fs) => world.ensureFacts(fs),
    importPackage: (p, from) => world.importPackage(p, from),
    report: (d) => diags.push(d),
    notify: (n) => notes.push(n),
  };
  return { ctx, targets, notes, diags, close: async () => void (await pool?.close()) };
}

interface Measured {
  size: number;
  align: number;
  offsets: Record<string, number>;
}

/** Layouts of the named types of one package, for one target, loading facts until nothing is missing. */
async function measure(o: Opened, target: Target, pkgDir: string, names: string[]): Promise<Map<string, Measured | string>> {
  const loader = new FactsLoader(o.ctx);
  for (;;) {
    const host = new ContextHost(o.ctx, target, loader);
    const engine = new LayoutEngine(target, host);
    const pkg = o.ctx.packages.find((p) => p.dir === pkgDir)!;
    const view = host.viewOf(pkg.files.find((f) => !f.isTest)!);
    const out = new Map<string, Measured | string>();
    for (const name of names) {
      const t = engine.named(view, name, []);
      const l = engine.layout(t);
      if ('unknown' in l) {
        out.set(name, l.unknown);
        continue;
      }
      const offsets: Record<string, number> = {};
      const st = under(t);
      if (st.k === 'struct') {
        const sl = engine.structLayout(t);
        st.fields.forEach((f, i) => {
          if (f.name !== '_') offsets[f.name] = sl.offsets[i]!;
        });
      }
      out.set(name, { size: l.size, align: l.align, offsets });
    }
    if (!loader.hasMissing) return out;
    if (loader.rounds > 20) throw new Error('facts never settle');
    await loader.load();
  }
}

function copyTree(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

describe('constant expressions in array lengths', () => {
  const lookup = (name: string, q?: string) => (q === 'pkg' && name === 'W' ? 5n : name === 'N' ? 3n : undefined);
  it.each([
    ['N*2 + 1', 7n],
    ['1 << 3', 8n],
    ['(N + 1) * (N - 1)', 8n],
    ['pkg.W + 1', 6n],
    ["0x10 - 'A' + 65", 16n],
    ['0b101 | 0o2', 7n],
    ['1_000 / 3 % 7', 4n],
    ['10 &^ 2', 8n],
    ['int(N) + uintptr(2)', 5n],
    ['iota * 4', 8n],
  ])('%s = %s (Go spec arithmetic)', (src, want) => {
    expect(evalConstInt(src, lookup, 2)).toBe(want);
  });
  it.each(['unsafe.Sizeof(x)', 'M + 1', '1.5', 'len("abc")', '1 / 0', 'N +'])('%s is not known', (src) => {
    expect(evalConstInt(src, lookup)).toBeUndefined();
  });
});

describe.runIf(hasGo)('layout engine against the gc compiler', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-layout-'));
  const dir = path.join(tmp, 'layoutoracle');
  const archs = ['linux/386', 'linux/amd64', 'linux/arm/v7', 'linux/mips', 'linux/arm64'];
  let opened: Opened;
  let names: string[] = [];
  const engineValues = new Map<string, Map<string, Measured | string>>();

  beforeAll(async () => {
    copyTree(path.join(repo, 'test/go/layoutoracle'), dir);
    opened = openModule(dir, archs.join(','));
    const main = opened.ctx.files.find((f) => f.name === 'shapes.go')!;
    await opened.ctx.ensureFacts([main]);
    names = opened.ctx.facts(main)!.decls.filter((d) => d.kind === 'type' && !d.typeParams && d.type?.kind !== 'interface').map((d) => d.name);
    for (const t of opened.targets) engineValues.set(t.id, await measure(opened, t, dir, names));
  });

  afterAll(async () => {
    await opened?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('knows every layout', () => {
    expect(names.length).toBeGreaterThan(25);
    for (const [target, m] of engineValues) {
      const unknown = [...m].filter(([, v]) => typeof v === 'string').map(([n, v]) => `${target} ${n}: ${v}`);
      expect(unknown).toEqual([]);
    }
  });

  /** A file registering one print function per type: name size align field=offset... */
  function reportFile(): string {
    const lines = ['package main', '', 'import (', '\t"fmt"', '\t"unsafe"', ')', '', 'func init() {'];
    const sample = engineValues.get('linux/amd64')!;
    for (const n of names) {
      const m = sample.get(n);
      const fields = typeof m === 'object' ? Object.keys(m.offsets) : [];
      lines.push(`\treports = append(reports, func() {`);
      lines.push(`\t\tvar v ${n}`);
      lines.push(`\t\tfmt.Print(${JSON.stringify(n)}, " ", unsafe.Sizeof(v), " ", unsafe.Alignof(v))`);
      for (const f of fields) lines.push(`\t\tfmt.Print(" ${f}=", unsafe.Offsetof(v.${f}))`);
      lines.push('\t\tfmt.Println()', '\t})');
    }
    lines.push('}', '');
    return lines.join('\n');
  }

  function parseReport(out: string): Map<string, Measured> {
    const res = new Map<string, Measured>();
    for (const line of out.trim().split('\n')) {
      const [name, size, align, ...rest] = line.trim().split(' ');
      const offsets: Record<string, number> = {};
      for (const r of rest) {
        const [f, o] = r.split('=');
        offsets[f] = Number(o);
      }
      res.set(name, { size: Number(size), align: Number(align), offsets });
    }
    return res;
  }

  it.each([
    ['linux/386', '386'],
    ['linux/amd64', 'amd64'],
  ])('matches unsafe.Sizeof/Alignof/Offsetof printed by a %s binary', (target, goarch) => {
    fs.writeFileSync(path.join(dir, 'report_gen.go'), reportFile());
    const r = runGo(['run', '.'], { cwd: dir, env: { GOARCH: goarch, GOOS: 'linux', CGO_ENABLED: '0', GOFLAGS: '-mod=vendor' }, timeoutMs: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const got = parseReport(r.stdout);
    const ours = engineValues.get(target)!;
    expect(got.size).toBe(names.length);
    for (const n of names) expect({ type: n, ...(ours.get(n) as Measured) }).toEqual({ type: n, ...got.get(n)! });
  });

  it.each([
    ['linux/arm/v7', 'arm'],
    ['linux/mips', 'mips'],
    ['linux/arm64', 'arm64'],
  ])('agrees with the compiler for %s (constant assertions that only compile when equal)', (target, goarch) => {
    fs.rmSync(path.join(dir, 'report_gen.go'), { force: true });
    const ours = engineValues.get(target)!;
    const lines = ['package main', '', 'import "unsafe"', ''];
    const what: string[] = [];
    const assert = (expr: string, n: number, label: string) => {
      lines.push(`var _ [${expr} - ${n}]byte // ${label}`, `var _ [${n} - ${expr}]byte // ${label}`);
      what.push(label, label);
    };
    names.forEach((n, i) => {
      const m = ours.get(n) as Measured;
      lines.push(`var a${i} ${n}`);
      assert(`unsafe.Sizeof(a${i})`, m.size, `${n} size ${m.size}`);
      assert(`unsafe.Alignof(a${i})`, m.align, `${n} align ${m.align}`);
      for (const [f, o] of Object.entries(m.offsets)) assert(`unsafe.Offsetof(a${i}.${f})`, o, `${n}.${f} offset ${o}`);
    });
    const file = path.join(dir, `assert_gen_${goarch}.go`);
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const r = runGo(['build', '-gcflags=-e', '-o', os.devNull, '.'], { cwd: dir, env: { GOARCH: goarch, GOOS: 'linux', CGO_ENABLED: '0', GOFLAGS: '-mod=vendor' }, timeoutMs: 300_000 });
    fs.rmSync(file);
    const wrong = [...r.stderr.matchAll(/assert_gen_\w+\.go:(\d+):/g)].map((m) => lines[Number(m[1]) - 1]);
    expect(wrong).toEqual([]);
    expect(r.status, r.stderr).toBe(0);
    expect(what.length).toBeGreaterThan(100);
  });
});

// ---------------------------------------------------------------------------
// Fixtures: every 64-bit atomic call is performed for real.


interface OracleSite {
  id: number;
  op: string;
  file: string;
  line: number;
  col: number;
  func: string;
  pkg: string;
}

interface OraclePos {
  file: string;
  line: number;
  col: number;
}

interface OracleCase {
  id: number;
  pkg: string;
  kind: 'func' | 'path';
  text: string;
  func?: string;
  start?: string;
  fields?: OraclePos[];
  suffix?: string;
  key: string;
}

interface CaseResult {
  case: number;
  last: number;
  panic: string;
  unaligned: boolean;
  reached: Record<string, number>;
  /** Reaches whose address was not 8-byte aligned, by site. */
  misaligned: Record<string, number>;
}

interface LayoutLine {
  type: string;
  size: number;
  align: number;
  offsets: Record<string, number>;
}

/** What the toolchain says about one fixture on one 32-bit target. */
interface Verdicts {
  /** Atomic calls (file relative to the fixture, line, col) → misaligned or not; absent: never reached. */
  sites: Map<string, { misaligned: boolean; site: OracleSite; why: string }>;
  unreached: string[];
  /** Struct fields (file:line) whose placement makes a pointer operation on them panic. */
  misplaced: Map<string, string>;
  /** Where the panic and the measured address disagree (they must not, except for And/Or on 386). */
  disagreements: string[];
}

const helperDir = path.join(repo, 'test/go/atomicoracle');

function fixtureTargets(goMod: string): string {
  const m = /^\/\/\s*crossvet-args:.*--targets[ =](\S+)/m.exec(goMod);
  return m ? m[1] : 'default';
}

/** The lines of a file that are build constraints, blanked so that the file builds anywhere and no line moves. */
function unconstrained(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*package\s/.test(lines[i])) break;
    if (/^\s*\/\/(go:build|\s*\+build)\b/.test(lines[i])) lines[i] = '';
  }
  return lines.join('\n');
}

function goEnvFor(t: Target): Record<string, string> {
  return { ...t.env, CGO_ENABLED: '0' };
}

interface Group {
  /** Directory holding the fixtures' copies (a workspace) or the one vendored module. */
  root: string;
  fixtures: string[];
  /** Path of each fixture's module root relative to root ('' for a single module). */
  prefix: (fixture: string) => string;
  patterns: string[];
  /** Extra environment for its go commands (GOWORK=off for a module inside the workspace's tree). */
  env: Record<string, string>;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/**
 * Copies the fixtures into `dest` with only the files that build for `target`, constraints
 * blanked and file-name suffixes neutralised, so that a GOARCH=386 build compiles exactly
 * the target's code (32-bit layouts are the same; the arm build below checks that). Returns
 * the map from materialised to original relative paths.
 */
function materialize(src: Group, target: Target, dest: string): Map<string, string> {
  const names = new Map<string, string>();
  const r = runGo(['list', '-e', '-f', '{{.Dir}}\t{{join .GoFiles "\t"}}\t{{if .Error}}ERROR {{.Error}}{{end}}', ...src.patterns], {
    cwd: src.root,
    env: { ...goEnvFor(target), ...src.env },
    timeoutMs: 300_000,
  });
  if (r.status !== 0) throw new Error(`go list for ${target.id}: ${r.stderr}`);
  const keep = new Set<string>();
  for (const line of r.stdout.split('\n')) {
    if (!line.trim()) continue;
    const [dir, ...files] = line.split('\t');
    const err = files.find((f) => f.startsWith('ERROR '));
    if (err) throw new Error(`go list for ${target.id}: ${err}`);
    for (const f of files) if (f) keep.add(path.join(dir, f));
  }
  fs.rmSync(dest, { recursive: true, force: true });
  fs.cpSync(src.root, dest, { recursive: true });
  for (const full of listFiles(dest)) {
    const rel = path.relative(dest, full);
    if (!rel.endsWith('.go') || rel.split(path.sep).includes('vendor')) continue;
    const orig = path.join(src.root, rel);
    if (!keep.has(orig)) {
      fs.rmSync(full);
      continue;
    }
    const base = path.basename(rel, '.go').replace(/_/g, '-');
    const to = path.join(path.dirname(full), base + '.go');
    fs.writeFileSync(to, unconstrained(fs.readFileSync(full, 'utf8')));
    if (to !== full) fs.rmSync(full);
    names.set(path.relative(dest, to).split(path.sep).join('/'), rel.split(path.sep).join('/'));
  }
  return names;
}

interface OracleRun {
  sites: OracleSite[];
  cases: OracleCase[];
  results: Map<number, CaseResult>;
  layouts: LayoutLine[];
  names: Map<string, string>;
  skipped: string[];
}

/** Prepares, builds for 386 and runs the oracle of one group for one target. */
function runOracle(src: Group, target: Target, dest: string): OracleRun {
  const names = materialize(src, target, dest);
  const out = path.join(dest, 'oracle.json');
  const env386 = { GOOS: 'linux', GOARCH: '386', CGO_ENABLED: '0', ...src.env };
  const h = runGo(['run', '.', '-root', dest, '-out', out, ...src.patterns], { cwd: helperDir, env: env386, timeoutMs: 600_000 });
  if (h.status !== 0) throw new Error(`atomicoracle for ${target.id}: ${h.stderr}`);
  const prepared = JSON.parse(fs.readFileSync(out, 'utf8')) as { sites: OracleSite[]; cases: OracleCase[]; skipped: string[] };
  const t = runGo(['test', '-v', '-count=1', '-run', '^TestCrossvet', ...src.patterns], { cwd: dest, env: env386, timeoutMs: 900_000 });
  const results = new Map<number, CaseResult>();
  const layouts: LayoutLine[] = [];
  for (const line of t.stdout.split('\n')) {
    const m = /^CROSSVET-(ORACLE|LAYOUT) (.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === 'ORACLE') {
      const res = JSON.parse(m[2]) as CaseResult;
      results.set(res.case, res);
    } else layouts.push(JSON.parse(m[2]) as LayoutLine);
  }
  if (t.status !== 0) throw new Error(`go test (GOARCH=386, files of ${target.id}) failed:\n${t.stdout.slice(-3000)}\n${t.stderr.slice(-3000)}`);
  if (target.goarch !== '386') assertSameLayouts(src, target, dest, layouts);
  return { ...prepared, results, layouts, names };
}

/**
 * The runs above execute the target's code as a 386 binary. That says what happens on the
 * target only if every struct has the same layout there: a build for the target itself,
 * with constant assertions of the 386 numbers, proves it.
 */
function assertSameLayouts(src: Group, target: Target, dest: string, layouts: LayoutLine[]): void {
  const env = { ...goEnvFor(target), ...src.env };
  const r = runGo(['list', '-e', '-f', '{{.ImportPath}} {{.Name}} {{.Dir}}', ...src.patterns], { cwd: dest, env });
  const dirs = new Map<string, { name: string; dir: string }>();
  for (const l of r.stdout.trim().split('\n')) {
    const [ip, name, dir] = l.split(' ');
    dirs.set(ip, { name, dir });
  }
  const byPkg = new Map<string, string[]>();
  let n = 0;
  for (const l of layouts) {
    const dot = l.type.lastIndexOf('.');
    const pkg = l.type.slice(0, dot);
    const typ = l.type.slice(dot + 1);
    const lines = byPkg.get(pkg) ?? [];
    const v = `crossvetAssert${n++}`;
    lines.push(`var ${v} ${typ}`);
    const eq = (expr: string, want: number) => lines.push(`var _ [${expr} - ${want}]byte`, `var _ [${want} - ${expr}]byte`);
    eq(`unsafe.Sizeof(${v})`, l.size);
    eq(`unsafe.Alignof(${v})`, l.align);
    for (const [f, o] of Object.entries(l.offsets)) eq(`unsafe.Offsetof(${v}.${f})`, o);
    byPkg.set(pkg, lines);
  }
  for (const [pkg, lines] of byPkg) {
    const d = dirs.get(pkg);
    if (!d) throw new Error(`no directory for ${pkg}`);
    fs.writeFileSync(path.join(d.dir, 'crossvet_assert_gen.go'), `package ${d.name}\n\nimport "unsafe"\n\n${lines.join('\n')}\n`);
  }
  // Building several packages without -o only compiles them, which is all the assertions need.
  const b = runGo(['build', '-gcflags=-e', ...src.patterns], { cwd: dest, env, timeoutMs: 600_000 });
  if (b.status !== 0) throw new Error(`layouts on ${target.id} differ from 386's:\n${b.stderr.slice(0, 4000)}`);
}

/** Turns a run's raw results into verdicts per fixture. */
function verdicts(run: OracleRun, fixtureOf: (rel: string) => { fixture: string; rel: string }): Map<string, Verdicts> {
  const out = new Map<string, Verdicts>();
  const get = (f: string) => {
    let v = out.get(f);
    if (!v) out.set(f, (v = { sites: new Map(), unreached: [], misplaced: new Map(), disagreements: [] }));
    return v;
  };
  const orig = (p: string) => fixtureOf(run.names.get(p) ?? p);
  const casesByKey = new Map(run.cases.map((c) => [c.key, c]));
  for (const site of run.sites) {
    const { fixture, rel } = orig(site.file);
    const key = `${rel}:${site.line}:${site.col}`;
    // Only cases that call the site's own function decide it; another function may hand it
    // a pointer into the middle of some struct (that is what path cases judge).
    const own = run.cases.filter((c) => c.kind === 'func' && c.pkg === site.pkg && c.func === site.func);
    let misaligned = false;
    let reached = false;
    let why = '';
    // Every run executes on 386, where And and Or never check alignment (LOCK CMPXCHG8B takes
    // any address; on arm and mips they go through Cas64, which does): for them the measured
    // address decides. Every other function must panic exactly when the address is off.
    const panicsWhenOff = !/^(And|Or)/.test(site.op);
    // An address handed to a function ("call:F"): misaligned when it is off and the case then
    // panics inside F's atomic call.
    const handed = site.op.startsWith('call:');
    for (const c of own) {
      const r = run.results.get(c.id);
      if (!r) continue;
      const id = String(site.id);
      if (r.reached[id]) reached = true;
      const offHere = (r.misaligned?.[id] ?? 0) > 0;
      const panicked = handed ? offHere && r.unaligned : r.unaligned && r.last === site.id;
      const off = handed ? panicked : offHere;
      if (panicked || off) {
        misaligned = true;
        why = panicked ? `${c.text} panics` : `${c.text} passes an address that is not 8-byte aligned`;
      } else if (!why && r.panic) why = `${c.text}: ${r.panic}`;
      if (panicsWhenOff && off !== panicked) get(orig(site.file).fixture).disagreements.push(`${site.file}:${site.line}: ${c.text}: panic ${panicked}, misaligned address ${off}`);
    }
    // A function that runs to completion without reaching the call (a run-time platform test
    // skips it) proves that the call does not happen on this target.
    const skipped = own.length > 0 && own.every((c) => run.results.get(c.id) && !run.results.get(c.id)!.panic);
    if (reached) get(fixture).sites.set(key, { misaligned, site, why: why || 'runs without panic' });
    else if (skipped) get(fixture).sites.set(key, { misaligned: false, site, why: `${own[0].text} returns without performing it` });
    else if (!handed) get(fixture).unreached.push(`${key} (${site.func}) ${why || 'no case reaches it'}`);
  }
  for (const c of run.cases) {
    if (c.kind !== 'path' || !c.suffix || !c.fields?.length) continue;
    const r = run.results.get(c.id);
    const s = casesByKey.get(c.suffix);
    const rs = s && run.results.get(s.id);
    if (!r?.unaligned || !rs || rs.unaligned) continue;
    const { fixture, rel } = orig(c.fields[0].file);
    get(fixture).misplaced.set(`${rel}:${c.fields[0].line}`, `${c.text} panics, ${s!.text} does not`);
  }
  return out;
}

describe.runIf(hasGo)('atomic-alignment fixtures against the toolchain', () => {
  const fixturesDir = path.join(repo, 'fixtures');
  const names = fs.readdirSync(fixturesDir).filter((n) => n.startsWith('atomic-') && fs.existsSync(path.join(fixturesDir, n, 'go.mod'))).sort();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-atomic-oracle-'));
  const targetsOf = new Map(names.map((n) => [n, parseTargets(fixtureTargets(fs.readFileSync(path.join(fixturesDir, n, 'go.mod'), 'utf8')))]));
  /** fixture → target id → verdicts */
  const oracle = new Map<string, Map<string, Verdicts>>();
  const findings = new Map<string, Diagnostic[]>();

  beforeAll(async () => {
    // The originals, copied: the non-vendored fixtures as one workspace, each vendored one alone.
    const origRoot = path.join(tmp, 'orig');
    fs.mkdirSync(origRoot, { recursive: true });
    for (const n of names) fs.cpSync(path.join(fixturesDir, n), path.join(origRoot, n), { recursive: true });
    const vendored = names.filter((n) => fs.existsSync(path.join(fixturesDir, n, 'vendor')));
    const plain = names.filter((n) => !vendored.includes(n));
    const all32 = new Map<string, Target>();
    for (const ts of targetsOf.values()) for (const t of ts) if (t.int64Align === 4) all32.set(t.id, t);
    for (const target of all32.values()) {
      const slug = target.id.replace(/\//g, '-');
      const groups: Group[] = [];
      const ws = plain.filter((n) => targetsOf.get(n)!.some((t) => t.id === target.id));
      if (ws.length) {
        fs.writeFileSync(path.join(origRoot, 'go.work'), `go 1.23\n\nuse (\n${ws.map((n) => `\t./${n}`).join('\n')}\n)\n`);
        groups.push({ root: origRoot, fixtures: ws, prefix: (f) => f, patterns: ws.map((n) => `./${n}/...`), env: {} });
      }
      for (const n of vendored.filter((v) => targetsOf.get(v)!.some((t) => t.id === target.id))) {
        groups.push({ root: path.join(origRoot, n), fixtures: [n], prefix: () => '', patterns: ['./...'], env: { GOWORK: 'off' } });
      }
      for (const g of groups) {
        const dest = path.join(tmp, slug, g.fixtures.length === 1 && g.prefix(g.fixtures[0]) === '' ? g.fixtures[0] : 'ws');
        // go.work must only list what is copied; the vendored modules are left out of it.
        const run = runOracle(g, target, dest);
        const fixtureOf = (rel: string) => {
          if (g.prefix(g.fixtures[0]) === '') return { fixture: g.fixtures[0], rel };
          const [first, ...rest] = rel.split('/');
          return { fixture: first, rel: rest.join('/') };
        };
        for (const [f, v] of verdicts(run, fixtureOf)) {
          if (!oracle.has(f)) oracle.set(f, new Map());
          oracle.get(f)!.set(target.id, v);
        }
      }
    }
    fs.rmSync(path.join(origRoot, 'go.work'), { force: true });
    for (const n of names) {
      const opts: CheckOptions = {
        cwd: path.join(fixturesDir, n),
        paths: ['./...'],
        targets: fixtureTargets(fs.readFileSync(path.join(fixturesDir, n, 'go.mod'), 'utf8')),
        tags: [],
        cgo: 'auto',
        tests: true,
        rules: ['atomic-alignment'],
        disable: [],
        cache: false,
        workers: 0,
      };
      const res = await check(opts);
      findings.set(n, res.findings);
    }
  }, 1_800_000);

  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('performs every atomic call of the fixtures on each 32-bit target', () => {
    const count = new Map<string, { performed: number; misaligned: number; fields: number; unreached: number }>();
    for (const perTarget of oracle.values()) {
      for (const [t, v] of perTarget) {
        const c = count.get(t) ?? { performed: 0, misaligned: 0, fields: 0, unreached: 0 };
        c.performed += v.sites.size;
        c.misaligned += [...v.sites.values()].filter((s) => s.misaligned).length;
        c.fields += v.misplaced.size;
        c.unreached += v.unreached.length;
        count.set(t, c);
      }
    }
    for (const [t, c] of count) console.log(`${t}: ${c.performed} atomic calls and handed-over addresses performed, ${c.misaligned} misaligned, ${c.fields} misplaced fields`);
    expect(count.get('linux/386')?.performed).toBeGreaterThan(100);
    expect([...count.values()].every((c) => c.unreached === 0)).toBe(true);
  });

  it('has at least 40 fixtures', () => {
    expect(names.length).toBeGreaterThanOrEqual(40);
  });

  it.each(names)('%s: every finding is what the toolchain does, and every want is a finding', (name) => {
    const dir = path.join(fixturesDir, name);
    const problems: string[] = [];
    const diags = findings.get(name) ?? [];
    const rel = (f: string) => path.relative(dir, f).split(path.sep).join('/');
    const targets32 = targetsOf.get(name)!.filter((t) => t.int64Align === 4);
    for (const d of diags) {
      const bad = d.targets.filter((t) => !targets32.some((x) => x.id === t));
      if (bad.length) problems.push(`${rel(d.file)}:${d.span.start.line}: reported for 64-bit targets ${bad.join(', ')}`);
    }
    const perTarget = oracle.get(name) ?? new Map<string, Verdicts>();
    const misalignedLines = new Set<string>();
    for (const t of targets32) {
      const v = perTarget.get(t.id);
      if (!v) continue; // nothing of the fixture builds for t
      for (const u of v.unreached) problems.push(`${t.id}: atomic call ${u}: the oracle never performed it`);
      for (const d of v.disagreements) problems.push(`${t.id}: ${d}`);
      for (const [key, s] of v.sites) {
        const [file, line, col] = key.split(':');
        const here = diags.filter((d) => rel(d.file) === file && d.span.start.line === Number(line) && d.span.start.col === Number(col));
        const reported = here.some((d) => d.targets.includes(t.id));
        if (s.misaligned) misalignedLines.add(`${file}:${line}`);
        if (s.misaligned && !reported) problems.push(`${t.id}: ${key} panics (${s.why}) but is not reported`);
        if (!s.misaligned && reported) problems.push(`${t.id}: ${key} is reported but runs without panic`);
      }
      for (const [key, why] of v.misplaced) {
        misalignedLines.add(key);
        const [file, line] = key.split(':');
        if (!diags.some((d) => rel(d.file) === file && d.span.start.line === Number(line) && d.targets.includes(t.id))) problems.push(`${t.id}: field at ${key} is misplaced (${why}) but not reported`);
      }
      // A finding that is neither at a performed call nor at a misplaced field has no proof.
      for (const d of diags.filter((x) => x.targets.includes(t.id))) {
        const at = `${rel(d.file)}:${d.span.start.line}`;
        const atSite = v.sites.has(`${at}:${d.span.start.col}`) && v.sites.get(`${at}:${d.span.start.col}`)!.misaligned;
        if (!atSite && !v.misplaced.has(at)) problems.push(`${t.id}: ${at}: "${d.message}" is not confirmed by the toolchain`);
      }
    }
    // The wants say the same as the toolchain.
    const wantLines = new Set<string>();
    for (const f of listFiles(dir).filter((p) => p.endsWith('.go') && !p.includes(`${path.sep}vendor${path.sep}`))) {
      for (const w of parseWants(rel(f), fs.readFileSync(f, 'utf8'))) if (w.rule === 'atomic-alignment' && w.line) wantLines.add(`${rel(f)}:${w.line}`);
    }
    for (const l of wantLines) if (!misalignedLines.has(l)) problems.push(`want at ${l} is not confirmed misaligned by the toolchain`);
    for (const l of misalignedLines) if (!wantLines.has(l)) problems.push(`${l} is misaligned per the toolchain but has no want`);
    expect(problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// The fix: moving the field to the top must make the toolchain happy.

function applyEdits(text: string, edits: { span: { start: { line: number; col: number }; end: { line: number; col: number } }; text: string }[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const off = (p: { line: number; col: number }) => starts[p.line - 1] + p.col - 1;
  const sorted = [...edits].sort((a, b) => off(b.span.start) - off(a.span.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.span.start)) + e.text + out.slice(off(e.span.end));
  return out;
}

describe.runIf(hasGo)('atomic-alignment fixes', () => {
  const fixturesDir = path.join(repo, 'fixtures');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-atomic-fix-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('moving the field first compiles, silences the finding, and the atomic operation no longer panics', async () => {
    const names = fs.readdirSync(fixturesDir).filter((n) => n.startsWith('atomic-') && !fs.existsSync(path.join(fixturesDir, n, 'vendor'))).sort();
    const src = path.join(tmp, 'src');
    const fixed: { fixture: string; file: string; line: number; col: number; kind: 'site' | 'field'; newLine?: number; targets: string[] }[] = [];
    const patched: string[] = [];
    for (const n of names) {
      const res = await check({ cwd: path.join(fixturesDir, n), paths: ['./...'], targets: fixtureTargets(fs.readFileSync(path.join(fixturesDir, n, 'go.mod'), 'utf8')), tags: [], cgo: 'auto', tests: true, rules: ['atomic-alignment'], disable: [], cache: false, workers: 0 });
      // One fix per struct: two moves in the same struct would overlap.
      const chosen = new Map<string, (typeof res.findings)[number]>();
      for (const d of res.findings) {
        const fix = d.fixes?.[0];
        if (!fix) continue;
        const key = `${fix.edits[0].file}:${fix.edits[0].span.start.line}`;
        if (!chosen.has(key)) chosen.set(key, d);
      }
      if (chosen.size === 0) continue;
      const dest = path.join(src, n);
      fs.cpSync(path.join(fixturesDir, n), dest, { recursive: true });
      const byFile = new Map<string, { span: Diagnostic['span']; text: string }[]>();
      for (const d of chosen.values()) {
        const edits = d.fixes![0].edits;
        for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
        const rel = path.relative(path.join(fixturesDir, n), d.file).split(path.sep).join('/');
        const ins = edits[0];
        const isField = d.message.includes('with 64-bit atomics (');
        fixed.push({ fixture: n, file: rel, line: d.span.start.line, col: d.span.start.col, kind: isField ? 'field' : 'site', newLine: ins.span.start.line + ins.text.split('\n').length - 2, targets: d.targets });
      }
      for (const [file, edits] of byFile) {
        const target = path.join(dest, path.relative(path.join(fixturesDir, n), file));
        fs.writeFileSync(target, applyEdits(fs.readFileSync(target, 'utf8'), edits));
      }
      patched.push(n);
    }
    expect(fixed.length).toBeGreaterThan(10);
    fs.writeFileSync(path.join(src, 'go.work'), `go 1.23\n\nuse (\n${patched.map((n) => `\t./${n}`).join('\n')}\n)\n`);
    // The two 32-bit targets nearly every fixture names; building and running the patched code
    // for them also proves that it still compiles.
    const targetIds = ['linux/386', 'linux/arm/v6'];
    const group: Group = { root: src, fixtures: patched, prefix: (f) => f, patterns: patched.map((n) => `./${n}/...`), env: {} };
    const problems: string[] = [];
    for (const id of targetIds) {
      const target = parseTargets(id)[0];
      const run = runOracle(group, target, path.join(tmp, `run-${id.replace(/\//g, '-')}`));
      const v = verdicts(run, (rel) => {
        const [first, ...rest] = rel.split('/');
        return { fixture: first, rel: rest.join('/') };
      });
      for (const f of fixed.filter((x) => x.targets.includes(id))) {
        const fv = v.get(f.fixture);
        if (f.kind === 'site') {
          const s = fv?.sites.get(`${f.file}:${f.line}:${f.col}`);
          if (!s) problems.push(`${id}: ${f.fixture}/${f.file}:${f.line}: not performed after the fix`);
          else if (s.misaligned) problems.push(`${id}: ${f.fixture}/${f.file}:${f.line}: still misaligned after the fix (${s.why})`);
        } else if (fv?.misplaced.has(`${f.file}:${f.newLine}`)) problems.push(`${id}: ${f.fixture}/${f.file}:${f.newLine}: field still misplaced after the fix`);
      }
    }
    for (const f of fixed) {
      const after = await check({ cwd: path.join(src, f.fixture), paths: ['./...'], targets: fixtureTargets(fs.readFileSync(path.join(src, f.fixture, 'go.mod'), 'utf8')), tags: [], cgo: 'auto', tests: true, rules: ['atomic-alignment'], disable: [], cache: false, workers: 0 });
      const line = f.kind === 'site' ? f.line : f.newLine!;
      if (after.findings.some((d) => path.relative(path.join(src, f.fixture), d.file).split(path.sep).join('/') === f.file && d.span.start.line === line)) problems.push(`${f.fixture}/${f.file}:${line}: still reported after the fix`);
    }
    expect(problems).toEqual([]);
  }, 900_000);
});

// ---------------------------------------------------------------------------
// No guessing: what cannot be resolved is not reported, and is counted.

describe('unresolved types', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-atomic-unresolved-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reports nothing through a type it cannot resolve, and says how many accesses it did not check', async () => {
    fs.writeFileSync(path.join(tmp, 'go.mod'), 'module example.com/unres\n\ngo 1.23\n\nrequire example.com/missing v1.0.0\n');
    fs.writeFileSync(
      path.join(tmp, 'u.go'),
      [
        'package unres',
        '',
        'import (',
        '\t"sync/atomic"',
        '',
        '\t"example.com/missing/dep"',
        ')',
        '',
        'type S struct {',
        '\td dep.Thing',
        '\tn int64',
        '}',
        '',
        'func (s *S) Inc() { atomic.AddInt64(&s.n, 1) }',
        '',
        'func Add(p *int64) { atomic.AddInt64(p, 1) }',
        '',
        'type T struct {',
        '\tn int64',
        '\td dep.Thing',
        '}',
        '',
        '// Fields before the unknown one still have known offsets.',
        'func (t *T) Inc() { atomic.AddInt64(&t.n, 1) }',
        '',
      ].join('\n'),
    );
    const res = await check({ cwd: tmp, paths: ['./...'], targets: 'linux/386,linux/amd64', tags: [], cgo: 'auto', tests: true, rules: ['atomic-alignment'], disable: [], cache: false, workers: 0 });
    expect(res.findings).toEqual([]);
    const note = res.notifications.find((n) => n.id === 'atomic-unchecked');
    expect(note?.message).toMatch(/^atomic-alignment: 1 64-bit atomic access not checked: unresolved types: .*example\.com\/missing\/dep.*\(1\); 1 more uses a pointer made elsewhere/);
  });
});

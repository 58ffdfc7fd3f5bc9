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

// Property test: random build constraint lines, judged by our parser and by Go's own
// go/build/constraint (through test/go/constraintoracle). Every answer must agree.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runGo, safeGoEnv } from '../src/goenv';
import { readHeader } from '../src/constraints/header';
import { contextFor, fileBuilds } from '../src/constraints/match';
import { parseTarget } from '../src/targets';
import {
  ConstraintSyntaxError, evalExpr, exprString, goVersion, isGoBuild, isPlusBuild, parse, plusBuildLines,
} from '../src/constraints/expr';

const ORACLE_DIR = path.resolve(__dirname, 'go', 'constraintoracle');
const SEED = 0x5eed2026;
const RANDOM_LINES = 12_000;

interface Verdict {
  isGoBuild: boolean;
  isPlusBuild: boolean;
  ok: boolean;
  err?: string;
  offset: number;
  syntax: boolean;
  string?: string;
  evals?: boolean[];
  seen?: string[][];
  plusLines?: string[];
  plusErr?: string;
  goVersion: string;
}

// The oracle's tag sets, in the same order (see constraintoracle/main.go).
const inSet = (...tags: string[]) => (t: string) => tags.includes(t);
const TAG_SETS: Array<(t: string) => boolean> = [
  () => false,
  inSet('linux', 'amd64', 'unix', 'cgo', 'gc', 'go1.21', 'go1.1'),
  inSet('windows', '386', 'go1.1', 'go1.99', 'foo', 'a', 'b_c', 'x.y'),
  (t) => Buffer.byteLength(t, 'utf8') % 2 === 1, // Go's len() counts bytes
];

/** mulberry32: a small seeded PRNG, so every run tests the same lines. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TAGS = [
  'linux', 'amd64', 'windows', '386', 'unix', 'cgo', 'gc', 'go1.21', 'go1.1', 'go1.99', 'go1', 'go1.', 'go1.007',
  'xgo1.5', 'go1.5.1', 'go1.9999999999999999999', 'a', 'b_c', 'x.y', 'foo', 'ignore', '_', '.', '..', '1', 'ä', '日本',
  'Ωmega', '١٢٣', 'ǅx', 'ß', '\u{1e5d0}', '\u{16100}', '\u{10d40}', 'a\u0301', 'ⅷ', '²', '\u{1d7ce}',
];
const GO_OPS = ['!', '&&', '||', '(', ')', ' ', ' ', ' ', '\t', '&', '|', '!!', ',', '&&&', '|||'];
const BAD = ['-', '+', '@', '#', '$', '"', '\u00a0', '\u0085', '\u2000', '\u3000', '\ufeff', '\r', '\v', '\f', '€', '\u0301', '\u{1f600}', '\ud800', '/', '\\', '\n'];
const PREFIXES = [
  '//go:build ', '//go:build ', '//go:build ', '// +build ', '// +build ', '//+build ', '//go:build', '//go:build\t',
  '//go:build\u00a0', '//go:build\u0085', '//go:build\ufeff', '// go:build ', '//go:buildx ', '//go:build_ ', '// +buildx ',
  '//  +build ', '//\t+build\t', '// +build', ' //go:build ', ' // +build ', '/* +build */ ', '//go:Build ', '// +Build ',
  '//\u2003+build ', '//go:build ', '',
];
const SUFFIXES = ['', '', '', '', '\n', ' ', '\t', '\r', '\n\n', '\u00a0', '\u0085', ' \n', '\r\n', '\u2028'];

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)];
}

/** A mostly well-formed //go:build expression. */
function goExpr(rnd: () => number, depth: number): string {
  const r = rnd();
  if (depth > 4 || r < 0.35) return (rnd() < 0.2 ? '!' : '') + pick(rnd, TAGS);
  if (r < 0.5) return '!(' + goExpr(rnd, depth + 1) + ')';
  if (r < 0.6) return '(' + goExpr(rnd, depth + 1) + ')';
  const op = rnd() < 0.5 ? '&&' : '||';
  const sp = () => pick(rnd, ['', ' ', ' ', '  ', '\t']);
  return goExpr(rnd, depth + 1) + sp() + op + sp() + goExpr(rnd, depth + 1);
}

/** A mostly well-formed +build expression: space-separated ORs of comma-separated ANDs. */
function plusExpr(rnd: () => number): string {
  const clauses: string[] = [];
  const n = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) {
    const lits: string[] = [];
    const m = 1 + Math.floor(rnd() * 3);
    for (let j = 0; j < m; j++) lits.push(pick(rnd, ['', '', '', '!', '!!', '!']) + pick(rnd, TAGS));
    clauses.push(lits.join(pick(rnd, [',', ',', ',,', ', '])));
  }
  return clauses.join(pick(rnd, [' ', ' ', '  ', '\t', '\u00a0', '\u2000']));
}

/** Random tokens: operators, tags, bad characters. */
function soup(rnd: () => number): string {
  const n = Math.floor(rnd() * 12);
  let s = '';
  for (let i = 0; i < n; i++) {
    const r = rnd();
    s += r < 0.45 ? pick(rnd, TAGS) : r < 0.85 ? pick(rnd, GO_OPS) : pick(rnd, BAD);
  }
  return s;
}

function mutate(rnd: () => number, s: string): string {
  if (s === '' || rnd() < 0.6) return s;
  const at = Math.floor(rnd() * s.length);
  const r = rnd();
  if (r < 0.4) return s.slice(0, at) + pick(rnd, [...GO_OPS, ...BAD]) + s.slice(at);
  if (r < 0.7) return s.slice(0, at) + s.slice(at + 1);
  return s.slice(0, at) + pick(rnd, TAGS) + s.slice(at);
}

function generate(): string[] {
  const rnd = prng(SEED);
  const lines: string[] = [];
  for (let i = 0; i < RANDOM_LINES; i++) {
    // Mostly a body of the syntax its prefix announces; now and then any prefix with any body.
    const r = rnd();
    let prefix: string;
    let body: string;
    if (r < 0.45) [prefix, body] = [rnd() < 0.8 ? '//go:build ' : pick(rnd, PREFIXES), goExpr(rnd, 0)];
    else if (r < 0.75) [prefix, body] = [rnd() < 0.7 ? pick(rnd, ['// +build ', '//+build ']) : pick(rnd, PREFIXES), plusExpr(rnd)];
    else [prefix, body] = [pick(rnd, PREFIXES), rnd() < 0.5 ? soup(rnd) : goExpr(rnd, 0)];
    lines.push(prefix + mutate(rnd, body) + pick(rnd, SUFFIXES));
  }
  // The size limits, which random lines of this length never reach.
  const terms = (n: number, sep: string) => Array.from({ length: n }, (_, i) => `t${i}`).join(sep);
  for (const n of [499, 500, 501, 999, 1000, 1001]) {
    lines.push('//go:build ' + terms(n, ' || '));
    lines.push('//go:build ' + '('.repeat(n) + 'x' + ')'.repeat(n));
    lines.push('//go:build ' + '!('.repeat(n) + 'x' + ')'.repeat(n));
  }
  for (const n of [50, 100, 101, 102]) {
    lines.push('// +build ' + terms(n, ' '));
    lines.push('// +build ' + terms(n, ','));
    lines.push('// +build ' + terms(n / 2, ',') + ' ' + terms(n / 2, ','));
  }
  // PlusBuildLines on forms it must refuse or rewrite.
  lines.push('//go:build (a || b) && (c || d)', '//go:build !(a || b)', '//go:build !(a && b) || c', '//go:build (a && (b || c)) || d');
  return lines;
}

interface Ours {
  isGoBuild: boolean;
  isPlusBuild: boolean;
  ok: boolean;
  err?: string;
  offset?: number;
  string?: string;
  evals?: boolean[];
  seen?: string[][];
  plusLines?: string[];
  plusErr?: string;
  goVersion?: string;
}

function ours(line: string): Ours {
  const v: Ours = { isGoBuild: isGoBuild(line), isPlusBuild: isPlusBuild(line), ok: false };
  try {
    const x = parse(line);
    v.ok = true;
    v.string = exprString(x);
    v.evals = [];
    v.seen = [];
    for (const set of TAG_SETS) {
      const seen: string[] = [];
      v.evals.push(evalExpr(x, (t) => (seen.push(t), set(t))));
      v.seen.push(seen);
    }
    try {
      v.plusLines = plusBuildLines(x);
    } catch (e) {
      if (!(e instanceof ConstraintSyntaxError)) throw e;
      v.plusErr = e.message;
    }
    v.goVersion = goVersion(x);
  } catch (e) {
    if (!(e instanceof ConstraintSyntaxError)) throw e;
    v.err = e.message;
    v.offset = e.offset;
  }
  return v;
}

function disagreement(line: string, want: Verdict, got: Ours): string | undefined {
  const diffs: string[] = [];
  const cmp = (what: string, w: unknown, g: unknown) => {
    if (JSON.stringify(w) !== JSON.stringify(g)) diffs.push(`${what}: go=${JSON.stringify(w)} ours=${JSON.stringify(g)}`);
  };
  cmp('isGoBuild', want.isGoBuild, got.isGoBuild);
  cmp('isPlusBuild', want.isPlusBuild, got.isPlusBuild);
  cmp('ok', want.ok, got.ok);
  if (want.ok && got.ok) {
    cmp('String', want.string, got.string);
    cmp('Eval', want.evals, got.evals);
    cmp('tags seen by Eval', want.seen?.map((s) => s ?? []), got.seen);
    cmp('PlusBuildLines', want.plusLines ?? null, got.plusLines ?? null);
    cmp('PlusBuildLines error', want.plusErr ?? null, got.plusErr ?? null);
    cmp('GoVersion', want.goVersion, got.goVersion);
  } else if (!want.ok && !got.ok) {
    cmp('error', want.err, got.err);
    if (want.syntax) cmp('error offset', want.offset, got.offset);
  }
  return diffs.length ? `${JSON.stringify(line)}\n    ${diffs.join('\n    ')}` : undefined;
}

describe('build constraint expressions agree with go/build/constraint', () => {
  const bin = path.join(os.tmpdir(), `crossvet-constraintoracle-${process.pid}${process.platform === 'win32' ? '.exe' : ''}`);

  beforeAll(() => {
    const r = runGo(['build', '-o', bin, '.'], { cwd: ORACLE_DIR, env: { GOFLAGS: '-mod=mod', GOWORK: 'off' } });
    if (r.status !== 0) throw new Error(`building the constraint oracle failed: ${r.error?.message ?? ''}${r.stderr}`);
  });
  afterAll(() => fs.rmSync(bin, { force: true }));

  it('on 12,000 random lines and the size limits', () => {
    const lines = generate();
    const input = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
    const r = spawnSync(bin, [], { input, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: safeGoEnv() });
    expect(r.status, r.stderr).toBe(0);
    const verdicts = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Verdict);
    expect(verdicts.length).toBe(lines.length);

    const problems: string[] = [];
    let parsed = 0;
    let failed = 0;
    let goLines = 0;
    let plusLines = 0;
    lines.forEach((line, i) => {
      const want = verdicts[i];
      if (want.ok) parsed++;
      else failed++;
      if (want.isGoBuild) goLines++;
      if (want.isPlusBuild) plusLines++;
      const d = disagreement(line, want, ours(line));
      if (d) problems.push(d);
    });
    // The generator must reach every kind of outcome, or the agreement means little.
    console.log(`constraint property test: ${lines.length} lines, ${goLines} //go:build, ${plusLines} +build, ${parsed} parsed, ${failed} rejected, ${problems.length} disagreements`);
    expect(parsed).toBeGreaterThan(3000);
    expect(failed).toBeGreaterThan(3000);
    expect(goLines).toBeGreaterThan(3000);
    expect(plusLines).toBeGreaterThan(2000);
    if (problems.length) console.log(problems.slice(0, 50).join('\n'));
    expect(problems).toEqual([]);
  });
});

describe('readHeader never fails on damaged input', () => {
  it('on 4,000 mutated corpus files and random byte strings', () => {
    const corpus = path.resolve(__dirname, '..', 'fixtures', 'constraints-corpus');
    const seeds: Buffer[] = [];
    const walk = (dir: string) => {
      for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, d.name);
        if (d.isDirectory()) walk(p);
        else if (d.name.endsWith('.go')) seeds.push(fs.readFileSync(p));
      }
    };
    walk(corpus);
    expect(seeds.length).toBeGreaterThan(100);
    // Bytes that matter to the header reader, the Go scanner and UTF-8 decoding.
    const special = [0x00, 0x0a, 0x0d, 0x20, 0x09, 0x2f, 0x2a, 0x22, 0x60, 0x27, 0x5c, 0x3b, 0x28, 0x29, 0x2e, 0xef, 0xbb, 0xbf, 0xff, 0xfe, 0xc2, 0x85, 0xe2, 0x80, 0xa8, 0x69, 0x70];
    const rnd = prng(SEED ^ 0xbad);
    const contexts = ['linux/amd64', 'windows/386', 'js/wasm'].map((id) => contextFor(parseTarget(id), { cgo: 'on' }));
    let withError = 0;
    for (let n = 0; n < 4000; n++) {
      let bytes: number[];
      if (n % 5 === 4) {
        bytes = Array.from({ length: Math.floor(rnd() * 200) }, () => (rnd() < 0.5 ? pick(rnd, special) : Math.floor(rnd() * 256)));
      } else {
        bytes = [...pick(rnd, seeds)];
        const edits = 1 + Math.floor(rnd() * 4);
        for (let e = 0; e < edits; e++) {
          const at = Math.floor(rnd() * (bytes.length + 1));
          const r = rnd();
          const b = rnd() < 0.7 ? pick(rnd, special) : Math.floor(rnd() * 256);
          if (r < 0.4) bytes.splice(at, 0, b);
          else if (r < 0.7) bytes.splice(at, 1);
          else bytes[Math.min(at, Math.max(0, bytes.length - 1))] = b;
        }
      }
      const buf = Buffer.from(bytes);
      const h = readHeader(buf);
      if (h.error !== undefined || h.invalid !== undefined) withError++;
      for (const c of h.comments) expect(c.line >= 1 && c.col >= 1, JSON.stringify(c)).toBe(true);
      for (const i of h.imports) expect(i.line >= 1 && i.col >= 1 && i.endCol > i.col, JSON.stringify(i)).toBe(true);
      for (const ctx of contexts) fileBuilds('x_test.go', h, ctx, { includeTests: true });
    }
    // A string is read as its UTF-8 encoding.
    for (const seed of seeds.slice(0, 50)) {
      const text = seed.toString('utf8');
      if (Buffer.from(text, 'utf8').equals(seed)) expect(readHeader(text)).toEqual(readHeader(seed));
    }
    // The mutations must really damage headers, or this proves little.
    expect(withError).toBeGreaterThan(1000);
  });
});

// int-overflow-32bit: the constant evaluator against the Go compiler, and the rule's
// fixtures against real cross-builds.
//
// 1. Evaluator: a generated Go file declares several hundred constants. The compiler
//    (built for linux/386 and linux/amd64, with -gcflags=-e) says which declarations are
//    overflow errors on which target; the program built from the others, run natively
//    for both targets (386 binaries run here), prints each value. Our evaluator reads the
//    same file through the real syntax pass and must agree on every error and every value.
// 2. Fixtures: every fixtures/int-overflow-* module is built for each target of its
//    crossvet-args with `go build -gcflags=all=-e`; the lines where the compiler reports a
//    constant overflow must be exactly the lines of the rule's diagnostics for that target,
//    and exactly the lines of the fixture's `// want int-overflow-32bit` comments.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { goEnv, runGo } from '../src/goenv';
import { parseTarget, type Target } from '../src/targets';
import { readHeader } from '../src/constraints/header';
import { contextFor, fileBuilds } from '../src/constraints/match';
import { extractFacts } from '../src/syntax/facts';
import type { Package, SourceFile } from '../src/model/types';
import type { ConstsFacts } from '../src/consteval/ast';
import { Scopes, type Host } from '../src/consteval/scope';
import { Checker, type Problem } from '../src/consteval/checker';
import { typeString } from '../src/consteval/types';
import { roundFloat } from '../src/consteval/basic';
import { parseFloatLit, parseIntLit, parseRuneLit, parseStringLit } from '../src/consteval/literal';
import { check, type CheckOptions } from '../src/engine/check';
import { parseTargets } from '../src/targets';
import { rule } from '../rules/int-overflow-32bit';
import { parseWants } from './support/wants';
import { fixtureArgs, type FixtureArgs } from './support/fixtures';

const ROOT = path.resolve(__dirname, '..');
const HAVE_GO = goEnv() !== null;

/** A package world over plain directories and GOROOT, parsing synchronously (no engine needed). */
class DirHost implements Host {
  private texts = new Map<string, string>();
  private factsByPath = new Map<string, ConstsFacts | null>();
  private byDir = new Map<string, Package>();
  parsed = 0;

  constructor(private readonly targets: Target[]) {}

  loadDir(dir: string, importPath: string): Package {
    const hit = this.byDir.get(dir);
    if (hit) return hit;
    const files: SourceFile[] = [];
    for (const name of fs.readdirSync(dir).sort()) {
      if (!name.endsWith('.go') || name.endsWith('_test.go')) continue;
      const full = path.join(dir, name);
      const buf = fs.readFileSync(full);
      const header = readHeader(buf);
      const builds = new Set(this.targets.filter((t) => fileBuilds(name, header, contextFor(t, { cgo: 'off' }))).map((t) => t.id));
      this.texts.set(full, buf.toString('utf8'));
      files.push({ path: full, rel: name, name, dir, header, isTest: false, builds });
    }
    const pkg: Package = { dir, importPath, origin: 'scan', files };
    this.byDir.set(dir, pkg);
    return pkg;
  }

  text(f: SourceFile): string {
    return this.texts.get(f.path) ?? '';
  }

  facts(f: SourceFile): ConstsFacts | null {
    let r = this.factsByPath.get(f.path);
    if (r === undefined) {
      this.parsed++;
      const facts = extractFacts(fs.readFileSync(f.path), f.path);
      r = (facts.extras.consts as ConstsFacts | undefined) ?? null;
      this.factsByPath.set(f.path, r);
    }
    return r;
  }

  importPackage(p: string): Package | undefined {
    const dir = path.join(goEnv()!.GOROOT, 'src', p);
    return fs.existsSync(dir) ? this.loadDir(dir, p) : undefined;
  }

  packageOf(f: SourceFile): Package | undefined {
    return this.byDir.get(f.dir);
  }
}

// ---- the generated constants ------------------------------------------------------------------

type Mode = 'int' | 'float' | 'typed' | 'bool';
interface Case {
  /** Declaration text: one or more lines. */
  text: string;
  /** Names it declares, with how to print each. */
  names: { n: string; mode: Mode }[];
}

function buildCases(): Case[] {
  const cases: Case[] = [];
  let k = 0;
  const one = (expr: string, mode: Mode) => {
    const n = `c${k++}`;
    cases.push({ text: `const ${n} = ${expr}`, names: [{ n, mode }] });
  };
  const operands = ['0', '1', '-1', '7', '-7', '3', '-3', '1<<40', '-(1<<40)', '1<<63', '1<<64 - 1', '123456789012345678901234567890', '-98765432109876543210', '0x7fffffff', '0b1011', '0o17', '017', '1_000_000'];
  const ops = ['+', '-', '*', '/', '%', '&', '|', '^', '&^'];
  // Every operator with a spread of operand pairs (all pairs would be 2,900 lines).
  let i = 0;
  for (const a of operands) {
    for (const b of operands) {
      const op = ops[i++ % ops.length];
      if ((op === '/' || op === '%') && b === '0') continue;
      one(`(${a}) ${op} (${b})`, 'int');
    }
  }
  for (const a of ['1', '-1', '5', '-5', '3', '1<<70', '-(1<<70)', '0x1234']) {
    for (const s of ['0', '1', '7', '31', '32', '33', '63', '64', '65', '100', '200']) {
      one(`(${a}) << ${s}`, 'int');
      one(`(${a}) >> ${s}`, 'int');
    }
  }
  for (const a of operands) {
    one(`^(${a})`, 'int');
    one(`-(${a})`, 'int');
  }
  const types = ['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'int', 'uint', 'uintptr', 'byte', 'rune'];
  const values = ['0', '1', '-1', '127', '128', '255', '256', '32767', '-32768', '1<<31 - 1', '1<<31', '-(1<<31)', '-(1<<31) - 1', '1<<32 - 1', '1<<32', '1<<63 - 1', '1<<63', '-(1<<63)', '1<<64 - 1'];
  for (const t of types) for (const v of values) one(`${t}(${v})`, 'typed');
  for (const e of [
    'int8(100) + 27', 'int8(100) + 28', 'int8(1) + 200', 'uint8(200) * 2', 'int32(1<<30) * 2', 'int(1<<30) * 2', 'uint(1<<31) << 1',
    '^uint(0)', '^uintptr(0) >> 63', '^uint32(0)', '^uint8(1)', '^uint16(0)', '^int8(5)', '-int8(-128)', '-uint(0)', '-uint(1)',
    'int64(-1) >> 70', 'uint16(0xffff) &^ 0xff', 'int16(-300) / 7', 'int16(-300) % 7', 'int32(-7) / 2', 'int32(-7) % 2',
    'uint8(0xff) &^ 0x0f', 'int(1<<31 - 1) + 1', 'int(-1<<31) - 1', 'uint(1<<32 - 1) + 1', 'uintptr(1<<32 - 1) * 2',
    'int8(int16(127))', 'int8(int16(128))', 'int(int64(1) << 40)', 'uint32(int64(-1))', 'uintptr(^uint64(0))', 'int(^uint32(0))',
    'uint(^uint(0) >> 1) + 1', 'int(^uint(0) >> 1)', 'int64(1e18)', 'int(1e9)', 'int(1e10)', 'uint8(2.55e2)', 'int32(-2.147483648e9)',
    'int64(0x1p62)', 'int64(float64(1<<53 + 1))', 'int32(float32(16777217))', 'int(float64(1<<31))', 'len("ab") << 30', 'len("abc") << 62',
    'len("abc") * (1<<20)', 'int32(len("abcd")) << 29', 'unsafe.Sizeof(int(0)) << 29', 'unsafe.Sizeof(uintptr(0)) * (1<<61)',
    'int(unsafe.Sizeof(uint(0))) << 60', 'rune(0x10ffff) * 2000', 'byte(len("xyz")) * 100',
  ]) one(e, 'typed');
  for (const e of [
    '1e9', '1.5e3', '1<<62 / 3.0', '(1<<62) / 3', '1e18 / 3', '0.1 + 0.2', '1/3.0 * 3', '2.5 * 4', '0x1p-2', '0x1.8p3', '1e-5 * 1e5',
    '123456789.0 * 1e-3', '7.0 / 2', '-7.0 / 2', '1e300 * 1e8 / 1e300', "'a' * 1.5", '1 / 3.0', '2.0 / 3 * 1e20', '1e22', '1e23',
    '9007199254740993.0', '0.30000000000000004', '.5e1', '1_000.000_1', '0x_1p10', '1e-320', 'math.Pi', 'math.MaxFloat64',
    'math.SmallestNonzeroFloat64', 'math.MaxFloat32', 'math.E * 1e10',
  ]) one(e, 'float');
  for (const e of [
    'len("héllo")', 'len("a" + "bc")', 'len(`x\ny`)', 'len("\\xff\\u00e9\\U0001F600")', 'len("")', 'len(string(rune(0x10000)))',
    'len(string(rune(-1)))', 'len(string(rune(65)))',
    'unsafe.Sizeof(int(0))', 'unsafe.Sizeof(uintptr(0))', 'unsafe.Sizeof("")', 'unsafe.Sizeof([]int(nil))', 'unsafe.Sizeof(int64(0))',
    'unsafe.Sizeof(map[int]int(nil))', 'unsafe.Sizeof(any(nil))', 'unsafe.Sizeof(1)', 'unsafe.Sizeof(1.5)', "unsafe.Sizeof('x')",
    'unsafe.Sizeof(true)', 'unsafe.Sizeof(float32(0))', 'unsafe.Sizeof(complex64(0))', 'unsafe.Sizeof((*int)(nil))',
    'unsafe.Sizeof(unsafe.Pointer(nil))', 'unsafe.Sizeof([4]uint16{})', 'unsafe.Sizeof([2][]byte{})',
    'max(int8(3), 7)', 'min(uint(7), 2, 9)',
  ]) one(e, 'typed');
  for (const e of [
    'strconv.IntSize', 'bits.UintSize', 'math.MaxInt', 'math.MinInt', 'math.MaxUint', 'math.MaxInt64', 'math.MaxUint32', 'math.MaxInt8', 'math.MinInt64', 'math.MaxUint64',
    'math.MaxInt32 + 1', 'min(3, -7, 2)', 'max(1<<40, 5, -1)', "'a' + 1", "'\\x41'", "'\\u00e9' * 2", "'\\377'", "'\\''", "'😀'",
    "'\\n' << 40", '-0x8000_0000', '1 << 200 >> 199', '(1<<100) / (1<<98)', '(-(1<<100)) % 7', '(1<<100) &^ (1<<99)',
  ]) one(e, 'int');
  for (const e of ['1<<70 > 1<<69', '-1 < 0', '"a" < "b"', 'len("ab") == 2 && true', '!(3 == 3)', 'int8(5) > -3', 'math.MaxInt > 1<<40', '1.5 == 3/2.0', '"ab" + "c" == "abc"']) one(e, 'bool');
  for (const e of ['min(1.5, 2)', "max(1, 2.5, 'a')"]) one(e, 'float');

  cases.push({
    text: 'const (\n\ti0 = iota * 1000000007\n\ti1\n\ti2\n\t_\n\ti4\n)',
    names: ['i0', 'i1', 'i2', 'i4'].map((n) => ({ n, mode: 'int' as Mode })),
  });
  cases.push({
    text: 'const (\n\tKB = 1 << (10 * (iota + 1))\n\tMB\n\tGB\n\tTB\n\tPB\n\tEB\n\tZB\n)',
    names: ['KB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB'].map((n) => ({ n, mode: 'int' as Mode })),
  });
  cases.push({
    text: 'const (\n\tz0, z1 = iota, -iota * 3\n\tz2, z3\n\tz4, z5\n)',
    names: ['z0', 'z1', 'z2', 'z3', 'z4', 'z5'].map((n) => ({ n, mode: 'int' as Mode })),
  });
  cases.push({
    text: 'const (\n\tt0 uint8 = 1 << iota\n\tt1\n\tt2\n\tt3\n\tt4\n\tt5\n\tt6\n\tt7\n)',
    names: ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7'].map((n) => ({ n, mode: 'typed' as Mode })),
  });
  cases.push({
    // Typed int iota: 1<<31 overflows int on 386 only, at the implicitly repeated spec.
    text: 'const (\n\tw0 int = 1 << (iota*16 + 15)\n\tw1\n\tw2\n)',
    names: ['w0', 'w1', 'w2'].map((n) => ({ n, mode: 'typed' as Mode })),
  });
  cases.push({
    text: 'type Size int\n\ntype U8 uint8\n\nconst sz = Size(1) << 31\n\nconst u8 = ^U8(0)\n\nconst sz2 = Size(1<<30) + Size(len("abc"))',
    names: [{ n: 'sz', mode: 'typed' }, { n: 'u8', mode: 'typed' }, { n: 'sz2', mode: 'typed' }],
  });
  cases.push({
    text: 'const (\n\tbig  = 1 << 40\n\tsh   = big >> 20\n\tneg  = -big\n\tmix  = big/3 + sh%7\n\tlim  = math.MaxInt32 - big\n)',
    names: ['big', 'sh', 'neg', 'mix', 'lim'].map((n) => ({ n, mode: 'int' as Mode })),
  });
  return cases;
}

const HEADER = 'package main\n\nimport (\n\t"fmt"\n\t"math"\n\t"math/bits"\n\t"strconv"\n\t"unsafe"\n)\n\nvar _ = fmt.Sprint\nvar _ = strconv.Itoa\nvar _ = bits.Len\nvar _ = math.Abs\nvar _ unsafe.Pointer\n\n';

function printer(n: string, mode: Mode): string {
  switch (mode) {
    case 'int': {
      // Five 64-bit limbs of the two's complement: exact for |v| < 2^319.
      const limbs = [0, 1, 2, 3, 4].map((i) => `uint64((${n} >> ${64 * i}) & (1<<64 - 1))`).join(', ');
      return `\tfmt.Println("${n}", "int", ${n} < 1<<318 && ${n} >= -(1<<318), ${limbs})`;
    }
    case 'float':
      return `\tfmt.Println("${n}", "float", strconv.FormatFloat(float64(${n}), 'g', -1, 64))`;
    case 'typed':
      return `\tfmt.Printf("%s typed %T %v\\n", "${n}", ${n}, ${n})`;
    case 'bool':
      return `\tfmt.Println("${n}", "bool", ${n})`;
  }
}

/** `go build` output to (line, message) pairs for one file. */
function compileErrors(out: string, file: string): { line: number; msg: string }[] {
  const re = new RegExp(`^\\S*${file.replace('.', '\\.')}:(\\d+):\\d+: (.*)$`);
  return out
    .split('\n')
    .map((l) => re.exec(l))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ line: Number(m[1]), msg: m[2] }));
}

/** Compiler messages that are a constant not fitting an integer type. */
const OVERFLOW_RE = /overflows (u?int(8|16|32|64)?|uintptr|byte|rune|\w+)\b|\(overflows\)|truncated to u?int|cannot convert .* \((untyped float )?constant [^)]*\) to type (u?int|uintptr)|invalid array length/;

/** A value already rounded to float64, as a number (its denominator is a power of two). */
function toNumber(r: { k: 'int'; v: bigint } | { k: 'rat'; n: bigint; d: bigint }): number {
  if (r.k === 'int') return Number(r.v);
  const k = r.d.toString(2).length - 1;
  // Two steps: 2^-1074 alone is representable, but 2^-(k) for k > 1074 is not.
  return Number(r.n) * 2 ** -Math.min(k, 1000) * 2 ** -Math.max(0, k - 1000);
}

function lineOf(text: string, needle: string): number {
  const idx = text.indexOf(needle);
  return text.slice(0, idx).split('\n').length;
}

describe.skipIf(!HAVE_GO)('constant evaluator against the Go compiler', () => {
  const targets = [parseTarget('linux/386'), parseTarget('linux/amd64')];
  const cases = buildCases();
  let dir = '';
  const names = cases.flatMap((c) => c.names);
  let errSrc = '';
  let valSrc = '';
  const goErrors = new Map<string, Set<number>>();
  const goValues = new Map<string, Map<string, string>>();
  const ours = new Map<string, { problems: Problem[]; checker: Checker; host: DirHost; file: SourceFile }>();

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-consteval-'));
    // Which declarations does the compiler reject, per target?
    errSrc = HEADER + cases.map((c) => c.text).join('\n\n') + '\n\nfunc main() {}\n';
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module consteval\n\ngo 1.22\n');
    fs.mkdirSync(path.join(dir, 'errs'));
    fs.writeFileSync(path.join(dir, 'errs', 'x.go'), errSrc);
    const badCases = new Set<Case>();
    for (const t of targets) {
      const r = runGo(['build', '-gcflags=-e', '-o', os.devNull, './errs'], { cwd: dir, env: { ...t.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' } });
      const errs = compileErrors(r.stderr, 'x.go');
      const other = errs.filter((e) => !OVERFLOW_RE.test(e.msg));
      if (other.length) throw new Error(`generated constants have errors that are not overflows on ${t.id}:\n${other.map((e) => `${e.line}: ${e.msg}`).join('\n')}`);
      goErrors.set(t.id, new Set(errs.map((e) => e.line)));
      for (const c of cases) {
        const first = lineOf(errSrc, c.text);
        const last = first + c.text.split('\n').length - 1;
        if (errs.some((e) => e.line >= first && e.line <= last)) badCases.add(c);
      }
    }
    // Print every constant that compiles on both targets, built and run for each.
    const good = cases.filter((c) => !badCases.has(c));
    valSrc = HEADER + good.map((c) => c.text).join('\n\n') + '\n\nfunc main() {\n' + good.flatMap((c) => c.names.map((x) => printer(x.n, x.mode))).join('\n') + '\n}\n';
    fs.mkdirSync(path.join(dir, 'vals'));
    fs.writeFileSync(path.join(dir, 'vals', 'x.go'), valSrc);
    for (const t of targets) {
      const bin = path.join(dir, `vals-${t.goarch}`);
      const b = runGo(['build', '-o', bin, './vals'], { cwd: dir, env: { ...t.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' } });
      if (b.status !== 0) throw new Error(`value program does not build for ${t.id}:\n${b.stderr}`);
      const out = require('node:child_process').execFileSync(bin, { encoding: 'utf8' }) as string;
      const m = new Map<string, string>();
      for (const line of out.trim().split('\n')) {
        const sp = line.indexOf(' ');
        m.set(line.slice(0, sp), line.slice(sp + 1));
      }
      goValues.set(t.id, m);
    }
    // Ours: the same two files through the syntax pass and the checker.
    for (const t of targets) {
      for (const which of ['errs', 'vals']) {
        const host = new DirHost(targets);
        const pkg = host.loadDir(path.join(dir, which), 'consteval');
        const problems: Problem[] = [];
        const checker = new Checker(t, new Scopes(host, t.id), (p) => problems.push(p));
        checker.checkFile(pkg.files[0]);
        ours.set(`${which}:${t.id}`, { problems, checker, host, file: pkg.files[0] });
      }
    }
  }, 240_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('covers enough expressions', () => {
    expect(names.length).toBeGreaterThanOrEqual(200);
    // Both kinds of outcome occur on both targets.
    for (const t of targets) {
      expect(goErrors.get(t.id)!.size).toBeGreaterThan(20);
      expect(goValues.get(t.id)!.size).toBeGreaterThan(200);
    }
  });

  for (const id of ['linux/386', 'linux/amd64']) {
    it(`finds exactly the compiler's overflow errors on ${id}`, () => {
      const { problems } = ours.get(`errs:${id}`)!;
      const mine = new Set(problems.map((p) => p.s[0]));
      const theirs = goErrors.get(id)!;
      const lines = errSrc.split('\n');
      const missed = [...theirs].filter((l) => !mine.has(l)).map((l) => `${l}: ${lines[l - 1]}`);
      const extra = [...mine].filter((l) => !theirs.has(l)).map((l) => `${l}: ${lines[l - 1]}`);
      expect({ missed, extra }).toEqual({ missed: [], extra: [] });
    });

    it(`computes the value the compiled program prints on ${id}`, () => {
      const { checker, file } = ours.get(`vals:${id}`)!;
      const printed = goValues.get(id)!;
      const wrong: string[] = [];
      for (const [n, out] of printed) {
        const o = checker.packageConst(file, n);
        const [mode, ...rest] = out.split(' ');
        if (o.m !== 'const') {
          wrong.push(`${n}: unknown, Go prints ${out}`);
          continue;
        }
        let got: string;
        let want: string;
        if (mode === 'int') {
          const [inRange, ...limbs] = rest;
          if (inRange !== 'true') throw new Error(`${n} is too large for the test harness`);
          let v = limbs.reduce((acc, l, i) => acc + (BigInt(l) << BigInt(64 * i)), 0n);
          if (v >> 319n) v -= 1n << 320n;
          want = v.toString();
          got = o.v.k === 'int' ? o.v.v.toString() : JSON.stringify(o.v);
        } else if (mode === 'float') {
          want = String(Number(rest[0]));
          const r = o.v.k === 'int' || o.v.k === 'rat' ? roundFloat(o.v, 'float64') : undefined;
          got = r === undefined ? 'overflow' : String(toNumber(r));
        } else if (mode === 'bool') {
          want = rest[0];
          got = o.v.k === 'bool' ? String(o.v.v) : JSON.stringify(o.v);
        } else {
          want = `${rest[0].replace(/^main\./, '')} ${rest[1]}`;
          const val = o.v.k === 'int' ? o.v.v.toString() : o.v.k === 'rat' ? String(Number(o.v.n) / Number(o.v.d)) : JSON.stringify(o.v);
          got = `${typeString(o.t)} ${val}`;
        }
        if (got !== want) wrong.push(`${n}: got ${got}, Go prints ${want}`);
      }
      expect(wrong).toEqual([]);
    });
  }
});

describe('literals', () => {
  it('parses integer literals of every base as the spec defines them', () => {
    expect(parseIntLit('0x_Ff')).toBe(255n);
    expect(parseIntLit('0755')).toBe(493n);
    expect(parseIntLit('0o755')).toBe(493n);
    expect(parseIntLit('0b_1010')).toBe(10n);
    expect(parseIntLit('1_000_000')).toBe(1000000n);
    expect(parseIntLit('0')).toBe(0n);
    expect(parseIntLit('09')).toBeUndefined();
  });
  it('parses floats exactly', () => {
    expect(parseFloatLit('1e9')).toEqual({ k: 'int', v: 1000000000n });
    expect(parseFloatLit('0.1')).toEqual({ k: 'rat', n: 1n, d: 10n });
    expect(parseFloatLit('0x1.8p1')).toEqual({ k: 'int', v: 3n });
    expect(parseFloatLit('0x1p-2')).toEqual({ k: 'rat', n: 1n, d: 4n });
    expect(parseFloatLit('1e100000')).toBeUndefined();
  });
  it('decodes runes and strings to code points and bytes', () => {
    expect(parseRuneLit("'\\377'")).toBe(255n);
    expect(parseRuneLit("'\\xff'")).toBe(255n);
    expect(parseRuneLit("'é'")).toBe(233n);
    expect(parseRuneLit("'\\U0001F600'")).toBe(0x1f600n);
    expect(parseStringLit('"\\xffé"')!.length).toBe(3);
    expect(parseStringLit('`a\r\nb`')).toBe('a\nb');
  });
});


// ---- fixtures against cross-builds ----------------------------------------------------------------

const RULE = 'int-overflow-32bit';
const FIXTURES = path.join(ROOT, 'fixtures');
const fixtureNames = fs.existsSync(FIXTURES) ? fs.readdirSync(FIXTURES).filter((n) => n.startsWith('int-overflow-')).sort() : [];

function goFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'vendor' && e.name !== 'testdata') out.push(...goFiles(p));
    else if (e.name.endsWith('.go')) out.push(p);
  }
  return out;
}

/** "file:line" of every constant-overflow error the compiler reports for the module, on one target. */
function overflowErrors(dir: string, t: Target, args: FixtureArgs, withTests: boolean, scratch: string): Set<string> {
  const env = {
    ...t.env,
    CGO_ENABLED: contextFor(t, { cgo: args.cgo }).cgo ? '1' : '0',
    GOFLAGS: fs.existsSync(path.join(dir, 'vendor', 'modules.txt')) ? '-mod=vendor' : '-mod=mod',
  };
  const tags = args.tags.length ? [`-tags=${args.tags.join(',')}`] : [];
  const runs = [['build', '-o', os.devNull, '-gcflags=all=-e', ...tags, './...']];
  // Test files only compile under go test; -c with a directory for -o handles many packages.
  if (withTests) runs.push(['test', '-c', '-o', scratch + path.sep, '-gcflags=all=-e', ...tags, './...']);
  const out = new Set<string>();
  for (const a of runs) {
    const r = runGo(a, { cwd: dir, env, timeoutMs: 300_000 });
    for (const line of (r.stdout + r.stderr).split('\n')) {
      const m = /^(\S+\.go):(\d+):\d+: (.*)$/.exec(line.trim());
      if (!m || !OVERFLOW_RE.test(m[3])) continue;
      out.add(`${path.resolve(dir, m[1])}:${m[2]}`);
    }
  }
  return out;
}

describe('text filter', () => {
  it('leaves out files without a large-looking constant, which later rounds pick up by name', () => {
    // upload.go uses MaxUpload (forms.go) and time.Hour: the fixture proves both are found.
    const dir = path.join(FIXTURES, 'int-overflow-forms');
    const file = { name: 'x.go' } as SourceFile;
    expect(rule.wantsSyntax!(fs.readFileSync(path.join(dir, 'upload.go'), 'utf8'), file)).toBe(false);
    expect(rule.wantsSyntax!(fs.readFileSync(path.join(dir, 'forms.go'), 'utf8'), file)).toBe(true);
    for (const t of ['x := 1 << 32', 'n := 5000000000', 'math.MaxUint32', 'const ( a = iota )', 'f := 1e10', 'k := 1024 * 1024', 'u := ^uint(0)', 'unsafe.Sizeof(x)']) {
      expect(rule.wantsSyntax!(`package p\nfunc f() { ${t} }\n`, file)).toBe(true);
    }
    expect(rule.wantsSyntax!('package p\nfunc f(x int) int { return x + 1 }\n', file)).toBe(false);
  });
});

describe.skipIf(!HAVE_GO)('fixtures against go build for each target', () => {
  for (const name of fixtureNames) {
    it(name, async () => {
      const dir = path.join(FIXTURES, name);
      const args = fixtureArgs(dir);
      const targets = parseTargets(args.targets);
      expect(targets.some((t) => t.ptrSize === 4) && targets.some((t) => t.ptrSize === 8)).toBe(true);
      const opts: CheckOptions = {
        cwd: dir, paths: ['./...'], targets: args.targets, tags: args.tags, cgo: args.cgo, tests: args.tests,
        rules: [RULE], disable: [], cache: false, workers: 0,
      };
      const result = await check(opts);
      const findings = result.findings.filter((f) => f.ruleId === RULE);
      const files = goFiles(dir);
      const withTests = args.tests && files.some((f) => f.endsWith('_test.go'));
      const wanted = new Set(
        files.flatMap((f) => parseWants(f, fs.readFileSync(f, 'utf8')).filter((w) => w.rule === RULE && w.line !== undefined).map((w) => `${f}:${w.line}`)),
      );
      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-overflow-'));
      const anyTarget = new Set<string>();
      const problems: string[] = [];
      try {
        for (const t of targets) {
          const compiler = overflowErrors(dir, t, args, withTests, scratch);
          compiler.forEach((k) => anyTarget.add(k));
          const ours = new Set(findings.filter((f) => f.targets.includes(t.id)).map((f) => `${f.file}:${f.span.start.line}`));
          for (const k of compiler) if (!ours.has(k)) problems.push(`${t.id}: compiler error not reported at ${path.relative(dir, k)}`);
          for (const k of ours) if (!compiler.has(k)) problems.push(`${t.id}: reported, but compiles, at ${path.relative(dir, k)}`);
        }
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
      // The expectations written in the fixture are the compiler's too.
      for (const k of anyTarget) if (!wanted.has(k)) problems.push(`compiler error without a want comment at ${path.relative(dir, k)}`);
      for (const k of wanted) if (!anyTarget.has(k)) problems.push(`want comment without a compiler error on any target at ${path.relative(dir, k)}`);
      expect(problems).toEqual([]);
      // The fixtures must exercise the rule, not only its silence.
      if (wanted.size) expect(findings.length).toBeGreaterThan(0);
    }, 600_000);
  }
});

// ---- without a Go toolchain ----------------------------------------------------------------------

/** What a run finds, as comparable lines. */
async function findingsOf(run: typeof check, name: string): Promise<string[]> {
  const dir = path.join(FIXTURES, name);
  const args = fixtureArgs(dir);
  const result = await run({
    cwd: dir, paths: ['./...'], targets: args.targets, tags: args.tags, cgo: args.cgo, tests: args.tests,
    rules: [RULE], disable: [], cache: false, workers: 0,
  });
  return result.findings.map((f) => `${path.relative(dir, f.file)}:${f.span.start.line}:${f.span.start.col} ${f.targets.join(',')} ${f.message}`).sort();
}

describe.skipIf(!HAVE_GO)('without a Go toolchain (shipped standard-library facts)', () => {
  let checkNoGo: typeof check;
  beforeAll(async () => {
    // A fresh module registry, so that goEnv() is asked again and finds no toolchain.
    process.env.CROSSVET_NO_GO = '1';
    vi.resetModules();
    checkNoGo = (await import('../src/engine/check')).check;
    expect((await import('../src/goenv')).goEnv()).toBeNull();
  });
  afterAll(() => {
    delete process.env.CROSSVET_NO_GO;
    vi.resetModules();
  });

  // The normal run of each fixture is the compiler's (see above); this one must equal it.
  for (const name of fixtureNames) {
    it(`${name} finds the same`, async () => {
      const withGo = await findingsOf(check, name);
      const withoutGo = await findingsOf(checkNoGo, name);
      expect(withoutGo).toEqual(withGo);
    });
  }
});

// ---- Go's own type-checker test data ---------------------------------------------------------------

describe.skipIf(!HAVE_GO)("Go's type-checker test data", () => {
  // $GOROOT/src/internal/types/testdata marks every error go/types must report with an
  // ERROR comment on its line, for 64-bit sizes. On linux/amd64 each finding must be on a
  // line marked as an overflow: the files were written by Go's authors, not for this rule.
  it('reports only lines Go marks as overflow errors', async () => {
    const src = path.join(goEnv()!.GOROOT, 'src');
    const dirs = ['check', 'fixedbugs', 'spec', 'examples'].map((d) => path.join('internal', 'types', 'testdata', d));
    const result = await check({
      cwd: src, paths: dirs, targets: 'linux/amd64', tags: [], cgo: 'off', tests: true, rules: [RULE], disable: [], cache: false, workers: 0,
    });
    const marked = new Set<string>();
    for (const d of dirs) {
      for (const name of fs.readdirSync(path.join(src, d))) {
        if (!name.endsWith('.go')) continue;
        const file = path.join(src, d, name);
        fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
          for (const m of line.matchAll(/ERRORx? ["`]([^"`]*)["`]/g)) {
            if (/overflow|truncated|invalid array length/.test(m[1])) marked.add(`${file}:${i + 1}`);
          }
        });
      }
    }
    const ours = result.findings.filter((f) => f.ruleId === RULE).map((f) => `${f.file}:${f.span.start.line}`);
    expect(ours.filter((k) => !marked.has(k))).toEqual([]);
    // Enough of them to mean something (43 with Go 1.26's test data).
    expect(ours.length).toBeGreaterThanOrEqual(30);
  });
});

// int-overflow-32bit: constants that do not fit int, uint or uintptr on the targets where
// those are 32 bits wide (386, arm, mips, ...) — `1<<32`, `math.MaxUint32` or `1e10` used
// as an int compiles on amd64 and is a compile error on linux/386.
//
// Every constant expression of the scanned code is evaluated exactly, per target, by
// src/consteval (the files that build for the target, GOROOT's math.MaxInt for that target,
// 32- or 64-bit int), and checked wherever it meets a type: conversions, typed declarations,
// :=, operands, arguments, fields, indexes, make sizes, array lengths, returns.
import type { Rule, RuleContext } from '../src/rule';
import type { Diagnostic, RuleMeta } from '../src/types';
import type { Package, SourceFile } from '../src/model/types';
import type { Target } from '../src/targets';
import type { ConstsFacts, S } from '../src/consteval/ast';
import { DeclIndex, Scopes, type Host } from '../src/consteval/scope';
import { Checker, type Problem } from '../src/consteval/checker';
import { intRange, isPlatformSized, isUnsigned, type BasicName } from '../src/consteval/basic';
import { typeString, underlying, type T } from '../src/consteval/types';
import { formatVal } from '../src/consteval/value';
import { CONSTS_EXTRACTOR } from '../src/syntax/extract/consts';
import { stdFacts } from '../src/stdlib';

const ID = 'int-overflow-32bit';

export const meta: RuleMeta = {
  id: ID,
  name: 'IntOverflow32Bit',
  shortDescription: 'Constants that overflow int, uint or uintptr on 32-bit targets',
  fullDescription:
    'int, uint and uintptr are 32 bits wide on 386, arm, mips and mipsle. A constant such as 1<<32, 5000000000, ' +
    'math.MaxUint32 or math.MaxInt64 that meets one of them — in a conversion, a typed declaration, `x := c`, an ' +
    'operand, an argument, a struct field, an index, a make size or an array length — compiles on 64-bit targets ' +
    'and is a compile error on 32-bit ones. This rule evaluates every constant exactly, with the Go spec\'s rules ' +
    'for typed and untyped constants, for each target on which its file builds, and reports where it does not fit.',
  helpMarkdown: [
    'On 386, arm, mips and mipsle the types `int`, `uint` and `uintptr` are 32 bits wide. A constant that needs',
    'more — `1<<32`, `5000000000`, `1e10`, `math.MaxUint32` or `math.MaxInt64` — compiles on amd64 and arm64, where',
    'they are 64 bits wide, and is a compile error on the 32-bit targets (`cannot use 1 << 32 (untyped int constant',
    '4294967296) as int value in assignment (overflows)`).',
    '',
    'This rule evaluates every constant expression exactly (arbitrary precision, `iota`, shifts, typed arithmetic,',
    'constants of other packages and of GOROOT such as `math.MaxInt`, whose value depends on the target) for each',
    'target on which the file builds, and reports the constants that do not fit the type they meet: conversions,',
    'typed declarations, `x := c` (an untyped integer constant defaults to `int`), operands of arithmetic and',
    'comparisons, function arguments (including `fmt.Println(c)`, where the constant becomes an `int`), struct',
    'fields, indexes, `make` sizes and array lengths.',
    '',
    'Use `int64`/`uint64` where the value needs 64 bits, or guard the code with a `//go:build` constraint (or a',
    '`_amd64.go` file name) so that it only builds for 64-bit targets.',
  ].join('\n'),
  defaultLevel: 'error',
  tags: ['portability', 'correctness', '32-bit'],
  precision: 'very-high',
};

/**
 * Text that may hold a constant too large for 32 bits: a shift, iota, a literal of ten digits
 * (or nine hex digits, 32 binary, 11 octal), an exponent, the Max/Min constants and sizes of
 * math, strconv and math/bits, unsafe.Sizeof, a product with a literal, ^uint(0).
 */
const HAZARD =
  /<<|\biota\b|\d{10}|0[xX][0-9a-fA-F_]{9}|0[bB][01_]{32}|0[oO]?[0-7_]{11}|\d[eEpP][+-]?\d|\b(?:Max|Min)(?:Int|Uint)|\b(?:Int|Uint)Size\b|\bunsafe\.Sizeof\b|\d\s*\*|\*\s*\d|\^\s*u(?:int|intptr)\b/;

/** Bounds the rounds of "parse the files these names need, then check again". */
const MAX_ROUNDS = 32;

class RuleHost implements Host {
  private pkgOf = new Map<string, Package>();
  private registered = new Set<Package>();
  readonly tried = new Set<string>();

  constructor(private readonly ctx: RuleContext) {
    for (const p of ctx.packages) this.register(p);
  }

  private register(p: Package): void {
    if (this.registered.has(p)) return;
    this.registered.add(p);
    for (const f of p.files) if (!this.pkgOf.has(f.path)) this.pkgOf.set(f.path, p);
  }

  text(f: SourceFile): string {
    return this.ctx.source(f);
  }

  facts(f: SourceFile): ConstsFacts | null | undefined {
    const ff = this.ctx.facts(f);
    if (ff) return (ff.extras[CONSTS_EXTRACTOR] as ConstsFacts | undefined) ?? null;
    return this.tried.has(f.path) ? null : undefined;
  }

  importPackage(path: string, from: SourceFile): Package | undefined {
    const p = this.ctx.importPackage(path, from);
    if (p) this.register(p);
    return p;
  }

  packageOf(f: SourceFile): Package | undefined {
    return this.pkgOf.get(f.path);
  }
}

interface Finding {
  problem: Problem;
  targets: Set<string>;
}

/** Source text of a span, on one line, shortened for a message. */
function spanText(text: string, s: S): string {
  const lines = text.split('\n');
  const parts: string[] = [];
  for (let l = s[0]; l <= s[2]; l++) {
    const line = lines[l - 1] ?? '';
    parts.push(line.slice(l === s[0] ? s[1] - 1 : 0, l === s[2] ? s[3] - 1 : undefined));
  }
  // Comments inside the expression are not part of it.
  const t = parts.join(' ').replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/, '').replace(/\s+/g, ' ').trim();
  return t.length > 48 ? `${t.slice(0, 45)}...` : t;
}

function describeRanges(basicName: BasicName, targets: Target[]): string {
  const widths = [...new Set(targets.map((t) => t.ptrSize))].sort();
  return widths
    .map((w) => {
      const r = intRange(basicName, w)!;
      const bits = isPlatformSized(basicName) ? `${w * 8}-bit ` : '';
      return `${bits}${basicName}: ${r.min}..${r.max}`;
    })
    .join('; ');
}

function cure(basicName: BasicName, value: bigint, targets: Target[], named: boolean): string {
  if (value < 0n && isUnsigned(basicName)) return 'a negative constant never fits an unsigned type; use a signed type';
  const r64 = intRange(basicName, 8)!;
  if (isPlatformSized(basicName) && (value < r64.min || value > r64.max)) return 'the value does not fit in 64 bits either; use a smaller constant or math/big';
  if (!isPlatformSized(basicName)) return 'the constant depends on the target (the size of int or a per-target declaration); compute it in a wider type or guard the code with //go:build';
  const wide = basicName === 'int' ? 'int64' : 'uint64';
  const all32 = targets.every((t) => t.ptrSize === 4);
  const guard = all32 ? ' or guard the code with //go:build' : '';
  return named ? `declare the type with underlying ${wide}${guard}` : `use ${wide}${guard}`;
}

export function message(p: Problem, text: string, targets: Target[]): string {
  const u = underlying(p.type);
  const basicName = (u.k === 'basic' ? u.n : 'int') as BasicName;
  const shown = typeString(p.type, p.pkgPath);
  const typeDesc = p.type.k === 'named' ? `${shown} (${basicName})` : shown;
  const value = formatVal(p.value);
  const expr = text.replace(/[\s_]/g, '') === value ? '' : ` (${text})`;
  const where = p.why === 'constant expression' ? '' : ` in ${p.why}`;
  const v = p.value.k === 'int' ? p.value.v : 0n;
  return (
    `constant ${value}${expr} overflows ${typeDesc}${where} on ${targets.map((t) => t.id).join(', ')} ` +
    `(${describeRanges(basicName, targets)}); ${cure(basicName, v, targets, p.type.k === 'named')}`
  );
}

function basicOfType(t: T): BasicName | undefined {
  const u = underlying(t);
  return u.k === 'basic' ? u.n : undefined;
}

async function check(ctx: RuleContext): Promise<void> {
  const host = new RuleHost(ctx);
  const scanned = new Map(ctx.files.map((f) => [f.path, f]));
  const runIds = new Set(ctx.targets.map((t) => t.id));
  const findings = new Map<string, Finding>();
  const sink = (p: Problem) => {
    if (!scanned.has(p.file.path)) return;
    const key = `${p.file.path}|${p.s.join(',')}|${typeString(p.type)}|${formatVal(p.value)}|${p.why}`;
    let f = findings.get(key);
    if (!f) findings.set(key, (f = { problem: p, targets: new Set() }));
    f.targets.add(p.target);
  };
  const checkers = new Map<string, Checker>();
  const indexes = new Map<string, DeclIndex>();
  for (const t of ctx.targets) checkers.set(t.id, new Checker(t, new Scopes(host, t.id, indexes), sink));
  const failed = new Set<string>();
  const done = new Set<string>();

  // Check files; when checks need facts of files not parsed yet, parse them all and check again.
  const run = async (files: SourceFile[]) => {
    let todo = files;
    let round = 0;
    for (; todo.length && round < MAX_ROUNDS; round++) {
      const need = new Map<string, SourceFile>();
      const again: SourceFile[] = [];
      for (const file of todo) {
        let pending = false;
        for (const id of file.builds) {
          if (!runIds.has(id) || failed.has(file.path)) continue;
          try {
            for (const f of checkers.get(id)!.checkFile(file)) {
              if (host.tried.has(f.path)) continue;
              need.set(f.path, f);
              pending = true;
            }
          } catch (e) {
            failed.add(file.path);
            ctx.notify({ level: 'warning', id: 'rule-failed', file: file.path, message: `${ID}: could not check ${file.rel}: ${(e as Error).message}` });
          }
        }
        if (pending) again.push(file);
        else done.add(file.path);
      }
      if (need.size === 0) return;
      for (const f of need.values()) host.tried.add(f.path);
      await ctx.ensureFacts([...need.values()]);
      todo = again;
    }
    if (todo.length) {
      ctx.notify({
        level: 'warning',
        id: 'int-overflow-depth',
        message: `${ID}: constants in ${todo.length} file(s) still depend on unparsed declarations after ${MAX_ROUNDS} rounds of loading; they were checked without them (first: ${todo[0].rel})`,
      });
      for (const f of todo) done.add(f.path);
    }
  };

  // The files the text filter chose (whatever other rules had parsed, for stable results).
  await run(ctx.files.filter((f) => ctx.facts(f) && [...f.builds].some((id) => runIds.has(id)) && HAZARD.test(ctx.source(f))));

  // Files that passed no text filter but use a large constant declared in a checked file.
  for (let round = 0; ; round++) {
    const more = filesUsingLargeConstants(ctx, host, checkers, done);
    if (more.length === 0) break;
    if (round === MAX_ROUNDS) {
      ctx.notify({ level: 'warning', id: 'int-overflow-depth', message: `${ID}: stopped following large constants into other files after ${MAX_ROUNDS} rounds; ${more.length} file(s) not checked (first: ${more[0].rel})` });
      break;
    }
    // Some were parsed already (as declarations other checks needed), others not yet.
    const toParse = more.filter((f) => !ctx.facts(f) && !host.tried.has(f.path));
    for (const f of toParse) host.tried.add(f.path);
    if (toParse.length) await ctx.ensureFacts(toParse);
    for (const f of more) if (!ctx.facts(f)) done.add(f.path);
    await run(more.filter((f) => ctx.facts(f)));
  }

  report(ctx, findings);
}

/**
 * Names of package-level constants, in checked files, whose value on some target does not
 * fit 32 bits; and the scanned files not checked yet (no text filter matched them) that
 * mention one of them.
 */
function filesUsingLargeConstants(ctx: RuleContext, host: RuleHost, checkers: Map<string, Checker>, done: Set<string>): SourceFile[] {
  const large = new Map<string, Set<string>>(); // package dir \0 name -> constant names
  for (const f of ctx.files) {
    if (!done.has(f.path)) continue;
    const facts = host.facts(f);
    if (!facts) continue;
    for (const spec of facts.consts) {
      for (const c of checkers.values()) {
        const o = c.evaluated(spec);
        if (o?.m === 'const' && o.v.k === 'int' && (o.v.v < -(1n << 31n) || o.v.v >= 1n << 31n)) {
          const key = `${f.dir}\0${f.header.packageName}`;
          let s = large.get(key);
          if (!s) large.set(key, (s = new Set()));
          s.add(spec.n);
          break;
        }
      }
    }
  }
  const importPathOf = new Map(ctx.packages.map((p) => [p.dir, p.importPath]));
  const std = largeStdConstants();
  const out: SourceFile[] = [];
  for (const f of ctx.files) {
    if (done.has(f.path) || ![...f.builds].some((id) => checkers.has(id))) continue;
    const text = ctx.source(f);
    // pkg.Name of a standard package whose constant is large on some port.
    const usesStd = f.header.imports.some((imp) => {
      const names = std.get(imp.path);
      if (!names || imp.name === '_' || imp.name === '.') return false;
      const alias = imp.name ?? lastElement(imp.path);
      return text.includes(`${alias}.`) && new RegExp(`(?<![\\p{L}\\p{N}_.])${alias}\\.(?:${[...names].join('|')})(?![\\p{L}\\p{N}_])`, 'u').test(text);
    });
    if (usesStd) {
      out.push(f);
      continue;
    }
    for (const [key, names] of large) {
      const [dir, pkgName] = key.split('\0');
      const words = [...names].map((n) => n.replace(/[$]/g, '\\$')).join('|');
      const samePkg = f.dir === dir && f.header.packageName === pkgName;
      const imported = !samePkg && f.header.imports.some((i) => i.path === importPathOf.get(dir));
      const re = samePkg ? new RegExp(`(?<![\\p{L}\\p{N}_.])(?:${words})(?![\\p{L}\\p{N}_])`, 'u') : imported ? new RegExp(`\\.(?:${words})(?![\\p{L}\\p{N}_])`, 'u') : undefined;
      if (re && re.test(text)) {
        out.push(f);
        break;
      }
    }
  }
  return out;
}

function lastElement(path: string): string {
  const parts = path.split('/');
  const last = parts[parts.length - 1];
  return /^v\d+$/.test(last) && parts.length > 1 ? parts[parts.length - 2] : last;
}

let stdLarge: Map<string, Set<string>> | undefined;

/**
 * Exported integer constants of the standard library that do not fit 32 bits on some port
 * (math.MaxInt64, time.Hour, os.ModeDir, ...), from the shipped standard-library facts.
 */
function largeStdConstants(): Map<string, Set<string>> {
  if (stdLarge) return stdLarge;
  stdLarge = new Map();
  const facts = stdFacts();
  for (const [path, pkg] of Object.entries(facts?.file.packages ?? {})) {
    for (const [name, kind, detail] of pkg.api ?? []) {
      if (kind !== 'const') continue;
      const m = /(-?\d+)$/.exec(detail);
      if (!m || /^untyped (float|string|bool|rune)/.test(detail)) continue;
      const v = BigInt(m[1]);
      if (v < -(1n << 31n) || v >= 1n << 31n) {
        let s = stdLarge.get(path);
        if (!s) stdLarge.set(path, (s = new Set()));
        s.add(name);
      }
    }
  }
  return stdLarge;
}

function report(ctx: RuleContext, findings: Map<string, Finding>): void {
  const order = ctx.targets;
  for (const { problem: p, targets } of findings.values()) {
    const b = basicOfType(p.type);
    if (!b) continue;
    const hit = order.filter((t) => targets.has(t.id));
    const fileTargets = order.filter((t) => p.file.builds.has(t.id));
    // Sized types (int32, uint8, ...) are the same everywhere: only a per-target value makes
    // their overflow a portability problem rather than an ordinary compile error.
    if (!isPlatformSized(b) && hit.length === fileTargets.length) continue;
    const d: Diagnostic = {
      ruleId: ID,
      file: p.file.path,
      span: { start: { line: p.s[0], col: p.s[1] }, end: { line: p.s[2], col: p.s[3] } },
      message: message(p, spanText(ctx.source(p.file), p.s), hit),
      targets: hit.map((t) => t.id),
      properties: { value: formatVal(p.value), type: typeString(p.type, p.pkgPath) },
    };
    ctx.report(d);
  }
}

export const rule: Rule = {
  meta,
  wantsSyntax: (text) => HAZARD.test(text),
  check,
};

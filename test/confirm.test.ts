// `crossvet check --confirm`: every verdict is checked against the Go toolchain itself.
// - compile errors: `go build` and `go test -c` (with -gcflags=all=-e) per package and target;
// - alignment: a probe built for GOARCH=386 runs each atomic operation natively and panics
//   where the word is misaligned;
// - linking: the binaries' ELF program headers, read with Go's debug/elf.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/types';
import type { Package, SourceFile } from '../src/model/types';
import { main } from '../src/cli/main';
import { readHeader } from '../src/constraints/header';
import { contextFor } from '../src/constraints/match';
import { findModule } from '../src/discover/module';
import { parseTargets } from '../src/targets';
import { goEnv } from '../src/goenv';
import { confirmGoflags, runConfirm, type Confirmation, type ConfirmInput } from '../src/confirm';
import { misalignmentExpr, atomicSpec } from '../src/confirm/alignment';
import { parseCompilerOutput, parseJsonStream } from '../src/confirm/compiler';
import { confirmFromArgs } from '../src/confirm/cli';
import { spanAt, utf16Col } from '../src/confirm/position';
import { createProgress } from '../src/confirm/progress';
import { FIXTURES_DIR } from './support/fixtures';
import { sink } from './support/cli';

const repo = path.resolve(__dirname, '..');
const schemaPath = path.resolve(repo, '..', 'shared', 'sarif', 'sarif-schema-2.1.0.json');
const BASIC = path.join(FIXTURES_DIR, 'confirm-basic');
const ALIGN = path.join(FIXTURES_DIR, 'confirm-align');
const LINK = path.join(FIXTURES_DIR, 'confirm-link');
const TARGETS = 'linux/amd64,linux/386,windows/amd64';
// A cold build cache compiles the standard library for each target first (about a CPU minute each).
const SLOW = 900_000;

function go(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync('go', args, { cwd, env: { ...process.env, GOTOOLCHAIN: 'local', GOPROXY: 'off', ...env }, encoding: 'utf8', timeout: 600_000 });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function targetEnv(id: string): Record<string, string> {
  const [goos, goarch] = id.split('/');
  return { GOOS: goos, GOARCH: goarch, CGO_ENABLED: '0' };
}

interface OracleError {
  file: string;
  line: number;
  col?: number;
  message: string;
}

/**
 * What the go command itself reports for a target: `go build` and `go test -c` (so that
 * _test.go files count too) on each package directory, every error printed.
 */
function oracleErrors(root: string, dirs: string[], target: string): { errors: OracleError[]; text: Map<string, string> } {
  const seen = new Set<string>();
  const errors: OracleError[] = [];
  const text = new Map<string, string>();
  for (const dir of dirs) {
    const out = path.join(os.tmpdir(), `crossvet-oracle-${process.pid}`);
    const b = go(['build', '-gcflags=all=-e', '-o', os.devNull, `./${dir}`], root, targetEnv(target));
    const t = go(['test', '-c', '-gcflags=all=-e', '-o', out, `./${dir}`], root, targetEnv(target));
    fs.rmSync(out, { force: true });
    text.set(dir, b.out + t.out);
    for (const e of parseCompilerOutput(b.out + '\n' + t.out, root).errors) {
      const k = `${e.file}:${e.line}:${e.col}:${e.message}`;
      if (!seen.has(k)) {
        seen.add(k);
        errors.push(e);
      }
    }
  }
  return { errors, text };
}

/** A scanned package for runConfirm, read from disk (every .go file, headers as go/build reads them). */
function scannedPackage(root: string, rel: string, importPath: string): Package {
  const dir = path.join(root, rel);
  const files: SourceFile[] = fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.go'))
    .sort()
    .map((name) => ({
      path: path.join(dir, name),
      rel: path.join(rel, name).replace(/^\.\//, ''),
      name,
      dir,
      header: readHeader(fs.readFileSync(path.join(dir, name))),
      isTest: name.endsWith('_test.go'),
      builds: new Set<string>(),
    }));
  return { dir, importPath, origin: 'scan', files };
}

function confirmInput(root: string, targets: string, diagnostics: Diagnostic[], packages: Package[], extra: Partial<ConfirmInput> = {}): ConfirmInput {
  const ts = parseTargets(targets);
  return {
    mode: 'findings',
    timeoutMs: 600_000,
    root,
    module: findModule(root),
    targets: ts,
    contexts: new Map(ts.map((t) => [t.id, contextFor(t, { cgo: 'off' })])),
    packages,
    patterns: ['./...'],
    diagnostics,
    tests: true,
    tags: [],
    reportBuildErrors: true,
    source: (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined),
    ...extra,
  };
}

function lineOf(file: string, needle: string): number {
  const i = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} not in ${file}`);
  return i + 1;
}

function diag(ruleId: string, file: string, line: number, targets: string[], properties?: Record<string, unknown>): Diagnostic {
  const text = fs.readFileSync(file, 'utf8').split('\n')[line - 1];
  const first = text.search(/\S/) + 1;
  return { ruleId, file, span: { start: { line, col: first }, end: { line, col: text.length + 1 } }, message: `${ruleId} finding`, targets, properties };
}

const confirmationOf = (d: { properties?: Record<string, unknown> }) => d.properties?.confirmation as Confirmation;

// ---------------------------------------------------------------------------

describe('reading the go command', () => {
  it('splits go list -json streams, braces in strings included, and rejects other text', () => {
    const objs = parseJsonStream<{ a: string }>('{\n "a": "x}{\\"y"\n}\n{"a": "{"}\n');
    expect(objs.map((o) => o.a)).toEqual(['x}{"y', '{']);
    expect(() => parseJsonStream('{"a": 1} go: warning')).toThrow(/unexpected text/);
    expect(() => parseJsonStream('{"a": 1')).toThrow(/ends inside/);
  });

  it('parses positioned errors, their continuation lines and prose', () => {
    const text = [
      '# example.com/p',
      './a.go:3:6: helper redeclared in this block',
      '\t./b.go:6:6: other declaration of helper',
      'c.go:7: missing return',
      './d.go:2:9: not enough arguments in call to f',
      '\thave (int)',
      '\twant (int, int)',
      'go: warning: "./x" matched no packages',
    ].join('\n');
    const { errors, other } = parseCompilerOutput(text, '/m');
    expect(errors).toEqual([
      { file: '/m/a.go', line: 3, col: 6, message: 'helper redeclared in this block', notes: [{ file: '/m/b.go', line: 6, col: 6, message: 'other declaration of helper' }] },
      { file: '/m/c.go', line: 7, message: 'missing return' },
      { file: '/m/d.go', line: 2, col: 9, message: 'not enough arguments in call to f (have (int); want (int, int))' },
    ]);
    expect(other).toEqual(['go: warning: "./x" matched no packages']);
  });

  it('turns byte columns into UTF-16 columns and widens them to the token', () => {
    // 'é' is 2 bytes and 1 UTF-16 unit; '😀' is 4 bytes and 2 units.
    const line = 'x := "é😀" + undefinedName';
    const byteCol = Buffer.byteLength(line.slice(0, line.indexOf('undefinedName')), 'utf8') + 1;
    expect(utf16Col(line, byteCol)).toBe(line.indexOf('undefinedName') + 1);
    const s = spanAt(`package p\n${line}\n`, 2, byteCol);
    expect(s).toEqual({ start: { line: 2, col: line.indexOf('undefinedName') + 1 }, end: { line: 2, col: line.length + 1 } });
    expect(spanAt('package p\n\tfoo()\n', 2, undefined)).toEqual({ start: { line: 2, col: 2 }, end: { line: 2, col: 7 } });
  });
});

describe('command line', () => {
  const err = sink();
  it('reads --confirm, --confirm=all and --confirm-timeout', () => {
    expect(confirmFromArgs('', undefined, ['check', '--confirm'], err).confirm).toMatchObject({ mode: 'findings', timeoutMs: 600_000 });
    expect(confirmFromArgs('all', 30, ['check', '--confirm=all', '--confirm-timeout', '30'], err).confirm).toMatchObject({ mode: 'all', timeoutMs: 30_000 });
    // `--confirm ./...`: the flag, then a path.
    expect(confirmFromArgs('./...', undefined, ['check', '--confirm', './...'], err)).toMatchObject({ confirm: { mode: 'findings' }, paths: ['./...'] });
    expect(confirmFromArgs(undefined, undefined, ['check'], err)).toEqual({ paths: [] });
  });

  it('rejects bad values with a message', () => {
    expect(() => confirmFromArgs('everything', undefined, ['--confirm=everything'], err)).toThrow(/--confirm takes "all"/);
    expect(() => confirmFromArgs('', -1, ['--confirm', '--confirm-timeout', '-1'], err)).toThrow(/positive number of seconds/);
    expect(() => confirmFromArgs(undefined, 5, ['--confirm-timeout', '5'], err)).toThrow(/needs --confirm/);
  });
});

describe('progress', () => {
  it('writes one plain line per finished target when not on a terminal', () => {
    const out = sink();
    let now = 0;
    const p = createProgress(out, ['linux/386', 'windows/amd64'], 3, () => now);
    p.phase('linux/386', 'compile');
    now = 1500;
    p.done('linux/386', '3 packages compiled, 1 compile error in scanned files');
    now = 2500;
    p.done('windows/amd64', '3 packages compiled, 0 compile errors in scanned files');
    p.finish('1 confirmed, 0 refuted, 0 unknown');
    expect(out.text.split('\n')).toEqual([
      'crossvet: confirm linux/386: 3 packages compiled, 1 compile error in scanned files (1.5s)',
      'crossvet: confirm windows/amd64: 3 packages compiled, 0 compile errors in scanned files (2.5s)',
      'crossvet: confirm: 1 confirmed, 0 refuted, 0 unknown in 2.5s',
      '',
    ]);
    expect(out.text).not.toMatch(/\x1b/);
  });

  it('redraws a table of targets in place on a terminal', () => {
    const out = Object.assign(sink(), { isTTY: true, columns: 80 });
    let now = 0;
    const p = createProgress(out, ['linux/386', 'windows/amd64'], 2, () => now);
    now = 700;
    p.phase('windows/amd64', 'warm-std');
    p.done('linux/386', 'ok');
    p.finish('done');
    expect(out.text).toContain('crossvet --confirm: 2 targets × 2 packages');
    expect(out.text).toContain('building the standard library');
    expect(out.text).toMatch(/\x1b\[3A/); // back up over the title and two rows
    expect(out.text).toMatch(/linux\/386 +done: ok \(0\.7s\)/);
  });
});

// ---------------------------------------------------------------------------

describe('confirm-basic against go build', () => {
  let sarifLog: any;
  let json: any;
  let code: number;
  let stderr: string;
  const oracle = new Map<string, ReturnType<typeof oracleErrors>>();
  const dirs = ['.', 'app', 'app2'];

  beforeAll(async () => {
    const out = sink();
    const err = sink();
    code = await main(['check', '--targets', TARGETS, '--cgo', 'off', '--confirm=all', '--format', 'sarif', './...'], { stdout: out, stderr: err, cwd: BASIC });
    stderr = err.text;
    sarifLog = JSON.parse(out.text);
    const out2 = sink();
    await main(['check', '--targets', TARGETS, '--cgo', 'off', '--confirm=all', '--format', 'json', './...'], { stdout: out2, stderr: sink(), cwd: BASIC });
    json = JSON.parse(out2.text);
    for (const t of TARGETS.split(',')) oracle.set(t, oracleErrors(BASIC, dirs, t));
  }, SLOW);

  it('accounts for every compile error go reports, on every target, and for nothing else', () => {
    for (const [target, { errors }] of oracle) {
      const inScan = errors.filter((e) => !e.file.includes(`${path.sep}vendor${path.sep}`));
      expect(inScan.length, `go reports errors for ${target}`).toBeGreaterThan(0);
      for (const e of inScan) {
        const explained = json.findings.some((f: any) => {
          if (path.join(BASIC, f.file) !== e.file || !f.targets.includes(target)) return false;
          if (f.ruleId === 'cross-build-error') return f.span.start.line === e.line && f.properties.compilerMessage === e.message;
          const v = f.properties.confirmation.byTarget[target];
          return v?.status === 'confirmed' && f.span.start.line <= e.line && e.line <= f.span.end.line && v.message === e.message;
        });
        expect(explained, `${target}: ${path.relative(BASIC, e.file)}:${e.line}:${e.col}: ${e.message}`).toBe(true);
      }
      // Every cross-build-error in a scanned file is something go build itself says on that target.
      for (const f of json.findings.filter((x: any) => x.ruleId === 'cross-build-error' && x.targets.includes(target))) {
        const said = inScan.some((e) => e.file === path.join(BASIC, f.file) && e.line === f.span.start.line && e.message === f.properties.compilerMessage);
        // Import problems have no position in go build's output; they are checked below.
        expect(said || f.properties.importChain !== undefined || f.properties.dependency !== undefined, `${target}: ${f.file}:${f.span.start.line} ${f.message}`).toBe(true);
      }
    }
  });

  it('confirms findings only where go reports their error, and nowhere else', () => {
    for (const f of json.findings.filter((x: any) => x.ruleId !== 'cross-build-error')) {
      for (const [target, v] of Object.entries<any>(f.properties.confirmation.byTarget)) {
        const errs = oracle.get(target)!.errors.filter((e) => e.file === path.join(BASIC, f.file) && e.line >= f.span.start.line && e.line <= f.span.end.line);
        const importLine = /^import|^\s*"/.test(fs.readFileSync(path.join(BASIC, f.file), 'utf8').split('\n')[f.span.start.line - 1]);
        if (v.status === 'confirmed' && !importLine) expect(errs.map((e) => e.message), `${f.file}:${f.span.start.line} on ${target}`).toContain(v.message);
        if (v.status === 'refuted') expect(errs, `${f.file}:${f.span.start.line} on ${target}`).toEqual([]);
      }
    }
  });

  it('places an import of a package with no files for the target at the import, on exactly those targets', () => {
    const want = TARGETS.split(',').filter((t) => /imports example\.com\/confirm-basic\/winonly: build constraints exclude all Go files/.test(oracle.get(t)!.text.get('app')!));
    expect(want).toEqual(['linux/amd64', 'linux/386']);
    const at = json.findings.filter((f: any) => f.file === 'app/app.go' && f.span.start.line === lineOf(path.join(BASIC, 'app/app.go'), '"example.com/confirm-basic/winonly"'));
    expect(at.length).toBeGreaterThan(0);
    for (const f of at) {
      if (f.ruleId === 'cross-build-error') expect(f.targets).toEqual(want);
      else expect(confirmationOf(f)).toMatchObject({ status: 'confirmed', targets: want });
    }
  });

  it('places a vendored dependency that does not compile at the import that leads to it', () => {
    const want = TARGETS.split(',').filter((t) => oracle.get(t)!.errors.some((e) => e.file.endsWith(path.join('vendor', 'example.com', 'dep', 'dep.go'))));
    expect(want).toEqual(['linux/386']);
    const f = json.findings.find((x: any) => x.ruleId === 'cross-build-error' && x.file === 'app2/app2.go');
    expect(f).toBeDefined();
    expect(f.targets).toEqual(want);
    const depError = oracle.get('linux/386')!.errors.find((e) => e.file.endsWith('dep.go'))!;
    expect(f.message).toContain(depError.message);
    expect(f.related[0].file).toBe(path.join('vendor', 'example.com', 'dep', 'dep.go'));
  });

  it('writes SARIF that validates, with confirmations, the new rule and every go command run', () => {
    const validate = new Ajv({ allErrors: true, strict: false });
    addFormats(validate);
    const ok = validate.validate(JSON.parse(fs.readFileSync(schemaPath, 'utf8')), sarifLog);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const run = sarifLog.runs[0];
    const rule = run.tool.driver.rules.find((r: any) => r.id === 'cross-build-error');
    expect(rule.fullDescription.text).toMatch(/--confirm/);
    for (const r of run.results) {
      expect(['confirmed', 'refuted', 'unknown']).toContain(r.properties.confirmation.status);
      expect(Array.isArray(r.properties.confirmation.targets)).toBe(true);
      expect(typeof r.properties.confirmation.message).toBe('string');
    }
    expect(run.results.some((r: any) => r.ruleId === 'cross-build-error' && run.tool.driver.rules[r.ruleIndex].id === 'cross-build-error')).toBe(true);
    const procs = run.invocations[0].properties.subprocesses;
    // Per target: warm the standard library, then compile.
    for (const t of TARGETS.split(',')) {
      const [goos, goarch] = t.split('/');
      const mine = procs.filter((p: any) => p.environmentVariables.GOOS === goos && p.environmentVariables.GOARCH === goarch);
      expect(mine.map((p: any) => p.arguments[1])).toEqual(['build', 'list']);
      expect(mine[0].arguments.slice(-1)).toEqual(['std']);
      expect(mine[1].arguments).toContain('-gcflags=all=-e');
      for (const p of mine) {
        expect(p.exitCode).toBe(0);
        expect(p.durationMs).toBeGreaterThanOrEqual(0);
        expect(p.environmentVariables).toMatchObject({ GOTOOLCHAIN: 'local', GOPROXY: 'off', CGO_ENABLED: '0' });
        // vendor/ is used, as the go command would.
        expect(p.environmentVariables.GOFLAGS).toMatch(/-mod=vendor/);
      }
    }
    expect(code).toBe(1);
    expect(stderr).toMatch(/crossvet: confirm linux\/386: /);
  });
});

describe('refuting findings the compiler does not reproduce', () => {
  it('refutes a finding on a target that compiles the line, confirms it where go fails', async () => {
    const use = path.join(BASIC, 'use.go');
    const test = path.join(BASIC, 'use_test.go');
    const pageLine = lineOf(use, 'pageSize()');
    const bigLine = lineOf(use, 'var limit int = Big');
    const testLine = lineOf(test, '1 << 35');
    const diags = [
      diag('platform-symbol', use, pageLine, ['linux/386', 'windows/amd64']),
      diag('int-overflow-32bit', use, bigLine, ['linux/amd64', 'linux/386']),
      diag('int-overflow-32bit', test, testLine, ['windows/amd64']),
      diag('build-constraint-syntax', use, pageLine, ['windows/amd64']),
    ];
    const out = await runConfirm(confirmInput(BASIC, 'linux/amd64,linux/386,windows/amd64', diags, [scannedPackage(BASIC, '.', 'example.com/confirm-basic')]));
    const byT = (i: number) => confirmationOf(out.diagnostics[i]).byTarget;
    // The oracle, target by target.
    const failsAt = (file: string, line: number, t: string) => oracleErrors(BASIC, ['.'], t).errors.some((e) => e.file === file && e.line === line);
    expect(failsAt(use, pageLine, 'linux/386')).toBe(false);
    expect(failsAt(use, pageLine, 'windows/amd64')).toBe(true);
    expect(byT(0)['linux/386'].status).toBe('refuted');
    expect(byT(0)['windows/amd64'].status).toBe('confirmed');
    expect(confirmationOf(out.diagnostics[0])).toMatchObject({ status: 'confirmed', targets: ['windows/amd64'], message: 'undefined: pageSize' });

    expect(failsAt(use, bigLine, 'linux/amd64')).toBe(false);
    expect(byT(1)['linux/amd64'].status).toBe('refuted');
    expect(byT(1)['linux/386'].status).toBe('confirmed');

    expect(failsAt(test, testLine, 'windows/amd64')).toBe(false);
    expect(confirmationOf(out.diagnostics[2])).toMatchObject({ status: 'refuted', targets: ['windows/amd64'] });

    // A rule whose findings are not compile errors is neither confirmed nor refuted by an unrelated error.
    expect(confirmationOf(out.diagnostics[3]).status).toBe('unknown');
  }, SLOW);
});

describe('atomic-alignment through compile-time assertions', () => {
  let probe: Map<string, boolean>;
  beforeAll(() => {
    // The truth on linux/386: which atomic operations panic.
    const r = go(['run', './probe'], ALIGN, { GOARCH: '386', CGO_ENABLED: '0' });
    expect(r.status).toBe(0);
    probe = new Map(
      r.out
        .trim()
        .split('\n')
        .map((l) => {
          const [name, ...rest] = l.split(' ');
          return [name, rest.join(' ').startsWith('panic: unaligned 64-bit atomic operation')] as [string, boolean];
        }),
    );
    expect(probe.size).toBe(6);
  }, SLOW);

  it('writes the assertion expression for field paths, array indices and slice elements', () => {
    const spec = atomicSpec({ ruleId: 'atomic-alignment', file: 'x', span: { start: { line: 1, col: 1 }, end: { line: 1, col: 2 } }, message: '', targets: [], properties: { atomic: { struct: 'example.com/m.T', fieldPath: ['a', 2, 'b'], elements: true } } });
    expect(spec).toEqual({ pkg: 'example.com/m', typeName: 'T', fieldPath: ['a', 2, 'b'], elements: true });
    // Offsets inside element 2 are those inside element 0 (which every array has).
    expect(misalignmentExpr('v', spec as never, 'u')).toBe('(u.Offsetof(v.a) + 2*u.Sizeof(v.a[0]) + u.Offsetof(v.a[0].b)) % 8 | u.Sizeof(v) % 8');
    // A non-constant index checks elements 0 and 1, which have every residue the others have.
    const any = atomicSpec({ ruleId: 'atomic-alignment', file: 'x', span: { start: { line: 1, col: 1 }, end: { line: 1, col: 2 } }, message: '', targets: [], properties: { atomic: { struct: 'example.com/m.R', fieldPath: ['slots', '*'] } } });
    expect(misalignmentExpr('v', any as never, 'u')).toBe('(u.Offsetof(v.slots) + 0*u.Sizeof(v.slots[0])) % 8 | (u.Offsetof(v.slots) + 1*u.Sizeof(v.slots[0])) % 8');
    expect(atomicSpec({ ruleId: 'atomic-alignment', file: 'x', span: { start: { line: 1, col: 1 }, end: { line: 1, col: 2 } }, message: '', targets: [] })).toMatchObject({ problem: /properties\.atomic/ });
    // A leading index is an element of a slice or array of the struct.
    const el = atomicSpec({ ruleId: 'atomic-alignment', file: 'x', span: { start: { line: 1, col: 1 }, end: { line: 1, col: 2 } }, message: '', targets: [], properties: { atomic: { struct: 'example.com/m.T', fieldPath: [3, 'b'] } } });
    expect(misalignmentExpr('v', el as never, 'u')).toBe('(3*u.Sizeof(v) + u.Offsetof(v.b)) % 8');
    // The part of the path inside another package's struct is a constant declared there.
    const nested = atomicSpec({ ruleId: 'atomic-alignment', file: 'x', span: { start: { line: 1, col: 1 }, end: { line: 1, col: 2 } }, message: '', targets: [], properties: { atomic: { struct: 'example.com/m.T', fieldPath: ['c'], inner: { struct: 'example.com/m/metrics.Counter', fieldPath: ['v'] } } } });
    expect(nested).toMatchObject({ pkg: 'example.com/m', inner: { pkg: 'example.com/m/metrics', typeName: 'Counter', fieldPath: ['v'] } });
    expect(misalignmentExpr('v', nested as never, 'u', 'p0.CrossvetAlignOff1')).toBe('(u.Offsetof(v.c) + p0.CrossvetAlignOff1) % 8');
  });

  it('confirms exactly the words that really are misaligned on 32-bit targets', async () => {
    const file = path.join(ALIGN, 'align.go');
    const cases: [string, string, (string | number)[], boolean][] = [
      ['Counter.total', 'Counter', ['total'], false],
      ['Good.total', 'Good', ['total'], false],
      ['Outer.in.n', 'Outer', ['in', 'n'], false],
      ['Outer2.in.n', 'Outer2', ['in', 'n'], false],
      ['Arr.arr[1]', 'Arr', ['arr', 1], false],
      ['Arr.arr[1]', 'Arr', ['arr', '*'], false],
      ['Pair[1].n', 'Pair', ['n'], true],
    ];
    const diags = cases.map(([, struct, fieldPath, elements]) =>
      diag('atomic-alignment', file, lineOf(file, `func (`) , ['linux/386', 'linux/arm/v6'], { atomic: { struct: `example.com/confirm-align.${struct}`, fieldPath, elements } }),
    );
    diags.push(diag('atomic-alignment', file, 1, ['linux/386'], { atomic: { struct: 'example.com/confirm-align.NoSuchType', fieldPath: ['n'] } }));
    diags.push(diag('atomic-alignment', file, 1, ['linux/386']));
    const out = await runConfirm(confirmInput(ALIGN, 'linux/386,linux/arm/v6', diags, [scannedPackage(ALIGN, '.', 'example.com/confirm-align')]));
    cases.forEach(([name], i) => {
      const c = confirmationOf(out.diagnostics[i]);
      const want = probe.get(name) ? 'confirmed' : 'refuted';
      expect(c.byTarget['linux/386'].status, name).toBe(want);
      // gc lays out structs the same way on every 32-bit target.
      expect(c.byTarget['linux/arm/v6'].status, name).toBe(want);
    });
    expect(confirmationOf(out.diagnostics[cases.length])).toMatchObject({ status: 'unknown', message: /undefined: NoSuchType/ });
    expect(confirmationOf(out.diagnostics[cases.length + 1])).toMatchObject({ status: 'unknown', message: /properties\.atomic/ });
    // The assertions run through -overlay and leave the package untouched.
    expect(out.runs.some((r) => r.purpose === 'align' && r.args.some((a) => a.startsWith('-overlay=')))).toBe(true);
    expect(fs.readdirSync(ALIGN).filter((n) => n.includes('crossvet'))).toEqual([]);
    expect(out.diagnostics.filter((d) => d.ruleId === 'cross-build-error')).toEqual([]);
  }, SLOW);

  it('gives the atomic-alignment rule\'s own findings a verdict', async () => {
    const out = sink();
    await main(['check', '--targets', 'linux/386', '--rules', 'atomic-alignment,cross-build-error', '--confirm', '--format', 'json', '.'], { stdout: out, stderr: sink(), cwd: ALIGN });
    const found = JSON.parse(out.text).findings.filter((f: any) => f.ruleId === 'atomic-alignment');
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) {
      const c = f.properties.confirmation;
      // Every finding here names its word, so each gets a verdict from the compiler.
      expect(f.properties.atomic, f.message).toBeDefined();
      const { struct, fieldPath, elements } = f.properties.atomic;
      const key =
        String(struct).split('.').pop() +
        (elements ? '[1]' : '') +
        (fieldPath as (string | number)[]).map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('');
      expect(probe.has(key), key).toBe(true);
      expect(c.status, f.message).toBe(probe.get(key) ? 'confirmed' : 'refuted');
    }
  }, SLOW);
});

describe('atomic-alignment findings of the rule fixtures, through the compiler', () => {
  // Each fixture's findings on linux/386, confirmed by the compile-time assertions: a
  // finding that names its word must never be refuted (the word really is misaligned).
  // atomic-cross-package and atomic-vendor reach unexported fields of other packages' types.
  const cases = ['atomic-slices', 'atomic-arrays', 'atomic-nested', 'atomic-embedded', 'atomic-std-types', 'atomic-operand-types', 'atomic-cross-package', 'atomic-vendor'];
  it.each(cases)('%s', async (name) => {
    const out = sink();
    await main(['check', '--targets', 'linux/386', '--rules', 'atomic-alignment,cross-build-error', '--confirm', '--format', 'json', '.'], {
      stdout: out,
      stderr: sink(),
      cwd: path.join(FIXTURES_DIR, name),
    });
    const found = JSON.parse(out.text).findings;
    expect(found.filter((f: any) => f.ruleId === 'cross-build-error')).toEqual([]);
    const named = found.filter((f: any) => f.ruleId === 'atomic-alignment' && f.properties.atomic);
    expect(named.length).toBeGreaterThan(0);
    for (const f of named) expect(f.properties.confirmation.status, f.message).toBe('confirmed');
  }, SLOW);
});

describe('cgo-net-linking through the ELF headers', () => {
  it('confirms a dynamically linked command and refutes a static one, as debug/elf reads them', async () => {
    const host = `${go(['env', 'GOHOSTOS'], LINK).out.trim()}/${go(['env', 'GOHOSTARCH'], LINK).out.trim()}`;
    const cc = go(['env', 'CC'], LINK).out.trim();
    if (!host.startsWith('linux/') || spawnSync(cc || 'gcc', ['--version']).status !== 0) {
      throw new Error(`this test needs a linux host with a C compiler (host ${host}, CC ${cc})`);
    }
    const lookup = path.join(LINK, 'cmd', 'lookup', 'main.go');
    const hello = path.join(LINK, 'cmd', 'hello', 'main.go');
    const diags = [diag('cgo-net-linking', lookup, lineOf(lookup, '"net"'), [host]), diag('cgo-net-linking', hello, lineOf(hello, '"fmt"'), [host])];
    const ts = parseTargets(host);
    const out = await runConfirm(
      confirmInput(LINK, host, diags, [scannedPackage(LINK, 'cmd/lookup', 'example.com/confirm-link/cmd/lookup'), scannedPackage(LINK, 'cmd/hello', 'example.com/confirm-link/cmd/hello')], {
        contexts: new Map(ts.map((t) => [t.id, contextFor(t, { cgo: 'on' })])),
      }),
    );
    // The oracle: build each the same way and ask debug/elf for PT_INTERP.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-elf-'));
    try {
      fs.writeFileSync(path.join(dir, 'go.mod'), 'module elfcheck\n\ngo 1.22\n');
      fs.writeFileSync(
        path.join(dir, 'main.go'),
        'package main\n\nimport (\n\t"debug/elf"\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n\tf, err := elf.Open(os.Args[1])\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\tfor _, p := range f.Progs {\n\t\tif p.Type == elf.PT_INTERP {\n\t\t\tfmt.Println("dynamic")\n\t\t\treturn\n\t\t}\n\t}\n\tfmt.Println("static")\n}\n',
      );
      for (const [i, cmd] of ['lookup', 'hello'].entries()) {
        const bin = path.join(dir, cmd);
        expect(go(['build', '-o', bin, `./cmd/${cmd}`], LINK, { CGO_ENABLED: '1' }).status).toBe(0);
        const kind = go(['run', '.', bin], dir).out.trim();
        expect(confirmationOf(out.diagnostics[i]).status, cmd).toBe(kind === 'dynamic' ? 'confirmed' : 'refuted');
      }
      expect(confirmationOf(out.diagnostics[0]).message).toMatch(/interpreter \//);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(out.runs.filter((r) => r.purpose === 'link').length).toBe(2);
  }, SLOW);
});

describe('cgo-net-linking: files that drop out where cgo is off', () => {
  it('confirms the rule\'s findings as the go command lists the files, and refutes a drop where cgo is on', async () => {
    const listed = (env: Record<string, string>) => go(['list', '-f', '{{join .CgoFiles " "}}|{{join .IgnoredGoFiles " "}}', './native'], LINK, env).out.trim().split('|');
    const [winCgo, winIgnored] = listed({ GOOS: 'windows', GOARCH: 'amd64', CGO_ENABLED: '0' });
    const [linCgo] = listed({ GOOS: 'linux', GOARCH: 'amd64', CGO_ENABLED: '1' });
    expect(winCgo).toBe('');
    expect(winIgnored.split(' ')).toContain('native.go');
    expect(linCgo.split(' ')).toContain('native.go');

    const stdout = sink();
    await main(['check', '--targets', 'windows/amd64', '--rules', 'cgo-net-linking', '--confirm', '--format', 'json', './...'], { stdout, stderr: sink(), cwd: LINK });
    const dropped = JSON.parse(stdout.text).findings.filter((f: any) => f.properties.kind === 'cgo-dropped');
    expect(dropped.map((f: any) => f.file)).toEqual(['native/native.go']);
    expect(dropped[0].properties.confirmation).toMatchObject({ status: 'confirmed', targets: ['windows/amd64'] });

    // The same claim for a target where cgo is on is wrong: the go command compiles the file.
    const file = path.join(LINK, 'native', 'native.go');
    const d = diag('cgo-net-linking', file, lineOf(file, 'import "C"'), ['linux/amd64'], { kind: 'cgo-dropped', files: [file] });
    const ts = parseTargets('linux/amd64');
    const out = await runConfirm(
      confirmInput(LINK, 'linux/amd64', [d], [scannedPackage(LINK, 'native', 'example.com/confirm-link/native')], { contexts: new Map(ts.map((t) => [t.id, contextFor(t, { cgo: 'on' })])) }),
    );
    expect(confirmationOf(out.diagnostics[0])).toMatchObject({ status: 'refuted', targets: ['linux/amd64'] });
  }, SLOW);
});

describe('driver failures', () => {
  const saved = process.env.CROSSVET_GO;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-fakego-'));
  // The static analysis asks the real go command once (and keeps its answer); only the
  // confirm stage's runs meet the broken one below.
  beforeAll(() => {
    expect(goEnv()).not.toBeNull();
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.CROSSVET_GO;
    else process.env.CROSSVET_GO = saved;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const use = path.join(BASIC, 'use.go');
  const diags = () => [diag('platform-symbol', use, lineOf(use, 'pageSize()'), ['windows/amd64'])];

  it('reports a go command that cannot be started as a notification and keeps the findings', async () => {
    process.env.CROSSVET_GO = path.join(tmp, 'no-such-go');
    const out = await runConfirm(confirmInput(BASIC, 'windows/amd64', diags(), [scannedPackage(BASIC, '.', 'example.com/confirm-basic')]));
    expect(out.diagnostics).toHaveLength(1);
    expect(confirmationOf(out.diagnostics[0])).toMatchObject({ status: 'unknown' });
    expect(out.notifications).toEqual([expect.objectContaining({ level: 'error', id: 'confirm-build-failed', message: expect.stringMatching(/was not found/) })]);
    expect(out.runs[0]).toMatchObject({ exitCode: null, failure: expect.stringMatching(/not found/) });
  });

  it('ends a run that exceeds the timeout, with its child processes', async () => {
    const fake = path.join(tmp, 'slow-go');
    const pidFile = path.join(tmp, 'child.pid');
    // A go command that starts a child and never finishes.
    fs.writeFileSync(fake, `#!/bin/sh\nsleep 60 &\necho $! > '${pidFile}'\nwait\n`, { mode: 0o755 });
    process.env.CROSSVET_GO = fake;
    const t0 = Date.now();
    const out = await runConfirm(confirmInput(BASIC, 'windows/amd64', diags(), [scannedPackage(BASIC, '.', 'example.com/confirm-basic')], { timeoutMs: 1000 }));
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(out.notifications).toEqual([expect.objectContaining({ id: 'confirm-timeout', message: expect.stringMatching(/timed out after 1 s.*--confirm-timeout/) })]);
    expect(out.runs[0]).toMatchObject({ timedOut: true, exitCode: null });
    const child = Number(fs.readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 200));
    // Gone, or a zombie waiting for init to reap it: either way no longer running.
    let state = 'gone';
    try {
      state = fs.readFileSync(`/proc/${child}/stat`, 'utf8').replace(/^.*\) /, '')[0];
    } catch {
      /* gone */
    }
    expect(['gone', 'Z', 'X']).toContain(state);
  });

  it('keeps the exit code of the static findings when the driver fails', async () => {
    process.env.CROSSVET_GO = path.join(tmp, 'no-such-go');
    const stdout = sink();
    const code = await main(['check', '--targets', 'linux/amd64,windows/amd64', '--cgo', 'off', '--confirm', '--format', 'json', '.'], { stdout, stderr: sink(), cwd: BASIC });
    const doc = JSON.parse(stdout.text);
    expect(doc.findings.some((f: any) => f.ruleId === 'platform-symbol')).toBe(true);
    expect(doc.notifications.some((n: any) => n.id === 'confirm-build-failed')).toBe(true);
    expect(code).toBe(1);
  }, SLOW);
});

describe('GOFLAGS', () => {
  it('adds -mod=vendor when the go command would use vendor/, and keeps an explicit -mod', () => {
    const m = findModule(BASIC)!;
    expect(confirmGoflags(m, '-buildvcs=false')).toBe('-buildvcs=false -mod=vendor');
    expect(confirmGoflags(m, '-mod=mod')).toBe('-mod=mod');
    expect(confirmGoflags(findModule(ALIGN)!, '')).toBe('');
  });
});

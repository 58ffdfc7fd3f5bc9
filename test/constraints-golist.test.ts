// Differential test: for every port of the go command on PATH, which files does
// `go list` put in each package, and does fileBuilds() say the same? The corpus
// (fixtures/constraints-corpus) is made of tricky headers and file names; Go's own
// standard library is a second, real-world corpus.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { goCommand, goEnv, safeGoEnv } from '../src/goenv';
import { Target, parseTarget, ports } from '../src/targets';
import { FileHeader, readHeader } from '../src/constraints/header';
import { BuildContext, contextFor, fileBuilds, toolTags } from '../src/constraints/match';
import { goodOSArchFile } from '../src/constraints/suffix';
import { matchTag } from '../src/constraints/match';

const CORPUS = path.resolve(__dirname, '..', 'fixtures', 'constraints-corpus');
const USER_TAGS = ['foo', 'linux', 'goexperiment.boringcrypto'];
// Variant settings beyond each architecture's default, to exercise the feature tags.
const VARIANT_TARGETS = [
  'linux/amd64/v3', 'linux/amd64/v4', 'linux/arm/v5', 'linux/arm/v6', 'linux/arm64/v8.1', 'linux/arm64/v9.3',
  'linux/386/softfloat', 'linux/mips/softfloat', 'linux/mips64le/softfloat', 'linux/ppc64le/power10',
  'linux/riscv64/rva22u64', 'linux/riscv64/rva23u64',
];

interface GoPackage {
  Dir: string;
  ImportPath: string;
  GoFiles?: string[];
  CgoFiles?: string[];
  TestGoFiles?: string[];
  XTestGoFiles?: string[];
  IgnoredGoFiles?: string[];
  InvalidGoFiles?: string[];
  Error?: { Err: string };
  Imports?: string[];
  ImportMap?: Record<string, string>;
  TestImports?: string[];
  XTestImports?: string[];
  BinaryOnly?: boolean;
}

interface Run {
  target: Target;
  cgo: 'on' | 'off' | 'auto';
  tags: string[];
  label: string;
}

/** `go list -e -json` with the target's environment, without blocking the event loop. */
function goList(dir: string, run: Run, patterns: string[]): Promise<GoPackage[]> {
  const env: Record<string, string | undefined> = { ...run.target.env, GOFLAGS: '-mod=mod', GOWORK: 'off' };
  if (run.cgo !== 'auto') env.CGO_ENABLED = run.cgo === 'on' ? '1' : '0';
  else env.CGO_ENABLED = undefined;
  const args = ['list', '-e', '-json=Dir,ImportPath,GoFiles,CgoFiles,TestGoFiles,XTestGoFiles,IgnoredGoFiles,InvalidGoFiles,Error,Imports,ImportMap,TestImports,XTestImports,BinaryOnly'];
  if (run.tags.length) args.push('-tags', run.tags.join(','));
  args.push(...patterns);
  return new Promise((resolve, reject) => {
    const child = spawn(goCommand(), args, { cwd: dir, env: safeGoEnv(env) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      if (code !== 0) return reject(new Error(`go ${args.join(' ')} (${run.label}) exited ${code}: ${Buffer.concat(err).toString('utf8')}`));
      // One JSON object per package, each closed by a "}" alone on its line.
      const objects = stdout.split(/^}$/m).map((s) => s.trim()).filter(Boolean).map((s) => JSON.parse(s + '}') as GoPackage);
      resolve(objects);
    });
  });
}

/** Run tasks with at most `limit` in flight (the machine has two cores). */
async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const headerCache = new Map<string, FileHeader>();
function headerOf(file: string): FileHeader {
  let h = headerCache.get(file);
  if (!h) {
    h = readHeader(fs.readFileSync(file));
    headerCache.set(file, h);
  }
  return h;
}

function goFilesIn(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isFile() && d.name.endsWith('.go')).map((d) => d.name).sort();
}

/**
 * Compare one package of one run: every .go file of the directory must be built by
 * go list exactly when fileBuilds says so, and marked invalid exactly when its header
 * says the go command would. The go command (its module index) marks a file invalid
 * when reading it failed (NUL byte, several //go:build lines) or its header does not
 * parse, whatever its build constraints say; and it stops reading a package at the
 * first file, in name order, whose //go:build line does not parse.
 */
function comparePackage(pkg: GoPackage, ctx: BuildContext, label: string, root: string, problems: string[]): number {
  const built = new Set([...(pkg.GoFiles ?? []), ...(pkg.CgoFiles ?? []), ...(pkg.TestGoFiles ?? []), ...(pkg.XTestGoFiles ?? [])]);
  const ignored = new Set(pkg.IgnoredGoFiles ?? []);
  const invalid = new Set(pkg.InvalidGoFiles ?? []);
  const ok = (t: string) => matchTag(ctx, t);
  let compared = 0;
  let abortedAt: string | undefined;
  for (const name of goFilesIn(pkg.Dir)) {
    const file = path.join(pkg.Dir, name);
    const rel = path.relative(root, file);
    const where = `${rel} × ${label}`;
    const listed = built.has(name) || ignored.has(name) || invalid.has(name);
    if (name.startsWith('_') || name.startsWith('.')) {
      if (listed) problems.push(`${where}: go list mentions a file it should skip`);
      continue;
    }
    if (abortedAt !== undefined) {
      if (listed) problems.push(`${where}: listed although the package stopped loading at ${abortedAt}`);
      continue;
    }
    const h = headerOf(file);
    const ours = fileBuilds(name, h, ctx, { includeTests: true });
    compared++;
    if (ours !== built.has(name)) {
      problems.push(`${where}: go list ${built.has(name) ? 'builds' : 'excludes'} it, fileBuilds says ${ours}`);
      continue;
    }
    const badExpr = h.invalid?.startsWith('parsing //go:build line') ?? false;
    if (badExpr && goodOSArchFile(name, ok)) {
      abortedAt = name;
      // A header that does not parse is reported first, so such a file is also invalid.
      if (built.has(name) || ignored.has(name)) problems.push(`${where}: go list lists a file whose //go:build line does not parse`);
      if (invalid.has(name) !== (h.error !== undefined)) problems.push(`${where}: go list ${invalid.has(name) ? 'marks' : 'does not mark'} it invalid; header error: ${h.error}`);
      if (!pkg.Error?.Err.includes(`${name}: ${h.invalid}`)) problems.push(`${where}: package error ${JSON.stringify(pkg.Error?.Err)}, want "${name}: ${h.invalid}"`);
      continue;
    }
    const isTest = name.endsWith('_test.go');
    const wantInvalid = (h.invalid !== undefined && !badExpr) || h.error !== undefined || (ours && isTest && h.importsC);
    if (wantInvalid !== invalid.has(name)) {
      problems.push(`${where}: go list ${invalid.has(name) ? 'marks it invalid' : 'does not mark it invalid'}; header: ${JSON.stringify({ error: h.error, invalid: h.invalid })}`);
    }
    if (!ours && !listed) problems.push(`${where}: go list neither builds nor ignores it`);
  }
  // //go:binary-only-package counts in the package's listed non-test files.
  const binaryOnly = [...(pkg.GoFiles ?? []), ...(pkg.CgoFiles ?? [])].some((f) => headerOf(path.join(pkg.Dir, f)).binaryOnly);
  if (binaryOnly !== (pkg.BinaryOnly ?? false)) problems.push(`${path.relative(root, pkg.Dir)} × ${label}: go list says BinaryOnly=${pkg.BinaryOnly ?? false}`);
  return compared;
}

/**
 * The import paths readHeader finds in the package's listed files must be the ones go
 * list reports (after undoing vendor mapping; cgo packages also get implicit imports).
 */
function compareImports(pkg: GoPackage, label: string, problems: string[]): void {
  const unmap = new Map(Object.entries(pkg.ImportMap ?? {}).map(([src, dst]) => [dst, src]));
  // Test imports are mapped in the test package's ImportMap, which go list does not print;
  // in GOROOT the mapping is always to vendor/<path>.
  const source = (paths: string[] | undefined) => new Set((paths ?? []).map((p) => unmap.get(p) ?? p.replace(/^vendor\//, '')));
  // go/build keeps no imports of a file whose header does not parse.
  const ours = (files: string[] | undefined) =>
    new Set((files ?? []).map((f) => headerOf(path.join(pkg.Dir, f))).filter((h) => h.error === undefined).flatMap((h) => h.imports.map((i) => i.path)));
  const implicit = (pkg.CgoFiles ?? []).length ? new Set(['unsafe', 'syscall', 'runtime/cgo']) : new Set<string>();
  const check = (what: string, want: Set<string>, got: Set<string>, allowedExtra: Set<string>) => {
    const missing = [...want].filter((p) => !got.has(p) && !allowedExtra.has(p));
    const extra = [...got].filter((p) => !want.has(p));
    if (missing.length || extra.length) problems.push(`${pkg.ImportPath} × ${label}: ${what}: readHeader misses ${JSON.stringify(missing)}, adds ${JSON.stringify(extra)}`);
  };
  check('Imports', source(pkg.Imports), ours([...(pkg.GoFiles ?? []), ...(pkg.CgoFiles ?? [])]), implicit);
  check('TestImports', source(pkg.TestImports), ours(pkg.TestGoFiles), new Set());
  check('XTestImports', source(pkg.XTestImports), ours(pkg.XTestGoFiles), new Set());
}

const haveGo = goEnv() !== null;

describe.skipIf(!haveGo)('fileBuilds agrees with go list', () => {
  let allPorts: Target[] = [];
  beforeAll(() => {
    allPorts = ports().ports.map((p) => parseTarget(`${p.goos}/${p.goarch}`));
  });

  it('on the corpus, for every port with cgo on and off, with user tags, and for variant settings', async () => {
    expect(allPorts.length).toBeGreaterThanOrEqual(40);
    const runs: Run[] = [];
    for (const target of allPorts) {
      runs.push({ target, cgo: 'on', tags: [], label: `${target.id} cgo=1` });
      runs.push({ target, cgo: 'off', tags: [], label: `${target.id} cgo=0` });
      runs.push({ target, cgo: 'auto', tags: USER_TAGS, label: `${target.id} -tags ${USER_TAGS.join(',')}` });
    }
    for (const id of VARIANT_TARGETS) {
      const target = parseTarget(id);
      runs.push({ target, cgo: 'off', tags: [], label: `${target.id} (${Object.entries(target.env).map(([k, v]) => `${k}=${v}`).join(' ')})` });
    }

    const problems: string[] = [];
    let comparisons = 0;
    let built = 0;
    await pool(runs, 2, async (run) => {
      const pkgs = await goList(CORPUS, run, ['./...']);
      const ctx = contextFor(run.target, { cgo: run.cgo, tags: run.tags });
      for (const pkg of pkgs) {
        comparisons += comparePackage(pkg, ctx, run.label, CORPUS, problems);
        compareImports(pkg, run.label, problems);
        built += (pkg.GoFiles?.length ?? 0) + (pkg.CgoFiles?.length ?? 0) + (pkg.TestGoFiles?.length ?? 0) + (pkg.XTestGoFiles?.length ?? 0);
      }
    });
    console.log(`constraints corpus: ${runs.length} go list runs, ${comparisons} file × target comparisons, ${built} files built, ${problems.length} disagreements`);
    if (problems.length) console.log(problems.slice(0, 100).join('\n'));
    // The corpus must really be listed (a go list that saw nothing would agree vacuously).
    expect(comparisons).toBeGreaterThan(runs.length * 250);
    expect(problems).toEqual([]);
  });

  it('on the standard library, for a spread of ports', async () => {
    const goroot = goEnv()!.GOROOT;
    const ids = ['linux/amd64', 'windows/386', 'darwin/arm64', 'js/wasm', 'aix/ppc64', 'plan9/arm', 'android/arm64', 'illumos/amd64'];
    const runs: Run[] = ids.map((id) => {
      const target = parseTarget(id);
      return { target, cgo: id === 'linux/amd64' ? 'on' : 'off', tags: [], label: `${id}` };
    });
    const problems: string[] = [];
    let comparisons = 0;
    await pool(runs, 2, async (run) => {
      const pkgs = await goList(path.join(goroot, 'src'), run, ['std']);
      const ctx = contextFor(run.target, { cgo: run.cgo });
      for (const pkg of pkgs) {
        comparisons += comparePackage(pkg, ctx, run.label, goroot, problems);
        compareImports(pkg, run.label, problems);
      }
    });
    console.log(`standard library: ${runs.length} ports, ${comparisons} file × target comparisons, ${problems.length} disagreements`);
    if (problems.length) console.log(problems.slice(0, 100).join('\n'));
    expect(comparisons).toBeGreaterThan(runs.length * 3000);
    expect(problems).toEqual([]);
  });

  it('header syntax errors are the ones go/parser reports', async () => {
    // go list on one file reports the file's first parse error with its position.
    const ctx = contextFor(parseTarget('linux/amd64'), { cgo: 'on' });
    const files = corpusFiles(CORPUS).filter((f) => {
      const h = headerOf(f);
      // go list refuses command-line files with a NUL byte anywhere, before parsing them.
      if (fs.readFileSync(f).includes(0)) return false;
      return h.error !== undefined && h.invalid === undefined && fileBuilds(path.basename(f), h, ctx, { includeTests: true });
    });
    expect(files.length).toBeGreaterThanOrEqual(12);
    const problems: string[] = [];
    await pool(files, 2, async (file) => {
      const want = await goListFile(file);
      const [, lc, msg] = /^(\d+:\d+): (.*)$/s.exec(headerOf(file).error!)!;
      const got = `${want.Error?.Pos ?? ''}: ${want.Error?.Err ?? ''}`;
      if (!got.includes(`:${lc}`) || !got.includes(msg)) problems.push(`${path.relative(CORPUS, file)}: go says ${JSON.stringify(got)}, readHeader says ${JSON.stringify(headerOf(file).error)}`);
    });
    console.log(`header syntax errors: ${files.length} files, ${problems.length} disagreements`);
    if (problems.length) console.log(problems.join('\n'));
    expect(problems).toEqual([]);
  });

  it('tool tags match the go command for every port', async () => {
    // context.ToolTags is what go list matches feature and experiment tags against.
    const problems: string[] = [];
    const targets = [...allPorts, ...VARIANT_TARGETS.map(parseTarget)];
    await pool(targets, 2, async (target) => {
      const run: Run = { target, cgo: 'off', tags: [], label: target.id };
      const got = await goListToolTags(run);
      const ours = toolTags(contextFor(target, {}));
      if (JSON.stringify([...got].sort()) !== JSON.stringify([...ours].sort())) {
        problems.push(`${target.id}: go ${got.join(' ')} | ours ${ours.join(' ')}`);
      }
    });
    if (problems.length) console.log(problems.join('\n'));
    expect(problems).toEqual([]);
  });
});

/** Every .go file of the corpus that go would see, recursively (not under _x, .x or testdata). */
function corpusFiles(dir: string): string[] {
  const out: string[] = [];
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    if (d.name.startsWith('_') || d.name.startsWith('.') || d.name === 'testdata') continue;
    const p = path.join(dir, d.name);
    if (d.isDirectory()) out.push(...corpusFiles(p));
    else if (d.name.endsWith('.go')) out.push(p);
  }
  return out.sort();
}

function goListFile(file: string): Promise<{ Error?: { Pos?: string; Err: string } }> {
  const env: Record<string, string | undefined> = { GOOS: 'linux', GOARCH: 'amd64', GOAMD64: 'v1', CGO_ENABLED: '1', GOFLAGS: '-mod=mod', GOWORK: 'off' };
  return new Promise((resolve, reject) => {
    const child = spawn(goCommand(), ['list', '-e', '-json=Error', path.basename(file)], { cwd: path.dirname(file), env: safeGoEnv(env) });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`go list ${file}: ${err}`))));
  });
}

function goListToolTags(run: Run): Promise<string[]> {
  const env: Record<string, string | undefined> = { ...run.target.env, GOFLAGS: '-mod=mod', GOWORK: 'off', CGO_ENABLED: '0' };
  return new Promise((resolve, reject) => {
    const child = spawn(goCommand(), ['list', '-f', '{{join context.ToolTags " "}}', '.'], { cwd: path.join(CORPUS, 'features'), env: safeGoEnv(env) });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out.trim().split(/\s+/).filter(Boolean)) : reject(new Error(`go list (${run.label}): ${err}`))));
  });
}

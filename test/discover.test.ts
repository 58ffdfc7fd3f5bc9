// Discovery against the go command as the oracle: where import paths resolve
// (`go list -f {{.Dir}}`), which directories `./...` and `std` cover (`go list`, for every
// port), what go.mod/go.work say (`go mod edit -json`, `go work edit -json`), where the
// go command finds fault with a go.mod, and when it builds from vendor/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { goCommand, goEnv, runGo, safeGoEnv } from '../src/goenv';
import { ports } from '../src/targets';
import { GoModError, parseGoMod, parseGoWork, parseModulesTxt, readGoMod, readGoWork, compareSemver } from '../src/discover/gomod';
import { discoverEnv, envWithoutGo, findModule, vendorModeDetail, type DiscoverEnv } from '../src/discover/module';
import { escapeModulePath, Resolver, unescapeModulePath } from '../src/discover/resolve';
import { importPathOf, listPackageDirs, type WalkFs } from '../src/discover/packages';

const repo = path.resolve(__dirname, '..');
const fixture = (name: string): string => path.join(repo, 'fixtures', name);
const ge = goEnv();
const GOROOT = ge?.GOROOT ?? '';

/** Every test here runs with workspaces off unless it builds one itself. */
const ENV: DiscoverEnv | undefined = ge ? discoverEnv({ gowork: 'off' }) : undefined;

function goList(cwd: string, args: string[], env: Record<string, string | undefined> = {}): { path: string; dir: string; error: string }[] {
  const r = runGo(['list', '-e', '-json=ImportPath,Dir,Error', ...args], { cwd, env: { GOWORK: 'off', ...env } });
  if (r.error) throw r.error;
  // A stream of JSON objects, each closed by a "}" line of its own.
  const out: { path: string; dir: string; error: string }[] = [];
  let buf = '';
  for (const line of r.stdout.split('\n')) {
    buf += `${line}\n`;
    if (line !== '}') continue;
    const o = JSON.parse(buf) as { ImportPath: string; Dir?: string; Error?: { Err: string } };
    out.push({ path: o.ImportPath, dir: o.Dir ?? '', error: o.Error?.Err ?? '' });
    buf = '';
  }
  if (!out.length && r.stderr) return [{ path: '', dir: '', error: r.stderr }];
  return out;
}

/** The go command, asynchronously, so two runs can share the two cores. */
function goRun(args: string[], cwd: string, env: Record<string, string | undefined>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(goCommand(), args, { cwd, env: safeGoEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function goAsync(args: string[], cwd: string, env: Record<string, string | undefined>): Promise<string> {
  const r = await goRun(args, cwd, env);
  if (r.code !== 0) throw new Error(`go ${args.join(' ')}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** Run jobs two at a time. */
async function inPairs<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

/**
 * The directories `go list <pattern>` reports on any port of the toolchain (the go command
 * lists only what builds for one GOOS/GOARCH; crossvet covers them all), plus one host run
 * with the `tags` that no port sets by itself.
 */
async function listOnEveryPort(cwd: string, pattern: string, tags: string[] = []): Promise<Set<string>> {
  const runs: Record<string, string | undefined>[] = ports().ports.map((p) => ({ GOOS: p.goos, GOARCH: p.goarch, GOWORK: 'off' }));
  const jobs = runs.map((env) => () => goAsync(['list', '-find', '-e', '-f', '{{.Dir}}', pattern], cwd, env));
  if (tags.length) jobs.push(() => goAsync(['list', '-find', '-e', '-tags', tags.join(','), '-f', '{{.Dir}}', pattern], cwd, { GOWORK: 'off' }));
  const dirs = new Set<string>();
  for (const out of await inPairs(jobs)) for (const d of out.split('\n')) if (d) dirs.add(d);
  return dirs;
}

function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `crossvet-discover-${prefix}-`));
}

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
}

/** The answer of resolve() in the form go list prints it: the directory, or '' when unresolved. */
function dirOf(r: ReturnType<Resolver['resolve']>): string {
  return 'error' in r ? '' : r.dir;
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!ge)('import resolution matches go list', () => {
  it('resolves a vendored module, its own packages and std like the go command', () => {
    const dir = fixture('discover-vendor');
    const mod = findModule(dir, ENV)!;
    expect(mod.root).toBe(dir);
    const resolver = new Resolver(mod, { env: ENV });
    expect(resolver.vendor?.enabled).toBe(true);
    const paths = [
      'example.com/discover-vendor',
      'example.com/discover-vendor/internal/tool',
      'example.com/discover-vendor/internal/winonly',
      'example.com/discover-vendor/_skipped',
      'example.com/discover-vendor/nothing',
      'example.org/widgets',
      'example.org/widgets/knob',
      'example.org/widgets/unlisted',
      'example.org/gears',
      'example.org/gadgets',
      'example.org/absent',
      'net/http',
      'fmt',
      'unsafe',
      'cmd/internal/obj',
      'cmd/go',
      'no/such/std',
    ];
    const oracle = goList(dir, paths);
    expect(oracle.map((o) => o.path).sort()).toEqual([...paths].sort());
    for (const o of oracle) expect([o.path, dirOf(resolver.resolve(o.path, dir))]).toEqual([o.path, o.dir]);
    // What the vendored package is, and why the unlisted one is not found.
    expect(resolver.resolve('example.org/gadgets', dir)).toMatchObject({ origin: 'vendor', module: 'example.org/gadgets', version: 'v0.3.0' });
    expect(resolver.resolve('example.org/widgets/unlisted', dir)).toMatchObject({ code: 'not-vendored' });
  });

  it('resolves local replacements relative to go.mod like the go command', () => {
    const dir = fixture('discover-replace');
    const resolver = new Resolver(findModule(dir, ENV), { env: ENV });
    const paths = [
      'example.com/discover-replace',
      'example.com/discover-replace/pkg/util',
      'example.com/discover-replace/third_party/lib',
      'example.org/lib',
      'example.org/lib/sub',
      'example.org/lib/v2',
      'example.org/lib/nope',
      'example.org/missing/pkg',
      'strings',
    ];
    const oracle = goList(dir, paths);
    expect(oracle).toHaveLength(paths.length);
    for (const o of oracle) expect([o.path, dirOf(resolver.resolve(o.path, dir))]).toEqual([o.path, o.dir]);
    expect(resolver.resolve('example.org/lib/v2', dir)).toMatchObject({ origin: 'replace', module: 'example.org/lib/v2' });
    const missing = resolver.resolve('example.org/missing/pkg', dir);
    expect(missing).toMatchObject({ code: 'not-in-go-mod' });
    expect((missing as { error: string }).error).toContain('go.mod');
    expect(resolver.resolve('example.org/lib/nope', dir)).toMatchObject({ code: 'no-package' });
  });

  it('resolves every import edge of std and cmd packages, vendored golang.org/x included', async () => {
    // go list -deps gives each package's source imports (ImportMap maps the vendored ones)
    // and where each resolved; the importing package's directory decides std/cmd vendoring.
    const dir = fixture('discover-replace');
    const resolver = new Resolver(findModule(dir, ENV), { env: ENV });
    const format = '{{.ImportPath}}\t{{.Dir}}\t{{join .Imports " "}}\t{{range $k, $v := .ImportMap}}{{$k}}={{$v}} {{end}}';
    const edges: { from: string; imp: string; want: string }[] = [];
    for (const goos of [ge!.GOHOSTOS, 'windows', 'darwin']) {
      const out = await goAsync(['list', '-deps', '-e', '-f', format, 'net/http', 'cmd/go', 'cmd/objdump', 'example.com/discover-replace'], dir, { GOOS: goos, GOWORK: 'off' });
      const dirs = new Map<string, string>();
      const rows = out.split('\n').filter(Boolean).map((l) => l.split('\t'));
      for (const [p, d] of rows) dirs.set(p, d);
      for (const [, d, imports, importMap] of rows) {
        const mapped = new Map<string, string>();
        for (const kv of importMap.split(' ').filter(Boolean)) {
          const [k, v] = kv.split('=');
          mapped.set(v, k);
        }
        for (const resolved of imports.split(' ').filter(Boolean)) {
          const source = mapped.get(resolved) ?? resolved;
          if (dirs.has(resolved)) edges.push({ from: d, imp: source, want: dirs.get(resolved)! });
        }
      }
    }
    const vendoredEdges = edges.filter((e) => e.want.includes(`${path.sep}vendor${path.sep}`));
    expect(edges.length).toBeGreaterThan(1000);
    expect(vendoredEdges.some((e) => e.want.startsWith(path.join(GOROOT, 'src', 'vendor')))).toBe(true);
    expect(vendoredEdges.some((e) => e.want.startsWith(path.join(GOROOT, 'src', 'cmd', 'vendor')))).toBe(true);
    const wrong = edges.filter((e) => dirOf(resolver.resolve(e.imp, e.from)) !== e.want);
    expect(wrong.slice(0, 5)).toEqual([]);
    // The same vendored path from user code is not the standard library's copy.
    expect(dirOf(resolver.resolve('golang.org/x/net/dns/dnsmessage', dir))).toBe('');
    expect(goList(dir, ['golang.org/x/net/dns/dnsmessage'])[0].dir).toBe('');
  });

  it('resolves workspace modules like the go command, with GOWORK off, auto and explicit', () => {
    const ws = tmpDir('work');
    tempDirs.push(ws);
    write(ws, {
      'go.work': 'go 1.22\n\nuse (\n\t./a\n\t"./b" // quoted\n)\n',
      'a/go.mod': 'module example.com/a\n\ngo 1.22\n',
      'a/a.go': 'package a\n\nimport _ "example.com/b/lib"\n',
      'b/go.mod': 'module example.com/b\n\ngo 1.22\n',
      'b/lib/lib.go': 'package lib\n',
    });
    const start = path.join(ws, 'a');
    const auto = findModule(start, { ...ENV!, gowork: '' })!;
    expect(auto.work?.file).toBe(path.join(ws, 'go.work'));
    expect(auto.work?.modules.map((m) => m.goMod.module)).toEqual(['example.com/a', 'example.com/b']);
    expect(auto.root).toBe(start);
    const explicit = findModule(path.join(ws, 'b', 'lib'), { ...ENV!, gowork: path.join(ws, 'go.work') })!;
    expect(explicit.root).toBe(path.join(ws, 'b'));
    expect(findModule(start, { ...ENV!, gowork: 'off' })!.work).toBeUndefined();

    const resolver = new Resolver(auto, { env: { ...ENV!, gowork: '' } });
    const oracle = goList(start, ['example.com/b/lib', 'example.com/a', 'example.com/c'], { GOWORK: path.join(ws, 'go.work') });
    for (const o of oracle) expect([o.path, dirOf(resolver.resolve(o.path, start))]).toEqual([o.path, o.dir]);
    expect(resolver.resolve('example.com/b/lib', start)).toMatchObject({ origin: 'workspace' });
    expect(resolver.resolve('example.com/a', start)).toMatchObject({ origin: 'module' });
    // Without the workspace, module a cannot see b.
    const alone = new Resolver(findModule(start, { ...ENV!, gowork: 'off' }), { env: ENV });
    expect(dirOf(alone.resolve('example.com/b/lib', start))).toBe(goList(start, ['example.com/b/lib'])[0].dir);
  });
});

// ---------------------------------------------------------------------------
// A module cache built by hand in a temporary GOMODCACHE, laid out as the go command lays
// it out, with the hashes in go.sum that the go command verifies. It accepts it offline.

/** dirhash.Hash1: sha256 over "sha256(file)  name\n" lines of the sorted file names. */
function hash1(files: [string, string][]): string {
  const sorted = [...files].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const summary = sorted.map(([name, text]) => `${crypto.createHash('sha256').update(text).digest('hex')}  ${name}\n`).join('');
  return `h1:${crypto.createHash('sha256').update(summary).digest('base64')}`;
}

interface CacheModule {
  path: string;
  version: string;
  /** Directory names as the module cache spells them (escaped by hand, not by the code under test). */
  escapedPath: string;
  escapedVersion: string;
  files: Record<string, string>;
}

function addToCache(cache: string, m: CacheModule): string[] {
  const dir = path.join(cache, `${m.escapedPath}@${m.escapedVersion}`);
  write(dir, m.files);
  const zipHash = hash1(Object.entries(m.files).map(([n, t]) => [`${m.path}@${m.version}/${n}`, t]));
  const modHash = hash1([['go.mod', m.files['go.mod']]]);
  const dl = path.join(cache, 'cache', 'download', m.escapedPath, '@v');
  write(dl, {
    [`${m.escapedVersion}.mod`]: m.files['go.mod'],
    [`${m.escapedVersion}.info`]: JSON.stringify({ Version: m.version, Time: '2024-01-01T00:00:00Z' }),
    [`${m.escapedVersion}.ziphash`]: zipHash,
  });
  return [`${m.path} ${m.version} ${zipHash}`, `${m.path} ${m.version}/go.mod ${modHash}`];
}

describe.skipIf(!ge)('module cache resolution matches go list', () => {
  let cache = '';
  let work = '';
  const sums = new Map<string, string[]>();
  const mods: CacheModule[] = [
    {
      path: 'example.com/Hello',
      version: 'v1.2.3',
      escapedPath: 'example.com/!hello',
      escapedVersion: 'v1.2.3',
      files: {
        'go.mod': 'module example.com/Hello\n\ngo 1.16\n\nrequire example.com/dep v1.0.0\n',
        'hello.go': 'package hello\n\nimport _ "example.com/dep"\n',
        'sub/sub.go': 'package sub\n',
        'testdata/x/x.go': 'package x\n',
      },
    },
    {
      path: 'example.com/dep',
      version: 'v1.0.0',
      escapedPath: 'example.com/dep',
      escapedVersion: 'v1.0.0',
      files: { 'go.mod': 'module example.com/dep\n\ngo 1.16\n', 'dep.go': 'package dep\n', 'old/old.go': 'package old\n' },
    },
    {
      path: 'example.com/dep',
      version: 'v1.1.0',
      escapedPath: 'example.com/dep',
      escapedVersion: 'v1.1.0',
      files: { 'go.mod': 'module example.com/dep\n\ngo 1.16\n', 'dep.go': 'package dep\n' },
    },
    {
      path: 'example.com/old',
      version: 'v1.0.0',
      escapedPath: 'example.com/old',
      escapedVersion: 'v1.0.0',
      files: { 'go.mod': 'module example.com/old\n\ngo 1.16\n\nrequire example.com/mid v1.0.0\n', 'old.go': 'package old\n' },
    },
    {
      path: 'example.com/mid',
      version: 'v1.0.0',
      escapedPath: 'example.com/mid',
      escapedVersion: 'v1.0.0',
      files: { 'go.mod': 'module example.com/mid\n\ngo 1.16\n\nrequire example.com/dep v1.1.0\n', 'mid.go': 'package mid\n' },
    },
    {
      path: 'example.com/prA',
      version: 'v1.0.0',
      escapedPath: 'example.com/pr!a',
      escapedVersion: 'v1.0.0',
      files: { 'go.mod': 'module example.com/prA\n\ngo 1.21\n\nrequire example.com/prB v1.0.0\n', 'a.go': 'package pra\n' },
    },
    {
      path: 'example.com/prB',
      version: 'v1.0.0',
      escapedPath: 'example.com/pr!b',
      escapedVersion: 'v1.0.0',
      files: { 'go.mod': 'module example.com/prB\n\ngo 1.21\n\nrequire example.com/deep v1.0.0\n', 'b.go': 'package prb\n' },
    },
    {
      path: 'example.com/deep',
      version: 'v1.0.0',
      escapedPath: 'example.com/deep',
      escapedVersion: 'v1.0.0',
      files: { 'go.mod': 'module example.com/deep\n\ngo 1.21\n', 'deep.go': 'package deep\n' },
    },
    {
      path: 'example.com/pre',
      version: 'v1.0.0-RC1',
      escapedPath: 'example.com/pre',
      escapedVersion: 'v1.0.0-!r!c1',
      files: { 'go.mod': 'module example.com/pre\n\ngo 1.21\n', 'pre.go': 'package pre\n' },
    },
    {
      path: 'example.com/maj/v2',
      version: 'v2.0.0',
      escapedPath: 'example.com/maj/v2',
      escapedVersion: 'v2.0.0',
      files: { 'go.mod': 'module example.com/maj/v2\n\ngo 1.21\n', 'maj.go': 'package maj\n' },
    },
    {
      path: 'example.com/usesmaj',
      version: 'v1.0.0',
      escapedPath: 'example.com/usesmaj',
      escapedVersion: 'v1.0.0',
      files: { 'go.mod': 'module example.com/usesmaj\n\ngo 1.21\n\nrequire example.com/maj v1.0.0\n', 'u.go': 'package usesmaj\n' },
    },
    {
      path: 'example.com/maj',
      version: 'v1.0.0',
      escapedPath: 'example.com/maj',
      escapedVersion: 'v1.0.0',
      files: { 'go.mod': 'module example.com/maj\n\ngo 1.21\n', 'maj.go': 'package maj\n' },
    },
    {
      path: 'example.com/target',
      version: 'v0.5.0',
      escapedPath: 'example.com/target',
      escapedVersion: 'v0.5.0',
      files: { 'go.mod': 'module example.com/replaced\n\ngo 1.21\n', 'x/x.go': 'package x\n' },
    },
  ];

  beforeAll(() => {
    cache = tmpDir('modcache');
    work = tmpDir('modcache-mains');
    tempDirs.push(cache, work);
    for (const m of mods) sums.set(`${m.path}@${m.version}`, addToCache(cache, m));
    // example.com/maj v1.0.0: its go.mod was read for the graph, its files never downloaded.
    fs.rmSync(path.join(cache, 'example.com', 'maj@v1.0.0'), { recursive: true });
    const sum = (...keys: string[]): string => keys.flatMap((k) => sums.get(k)!).join('\n') + '\n';
    write(work, {
      // go ≥ 1.17: the go.mod lists every module that provides a package (pruned graph).
      'pruned/go.mod':
        'module example.com/pruned\n\ngo 1.21\n\nrequire (\n\texample.com/Hello v1.2.3\n\texample.com/prA v1.0.0\n\texample.com/pre v1.0.0-RC1\n\texample.com/replaced v0.1.0\n)\n\n' +
        'require example.com/dep v1.1.0 // indirect\n\nreplace example.com/replaced v0.1.0 => example.com/target v0.5.0\n',
      // prA's requirement prB is in the pruned graph; prB's requirement deep is not.
      'pruned/go.sum': sum('example.com/Hello@v1.2.3', 'example.com/dep@v1.1.0', 'example.com/dep@v1.0.0', 'example.com/pre@v1.0.0-RC1', 'example.com/target@v0.5.0', 'example.com/prA@v1.0.0', 'example.com/prB@v1.0.0', 'example.com/deep@v1.0.0'),
      'pruned/main.go': 'package main\n\nimport (\n\t_ "example.com/Hello/sub"\n\t_ "example.com/prA"\n\t_ "example.com/pre"\n\t_ "example.com/replaced/x"\n)\n\nfunc main() {}\n',
      // go 1.16: dep is not listed; its version is the higher of Hello's requirement (v1.0.0)
      // and the one two levels down, old → mid → dep v1.1.0.
      'unpruned/go.mod': 'module example.com/unpruned\n\ngo 1.16\n\nrequire (\n\texample.com/Hello v1.2.3\n\texample.com/old v1.0.0\n)\n',
      'unpruned/go.sum': sum('example.com/Hello@v1.2.3', 'example.com/dep@v1.1.0', 'example.com/dep@v1.0.0', 'example.com/old@v1.0.0', 'example.com/mid@v1.0.0'),
      'unpruned/main.go': 'package main\n\nimport (\n\t_ "example.com/Hello"\n\t_ "example.com/old"\n)\n\nfunc main() {}\n',
      // example.com/maj v1.0.0 is in the module graph (usesmaj requires it) but not in go.mod:
      // the go command finds maj/v2's packages among go.mod's requirements and never fetches it.
      'major/go.mod': 'module example.com/major\n\ngo 1.21\n\nrequire (\n\texample.com/maj/v2 v2.0.0\n\texample.com/usesmaj v1.0.0\n)\n',
      'major/go.sum': sum('example.com/maj/v2@v2.0.0', 'example.com/usesmaj@v1.0.0') + sums.get('example.com/maj@v1.0.0')![1] + '\n',
      'major/main.go': 'package main\n\nimport (\n\t_ "example.com/maj/v2"\n\t_ "example.com/usesmaj"\n)\n\nfunc main() {}\n',
      // A requirement that was never downloaded.
      'ghost/go.mod': 'module example.com/ghost\n\ngo 1.21\n\nrequire example.com/gone v1.0.0\n',
      'ghost/main.go': 'package main\n\nfunc main() {}\n',
    });
  });

  const cases: Record<string, string[]> = {
    pruned: ['example.com/Hello', 'example.com/Hello/sub', 'example.com/Hello/testdata/x', 'example.com/Hello/nope', 'example.com/dep', 'example.com/dep/old', 'example.com/pre', 'example.com/replaced/x', 'example.com/target/x', 'example.com/other', 'example.com/prA', 'example.com/deep'],
    unpruned: ['example.com/Hello', 'example.com/dep', 'example.com/dep/old', 'example.com/old'],
    ghost: ['example.com/gone', 'example.com/gone/pkg'],
    major: ['example.com/maj/v2', 'example.com/usesmaj'],
  };
  for (const [name, paths] of Object.entries(cases)) {
    it(`resolves ${name} module requirements in the module cache`, () => {
      const dir = path.join(work, name);
      const env = { ...ENV!, modcache: cache };
      const resolver = new Resolver(findModule(dir, env), { env });
      const oracle = goList(dir, paths, { GOMODCACHE: cache });
      expect(oracle, oracle[0]?.error).toHaveLength(paths.length);
      // Something must resolve in each main module except the ghost one, or the comparison proves little.
      if (name !== 'ghost') expect(oracle.filter((o) => o.dir.startsWith(cache)).length, JSON.stringify(oracle)).toBeGreaterThan(0);
      for (const o of oracle) expect([o.path, dirOf(resolver.resolve(o.path, dir))]).toEqual([o.path, o.dir]);
    });
  }

  it('says which module version it chose and why a lookup failed', () => {
    const env = { ...ENV!, modcache: cache };
    const pruned = new Resolver(findModule(path.join(work, 'pruned'), env), { env });
    expect(pruned.resolve('example.com/replaced/x', work)).toMatchObject({ origin: 'replace', module: 'example.com/replaced', version: 'v0.5.0' });
    expect(pruned.resolve('example.com/pre', work)).toMatchObject({ origin: 'modcache', version: 'v1.0.0-RC1', dir: path.join(cache, 'example.com', 'pre@v1.0.0-!r!c1') });
    const unpruned = new Resolver(findModule(path.join(work, 'unpruned'), env), { env });
    expect(unpruned.selected('example.com/dep')).toBe('v1.1.0');
    const ghost = new Resolver(findModule(path.join(work, 'ghost'), env), { env });
    const r = ghost.resolve('example.com/gone/pkg', work);
    expect(r).toMatchObject({ code: 'not-downloaded' });
    expect((r as { error: string }).error).toContain('example.com/gone@v1.0.0');
  });

  it('names module cache directories as the go command does', () => {
    for (const m of mods) {
      expect(escapeModulePath(m.path)).toBe(m.escapedPath);
      expect(escapeModulePath(m.version)).toBe(m.escapedVersion);
      expect(unescapeModulePath(m.escapedPath)).toBe(m.path);
    }
    expect(unescapeModulePath('example.com/!!x')).toBeUndefined();
    expect(unescapeModulePath('example.com/Upper')).toBeUndefined();
  });

  it('gives every package directory the import path go list gives it', () => {
    const env = { ...ENV!, modcache: cache };
    const dir = path.join(work, 'pruned');
    const resolver = new Resolver(findModule(dir, env), { env });
    const listed = goList(dir, ['-deps', './...'], { GOMODCACHE: cache }).filter((o) => o.dir);
    expect(listed.some((o) => o.dir.startsWith(cache))).toBe(true);
    for (const o of listed) expect([o.dir, importPathOf(o.dir, resolver)]).toEqual([o.dir, o.path]);
  });
});

describe.skipIf(!ge)('import paths of directories match go list', () => {
  it('for the main module, its vendor/, local replacements and GOROOT', () => {
    const checks: { dir: string; path: string }[] = [];
    for (const name of ['discover-vendor', 'discover-replace']) {
      const root = fixture(name);
      const resolver = new Resolver(findModule(root, ENV), { env: ENV });
      const listed = goList(root, ['-deps', './...']).filter((o) => o.dir);
      for (const o of listed) {
        checks.push({ dir: o.dir, path: o.path });
        expect([o.dir, importPathOf(o.dir, resolver)]).toEqual([o.dir, o.path]);
      }
    }
    const std = goList(os.tmpdir(), ['std', 'cmd']);
    for (const o of std) expect([o.dir, importPathOf(o.dir, { env: ENV })]).toEqual([o.dir, o.path]);
    expect(checks.some((c) => c.dir.includes(`${path.sep}vendor${path.sep}`))).toBe(true);
    expect(checks.some((c) => c.dir.includes('third_party'))).toBe(true);
    expect(std.some((o) => o.path.startsWith('vendor/'))).toBe(true);
  });
});

// ---------------------------------------------------------------------------

describe.skipIf(!ge)('package listing matches go list', () => {
  it('lists the fixture modules as go list ./... does on every port', async () => {
    for (const name of ['discover-vendor', 'discover-replace']) {
      const root = fixture(name);
      const ours = listPackageDirs(root, { patterns: ['./...'] });
      const theirs = await listOnEveryPort(root, './...');
      expect(ours.problems).toEqual([]);
      expect(ours.dirs).toEqual([...theirs].sort());
    }
    // The Windows-only package is there, found on the windows ports alone.
    expect(listPackageDirs(fixture('discover-vendor'), { patterns: ['./internal/...'] }).dirs).toContain(path.join(fixture('discover-vendor'), 'internal', 'winonly'));
  });

  it('lists the vendored packages the build uses', () => {
    const root = fixture('discover-vendor');
    const ours = listPackageDirs(root, { patterns: ['./...'], includeVendor: true });
    const used = goList(root, ['-deps', './...']).map((o) => o.dir).filter((d) => d.startsWith(path.join(root, 'vendor')));
    expect(used.length).toBeGreaterThan(0);
    expect(ours.dirs.filter((d) => d.startsWith(path.join(root, 'vendor')))).toEqual(used.sort());
    // The package modules.txt does not list is reported, not listed.
    expect(ours.problems.map((p) => p.path)).toEqual([path.join(root, 'vendor', 'example.org', 'widgets', 'unlisted')]);
  });

  it('lists GOROOT/src as go list std does on every port (and ./... without vendor)', async () => {
    const src = path.join(GOROOT, 'src');
    // Tags set by go command flags and GOEXPERIMENT rather than by a port: the experiments
    // the toolchain defines (internal/goexperiment), -race/-msan/-asan, boringcrypto, GOAMD64=v3.
    const flags = fs.readFileSync(path.join(src, 'internal', 'goexperiment', 'flags.go'), 'utf8');
    const experiments = [...flags.matchAll(/^\s+([A-Z][A-Za-z0-9]*)\s+bool/gm)].map((m) => `goexperiment.${m[1].toLowerCase()}`);
    expect(experiments.length).toBeGreaterThan(5);
    const oracle = await listOnEveryPort(os.tmpdir(), 'std', [...experiments, 'race', 'msan', 'asan', 'boringcrypto', 'amd64.v3']);
    const t0 = Date.now();
    const withVendor = listPackageDirs(src, { patterns: ['./...'], includeVendor: true });
    const ms = Date.now() - t0;
    expect(withVendor.problems).toEqual([]);
    const theirs = [...oracle].sort();
    const missing = theirs.filter((d) => !withVendor.dirs.includes(d));
    const extra = withVendor.dirs.filter((d) => !oracle.has(d));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    expect(theirs.length).toBeGreaterThan(300);
    // ./... is the same without vendor/, as go list ./... run in GOROOT/src shows on this host.
    const plain = listPackageDirs(src, { patterns: ['./...'] });
    expect(plain.dirs).toEqual(withVendor.dirs.filter((d) => !d.startsWith(path.join(src, 'vendor'))));
    const host = goList(src, ['./...']).map((o) => o.dir);
    expect(host.filter((d) => !plain.dirs.includes(d))).toEqual([]);
    expect(ms).toBeLessThan(20_000);
  }, 300_000);

  it('matches go list for sub-tree patterns, single directories and files', () => {
    const root = fixture('discover-replace');
    for (const pattern of ['./pkg/...', './third_party/...', '.', './pkg/util']) {
      const theirs = goList(root, [pattern]).map((o) => o.dir).filter(Boolean).sort();
      expect([pattern, listPackageDirs(root, { patterns: [pattern] }).dirs]).toEqual([pattern, theirs]);
    }
    expect(listPackageDirs(root, { patterns: ['main.go'] }).dirs).toEqual([root]);
    const none = listPackageDirs(root, { patterns: ['./no-such-dir', 'gone.go'] });
    expect(none.dirs).toEqual([]);
    expect(none.problems).toHaveLength(2);
  });
});

// ---------------------------------------------------------------------------

describe('package listing survives hostile trees', () => {
  let root = '';
  beforeAll(() => {
    root = tmpDir('hostile');
    tempDirs.push(root);
    write(root, {
      'go.mod': 'module example.com/hostile\n\ngo 1.25\n\nignore (\n\t./gen\n\tnode_modules\n)\n',
      'gen/g.go': 'package gen\n', // ignored: ./gen
      'gen2/g.go': 'package gen2\n', // not ignored: ./gen names gen alone
      'web/node_modules/m/m.go': 'package m\n', // ignored: node_modules anywhere
      'ok/ok.go': 'package ok\n',
      'locked/locked.go': 'package locked\n',
      'loop/real/real.go': 'package real\n',
      'unreadable-file/x.go': 'package x\n',
      'ignored/gen.go': '//go:build ignore\n\npackage main\n',
      'plus/old.go': '// +build ignore\n\npackage old\n',
      'plus-late/late.go': '// Copyright\n// +build ignore\npackage late\n', // not followed by a blank line: not a constraint
      'nested/go.mod': 'module example.com/nested\n',
      'nested/n.go': 'package nested\n',
      'vendor/v/v.go': 'package v\n',
    });
    fs.symlinkSync('..', path.join(root, 'loop', 'up')); // a cycle through a symlink
    fs.symlinkSync('self', path.join(root, 'loop', 'self')); // a link to itself (ELOOP)
    fs.symlinkSync('nowhere', path.join(root, 'ok', 'dangling'));
    fs.symlinkSync('missing.go', path.join(root, 'ok', 'broken.go'));
    let deep = path.join(root, 'deep');
    for (let i = 0; i < 300; i++) deep = path.join(deep, 'd');
    write(deep, { 'deep.go': 'package d\n' });
  });

  /** The real file system, except that one directory and one file cannot be read (as non-root users see mode 000). */
  function lockedFs(): WalkFs {
    const deny = (p: string): never => {
      const e = new Error(`EACCES: permission denied, open '${p}'`) as NodeJS.ErrnoException;
      e.code = 'EACCES';
      throw e;
    };
    return {
      readdirSync: (dir, opts) => (dir === path.join(root, 'locked') ? deny(dir) : fs.readdirSync(dir, opts)),
      statSync: (p) => fs.statSync(p),
      openSync: (p, flags) => (p === path.join(root, 'unreadable-file', 'x.go') ? deny(p) : fs.openSync(p, flags)),
      readSync: (fd, buf, off, len, pos) => fs.readSync(fd, buf, off, len, pos),
      closeSync: (fd) => fs.closeSync(fd),
    };
  }

  it('finishes with the readable packages and a problem for each unreadable or broken thing', () => {
    const r = listPackageDirs(root, { patterns: ['./...'], fs: lockedFs() });
    const rel = (p: string): string => path.relative(root, p);
    expect(r.dirs.map(rel)).toEqual(['deep/' + Array(300).fill('d').join('/'), 'gen2', 'loop/real', 'ok', 'plus-late', 'unreadable-file'].map((p) => p.split('/').join(path.sep)));
    const problems = r.problems.map((p) => `${rel(p.path)}: ${p.message}`);
    expect(r.problems.map((p) => [rel(p.path), p.kind]).sort()).toEqual(
      [
        ['locked', 'unreadable'],
        [path.join('unreadable-file', 'x.go'), 'unreadable'],
        [path.join('loop', 'self'), 'broken-link'],
        [path.join('loop', 'up'), 'symlink-not-followed'],
        [path.join('ok', 'dangling'), 'broken-link'],
        [path.join('ok', 'broken.go'), 'broken-link'],
      ].sort(),
    );
    expect(problems.find((p) => p.startsWith('locked:'))).toMatch(/cannot read directory: EACCES/);
    expect(problems.find((p) => p.startsWith(path.join('unreadable-file', 'x.go')))).toMatch(/cannot read file: EACCES/);
    expect(problems.find((p) => p.startsWith(path.join('loop', 'self')))).toMatch(/broken symbolic link: .*loop/);
    expect(problems.find((p) => p.startsWith(path.join('loop', 'up')))).toMatch(/not followed/);
    expect(problems.find((p) => p.startsWith(path.join('ok', 'dangling')))).toMatch(/broken symbolic link/);
    expect(problems.find((p) => p.startsWith(path.join('ok', 'broken.go')))).toMatch(/broken symbolic link/);
  });

  it.skipIf(!ge)('agrees with go list on the same tree where it is readable', () => {
    const theirs = goList(root, ['./...']).map((o) => o.dir).filter(Boolean).sort();
    const ours = listPackageDirs(root, { patterns: ['./...'] });
    // As root, the "locked" directory is readable here, so both list it.
    expect(ours.dirs).toEqual(theirs);
  });
});

// ---------------------------------------------------------------------------

describe.skipIf(!ge)('go.mod and go.work read as the go command reads them', () => {
  const dir = (): string => {
    const d = tmpDir('gomod');
    tempDirs.push(d);
    return d;
  };

  it('parses every directive form like go mod edit -json', () => {
    const d = dir();
    const text = [
      '// Module comment.',
      'module "example.com/m" // quoted',
      '',
      'go 1.22.3',
      'toolchain go1.23.1',
      'godebug (',
      '\tpanicnil=1',
      ')',
      'godebug asynctimerchan=0',
      '',
      'require example.com/single v1.0.0',
      'require (',
      '\texample.com/a v1.2.3 // indirect',
      '\t// a comment line inside the block',
      '\t"example.com/b" v0.0.0-20240101000000-abcdefabcdef',
      '\texample.com/c/v2 v2.0.1 // indirect; for the tests',
      '\texample.com/d v3.0.0+incompatible',
      '\tgopkg.in/yaml.v3 v3.0.1',
      ')',
      'require ()',
      '',
      'exclude example.com/a v1.2.0',
      'exclude (',
      '\texample.com/a v1.1.0',
      ')',
      '',
      'replace example.com/a => ./local/a',
      'replace example.com/b v0.0.0-20240101000000-abcdefabcdef => example.com/b-fork v1.0.0',
      'replace (',
      '\texample.com/c/v2 v2.0.1 => /abs/c',
      '\t"example.com/e" => "../e"',
      ')',
      '',
      '// Broken release.',
      'retract v1.0.1',
      'retract [v1.1.0, v1.2.0] // Too many bugs.',
      'retract (',
      '\t// Published by mistake.',
      '\tv0.9.0',
      ')',
      'tool example.com/a/cmd/gen',
      'ignore ./node_modules',
      'ignore (',
      '\tdocs',
      ')',
      '',
    ].join('\n');
    for (const eol of ['\n', '\r\n']) {
      write(d, { 'go.mod': text.split('\n').join(eol) });
      const r = runGo(['mod', 'edit', '-json'], { cwd: d });
      expect(r.stderr).toBe('');
      expect(goModAsJson(readGoMod(path.join(d, 'go.mod')))).toEqual(JSON.parse(r.stdout));
    }
  });

  /** Our GoMod in the shape of go mod edit -json. */
  function goModAsJson(got: ReturnType<typeof readGoMod>): unknown {
    const asGo = {
      Module: strip({ Path: got.module, Deprecated: got.deprecated }),
      Go: got.go,
      Toolchain: got.toolchain,
      GoDebug: got.godebug.map((g) => ({ Key: g.key, Value: g.value })),
      Require: got.require.map((q) => (q.indirect ? { Path: q.path, Version: q.version, Indirect: true } : { Path: q.path, Version: q.version })),
      Exclude: got.exclude.map((e) => ({ Path: e.path, Version: e.version })),
      Replace: got.replace.map((x) => ({ Old: strip({ Path: x.old.path, Version: x.old.version }), New: strip({ Path: x.new.path, Version: x.new.version }) })),
      Retract: got.retract.map((x) => strip({ Low: x.low, High: x.high, Rationale: x.rationale || undefined })),
      Tool: got.tool.map((t) => ({ Path: t.path })),
      Ignore: got.ignore.map((t) => ({ Path: t.path })),
    };
    return asGo;
  }

  it('reads the go.mod files of the go command\'s own test scripts as go mod edit -json does', async () => {
    // cmd/go/testdata/script holds a thousand go.mod texts, valid and broken, in txtar archives.
    const scripts = path.join(GOROOT, 'src', 'cmd', 'go', 'testdata', 'script');
    const texts: { name: string; text: string }[] = [];
    for (const f of fs.readdirSync(scripts).filter((n) => n.endsWith('.txt')).sort()) {
      const parts = fs.readFileSync(path.join(scripts, f), 'utf8').split(/^-- (.+?) --$/m);
      for (let i = 1; i < parts.length; i += 2) if (/(^|\/)go\.mod$/.test(parts[i])) texts.push({ name: `${f}:${parts[i]}`, text: parts[i + 1].replace(/^\n/, '') });
    }
    expect(texts.length).toBeGreaterThan(500);
    const base = dir();
    const results = await inPairs(
      texts.map((t, i) => async () => {
        const d = path.join(base, String(i));
        write(d, { 'go.mod': t.text });
        return goRun(['mod', 'edit', '-json'], d, { GOWORK: 'off' });
      }),
    );
    const disagreements: string[] = [];
    texts.forEach((t, i) => {
      const file = path.join(base, String(i), 'go.mod');
      const r = results[i];
      let ours: ReturnType<typeof readGoMod> | undefined;
      let err: GoModError | undefined;
      try {
        ours = readGoMod(file);
      } catch (e) {
        if (!(e instanceof GoModError)) throw e;
        err = e;
      }
      if (r.code !== 0) {
        const line = /go\.mod:(\d+)/.exec(r.stderr)?.[1];
        if (!err || (line !== undefined && Number(line) !== err.line)) disagreements.push(`${t.name}: go: ${r.stderr.trim()}; ours: ${err?.message ?? 'accepted'}`);
        return;
      }
      const want = JSON.parse(r.stdout);
      // go mod edit accepts a go.mod without a module line; every command that builds
      // rejects it ("missing module declaration"), and so do we.
      if (!want.Module?.Path) {
        if (!err) disagreements.push(`${t.name}: no module directive, but accepted`);
        return;
      }
      if (!ours) {
        disagreements.push(`${t.name}: go accepts it; ours: ${err!.message}`);
        return;
      }
      const got = goModAsJson(ours) as Record<string, unknown>;
      for (const k of Object.keys(got)) if (Array.isArray(got[k]) && (got[k] as unknown[]).length === 0 && want[k] === null) got[k] = null;
      for (const k of Object.keys(want)) if (!(k in got)) disagreements.push(`${t.name}: field ${k} not compared`);
      const same = JSON.stringify(Object.fromEntries(Object.keys(want).map((k) => [k, got[k]]))) === JSON.stringify(want);
      if (!same) disagreements.push(`${t.name}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
    });
    expect(disagreements.slice(0, 10)).toEqual([]);
  }, 300_000);

  it('reads the go.work files of the go command\'s own test scripts as go work edit -json does', async () => {
    const scripts = path.join(GOROOT, 'src', 'cmd', 'go', 'testdata', 'script');
    const texts: { name: string; text: string }[] = [];
    for (const f of fs.readdirSync(scripts).filter((n) => n.endsWith('.txt')).sort()) {
      const parts = fs.readFileSync(path.join(scripts, f), 'utf8').split(/^-- (.+?) --$/m);
      for (let i = 1; i < parts.length; i += 2) if (/(^|\/)go\.work$/.test(parts[i])) texts.push({ name: `${f}:${parts[i]}`, text: parts[i + 1].replace(/^\n/, '') });
    }
    expect(texts.length).toBeGreaterThan(20);
    const base = dir();
    const results = await inPairs(
      texts.map((t, i) => async () => {
        const d = path.join(base, String(i));
        write(d, { 'go.work': t.text });
        return goRun(['work', 'edit', '-json'], d, { GOWORK: path.join(d, 'go.work') });
      }),
    );
    const disagreements: string[] = [];
    texts.forEach((t, i) => {
      const r = results[i];
      let got: ReturnType<typeof readGoWork> | undefined;
      let err: GoModError | undefined;
      try {
        got = readGoWork(path.join(base, String(i), 'go.work'));
      } catch (e) {
        if (!(e instanceof GoModError)) throw e;
        err = e;
      }
      if (r.code !== 0) {
        const line = /go\.work:(\d+)/.exec(r.stderr)?.[1];
        if (!err || (line !== undefined && Number(line) !== err.line)) disagreements.push(`${t.name}: go: ${r.stderr.trim()}; ours: ${err?.message ?? 'accepted'}`);
        return;
      }
      if (!got) {
        disagreements.push(`${t.name}: go accepts it; ours: ${err!.message}`);
        return;
      }
      const want = JSON.parse(r.stdout);
      const ours = {
        Go: got.go,
        Use: got.use.length ? got.use.map((u) => ({ DiskPath: u.path })) : null,
        Replace: got.replace.length ? got.replace.map((x) => ({ Old: strip({ Path: x.old.path, Version: x.old.version }), New: strip({ Path: x.new.path, Version: x.new.version }) })) : null,
      };
      if (JSON.stringify(ours) !== JSON.stringify({ Go: want.Go, Use: want.Use ?? null, Replace: want.Replace ?? null })) disagreements.push(`${t.name}: ${JSON.stringify(ours)} != ${r.stdout}`);
    });
    expect(disagreements.slice(0, 10)).toEqual([]);
  }, 300_000);

  it('parses go.work like go work edit -json, and resolves use paths from its directory', () => {
    const d = dir();
    write(d, {
      'go.work': 'go 1.23\n\ntoolchain go1.23.2\n\nuse ./a\nuse (\n\t"./b"\n\t// c is not used\n)\n\nreplace example.com/x v1.0.0 => ./x\n',
      'a/go.mod': 'module example.com/a\n',
      'b/go.mod': 'module example.com/b\n',
    });
    const r = runGo(['work', 'edit', '-json'], { cwd: d, env: { GOWORK: path.join(d, 'go.work') } });
    expect(r.stderr).toBe('');
    const want = JSON.parse(r.stdout);
    const got = readGoWork(path.join(d, 'go.work'));
    expect({
      Go: got.go,
      Use: got.use.map((u) => ({ DiskPath: u.path })),
      Replace: got.replace.map((x) => ({ Old: strip({ Path: x.old.path, Version: x.old.version }), New: strip({ Path: x.new.path, Version: x.new.version }) })),
    }).toEqual({ Go: want.Go, Use: want.Use, Replace: want.Replace });
    // go work edit -json leaves the toolchain out; the file says go1.23.2.
    expect(got.toolchain).toBe('go1.23.2');
    const mod = findModule(path.join(d, 'b'), { ...ENV!, gowork: '' })!;
    expect(mod.work?.modules.map((m) => m.root)).toEqual([path.join(d, 'a'), path.join(d, 'b')]);
  });

  // Each text has one mistake; the go command names its line, and so must we.
  const broken: Record<string, string> = {
    unknownDirective: 'module example.com/m\n\ngo 1.22\nfrobnicate x\n',
    repeatedModule: 'module example.com/m\nmodule example.com/n\n',
    badGoVersion: 'module example.com/m\n\ngo 1.22.x\n',
    requireArgs: 'module example.com/m\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/b\n)\n',
    badVersion: 'module example.com/m\n\nrequire example.com/a latest\n',
    majorMismatch: 'module example.com/m\n\nrequire example.com/a v2.0.0\n',
    replaceArrow: 'module example.com/m\n\nreplace example.com/a v1.0.0 example.com/b v1.0.0\n',
    replaceDirVersion: 'module example.com/m\n\nreplace example.com/a => ./a v1.0.0\n',
    replaceNoVersion: 'module example.com/m\n\nreplace example.com/a => example.com/b\n',
    unterminated: 'module example.com/m\n\nrequire (\n\texample.com/a v1.0.0\n',
    afterParen: 'module example.com/m\n\nrequire (\n\texample.com/a v1.0.0\n) x\n',
    blockComment: 'module example.com/m\n/* no */\n',
    newlineInString: 'module example.com/m\nrequire "example.com/a\n v1.0.0\n',
    unknownBlock: 'module example.com/m\n\nfrob (\n\tx\n)\n',
    retractInterval: 'module example.com/m\n\nretract [v1.0.0 v1.1.0]\n',
    badQuote: "module example.com/m\n\nrequire example.com/'a' v1.0.0\n",
    toolchain: 'module example.com/m\n\ntoolchain 1.22\n',
  };
  for (const [name, text] of Object.entries(broken)) {
    it(`reports the line the go command reports: ${name}`, () => {
      const d = dir();
      write(d, { 'go.mod': text });
      const r = runGo(['mod', 'edit', '-json'], { cwd: d });
      expect(r.status).not.toBe(0);
      const m = /go\.mod:(\d+)(?::\d+)?: (.*)/.exec(r.stderr);
      expect(m, r.stderr).not.toBeNull();
      let err: unknown;
      try {
        readGoMod(path.join(d, 'go.mod'));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(GoModError);
      const g = err as GoModError;
      expect([g.file, g.line]).toEqual([path.join(d, 'go.mod'), Number(m![1])]);
      expect(g.message.startsWith(`${path.join(d, 'go.mod')}:${m![1]}: `)).toBe(true);
    });
  }

  it('says what is wrong in the go command’s words', () => {
    const reason = (text: string): string => {
      try {
        parseGoMod(text, 'go.mod');
      } catch (e) {
        return (e as GoModError).reason;
      }
      return '';
    };
    expect(reason(broken.unknownDirective)).toBe('unknown directive: frobnicate');
    expect(reason(broken.majorMismatch)).toContain('should be v0 or v1, not v2');
    expect(reason(broken.unterminated)).toContain('unterminated block');
    expect(reason('go 1.22\n')).toContain('missing module declaration');
    expect(() => parseGoWork('go 1.22\nuse\n', 'go.work')).toThrow(/go\.work:2: usage: use/);
  });

  it('reads vendor/modules.txt as the go command does', () => {
    const list = parseModulesTxt(fs.readFileSync(path.join(fixture('discover-vendor'), 'vendor', 'modules.txt'), 'utf8'), 'modules.txt');
    expect(list.workspace).toBe(false);
    expect(list.modules.map((m) => [m.path, m.version, m.explicit, m.goVersion, m.replacement?.path])).toEqual([
      ['example.org/gadgets', 'v0.3.0', true, '1.21', 'example.org/gadgets-fork'],
      ['example.org/gears', 'v0.2.1', true, '1.20', undefined],
      ['example.org/widgets', 'v1.4.0', true, '1.21', undefined],
    ]);
    expect(list.packageModule.get('example.org/widgets/knob')?.path).toBe('example.org/widgets');
    const w = parseModulesTxt('## workspace\n# example.com/a => ./a\nexample.com/a\n# junk\n', 'modules.txt');
    expect(w.workspace).toBe(true);
    expect(w.modules[0].replacement).toEqual({ path: './a' });
    // GOROOT's own modules.txt lists exactly the packages under src/vendor that go list std shows.
    const goroot = parseModulesTxt(fs.readFileSync(path.join(GOROOT, 'src', 'vendor', 'modules.txt'), 'utf8'), 'modules.txt');
    const std = goList(os.tmpdir(), ['std']).filter((o) => o.path.startsWith('vendor/')).map((o) => o.path.slice('vendor/'.length));
    for (const p of std) expect(goroot.packageModule.has(p)).toBe(true);
  });

  it('orders versions as semver does', () => {
    const sorted = ['v1.0.0-alpha', 'v1.0.0-alpha.1', 'v1.0.0-alpha.beta', 'v1.0.0-beta.2', 'v1.0.0-beta.11', 'v1.0.0-rc.1', 'v1.0.0', 'v1.0.1', 'v1.10.0', 'v2.0.0+incompatible'];
    expect([...sorted].reverse().sort(compareSemver)).toEqual(sorted);
  });
});

function strip<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

// ---------------------------------------------------------------------------

describe.skipIf(!ge)('vendor mode is decided as the go command decides it', () => {
  // The go command tells its mode and reason in the error for a package it cannot find.
  function goMode(dir: string, env: Record<string, string | undefined> = {}): { mode: string; reason: string } {
    const [o] = goList(dir, ['example.org/nowhere'], env);
    const mode = /-mod=(\w+)/.exec(o.error)?.[1] ?? (/GOPROXY=off/.test(o.error) ? 'mod' : '?');
    const reason = /\n\t\((.*)\)$/.exec(o.error)?.[1] ?? '';
    return { mode, reason };
  }

  const cases: Record<string, { files: Record<string, string>; goflags?: string; work?: boolean }> = {
    vendored: { files: { 'go.mod': 'module example.com/a\n\ngo 1.22\n', 'vendor/modules.txt': '' } },
    old: { files: { 'go.mod': 'module example.com/a\n\ngo 1.13\n', 'vendor/modules.txt': '' } },
    unspecified: { files: { 'go.mod': 'module example.com/a\n', 'vendor/modules.txt': '' } },
    noModulesTxt: { files: { 'go.mod': 'module example.com/a\n\ngo 1.22\n', 'vendor/x/x.go': 'package x\n' } },
    workspaceVendorOutsideWorkspace: { files: { 'go.mod': 'module example.com/a\n\ngo 1.22\n', 'vendor/modules.txt': '## workspace\n' } },
    noVendor: { files: { 'go.mod': 'module example.com/a\n\ngo 1.22\n' } },
    modFlag: { files: { 'go.mod': 'module example.com/a\n\ngo 1.22\n', 'vendor/modules.txt': '' }, goflags: '-mod=mod' },
    vendorFlag: { files: { 'go.mod': 'module example.com/a\n\ngo 1.13\n', 'vendor/modules.txt': '' }, goflags: '-mod=vendor' },
    workspace: { files: { 'go.work': 'go 1.22\n\nuse ./a\n', 'a/go.mod': 'module example.com/a\n\ngo 1.22\n', 'vendor/modules.txt': '## workspace\n' }, work: true },
    workspaceModuleVendor: { files: { 'go.work': 'go 1.22\n\nuse ./a\n', 'a/go.mod': 'module example.com/a\n\ngo 1.22\n', 'a/vendor/modules.txt': '' }, work: true },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      const root = tmpDir(`vendor-${name}`);
      tempDirs.push(root);
      write(root, { ...c.files, [c.work ? 'a/a.go' : 'a.go']: 'package a\n' });
      const start = c.work ? path.join(root, 'a') : root;
      const gowork = c.work ? path.join(root, 'go.work') : 'off';
      const env = { ...ENV!, gowork, goflags: c.goflags ?? '' };
      const oracle = goMode(start, { GOWORK: gowork, GOFLAGS: c.goflags ?? '' });
      const ours = vendorModeDetail(findModule(start, env)!, env);
      expect([name, ours.enabled]).toEqual([name, oracle.mode === 'vendor']);
      if (!c.goflags && oracle.reason) expect(ours.reason).toBe(oracle.reason);
    });
  }
});

describe.skipIf(!ge)('without a go command', () => {
  it('finds the module cache where the go command would', () => {
    const vars = { GOPATH: ['/gp/one', '/gp/two'].join(path.delimiter), GOMODCACHE: undefined, HOME: '/home/someone' };
    const r = runGo(['env', 'GOMODCACHE'], { env: { ...vars, GOENV: 'off' } });
    expect(envWithoutGo(vars, {}, '/home/someone').modcache).toBe(r.stdout.trim());
    const noGopath = runGo(['env', 'GOMODCACHE'], { env: { GOPATH: undefined, GOMODCACHE: undefined, HOME: '/home/someone', GOENV: 'off' } });
    expect(envWithoutGo({}, {}, '/home/someone').modcache).toBe(noGopath.stdout.trim());
    expect(envWithoutGo({ GOMODCACHE: '/mc' }, {}, '/h').modcache).toBe('/mc');
    expect(envWithoutGo({}, { GOFLAGS: '-mod=mod' }, '/h').goflags).toBe('-mod=mod');
    expect(envWithoutGo({}, {}, '/h').goroot).toBeUndefined();
  });

  it('still resolves module packages, and says why std packages are unknown', () => {
    const dir = fixture('discover-replace');
    const env = { ...ENV!, goroot: undefined };
    const resolver = new Resolver(findModule(dir, env), { env });
    expect(dirOf(resolver.resolve('example.org/lib/sub', dir))).toBe(path.join(dir, 'third_party', 'lib', 'sub'));
    const r = resolver.resolve('net/http', dir);
    expect(r).toMatchObject({ code: 'no-goroot' });
    expect((r as { error: string }).error).toMatch(/GOROOT is unknown/);
  });
});

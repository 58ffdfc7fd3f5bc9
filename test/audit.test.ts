// An audit of a vendored dependency update in a real git repository: four modules change
// version (one brings a linux-only function into a generic file and a misplaced +build
// line, one fixes such a call), one is added, one stays. The go command decides what the
// findings are at each commit (a windows cross-build's "undefined" errors, go vet's
// buildtag check); the test only compares the two sets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { main } from '../src/cli/main';
import { runGo } from '../src/goenv';
import AjvDraft4 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { run } from './support/cli';

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

function write(dir: string, files: Record<string, string | null>): void {
  for (const [name, text] of Object.entries(files)) {
    const p = path.join(dir, name);
    if (text === null) fs.rmSync(p, { force: true });
    else {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, text);
    }
  }
}

function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=crossvet test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function goMod(mods: Record<string, string>): string {
  return `module example.com/app\n\ngo 1.22\n\nrequire (\n${Object.entries(mods).map(([m, v]) => `\t${m} ${v}\n`).join('')})\n`;
}

function modulesTxt(mods: Record<string, string>): string {
  return Object.entries(mods).map(([m, v]) => `# ${m} ${v}\n## explicit; go 1.22\n${m}\n`).join('');
}

const BASE_MODS = { 'example.org/lib': 'v1.0.0', 'example.org/old': 'v0.1.0', 'example.org/same': 'v1.0.0', 'example.org/tags': 'v1.0.0' };
const HEAD_MODS = { 'example.org/added': 'v0.1.0', 'example.org/lib': 'v1.1.0', 'example.org/old': 'v0.2.0', 'example.org/same': 'v1.0.0', 'example.org/tags': 'v1.0.1' };

const BASE: Record<string, string> = {
  'go.mod': goMod(BASE_MODS),
  'vendor/modules.txt': modulesTxt(BASE_MODS),
  // Only `same` is imported: the others are scanned although nothing reaches them.
  'main.go': 'package main\n\nimport "example.org/same"\n\nfunc main() { println(same.V) }\n',
  'vendor/example.org/lib/lib.go': 'package lib\n\n// Name is portable.\nfunc Name() string { return "lib" }\n\n// Mode is not.\nfunc Mode() int { return mode() }\n',
  'vendor/example.org/lib/mode_linux.go': 'package lib\n\nfunc mode() int { return 1 }\n',
  'vendor/example.org/old/old.go': 'package old\n\nfunc Run() { osOnly() }\n',
  'vendor/example.org/old/old_linux.go': 'package old\n\nfunc osOnly() {}\n',
  'vendor/example.org/same/same.go': 'package same\n\nconst V = 1\n',
  'vendor/example.org/tags/tags.go': 'package tags\n\nfunc X() {}\n',
};

// The update, as `go mod vendor` would leave it.
const UPDATE: Record<string, string | null> = {
  'go.mod': goMod(HEAD_MODS),
  'vendor/modules.txt': modulesTxt(HEAD_MODS),
  'vendor/example.org/lib/lib.go':
    'package lib\n\n// Name is portable.\nfunc Name() string { return "lib" }\n\n// Handle is new in v1.1.0.\nfunc Handle() uintptr { return handle() }\n\n// Mode is not.\nfunc Mode() int { return mode() }\n',
  'vendor/example.org/lib/handle_linux.go': 'package lib\n\nfunc handle() uintptr { return 0 }\n',
  'vendor/example.org/old/old_other.go': '//go:build !linux\n\npackage old\n\nfunc osOnly() {}\n',
  'vendor/example.org/tags/extra.go': 'package tags\n\n// +build linux\n\nfunc Y() {}\n',
  'vendor/example.org/added/added.go': 'package added\n\nfunc Z() { onlyLinux() }\n',
  'vendor/example.org/added/added_linux.go': 'package added\n\nfunc onlyLinux() {}\n',
};

/**
 * What the go command finds in the vendored packages of a tree: key (what and where, without
 * the line, which moves) → `file:line:col`.
 */
function goFindings(dir: string, mods: Record<string, string>): Map<string, string> {
  const pkgs = Object.keys(mods);
  const out = new Map<string, string>();
  const linux = runGo(['build', '-gcflags=all=-e', ...pkgs], { cwd: dir, env: { GOOS: 'linux', GOARCH: 'amd64', CGO_ENABLED: '0' } });
  expect(linux.status, linux.stderr).toBe(0);
  const win = runGo(['build', '-gcflags=all=-e', ...pkgs], { cwd: dir, env: { GOOS: 'windows', GOARCH: 'amd64', CGO_ENABLED: '0' } });
  for (const m of win.stderr.matchAll(/^(vendor\/\S+\.go):(\d+):(\d+): undefined: (\S+)/gm)) out.set(`undefined ${m[4]} ${path.posix.dirname(m[1])}`, `${m[1]}:${m[2]}:${m[3]}`);
  const vet = runGo(['vet', '-buildtag', ...pkgs], { cwd: dir, env: { GOOS: 'linux', GOARCH: 'amd64', CGO_ENABLED: '0' } });
  for (const m of vet.stderr.matchAll(/^(vendor\/\S+\.go):(\d+):(\d+): (misplaced \+build comment)/gm)) out.set(`buildtag ${m[1]}`, `${m[1]}:${m[2]}:${m[3]}`);
  return out;
}

interface SarifResult {
  ruleId: string;
  baselineState: string;
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
  properties: { module: string; targets: string[] };
}

const where = (r: SarifResult) => {
  const p = r.locations[0].physicalLocation;
  return `${p.artifactLocation.uri}:${p.region.startLine}:${p.region.startColumn}`;
};

const TARGETS = ['--targets', 'linux/amd64,windows/amd64'];

describe('crossvet audit of a vendored dependency update', () => {
  let repo: string;
  let baseCommit: string;
  let expected: { state: string; at: string; module: string; targets: string[] }[];

  beforeAll(() => {
    repo = tempDir('crossvet-audit-repo-');
    write(repo, BASE);
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'base');
    baseCommit = git(repo, 'rev-parse', 'HEAD').trim();
    const before = goFindings(repo, BASE_MODS);
    write(repo, UPDATE);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'update dependencies');
    const after = goFindings(repo, HEAD_MODS);
    // The toolchain's view of the update, as states.
    const moduleOf = (at: string) => at.split('/').slice(1, 3).join('/');
    const targetsOf = (key: string) => (key.startsWith('undefined') ? ['windows/amd64'] : []);
    expected = [];
    for (const [k, at] of after) expected.push({ state: before.has(k) ? 'unchanged' : 'new', at, module: moduleOf(at), targets: targetsOf(k) });
    for (const [k, at] of before) if (!after.has(k)) expected.push({ state: 'absent', at, module: moduleOf(at), targets: targetsOf(k) });
    // The scenario holds what it means to: something new, fixed and unchanged, lines moved.
    expect(expected.map((e) => e.state).sort()).toEqual(['absent', 'new', 'new', 'new', 'unchanged']);
    expect(before.get('undefined mode vendor/example.org/lib')).not.toBe(after.get('undefined mode vendor/example.org/lib'));
  });

  it('reports new, fixed and unchanged findings per module in SARIF, and exits 1', async () => {
    const r = await run(['audit', '--base', 'main~1', ...TARGETS, '--format', 'sarif'], repo);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    // A valid SARIF 2.1.0 log, by the OASIS schema the project keeps beside the checkout.
    const schemaPath = path.resolve(__dirname, '..', '..', 'shared', 'sarif', 'sarif-schema-2.1.0.json');
    if (fs.existsSync(schemaPath)) {
      const ajv = new AjvDraft4({ allErrors: true, strict: false });
      addFormats(ajv);
      const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
      expect(validate(JSON.parse(r.stdout)), JSON.stringify(validate.errors)).toBe(true);
    } else console.warn(`skipping SARIF schema validation: ${schemaPath} not found`);
    const results = JSON.parse(r.stdout).runs[0].results as SarifResult[];
    const got = results.map((x) => ({ state: x.baselineState, at: where(x), module: x.properties.module, targets: x.properties.targets }));
    const key = (e: { state: string; at: string }) => `${e.state} ${e.at}`;
    expect(got.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(expected.sort((a, b) => key(a).localeCompare(key(b))));
  });

  it('writes a Markdown report with a module × target table', async () => {
    const r = await run(['audit', '--base', baseCommit, ...TARGETS, '--format', 'markdown'], repo);
    expect(r.code).toBe(1);
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('| '));
    const header = rows[0].split('|').slice(1, -1).map((c) => c.trim());
    expect(header).toEqual(['Module', 'Version', 'New', 'Fixed', 'Unchanged', '`linux/amd64`', '`windows/amd64`', 'any target']);
    const table = new Map(rows.slice(2).map((l) => {
      const cells = l.split('|').slice(1, -1).map((c) => c.trim());
      return [cells[0].replace(/`/g, ''), cells] as const;
    }));
    // One row per module that changed or has findings; `same` neither.
    expect([...table.keys()].sort()).toEqual(['example.org/added', 'example.org/lib', 'example.org/old', 'example.org/tags']);
    expect(r.stdout).toMatch(/1 other vendored module: same version, no findings/);
    for (const [mod, cells] of table) {
      const mine = expected.filter((e) => e.module === mod);
      const n = (s: string) => mine.filter((e) => e.state === s).length;
      expect(cells.slice(2, 5), mod).toEqual([String(n('new')), String(n('absent')), String(n('unchanged'))]);
      const cell = (t: string) => {
        const plus = mine.filter((e) => e.state === 'new' && (t === '' ? e.targets.length === 0 : e.targets.includes(t))).length;
        const minus = mine.filter((e) => e.state === 'absent' && (t === '' ? e.targets.length === 0 : e.targets.includes(t))).length;
        return [plus ? `+${plus}` : '', minus ? `−${minus}` : ''].filter(Boolean).join(' ') || '·';
      };
      expect(cells.slice(5), mod).toEqual([cell('linux/amd64'), cell('windows/amd64'), cell('')]);
    }
    expect(table.get('example.org/lib')![1]).toBe('`v1.0.0` → `v1.1.0`');
    expect(table.get('example.org/added')![1]).toBe('added `v0.1.0`');
    // Each new finding is listed under its module with its place.
    for (const e of expected.filter((x) => x.state === 'new')) expect(r.stdout).toContain(`\`${e.at}\``);
  });

  it('gives the same answer from a base directory, and exits 0 when nothing is new', async () => {
    const baseDir = tempDir('crossvet-audit-basedir-');
    write(baseDir, BASE);
    const r = await run(['audit', '--base-dir', baseDir, ...TARGETS, '--format', 'sarif'], repo);
    expect(r.code).toBe(1);
    const got = (JSON.parse(r.stdout).runs[0].results as SarifResult[]).map((x) => `${x.baselineState} ${where(x)}`).sort();
    expect(got).toEqual(expected.map((e) => `${e.state} ${e.at}`).sort());

    const same = await run(['audit', '--base', 'HEAD', ...TARGETS, '--format', 'sarif'], repo);
    expect(same.code).toBe(0);
    const states = (JSON.parse(same.stdout).runs[0].results as SarifResult[]).map((x) => x.baselineState);
    expect(states.length).toBe(expected.filter((e) => e.state !== 'absent').length);
    expect(new Set(states)).toEqual(new Set(['unchanged']));
  });

  it('leaves the repository as it was: worktree, index, refs, worktree list', async () => {
    const snapshot = () => ({
      status: git(repo, 'status', '--porcelain', '--ignored'),
      refs: git(repo, 'for-each-ref'),
      worktrees: git(repo, 'worktree', 'list', '--porcelain'),
      index: createHash('sha256').update(fs.readFileSync(path.join(repo, '.git', 'index'))).digest('hex'),
    });
    const before = snapshot();
    const r = await run(['audit', '--base', 'main~1', ...TARGETS], repo);
    expect(r.code).toBe(1);
    expect(snapshot()).toEqual(before);
    // Text output: one line per module, new and fixed findings under it.
    expect(r.stdout).toMatch(/^example\.org\/lib v1\.0\.0 → v1\.1\.0: 1 new, 0 fixed, 1 unchanged$/m);
    expect(r.stdout).toMatch(/^example\.org\/old v0\.1\.0 → v0\.2\.0: 0 new, 1 fixed, 0 unchanged$/m);
  });

  it('exits 2 without a base, with both kinds of base, or with an unknown revision', async () => {
    expect((await run(['audit', ...TARGETS], repo)).stderr).toMatch(/audit needs --base REV or --base-dir DIR/);
    const both = await run(['audit', '--base', 'HEAD', '--base-dir', repo, ...TARGETS], repo);
    expect(both.code).toBe(2);
    const unknown = await run(['audit', '--base', 'v9.9.9', ...TARGETS], repo);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--base: unknown revision "v9\.9\.9"/);
  });
});

// Baselines and --new-from-rev in a real git repository, as CI uses them. The go command
// decides what the findings are (a windows cross-build fails with "undefined: X" exactly
// where platform-symbol must report); the tests decide only which lines they changed.
import { afterAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { main } from '../src/cli/main';
import { runGo } from '../src/goenv';
import { parseUnifiedDiff } from '../src/baseline/diff';
import { compareWithBaseline } from '../src/baseline/compare';
import { entriesOf } from '../src/baseline/file';
import { normaliseMessage } from '../src/baseline/fingerprint';
import type { Finding } from '../src/report/model';
import { parse as parseYaml } from 'yaml';
import { run } from './support/cli';

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=crossvet test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function repo(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-baseline-'));
  made.push(dir);
  write(dir, files);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

/** name → `file:line:col` of each "undefined: name" the go command reports for windows/amd64. */
function undefinedOnWindows(dir: string): Map<string, string[]> {
  const r = runGo(['build', '-gcflags=all=-e', './...'], { cwd: dir, env: { GOOS: 'windows', GOARCH: 'amd64', CGO_ENABLED: '0' } });
  const out = new Map<string, string[]>();
  for (const m of r.stderr.matchAll(/^(?:\.\/)?([^\s:#][^:\n]*\.go):(\d+):(\d+): undefined: (\S+)/gm)) {
    const name = m[4].replace(/^.*\./, '');
    out.set(name, [...(out.get(name) ?? []), `${m[1]}:${m[2]}:${m[3]}`]);
  }
  return out;
}

interface JsonFinding {
  ruleId: string;
  file: string;
  span: { start: { line: number; col: number } };
  baselineState: string | null;
}

const at = (f: JsonFinding) => `${f.file}:${f.span.start.line}:${f.span.start.col}`;
const TARGETS = ['--targets', 'linux/amd64,windows/amd64'];

const GO_MOD = 'module example.com/base\n\ngo 1.22\n';
const LINUX = 'package main\n\nfunc osName() string { return "linux" }\n\nfunc fixedSoon() int { return 1 }\n\nfunc newThing() int { return 2 }\n';

describe('--baseline across a commit that moves lines', () => {
  it('keeps a moved finding unchanged, marks a new one new and a fixed one absent', async () => {
    const v1 = 'package main\n\nfunc main() {\n\tprintln(osName())\n\tprintln(fixedSoon())\n}\n';
    const dir = repo({ 'go.mod': GO_MOD, 'main.go': v1, 'name_linux.go': LINUX });
    const before = undefinedOnWindows(dir);
    expect([...before.keys()].sort()).toEqual(['fixedSoon', 'osName']);

    // First run: no baseline yet, so it is written and nothing counts as new.
    const first = await run(['check', ...TARGETS, '--baseline', 'crossvet-baseline.json', '--format', 'json'], dir);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const written = JSON.parse(first.stdout);
    expect(written.findings.map(at).sort()).toEqual([...before.get('fixedSoon')!, ...before.get('osName')!].sort());
    expect(written.findings.every((f: JsonFinding) => f.baselineState === 'unchanged')).toBe(true);
    expect(fs.existsSync(path.join(dir, 'crossvet-baseline.json'))).toBe(true);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'baseline');

    // The change: three lines above the old finding, fixedSoon now exists on every
    // platform, and a new call of a linux-only function.
    const v2 =
      'package main\n\n// main prints\n// what it knows.\nvar unused = 0\n\nfunc main() {\n\tprintln(osName())\n\tprintln(fixedSoon())\n\tprintln(newThing())\n}\n';
    write(dir, {
      'main.go': v2,
      'name_linux.go': LINUX.replace('\nfunc fixedSoon() int { return 1 }\n', ''),
      'fixed.go': 'package main\n\nfunc fixedSoon() int { return 1 }\n',
    });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'move lines, fix one, add one');
    const after = undefinedOnWindows(dir);
    expect([...after.keys()].sort()).toEqual(['newThing', 'osName']);
    expect(after.get('osName')).not.toEqual(before.get('osName')); // it really moved

    const second = await run(['check', ...TARGETS, '--baseline', 'crossvet-baseline.json', '--format', 'json'], dir);
    expect(second.code).toBe(1);
    const states = (JSON.parse(second.stdout).findings as JsonFinding[]).map((f) => `${f.baselineState} ${at(f)}`).sort();
    expect(states).toEqual(
      [`absent ${before.get('fixedSoon')![0]}`, `new ${after.get('newThing')![0]}`, `unchanged ${after.get('osName')![0]}`].sort(),
    );

    // SARIF carries the same states; the text format shows only what is new.
    const sarif = await run(['check', ...TARGETS, '--baseline', 'crossvet-baseline.json', '--format', 'sarif'], dir);
    const results = JSON.parse(sarif.stdout).runs[0].results as { baselineState: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
    expect(results.map((r) => r.baselineState).sort()).toEqual(['absent', 'new', 'unchanged']);
    // The fixed finding keeps the fingerprint the baseline recorded for it, and has no
    // snippet: its place is in the old version of the file.
    const gone = results.find((r) => r.baselineState === 'absent') as unknown as { partialFingerprints: Record<string, string>; locations: { physicalLocation: { region: Record<string, unknown> } }[] };
    const recorded = JSON.parse(fs.readFileSync(path.join(dir, 'crossvet-baseline.json'), 'utf8')).findings.find((e: { text: string }) => /fixedSoon/.test(e.text));
    expect(gone.partialFingerprints.primaryLocationLineHash).toBe(recorded.lineHash);
    expect(gone.locations[0].physicalLocation.region.snippet).toBeUndefined();
    const text = await run(['check', ...TARGETS, '--baseline', 'crossvet-baseline.json'], dir);
    expect(text.code).toBe(1);
    const findingLines = text.stdout.split('\n').filter((l) => /^main\.go:\d+:\d+:/.test(l));
    expect(findingLines.map((l) => l.split(':').slice(0, 3).join(':'))).toEqual(after.get('newThing'));
    expect(text.stdout).toMatch(/1 finding already in the baseline not shown/);

    // --update-baseline accepts the current findings: the new one is in the file now.
    const update = await run(['check', ...TARGETS, '--baseline', 'crossvet-baseline.json', '--update-baseline', '--format', 'json'], dir);
    expect(update.code).toBe(0);
    const notes = JSON.parse(update.stdout).notifications.map((n: { message: string }) => n.message);
    expect(notes).toContain('updated the baseline crossvet-baseline.json: 2 findings (1 new, 1 fixed since the previous baseline)');
    const third = await run(['check', ...TARGETS, '--baseline', 'crossvet-baseline.json', '--format', 'json'], dir);
    expect(third.code).toBe(0);
    expect((JSON.parse(third.stdout).findings as JsonFinding[]).map((f) => f.baselineState).sort()).toEqual(['unchanged', 'unchanged']);
    const alone = await run(['check', ...TARGETS, '--update-baseline'], dir);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--update-baseline needs --baseline FILE/);
  });

  it('exits 2 on a damaged baseline instead of treating it as empty', async () => {
    const dir = repo({ 'go.mod': GO_MOD, 'main.go': 'package main\n\nfunc main() {}\n' });
    fs.writeFileSync(path.join(dir, 'b.json'), '{"version": 1, "findings": [{"ruleId": 3}]}');
    const r = await run(['check', ...TARGETS, '--baseline', 'b.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/baseline b\.json: finding 1 is malformed/);
    fs.writeFileSync(path.join(dir, 'b.json'), '{"version": 1, "findings": [');
    expect((await run(['check', ...TARGETS, '--baseline', 'b.json'], dir)).stderr).toMatch(/not valid JSON/);
  });
});

describe('--new-from-rev on a pull-request-sized change', () => {
  // Four packages with findings at the base; the change touches two of them, adds a package
  // (committed) and a file not yet added to git.
  const base: Record<string, string> = {
    'go.mod': 'module example.com/pr\n\ngo 1.22\n',
    'main.go': 'package main\n\nimport (\n\t"example.com/pr/a"\n\t"example.com/pr/b"\n)\n\nfunc main() {\n\ta.Run()\n\tb.Run()\n}\n',
    'a/a.go': 'package a\n\n// Run runs.\nfunc Run() {\n\tprintln(oldA())\n\tprintln(1)\n}\n',
    'a/a_linux.go': 'package a\n\nfunc oldA() int { return 1 }\n\nfunc newA() int { return 2 }\n',
    'b/b.go': 'package b\n\nfunc Run() { println(oldB()) }\n',
    'b/b_linux.go': 'package b\n\nfunc oldB() int { return 1 }\n',
    'c/c.go': 'package c\n\nfunc Run() { println(oldC()) }\n',
    'c/c_linux.go': 'package c\n\nfunc oldC() int { return 1 }\n\nfunc newC() int { return 2 }\n',
  };

  it('reports only the findings on added or changed lines, committed or not', async () => {
    const dir = repo(base);
    // The user's diff settings must not change what is parsed.
    git(dir, 'config', 'diff.noprefix', 'true');
    git(dir, 'config', 'diff.mnemonicPrefix', 'true');
    git(dir, 'checkout', '-q', '-b', 'feature');
    // a/a.go: a new call (line 6 replaces `println(1)`) next to the old finding on line 5.
    write(dir, { 'a/a.go': 'package a\n\n// Run runs.\nfunc Run() {\n\tprintln(oldA())\n\tprintln(newA())\n}\n' });
    // c/c.go: an added line 4 with a new finding, the old finding on line 3 untouched.
    write(dir, { 'c/c.go': 'package c\n\nfunc Run() { println(oldC()) }\n\nfunc More() { println(newC()) }\n' });
    // d: a new package, committed on the branch.
    write(dir, { 'd/d.go': 'package d\n\nfunc Run() { println(onlyD()) }\n', 'd/d_linux.go': 'package d\n\nfunc onlyD() int { return 1 }\n' });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'feature');
    // e: not yet added to git at all.
    write(dir, { 'e/e.go': 'package e\n\nfunc Run() { println(onlyE()) }\n', 'e/e_linux.go': 'package e\n\nfunc onlyE() int { return 1 }\n' });

    // The lines this change added, as the test wrote them.
    const changed = new Set(['a/a.go:6', 'c/c.go:4', 'c/c.go:5', 'd/d.go:1', 'd/d.go:2', 'd/d.go:3', 'e/e.go:1', 'e/e.go:2', 'e/e.go:3']);
    const oracle = [...undefinedOnWindows(dir).values()].flat();
    // go build -e stops at a failing package's importers, but a, b, c, d, e fail on their own.
    expect(oracle.length).toBe(7);
    const expected = oracle.filter((w) => changed.has(w.split(':').slice(0, 2).join(':'))).sort();
    expect(expected.length).toBe(4);

    const index = path.join(dir, '.git', 'index');
    const indexBefore = createHash('sha256').update(fs.readFileSync(index)).digest('hex');
    const r = await run(['check', ...TARGETS, '--new-from-rev', 'main', '--format', 'json', './...'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect((doc.findings as JsonFinding[]).map(at).sort()).toEqual(expected);
    expect((doc.findings as JsonFinding[]).every((f) => f.baselineState === 'new')).toBe(true);
    expect(doc.notifications.map((n: { id: string; message: string }) => `${n.id}: ${n.message}`)).toContain('new-from-rev: 3 findings are on lines not changed since main and are not reported');
    // Read-only: git's index is byte for byte what it was.
    expect(createHash('sha256').update(fs.readFileSync(index)).digest('hex')).toBe(indexBefore);

    // A change that adds no finding passes, whatever the old code holds.
    const clean = repo(base);
    write(clean, { 'b/b.go': 'package b\n\n// Run calls oldB.\nfunc Run() { println(oldB()) }\n' });
    const ok = await run(['check', ...TARGETS, '--new-from-rev', 'HEAD', './...'], clean);
    expect(ok.code).toBe(0);
  });

  it('exits 2 on an unknown revision or outside a repository', async () => {
    const dir = repo(base);
    const r = await run(['check', ...TARGETS, '--new-from-rev', 'no-such-branch', './...'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--new-from-rev: unknown revision "no-such-branch"/);
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-norepo-'));
    made.push(plain);
    write(plain, { 'go.mod': GO_MOD, 'main.go': 'package main\n\nfunc main() {}\n' });
    const outside = await run(['check', ...TARGETS, '--new-from-rev', 'HEAD', './...'], plain);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/not in a git repository/);
  });
});

describe('diff parsing and matching', () => {
  it('reads added lines of a --unified=0 diff, quoted names, pure deletions and deleted files', () => {
    const diff = [
      'diff --git a/x.go b/x.go',
      '--- a/x.go',
      '+++ b/x.go',
      '@@ -3 +3 @@ func f() {',
      '-a',
      '+b',
      '@@ -10,0 +11,2 @@',
      '+c',
      '+d',
      '@@ -20,3 +22,0 @@',
      'diff --git "a/sp ace\\303\\251.go" "b/sp ace\\303\\251.go"',
      '--- "a/sp ace\\303\\251.go"',
      '+++ "b/sp ace\\303\\251.go"',
      '@@ -1 +1 @@',
      'diff --git a/gone.go b/gone.go',
      '--- a/gone.go',
      '+++ /dev/null',
      '@@ -1,2 +0,0 @@',
    ].join('\n');
    const m = parseUnifiedDiff(diff, '/r');
    expect([...(m.get(path.join('/r', 'x.go')) as Set<number>)].sort((a, b) => a - b)).toEqual([3, 11, 12]);
    expect([...(m.get(path.join('/r', 'sp aceé.go')) as Set<number>)]).toEqual([1]);
    expect(m.has(path.join('/r', 'gone.go'))).toBe(false);
  });

  it('a message keeps its identity when positions it cites move', () => {
    expect(normaliseMessage('x is declared in a_linux.go:12:3 and\n  used at line 40')).toBe(normaliseMessage('x is declared in a_linux.go:15:1 and used at line 44'));
    expect(normaliseMessage('offset 4 of T')).not.toBe(normaliseMessage('offset 8 of T'));
  });

  it('pairs duplicates in order and calls a changed message at the same place updated', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-match-'));
    made.push(root);
    const file = path.join(root, 'a.go');
    fs.writeFileSync(file, 'package a\n\nvar x = f()\nvar y = f()\nvar z = g()\n');
    const f = (line: number, message: string, targets = ['windows/amd64']): Finding => ({
      ruleId: 'platform-symbol',
      file,
      span: { start: { line, col: 9 }, end: { line, col: 10 } },
      message,
      level: 'error',
      targets,
    });
    const old = entriesOf([f(3, 'f is undefined on windows/amd64'), f(4, 'f is undefined on windows/amd64'), f(5, 'g is undefined on windows/amd64')], root);
    const now = compareWithBaseline(old, [f(3, 'f is undefined on windows/amd64'), f(5, 'g is undefined on windows/amd64, linux/386', ['windows/amd64', 'linux/386'])], root);
    expect(now.findings.map((x) => `${x.baselineState} ${x.span.start.line}`)).toEqual(['unchanged 3', 'updated 5', 'absent 4']);
    expect(now.counts).toEqual({ new: 0, unchanged: 1, updated: 1, absent: 1 });

    // Two lines inserted above and x's line removed: the line hashes say that y survived,
    // where pairing equal messages in order would have kept x's entry instead.
    fs.writeFileSync(file, 'package a\n\n// added\n// lines\nvar y = f()\nvar z = g()\n');
    const moved = compareWithBaseline(old.slice(0, 2), [f(5, 'f is undefined on windows/amd64')], root);
    expect(moved.findings.map((x) => `${x.baselineState} ${x.span.start.line}`)).toEqual(['unchanged 5', 'absent 3']);
  });
});

describe('CI files', () => {
  const repoRoot = path.resolve(__dirname, '..');

  it('the problem matcher reads every error and warning line of the text format, and nothing else', async () => {
    const matcher = JSON.parse(fs.readFileSync(path.join(repoRoot, 'docs', 'crossvet-problem-matcher.json'), 'utf8'));
    const p = matcher.problemMatcher[0].pattern[0];
    const re = new RegExp(p.regexp);
    // A module with errors, warnings, notes and suppressed findings; the levels come from configuration.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-matcher-'));
    made.push(dir);
    write(dir, {
      'go.mod': GO_MOD,
      'main.go': 'package main\n\nfunc main() {\n\tprintln(osName())\n\tprintln(fixedSoon()) //crossvet:ignore platform-symbol only shipped for linux\n}\n',
      'name_linux.go': LINUX,
      'name_x86.go': 'package main\n\nfunc x86() {}\n',
      'sub/odd name.go': '//+ build linux\n\npackage sub\n\nfunc S() { println(newThing()) }\n',
      'sub/linux_only_linux.go': 'package sub\n\nfunc newThing() int { return 1 }\n',
    });
    const args = ['check', ...TARGETS, './...'];
    const text = await run(args, dir);
    const json = await run([...args, '--format', 'json'], dir);
    const findings = (JSON.parse(json.stdout).findings as (JsonFinding & { level: string; suppressed: unknown; message: string })[]).filter((f) => !f.suppressed);
    expect(new Set(findings.map((f) => f.level))).toEqual(new Set(['error', 'warning']));
    const matched = text.stdout
      .split('\n')
      .map((l) => re.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ file: m[p.file], line: Number(m[p.line]), col: Number(m[p.column]), severity: m[p.severity], code: m[p.code], message: m[p.message] }));
    const wanted = findings.filter((f) => f.level === 'error' || f.level === 'warning');
    expect(matched.map((m) => `${m.file}:${m.line}:${m.col} ${m.severity} ${m.code}`).sort()).toEqual(
      wanted.map((f) => `${f.file}:${f.span.start.line}:${f.span.start.col} ${f.level} ${f.ruleId}`).sort(),
    );
    for (const m of matched) expect(m.message.startsWith(findings.find((f) => f.file === m.file && f.span.start.line === m.line)!.message.split('\n')[0])).toBe(true);
    // The same lines with a note level are not annotated: the matcher knows only errors and warnings.
    expect(re.test('main.go:4:10: note: x is y [platform-symbol] (windows/amd64)')).toBe(false);
  });

  it('docs/ci.md holds a workflow that installs crossvet, runs it and uploads its SARIF', () => {
    const md = fs.readFileSync(path.join(repoRoot, 'docs', 'ci.md'), 'utf8');
    const block = /```yaml\n([\s\S]*?)```/.exec(md)![1];
    const wf = parseYaml(block) as { on: object; permissions: Record<string, string>; jobs: Record<string, { steps: { uses?: string; run?: string; with?: Record<string, string> }[] }> };
    expect(wf.permissions['security-events']).toBe('write');
    const steps = Object.values(wf.jobs)[0].steps;
    const install = steps.findIndex((s) => s.run?.includes('npm install --global'));
    const sarif = steps.findIndex((s) => /crossvet check .*--format sarif --output (\S+)/.test(s.run ?? ''));
    const upload = steps.findIndex((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(install).toBeGreaterThanOrEqual(0);
    expect(sarif).toBeGreaterThan(install);
    expect(upload).toBeGreaterThan(sarif);
    const out = /--output (\S+)/.exec(steps[sarif].run!)![1];
    expect(steps[upload].with!.sarif_file).toBe(out);
    // Every crossvet option the workflow uses exists.
    for (const s of steps) {
      for (const m of (s.run ?? '').matchAll(/crossvet (?:check|audit) [^\n|]*/g)) {
        for (const opt of m[0].matchAll(/--([a-z-]+)/g)) expect(['format', 'output', 'new-from-rev', 'baseline', 'base', 'no-color']).toContain(opt[1]);
      }
    }
  });
});

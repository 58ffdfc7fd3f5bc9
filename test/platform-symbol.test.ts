// platform-symbol and syscall-portability against the Go compiler.
//
// Every fixture fixtures/platform-symbol-* and fixtures/syscall-* is built for every target
// of its run (go.mod's `// crossvet-args`) with `go build -gcflags=all=-e` (and `go test -c`
// when it has tests), one package at a time so that one package's import error cannot hide
// another's compile errors. Then:
//  - every diagnostic of the two rules is wanted, and every want met (fixtures/README.md);
//  - each diagnostic has a compile error on its line on exactly the targets it lists;
//  - every compile error is on the line of a diagnostic that lists its target.
// The same check runs on a module that vendors the real golang.org/x/sys (copied at test
// time from GOROOT's own vendor tree), and with CROSSVET_NO_GO=1 on the shipped facts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { check, type CheckOptions } from '../src/engine/check';
import { goEnv, safeGoEnv } from '../src/goenv';
import { parseTargets, type Target } from '../src/targets';
import { contextFor } from '../src/constraints/match';
import type { Diagnostic } from '../src/types';
import { parseWants, matchWants } from './support/wants';
import { fixtureArgs, goFilesUnder, type FixtureArgs as Args } from './support/fixtures';

const RULES = ['platform-symbol', 'syscall-portability'];
const fixturesDir = path.resolve(__dirname, '..', 'fixtures');
const env = goEnv();

/** The kinds of compile error these rules predict. */
const EXPECTED_ERROR = /redeclared in this block|already declared at |undefined: |undefined \(type |unknown field |mismatched types|cannot use |build constraints exclude all Go files|no required module/;

function run(cmd: string, args: string[], cwd: string, extra: Record<string, string>): Promise<{ status: number | null; out: string; stdout: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd, env: safeGoEnv(extra) });
    let out = '';
    let stdout = '';
    p.stdout.on('data', (b) => {
      out += b;
      stdout += b;
    });
    p.stderr.on('data', (b) => (out += b));
    p.on('close', (status) => resolve({ status, out, stdout }));
  });
}

/** Compile errors as "rel/file.go:line" → messages, for one target. */
type Errors = Map<string, string[]>;

interface ListedPackage {
  Dir: string;
  ImportPath: string;
  GoFiles?: string[];
  CgoFiles?: string[];
  TestGoFiles?: string[];
  XTestGoFiles?: string[];
}

async function compileErrors(dir: string, t: Target, args: Args): Promise<Errors> {
  const ctx = contextFor(t, { cgo: args.cgo, tags: args.tags });
  const vendored = fs.existsSync(path.join(dir, 'vendor', 'modules.txt'));
  const goenv: Record<string, string> = {
    ...t.env,
    CGO_ENABLED: ctx.cgo ? '1' : '0',
    GOFLAGS: vendored ? '-mod=vendor' : '-mod=mod',
    GOWORK: 'off',
    GOTOOLCHAIN: 'local',
    GOPROXY: 'off',
  };
  const tags = args.tags.length ? ['-tags', args.tags.join(',')] : [];
  const errors: Errors = new Map();
  const add = (file: string, line: number, msg: string) => {
    const rel = path.relative(dir, path.resolve(dir, file)).split(path.sep).join('/');
    const key = `${rel}:${line}`;
    const list = errors.get(key) ?? [];
    if (!list.includes(msg)) list.push(msg);
    errors.set(key, list);
  };
  const listed = await run(env!.GOROOT + '/bin/go', ['list', '-e', ...tags, '-json=Dir,ImportPath,GoFiles,CgoFiles,TestGoFiles,XTestGoFiles', './...'], dir, goenv);
  const pkgs: ListedPackage[] = JSON.parse(`[${listed.stdout.replace(/}\s*{/g, '},{')}]`);
  const byPath = new Map(pkgs.map((p) => [p.ImportPath, p]));
  for (const p of pkgs) {
    const rel = './' + (path.relative(dir, p.Dir).split(path.sep).join('/') || '.');
    const cmds = [['build', ...tags, '-gcflags=all=-e', '-o', os.devNull, rel]];
    if ((p.TestGoFiles?.length ?? 0) + (p.XTestGoFiles?.length ?? 0) > 0) cmds.push(['test', '-c', ...tags, '-gcflags=all=-e', '-o', os.devNull, rel]);
    for (const cmd of cmds) {
      const r = await run(env!.GOROOT + '/bin/go', cmd, dir, goenv);
      const lines = r.out.split('\n');
      for (let i = 0; i < lines.length; i++) {
        // A tab starts a continuation line ("\tother declaration of x"), not an error.
        const m = lines[i].startsWith('\t') ? null : /^(.+?\.go):(\d+):(\d+): (.*)$/.exec(lines[i]);
        if (m) add(m[1].replace(/^vet: /, ''), Number(m[2]), m[4]);
        // A package load error: "package A\n\timports B\n\timports C: build constraints exclude ...".
        if (/^package /.test(lines[i])) {
          const chain = [lines[i].replace(/^package /, '').replace(/ \(test\)$/, '')];
          let j = i + 1;
          while (j < lines.length && /^\timports /.test(lines[j])) chain.push(lines[j++].replace(/^\timports /, ''));
          const last = chain[chain.length - 1];
          const em = /^(\S+): (.*)$/.exec(last);
          if (em && chain.length >= 2) {
            const importer = byPath.get(chain[chain.length - 2]);
            if (importer) {
              for (const f of [...(importer.GoFiles ?? []), ...(importer.CgoFiles ?? [])]) {
                const text = fs.readFileSync(path.join(importer.Dir, f), 'utf8').split('\n');
                text.forEach((l, k) => {
                  if (l.includes(`"${em[1]}"`)) add(path.join(importer.Dir, f), k + 1, em[2]);
                });
              }
            }
          }
          i = j - 1;
        }
      }
      if (r.status !== 0 && errors.size === 0 && !/build constraints exclude/.test(r.out)) throw new Error(`go ${cmd.join(' ')} for ${t.id} failed without errors we can read:\n${r.out}`);
    }
  }
  return errors;
}

/** Runs `jobs` with at most `n` at a time. */
async function limit<T>(n: number, jobs: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]();
      }
    }),
  );
  return out;
}

async function crossvet(dir: string, args: Args): Promise<{ diags: Diagnostic[]; targets: Target[] }> {
  const opts: CheckOptions = { cwd: dir, paths: ['./...'], targets: args.targets, tags: args.tags, cgo: args.cgo, tests: true, rules: RULES, disable: [], cache: false, workers: 0 };
  const r = await check(opts);
  const failed = r.notifications.filter((n) => n.id === 'rule-failed');
  if (failed.length) throw new Error(failed.map((n) => n.message).join('\n'));
  return { diags: r.findings.filter((f) => !f.suppressed), targets: r.targets };
}

/** Differences between what the rules say and what the compiler says, per file line and target. */
function compare(dir: string, diags: Diagnostic[], targets: Target[], errors: Map<string, Errors>): string[] {
  const problems: string[] = [];
  const said = new Map<string, Set<string>>();
  for (const d of diags) {
    const key = `${path.relative(dir, d.file).split(path.sep).join('/')}:${d.span.start.line}`;
    const set = said.get(key) ?? new Set();
    for (const t of d.targets) set.add(t);
    said.set(key, set);
  }
  for (const t of targets) {
    const errs = errors.get(t.id)!;
    for (const [key, msgs] of errs) {
      if (!said.get(key)?.has(t.id)) problems.push(`${key}: ${t.id}: compile error not reported: ${msgs.join('; ')}`);
      for (const m of msgs) if (!EXPECTED_ERROR.test(m)) problems.push(`${key}: ${t.id}: compile error of another kind: ${m}`);
    }
    for (const [key, set] of said) {
      if (set.has(t.id) && !errs.has(key)) problems.push(`${key}: ${t.id}: reported, but it compiles`);
    }
  }
  return problems;
}

async function oracle(dir: string, args: Args, targets: Target[]): Promise<Map<string, Errors>> {
  const got = await limit(
    2,
    targets.map((t) => () => compileErrors(dir, t, args)),
  );
  return new Map(targets.map((t, i) => [t.id, got[i]]));
}

const cases = fs
  .readdirSync(fixturesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && /^(platform-symbol|syscall)-/.test(e.name))
  .map((e) => e.name)
  .sort();

describe.skipIf(!env)('platform-symbol and syscall-portability agree with go build', () => {
  it('has fixtures', () => expect(cases.length).toBeGreaterThan(8));

  for (const name of cases) {
    it(name, async () => {
      const dir = path.join(fixturesDir, name);
      const args = fixtureArgs(dir);
      const { diags, targets } = await crossvet(dir, args);
      const problems: string[] = [];
      for (const file of goFilesUnder(dir)) {
        const rel = path.relative(fixturesDir, file);
        const wants = parseWants(rel, fs.readFileSync(file, 'utf8')).filter((w) => RULES.includes(w.rule));
        problems.push(...matchWants(rel, wants, diags.filter((d) => d.file === file)));
      }
      problems.push(...compare(dir, diags, targets, await oracle(dir, args, targets)));
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }
});

// The real golang.org/x/sys, vendored: GOROOT's own cmd module vendors it, so a module
// that requires the same version can vendor the same files.
describe.skipIf(!env || !fs.existsSync(path.join(env?.GOROOT ?? '', 'src', 'cmd', 'vendor', 'golang.org', 'x', 'sys', 'unix')))('golang.org/x/sys from vendor/', () => {
  let dir = '';
  beforeAll(() => {
    const cmdVendor = path.join(env!.GOROOT, 'src', 'cmd', 'vendor');
    const modules = fs.readFileSync(path.join(cmdVendor, 'modules.txt'), 'utf8');
    const m = /^# golang\.org\/x\/sys (\S+)\n## explicit(?:; go (\S+))?/m.exec(modules);
    if (!m) throw new Error('no golang.org/x/sys in cmd/vendor/modules.txt');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-xsys-'));
    const src = path.join(__dirname, 'go', 'xsysuse');
    for (const f of goFilesUnder(src)) {
      const to = path.join(dir, path.relative(src, f));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(f, to);
    }
    fs.writeFileSync(path.join(dir, 'go.mod'), `module example.com/xsysuse\n\ngo 1.24\n\nrequire golang.org/x/sys ${m[1]}\n`);
    fs.mkdirSync(path.join(dir, 'vendor', 'golang.org', 'x', 'sys'), { recursive: true });
    for (const p of ['unix', 'windows']) fs.cpSync(path.join(cmdVendor, 'golang.org', 'x', 'sys', p), path.join(dir, 'vendor', 'golang.org', 'x', 'sys', p), { recursive: true });
    fs.writeFileSync(path.join(dir, 'vendor', 'modules.txt'), `# golang.org/x/sys ${m[1]}\n## explicit; go ${m[2] ?? '1.18'}\ngolang.org/x/sys/unix\ngolang.org/x/sys/windows\n`);
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports what go build reports', async () => {
    const args: Args = { targets: 'linux/amd64,linux/arm64,linux/386,darwin/arm64,windows/amd64', tags: [], cgo: 'auto', tests: true };
    const { diags, targets } = await crossvet(dir, args);
    const problems: string[] = [];
    for (const file of goFilesUnder(dir).filter((f) => !f.includes(`${path.sep}vendor${path.sep}`))) {
      const rel = path.relative(dir, file);
      const wants = parseWants(rel, fs.readFileSync(file, 'utf8')).filter((w) => RULES.includes(w.rule));
      problems.push(...matchWants(rel, wants, diags.filter((d) => d.file === file)));
    }
    problems.push(...compare(dir, diags, targets, await oracle(dir, args, targets)));
    expect(problems, problems.join('\n')).toEqual([]);
  });
});

// The drop-in replacements of syscall-portability (properties.replacement) are data: where
// golang.org/x/sys/unix declares each name, and that it has syscall's type. `go doc -all`
// of GOROOT's vendored golang.org/x/sys/unix and of syscall, port by port, is the truth.
describe.skipIf(!env || !fs.existsSync(path.join(env?.GOROOT ?? '', 'src', 'cmd', 'vendor', 'golang.org', 'x', 'sys', 'unix')))('drop-in replacements of syscall names', () => {
  let dir = '';
  beforeAll(() => {
    const cmdVendor = path.join(env!.GOROOT, 'src', 'cmd', 'vendor');
    const m = /^# golang\.org\/x\/sys (\S+)\n## explicit(?:; go (\S+))?/m.exec(fs.readFileSync(path.join(cmdVendor, 'modules.txt'), 'utf8'))!;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-dropins-'));
    fs.writeFileSync(path.join(dir, 'go.mod'), `module example.com/dropins\n\ngo 1.24\n\nrequire golang.org/x/sys ${m[1]}\n`);
    fs.mkdirSync(path.join(dir, 'vendor', 'golang.org', 'x', 'sys'), { recursive: true });
    fs.cpSync(path.join(cmdVendor, 'golang.org', 'x', 'sys', 'unix'), path.join(dir, 'vendor', 'golang.org', 'x', 'sys', 'unix'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'vendor', 'modules.txt'), `# golang.org/x/sys ${m[1]}\n## explicit; go ${m[2] ?? '1.18'}\ngolang.org/x/sys/unix\n`);
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Exported package-level funcs and consts as `go doc -all` prints them: name → "func(types)(types)" or "const <type>". */
  async function declared(pkg: string, goos: string, goarch: string): Promise<Map<string, string>> {
    const r = await run(env!.GOROOT + '/bin/go', ['doc', '-all', pkg], dir, { GOOS: goos, GOARCH: goarch, GOFLAGS: '-mod=vendor', GOWORK: 'off' });
    const out = new Map<string, string>();
    if (r.status !== 0) return out;
    const fields = (list: string): string[] => {
      const parts = list.split(',').map((x) => x.trim()).filter(Boolean);
      if (!parts.some((x) => /\s/.test(x))) return parts;
      const types: string[] = [];
      let pending = 0;
      for (const part of parts) {
        const m = /^\w+\s+(.+)$/.exec(part);
        if (!m) pending++;
        else {
          for (let i = 0; i <= pending; i++) types.push(m[1]);
          pending = 0;
        }
      }
      return types;
    };
    let inConst = false;
    for (const line of r.stdout.split('\n')) {
      if (line === 'const (') inConst = true;
      else if (inConst && line === ')') inConst = false;
      let m: RegExpExecArray | null;
      if (inConst && (m = /^\t([A-Z]\w*)\s*(?:(\S+)\s*)?=/.exec(line))) out.set(m[1], `const ${m[2] ?? 'untyped'}`);
      else if ((m = /^const ([A-Z]\w*)\s*(?:(\S+)\s*)?=/.exec(line))) out.set(m[1], `const ${m[2] ?? 'untyped'}`);
      else if ((m = /^func ([A-Z]\w*)\(([^)]*)\)\s*(.*)$/.exec(line))) {
        const results = m[3].replace(/^\((.*)\)$/, '$1');
        out.set(m[1], `func(${fields(m[2]).join(',')})(${fields(results).join(',')})`);
      }
    }
    return out;
  }

  it('are declared by golang.org/x/sys/unix exactly where the table says, with the type syscall gives them', async () => {
    const { UNIX_DROP_INS } = await import('../rules/support/unix-drop-ins');
    const ports = (await run(env!.GOROOT + '/bin/go', ['tool', 'dist', 'list'], dir, {})).stdout.trim().split('\n');
    const problems: string[] = [];
    await limit(
      2,
      ports.map((p) => async () => {
        const [goos, goarch] = p.split('/');
        const [unix, sys] = await Promise.all([declared('golang.org/x/sys/unix', goos, goarch), declared('syscall', goos, goarch)]);
        for (const [name, on] of Object.entries(UNIX_DROP_INS)) {
          const u = unix.get(name);
          if ((u !== undefined) !== on.includes(goos)) problems.push(`${p}: unix.${name} is ${u ? '' : 'not '}declared, the table says otherwise`);
          // Only predeclared types: a type of the package (Rlimit, Signal) would be another type in unix.
          if (u && /\b[A-Z]\w*/.test(u.replace(/^const /, ''))) problems.push(`${p}: unix.${name} is ${u}, which names a type of the package`);
          const s = sys.get(name);
          if (u && s && u !== s) problems.push(`${p}: unix.${name} is ${u} but syscall.${name} is ${s}`);
        }
      }),
    );
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('are given as properties.replacement where the drop-in is declared for every target of the file, and advised in the message', async () => {
    const { UNIX_DROP_INS } = await import('../rules/support/unix-drop-ins');
    const { adviceFor } = await import('../rules/syscall-portability');
    // Every drop-in is what the message advises.
    for (const name of Object.keys(UNIX_DROP_INS)) {
      const advice = adviceFor({ kind: 'name', name, qualifier: 'syscall', src: { importPath: 'syscall' } } as unknown as Parameters<typeof adviceFor>[0]);
      expect(advice, name).toMatch(/golang\.org\/x\/sys\/unix|unix\.\*|unix\./);
    }
    const got: string[] = [];
    for (const name of ['syscall-replacement', 'syscall-basic']) {
      const d = path.join(fixturesDir, name);
      for (const f of (await crossvet(d, fixtureArgs(d))).diags.filter((x) => x.ruleId === 'syscall-portability')) {
        const rep = f.properties?.replacement as { importPath: string; name: string } | undefined;
        if (rep) got.push(`${name}/${path.basename(f.file)}:${f.span.start.line} ${rep.importPath}.${rep.name}`);
      }
    }
    // syscall-basic's files build for windows too, where golang.org/x/sys/unix has no files.
    expect(got.sort()).toEqual([
      'syscall-replacement/redirect_linux.go:12 golang.org/x/sys/unix.Dup2',
      'syscall-replacement/redirect_linux.go:17 golang.org/x/sys/unix.Getsid',
      'syscall-replacement/redirect_linux.go:22 golang.org/x/sys/unix.O_PATH',
      'syscall-replacement/stdio_unix.go:9 golang.org/x/sys/unix.Dup2',
    ]);
  });
});

// Without a Go toolchain the standard library comes from the shipped facts: same findings.
describe.skipIf(!env)('without a Go toolchain', () => {
  it.each(['syscall-basic', 'syscall-fieldtypes', 'platform-symbol-import'])('finds the same problems in %s from the shipped facts', async (name) => {
    const dir = path.join(fixturesDir, name);
    const args = fixtureArgs(dir);
    const live = await crossvet(dir, args);
    const r = spawnSync(process.execPath, [path.join(__dirname, 'support', 'run-check-json.js'), dir, args.targets], {
      env: { ...process.env, CROSSVET_NO_GO: '1', GOROOT: '' },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const offline = JSON.parse(r.stdout) as { file: string; line: number; targets: string[]; ruleId: string; message: string }[];
    // The standard library really came from the shipped facts (where a message names where it was declared).
    if (name === 'syscall-basic') expect(offline.filter((d) => /shipped facts/.test(d.message)).length).toBeGreaterThan(0);
    const key = (d: { file: string; line: number; targets: string[]; ruleId: string }) => `${d.ruleId} ${path.relative(dir, d.file)}:${d.line} ${d.targets.join(',')}`;
    expect(offline.map(key).sort()).toEqual(live.diags.map((d) => key({ file: d.file, line: d.span.start.line, targets: d.targets, ruleId: d.ruleId })).sort());
  });
});

// The build-constraint-syntax rule against its fixtures, with the Go toolchain as the oracle:
// (a) every line `go vet -buildtag` flags, the rule flags too;
// (b) the lines the rule calls ignored are ignored by the go command (the file builds
//     where the would-be constraint says it must not), and its fixes make Go read them;
// (c) files the rule says build for no port are listed by `go list` for no port;
// (d) the rule's findings on each fixture are exactly its `// want` comments.
// Also: gofmt writes the same //go:build and +build lines as the rule's fixes, and Go's
// own sources (outside testdata) produce no warning or error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { rule, checkFile } from '../rules/build-constraint-syntax';
import type { RuleContext } from '../src/rule';
import type { Diagnostic, Edit, Notification } from '../src/types';
import type { SourceFile } from '../src/model/types';
import { readHeader } from '../src/constraints/header';
import { contextFor, fileBuilds, matchTag, type BuildContext } from '../src/constraints/match';
import { evalExpr, parse, tagsOf } from '../src/constraints/expr';
import { parseTarget, ports, presetTargets } from '../src/targets';
import { goEnv, runGo } from '../src/goenv';
import { matchWants, parseWants } from './support/wants';
import { goFilesUnder } from './support/fixtures';

const repo = path.resolve(__dirname, '..');
const fixturesDir = path.join(repo, 'fixtures');
const cases = fs
  .readdirSync(fixturesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name.startsWith('build-constraint-') && fs.existsSync(path.join(fixturesDir, e.name, 'go.mod')))
  .map((e) => e.name)
  .sort();
const hasGo = goEnv() !== null;

// ---------------------------------------------------------------------------
// A tiny in-test model: what the engine hands a rule, built from files on disk.

interface Loaded {
  files: SourceFile[];
  texts: Map<string, string>;
}

const runContexts: BuildContext[] = presetTargets('default').map((t) => contextFor(t));

function load(root: string, paths: string[]): Loaded {
  const texts = new Map<string, string>();
  const files = paths.map((p): SourceFile => {
    const buf = fs.readFileSync(p);
    texts.set(p, buf.toString('utf8'));
    const header = readHeader(buf);
    const name = path.basename(p);
    const builds = new Set<string>();
    for (const ctx of runContexts) if (fileBuilds(name, header, ctx, { includeTests: true })) builds.add(ctx.target.id);
    return { path: p, rel: path.relative(root, p).split(path.sep).join('/'), name, dir: path.dirname(p), header, isTest: name.endsWith('_test.go'), builds };
  });
  return { files, texts };
}

function contextOf(root: string, l: Loaded, report: (d: Diagnostic) => void, notes: Notification[] = []): RuleContext {
  return {
    root,
    targets: runContexts.map((c) => c.target),
    contexts: new Map(runContexts.map((c) => [c.target.id, c])),
    packages: [],
    files: l.files,
    classes: [],
    source: (f) => l.texts.get(f.path)!,
    facts: () => undefined,
    report,
    notify: (n) => notes.push(n),
  };
}

function runRule(root: string, paths: string[]): { diags: Diagnostic[]; loaded: Loaded; notes: Notification[] } {
  const loaded = load(root, paths);
  const diags: Diagnostic[] = [];
  const notes: Notification[] = [];
  void rule.check(contextOf(root, loaded, (d) => diags.push(d), notes));
  return { diags, loaded, notes };
}

const results = new Map<string, { diags: Diagnostic[]; loaded: Loaded }>();
function resultsFor(name: string): { diags: Diagnostic[]; loaded: Loaded } {
  let r = results.get(name);
  if (!r) {
    const dir = path.join(fixturesDir, name);
    r = runRule(dir, goFilesUnder(dir));
    results.set(name, r);
  }
  return r;
}

function allDiags(): Diagnostic[] {
  return cases.flatMap((c) => resultsFor(c).diags);
}

function check(d: Diagnostic): string {
  return String(d.properties?.check);
}

/** Apply a fix's edits (positions are 1-based lines and UTF-16 columns). */
function applyEdits(text: string, edits: Edit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const off = (p: { line: number; col: number }) => starts[p.line - 1] + p.col - 1;
  const sorted = [...edits].sort((a, b) => off(b.span.start) - off(a.span.start));
  for (const e of sorted) text = text.slice(0, off(e.span.start)) + e.text + text.slice(off(e.span.end));
  return text;
}

function mkTemp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// ---------------------------------------------------------------------------
// (d) The fixtures' want comments.

describe('build-constraint-syntax fixtures', () => {
  it('has the fixture cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(6);
    const total = cases.reduce((n, c) => n + goFilesUnder(path.join(fixturesDir, c)).length, 0);
    expect(total).toBeGreaterThanOrEqual(30);
  });

  for (const name of cases) {
    it(`${name}: findings equal the want comments`, () => {
      const { diags, loaded } = resultsFor(name);
      const problems: string[] = [];
      for (const f of loaded.files) {
        const rel = path.relative(fixturesDir, f.path);
        problems.push(...matchWants(rel, parseWants(rel, loaded.texts.get(f.path)!), diags.filter((d) => d.file === f.path)));
      }
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }

  it('reports well-formed diagnostics', () => {
    for (const d of allDiags()) {
      expect(d.ruleId).toBe('build-constraint-syntax');
      expect(d.targets).toEqual([]);
      const { start, end } = d.span;
      expect(start.line).toBeGreaterThanOrEqual(1);
      expect(start.col).toBeGreaterThanOrEqual(1);
      expect(end.line > start.line || (end.line === start.line && end.col >= start.col)).toBe(true);
      for (const f of d.fixes ?? []) for (const e of f.edits) expect(e.file).toBe(d.file);
    }
  });

  it('reads CRLF files and files with a byte order mark the same way', () => {
    let compared = 0;
    for (const c of cases) {
      const { diags, loaded } = resultsFor(c);
      for (const f of loaded.files) {
        const want = diags.filter((d) => d.file === f.path).map((d) => `${d.span.start.line}:${d.span.start.col} ${check(d)}`);
        const lf = loaded.texts.get(f.path)!;
        for (const variant of [lf.replace(/\n/g, '\r\n'), '\ufeff' + lf]) {
          const header = readHeader(Buffer.from(variant, 'utf8'));
          const ctx = contextOf(path.dirname(f.path), { files: [], texts: new Map([[f.path, variant]]) }, () => undefined);
          const got = checkFile(ctx, { ...f, header }, { userTags: new Set(), goMinor: runContexts[0].goMinor });
          expect(got.map((d) => `${d.span.start.line}:${d.span.start.col} ${check(d)}`), path.relative(fixturesDir, f.path)).toEqual(want);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('never throws on truncated or damaged files', () => {
    for (const c of cases) {
      const { loaded } = resultsFor(c);
      for (const f of loaded.files) {
        const text = loaded.texts.get(f.path)!;
        for (let cut = 0; cut < text.length; cut += 5) {
          for (const variant of [text.slice(0, cut), text.slice(0, cut) + '/*', text.slice(0, cut) + '"\u0000`' + text.slice(cut)]) {
            const ctx = contextOf(path.dirname(f.path), { files: [], texts: new Map([[f.path, variant]]) }, () => undefined);
            expect(() => checkFile(ctx, { ...f, header: readHeader(Buffer.from(variant, 'utf8')) }, { userTags: new Set(), goMinor: 26 })).not.toThrow();
          }
        }
      }
    }
  });

  it('spans cover the offending comment or tag', () => {
    for (const d of allDiags()) {
      const text = fs.readFileSync(d.file, 'utf8').split('\n')[d.span.start.line - 1];
      const covered = text.slice(d.span.start.col - 1, d.span.end.line === d.span.start.line ? d.span.end.col - 1 : undefined);
      if (check(d) === 'file-name') expect(covered).toMatch(/^package \w+$/);
      else if (check(d) === 'lookalike-tag') expect(d.message).toContain(`tag ${covered}:`);
      else if (check(d) === 'go-version') expect(d.message).toContain(`"${covered}"`);
      else expect(covered).toMatch(/^(\/\/|\/\*)/);
    }
  });
});

// ---------------------------------------------------------------------------
// (a) go vet's buildtag analyzer is the oracle for the part of the rule it covers.

interface VetFinding {
  file: string;
  line: number;
  message: string;
}

/** The JSON objects `go vet -json` prints one after another. */
function vetFindings(stdout: string): VetFinding[] {
  const out: VetFinding[] = [];
  let depth = 0;
  let start = -1;
  let inStr = false;
  for (let i = 0; i < stdout.length; i++) {
    const c = stdout[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) {
      const obj = JSON.parse(stdout.slice(start, i + 1)) as Record<string, Record<string, Array<{ posn: string; message: string }>>>;
      for (const pkg of Object.values(obj)) {
        for (const f of pkg.buildtag ?? []) {
          const m = /^(.*):(\d+):(\d+)$/.exec(f.posn);
          if (m) out.push({ file: m[1], line: Number(m[2]), message: f.message });
        }
      }
    }
  }
  return out;
}

describe.skipIf(!hasGo)('go vet -buildtag is a subset of the rule', () => {
  let total = 0;
  const tmp: string[] = [];
  afterAll(() => {
    for (const t of tmp) fs.rmSync(t, { recursive: true, force: true });
  });

  for (const name of cases) {
    it(name, () => {
      // A fresh copy: go vet caches results without looking at files the build excludes.
      const copy = mkTemp('cv-vet-');
      tmp.push(copy);
      fs.cpSync(path.join(fixturesDir, name), copy, { recursive: true });
      const r = runGo(['vet', '-buildtag', '-json', './...'], { cwd: copy, timeoutMs: 180_000 });
      const findings = vetFindings(r.stdout);
      total += findings.length;
      const ours = resultsFor(name).diags;
      const missed: string[] = [];
      for (const f of findings) {
        const file = path.join(fixturesDir, name, path.relative(fs.realpathSync(copy), fs.realpathSync(f.file)));
        if (!ours.some((d) => d.file === file && d.span.start.line === f.line)) missed.push(`${path.relative(fixturesDir, file)}:${f.line}: vet: ${f.message}`);
      }
      expect(missed, missed.join('\n')).toEqual([]);
    });
  }

  it('vet found something to compare with', () => {
    // 17 in the vet case and 2 in the near-miss case when this was written; at least the vet case must count.
    expect(total).toBeGreaterThanOrEqual(15);
  });
});

// ---------------------------------------------------------------------------
// (b), (c): the go command over every port, cgo off and (where supported) on.

interface Listing {
  /** "goos/goarch/cgo" */
  key: string;
  ctx: BuildContext;
  /** Absolute paths (in the fixture tree) of the files the go command builds. */
  builds: Set<string>;
}

describe.skipIf(!hasGo)('the go command agrees', () => {
  let ws = '';
  const listings: Listing[] = [];
  const fixedDir = 'build-constraint-nearmiss-fixed';
  const fixedFiles = new Map<string, string>(); // fixed copy path -> constraint line written by the fix

  /** Map a path in the workspace copy back to the fixture tree (fixed files stay in the copy). */
  const back = (p: string) => (p.startsWith(path.join(ws, fixedDir)) ? p : path.join(fixturesDir, path.relative(ws, p)));

  beforeAll(() => {
    ws = fs.realpathSync(mkTemp('cv-ws-'));
    for (const c of cases) fs.cpSync(path.join(fixturesDir, c), path.join(ws, c), { recursive: true });
    // The near-miss fixture again, with every fix applied, as its own module.
    const nm = resultsFor('build-constraint-nearmiss');
    const fixed = path.join(ws, fixedDir);
    fs.mkdirSync(fixed);
    fs.writeFileSync(path.join(fixed, 'go.mod'), `module example.com/${fixedDir}\n\ngo 1.22\n`);
    for (const f of nm.loaded.files) {
      const edits = nm.diags.filter((d) => d.file === f.path && check(d) === 'near-miss').flatMap((d) => d.fixes?.[0]?.edits ?? []);
      if (edits.length === 0) continue;
      const out = path.join(fixed, f.name);
      const text = applyEdits(nm.loaded.texts.get(f.path)!, edits);
      fs.writeFileSync(out, text);
      fixedFiles.set(out, edits[0].text);
    }
    fs.writeFileSync(path.join(fixed, 'anchor.go'), 'package nearmiss\n');
    const use = [...cases, fixedDir].map((c) => `\t./${c}\n`).join('');
    fs.writeFileSync(path.join(ws, 'go.work'), `go 1.22\n\nuse (\n${use})\n`);

    const fmt = '{{.Dir}}\t{{join .GoFiles ","}}\t{{join .CgoFiles ","}}\t{{join .TestGoFiles ","}}\t{{join .XTestGoFiles ","}}';
    for (const p of ports().ports) {
      for (const cgo of p.cgoSupported ? [false, true] : [false]) {
        const target = parseTarget(`${p.goos}/${p.goarch}`);
        const r = runGo(['list', '-e', '-f', fmt, 'example.com/...'], {
          cwd: ws,
          env: { ...target.env, CGO_ENABLED: cgo ? '1' : '0' },
          timeoutMs: 60_000,
        });
        if (r.status !== 0) throw new Error(`go list for ${p.goos}/${p.goarch}: ${r.stderr}`);
        const builds = new Set<string>();
        for (const line of r.stdout.split('\n').filter(Boolean)) {
          const [dir, ...lists] = line.split('\t');
          for (const list of lists) for (const f of list.split(',').filter(Boolean)) builds.add(back(path.join(dir, f)));
        }
        listings.push({ key: `${p.goos}/${p.goarch}/cgo=${cgo}`, ctx: contextFor(target, { cgo: cgo ? 'on' : 'off' }), builds });
      }
    }
  });

  afterAll(() => {
    if (ws) fs.rmSync(ws, { recursive: true, force: true });
  });

  it('lists every port', () => {
    expect(listings.length).toBeGreaterThanOrEqual(ports().ports.length);
    // Sanity: a file without constraints builds everywhere.
    const anchor = path.join(fixturesDir, 'build-constraint-unsat', 'anchor.go');
    expect(listings.every((l) => l.builds.has(anchor))).toBe(true);
  });

  /** Where Go builds the file although `constraint` (what its author meant) is false there. */
  function counterexample(file: string, constraint: string): string | undefined {
    const x = parse('//go:build ' + constraint);
    return listings.find((l) => l.builds.has(file) && !evalExpr(x, (t) => matchTag(l.ctx, t)))?.key;
  }

  it('(b) the lines called ignored are ignored: the file builds where its would-be constraint excludes it', () => {
    const ignoredChecks = new Set(['near-miss', 'misplaced-plus-build', 'misplaced-go-build', 'plus-build-malformed']);
    const diags = allDiags().filter((d) => ignoredChecks.has(check(d)) && d.properties?.constraint !== undefined && !/after the package clause/.test(d.message));
    expect(diags.length).toBeGreaterThanOrEqual(15);
    const failures = diags
      .filter((d) => counterexample(d.file, String(d.properties!.constraint)) === undefined)
      .map((d) => `${path.relative(fixturesDir, d.file)}:${d.span.start.line}: no port where Go builds the file although ${d.properties!.constraint} is false`);
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('(b) the compiler rejects //go:build after the package clause', () => {
    const diags = allDiags().filter((d) => check(d) === 'misplaced-go-build' && /after the package clause/.test(d.message));
    expect(diags.length).toBeGreaterThanOrEqual(2);
    // One file at a time: the compiler stops at the first file with errors.
    for (const d of diags) {
      const copy = path.join(ws, path.relative(fixturesDir, d.file));
      const r = runGo(['build', '-o', os.devNull, `./${path.basename(copy)}`], { cwd: path.dirname(copy), timeoutMs: 120_000 });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(new RegExp(`${path.basename(d.file)}:${d.span.start.line}:\\d+: misplaced compiler directive`));
    }
  });

  it('(b) file names that look platform-specific build where the name says they do not belong', () => {
    const diags = allDiags().filter((d) => check(d) === 'file-name');
    expect(diags.length).toBeGreaterThanOrEqual(8);
    const failures = diags
      .filter((d) => counterexample(d.file, String(d.properties!.suggestion)) === undefined)
      .map((d) => `${path.basename(d.file)}: Go builds it nowhere that ${d.properties!.suggestion} is false`);
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('(b) the near-miss fixes make Go read the constraint', () => {
    expect(fixedFiles.size).toBeGreaterThanOrEqual(8);
    const wrong: string[] = [];
    for (const [file, line] of fixedFiles) {
      const x = parse(line);
      for (const l of listings) {
        const want = evalExpr(x, (t) => matchTag(l.ctx, t));
        if (l.builds.has(file) !== want) wrong.push(`${path.basename(file)} (${line}) on ${l.key}: go list ${l.builds.has(file) ? 'builds' : 'skips'} it`);
      }
    }
    expect(wrong, wrong.slice(0, 20).join('\n')).toEqual([]);
  });

  it('(c) files reported as building for no port build for no port', () => {
    const diags = allDiags().filter((d) => check(d) === 'impossible' || check(d) === 'no-port');
    expect(diags.length).toBeGreaterThanOrEqual(10);
    const wrong = diags.map((d) => ({ d, at: listings.find((l) => l.builds.has(d.file))?.key })).filter((x) => x.at);
    expect(wrong.map((x) => `${path.basename(x.d.file)} builds on ${x.at}`)).toEqual([]);
  });

  it('(c) ... also with the custom tags they mention', () => {
    const dir = path.join(ws, 'build-constraint-unsat');
    const diags = resultsFor('build-constraint-unsat').diags.filter((d) => check(d) === 'impossible' || check(d) === 'no-port');
    const wrong: string[] = [];
    for (const p of ports().ports) {
      const target = parseTarget(`${p.goos}/${p.goarch}`);
      const r = runGo(['list', '-e', '-tags', 'integration', '-f', '{{join .GoFiles ","}},{{join .CgoFiles ","}}', '.'], {
        cwd: dir,
        env: { ...target.env, CGO_ENABLED: p.cgoSupported ? '1' : '0' },
      });
      const built = new Set(r.stdout.trim().split(',').filter(Boolean));
      for (const d of diags) if (built.has(path.basename(d.file))) wrong.push(`${path.basename(d.file)} builds on ${p.goos}/${p.goarch} with -tags integration`);
    }
    expect(wrong).toEqual([]);
  });

  it('(c) files not reported build somewhere, when their constraint uses only tags Go sets', () => {
    const reported = new Set(allDiags().filter((d) => ['impossible', 'no-port', 'go-build-syntax', 'extra-go-build'].includes(check(d))).map((d) => d.file));
    let checked = 0;
    const nowhere: string[] = [];
    for (const c of cases) {
      for (const f of resultsFor(c).loaded.files) {
        if (reported.has(f.path) || f.header.invalid) continue;
        const lines = f.header.goBuild ? [f.header.goBuild.text] : f.header.plusBuild.map((p) => p.text);
        if (!lines.flatMap((l) => tagsOf(parse(l))).every((t) => isGoSetTag(t))) continue;
        checked++;
        if (!listings.some((l) => l.builds.has(f.path))) nowhere.push(path.relative(fixturesDir, f.path));
      }
    }
    expect(checked).toBeGreaterThanOrEqual(40);
    expect(nowhere).toEqual([]);
  });

  it('look-alike tags are set by Go on no port', () => {
    const diags = allDiags().filter((d) => check(d) === 'lookalike-tag');
    expect(diags.length).toBeGreaterThanOrEqual(10);
    for (const d of diags) {
      const line = fs.readFileSync(d.file, 'utf8').split('\n')[d.span.start.line - 1];
      const tag = line.slice(d.span.start.col - 1, d.span.end.col - 1);
      const setSomewhere = listings.find((l) => matchTag(l.ctx, tag) || l.ctx.target.goos === tag || l.ctx.target.goarch === tag);
      expect(setSomewhere?.key, `${tag} in ${path.basename(d.file)}`).toBeUndefined();
      // And go list agrees: a copy of the file with only that tag as its constraint builds nowhere.
    }
    const probe = path.join(ws, 'build-constraint-tags');
    const tags = [...new Set(diags.map((d) => fs.readFileSync(d.file, 'utf8').split('\n')[d.span.start.line - 1].slice(d.span.start.col - 1, d.span.end.col - 1)))];
    tags.forEach((t, i) => fs.writeFileSync(path.join(probe, `probe${i}.go`), `//go:build ${t}\n\npackage tags\n`));
    for (const p of ports().ports) {
      const r = runGo(['list', '-e', '-f', '{{join .GoFiles ","}}', '.'], { cwd: probe, env: { GOOS: p.goos, GOARCH: p.goarch, CGO_ENABLED: '0' } });
      expect(r.stdout.split(',').filter((f) => f.startsWith('probe')), `${p.goos}/${p.goarch}`).toEqual([]);
    }
  });

  it('malformed and repeated //go:build lines make the go command reject the file with the same error', () => {
    const diags = allDiags().filter((d) => check(d) === 'go-build-syntax' || check(d) === 'extra-go-build');
    expect(diags.length).toBeGreaterThanOrEqual(5);
    for (const d of diags) {
      const copy = path.join(ws, path.relative(fixturesDir, d.file));
      const r = runGo(['list', '-e', '-f', '{{.Error}}', `./${path.basename(copy)}`], { cwd: path.dirname(copy) });
      const goErr = /(parsing \/\/go:build line: .*|multiple \/\/go:build comments)/.exec(r.stdout)?.[1];
      expect(goErr, path.basename(d.file)).toBeDefined();
      expect(d.message).toContain(goErr!);
      expect(d.level).toBe('error');
    }
  });
});

/** Tags Go itself sets on some configuration (GOOS, GOARCH, unix, cgo, gc, release and feature tags). */
function isGoSetTag(w: string): boolean {
  if (/^(go1\.[1-9][0-9]*|unix|cgo|gc|gccgo)$/.test(w)) return true;
  const dot = w.indexOf('.');
  return ports().ports.some((p) => p.goos === w || p.goarch === w || (dot > 0 && p.goarch === w.slice(0, dot)));
}

// ---------------------------------------------------------------------------
// gofmt writes //go:build from +build lines and +build lines from //go:build: the same
// lines our fixes write.

describe.skipIf(!hasGo)('gofmt agrees with the fixes', () => {
  it('adds the same //go:build line and rewrites +build lines the same way', () => {
    const gofmt = path.join(goEnv()!.GOROOT, 'bin', process.platform === 'win32' ? 'gofmt.exe' : 'gofmt');
    const diags = allDiags().filter((d) => (check(d) === 'missing-go-build' || check(d) === 'plus-build-mismatch') && d.fixes?.length);
    expect(diags.length).toBeGreaterThanOrEqual(5);
    const constraintLines = (t: string) => t.split('\n').filter((l) => /^\/\/(go:build|\s*\+build)/.test(l));
    for (const d of diags) {
      const text = fs.readFileSync(d.file, 'utf8');
      const r = spawnSync(gofmt, [], { input: text, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(constraintLines(applyEdits(text, d.fixes![0].edits)), path.basename(d.file)).toEqual(constraintLines(r.stdout));
    }
  });
});

// ---------------------------------------------------------------------------
// Go's own sources: thousands of real headers nobody here wrote.

describe.skipIf(!hasGo)("Go's own sources", () => {
  it('give no error, and only warnings that go list confirms, outside testdata', () => {
    const src = path.join(goEnv()!.GOROOT, 'src');
    const paths: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) {
          if (e.name !== 'testdata') walk(path.join(dir, e.name));
        } else if (e.name.endsWith('.go')) paths.push(path.join(dir, e.name));
      }
    };
    walk(src);
    expect(paths.length).toBeGreaterThan(3000);
    const loaded = load(src, paths);
    const bad: string[] = [];
    const fileNames: { file: SourceFile; d: Diagnostic }[] = [];
    const notes: Record<string, number> = {};
    const ctx = contextOf(src, loaded, () => undefined);
    for (const f of loaded.files) {
      for (const d of checkFile(ctx, f, { userTags: new Set(), goMinor: runContexts[0].goMinor })) {
        const level = d.level ?? rule.meta.defaultLevel;
        if (level === 'note') notes[check(d)] = (notes[check(d)] ?? 0) + 1;
        else if (level === 'warning' && check(d) === 'file-name') fileNames.push({ file: f, d });
        else bad.push(`${f.rel}:${d.span.start.line}: ${d.message}`);
      }
    }
    expect(bad, bad.slice(0, 30).join('\n')).toEqual([]);
    // Notes are only about GOOS/GOARCH pairs without a port (x/sys and syscall keep files for them).
    expect(Object.keys(notes).filter((k) => k !== 'no-port')).toEqual([]);
    // A file name reported as misleading really does build where its name says it does not.
    for (const { file, d } of fileNames) {
      const x = parse('//go:build ' + String(d.properties!.suggestion));
      const l = ports().ports.map((p) => contextFor(parseTarget(`${p.goos}/${p.goarch}`), { cgo: 'off' })).find((c) => !evalExpr(x, (t) => matchTag(c, t)))!;
      const r = runGo(['list', '-e', '-f', '{{join .GoFiles ","}}', '.'], { cwd: file.dir, env: { ...l.target.env, CGO_ENABLED: '0' } });
      expect(r.stdout.trim().split(','), `${file.rel} on ${l.target.id}`).toContain(file.name);
    }
  });
});

// Configuration as a new user meets it: a file with mistakes gets `file:line:col: what` and
// exit 2; a good file sets targets, levels, excluded paths and vendored code, and flags
// override it. What counts as a finding is decided by the go command (a cross-build that
// fails with "undefined"), never by our own output.
import { afterAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { main } from '../src/cli/main';
import { runGo } from '../src/goenv';
import { ALL_RULES } from '../rules';
import { parseConfig, findConfig } from '../src/config/load';
import { globMatcher, globToRegExp, GlobError } from '../src/config/glob';
import { initTemplate } from '../src/config/init';
import { mergeSettings } from '../src/config/merge';
import schema from '../docs/crossvet.schema.json';
import { run } from './support/cli';

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-config-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function posOf(text: string, needle: string): string {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, i).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/** `file:line:col` of every "undefined: X" error the go command reports for a target. */
function goUndefined(dir: string, goos: string, goarch: string, pkgs = ['./...']): string[] {
  const r = runGo(['build', '-gcflags=all=-e', ...pkgs], { cwd: dir, env: { GOOS: goos, GOARCH: goarch, CGO_ENABLED: '0' } });
  const out: string[] = [];
  for (const m of r.stderr.matchAll(/^(?:\.\/)?([^\s:#][^:\n]*\.go):(\d+):(\d+): undefined: /gm)) out.push(`${m[1]}:${m[2]}:${m[3]}`);
  return out.sort();
}

interface JsonFinding {
  ruleId: string;
  level: string;
  file: string;
  span: { start: { line: number; col: number } };
  targets: string[];
}

const findingsOf = (stdout: string): JsonFinding[] => JSON.parse(stdout).findings;
const where = (fs_: JsonFinding[]) => fs_.map((f) => `${f.file}:${f.span.start.line}:${f.span.start.col}`).sort();

// A main package whose generic file calls a function declared only for linux.
const LINUX_ONLY = {
  'go.mod': 'module example.com/cfg\n\ngo 1.22\n',
  'main.go': 'package main\n\nfunc main() { println(osName()) }\n',
  'name_linux.go': 'package main\n\nfunc osName() string { return "linux" }\n',
};

describe('configuration file mistakes', () => {
  it('reports an unknown key, wrong types, a bad target and an unknown rule with file:line:col, exit 2', async () => {
    const text = [
      'tragets: [linux/amd64]',
      'tags: [integration, "two words"]',
      'cgo: maybe',
      'vendor: yes',
      'rules:',
      '  disable: platform-symbol',
      '  levels:',
      '    atomic-alignmnt: error',
      'exclude: ["gen/[abc"]',
      '',
    ].join('\n');
    const dir = tempDir({ ...LINUX_ONLY, 'crossvet.yaml': text });
    const r = await run(['check'], dir);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n').map((l) => l.replace(/^crossvet: /, ''));
    expect(lines).toEqual([
      `crossvet.yaml:${posOf(text, 'tragets')}: unknown key "tragets" (did you mean "targets"?); the keys are targets, tags, cgo, rules, exclude, vendor`,
      expect.stringMatching(new RegExp(`^crossvet\\.yaml:${posOf(text, '"two words"')}: .*"two words".* not a build tag`)),
      expect.stringMatching(new RegExp(`^crossvet\\.yaml:${posOf(text, 'maybe')}: cgo must be one of auto, on, off`)),
      expect.stringMatching(new RegExp(`^crossvet\\.yaml:${posOf(text, 'yes')}: vendor must be true or false, not the string "yes"`)),
      expect.stringMatching(new RegExp(`^crossvet\\.yaml:${posOf(text, 'platform-symbol')}: rules\\.disable must be a list`)),
      expect.stringMatching(new RegExp(`^crossvet\\.yaml:${posOf(text, 'atomic-alignmnt')}: unknown rule "atomic-alignmnt" .*did you mean "atomic-alignment"`)),
      // The glob is a plain-quoted scalar: the position is the scalar's start.
      expect.stringMatching(new RegExp(`^crossvet\\.yaml:${posOf(text, '"gen/[abc"')}: exclude pattern "gen/\\[abc": unclosed "\\["`)),
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports an unknown target at its list item', async () => {
    const text = 'targets:\n  - linux/amd64\n  - linux/amd46\n';
    const r = await run(['check'], tempDir({ ...LINUX_ONLY, 'crossvet.yaml': text }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^crossvet: crossvet\\.yaml:${posOf(text, 'linux/amd46')}: unknown target "linux/amd46"`));
  });

  it('reports broken YAML with the position the parser found', async () => {
    const text = 'targets: [linux/amd64\ncgo: off\n';
    const r = await run(['check'], tempDir({ ...LINUX_ONLY, '.crossvet.yaml': text }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^crossvet: \.crossvet\.yaml:2:1: .*(flow sequence|\])/i);
    const dup = 'cgo: on\ncgo: off\n';
    const d = await run(['check'], tempDir({ ...LINUX_ONLY, 'crossvet.yaml': dup }));
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/^crossvet: crossvet\.yaml:2:1: Map keys must be unique/);
  });

  it('rejects a file that is not a mapping, a missing --config file, and two config files in one directory', async () => {
    const list = await run(['check'], tempDir({ ...LINUX_ONLY, 'crossvet.yaml': '- linux/amd64\n' }));
    expect(list.code).toBe(2);
    expect(list.stderr).toMatch(/crossvet\.yaml:1:1: the file must be a mapping of keys .* not a list/);
    const missing = await run(['check', '--config', 'nope.yaml'], tempDir(LINUX_ONLY));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.yaml: no such file/);
    const both = await run(['check'], tempDir({ ...LINUX_ONLY, 'crossvet.yaml': 'cgo: off\n', '.crossvet.yaml': 'cgo: on\n' }));
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/both exist; keep one of them/);
  });

  it('an empty file or one with only comments is a valid, empty configuration', () => {
    expect(parseConfig('', '/x/crossvet.yaml').exclude).toEqual([]);
    expect(parseConfig('# nothing yet\n', '/x/crossvet.yaml').targets).toBeUndefined();
  });
});

describe('configuration applied to a run', () => {
  it('takes targets from the file, lets --targets override them, and is found from a subdirectory', async () => {
    const dir = tempDir({ ...LINUX_ONLY, 'crossvet.yaml': 'targets: [linux/amd64, linux/arm64]\n', 'sub/keep.txt': '' });
    // The go command: the call is undefined on windows only.
    expect(goUndefined(dir, 'linux', 'amd64')).toEqual([]);
    expect(goUndefined(dir, 'linux', 'arm64')).toEqual([]);
    const onWindows = goUndefined(dir, 'windows', 'amd64');
    expect(onWindows).toEqual(['main.go:3:23']);

    const fromFile = await run(['check', '--format', 'json', '.'], dir);
    expect(fromFile.code).toBe(0);
    expect(findingsOf(fromFile.stdout)).toEqual([]);
    expect(JSON.parse(fromFile.stdout).targets).toEqual(['linux/amd64', 'linux/arm64']);

    const fromSub = await run(['check', '--format', 'json', '..'], path.join(dir, 'sub'));
    expect(JSON.parse(fromSub.stdout).targets).toEqual(['linux/amd64', 'linux/arm64']);

    const flag = await run(['check', '--format', 'json', '--targets', 'linux/amd64,windows/amd64', '.'], dir);
    expect(flag.code).toBe(1);
    const found = findingsOf(flag.stdout);
    expect(where(found)).toEqual(onWindows);
    expect(found[0].targets).toEqual(['windows/amd64']);
  });

  it('sets rule levels (note does not fail the run, off removes the rule) and --config names another file', async () => {
    const dir = tempDir({
      ...LINUX_ONLY,
      'crossvet.yaml': 'targets: [linux/amd64, windows/amd64]\nrules:\n  levels:\n    platform-symbol: note\n',
      'ci/strict.yaml': 'targets: [linux/amd64, windows/amd64]\nrules:\n  levels:\n    platform-symbol: "off"\n',
    });
    const noted = await run(['check', '--format', 'json', '.'], dir);
    expect(noted.code).toBe(0);
    expect(findingsOf(noted.stdout).map((f) => [f.ruleId, f.level])).toEqual([['platform-symbol', 'note']]);
    const failNote = await run(['check', '--format', 'json', '--fail-level', 'note', '.'], dir);
    expect(failNote.code).toBe(1);
    const off = await run(['check', '--format', 'json', '--config', 'ci/strict.yaml', '.'], dir);
    expect(off.code).toBe(0);
    expect(findingsOf(off.stdout)).toEqual([]);
  });

  it('leaves out findings in excluded paths but still reads their code', async () => {
    const files = {
      'go.mod': 'module example.com/cfg\n\ngo 1.22\n',
      'main.go': 'package main\n\nimport "example.com/cfg/gen"\n\nfunc main() { gen.Only() }\n',
      'gen/doc.go': 'package gen\n',
      'gen/bug.go': 'package gen\n\nfunc Name() string { return osName() }\n',
      'gen/name_linux.go': 'package gen\n\nfunc osName() string { return "linux" }\n',
      'gen/api_linux.go': 'package gen\n\nfunc Only() {}\n',
    };
    const dir = tempDir({ ...files, 'crossvet.yaml': 'targets: [linux/amd64, windows/amd64]\nexclude:\n  - gen/**\n' });
    // The go command, on windows: gen/bug.go fails; without it, main.go's call of the
    // linux-only gen.Only fails. Both are findings; only main.go's is outside gen/.
    const inGen = goUndefined(dir, 'windows', 'amd64');
    expect(inGen).toEqual(['gen/bug.go:3:29']);
    const { 'gen/bug.go': _bug, ...withoutBug } = files;
    const inMain = goUndefined(tempDir(withoutBug), 'windows', 'amd64');
    expect(inMain).toEqual(['main.go:5:19']);

    const excluded = await run(['check', '--format', 'json', './...'], dir);
    // main.go's finding needs gen's declarations: the excluded package was still read.
    expect(where(findingsOf(excluded.stdout))).toEqual(inMain);
    fs.writeFileSync(path.join(dir, 'crossvet.yaml'), 'targets: [linux/amd64, windows/amd64]\n');
    const all = await run(['check', '--format', 'json', './...'], dir);
    expect(where(findingsOf(all.stdout))).toEqual([...inGen, ...inMain].sort());
  });

  it('reports vendored packages only with vendor: true', async () => {
    const dir = tempDir({
      'go.mod': 'module example.com/app\n\ngo 1.22\n\nrequire example.org/lib v1.0.0\n',
      'vendor/modules.txt': '# example.org/lib v1.0.0\n## explicit; go 1.22\nexample.org/lib\n',
      'main.go': 'package main\n\nimport "example.org/lib"\n\nfunc main() { println(lib.Version) }\n',
      'vendor/example.org/lib/lib.go': 'package lib\n\nconst Version = "1"\n\nfunc Name() string { return osName() }\n',
      'vendor/example.org/lib/name_linux.go': 'package lib\n\nfunc osName() string { return "linux" }\n',
      'crossvet.yaml': 'targets: [linux/amd64, windows/amd64]\n',
    });
    const oracle = goUndefined(dir, 'windows', 'amd64', ['example.org/lib']);
    expect(oracle).toEqual(['vendor/example.org/lib/lib.go:5:29']);
    const off = await run(['check', '--format', 'json'], dir);
    expect(findingsOf(off.stdout)).toEqual([]);
    fs.appendFileSync(path.join(dir, 'crossvet.yaml'), 'vendor: true\n');
    const on = await run(['check', '--format', 'json'], dir);
    expect(on.code).toBe(1);
    expect(where(findingsOf(on.stdout))).toEqual(oracle);
  });

  it('flags replace the file value for the same key, defaults fill the rest', () => {
    const cfg = parseConfig('targets: 32bit\ntags: [a]\ncgo: "off"\nrules:\n  disable: [int-overflow-32bit]\n', '/p/crossvet.yaml');
    expect(mergeSettings({}, cfg)).toMatchObject({ targets: '32bit', tags: ['a'], cgo: 'off', disable: ['int-overflow-32bit'], vendor: 'exclude' });
    expect(mergeSettings({ targets: 'linux/amd64', tags: [], cgo: 'on', disable: [] }, cfg)).toMatchObject({ targets: 'linux/amd64', tags: [], cgo: 'on', disable: [] });
    expect(mergeSettings({}, undefined)).toMatchObject({ targets: 'default', tags: [], cgo: 'auto', rules: [], disable: [] });
  });
});

describe('crossvet init', () => {
  it('writes a commented file that loads cleanly, changes nothing, and refuses to overwrite', async () => {
    const dir = tempDir({ ...LINUX_ONLY });
    const first = await run(['init'], dir);
    expect(first.code).toBe(0);
    const file = path.join(dir, 'crossvet.yaml');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(/^# /);
    // Valid for our loader and for the published schema, and equal to the defaults.
    const cfg = parseConfig(text, file);
    const { levels, exclude, ...rest } = mergeSettings({}, cfg);
    const { levels: _l, exclude: _e, ...defaults } = mergeSettings({}, undefined);
    expect(rest).toEqual(defaults);
    expect(levels).toEqual({});
    expect(exclude).toBeUndefined();
    const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(schema);
    expect(validate(parseYaml(text))).toBe(true);
    // Every rule is named, with its default level, in the commented levels section.
    for (const r of ALL_RULES) expect(text).toMatch(new RegExp(`^ *# +${r.meta.id}: +${r.meta.defaultLevel}\\b`, 'm'));
    const again = await run(['init'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
  });

  it('the template names every key of the schema', () => {
    const keys = Object.keys(parseYaml(initTemplate()) as object).sort();
    expect(keys).toEqual(Object.keys(schema.properties).sort());
  });
});

describe('schema', () => {
  it('compiles in strict mode and lists every rule this version has', () => {
    new Ajv({ strict: true, allowUnionTypes: true }).compile(schema);
    for (const r of ALL_RULES) expect(schema.definitions.ruleId.enum).toContain(r.meta.id);
  });

  it('findConfig stops at the nearest directory with a config file', () => {
    const dir = tempDir({ 'crossvet.yaml': '', 'a/.crossvet.yaml': '', 'a/b/c/x.txt': '' });
    expect(findConfig(path.join(dir, 'a', 'b', 'c'))).toBe(path.join(dir, 'a', '.crossvet.yaml'));
    expect(findConfig(dir)).toBe(path.join(dir, 'crossvet.yaml'));
  });
});

describe('exclude globs', () => {
  it('match as .gitignore does (git check-ignore decides)', () => {
    const patterns = ['gen', '*_gen.go', 'internal/legacy', '/top.go', 'a/**/z.go', '**/mocks', 'docs/*.go', 'x?.go', 'tool[0-9].go', 'cmd/**'];
    const paths = [
      'gen/a.go', 'pkg/gen/b.go', 'pkg/generated/b.go', 'x_gen.go', 'pkg/y_gen.go', 'internal/legacy/old.go', 'pkg/internal/legacy/old.go',
      'top.go', 'pkg/top.go', 'a/z.go', 'a/b/c/z.go', 'b/a/z.go', 'mocks/m.go', 'deep/er/mocks/m.go', 'docs/d.go', 'docs/sub/d.go',
      'xy.go', 'xyz.go', 'tool7.go', 'toolx.go', 'cmd/main.go', 'cmd/sub/main.go', 'cmdx/main.go', 'main.go',
    ];
    for (const pattern of patterns) {
      const dir = tempDir({ '.gitignore': `${pattern}\n` });
      spawnSync('git', ['init', '-q'], { cwd: dir });
      const r = spawnSync('git', ['check-ignore', '--no-index', '--stdin'], { cwd: dir, input: paths.join('\n') + '\n', encoding: 'utf8' });
      const ignoredByGit = r.stdout.split('\n').filter(Boolean).sort();
      const ours = paths.filter(globMatcher([pattern])).sort();
      expect({ pattern, matched: ours }).toEqual({ pattern, matched: ignoredByGit });
    }
  });

  it('adds {a,b} alternatives and explains a broken pattern with its offset', () => {
    const m = globMatcher(['{gen,mock}/**/*.go']);
    expect(['gen/a.go', 'mock/x/b.go', 'other/a.go'].filter(m)).toEqual(['gen/a.go', 'mock/x/b.go']);
    expect(() => globToRegExp('a/{b,c')).toThrow(GlobError);
    try {
      globToRegExp('pkg/[ab');
    } catch (e) {
      expect((e as GlobError).offset).toBe(4);
    }
  });
});

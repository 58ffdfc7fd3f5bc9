// Every lint fixture under fixtures/ runs through the real engine: every diagnostic must
// be wanted and every want met (fixtures/README.md). A fixture's go.mod may carry a line
// `// crossvet-args: --targets all --tags foo` with the options of its run; a go.mod with
// the line `// not a lint fixture` marks data for other tests.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { check, type CheckOptions } from '../src/engine/check';
import { parseWants, matchWants } from './support/wants';

const fixturesDir = path.resolve(__dirname, '..', 'fixtures');

function fixtureArgs(goMod: string): Partial<CheckOptions> {
  const m = /^\/\/\s*crossvet-args:(.*)$/m.exec(goMod);
  const opts: Partial<CheckOptions> = {};
  if (!m) return opts;
  const words = m[1].trim().split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const [flag, inline] = words[i].split('=');
    const val = () => inline ?? words[++i];
    if (flag === '--targets') opts.targets = val();
    else if (flag === '--tags') opts.tags = val().split(',');
    else if (flag === '--cgo') opts.cgo = val() as CheckOptions['cgo'];
    else if (flag === '--no-tests') opts.tests = false;
    else throw new Error(`unknown crossvet-args flag ${flag}`);
  }
  return opts;
}

function goFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...goFilesUnder(p));
    else if (e.name.endsWith('.go')) out.push(p);
  }
  return out;
}

const cases = fs
  .readdirSync(fixturesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && fs.existsSync(path.join(fixturesDir, e.name, 'go.mod')))
  .map((e) => e.name)
  .filter((name) => !/^\/\/\s*not a lint fixture/m.test(fs.readFileSync(path.join(fixturesDir, name, 'go.mod'), 'utf8')))
  .sort();

describe('fixtures', () => {
  it('has lint fixtures', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const name of cases) {
    it(name, async () => {
      const dir = path.join(fixturesDir, name);
      const opts: CheckOptions = {
        cwd: dir,
        paths: ['./...'],
        targets: 'default',
        tags: [],
        cgo: 'auto',
        tests: true,
        rules: [],
        disable: [],
        cache: false,
        workers: 0,
        ...fixtureArgs(fs.readFileSync(path.join(dir, 'go.mod'), 'utf8')),
      };
      const result = await check(opts);
      const problems: string[] = [];
      const active = result.findings.filter((f) => !f.suppressed);
      const files = goFilesUnder(dir);
      for (const file of files) {
        const rel = path.relative(fixturesDir, file);
        const wants = parseWants(rel, fs.readFileSync(file, 'utf8'));
        problems.push(...matchWants(rel, wants, active.filter((d) => d.file === file)));
      }
      for (const d of active.filter((f) => !files.includes(f.file))) problems.push(`${d.file}: unexpected ${d.ruleId}: ${d.message}`);
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }
});

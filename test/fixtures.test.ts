// Every lint fixture under fixtures/ runs through the real engine: every diagnostic must
// be wanted and every want met (fixtures/README.md). A fixture's go.mod may carry a line
// `// crossvet-args: --targets all --tags foo` with the options of its run; a go.mod with
// the line `// not a lint fixture` marks data for other tests.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { check } from '../src/engine/check';
import { parseWants, matchWants } from './support/wants';
import { FIXTURES_DIR, fixtureArgs, goFilesUnder, lintFixtures } from './support/fixtures';

const cases = lintFixtures();
// Facts are keyed by content, so one cache shared by every case is safe, and it spares
// re-parsing the standard-library packages each fixture imports.
process.env.CROSSVET_CACHE_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-fixtures-cache-'));

describe('fixtures', () => {
  it('has lint fixtures', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const name of cases) {
    it(name, async () => {
      const dir = path.join(FIXTURES_DIR, name);
      const result = await check({ cwd: dir, paths: ['./...'], rules: [], disable: [], cache: true, workers: 0, ...fixtureArgs(dir) });
      const problems: string[] = [];
      const active = result.findings.filter((f) => !f.suppressed);
      const files = goFilesUnder(dir);
      for (const file of files) {
        const rel = path.relative(FIXTURES_DIR, file);
        const wants = parseWants(rel, fs.readFileSync(file, 'utf8'));
        problems.push(...matchWants(rel, wants, active.filter((d) => d.file === file)));
      }
      for (const d of active.filter((f) => !files.includes(f.file))) problems.push(`${d.file}: unexpected ${d.ruleId}: ${d.message}`);
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }
});

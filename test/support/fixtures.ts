// Shared by the tests that run fixtures: where they are, which are lint fixtures, the
// options a fixture's go.mod asks for, and its .go files.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const FIXTURES_DIR = path.resolve(__dirname, '..', '..', 'fixtures');

export interface FixtureArgs {
  targets: string;
  tags: string[];
  cgo: 'auto' | 'on' | 'off';
  tests: boolean;
}

/** Options from a go.mod line `// crossvet-args: --targets all --tags foo --cgo on --no-tests`. */
export function fixtureArgs(dir: string): FixtureArgs {
  const goMod = fs.readFileSync(path.join(dir, 'go.mod'), 'utf8');
  const args: FixtureArgs = { targets: 'default', tags: [], cgo: 'auto', tests: true };
  const m = /^\/\/\s*crossvet-args:(.*)$/m.exec(goMod);
  const words = m ? m[1].trim().split(/\s+/).filter(Boolean) : [];
  for (let i = 0; i < words.length; i++) {
    const [flag, inline] = words[i].split('=');
    const val = () => inline ?? words[++i];
    if (flag === '--targets') args.targets = val();
    else if (flag === '--tags') args.tags = val().split(',');
    else if (flag === '--cgo') args.cgo = val() as FixtureArgs['cgo'];
    else if (flag === '--no-tests') args.tests = false;
    else throw new Error(`${dir}/go.mod: unknown crossvet-args flag ${flag}`);
  }
  return args;
}

/** Every .go file below dir, sorted. */
export function goFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...goFilesUnder(p));
    else if (e.name.endsWith('.go')) out.push(p);
  }
  return out.sort();
}

/** Fixture case names: directories with a go.mod that does not say `// not a lint fixture`. */
export function lintFixtures(prefix = ''): string[] {
  return fs
    .readdirSync(FIXTURES_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name.startsWith(prefix) && fs.existsSync(path.join(FIXTURES_DIR, e.name, 'go.mod')))
    .map((e) => e.name)
    .filter((name) => !/^\/\/\s*not a lint fixture/m.test(fs.readFileSync(path.join(FIXTURES_DIR, name, 'go.mod'), 'utf8')))
    .sort();
}

// `promu build` (the Prometheus projects' build tool, run from their Makefile.common): each
// binary of the config's build.binaries is built with `go build`, with CGO_ENABLED=0 unless
// the config's go.cgo or the --cgo flag turns cgo on, the config's build.flags and the tags of
// build.tags (its `all` list), and -extldflags '-static' when build.static is set.
import * as path from 'node:path';
import type { BuildConfigProblem, BuildRecipe, Evidence, RepoFile, Setting } from './types';
import { get, items, parseYaml, str } from './yaml';
import { splitTags } from './gocmd';

export interface PromuCall {
  /** Arguments after `promu`. */
  args: string[];
  at: Evidence;
  via: Evidence[];
  /** Host directory promu runs in (the repository root in Makefile.common). */
  cwd: string;
}

/** The config file a call reads: -c/--config, else .promu.yml in its directory. */
export function promuConfigName(args: string[]): string {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-c' || a === '--config') return args[i + 1] ?? '.promu.yml';
    const m = /^--config=(.+)$/.exec(a);
    if (m) return m[1];
  }
  return '.promu.yml';
}

export function readPromu(file: RepoFile, call: PromuCall): { recipes: BuildRecipe[]; problems: BuildConfigProblem[] } {
  const cmd = call.args.find((a) => !a.startsWith('-') && a !== promuConfigName(call.args));
  // `promu crossbuild` cross-compiles in builder images: not a build for the machine it runs on.
  if (cmd !== 'build') return { recipes: [], problems: [] };
  const y = parseYaml(file.path, file.text);
  if ('error' in y) return { recipes: [], problems: [{ file: file.path, message: `cannot read ${path.basename(file.path)}: ${y.error}` }] };
  const root = y.doc.contents;
  const build = get(root, 'build');
  const after = call.args.slice(call.args.indexOf('build') + 1);

  // cgo: the --cgo flag, else go.cgo, else off.
  // Without go.cgo, promu sets CGO_ENABLED=0 itself: the evidence is the config's go section.
  const goNode = get(root, 'go');
  let cgo: Setting = { value: '0', at: goNode !== undefined ? y.ev(goNode) : { file: file.path, line: 1, text: '(promu default: cgo off)' } };
  const cgoNode = get(goNode, 'cgo');
  if (str(cgoNode) === 'true') cgo = { value: '1', at: y.ev(cgoNode) };
  for (const a of after) {
    if (a === '--cgo' || a === '--cgo=true') cgo = { value: '1', at: call.at };
    if (a === '--no-cgo' || a === '--cgo=false') cgo = { value: '0', at: call.at };
  }
  let prefix = str(get(build, 'prefix')) ?? '.';
  const names: string[] = [];
  for (let i = 0; i < after.length; i++) {
    const a = after[i];
    if (a === '--prefix') prefix = after[++i] ?? prefix;
    else if (a.startsWith('--prefix=')) prefix = a.slice('--prefix='.length);
    else if (!a.startsWith('-')) names.push(...a.split(',').filter(Boolean));
  }

  const flagsNode = get(build, 'flags');
  const flags = (str(flagsNode) ?? '').split(/\s+/).filter(Boolean);
  const tags: Setting[] = [];
  for (let i = 0; i < flags.length; i++) {
    const m = /^--?tags(?:=(.*))?$/.exec(flags[i]);
    if (m) for (const t of splitTags((m[1] ?? flags[++i] ?? '').replace(/^['"]|['"]$/g, ''))) tags.push({ value: t, at: y.ev(flagsNode) });
  }
  const allTags = get(get(build, 'tags'), 'all');
  for (const t of items(allTags)) {
    const v = str(t);
    if (v) tags.push({ value: v, at: y.ev(t) });
  }
  const ldflags: Setting[] = [];
  const staticNode = get(build, 'static');
  const ext = items(get(build, 'extldflags')).map(str).filter((x): x is string => !!x);
  if (str(staticNode) === 'true' && !ext.includes('-static')) ext.push('-static');
  if (ext.length) ldflags.push({ value: `-extldflags '${ext.join(' ')}'`, at: str(staticNode) === 'true' ? y.ev(staticNode) : y.ev(get(build, 'extldflags')) });

  const recipes: BuildRecipe[] = [];
  for (const b of items(get(build, 'binaries'))) {
    const name = str(get(b, 'name'));
    if (!name || (names.length && !names.includes('all') && !names.includes(name))) continue;
    const rel = str(get(b, 'path')) ?? '.';
    recipes.push({
      at: y.ev(b),
      via: [...call.via, call.at],
      source: 'script',
      verb: 'build',
      cwd: call.cwd,
      packages: [{ kind: 'dir', dir: path.resolve(call.cwd, rel), recursive: false }],
      unknownPackages: [],
      cgo,
      tags: [...tags],
      ldflags: [...ldflags],
      discards: false,
      output: path.join(call.cwd, prefix, name),
    });
  }
  return { recipes, problems: [] };
}

// Reading .goreleaser.y(a)ml: each `builds` entry is a recipe (main/dir, binary, env,
// flags, tags, ldflags, goos × goarch minus `ignore`, or `targets`; per-target `overrides`
// become recipes of their own), and `dockers`/`dockers_v2` entries whose Dockerfile starts
// from a minimal image mark the builds they package. Defaults are GoReleaser's.
import * as path from 'node:path';
import type { BuildConfigProblem, BuildRecipe, Env, Evidence, RepoFile, Setting } from './types';
import { get, entries, items, parseYaml, str, type YamlFile } from './yaml';
import { splitTags } from './gocmd';
import { splitInstructions } from './dockerfile';
import { minimalImage } from './images';

const DEFAULT_GOOS = ['darwin', 'linux', 'windows'];
const DEFAULT_GOARCH = ['386', 'amd64', 'arm64'];

export interface GoreleaserResult {
  recipes: BuildRecipe[];
  problems: BuildConfigProblem[];
}

/** The directory GoReleaser runs in: the config's, or its parent for .config/goreleaser.yaml. */
export function goreleaserBase(configPath: string): string {
  const dir = path.dirname(configPath);
  return path.basename(dir) === '.config' || path.basename(dir) === '.github' ? path.dirname(dir) : dir;
}

/** Recipes of a GoReleaser config, run with `outer` as the environment (a CI step's). */
export function readGoreleaser(file: RepoFile, outer: Env, via: Evidence[], files: Map<string, RepoFile>): GoreleaserResult {
  const y = parseYaml(file.path, file.text);
  if ('error' in y) return { recipes: [], problems: [{ file: file.path, message: `cannot read ${path.basename(file.path)}: ${y.error}` }] };
  const root = y.doc.contents;
  const base = goreleaserBase(file.path);
  const globalEnv = envList(y, get(root, 'env'), outer);
  const projectName = str(get(root, 'project_name')) ?? path.basename(base);
  const recipes: BuildRecipe[] = [];
  const byId = new Map<string, BuildRecipe[]>();

  const buildsNode = get(root, 'builds');
  const builds = buildsNode === undefined ? [undefined] : items(buildsNode);
  builds.forEach((b, i) => {
    if (b !== undefined && !isGoBuilder(b)) return;
    if (b !== undefined && str(get(b, 'skip')) === 'true') return;
    const id = str(get(b, 'id')) ?? (i === 0 ? projectName : `${projectName}-${i}`);
    const at = b !== undefined ? y.ev(b) : { file: file.path, line: 1, text: '(default build)' };
    const env = envList(y, get(b, 'env'), globalEnv);
    const dir = str(get(b, 'dir')) ?? '.';
    const main = str(get(b, 'main')) ?? '.';
    const mainDir = main.endsWith('.go') ? path.posix.dirname(main) : main;
    const pkgDir = path.resolve(base, dir, mainDir);
    const recipe: BuildRecipe = {
      at,
      via,
      source: 'goreleaser',
      verb: 'build',
      packages: main.includes('{{') || dir.includes('{{') ? [] : [{ kind: 'dir', dir: pkgDir, recursive: false }],
      unknownPackages: main.includes('{{') || dir.includes('{{') ? [main] : [],
      tags: [],
      ldflags: [],
      discards: false,
      output: str(get(b, 'binary')) ?? projectName,
    };
    if (env.has('CGO_ENABLED')) recipe.cgo = env.get('CGO_ENABLED');
    readFlags(y, b, recipe);
    recipe.platforms = platforms(y, b, at);
    // Per-target overrides: their targets become recipes of their own.
    for (const o of items(get(b, 'overrides'))) {
      const goos = str(get(o, 'goos'));
      const goarch = str(get(o, 'goarch'));
      if (!goos || !goarch) continue;
      const plat = `${goos}/${goarch}`;
      if (!recipe.platforms?.list.includes(plat)) continue;
      recipe.platforms.list = recipe.platforms.list.filter((p) => p !== plat);
      const oenv = envList(y, get(o, 'env'), env);
      const ov: BuildRecipe = { ...recipe, at: y.ev(o), tags: [...recipe.tags], ldflags: [...recipe.ldflags], platforms: { list: [plat], at: y.ev(o) } };
      if (oenv.has('CGO_ENABLED')) ov.cgo = oenv.get('CGO_ENABLED');
      readFlags(y, o, ov);
      recipes.push(ov);
      pushId(id, ov);
    }
    recipes.push(recipe);
    pushId(id, recipe);
  });

  // Docker images: a minimal base makes every build it packages need static linking.
  for (const key of ['dockers', 'dockers_v2']) {
    for (const d of items(get(root, key))) {
      const dockerfile = str(get(d, 'dockerfile')) ?? 'Dockerfile';
      const df = files.get(path.resolve(base, dockerfile));
      if (!df) continue;
      const froms = splitInstructions(df.text).filter((ins) => ins.keyword === 'FROM');
      const last = froms[froms.length - 1];
      if (!last) continue;
      const image = last.rest.trim().split(/\s+/).filter((w) => !w.startsWith('--'))[0] ?? '';
      if (!minimalImage(image)) continue;
      const ids = items(get(d, 'ids')).map(str).filter((s): s is string => !!s);
      const targets = ids.length ? ids.flatMap((i) => byId.get(i) ?? []) : recipes;
      for (const r of targets) r.image = { name: image, at: { file: df.path, line: last.line, text: `FROM ${last.rest.trim()}` } };
    }
  }
  return { recipes, problems: [] };

  function pushId(id: string, r: BuildRecipe) {
    const list = byId.get(id) ?? [];
    list.push(r);
    byId.set(id, list);
  }
}

function isGoBuilder(b: unknown): boolean {
  const builder = str(get(b, 'builder'));
  return builder === undefined || builder === 'go';
}

/** An env list (["CGO_ENABLED=0"]) on top of an outer environment; templated values are unknown. */
function envList(y: YamlFile, node: unknown, outer: Env): Env {
  const env: Env = new Map(outer);
  for (const item of items(node)) {
    const s = str(item);
    const m = s ? /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(s) : null;
    if (!m) continue;
    env.set(m[1], m[2].includes('{{') ? null : { value: m[2], at: y.ev(item) });
  }
  return env;
}

function readFlags(y: YamlFile, node: unknown, r: BuildRecipe): void {
  const tagsNode = get(node, 'tags');
  for (const t of items(tagsNode)) {
    const s = str(t);
    if (s === undefined) continue;
    if (s.includes('{{')) r.tagsUnknown = y.ev(t);
    else r.tags.push(...splitTags(s).map((value) => ({ value, at: y.ev(t) })));
  }
  for (const f of items(get(node, 'flags'))) {
    const s = str(f);
    const m = s ? /^--?tags[= ](.*)$/.exec(s) : null;
    if (m) r.tags.push(...splitTags(m[1]).map((value) => ({ value, at: y.ev(f) })));
    if (s && /^--?race$/.test(s)) r.race = y.ev(f);
  }
  const ld = items(get(node, 'ldflags'));
  if (ld.length) {
    r.ldflags = ld.map((l): Setting => ({ value: str(l) ?? '', at: y.ev(l) }));
  }
}

function platforms(y: YamlFile, b: unknown, at: Evidence): { list: string[]; at: Evidence } | null {
  const targets = items(get(b, 'targets')).map(str);
  if (targets.length) {
    if (targets.some((t) => !t || t.includes('{{'))) return null;
    const list: string[] = [];
    for (const t of targets as string[]) {
      if (t === 'go_first_class' || t === 'go_118_first_class') list.push('linux/amd64', 'linux/386', 'linux/arm', 'linux/arm64', 'darwin/amd64', 'darwin/arm64', 'windows/amd64', 'windows/386');
      else {
        const [os, arch] = t.split('_');
        if (os && arch) list.push(`${os}/${arch}`);
      }
    }
    return { list, at: y.ev(get(b, 'targets')) };
  }
  const goosNode = get(b, 'goos');
  const goarchNode = get(b, 'goarch');
  const goos = goosNode !== undefined ? items(goosNode).map(str) : DEFAULT_GOOS;
  const goarch = goarchNode !== undefined ? items(goarchNode).map(str) : DEFAULT_GOARCH;
  if ([...goos, ...goarch].some((v) => !v || v.includes('{{'))) return null;
  const ignore = new Set<string>();
  for (const ig of items(get(b, 'ignore'))) {
    const os = str(get(ig, 'goos'));
    const arch = str(get(ig, 'goarch'));
    for (const o of os ? [os] : (goos as string[])) for (const a of arch ? [arch] : (goarch as string[])) ignore.add(`${o}/${a}`);
  }
  const list = (goos as string[]).flatMap((o) => (goarch as string[]).map((a) => `${o}/${a}`)).filter((p) => !ignore.has(p));
  const where = goosNode ?? goarchNode;
  return { list, at: where !== undefined ? y.ev(where) : at };
}

export { entries };

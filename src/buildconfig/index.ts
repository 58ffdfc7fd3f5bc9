// How the repository builds its commands, read from its build files: GitHub workflows and
// Dockerfiles are where builds start; the Makefiles, scripts and GoReleaser configs they
// call run with the caller's environment. Files nobody calls count on their own (every
// Makefile rule, every script, every GoReleaser config), as a developer would run them.
import * as path from 'node:path';
import type { BuildConfigProblem, BuildRecipe, Env, Evidence, RepoFile } from './types';
import { joinPath, runShell, type ShellCommand } from './shell';
import { goRecipe, isGoCommand, type Frame } from './gocmd';
import { makeScripts, parseMakefile, type Makefile } from './makefile';
import { readDockerfile, pathCovers, type ContextCopy } from './dockerfile';
import { readGoreleaser } from './goreleaser';
import { readWorkflow } from './workflow';
import { promuConfigName, readPromu } from './promu';

export type { BuildRecipe, BuildConfigProblem, Evidence, PkgRef, RepoFile, Setting, Env } from './types';
export { fromImage } from './images';

/** The build files to read, relative to the scanned root. */
export const BUILD_FILE_GLOBS = [
  '**/Makefile', '**/makefile', '**/GNUmakefile', '**/Makefile.*', '**/*.mk', '**/*.mak',
  '**/Dockerfile', '**/Dockerfile.*', '**/Dockerfile-*', '**/Dockerfile_*', '**/*.Dockerfile', '**/*.dockerfile',
  '**/Containerfile', '**/Containerfile.*', '**/Containerfile-*', '**/Containerfile_*',
  '**/.goreleaser.yml', '**/.goreleaser.yaml', '**/goreleaser.yml', '**/goreleaser.yaml',
  '**/*.sh', '**/*.bash',
  '.github/workflows/*.yml', '.github/workflows/*.yaml',
  '**/.promu.yml', '**/.promu-*.yml', '**/.promu.yaml',
];

export type FileKind = 'makefile' | 'dockerfile' | 'goreleaser' | 'script' | 'workflow' | 'promu';

export function fileKind(p: string): FileKind | undefined {
  const base = path.basename(p);
  const norm = p.split(path.sep).join('/');
  if (/\/\.github\/workflows\/[^/]+\.ya?ml$/.test(norm)) return 'workflow';
  if (/^\.?goreleaser\.ya?ml$/.test(base)) return 'goreleaser';
  // Read only when a `promu build` runs it: on its own it says nothing about how cgo is set.
  if (/^\.promu(-[^/]+)?\.ya?ml$/.test(base)) return 'promu';
  // Makefile, Makefile.common (included by the Prometheus projects' Makefile), *.mk.
  if (/^(GNUmakefile|[Mm]akefile)(\.[^/]+)?$/.test(base) || /\.(mk|mak)$/.test(base)) return 'makefile';
  // Dockerfile, Dockerfile.alpine, Dockerfile-for-frpc, Dockerfile_arm, app.Dockerfile; not
  // Dockerfile.dockerignore, which is the ignore file of Dockerfile.
  if (/\.dockerignore$/.test(base)) return undefined;
  if (/^(Dockerfile|Containerfile)([.\-_].+)?$/.test(base) || /\.(Dockerfile|dockerfile)$/.test(base)) return 'dockerfile';
  if (/\.(sh|bash)$/.test(base)) return 'script';
  return undefined;
}

export interface BuildConfig {
  recipes: BuildRecipe[];
  problems: BuildConfigProblem[];
  /** Build files read, absolute paths. */
  files: string[];
}

/** Calls nested deeper than this are not followed (a Makefile calling itself through a script, say). */
const MAX_DEPTH = 8;

export function readBuildConfig(repoFiles: RepoFile[], root: string): BuildConfig {
  const files = new Map<string, RepoFile>();
  for (const f of repoFiles) if (fileKind(f.path)) files.set(path.resolve(f.path), f);
  const problems: BuildConfigProblem[] = [];
  const recipes: BuildRecipe[] = [];
  const makefiles = new Map<string, Makefile>();
  /** Makefile rules, scripts and GoReleaser configs some caller ran: their standalone reading is replaced. */
  const called = new Set<string>();
  /** Makefile rules (file:line) whose recipe a caller ran, directly or as a prerequisite. */
  const ranRules = new Set<string>();
  const stack: string[] = [];

  const makefileAt = (p: string): Makefile => {
    let mf = makefiles.get(p);
    if (!mf) {
      mf = parseMakefile(p, files.get(p)!.text);
      makefiles.set(p, mf);
    }
    return mf;
  };

  const substitution = (scriptDir: string | undefined) => (text: string) => {
    if (scriptDir !== undefined && /^dirname\s+("?)\$(\{?0\}?|\{?BASH_SOURCE(\[0\])?\}?)\1$/.test(text)) return scriptDir;
    if (/^git\s+rev-parse\s+--show-toplevel$/.test(text)) return root;
    if (text === 'pwd') return undefined;
    return undefined;
  };

  /** Follow one command: a go build, or a call into make, a script, or GoReleaser. */
  const follow = (cmd: ShellCommand, frame: Frame): BuildRecipe[] => {
    if (stack.length > MAX_DEPTH) return [];
    const w = cmd.words;
    const head = w[0];
    // promu is often run by a path made from `go env GOPATH` ($(FIRST_GOPATH)/bin/promu).
    if (head && !head.known && /(^|\/)promu$/.test(head.text)) {
      const cwd = cmd.cwd === null ? null : joinPath(frame.base, cmd.cwd);
      return cwd === null ? [] : callPromu(cmd, frame, cwd);
    }
    if (!head?.known) return [];
    const cwd = cmd.cwd === null ? null : joinPath(frame.base, cmd.cwd);
    if (isGoCommand(head)) {
      const r = goRecipe(cmd, frame);
      return r ? [r] : [];
    }
    const name = path.posix.basename(head.text);
    if ((name === 'sh' || name === 'bash') && w[1]?.text === '-c' && w[2]?.known) {
      const inner = runShell({ file: cmd.at.file, text: w[2].text, firstLine: cmd.at.line, fileLines: [], env: cmd.env });
      // The inner script is on the caller's line.
      return inner.flatMap((c) => follow({ ...c, at: cmd.at, cwd: c.cwd === null || cmd.cwd === null ? null : joinPath(cmd.cwd, c.cwd) }, frame));
    }
    if (name === 'make' || name === 'gmake') return callMake(cmd, frame, cwd);
    if (name === 'goreleaser') return cwd === null ? [] : callGoreleaser(cmd.env, frame, cwd, cmd.at);
    if (name === 'promu') return cwd === null ? [] : callPromu(cmd, frame, cwd);
    const scriptArg = (name === 'sh' || name === 'bash') && w[1] && !w[1].text.startsWith('-') ? w[1] : /\.(sh|bash)$/.test(head.text) ? head : undefined;
    if (scriptArg?.known && cwd !== null) return callScript(scriptArg.text, cmd, frame, cwd);
    return [];
  };

  const callMake = (cmd: ShellCommand, frame: Frame, cwd: string | null): BuildRecipe[] => {
    if (cwd === null) return [];
    let dir = cwd;
    let file: string | undefined;
    const goals: string[] = [];
    const cmdVars: Env = new Map();
    const args = cmd.words.slice(1);
    for (let i = 0; i < args.length; i++) {
      const a = args[i].text;
      if (a === '-C' || a === '--directory') dir = joinPath(dir, args[++i]?.text ?? '.');
      else if (a.startsWith('-C') && a.length > 2) dir = joinPath(dir, a.slice(2));
      else if (a === '-f' || a === '--file' || a === '--makefile') file = args[++i]?.text;
      else if (/^-/.test(a)) continue;
      else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) {
        const [k, ...v] = a.split('=');
        cmdVars.set(k, args[i].known ? { value: v.join('='), at: cmd.at } : null);
      } else goals.push(a);
    }
    const candidates = file ? [joinPath(dir, file)] : ['GNUmakefile', 'makefile', 'Makefile'].map((n) => joinPath(dir, n));
    const host = candidates.flatMap((c) => frame.toHost(c)).find((p) => files.has(p));
    if (!host) return [];
    const mf = makefileAt(host);
    const run = goals.length ? goals : mf.defaultGoal ? [mf.defaultGoal] : [];
    for (const g of run) called.add(`${host}#${g}`);
    return runMake(mf, run, cmd.env, cmdVars, { ...frame, base: path.posix.dirname(candidates[0]), via: [...frame.via, cmd.at] });
  };

  const runMake = (mf: Makefile, goals: string[] | undefined, env: Env, cmdVars: Env, frame: Frame): BuildRecipe[] => {
    const key = `${mf.file}#${goals?.join(',') ?? '*'}`;
    if (stack.includes(key)) return [];
    stack.push(key);
    const out: BuildRecipe[] = [];
    for (const s of makeScripts(mf, { goals, env, cmdVars })) {
      const cmds = runShell({ file: mf.file, text: s.text, firstLine: s.line, fileLines: mf.lines, env: s.env, substitution: substitution(undefined) });
      // A rule run as a prerequisite of a called goal is called too: not read again on its own.
      ranRules.add(`${mf.file}:${s.ruleLine}`);
      const via = [...frame.via, { file: mf.file, line: s.ruleLine, text: (mf.lines[s.ruleLine - 1] ?? '').trim() }];
      for (const c of cmds) out.push(...follow(c, { ...frame, via }));
    }
    stack.pop();
    return out;
  };

  const callScript = (script: string, cmd: ShellCommand, frame: Frame, cwd: string): BuildRecipe[] => {
    const host = frame.toHost(joinPath(cwd, script)).find((p) => files.has(p));
    if (!host || stack.includes(host)) return [];
    called.add(host);
    stack.push(host);
    const f = files.get(host)!;
    const scriptDir = path.posix.dirname(joinPath(cwd, script));
    const cmds = runShell({ file: host, text: f.text, env: cmd.env, substitution: substitution(scriptDir) });
    const out = cmds.flatMap((c) => follow(c, { ...frame, base: cwd, via: [...frame.via, cmd.at] }));
    stack.pop();
    return out;
  };

  const callGoreleaser = (env: Env, frame: Frame, cwd: string, at: Evidence): BuildRecipe[] => {
    const names = ['.goreleaser.yaml', '.goreleaser.yml', 'goreleaser.yaml', 'goreleaser.yml', '.config/goreleaser.yaml', '.config/goreleaser.yml'];
    const host = names.flatMap((n) => frame.toHost(joinPath(cwd, n))).find((p) => files.has(p));
    if (!host) return [];
    called.add(host);
    const r = readGoreleaser(files.get(host)!, env, [...frame.via, at], files);
    problems.push(...r.problems);
    return r.recipes;
  };

  const callPromu = (cmd: ShellCommand, frame: Frame, cwd: string): BuildRecipe[] => {
    const args = cmd.words.slice(1).map((w) => w.text);
    const hostDir = frame.toHost(cwd)[0];
    const host = frame.toHost(joinPath(cwd, promuConfigName(args))).find((p) => files.has(p));
    if (!host || hostDir === undefined) return [];
    const r = readPromu(files.get(host)!, { args, at: cmd.at, via: frame.via, cwd: hostDir });
    problems.push(...r.problems);
    return r.recipes;
  };

  const hostFrame = (source: Frame['source'], base: string): Frame => ({ source, base, toHost: (p) => (path.isAbsolute(p) ? [p] : []), via: [] });
  const contextCopies: ContextCopy[] = [];

  // Entry points first: workflows and Dockerfiles.
  for (const [p, f] of files) {
    if (fileKind(p) !== 'workflow') continue;
    const wf = readWorkflow(f, root, (dir) => substitution(dir));
    problems.push(...wf.problems);
    for (const step of wf.steps) {
      const frame = hostFrame('workflow', step.dir);
      if (step.goreleaser) recipes.push(...callGoreleaser(step.goreleaser.env, frame, step.goreleaser.dir, step.goreleaser.at));
      for (const c of step.commands ?? []) recipes.push(...follow(c, frame));
    }
  }
  for (const [p, f] of files) {
    if (fileKind(p) !== 'dockerfile') continue;
    const contexts = [...new Set([path.dirname(p), root])];
    const d = readDockerfile(f, contexts, follow);
    problems.push(...d.problems);
    recipes.push(...d.recipes);
    contextCopies.push(...d.contextCopies);
  }
  // Then every file on its own, except what a caller already ran.
  for (const [p, f] of files) {
    const kind = fileKind(p);
    if (kind === 'makefile') {
      const mf = makefileAt(p);
      // Goals without a recipe whose prerequisites only a pattern rule builds (`all: bin/a
      // bin/b` with `bin/%: ...`): run as `make all` would, since the pattern rule alone says
      // nothing about what it builds.
      const explicit = new Set(mf.rules.filter((r) => r.recipe.length > 0).flatMap((r) => r.targets));
      const patterns = mf.rules.filter((r) => r.recipe.length > 0 && r.targets.some((t) => t.includes('%')));
      for (const r of mf.rules) {
        if (r.recipe.length > 0 || r.targets.some((t) => t.startsWith('.') || t.includes('%') || called.has(`${p}#${t}`))) continue;
        const viaPattern = r.prereqs.some((q) => !explicit.has(q) && patterns.some((pr) => pr.targets.some((t) => t.includes('%') && matchesPattern(t, q))));
        if (!viaPattern) continue;
        recipes.push(...runMake(mf, r.targets.slice(0, 1), new Map(), new Map(), hostFrame('makefile', path.dirname(p))));
      }
      for (const r of mf.rules) {
        if (r.recipe.length === 0 || r.targets.some((t) => called.has(`${p}#${t}`)) || ranRules.has(`${p}:${r.line}`)) continue;
        recipes.push(...runMake({ ...mf, rules: mf.rules.filter((x) => x === r || x.recipe.length === 0) }, undefined, new Map(), new Map(), hostFrame('makefile', path.dirname(p))));
      }
    } else if (kind === 'script' && !called.has(p)) {
      stack.push(p);
      const cmds = runShell({ file: p, text: f.text, substitution: substitution(path.dirname(p)) });
      recipes.push(...cmds.flatMap((c) => follow(c, hostFrame('script', root))));
      stack.pop();
    } else if (kind === 'goreleaser' && !called.has(p)) {
      const r = readGoreleaser(f, new Map(), [], files);
      problems.push(...r.problems);
      recipes.push(...r.recipes);
    }
  }

  // Binaries built outside Docker and copied from the build context into a minimal image.
  for (const r of recipes) {
    if (r.image || r.source === 'dockerfile') continue;
    for (const c of contextCopies) {
      if (r.output) {
        // GoReleaser names only the binary; its Dockerfile copies it from a context of its own.
        const hit = path.isAbsolute(r.output) ? c.hosts.some((h) => pathCovers(h, r.output!)) : c.hosts.some((h) => path.basename(h) === path.basename(r.output!));
        if (hit) r.image = { name: c.base, at: c.at };
      } else if (r.outputDir && path.isAbsolute(r.outputDir)) {
        const dir = r.outputDir;
        if (c.hosts.some((h) => pathCovers(h, dir))) r.image = { name: c.base, at: c.at };
        else {
          const names = c.hosts.filter((h) => path.dirname(h) === dir).map((h) => path.basename(h));
          if (names.length) r.image = { name: c.base, at: c.at, binaries: names };
        }
      }
    }
  }
  return { recipes: dedupe(recipes), problems, files: [...files.keys()] };
}

/**
 * One recipe per distinct build: the same go command with the same settings, reached twice
 * (through a script that runs make, and in the Makefile read on its own before the script
 * was) is one build; the reading with the longest chain of callers stands for it.
 */
/** Whether a make target pattern with one `%` matches a name (variables are compared as written). */
function matchesPattern(pattern: string, name: string): boolean {
  const i = pattern.indexOf('%');
  const pre = pattern.slice(0, i);
  const post = pattern.slice(i + 1);
  return name.length > pre.length + post.length && name.startsWith(pre) && name.endsWith(post);
}

function dedupe(recipes: BuildRecipe[]): BuildRecipe[] {
  const best = new Map<string, BuildRecipe>();
  for (const r of recipes) {
    const key = JSON.stringify([r.at, r.cgo, r.platforms, r.tags, r.ldflags, r.noCompiler, r.foreignBuilder, r.image, r.packages, r.race]);
    const cur = best.get(key);
    if (!cur || r.via.length > cur.via.length) best.set(key, r);
  }
  const keep = new Set(best.values());
  return recipes.filter((r) => keep.has(r));
}

/** Whether a recipe builds the package in `dir` with import path `importPath`. */
export function recipeBuilds(r: BuildRecipe, dir: string, importPath: string): boolean {
  if (r.discards) return false;
  return r.packages.some((p) =>
    p.kind === 'dir'
      ? p.dir === dir || (p.recursive && dir.startsWith(p.dir === path.sep ? p.dir : p.dir + path.sep))
      : p.path === importPath || (p.recursive && (p.path === '' || importPath.startsWith(p.path + '/'))),
  );
}

/** The minimal image a recipe puts the command's binary in, if any (a build of several binaries may ship only some). */
export function recipeImage(r: BuildRecipe, dir: string): BuildRecipe['image'] {
  if (!r.image) return undefined;
  return !r.image.binaries || r.image.binaries.includes(path.basename(dir)) ? r.image : undefined;
}

/** Whether a recipe builds for the target ("linux/amd64"): its platforms include it, or it names none. */
export function recipeTargets(r: BuildRecipe, goos: string, goarch: string): boolean {
  if (!r.platforms) return true;
  return r.platforms.list.some((p) => {
    const [os, arch] = p.split('/');
    return (os === '*' || os === goos) && (arch === '*' || arch === goarch);
  });
}

// Reading a `go build` / `go install` command line (and the GOFLAGS, CGO_ENABLED, GOOS and
// GOARCH it runs with) into a BuildRecipe: the packages it builds, its tags, -ldflags, -race,
// where the binary goes, and the cgo setting, each with where it was written.
import * as path from 'node:path';
import type { BuildRecipe, Env, Evidence, PkgRef, Setting } from './types';
import { joinPath, type ShellCommand, type Word } from './shell';

/** Flags of `go build` that take a value (cmd/go's build flags; the rest are booleans). */
const VALUE_FLAGS = new Set([
  'o', 'p', 'C', 'tags', 'ldflags', 'gcflags', 'asmflags', 'gccgoflags', 'mod', 'modfile', 'overlay', 'pgo', 'pkgdir',
  'toolexec', 'buildmode', 'compiler', 'installsuffix', 'coverpkg', 'covermode', 'exec',
]);

/** Where a build's paths live and how they map back to the repository. */
export interface Frame {
  source: BuildRecipe['source'];
  /** The directory commands start in, in the frame's own file system. */
  base: string;
  /** Host directories a frame path may stand for (none when it is outside what we can see). */
  toHost(p: string): string[];
  /** Where `go install` writes binaries in this frame, when known (/go/bin in the golang images). */
  gobin?: string;
  /** Calls that led here, outermost first. */
  via: Evidence[];
}

/** Whether a command word runs the go command. */
export function isGoCommand(w: Word | undefined): boolean {
  if (!w || !w.known) return false;
  return /^go(1\.[0-9]+(\.[0-9]+)?)?$/.test(path.posix.basename(w.text));
}

interface Flag {
  name: string;
  value?: Word;
}

/** The flags and arguments of a go subcommand's words (after the verb). */
function parseFlags(words: Word[]): { flags: Flag[]; args: Word[] } {
  const flags: Flag[] = [];
  const args: Word[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.text === '--') {
      args.push(...words.slice(i + 1));
      break;
    }
    const m = /^--?([A-Za-z0-9_.-]+)(?:=(.*))?$/s.exec(w.text);
    if (!m || args.length > 0) {
      args.push(w);
      continue;
    }
    if (m[2] !== undefined) flags.push({ name: m[1], value: { text: m[2], known: w.known } });
    else if (VALUE_FLAGS.has(m[1])) flags.push({ name: m[1], value: words[++i] });
    else flags.push({ name: m[1] });
  }
  return { flags, args };
}

/** GOFLAGS is a space-separated list of -flag=value settings. */
function goflags(env: Env): { flags: Flag[]; at?: Evidence; unknown: boolean } {
  const s = env.get('GOFLAGS');
  if (s === undefined) return { flags: [], unknown: false };
  if (s === null) return { flags: [], unknown: true };
  const flags = s.value
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((f): Flag[] => {
      const m = /^--?([A-Za-z0-9_.-]+)(?:=(.*))?$/s.exec(f);
      return m ? [{ name: m[1], value: m[2] !== undefined ? { text: m[2], known: true } : undefined }] : [];
    });
  return { flags, at: s.at, unknown: false };
}

/** Tags of a -tags value: comma-separated, or (the old form) space-separated. */
export function splitTags(value: string): string[] {
  return value.split(/[,\s]+/).filter(Boolean);
}

/** The recipe of a shell command, or undefined when it is not `go build` or `go install`. */
export function goRecipe(cmd: ShellCommand, frame: Frame): BuildRecipe | undefined {
  if (!isGoCommand(cmd.words[0])) return undefined;
  const verb = cmd.words[1]?.text;
  if (verb !== 'build' && verb !== 'install') return undefined;
  const { flags, args } = parseFlags(cmd.words.slice(2));
  const gf = goflags(cmd.env);
  const at = cmd.at;
  const last = (name: string) => [...flags].reverse().find((f) => f.name === name);
  const fromGoflags = (name: string) => [...gf.flags].reverse().find((f) => f.name === name);

  let cwd = cmd.cwd === null ? null : joinPath(frame.base, cmd.cwd);
  const chdir = last('C');
  if (chdir?.value) cwd = chdir.value.known && cwd !== null ? joinPath(cwd, chdir.value.text) : null;

  const recipe: BuildRecipe = {
    at,
    via: frame.via,
    source: frame.source,
    verb,
    argv: cmd.words.slice(1).map((w) => w.text),
    cwd: cwd === null ? undefined : frame.toHost(cwd)[0],
    packages: [],
    unknownPackages: [],
    tags: [],
    ldflags: [],
    discards: false,
  };

  // Environment: CGO_ENABLED, GOOS/GOARCH.
  if (cmd.env.has('CGO_ENABLED')) recipe.cgo = cmd.env.get('CGO_ENABLED');
  recipe.platforms = platformsOf(cmd.env);

  // Tags: the command line's -tags replaces GOFLAGS' (a later flag wins).
  const tagFlag = last('tags') ?? fromGoflags('tags');
  const tagAt = last('tags') ? at : gf.at ?? at;
  if (tagFlag?.value) {
    if (tagFlag.value.known) recipe.tags = splitTags(tagFlag.value.text).map((t) => ({ value: t, at: tagAt }));
    else recipe.tagsUnknown = tagAt;
  } else if (gf.unknown) {
    recipe.tagsUnknown = at;
  }
  // -ldflags: likewise, the last one counts.
  const ld = last('ldflags') ?? fromGoflags('ldflags');
  if (ld?.value) recipe.ldflags.push({ value: ld.value.known ? ld.value.text : '', at: last('ldflags') ? at : gf.at ?? at });
  const race = last('race') ?? fromGoflags('race');
  if (race && race.value?.text !== 'false') recipe.race = at;

  // Packages.
  const pkgs = args.length ? args : [{ text: '.', known: true }];
  let recursive = false;
  for (const a of pkgs) {
    const ref = a.known && cwd !== null ? pkgRef(a.text, cwd, frame) : undefined;
    if (ref === undefined) {
      recipe.unknownPackages.push(a.text);
      continue;
    }
    if (ref === 'std') continue;
    recipe.packages.push(...ref);
    if (ref.some((r) => r.recursive)) recursive = true;
  }

  // Output.
  const out = last('o');
  const firstName = binaryName(pkgs[0]?.text ?? '.', cwd);
  if (out?.value?.known && out.value.text === '/dev/null') {
    // A CI check that the code builds: no binary ships from it.
    recipe.discards = true;
  } else if (out?.value?.known && cwd !== null) {
    const o = joinPath(cwd, out.value.text);
    // Several packages (or a pattern) with -o: the go command writes each binary into that directory.
    if (out.value.text.endsWith('/') || pkgs.length > 1 || recursive) recipe.outputDir = o;
    else recipe.output = o;
  } else if (!out) {
    if (verb === 'build' && (pkgs.length > 1 || recursive)) recipe.discards = true;
    else if (firstName) recipe.output = verb === 'install' ? (frame.gobin ? `${frame.gobin}/${firstName}` : undefined) : cwd !== null ? joinPath(cwd, firstName) : undefined;
  }
  return recipe;
}

/** Platforms a build's GOOS/GOARCH select; absent when neither is set. */
export function platformsOf(env: Env): BuildRecipe['platforms'] {
  const os = env.get('GOOS');
  const arch = env.get('GOARCH');
  if (os === undefined && arch === undefined) return undefined;
  if (os === null || arch === null) return null;
  return { list: [`${os?.value || '*'}/${arch?.value || '*'}`], at: (os ?? arch)!.at };
}

/** The packages a go command argument names, as candidates; 'std' for the standard library's patterns. */
function pkgRef(arg: string, cwd: string, frame: Frame): PkgRef[] | 'std' | undefined {
  const versioned = /^(.*)@[^/]*$/.exec(arg);
  if (versioned) arg = versioned[1];
  if (arg === 'std' || arg === 'cmd' || arg === 'all') return 'std';
  if (arg === '...' ) return [{ kind: 'import', path: '', recursive: true }];
  const recursive = arg.endsWith('/...');
  let p = recursive ? arg.slice(0, -4) : arg;
  // A .go file names the package in its directory (`go build main.go`), with or without ./ in front.
  if (p === '.' || p === '..' || p.startsWith('./') || p.startsWith('../') || p.startsWith('/') || p.endsWith('.go')) {
    if (p.endsWith('.go')) p = path.posix.dirname(p);
    const framePath = joinPath(cwd, p);
    const dirs = frame.toHost(framePath);
    if (dirs.length === 0) return undefined;
    return dirs.map((dir) => ({ kind: 'dir' as const, dir, recursive }));
  }
  return [{ kind: 'import', path: p, recursive }];
}

/** The file name `go build` gives the binary of a package argument (its last path element). */
function binaryName(arg: string, cwd: string | null): string | undefined {
  let p = arg.replace(/@[^/]*$/, '');
  if (p.endsWith('/...') || p === '...') return undefined;
  if (p.endsWith('.go')) return path.posix.basename(p, '.go');
  if (p === '.' || p === './') {
    if (cwd === null) return undefined;
    p = cwd;
  }
  const base = path.posix.basename(p.replace(/\/+$/, ''));
  // A major-version suffix is not the name (example.com/tool/v2 builds "tool").
  if (/^v[2-9][0-9]*$/.test(base)) return path.posix.basename(path.posix.dirname(p)) || undefined;
  return base && base !== '.' && base !== '..' && base !== '/' ? base : undefined;
}

/** Add a setting to an environment only where the recipe's own environment does not set it. */
export function overlayEnv(inner: Env, outer: Env): Env {
  const env: Env = new Map(outer);
  for (const [k, v] of inner) env.set(k, v);
  return env;
}

export type { Setting };

// Which module (or workspace) a directory belongs to, and whether the go command would
// build it from vendor/. The rules are cmd/go/internal/modload's: go.mod and go.work are
// found by walking up from the starting directory, GOWORK=off turns workspaces off, an
// explicit GOWORK names the file, and vendor mode depends on the go version and GOFLAGS.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { goEnv } from '../goenv';
import { compareGoVersion, DiscoverConfigError, GoModError, readGoMod, readGoWork, type GoMod, type GoWork } from './gomod';

export interface ModuleRef {
  /** Absolute directory holding go.mod. */
  root: string;
  goMod: GoMod;
}

export interface WorkspaceInfo {
  file: string;
  work: GoWork;
  /** The modules of the `use` directives, in go.work order. */
  modules: ModuleRef[];
}

export interface ModuleInfo extends ModuleRef {
  work?: WorkspaceInfo;
  /** Set when the start directory's module is not one of the workspace's (the go command refuses to build there). */
  warning?: string;
}

/** Where discovery finds Go's own files, and the go command settings that change resolution. */
export interface DiscoverEnv {
  /** Absent when no go command is on PATH and GOROOT is not set. */
  goroot?: string;
  modcache: string;
  goflags: string;
  /** '' (search upward), 'off', or an absolute go.work path. */
  gowork: string;
}

/** The go command's settings, from `go env` when go is on PATH, else from the environment and the go env file. */
export function discoverEnv(overrides: Partial<DiscoverEnv> = {}): DiscoverEnv {
  const ge = goEnv();
  const fromVars = ge ? undefined : envWithoutGo(process.env, readGoEnvFile(), os.homedir());
  const base: DiscoverEnv = ge
    ? { goroot: ge.GOROOT || undefined, modcache: ge.GOMODCACHE, goflags: ge.GOFLAGS ?? '', gowork: goworkSetting(ge.GOWORK) }
    : fromVars!;
  return { ...base, ...overrides };
}

/**
 * The settings when no go command can be asked: the variables, then what `go env -w`
 * stored, then the go command's defaults (GOPATH is ~/go, GOMODCACHE is GOPATH[0]/pkg/mod).
 * GOROOT stays unknown unless set: without a toolchain there is no standard library to find.
 */
export function envWithoutGo(vars: Record<string, string | undefined>, goEnvFile: Record<string, string>, home: string): DiscoverEnv {
  const get = (k: string): string | undefined => (vars[k] !== undefined && vars[k] !== '' ? vars[k] : goEnvFile[k] || undefined);
  const gopath = get('GOPATH')?.split(path.delimiter).find((p) => p !== '') ?? path.join(home, 'go');
  const gowork = vars.GOWORK !== undefined ? vars.GOWORK : goEnvFile.GOWORK ?? '';
  return {
    goroot: get('GOROOT'),
    modcache: get('GOMODCACHE') ?? path.join(gopath, 'pkg', 'mod'),
    goflags: get('GOFLAGS') ?? '',
    gowork: gowork === 'auto' ? '' : gowork,
  };
}

/**
 * GOWORK as the user set it. `go env GOWORK` also reports the file it found by searching
 * upward from our own working directory; that is not a setting, so it is told apart.
 */
function goworkSetting(fromGoEnv: string | undefined): string {
  const env = process.env.GOWORK;
  if (env !== undefined) return env === 'auto' ? '' : env;
  if (fromGoEnv === undefined) return readGoEnvFile().GOWORK ?? '';
  if (fromGoEnv === '' || fromGoEnv === 'off') return fromGoEnv;
  const found = findGoWorkFile(process.cwd(), goEnv()?.GOROOT);
  return found && path.resolve(found) === path.resolve(fromGoEnv) ? '' : fromGoEnv;
}

/** The settings `go env -w` wrote ($GOENV, else the user config dir's go/env). */
function readGoEnvFile(): Record<string, string> {
  let file = process.env.GOENV;
  if (file === 'off') return {};
  if (!file) {
    const base = process.env.XDG_CONFIG_HOME || (process.platform === 'darwin' ? path.join(os.homedir(), 'Library', 'Application Support') : process.platform === 'win32' ? process.env.AppData ?? '' : path.join(os.homedir(), '.config'));
    file = path.join(base, 'go', 'env');
  }
  const out: Record<string, string> = {};
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) out[m[1]] = m[2].trim();
  }
  return out;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The nearest directory at or above `dir` with a go.mod file. */
export function findGoModRoot(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (isFile(path.join(d, 'go.mod'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** The nearest go.work at or above `dir`; like the go command, the search does not cross GOROOT. */
export function findGoWorkFile(dir: string, goroot?: string): string | undefined {
  const stop = goroot ? path.resolve(goroot) : undefined;
  for (let d = path.resolve(dir); ; ) {
    const f = path.join(d, 'go.work');
    if (isFile(f)) return f;
    const up = path.dirname(d);
    if (up === d || up === stop) return undefined;
    d = up;
  }
}

/** The go.work the go command would use from `dir`, or undefined for none. */
export function workFileFor(dir: string, env: DiscoverEnv): string | undefined {
  const g = env.gowork;
  if (g === 'off') return undefined;
  if (g === '' || g === 'auto') return findGoWorkFile(dir, env.goroot);
  if (!path.isAbsolute(g)) throw new DiscoverConfigError(`invalid GOWORK: not an absolute path: ${g}`);
  return g;
}

/**
 * The module containing `startDir`, and the workspace when one applies. Returns undefined
 * when neither a go.mod nor a go.work is found (the go command's "no main module").
 * Malformed go.mod/go.work files throw GoModError.
 */
export function findModule(startDir: string, env: DiscoverEnv = discoverEnv()): ModuleInfo | undefined {
  const start = path.resolve(startDir);
  const workFile = workFileFor(start, env);
  if (workFile) {
    const work = readGoWork(workFile);
    const base = path.dirname(workFile);
    const modules: ModuleRef[] = [];
    for (const u of work.use) {
      const root = path.resolve(base, u.path);
      const gm = path.join(root, 'go.mod');
      if (!isFile(gm)) throw new GoModError(workFile, u.line, `cannot load module ${u.path} listed in go.work file: ${gm} does not exist`);
      modules.push({ root, goMod: readGoMod(gm) });
    }
    const info: WorkspaceInfo = { file: workFile, work, modules };
    const inside = modules.filter((m) => isWithin(start, m.root)).sort((a, b) => b.root.length - a.root.length)[0];
    if (inside) return { ...inside, work: info };
    const own = findGoModRoot(start);
    if (own) {
      return {
        root: own,
        goMod: readGoMod(path.join(own, 'go.mod')),
        work: info,
        warning: `directory ${start} is contained in a module that is not one of the workspace modules listed in ${workFile}`,
      };
    }
    if (modules.length) return { ...modules[0], work: info, warning: `directory ${start} is outside the modules listed in ${workFile}` };
    return undefined;
  }
  const root = findGoModRoot(start);
  if (!root) return undefined;
  // The go command ignores a go.mod in the system temp directory itself (golang.org/issue/26708).
  if (path.resolve(root) === path.resolve(os.tmpdir())) return undefined;
  return { root, goMod: readGoMod(path.join(root, 'go.mod')) };
}

export function isWithin(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The -mod flag in GOFLAGS, if set there ('mod', 'readonly', 'vendor'). */
export function modFlag(goflags: string): string | undefined {
  let found: string | undefined;
  for (const f of goflags.split(/\s+/)) {
    const m = /^--?mod=(.*)$/.exec(f);
    if (m) found = m[1];
  }
  return found;
}

export interface VendorDecision {
  enabled: boolean;
  /** The vendor directory that applies: the module's, or the workspace's next to go.work. */
  dir: string;
  /** Why, in the go command's words where it has them. */
  reason: string;
}

/**
 * Whether the go command would build from vendor/ (modload's setDefaultBuildMod): an
 * explicit -mod in GOFLAGS decides; otherwise vendor/ is used when it exists, the go
 * version (go.work's in a workspace) is at least 1.14, and modules.txt was written for the
 * same mode (`## workspace` for a workspace, not for a single module).
 */
export function vendorModeDetail(module: ModuleInfo, env: DiscoverEnv = discoverEnv()): VendorDecision {
  const dir = module.work ? path.join(path.dirname(module.work.file), 'vendor') : path.join(module.root, 'vendor');
  const flag = modFlag(env.goflags);
  if (flag) return { enabled: flag === 'vendor', dir, reason: `-mod=${flag} is set in GOFLAGS` };
  let isDir = false;
  try {
    isDir = fs.statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) return { enabled: false, dir, reason: `${dir} does not exist` };
  const source = module.work ? 'go.work' : 'go.mod';
  const goVersion = module.work ? module.work.work.go : module.goMod.go;
  if (!goVersion) return { enabled: false, dir, reason: `Go version in ${source} is unspecified, so vendor directory was not used.` };
  if (compareGoVersion(goVersion, '1.14') < 0) return { enabled: false, dir, reason: `Go version in ${source} is ${goVersion}, so vendor directory was not used.` };
  let forWorkspace = false;
  try {
    const fd = fs.openSync(path.join(dir, 'modules.txt'), 'r');
    try {
      const buf = Buffer.alloc(512);
      const n = fs.readSync(fd, buf, 0, 512, 0);
      const first = buf.subarray(0, n).toString('utf8').split('\n')[0];
      forWorkspace = first.startsWith('## ') && first.slice(3).split(';').some((e) => e.trim() === 'workspace');
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    // No modules.txt: the go command still uses vendor/ (a tree converted from GOPATH days).
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new GoModError(path.join(dir, 'modules.txt'), 0, `cannot read: ${(e as Error).message}`);
  }
  if (forWorkspace !== Boolean(module.work)) {
    return {
      enabled: false,
      dir,
      reason: forWorkspace ? 'Outside workspace mode, but vendor directory is for a workspace.' : 'In workspace mode, but vendor directory is not for a workspace',
    };
  }
  return { enabled: true, dir, reason: `Go version in ${source} is at least 1.14 and vendor directory exists.` };
}

export function vendorMode(module: ModuleInfo, env: DiscoverEnv = discoverEnv()): boolean {
  return vendorModeDetail(module, env).enabled;
}

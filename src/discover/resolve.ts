// Import path → directory, the way the go command resolves it (cmd/go/internal/modload's
// importFromModules and the std vendoring of load.Lookup): the standard library, the main
// module and workspace modules, vendor/ in vendor mode, otherwise the module cache
// ($GOMODCACHE/<escaped path>@<escaped version>) with go.mod's requirements and replacements.
// Nothing here runs the go command or any code of the scanned repository.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareGoVersion, compareSemver, readGoMod, readModulesTxt, type GoMod, type Replace, type VendorList } from './gomod';
import { discoverEnv, isWithin, vendorModeDetail, type DiscoverEnv, type ModuleInfo, type VendorDecision } from './module';

export type Origin = 'std' | 'module' | 'workspace' | 'vendor' | 'modcache' | 'replace';

export interface Resolved {
  dir: string;
  origin: Origin;
  /** The import path the go command gives the package: "vendor/golang.org/x/net/..." for std's vendored copies. */
  path: string;
  /** The module providing the package (absent for the standard library). */
  module?: string;
  /** Its selected version (absent for main, workspace and directory-replaced modules). */
  version?: string;
  /** The root directory of that module's tree. */
  moduleDir?: string;
}

export type UnresolvedCode =
  | 'invalid'
  | 'cgo'
  | 'no-goroot'
  | 'not-in-std'
  | 'no-module'
  | 'not-in-go-mod'
  | 'not-downloaded'
  | 'no-package'
  | 'no-replace-dir'
  | 'not-vendored'
  | 'ambiguous';

export interface Unresolved {
  error: string;
  code: UnresolvedCode;
}

export type ResolveResult = Resolved | Unresolved;

export interface ResolverOptions {
  env?: DiscoverEnv;
}

interface MainModule {
  path: string;
  /** What package paths in it start with: the module path, or '' for std in GOROOT/src. */
  prefix: string;
  root: string;
  goMod: GoMod;
}

interface ReplaceEntry {
  replace: Replace;
  /** Directory a relative replacement path is relative to. */
  base: string;
}

// ---------------------------------------------------------------------------
// Module cache path escaping (golang.org/x/mod/module.EscapePath): each upper-case letter
// becomes '!' and its lower-case form, so that case-insensitive file systems keep them apart.

export function escapeModulePath(p: string): string {
  if (p.includes('!')) throw new Error(`invalid module path ${JSON.stringify(p)}: contains '!'`);
  return p.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

export const escapeVersion = escapeModulePath;

export function unescapeModulePath(p: string): string | undefined {
  if (/[A-Z]/.test(p)) return undefined;
  let bad = false;
  const out = p.replace(/!(.?)/g, (_, c: string) => {
    if (!/^[a-z]$/.test(c)) bad = true;
    return c.toUpperCase();
  });
  return bad ? undefined : out;
}

/** The extracted-module directory of path@version in the module cache. */
export function modcacheDir(modcache: string, modPath: string, version: string): string {
  return path.join(modcache, `${escapeModulePath(modPath)}@${escapeVersion(version)}`);
}

/** The go command's first-element test: a path whose first element has no dot may be standard. */
export function isStandardImportPath(p: string): boolean {
  const first = p.split('/')[0];
  return !first.includes('.');
}

/** Syntax checks of module.CheckImportPath that matter before touching the file system. */
function checkImportPath(p: string): string | undefined {
  if (p === '') return 'empty import path';
  if (p.includes('@')) return `import path "${p}" should not have @version`;
  if (p === '.' || p === '..' || p.startsWith('./') || p.startsWith('../')) return `"${p}" is relative, but relative import paths are not supported in module mode`;
  if (path.isAbsolute(p) || /^[A-Za-z]:/.test(p)) return `"${p}" is not a package path`;
  if (['all', 'std', 'cmd', 'tool'].includes(p)) return `"${p}" is not an importable package`;
  for (const el of p.split('/')) {
    if (el === '') return `malformed import path "${p}": double slash or leading/trailing slash`;
    if (el === '.' || el === '..') return `malformed import path "${p}": invalid path element "${el}"`;
    if (el.startsWith('.') && el !== '.') return `malformed import path "${p}": leading dot in path element`;
  }
  if (/[\s"'`\\:*?<>|\x00-\x1f]/.test(p)) return `malformed import path "${p}": invalid char`;
  return undefined;
}

export class Resolver {
  readonly env: DiscoverEnv;
  readonly module: ModuleInfo | undefined;
  /** Whether and why vendor/ is used (undefined outside a module). */
  readonly vendor: VendorDecision | undefined;
  private readonly mains: MainModule[];
  private readonly replacements = new Map<string, ReplaceEntry>();
  private vendorList: VendorList | null | undefined;
  private graph: { selected: Map<string, string>; missing: string[] } | undefined;
  private roots: Map<string, string> | undefined;
  private readonly cache = new Map<string, ResolveResult>();
  private readonly goDirCache = new Map<string, boolean>();
  private readonly goModSummaries = new Map<string, { require: { path: string; version: string }[]; pruned: boolean } | string>();

  constructor(module: ModuleInfo | undefined, opts: ResolverOptions = {}) {
    this.env = opts.env ?? discoverEnv();
    this.module = module;
    const gorootSrc = this.env.goroot ? path.join(this.env.goroot, 'src') : undefined;
    const refs = module ? (module.work ? module.work.modules : [module]) : [];
    this.mains = refs.map((m) => ({
      path: m.goMod.module,
      // The std module's packages are "net/http", not "std/net/http".
      prefix: gorootSrc && path.resolve(m.root) === path.resolve(gorootSrc) && m.goMod.module === 'std' ? '' : m.goMod.module,
      root: path.resolve(m.root),
      goMod: m.goMod,
    }));
    this.vendor = module ? vendorModeDetail(module, this.env) : undefined;
    // Replacements: every workspace module's, then go.work's, which win.
    for (const m of this.mains) for (const r of m.goMod.replace) this.addReplace(r, m.root);
    if (module?.work) for (const r of module.work.work.replace) this.addReplace(r, path.dirname(module.work.file));
  }

  private addReplace(r: Replace, base: string): void {
    this.replacements.set(r.old.version ? `${r.old.path}@${r.old.version}` : r.old.path, { replace: r, base });
  }

  /** The replacement of path@version: an exact-version replace, else a wildcard one. */
  replacementFor(modPath: string, version: string): ReplaceEntry | undefined {
    return this.replacements.get(`${modPath}@${version}`) ?? this.replacements.get(modPath);
  }

  /**
   * The directory of `importPath` as imported by a package in `fromDir`. The importing
   * directory matters only inside GOROOT: the standard library and cmd use their own
   * vendored copies of golang.org/x packages.
   */
  resolve(importPath: string, fromDir: string): ResolveResult {
    if (importPath === 'C') return { error: 'import "C" enables cgo; it names no directory', code: 'cgo' };
    const bad = checkImportPath(importPath);
    if (bad) return { error: bad, code: 'invalid' };
    const kind = this.importerKind(fromDir);
    const key = `${kind}\0${importPath}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    let p = importPath;
    if (kind !== 'other' && !isStandardImportPath(p) && this.env.goroot) {
      // load.Lookup's stdVendor: std and cmd packages import golang.org/x/... from GOROOT's vendor trees.
      const vp = kind === 'cmd' ? `cmd/vendor/${p}` : `vendor/${p}`;
      if (exists(path.join(this.env.goroot, 'src', vp))) p = vp;
    }
    const r = this.lookup(p);
    this.cache.set(key, r);
    return r;
  }

  private importerKind(fromDir: string): 'std' | 'cmd' | 'other' {
    if (!this.env.goroot) return 'other';
    const src = path.join(this.env.goroot, 'src');
    const abs = path.resolve(fromDir);
    if (isWithin(abs, path.join(src, 'cmd'))) return 'cmd';
    if (isWithin(abs, src)) return 'std';
    return 'other';
  }

  private originOf(m: MainModule): Origin {
    return this.module && m.root === path.resolve(this.module.root) ? 'module' : 'workspace';
  }

  private lookup(p: string): ResolveResult {
    const candidates: Resolved[] = [];
    const gorootSrc = this.env.goroot ? path.join(this.env.goroot, 'src') : undefined;
    const std = isStandardImportPath(p);
    if (std && gorootSrc) {
      const dir = path.join(gorootSrc, p);
      if (this.isGoDir(dir)) {
        // A main module inside GOROOT/src (std or cmd itself) provides its own packages.
        for (const m of this.mains) {
          if (!isWithin(m.root, gorootSrc)) continue;
          const d = this.dirInModule(p, m.prefix, m.root, true);
          if (d?.ok) return { dir: d.dir, origin: this.originOf(m), path: p, module: m.path, moduleDir: m.root };
        }
        candidates.push({ dir, origin: 'std', path: p, moduleDir: p === 'cmd' || p.startsWith('cmd/') ? path.join(gorootSrc, 'cmd') : gorootSrc });
      }
    }
    if (!this.module) {
      if (candidates.length) return candidates[0];
      if (std && !gorootSrc) return this.noGoroot(p);
      if (std) return { error: `package ${p} is not in std (${path.join(gorootSrc!, p)})`, code: 'not-in-std' };
      return { error: `no go.mod found, so only standard library packages can be resolved`, code: 'no-module' };
    }
    if (this.vendor?.enabled) return this.lookupVendor(p, candidates, std, gorootSrc);
    return this.lookupModules(p, candidates, std, gorootSrc);
  }

  private noGoroot(p: string): Unresolved {
    return { error: `${p} looks like a standard library package, but GOROOT is unknown (no go command on PATH and GOROOT is not set)`, code: 'no-goroot' };
  }

  private lookupVendor(p: string, candidates: Resolved[], std: boolean, gorootSrc: string | undefined): ResolveResult {
    for (const m of this.mains) {
      const d = this.dirInModule(p, m.prefix, m.root, true);
      if (d?.ok) candidates.push({ dir: d.dir, origin: this.originOf(m), path: p, module: m.path, moduleDir: m.root });
    }
    const vendorDir = this.vendor!.dir;
    const vdir = path.join(vendorDir, p);
    let unlisted = false;
    if (this.isGoDir(vdir)) {
      const list = this.modulesTxt();
      const vm = list?.packageModule.get(p);
      // Go 1.23 and later ignore vendored packages that modules.txt does not list.
      const mainGo = this.module!.work ? this.module!.work.work.go : this.module!.goMod.go;
      if (vm || compareGoVersion(mainGo ?? '1.16', '1.23') < 0) {
        candidates.push({ dir: vdir, origin: 'vendor', path: p, module: vm?.path, version: vm?.version, moduleDir: vm ? path.join(vendorDir, vm.path) : undefined });
      } else unlisted = true;
    }
    if (candidates.length > 1) return ambiguous(p, candidates);
    if (candidates.length === 1) return candidates[0];
    if (unlisted) {
      return { error: `package ${p} exists in ${vendorDir} but is missing from vendor/modules.txt, so the go command ignores it (run go mod vendor)`, code: 'not-vendored' };
    }
    if (std && !gorootSrc) return this.noGoroot(p);
    if (std) return { error: `package ${p} is not in std (${path.join(gorootSrc!, p)})`, code: 'not-in-std' };
    return {
      error: `cannot find package ${p} in ${vendorDir} (${this.vendor!.reason.replace(/\.$/, '')}, so the go command builds from vendor/); vendor/modules.txt may be out of date`,
      code: 'not-vendored',
    };
  }

  private lookupModules(p: string, std0: Resolved[], std: boolean, gorootSrc: string | undefined): ResolveResult {
    // Like modload's importFromModules, a main module with a pruned graph (go ≥ 1.17, or a
    // workspace) is searched with its own go.mod's requirements first, and the full graph
    // only when they do not provide the package: so a module in the graph but not in go.mod
    // (github.com/x/y beside a required github.com/x/y/v2) is never fetched for y/v2's packages.
    const roots = this.rootsPruned() ? this.rootSelected() : undefined;
    if (roots) {
      const first = this.lookupIn(p, [...std0], (prefix) => roots.get(prefix));
      if ('error' in first || first.candidates.length > 0) return this.lookupResult(p, first, std, gorootSrc);
    }
    return this.lookupResult(p, this.lookupIn(p, [...std0], (prefix) => this.selected(prefix)), std, gorootSrc);
  }

  private rootsPruned(): boolean {
    if (this.module?.work) return true;
    return compareGoVersion(this.mains[0]?.goMod.go ?? '1.16', '1.17') >= 0;
  }

  /** The main modules' own requirements, highest listed version of each (modload's rootSelected). */
  private rootSelected(): Map<string, string> {
    if (!this.roots) {
      this.roots = new Map();
      const mainPaths = new Set(this.mains.map((m) => m.path));
      for (const m of this.mains) {
        for (const r of m.goMod.require) {
          if (mainPaths.has(r.path)) continue;
          const cur = this.roots.get(r.path);
          if (!cur || compareSemver(r.version, cur) > 0) this.roots.set(r.path, r.version);
        }
      }
    }
    return this.roots;
  }

  private lookupIn(p: string, candidates: Resolved[], versionOf: (prefix: string) => string | undefined): Unresolved | { candidates: Resolved[]; alt: string[] } {
    const alt: string[] = [];
    for (let prefix = p; prefix !== '.'; prefix = path.posix.dirname(prefix)) {
      if (prefix === 'go' || prefix === 'toolchain') continue;
      const main = this.mains.find((m) => m.prefix !== '' && m.path === prefix);
      if (main) {
        const d = this.dirInModule(p, prefix, main.root, true);
        if (d?.ok) candidates.push({ dir: d.dir, origin: this.originOf(main), path: p, module: main.path, moduleDir: main.root });
        else if (d) alt.push(`${main.path} (${main.root})`);
        continue;
      }
      const version = versionOf(prefix);
      if (!version) continue;
      const fetched = this.fetch(prefix, version);
      // Like the go command, a module that could hold the package but is unavailable is an error.
      if ('error' in fetched) return fetched;
      const d = this.dirInModule(p, prefix, fetched.root, fetched.local);
      if (d?.ok) {
        candidates.push({ dir: d.dir, origin: fetched.origin, path: p, module: prefix, version: fetched.version, moduleDir: fetched.root });
      } else if (d) alt.push(`${prefix}@${version} (${fetched.root})`);
    }
    return { candidates, alt };
  }

  private lookupResult(p: string, found: Unresolved | { candidates: Resolved[]; alt: string[] }, std: boolean, gorootSrc: string | undefined): ResolveResult {
    if ('error' in found) return found;
    const { candidates, alt } = found;
    if (candidates.length > 1) return ambiguous(p, candidates);
    if (candidates.length === 1) return candidates[0];
    if (alt.length) return { error: `module ${alt[0]} is required, but it does not contain package ${p}`, code: 'no-package' };
    if (std && !gorootSrc) return this.noGoroot(p);
    if (std) return { error: `package ${p} is not in std (${path.join(gorootSrc!, p)})`, code: 'not-in-std' };
    const g = this.graph!;
    const gap = g.missing.length
      ? ` (the go.mod files of ${g.missing.length} required module${g.missing.length > 1 ? 's are' : ' is'} not in the module cache, e.g. ${g.missing[0]}, so the requirement graph may be incomplete)`
      : '';
    const where = this.module!.work ? `the modules listed in ${this.module!.work.file}` : path.join(this.module!.root, 'go.mod');
    return { error: `no required module provides package ${p}: it is not in ${where} or the modules it requires${gap}`, code: 'not-in-go-mod' };
  }

  /** Where path@version's files are: a replacement directory, or the module cache. */
  private fetch(modPath: string, version: string): { root: string; local: boolean; origin: Origin; version?: string } | Unresolved {
    const r = this.replacementFor(modPath, version);
    if (r && r.replace.new.version === undefined) {
      const root = path.resolve(r.base, r.replace.new.path);
      if (!exists(root)) return { error: `replacement directory ${r.replace.new.path} for ${modPath} does not exist (${root})`, code: 'no-replace-dir' };
      return { root, local: true, origin: 'replace' };
    }
    const target = r ? { path: r.replace.new.path, version: r.replace.new.version! } : { path: modPath, version };
    let root: string;
    try {
      root = modcacheDir(this.env.modcache, target.path, target.version);
    } catch (e) {
      return { error: (e as Error).message, code: 'invalid' };
    }
    if (!exists(root)) {
      const what = r ? `${modPath}@${version} (replaced by ${target.path}@${target.version})` : `${modPath}@${version}`;
      return { error: `module ${what} is required, but it is not downloaded in the module cache (${root} does not exist; run go mod download)`, code: 'not-downloaded' };
    }
    return { root, local: false, origin: r ? 'replace' : 'modcache', version: target.version };
  }

  /** modload's dirInModule: where path would be in the module at mdir, and whether it holds Go files. */
  private dirInModule(p: string, mpath: string, mdir: string, local: boolean): { dir: string; ok: boolean } | undefined {
    let dir: string;
    if (p === mpath) dir = mdir;
    else if (mpath === '') dir = path.join(mdir, p);
    else if (p.startsWith(`${mpath}/`)) dir = path.join(mdir, p.slice(mpath.length + 1));
    else return undefined;
    // In a local tree, a go.mod between the module root and the directory starts another module.
    if (local) {
      for (let d = dir; d !== mdir && d.length > mdir.length; d = path.dirname(d)) {
        if (isFile(path.join(d, 'go.mod'))) return undefined;
      }
    }
    return { dir, ok: this.isGoDir(dir) };
  }

  /** fsys.IsGoDir: the directory has a .go file that is a regular file or a link to one. */
  isGoDir(dir: string): boolean {
    const hit = this.goDirCache.get(dir);
    if (hit !== undefined) return hit;
    let ok = false;
    try {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory() || !e.name.endsWith('.go')) continue;
        if (e.isFile() || (e.isSymbolicLink() && isFile(path.join(dir, e.name)))) {
          ok = true;
          break;
        }
      }
    } catch {
      ok = false;
    }
    this.goDirCache.set(dir, ok);
    return ok;
  }

  private modulesTxt(): VendorList | undefined {
    if (this.vendorList === undefined) {
      try {
        this.vendorList = readModulesTxt(path.join(this.vendor!.dir, 'modules.txt'));
      } catch {
        this.vendorList = null;
      }
    }
    return this.vendorList ?? undefined;
  }

  // -------------------------------------------------------------------------
  // Version selection: minimal version selection over the requirement graph, pruned as the
  // go command prunes it for go ≥ 1.17 modules (a pruned dependency contributes its own
  // requirements but they are not followed further), full for older ones.

  /** The version of `modPath` the build would use, or undefined when nothing requires it. */
  selected(modPath: string): string | undefined {
    if (!this.graph) this.graph = this.buildGraph();
    return this.graph.selected.get(modPath);
  }

  /** go.mod files of required modules that were needed but not found (the selection may be incomplete without them). */
  missingGoMods(): string[] {
    if (!this.graph) this.graph = this.buildGraph();
    return this.graph.missing;
  }

  private buildGraph(): { selected: Map<string, string>; missing: string[] } {
    const selected = new Map<string, string>();
    const missing: string[] = [];
    const mainPaths = new Set(this.mains.map((m) => m.path));
    const excluded = new Set(this.mains.flatMap((m) => m.goMod.exclude.map((e) => `${e.path}@${e.version}`)));
    const bump = (p: string, v: string): void => {
      if (mainPaths.has(p) || p === 'go' || p === 'toolchain') return;
      const cur = selected.get(p);
      if (!cur || compareSemver(v, cur) > 0) selected.set(p, v);
    };
    const mainGo = this.module?.work ? undefined : this.mains[0]?.goMod.go;
    const rootPruned = this.module?.work ? true : compareGoVersion(mainGo ?? '1.16', '1.17') >= 0;
    const seen = new Set<string>();
    const queue: { path: string; version: string; pruned: boolean }[] = [];
    const enqueue = (p: string, v: string, pruned: boolean): void => {
      if (mainPaths.has(p) || excluded.has(`${p}@${v}`)) return;
      const key = `${p}@${v}#${pruned}`;
      if (seen.has(key)) return;
      seen.add(key);
      queue.push({ path: p, version: v, pruned });
    };
    for (const m of this.mains) {
      for (const r of m.goMod.require) {
        bump(r.path, r.version);
        enqueue(r.path, r.version, rootPruned);
      }
    }
    while (queue.length) {
      const item = queue.shift()!;
      const summary = this.goModSummary(item.path, item.version);
      if (typeof summary === 'string') {
        missing.push(summary);
        continue;
      }
      for (const r of summary.require) if (!excluded.has(`${r.path}@${r.version}`)) bump(r.path, r.version);
      if (!item.pruned || !summary.pruned) for (const r of summary.require) enqueue(r.path, r.version, false);
    }
    return { selected, missing };
  }

  /** A dependency's requirements and pruning, or a description of why its go.mod is unavailable. */
  private goModSummary(modPath: string, version: string): { require: { path: string; version: string }[]; pruned: boolean } | string {
    const key = `${modPath}@${version}`;
    const hit = this.goModSummaries.get(key);
    if (hit !== undefined) return hit;
    const r = this.replacementFor(modPath, version);
    const files: string[] = [];
    try {
      if (r && r.replace.new.version === undefined) files.push(path.join(path.resolve(r.base, r.replace.new.path), 'go.mod'));
      else {
        const t = r ? { path: r.replace.new.path, version: r.replace.new.version! } : { path: modPath, version };
        files.push(path.join(this.env.modcache, 'cache', 'download', escapeModulePath(t.path), '@v', `${escapeVersion(t.version)}.mod`));
        files.push(path.join(modcacheDir(this.env.modcache, t.path, t.version), 'go.mod'));
      }
    } catch (e) {
      this.goModSummaries.set(key, `${key}: ${(e as Error).message}`);
      return this.goModSummaries.get(key)!;
    }
    let result: { require: { path: string; version: string }[]; pruned: boolean } | string = `${key} (${files[0]})`;
    for (const f of files) {
      if (!isFile(f)) continue;
      try {
        const gm = readGoMod(f, { strict: false });
        result = { require: gm.require.map((q) => ({ path: q.path, version: q.version })), pruned: compareGoVersion(gm.go ?? '1.16', '1.17') >= 0 };
      } catch (e) {
        result = `${key}: ${(e as Error).message}`;
      }
      break;
    }
    if (typeof result === 'string' && r && r.replace.new.version === undefined && exists(path.dirname(files[0]))) {
      // A replacement directory without go.mod is a module with no requirements.
      result = { require: [], pruned: false };
    }
    this.goModSummaries.set(key, result);
    return result;
  }

  // -------------------------------------------------------------------------

  /**
   * The import path of the package in `dir`: in GOROOT/src (std, cmd and their vendor
   * trees), a main or workspace module, its vendor/ directory, a directory replacement, or
   * the module cache. Undefined when the directory belongs to none of them.
   */
  importPathOf(dir: string): string | undefined {
    const abs = path.resolve(dir);
    const slash = (rel: string): string => rel.split(path.sep).join('/');
    const mains = [...this.mains].sort((a, b) => b.root.length - a.root.length);
    for (const m of mains) {
      if (!isWithin(abs, m.root)) continue;
      const rel = slash(path.relative(m.root, abs));
      const vendorOwner = this.vendor && path.resolve(this.vendor.dir) === path.join(m.root, 'vendor');
      if (vendorOwner && rel.startsWith('vendor/')) return rel.slice('vendor/'.length);
      // A nested go.mod makes the directory part of another module.
      for (let d = abs; d !== m.root && d.length > m.root.length; d = path.dirname(d)) {
        if (isFile(path.join(d, 'go.mod'))) {
          try {
            const inner = readGoMod(path.join(d, 'go.mod'), { strict: false }).module;
            const sub = slash(path.relative(d, abs));
            return inner ? (sub ? `${inner}/${sub}` : inner) : undefined;
          } catch {
            return undefined;
          }
        }
      }
      if (m.prefix === '') return rel || undefined;
      return rel ? `${m.prefix}/${rel}` : m.prefix;
    }
    if (this.vendor && isWithin(abs, this.vendor.dir) && abs !== path.resolve(this.vendor.dir)) return slash(path.relative(this.vendor.dir, abs));
    if (this.env.goroot) {
      const src = path.join(this.env.goroot, 'src');
      if (isWithin(abs, src)) return abs === path.resolve(src) ? undefined : slash(path.relative(src, abs));
    }
    for (const [, r] of this.replacements) {
      let root: string;
      try {
        root = r.replace.new.version === undefined ? path.resolve(r.base, r.replace.new.path) : modcacheDir(this.env.modcache, r.replace.new.path, r.replace.new.version);
      } catch {
        continue;
      }
      if (isWithin(abs, root)) {
        const rel = slash(path.relative(root, abs));
        return rel ? `${r.replace.old.path}/${rel}` : r.replace.old.path;
      }
    }
    if (isWithin(abs, this.env.modcache)) {
      const parts = slash(path.relative(this.env.modcache, abs)).split('/');
      if (parts[0] === 'cache') return undefined;
      const at = parts.findIndex((s) => s.includes('@'));
      if (at < 0) return undefined;
      const escaped = [...parts.slice(0, at), parts[at].slice(0, parts[at].indexOf('@'))].join('/');
      const modPath = unescapeModulePath(escaped);
      if (!modPath) return undefined;
      const sub = parts.slice(at + 1).join('/');
      return sub ? `${modPath}/${sub}` : modPath;
    }
    return undefined;
  }
}

function ambiguous(p: string, c: Resolved[]): Unresolved {
  return { error: `ambiguous import: found package ${p} in multiple directories: ${c.map((x) => x.dir).join(', ')}`, code: 'ambiguous' };
}

function exists(p: string): boolean {
  try {
    fs.statSync(p);
    return true;
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

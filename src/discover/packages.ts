// The package directories a scan covers, found the way the go command expands `./...`
// (cmd/go/internal/search.MatchDirs): skip trees whose name starts with '.' or '_' and
// testdata, stop at nested modules, never let `...` match inside vendor/, do not follow
// symbolic links below the starting directory, honour go.mod `ignore` directives. A
// directory counts when one of its .go files could build under some build configuration.
//
// Unlike the go command, which lists only what builds for the host, a directory whose
// files all build for other platforms is included: those are exactly what crossvet checks.
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { parse as parseConstraint, isGoBuild, isPlusBuild, type Expr } from '../constraints/expr';
import { compareGoVersion, readGoMod, readModulesTxt, type GoMod } from './gomod';
import { discoverEnv, findGoModRoot, type DiscoverEnv, type ModuleInfo } from './module';
import { Resolver } from './resolve';

/** The file-system calls the walk makes; tests inject failures through it. */
export interface WalkFs {
  readdirSync(dir: string, opts: { withFileTypes: true }): nodeFs.Dirent[];
  statSync(p: string): nodeFs.Stats;
  openSync(p: string, flags: string): number;
  readSync(fd: number, buf: Buffer, offset: number, length: number, position: number): number;
  closeSync(fd: number): void;
}

export interface ListOptions {
  /** `./...`, `./pkg/...`, `.`, `./dir`, `dir`, `file.go`, or absolute forms of these; relative to root. */
  patterns: string[];
  /** Also list the package directories under root/vendor (which `./...` never matches). */
  includeVendor?: boolean;
  fs?: WalkFs;
}

export type ListProblemKind = 'unreadable' | 'broken-link' | 'symlink-not-followed' | 'cycle' | 'not-found' | 'no-go-files' | 'not-vendored';

export interface ListProblem {
  path: string;
  message: string;
  kind: ListProblemKind;
}

export interface ListResult {
  /** Absolute, sorted, without duplicates. */
  dirs: string[];
  problems: ListProblem[];
}

/** How many bytes of a file to read first when looking for its header; longer headers are read in full. */
const HEADER_CHUNK = 8192;

export function listPackageDirs(root: string, opts: ListOptions): ListResult {
  const w = new Walker(path.resolve(root), opts.fs ?? nodeFs);
  for (const pattern of opts.patterns) w.pattern(pattern);
  if (opts.includeVendor) w.vendorTree(path.join(w.root, 'vendor'));
  return { dirs: [...w.dirs].sort(), problems: w.problems };
}

class Walker {
  readonly dirs = new Set<string>();
  readonly problems: ListProblem[] = [];
  private readonly reported = new Set<string>();
  private readonly hasFilesCache = new Map<string, boolean>();

  constructor(
    readonly root: string,
    private readonly fs: WalkFs,
  ) {}

  private problem(p: string, kind: ListProblemKind, message: string): void {
    const key = `${p}\0${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.problems.push({ path: p, message, kind });
  }

  private stat(p: string): nodeFs.Stats | undefined {
    try {
      return this.fs.statSync(p);
    } catch {
      return undefined;
    }
  }

  pattern(raw: string): void {
    const pattern = raw.split(path.sep).join('/');
    if (pattern === '') return this.problem(this.root, 'not-found', 'empty pattern');
    if (pattern.endsWith('.go') && !pattern.includes('...')) {
      const file = path.resolve(this.root, pattern);
      const st = this.stat(file);
      if (!st?.isFile()) return this.problem(file, 'not-found', `no such Go file: ${raw}`);
      this.dirs.add(path.dirname(file));
      return;
    }
    if (!pattern.includes('...')) {
      const dir = path.resolve(this.root, pattern);
      const st = this.stat(dir);
      if (!st) return this.problem(dir, 'not-found', `no such directory: ${raw}`);
      if (!st.isDirectory()) return this.problem(dir, 'not-found', `not a directory or a .go file: ${raw}`);
      // A directory named on the command line is a package if it has any Go file, even one
      // that no configuration builds (the go command then reports the constraint problem).
      if (this.goFiles(dir, false).length) this.dirs.add(dir);
      else this.problem(dir, 'no-go-files', `no Go files in ${dir}`);
      return;
    }
    this.walkPattern(pattern, raw);
  }

  /** MatchDirs for a pattern with `...`, relative to root (or absolute). */
  private walkPattern(raw: string, original: string): void {
    // A bare "pkg/..." is taken as the local "./pkg/...".
    const pattern = raw.startsWith('/') || raw.startsWith('.') ? raw : `./${raw}`;
    const abs = path.isAbsolute(pattern);
    // The names matched are the paths the go command would see from a working directory at root.
    let clean = path.posix.normalize(pattern).replace(/(.)\/$/, '$1');
    const prefix = clean !== '.' && pattern.startsWith('./') ? './' : '';
    if (prefix) clean = `./${clean}`;
    const match = matchPattern(clean);
    const dirPart = clean.slice(0, clean.indexOf('...')).replace(/[^/]*$/, '');
    const start = path.resolve(this.root, dirPart || '.');
    const st = this.stat(start);
    if (!st?.isDirectory()) return this.problem(start, 'not-found', `no such directory for pattern ${original}`);
    const vendorInPattern = clean.split('/').includes('vendor');
    const modRoot = findGoModRoot(start);
    const goMod = modRoot ? this.goMod(modRoot) : undefined;
    const ignore = goMod ? ignoreMatcher(goMod.ignore.map((i) => i.path)) : undefined;
    // GOROOT/src/builtin only documents the predeclared identifiers; the go command never lists it.
    const builtin = goMod?.module === 'std' && modRoot ? path.join(modRoot, 'builtin') : undefined;
    const visited = new Set<string>();
    // Iterative, so that deep trees cannot exhaust the stack.
    const stack: { dir: string; top: boolean; leaf: boolean }[] = [{ dir: start, top: true, leaf: false }];
    while (stack.length) {
      const { dir, top, leaf } = stack.pop()!;
      const walkPath = abs ? dir.split(path.sep).join('/') : path.relative(this.root, dir).split(path.sep).join('/') || '.';
      const elem = path.posix.basename(walkPath);
      if ((elem.startsWith('.') && elem !== '.' && elem !== '..') || elem.startsWith('_') || elem === 'testdata') continue;
      if (ignore && modRoot && dir !== modRoot && ignore(path.relative(modRoot, dir).split(path.sep).join('/'))) continue;
      if (!top && this.stat(path.join(dir, 'go.mod'))?.isFile()) continue; // another module
      // Guard against directory cycles that do not go through symlinks (bind mounts).
      const id = this.stat(dir);
      if (id) {
        const key = `${id.dev}:${id.ino}`;
        if (visited.has(key)) {
          this.problem(dir, 'cycle', 'directory cycle: this directory was already visited');
          continue;
        }
        visited.add(key);
      }
      let entries: nodeFs.Dirent[];
      try {
        entries = this.fs.readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        this.problem(dir, 'unreadable', `cannot read directory: ${(e as Error).message}`);
        continue;
      }
      if (match(prefix + walkPath) && dir !== builtin && this.hasPackageFiles(dir, entries)) this.dirs.add(dir);
      if (leaf) continue;
      const children: { dir: string; top: boolean; leaf: boolean }[] = [];
      for (const e of entries) {
        const child = path.join(dir, e.name);
        if (e.isDirectory()) {
          // `...` never matches below a vendor directory (only the directory itself, as a last
          // element), so its tree is not walked unless the pattern names vendor.
          children.push({ dir: child, top: false, leaf: e.name === 'vendor' && !vendorInPattern });
        } else if (e.isSymbolicLink()) {
          const t = this.stat(child);
          if (!t) this.problem(child, 'broken-link', `broken symbolic link: ${linkError(child, this.fs)}`);
          else if (t.isDirectory()) this.problem(child, 'symlink-not-followed', 'symbolic link to a directory not followed (the go command does not follow them in ./... patterns)');
        }
      }
      children.sort((x, y) => (x.dir < y.dir ? 1 : -1));
      stack.push(...children);
    }
  }

  /** Every package directory under vendor/ (the vendored dependencies). */
  vendorTree(vendorDir: string): void {
    const st = this.stat(vendorDir);
    if (!st?.isDirectory()) return;
    // Go 1.23 and later build only the vendored packages modules.txt lists.
    let listed: Set<string> | undefined;
    const goMod = this.goMod(path.dirname(vendorDir));
    if (goMod && compareGoVersion(goMod.go ?? '1.16', '1.23') >= 0) {
      try {
        listed = new Set(readModulesTxt(path.join(vendorDir, 'modules.txt')).packageModule.keys());
      } catch {
        listed = undefined; // no modules.txt: nothing to filter by
      }
    }
    const stack = [vendorDir];
    const visited = new Set<string>();
    while (stack.length) {
      const dir = stack.pop()!;
      const id = this.stat(dir);
      if (id) {
        const key = `${id.dev}:${id.ino}`;
        if (visited.has(key)) continue;
        visited.add(key);
      }
      let entries: nodeFs.Dirent[];
      try {
        entries = this.fs.readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        this.problem(dir, 'unreadable', `cannot read directory: ${(e as Error).message}`);
        continue;
      }
      if (dir !== vendorDir && this.hasPackageFiles(dir, entries)) {
        const imp = path.relative(vendorDir, dir).split(path.sep).join('/');
        if (!listed || listed.has(imp)) this.dirs.add(dir);
        else this.problem(dir, 'not-vendored', `${imp} is in vendor/ but not listed in vendor/modules.txt; the go command ignores it (go mod vendor would remove it)`);
      }
      for (const e of entries) {
        if (!e.isDirectory()) continue;
        if (e.name.startsWith('.') || e.name.startsWith('_') || e.name === 'testdata') continue;
        stack.push(path.join(dir, e.name));
      }
    }
  }

  private goMod(modRoot: string): GoMod | undefined {
    try {
      return readGoMod(path.join(modRoot, 'go.mod'), { strict: false });
    } catch {
      return undefined; // the go command also goes on without ignore patterns when go.mod does not parse
    }
  }

  /** The .go files of a directory that go/build would look at (not named _* or .*), regular or linked. */
  private goFiles(dir: string, quiet: boolean, entries?: nodeFs.Dirent[]): string[] {
    let list = entries;
    if (!list) {
      try {
        list = this.fs.readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        if (!quiet) this.problem(dir, 'unreadable', `cannot read directory: ${(e as Error).message}`);
        return [];
      }
    }
    const out: string[] = [];
    for (const e of list) {
      if (!e.name.endsWith('.go') || e.name.startsWith('_') || e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      if (e.isFile()) out.push(full);
      else if (e.isSymbolicLink()) {
        const t = this.stat(full);
        if (t?.isFile()) out.push(full);
        else if (!t) this.problem(full, 'broken-link', `broken symbolic link: ${linkError(full, this.fs)}`);
      }
    }
    return out.sort();
  }

  /** Whether some .go file of the directory builds under some configuration (go/build with all tags). */
  private hasPackageFiles(dir: string, entries: nodeFs.Dirent[]): boolean {
    const hit = this.hasFilesCache.get(dir);
    if (hit !== undefined) return hit;
    let ok = false;
    for (const f of this.goFiles(dir, false, entries)) {
      const header = this.readHeader(f);
      if (header === undefined || mayBuild(header)) {
        ok = true;
        break;
      }
    }
    this.hasFilesCache.set(dir, ok);
    return ok;
  }

  /** The file's text up to its package clause (all of it if shorter); undefined when unreadable. */
  private readHeader(file: string): string | undefined {
    let fd: number;
    try {
      fd = this.fs.openSync(file, 'r');
    } catch (e) {
      this.problem(file, 'unreadable', `cannot read file: ${(e as Error).message}`);
      return undefined;
    }
    try {
      let buf = Buffer.alloc(HEADER_CHUNK);
      let len = 0;
      for (;;) {
        const n = this.fs.readSync(fd, buf, len, buf.length - len, len);
        len += n;
        const text = buf.subarray(0, len).toString('utf8');
        if (n === 0 || len < buf.length || headerEnds(text)) return text;
        const bigger = Buffer.alloc(buf.length * 2);
        buf.copy(bigger, 0, 0, len);
        buf = bigger;
      }
    } catch (e) {
      this.problem(file, 'unreadable', `cannot read file: ${(e as Error).message}`);
      return undefined;
    } finally {
      try {
        this.fs.closeSync(fd);
      } catch {
        // already reported or harmless
      }
    }
  }
}

/** go.mod `ignore` directives: "./x" names x at the module root, "x" any directory named x. */
function ignoreMatcher(pats: string[]): ((rel: string) => boolean) | undefined {
  if (!pats.length) return undefined;
  const norm = (p: string): string => `/${p.replace(/^\/+|\/+$/g, '')}/`;
  const anchored = pats.filter((p) => p.startsWith('./')).map((p) => norm(p.slice(2)));
  const anywhere = pats.filter((p) => !p.startsWith('./')).map(norm);
  return (rel) => {
    if (rel === '') return false;
    const d = norm(rel);
    return anchored.some((a) => d.startsWith(a)) || anywhere.some((a) => d.includes(a));
  };
}

function linkError(p: string, fs: WalkFs): string {
  try {
    fs.statSync(p);
    return 'target is not readable';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ELOOP' ? 'too many levels of symbolic links (a loop)' : (e as Error).message;
  }
}

/**
 * cmd/internal/pkgpattern.MatchPattern: `...` matches any string, `x/...` also matches x,
 * and `...` never matches a vendor element unless the pattern itself names vendor.
 */
export function matchPattern(pattern: string): (name: string) => boolean {
  const V = '\x00';
  const replaceVendor = (x: string): string => {
    if (!x.includes('vendor')) return x;
    const el = x.split('/');
    for (let i = 0; i < el.length - 1; i++) if (el[i] === 'vendor') el[i] = V;
    return el.join('/');
  };
  const quote = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let re = replaceVendor(quote(pattern));
  const wild = `[^${V}]*`;
  const dots = '\\.\\.\\.';
  if (re.endsWith(`/${V}/${dots}`)) re = `${re.slice(0, -(`/${V}/${dots}`.length))}(/vendor|/${V}/${dots})`;
  else if (re === `${V}/${dots}`) re = `(/vendor|/${V}/${dots})`;
  if (re.endsWith(`/${dots}`)) re = `${re.slice(0, -(`/${dots}`.length))}(/${dots})?`;
  re = re.split(dots).join(wild);
  const reg = new RegExp(`^${re}$`, 's');
  return (name) => !name.includes(V) && reg.test(replaceVendor(name));
}

/** Whether the header holds the package clause already, so nothing after it can be a constraint. */
function headerEnds(text: string): boolean {
  return /^\s*package\s/m.test(stripLeadingComments(text));
}

function stripLeadingComments(text: string): string {
  // Enough to find where code starts: drop // lines and /* */ blocks at the top.
  let rest = text;
  for (;;) {
    const t = rest.replace(/^\s+/, '');
    if (t.startsWith('//')) {
      const nl = t.indexOf('\n');
      if (nl < 0) return '';
      rest = t.slice(nl + 1);
    } else if (t.startsWith('/*')) {
      const end = t.indexOf('*/');
      if (end < 0) return '';
      rest = t.slice(end + 2);
    } else return t;
  }
}

/**
 * go/build's reading of a file header with every tag allowed except "ignore": the file
 * builds somewhere unless its constraint cannot hold whatever the tags are set to. A
 * malformed constraint counts as building: the go command keeps such files and reports them.
 */
export function mayBuild(header: string): boolean {
  const { goBuild, plusBuild } = constraintLines(header);
  if (goBuild.length > 1) return true; // "multiple //go:build comments": an invalid file, still a package
  const lines = goBuild.length ? goBuild : plusBuild;
  for (const line of lines) {
    let x: Expr;
    try {
      x = parseConstraint(line);
    } catch {
      return true;
    }
    if (!anyTags(x, true)) return false;
  }
  return true;
}

/** imports.AnyTags evaluation: every valid tag but "ignore" takes whichever value is preferred. */
function anyTags(x: Expr, prefer: boolean): boolean {
  switch (x.kind) {
    case 'tag':
      if (!/^[\p{L}\p{N}_.]+$/u.test(x.tag)) return false;
      return x.tag !== 'ignore' ? prefer : false;
    case 'not':
      return !anyTags(x.x, !prefer);
    case 'and': {
      const a = anyTags(x.x, prefer);
      const b = anyTags(x.y, prefer);
      return a && b;
    }
    case 'or': {
      const a = anyTags(x.x, prefer);
      const b = anyTags(x.y, prefer);
      return a || b;
    }
  }
}

/**
 * go/build's parseFileHeader: //go:build lines anywhere in the leading comments; // +build
 * lines only in the part of the leading comments that a blank line separates from the code.
 */
function constraintLines(text: string): { goBuild: string[]; plusBuild: string[] } {
  const goBuild: string[] = [];
  const plusCandidates: { line: string; offset: number }[] = [];
  let end = 0;
  let ended = false;
  let inSlashStar = false;
  let offset = 0;
  const lines = text.split('\n');
  outer: for (let i = 0; i < lines.length; i++) {
    const rawLine = lines[i];
    const lineStart = offset;
    offset += rawLine.length + 1;
    let line = rawLine.trim();
    if (line === '' && !ended) {
      end = Math.min(offset, text.length);
      continue;
    }
    if (!line.startsWith('//')) ended = true;
    if (!inSlashStar && isGoBuild(line)) goBuild.push(line);
    if (!inSlashStar && isPlusBuild(line)) plusCandidates.push({ line, offset: lineStart });
    while (line.length) {
      if (inSlashStar) {
        const j = line.indexOf('*/');
        if (j < 0) continue outer;
        inSlashStar = false;
        line = line.slice(j + 2).trim();
        continue;
      }
      if (line.startsWith('//')) continue outer;
      if (line.startsWith('/*')) {
        inSlashStar = true;
        line = line.slice(2).trim();
        continue;
      }
      break outer;
    }
  }
  return { goBuild, plusBuild: plusCandidates.filter((p) => p.offset < end).map((p) => p.line) };
}

/**
 * The import path of a package directory: in the main module or a workspace module, its
 * vendor/, GOROOT/src, a directory replacement, or the module cache.
 */
export function importPathOf(dir: string, ctx: Resolver | { module?: ModuleInfo; env?: DiscoverEnv } = {}): string | undefined {
  const r = ctx instanceof Resolver ? ctx : new Resolver(ctx.module, { env: ctx.env ?? discoverEnv() });
  return r.importPathOf(dir);
}

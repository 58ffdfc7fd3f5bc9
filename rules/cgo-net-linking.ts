// cgo-net-linking: commands that become dynamically linked against the C library when they
// are built natively with cgo on, because their imports reach a package with cgo code —
// net's cgo resolver, os/user, plugin, runtime/cgo, or any package that imports "C". Which
// files import "C" on which target comes from the packages' own headers (GOROOT included),
// not from a list. The repository's build files say how each command is really built: a
// build that already turns cgo off or sets netgo/osusergo is not reported; one that copies
// the binary into a scratch, distroless/static or busybox image raises the level to error.
// Also: packages whose cgo files silently drop out on targets where cgo is off.
import * as path from 'node:path';
import type { Rule, RuleContext } from '../src/rule';
import type { Diagnostic, Level, Location, RuleMeta, Span } from '../src/types';
import type { Package, SourceFile } from '../src/model/types';
import type { ImportSpec } from '../src/constraints/header';
import type { Target } from '../src/targets';
import { fileBuilds, type BuildContext } from '../src/constraints/match';
import { BUILD_FILE_GLOBS, fromImage, readBuildConfig, recipeBuilds, recipeImage, recipeTargets, type BuildConfig, type BuildRecipe, type Evidence } from '../src/buildconfig';

export const meta: RuleMeta = {
  id: 'cgo-net-linking',
  name: 'CgoNetLinking',
  shortDescription: 'Commands that are dynamically linked against libc when built with cgo on (net, os/user, plugin, import "C")',
  fullDescription:
    'Finds main packages whose imports reach a package with cgo code on a target where cgo is on: net (the cgo DNS ' +
    'resolver), os/user, plugin, runtime/cgo or any package that imports "C". Built natively with cgo on, such a ' +
    'binary is dynamically linked against the C library, while the same code cross-compiled (cgo off) is static: it ' +
    'then fails to start in scratch, distroless/static or busybox images, or on a system with an older glibc. The ' +
    'message gives the import chain and the cures (CGO_ENABLED=0, -tags netgo,osusergo, or static external linking). ' +
    "The repository's Makefiles, Dockerfiles, scripts, GitHub workflows and GoReleaser configuration are read: a " +
    'command they already build static is not reported (shown with --verbose), and one copied into a minimal image ' +
    'while cgo stays on is an error. Also reports files that import "C" on targets where cgo is off, which drop out ' +
    'of their package there.',
  helpMarkdown: [
    'A Go binary is statically linked when cgo is off, which is the default whenever you cross-compile. Built',
    'natively (where a C compiler is installed, cgo is on by default), the same program becomes dynamically linked',
    'against the C library as soon as its imports reach a package with cgo code:',
    '',
    '- `net`, through the cgo DNS resolver (`getaddrinfo`), unless built with `-tags netgo`;',
    '- `os/user`, through `getpwnam_r` and friends, unless built with `-tags osusergo`;',
    '- `plugin` (`dlopen`), `runtime/cgo`, and any package that imports `"C"`.',
    '',
    'Such a binary needs `/lib64/ld-linux-x86-64.so.2` and `libc.so.6` at run time: it fails to start in a',
    '`scratch`, `distroless/static` or `busybox` image ("no such file or directory"), and on systems whose glibc',
    'is older than the build machine\'s.',
    '',
    'For each command and each target where cgo is on, the rule follows the imports through the module,',
    '`vendor/`, the module cache and GOROOT with each target\'s file set, and reports at the import that starts',
    'the chain (`cmd/lookup → internal/netutil → net`). The repository\'s build files (Makefiles, Dockerfiles,',
    'shell scripts, GitHub workflows, `.goreleaser.yaml`) decide the rest: a command every build turns static is',
    'not reported; one a Dockerfile or GoReleaser copies into a minimal image with cgo on is an error.',
    '',
    'Cures: build with `CGO_ENABLED=0`; or with `-tags netgo,osusergo` (pure-Go resolver and user lookups); or,',
    'when the program really needs cgo, link statically with',
    '`-ldflags \'-linkmode external -extldflags "-static"\'`.',
    '',
    'The rule also reports files that import `"C"` in a package built for a target where cgo is off (the',
    'default when cross-compiling): they silently drop out of the package there.',
  ].join('\n'),
  defaultLevel: 'warning',
  tags: ['portability', 'linking', 'cgo', 'containers'],
  precision: 'high',
};

/**
 * Operating systems where a Go binary built with cgo off has no program interpreter (a
 * static ELF file), so that cgo changes how it links. Elsewhere every binary already loads
 * the system's libraries: darwin (libSystem), windows (kernel32), openbsd, solaris, illumos,
 * android (the system linker) and aix. The oracle test checks the table with real builds.
 */
export const STATIC_OS = new Set(['linux', 'freebsd', 'netbsd', 'dragonfly']);

/**
 * Packages the Go linker may link internally when they carry cgo code (cmd/link's
 * `internalpkg`): with only these, `-extldflags "-static"` is ignored unless
 * `-linkmode external` is given too. A test compares the list with GOROOT's cmd/link.
 */
export const INTERNAL_LINK_PKGS = new Set([
  'crypto/internal/boring', 'crypto/internal/boring/syso', 'crypto/x509', 'net', 'os/user', 'runtime/cgo',
  'runtime/race', 'runtime/race/internal/amd64v1', 'runtime/race/internal/amd64v3', 'runtime/msan', 'runtime/asan',
]);

/** What a standard package's cgo code does, for the message. Any other package: its own import "C". */
const WHAT_CGO: Record<string, string> = {
  net: 'the cgo DNS resolver, getaddrinfo in libc',
  'os/user': 'user and group lookups through libc, getpwnam_r',
  plugin: 'dlopen in libc',
  'runtime/cgo': 'the cgo runtime',
};

/** Build tags that swap a standard package's cgo code for pure Go; which ones help is decided on the headers. */
const PURE_GO_TAGS = ['netgo', 'osusergo'];

const STATIC_LDFLAGS = `-ldflags '-linkmode external -extldflags "-static"'`;

export const rule: Rule = { meta, check };

// ---------------------------------------------------------------------------
// Import closure: which packages with cgo code a package reaches, and by which chain.

/** One way of building: a target, whether cgo is on, and the build tags. */
interface Build {
  key: string;
  target: Target;
  builds(f: SourceFile): boolean;
}

interface Hop {
  from: Package;
  file: SourceFile;
  spec: ImportSpec;
  to: Package;
}

/** A package with cgo code reached from some package: the import hops to it and its file that imports "C". */
interface Chain {
  hops: Hop[];
  end: Package;
  cFile: SourceFile;
}

/** Reached packages with cgo code, by directory. */
type Reach = Map<string, Chain>;

class Closure {
  private memo = new Map<string, Reach>();
  /** Closures that pass through an import that does not resolve (a module not downloaded): they may miss cgo. */
  private incomplete = new Set<string>();
  private busy = new Set<string>();
  private builds = new Map<string, Build>();

  constructor(private readonly ctx: RuleContext) {}

  /** The run's own build for a target (its cgo setting and tags). */
  runBuild(t: Target): Build {
    return this.build(t, this.ctx.contexts.get(t.id)!.cgo, []);
  }

  /** A build of the target with cgo on or off and extra tags; file sets come from the headers. */
  build(t: Target, cgo: boolean, extraTags: string[]): Build {
    const bc = this.ctx.contexts.get(t.id)!;
    const tags = [...new Set([...bc.tags, ...extraTags])].sort();
    const key = `${t.id}|${cgo}|${tags.join(',')}`;
    let b = this.builds.get(key);
    if (!b) {
      const same = cgo === bc.cgo && tags.join(',') === [...new Set(bc.tags)].sort().join(',');
      const ctx2: BuildContext = { ...bc, cgo, tags };
      // The run's own build is what the engine computed for every file; others are decided here.
      b = { key, target: t, builds: same ? (f) => !f.isTest && f.builds.has(t.id) : (f) => !f.isTest && fileBuilds(f.name, f.header, ctx2) };
      this.builds.set(key, b);
    }
    return b;
  }

  /** The packages with cgo code `pkg` reaches in build `b`, each with the shortest chain. Memoised per build. */
  reach(pkg: Package, b: Build): Reach {
    const key = `${b.key}\0${pkg.dir}`;
    const known = this.memo.get(key);
    if (known) return known;
    // Go forbids import cycles; should the code have one anyway, the cycle adds nothing.
    if (this.busy.has(key)) return new Map();
    this.busy.add(key);
    const files = pkg.files.filter((f) => b.builds(f));
    const out: Reach = new Map();
    const cFile = files.find((f) => f.header.importsC && f.header.error === undefined);
    if (cFile) out.set(pkg.dir, { hops: [], end: pkg, cFile });
    for (const file of files) {
      for (const spec of file.header.imports) {
        if (spec.path === 'C') continue;
        const dep = this.ctx.importPackage(spec.path, file);
        if (!dep) {
          this.incomplete.add(key);
          continue;
        }
        const depReach = this.reach(dep, b);
        if (this.incomplete.has(`${b.key}\0${dep.dir}`)) this.incomplete.add(key);
        for (const [dir, chain] of depReach) {
          const cur = out.get(dir);
          if (!cur || cur.hops.length > chain.hops.length + 1) out.set(dir, { ...chain, hops: [{ from: pkg, file, spec, to: dep }, ...chain.hops] });
        }
      }
    }
    this.busy.delete(key);
    this.memo.set(key, out);
    return out;
  }

  /** Whether the closure of `pkg` in `b` (computed by reach) met an import that does not resolve. */
  isIncomplete(pkg: Package, b: Build): boolean {
    return this.incomplete.has(`${b.key}\0${pkg.dir}`);
  }
}

// ---------------------------------------------------------------------------
// The check.

interface Pending {
  d: Omit<Diagnostic, 'targets' | 'message' | 'ruleId'>;
  message: (targets: string[]) => string;
  suppressed?: string;
  targets: string[];
}

function check(ctx: RuleContext): void {
  const closure = new Closure(ctx);
  const names = new Names(ctx);
  const pending = new Map<string, Pending>();
  let config: BuildConfig | undefined;
  const buildConfig = (): BuildConfig => {
    if (!config) {
      config = readBuildConfig(ctx.repoFiles?.(BUILD_FILE_GLOBS) ?? [], ctx.root);
      for (const p of config.problems) ctx.notify({ level: 'note', id: 'build-config', file: p.file, message: p.message });
    }
    return config;
  };
  const unsure = new Set<string>();
  const add = (key: string, p: Omit<Pending, 'targets'>, target: string) => {
    const cur = pending.get(key);
    if (cur) cur.targets.push(target);
    else pending.set(key, { ...p, targets: [target] });
  };

  for (const pkg of ctx.packages) {
    for (const t of ctx.targets) {
      const bc = ctx.contexts.get(t.id);
      if (!bc) continue;
      if (bc.cgo) {
        if (STATIC_OS.has(t.goos) && checkCommand(ctx, closure, names, buildConfig, pkg, t, add) === 'unsure') unsure.add(names.of(pkg));
      } else {
        checkDroppedCgo(ctx, closure, names, pkg, t, add);
      }
    }
  }

  if (unsure.size) {
    const list = [...unsure].sort();
    ctx.notify({
      level: 'note',
      id: 'cgo-net-linking-incomplete',
      message:
        `cgo-net-linking cannot tell whether ${list.length === 1 ? 'command' : `${list.length} commands`} ${list.join(', ')} link${list.length === 1 ? 's' : ''} the C library: ` +
        'some of their imports do not resolve (download the modules with `go mod download`, or vendor them)',
    });
  }

  const order = ctx.targets.map((t) => t.id);
  for (const p of pending.values()) {
    const targets = order.filter((id) => p.targets.includes(id));
    const d: Diagnostic = { ...p.d, ruleId: meta.id, message: p.message(targets), targets };
    if (p.suppressed !== undefined) ctx.reportSuppressed?.(d, p.suppressed);
    else ctx.report(d);
  }
}

type Add = (key: string, p: Omit<Pending, 'targets'>, target: string) => void;

/** Item 1 and 2: a main package that links libc on a target where cgo is on. */
function checkCommand(ctx: RuleContext, closure: Closure, names: Names, buildConfig: () => BuildConfig, pkg: Package, t: Target, add: Add): 'unsure' | void {
  const b = closure.runBuild(t);
  const files = pkg.files.filter((f) => b.builds(f));
  if (!files.some((f) => f.header.packageName === 'main')) return;
  const reach = closure.reach(pkg, b);
  if (reach.size === 0) return closure.isIncomplete(pkg, b) ? 'unsure' : undefined;

  // How the repository builds this command for this target.
  const recipes = buildConfig().recipes.filter((r) => recipeBuilds(r, pkg.dir, pkg.importPath) && recipeTargets(r, t.goos, t.goarch));
  const verdicts = recipes.map((r) => judge(closure, pkg, t, r));
  const dynamic = verdicts.filter((v): v is Dynamic => !v.static);
  const shown = dynamic[0]?.reach ?? reach;
  const first = shortest(shown);
  const start = first.hops[0];
  const span: Span = start ? specSpan(start.spec) : specSpan(first.cFile.header.imports.find((i) => i.path === 'C')!);
  const file = start ? start.file : first.cFile;

  const related: Location[] = [];
  for (const h of first.hops) related.push({ file: h.file.path, span: specSpan(h.spec), message: `${names.of(h.from)} imports "${h.spec.path}"` });
  const cSpec = first.cFile.header.imports.find((i) => i.path === 'C');
  if (cSpec) related.push({ file: first.cFile.path, span: specSpan(cSpec), message: `import "C": ${names.of(first.end)} has cgo code here` });
  const others = [...shown.values()].filter((c) => c !== first).sort((x, y) => x.hops.length - y.hops.length || names.of(x.end).localeCompare(names.of(y.end)));
  for (const o of others) {
    const h = o.hops[0];
    if (h) related.push({ file: h.file.path, span: specSpan(h.spec), message: `also reaches ${names.of(o.end)}: ${chainText(names, pkg, o)}` });
  }

  const chain = chainText(names, pkg, first);
  const what = WHAT_CGO[first.end.importPath] && first.end.origin === 'std' ? WHAT_CGO[first.end.importPath] : `cgo code: import "C" in ${first.cFile.name}`;
  const why = first.hops.length ? ` (${what})` : '';
  const also = others.length ? `; also ${others.map((o) => names.of(o.end)).join(', ')}` : '';
  const cures = curesFor(closure, names, pkg, t, shown);
  const cmd = names.of(pkg);

  if (recipes.length > 0 && dynamic.length === 0) {
    // Every build of the command in the repository links it statically: nothing to report.
    // Each build once, with what runs it when that is another file (a workflow, a Dockerfile).
    const evidence = [
      ...new Set(
        (verdicts as Static[]).map((v) => {
          const caller = v.recipe.via.find((e) => e.file !== v.recipe.at.file);
          return `${where(ctx, v.recipe.at)}${caller ? ` (run by ${where(ctx, caller)})` : ''}: ${v.why}`;
        }),
      ),
    ].join('; ');
    add(
      `s\0${pkg.dir}\0${chain}\0${evidence}`,
      {
        d: {
          file: file.path,
          span,
          related: [...related, ...recipes.map((r) => evidenceLocation(r.at, 'builds it static'))],
          properties: { kind: 'dynamic-link', command: pkg.importPath, chain: [names.of(pkg), ...first.hops.map((h) => names.of(h.to))] },
        },
        message: (targets) => `${cmd} would be dynamically linked against the C library with cgo on (${targets.join(', ')}): ${chain}${why}${also}; its builds link it statically`,
        suppressed: `built statically by the repository's build configuration: ${evidence}`,
      },
      t.id,
    );
    return;
  }

  let level: Level | undefined;
  let builds = '';
  let inImage = false;
  const rel = [...related];
  if (dynamic.length) {
    // The build that matters most: one certain to ship a dynamic binary in a minimal image.
    const imaged = dynamic.filter((v) => recipeImage(v.recipe, pkg.dir)).sort((a, b) => Number(a.uncertain) - Number(b.uncertain));
    const v = imaged[0] ?? dynamic[0];
    builds = `; ${where(ctx, v.recipe.at)} builds it with cgo on${v.why ? ` (${v.why})` : ''}`;
    const image = recipeImage(v.recipe, pkg.dir);
    if (image) {
      inImage = true;
      if (!v.uncertain) level = 'error';
      builds += ` and ${where(ctx, image.at)} puts it in ${image.name}, which has no C library for it to load, so it will not start there`;
      rel.push(evidenceLocation(image.at, `copies the binary into ${image.name}`));
    }
    if (dynamic.length > 1) builds += ` (and ${dynamic.length - 1} more build${dynamic.length > 2 ? 's' : ''} with cgo on)`;
    for (const d of dynamic) rel.push(evidenceLocation(d.recipe.at, 'builds it with cgo on'));
    for (const d of dynamic) for (const via of d.recipe.via) rel.push(evidenceLocation(via, 'runs that build'));
  }
  const hint = inImage ? '' : '; the binary will not start in scratch, distroless/static or busybox images, nor where glibc is older than on the build machine';
  add(
    `d\0${pkg.dir}\0${chain}\0${builds}\0${cures}`,
    {
      d: { file: file.path, span, related: rel, level, properties: { kind: 'dynamic-link', command: pkg.importPath, chain: [names.of(pkg), ...first.hops.map((h) => names.of(h.to))] } },
      message: (targets) => `${cmd} is dynamically linked against the C library when built with cgo on (${targets.join(', ')}): ${chain}${why}${also}${builds}${hint}. ${cures}`,
    },
    t.id,
  );
}

/** The cures that work for this command, decided on the headers: which tags remove every cgo package, whether cgo is the user's own. */
function curesFor(closure: Closure, names: Names, pkg: Package, t: Target, reach: Reach): string {
  const own = [...reach.values()].filter((c) => c.end.origin !== 'std');
  const parts: string[] = [];
  parts.push(own.length ? `Build it with CGO_ENABLED=0 if ${own.map((c) => names.of(c.end)).join(', ')} can do without cgo` : 'Build it with CGO_ENABLED=0');
  // The smallest set of pure-Go tags that leaves no cgo package in the closure.
  const subsets = [[PURE_GO_TAGS[0]], [PURE_GO_TAGS[1]], PURE_GO_TAGS];
  const tags = subsets.find((s) => closure.reach(pkg, closure.build(t, true, s)).size === 0);
  if (tags) parts.push(`-tags ${tags.join(',')}`);
  parts.push(`${STATIC_LDFLAGS} if it needs cgo`);
  return parts.length === 3 ? `${parts[0]}, or ${parts[1]}, or ${parts[2]}` : `${parts[0]}, or ${parts[1]}`;
}

interface Static {
  static: true;
  recipe: BuildRecipe;
  why: string;
}
interface Dynamic {
  static: false;
  recipe: BuildRecipe;
  why: string;
  reach: Reach;
  /** The build's cgo setting comes from something crossvet cannot see: no error on its account. */
  uncertain: boolean;
}

/** Whether one build of the command links it statically on the target, and why. */
function judge(closure: Closure, pkg: Package, t: Target, r: BuildRecipe): Static | Dynamic {
  const at = (e: Evidence) => `line ${e.line}`;
  if (r.race) return dynamicWith(closure.reach(pkg, closure.build(t, true, r.tags.map((x) => x.value))), r, '-race needs cgo');
  if (r.cgo && r.cgo.value === '0') return { static: true, recipe: r, why: `CGO_ENABLED=0 (${path.basename(r.cgo.at.file)} ${at(r.cgo.at)})` };
  if (r.cgo === undefined && r.noCompiler) return { static: true, recipe: r, why: `no C compiler in ${fromImage(r.noCompiler.text)}, so cgo is off` };
  const tags = r.tags.map((x) => x.value);
  const reach = closure.reach(pkg, closure.build(t, true, tags));
  if (reach.size === 0) return { static: true, recipe: r, why: `-tags ${tags.join(',')}` };
  const ld = r.ldflags.map((l) => l.value).join(' ');
  const extStatic = /-extldflags[= ]+(["']?)[^"']*-static\b/.test(ld) || /-extldflags[= ]+-static\b/.test(ld);
  const external = /-linkmode[= ]+(["']?)external/.test(ld);
  const forcesExternal = [...reach.values()].some((c) => !(c.end.origin === 'std' && INTERNAL_LINK_PKGS.has(c.end.importPath)));
  if (extStatic && (external || forcesExternal)) return { static: true, recipe: r, why: `-extldflags -static` };
  const notes: string[] = [];
  if (r.cgo === null) notes.push('CGO_ENABLED is set from a value crossvet cannot read');
  if (r.cgo === undefined && r.foreignBuilder) notes.push(`unless its builder image, ${fromImage(r.foreignBuilder.text)}, turns cgo off`);
  if (extStatic) notes.push('-extldflags "-static" is ignored without -linkmode external, since only standard packages use cgo');
  if (r.tagsUnknown) notes.push('its -tags come from a value crossvet cannot read');
  return dynamicWith(reach, r, notes.join('; '), r.cgo === null || (r.cgo === undefined && r.foreignBuilder !== undefined));
}

function dynamicWith(reach: Reach, r: BuildRecipe, why: string, uncertain = false): Dynamic {
  return { static: false, recipe: r, why, reach, uncertain };
}

/** Item 3: a package whose files that import "C" drop out on a target where cgo is off. */
function checkDroppedCgo(ctx: RuleContext, closure: Closure, names: Names, pkg: Package, t: Target, add: Add): void {
  if (pkg.origin !== 'scan') return;
  const off = closure.runBuild(t);
  const on = closure.build(t, true, []);
  const dropped = pkg.files.filter((f) => f.header.importsC && f.header.error === undefined && !off.builds(f) && on.builds(f));
  if (dropped.length === 0) return;
  // A file that builds only because cgo is off is the package's deliberate fallback.
  if (pkg.files.some((f) => off.builds(f) && !on.builds(f))) return;
  dropped.sort((a, b) => a.name.localeCompare(b.name));
  const left = pkg.files.filter((f) => off.builds(f)).length;
  const cSpec = (f: SourceFile) => f.header.imports.find((i) => i.path === 'C')!;
  const first = dropped[0];
  const files = dropped.length <= 3 ? dropped.map((f) => f.name).join(', ') : `${dropped.slice(0, 3).map((f) => f.name).join(', ')} and ${dropped.length - 3} more files`;
  const those = dropped.length === 1 ? 'the file drops' : 'these files drop';
  const consequence = left === 0 ? `package ${names.of(pkg)} has no other files there, so it does not build` : `what ${dropped.length === 1 ? 'it declares' : 'they declare'} is missing from the package there`;
  add(
    `c\0${pkg.dir}\0${dropped.map((f) => f.name).join(',')}\0${left === 0}`,
    {
      d: {
        file: first.path,
        span: specSpan(cSpec(first)),
        related: dropped.slice(1).map((f) => ({ file: f.path, span: specSpan(cSpec(f)), message: `${f.name} imports "C" too` })),
        properties: { kind: 'cgo-dropped', package: pkg.importPath, files: dropped.map((f) => f.path) },
      },
      message: (targets) =>
        `package ${names.of(pkg)} imports "C" in ${files}, but cgo is off on ${targets.join(', ')} (${whyOff(ctx, targets)}), so ${those} out of the build: ${consequence}. ` +
        `Add a //go:build !cgo file with a pure-Go fallback, or cross-compile with CGO_ENABLED=1 and a C cross-compiler (CC)`,
    },
    t.id,
  );
}

// ---------------------------------------------------------------------------
// Presentation.

/** Why cgo is off: the go command's default for a cross-compile, or the run's --cgo off. */
function whyOff(ctx: RuleContext, targets: string[]): string {
  return targets.every((id) => !ctx.targets.find((t) => t.id === id)?.cgoDefault) ? 'the default when cross-compiling' : 'as this run sets it';
}

/** Package names as people write them: module-relative for the scanned module, import paths elsewhere. */
class Names {
  private modulePath: string | undefined;

  constructor(ctx: RuleContext) {
    for (const p of ctx.packages) {
      const rel = path.relative(ctx.root, p.dir).split(path.sep).join('/');
      if (rel === '') this.modulePath = p.importPath;
      else if (p.importPath.endsWith('/' + rel)) this.modulePath = p.importPath.slice(0, -(rel.length + 1));
      if (this.modulePath) break;
    }
  }

  of(p: Package): string {
    const m = this.modulePath;
    if (m && (p.origin === 'scan' || p.origin === 'module') && p.importPath.startsWith(m + '/')) return p.importPath.slice(m.length + 1);
    return p.importPath;
  }
}

function chainText(names: Names, pkg: Package, c: Chain): string {
  if (c.hops.length === 0) return `${names.of(pkg)} imports "C" itself (${c.cFile.name})`;
  return [names.of(pkg), ...c.hops.map((h) => names.of(h.to))].join(' → ');
}

function shortest(reach: Reach): Chain {
  return [...reach.values()].sort((a, b) => a.hops.length - b.hops.length || a.end.importPath.localeCompare(b.end.importPath))[0];
}

function specSpan(spec: ImportSpec): Span {
  return { start: { line: spec.line, col: spec.col }, end: { line: spec.line, col: spec.endCol } };
}

function where(ctx: RuleContext, e: Evidence): string {
  const rel = path.relative(ctx.root, e.file).split(path.sep).join('/');
  return `${rel}:${e.line}`;
}

function evidenceLocation(e: Evidence, message: string): Location {
  return { file: e.file, span: { start: { line: e.line, col: 1 }, end: { line: e.line + 1, col: 1 } }, message: `${message}: ${e.text}` };
}

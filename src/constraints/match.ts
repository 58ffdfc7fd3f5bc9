// Whether one file builds in one build context: file name, build constraint, cgo,
// test files — the decision go/build's Import makes for `go build` and `go list`.
import portsFile from '../targets/ports.json';
import { goEnv, goMinor as minorOf } from '../goenv';
import { Target, UNIX_OS } from '../targets';
import { evalExpr, parse, ConstraintSyntaxError } from './expr';
import { FileHeader } from './header';
import { goodOSArchFile } from './suffix';

export interface BuildContext {
  target: Target;
  cgo: boolean;
  /** User build tags (-tags). */
  tags: string[];
  /** Release tags go1.1 .. go1.<goMinor> hold. */
  goMinor: number;
  compiler?: 'gc';
  /**
   * Enabled GOEXPERIMENTs (lower case, without "goexperiment."); when absent, the go
   * command's defaults for the target (see defaultExperiments).
   */
  experiments?: string[];
}

/** Go minor version of the toolchain on PATH, else the one the embedded port list came from. */
function defaultGoMinor(): number {
  return minorOf(goEnv()?.GOVERSION) ?? minorOf(portsFile.goVersion) ?? 26;
}

/** A build context for a target, as the go command would set it up; cgo 'auto' is the target's default. */
export function contextFor(
  target: Target,
  opts: { cgo?: 'auto' | 'on' | 'off'; tags?: string[]; goMinor?: number } = {},
): BuildContext {
  const cgo = opts.cgo ?? 'auto';
  return {
    target,
    // CGO_ENABLED=1 is honoured even where cgo is unsupported: go list then lists cgo files.
    cgo: cgo === 'on' ? true : cgo === 'off' ? false : target.cgoDefault,
    tags: [...(opts.tags ?? [])],
    goMinor: opts.goMinor ?? defaultGoMinor(),
    compiler: 'gc',
    experiments: defaultExperiments(target.goos, target.goarch, goEnv()?.GOEXPERIMENT ?? ''),
  };
}

// ---------------------------------------------------------------------------
// Tool tags: the architecture feature levels and the GOEXPERIMENT flags (internal/buildcfg).

/**
 * The experiments the go command enables for goos/goarch: Go 1.26's baseline
 * (internal/buildcfg.ParseGOEXPERIMENT) adjusted by a GOEXPERIMENT setting such as
 * `go env GOEXPERIMENT` prints. The differential test against `go list` checks this
 * table for every port; a newer Go release may change it.
 */
export function defaultExperiments(goos: string, goarch: string, goexperiment = ''): string[] {
  const regabiAlwaysOn = ['amd64', 'arm64', 'loong64', 'ppc64le', 'ppc64', 'riscv64'].includes(goarch);
  const regabiSupported = regabiAlwaysOn || goarch === 's390x';
  const on = new Set<string>();
  if (regabiSupported) on.add('regabiwrappers').add('regabiargs');
  // DWARF 5 is off where the platform's tools cannot read it.
  if (goos !== 'darwin' && goos !== 'ios' && goos !== 'aix') on.add('dwarf5');
  on.add('randomizedheapbase64').add('greenteagc');

  for (const item of goexperiment.split(',')) {
    if (item === '') continue;
    if (item === 'none') {
      on.clear();
      continue;
    }
    const enable = !item.startsWith('no');
    const name = enable ? item : item.slice(2);
    // "regabi" is an alias for both register-ABI experiments.
    for (const n of name === 'regabi' ? ['regabiwrappers', 'regabiargs'] : [name]) {
      if (enable) on.add(n);
      else on.delete(n);
    }
  }
  if (regabiAlwaysOn) on.add('regabiwrappers').add('regabiargs');
  if (!regabiSupported) {
    on.delete('regabiwrappers');
    on.delete('regabiargs');
  }
  // buildcfg lists experiments in the order of its flag struct; order does not matter for matching.
  return [...on];
}

/** The architecture feature tags (amd64.v2, arm.6, ...) that hold for the target's variant settings. */
export function archFeatureTags(target: Target): string[] {
  const arch = target.goarch;
  // Variant values may carry options (GOARM=6,softfloat; GOARM64=v8.1,lse): only the level counts.
  const level = (name: string, def: string) => (target.env[name] ?? def).split(',')[0];
  const range = (from: number, to: number, fmt: (i: number) => string) => {
    const out: string[] = [];
    for (let i = from; i <= to; i++) out.push(fmt(i));
    return out;
  };
  switch (arch) {
    case '386':
      return [`386.${level('GO386', 'sse2')}`];
    case 'amd64':
      return range(1, Number(level('GOAMD64', 'v1').slice(1)), (i) => `amd64.v${i}`);
    case 'arm':
      return range(5, Number(level('GOARM', '7').replace(/^v/, '')), (i) => `arm.${i}`);
    case 'arm64': {
      const v = level('GOARM64', 'v8.0');
      const major = Number(v[1]);
      const minor = Number(v[3]);
      const tags = range(0, minor, (i) => `arm64.v${major}.${i}`);
      // v9.x includes v8.(x+5).
      if (major === 9) tags.push(...range(0, Math.min(minor + 5, 9), (i) => `arm64.v8.${i}`));
      return tags;
    }
    case 'mips':
    case 'mipsle':
      return [`${arch}.${level('GOMIPS', 'hardfloat')}`];
    case 'mips64':
    case 'mips64le':
      return [`${arch}.${level('GOMIPS64', 'hardfloat')}`];
    case 'ppc64':
    case 'ppc64le':
      return range(8, Number(level('GOPPC64', 'power8').slice('power'.length)), (i) => `${arch}.power${i}`);
    case 'riscv64': {
      const year = Number(level('GORISCV64', 'rva20u64').slice(3, 5));
      return ['rva20u64', ...(year >= 22 ? ['rva22u64'] : []), ...(year >= 23 ? ['rva23u64'] : [])].map((p) => `riscv64.${p}`);
    }
    case 'wasm':
      return ['wasm.satconv', 'wasm.signext'];
    default:
      return [];
  }
}

/** Every tool tag the go command defines for the context (experiments first, as buildcfg lists them). */
export function toolTags(ctx: BuildContext): string[] {
  const exps = ctx.experiments ?? defaultExperiments(ctx.target.goos, ctx.target.goarch);
  return [...exps.map((e) => `goexperiment.${e}`), ...archFeatureTags(ctx.target)];
}

const toolTagCache = new WeakMap<BuildContext, Set<string>>();

function toolTagSet(ctx: BuildContext): Set<string> {
  let set = toolTagCache.get(ctx);
  if (!set) {
    set = new Set(toolTags(ctx));
    toolTagCache.set(ctx, set);
  }
  return set;
}

// ---------------------------------------------------------------------------
// Matching.

/** Whether a build tag holds in the context (go/build's Context.matchTag). */
export function matchTag(ctx: BuildContext, tag: string): boolean {
  const { goos, goarch } = ctx.target;
  if (tag === 'cgo' && ctx.cgo) return true;
  if (tag === goos || tag === goarch || tag === (ctx.compiler ?? 'gc')) return true;
  if (goos === 'android' && tag === 'linux') return true;
  if (goos === 'illumos' && tag === 'solaris') return true;
  if (goos === 'ios' && tag === 'darwin') return true;
  if (tag === 'unix' && UNIX_OS.has(goos)) return true;
  if (tag === 'boringcrypto') tag = 'goexperiment.boringcrypto'; // its old name
  if (ctx.tags.includes(tag) || toolTagSet(ctx).has(tag)) return true;
  // Release tags go1.1 .. go1.N, spelled exactly so ("go1.01" and "go1" are not release tags).
  const m = /^go1\.([1-9][0-9]*)$/.exec(tag);
  return m !== null && Number(m[1]) <= ctx.goMinor;
}

/**
 * Whether the file is one of the package's files for this context: what `go list` puts
 * in GoFiles, CgoFiles, TestGoFiles or XTestGoFiles (test files only with includeTests).
 * A file the go command reports as invalid without listing it (several //go:build
 * lines, an unparsable //go:build line, a NUL byte in its header) builds nowhere.
 */
export function fileBuilds(name: string, header: FileHeader, ctx: BuildContext, opts: { includeTests?: boolean } = {}): boolean {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  // Names starting with _ or . are not even considered (editors' and tools' scratch files).
  if (base.startsWith('_') || base.startsWith('.') || !base.endsWith('.go')) return false;
  const isTest = base.endsWith('_test.go');
  if (isTest && !opts.includeTests) return false;

  const ok = (tag: string) => matchTag(ctx, tag);
  if (!goodOSArchFile(base, ok)) return false;
  if (header.invalid !== undefined) return false;
  if (!constraintHolds(header, ok)) return false;

  // A package clause the parser could read, naming "documentation": ignored, by old convention.
  if (header.packageName === 'documentation') return false;
  // go/build sees no imports in a header it cannot parse; `import "C"` in a test file is
  // an error but the file stays a test file.
  if (header.importsC && header.error === undefined && !isTest && !ctx.cgo) return false;
  return true;
}

/** The file's build constraint: its //go:build line if any, else every +build line must hold. */
export function constraintHolds(header: FileHeader, ok: (tag: string) => boolean): boolean {
  if (header.goBuild) {
    // readHeader already rejected (as `invalid`) a //go:build line that does not parse.
    try {
      return evalExpr(parse(header.goBuild.text), ok);
    } catch (e) {
      if (e instanceof ConstraintSyntaxError) return false;
      throw e;
    }
  }
  let holds = true;
  for (const line of header.plusBuild) {
    // Evaluate every line (no early exit), so an `ok` that records tags sees them all.
    if (!evalExpr(parse(line.text), ok)) holds = false;
  }
  return holds;
}

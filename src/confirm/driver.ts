// The driver: for each target, warm the standard library once (`go build std`), then
// compile the packages and their tests with every error printed, then, where the
// alignment check asks for it, compile the generated assertions through -overlay.
//
// Compiling goes through `go list -e -export -deps -test -gcflags=all=-e -json=...`: it
// compiles exactly what `go build` and `go test` would compile (the packages, their test
// variants, their dependencies), without linking, and reports the compiler's errors per
// package in JSON, so an error is attributed to the package (and test variant) it is in.
// `go build` skips _test.go files and `go vet` stops at the first type error of a package.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Target } from '../targets';
import type { BuildContext } from '../constraints/match';
import { LIST_FIELDS, parseJsonStream, type ListedPackage } from './compiler';
import { runGoAsync } from './run';
import type { GoRun } from './types';

export interface DriverTarget {
  target: Target;
  context: BuildContext;
}

/** Files to add to packages for one target's assertion run. */
export interface Overlay {
  /** Absolute path of a (new) file in a package directory → its content. */
  files: Map<string, string>;
  /** The packages (import paths) to compile with the overlay. */
  packages: string[];
}

export interface TargetResult {
  target: Target;
  /** Packages of the compile run (scanned ones, test variants and dependencies). */
  packages: ListedPackage[];
  /** Packages of the assertion run, when there was one. */
  alignPackages?: ListedPackage[];
  /** Why the compile run gave no usable answer (timeout, go missing, unreadable output). */
  failure?: string;
  /** Why the assertion run gave no usable answer. */
  alignFailure?: string;
  /** go's own complaints on stderr that are not compiler errors (e.g. "matched no packages"). */
  stderr: string;
  runs: GoRun[];
  durationMs: number;
}

export type Phase = 'queued' | 'warm-std' | 'compile' | 'align' | 'done';

export interface DriverOptions {
  /** Directory the go command runs in: the module root. */
  cwd: string;
  /** Package patterns relative to cwd ("./...", "./internal/x") or import paths. */
  patterns: string[];
  tests: boolean;
  tags: string[];
  /** GOFLAGS for every run (the user's, with -mod=vendor added when vendor/ is used). */
  goflags: string;
  timeoutMs: number;
  /** Targets compiled at the same time; each go command itself runs compilers in parallel too. */
  parallel: number;
  /** The assertion overlay for a target, from what its compile run listed. */
  overlayFor?: (t: Target, packages: ListedPackage[]) => Overlay | undefined;
  onPhase?: (t: Target, phase: Phase, result?: TargetResult) => void;
}

/** The variables a target's runs set: the target's GOOS/GOARCH/variant, its cgo setting, GOFLAGS. */
export function targetEnv(dt: DriverTarget, goflags: string): Record<string, string> {
  return { ...dt.target.env, CGO_ENABLED: dt.context.cgo ? '1' : '0', GOFLAGS: goflags };
}

function tagsArgs(tags: string[]): string[] {
  return tags.length ? [`-tags=${tags.join(',')}`] : [];
}

/** Readable text for a failed run: its failure, else its exit status and the end of stderr. */
export function runProblem(run: GoRun, stderr: string): string {
  const tail = stderr.trim().split('\n').slice(-6).join('\n');
  if (run.failure) return `${run.failure}${tail ? `: ${tail}` : ''}`;
  return `exit status ${run.exitCode}${tail ? `: ${tail}` : ''}`;
}

async function runTarget(dt: DriverTarget, opts: DriverOptions): Promise<TargetResult> {
  const t0 = Date.now();
  const env = targetEnv(dt, opts.goflags);
  const base = { cwd: opts.cwd, env, timeoutMs: opts.timeoutMs, target: dt.target.id };
  const result: TargetResult = { target: dt.target, packages: [], stderr: '', runs: [], durationMs: 0 };
  const gcflags = '-gcflags=all=-e';
  const tags = tagsArgs(opts.tags);

  // Warm: the same flags as the compile run, so that its standard-library packages come from the cache.
  opts.onPhase?.(dt.target, 'warm-std');
  const warm = await runGoAsync(['build', gcflags, ...tags, 'std'], { ...base, purpose: 'warm-std' });
  result.runs.push(warm.run);
  if (warm.run.failure) {
    // No go command, or a timeout: the compile run would fail the same way.
    result.failure = `go build std: ${runProblem(warm.run, warm.stderr)}`;
    result.durationMs = Date.now() - t0;
    return result;
  }
  // A failing `go build std` (a cgo toolchain missing for the target) is not fatal: the
  // compile run reports per package what it could not build.

  opts.onPhase?.(dt.target, 'compile');
  const listArgs = ['list', '-e', '-export', '-deps', ...(opts.tests ? ['-test'] : []), gcflags, ...tags, `-json=${LIST_FIELDS.join(',')}`, ...opts.patterns];
  const compile = await runGoAsync(listArgs, { ...base, purpose: 'compile' });
  result.runs.push(compile.run);
  result.stderr = compile.stderr;
  if (compile.run.failure || compile.run.exitCode !== 0) {
    result.failure = `go list: ${runProblem(compile.run, compile.stderr)}`;
  } else {
    try {
      result.packages = parseJsonStream<ListedPackage>(compile.stdout);
    } catch (e) {
      result.failure = `go list: ${(e as Error).message}`;
    }
  }

  const overlay = result.failure ? undefined : opts.overlayFor?.(dt.target, result.packages);
  if (overlay && overlay.packages.length > 0) {
    opts.onPhase?.(dt.target, 'align');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-overlay-'));
    try {
      const replace: Record<string, string> = {};
      let i = 0;
      for (const [file, text] of overlay.files) {
        const tmp = path.join(dir, `${i++}-${path.basename(file)}`);
        fs.writeFileSync(tmp, text);
        replace[file] = tmp;
      }
      // The compiler names a replaced file by its replacement's path: name it as the package sees it.
      const unmap = (s: string) => Object.entries(replace).reduce((acc, [file, tmp]) => acc.split(tmp).join(file), s);
      const overlayJson = path.join(dir, 'overlay.json');
      fs.writeFileSync(overlayJson, JSON.stringify({ Replace: replace }));
      // The assertions live in _test.go files, so that they see a package's test-only types too.
      const args = ['list', '-e', '-export', '-test', gcflags, ...tags, `-overlay=${overlayJson}`, `-json=${LIST_FIELDS.join(',')}`, ...overlay.packages];
      const align = await runGoAsync(args, { ...base, purpose: 'align' });
      result.runs.push(align.run);
      if (align.run.failure || align.run.exitCode !== 0) {
        result.alignFailure = `go list -overlay: ${runProblem(align.run, align.stderr)}`;
      } else {
        try {
          result.alignPackages = parseJsonStream<ListedPackage>(align.stdout);
          for (const p of result.alignPackages) {
            if (p.Error) p.Error.Err = unmap(p.Error.Err);
            for (const e of p.DepsErrors ?? []) e.Err = unmap(e.Err);
          }
        } catch (e) {
          result.alignFailure = `go list -overlay: ${(e as Error).message}`;
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  result.durationMs = Date.now() - t0;
  return result;
}

/** Runs every target, `parallel` at a time; results come back in the order of `targets`. */
export async function drive(targets: DriverTarget[], opts: DriverOptions): Promise<TargetResult[]> {
  const results: TargetResult[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      const r = await runTarget(targets[i], opts);
      results[i] = r;
      opts.onPhase?.(targets[i].target, 'done', r);
    }
  };
  const n = Math.max(1, Math.min(opts.parallel, targets.length));
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}

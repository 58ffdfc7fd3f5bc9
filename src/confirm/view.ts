// What one target's compile run showed, in the terms the matcher needs: which files were
// compiled and type-checked, which were left out by their build constraints, which could
// not be compiled (a dependency failed, a syntax error stopped the compiler), and every
// positioned compiler error once.
import * as path from 'node:path';
import { isSyntaxError, parseCompilerOutput, type ListError, type ListedPackage } from './compiler';
import type { CompilerError } from './types';

export type UnitStatus = 'clean' | 'checked' | 'blocked';

/** One compiled package variant ("p", "p [p.test]", "p_test [p.test]"). */
export interface Unit {
  pkg: ListedPackage;
  /** Import path without the test-variant suffix. */
  path: string;
  /** Absolute paths of the Go files compiled in this unit. */
  files: string[];
  status: UnitStatus;
  /** Why the unit is blocked. */
  reason?: string;
  errors: CompilerError[];
  /** A load error of the package itself (no compiler output): a missing import, files excluded, ... */
  loadError?: ListError;
}

export type FileState =
  | { state: 'checked'; unit: Unit }
  | { state: 'excluded'; reason: string }
  | { state: 'blocked'; reason: string }
  | { state: 'absent'; reason: string };

export const EXCLUDED_ALL = /build constraints exclude all Go files/;

export function stripVariant(importPath: string): string {
  return importPath.replace(/ \[.*\]$/, '');
}

function errorKey(e: CompilerError): string {
  return `${e.file}\0${e.line}\0${e.col ?? ''}\0${e.message}`;
}

export class TargetView {
  readonly units: Unit[] = [];
  /** Every positioned compiler error of the run, each once. */
  readonly errors: CompilerError[] = [];
  private readonly byFile = new Map<string, Unit[]>();
  private readonly dirs = new Map<string, Unit[]>();

  constructor(
    packages: ListedPackage[],
    cwd: string,
    private readonly tests = true,
  ) {
    const seen = new Set<string>();
    for (const pkg of packages) {
      // The generated test main ("p.test") has no source of the user's.
      if (pkg.Name === 'main' && pkg.ImportPath.endsWith('.test') && !pkg.ForTest) continue;
      const dir = pkg.Dir ?? '';
      const files = [...(pkg.GoFiles ?? []), ...(pkg.CgoFiles ?? [])].map((f) => (path.isAbsolute(f) ? f : path.join(dir, f)));
      const unit: Unit = { pkg, path: stripVariant(pkg.ImportPath), files, status: 'clean', errors: [] };
      const err = pkg.Error;
      if (err && err.Err.startsWith('# ')) {
        // Compiler output: the package was compiled; a syntax error means it was not type-checked.
        const parsed = parseCompilerOutput(err.Err, cwd);
        unit.errors = parsed.errors;
        if (parsed.errors.length === 0) {
          unit.status = 'blocked';
          unit.reason = parsed.other.filter((l) => !l.startsWith('# ')).join('\n') || err.Err.trim();
        } else if (parsed.errors.some(isSyntaxError)) {
          unit.status = 'blocked';
          unit.reason = `syntax errors stopped the compiler before type checking: ${parsed.errors.find(isSyntaxError)!.message}`;
        } else {
          unit.status = 'checked';
        }
      } else if (err) {
        unit.status = 'blocked';
        unit.loadError = err;
        unit.reason = err.Err.trim();
      } else if (pkg.DepsErrors?.length) {
        unit.status = 'blocked';
        unit.reason = `a dependency did not build: ${firstLine(pkg.DepsErrors[0].Err)}`;
      }
      for (const e of unit.errors) {
        const k = errorKey(e);
        if (seen.has(k)) continue;
        seen.add(k);
        this.errors.push(e);
      }
      this.units.push(unit);
      for (const f of files) this.byFile.set(f, [...(this.byFile.get(f) ?? []), unit]);
      if (dir) this.dirs.set(dir, [...(this.dirs.get(dir) ?? []), unit]);
    }
  }

  /** Whether `file` was compiled and type-checked on this target, and if not, why. */
  fileState(file: string): FileState {
    const units = this.byFile.get(file);
    if (units?.length) {
      const checked = units.find((u) => u.status !== 'blocked');
      if (checked) return { state: 'checked', unit: checked };
      return { state: 'blocked', reason: units[0].reason ?? 'the package did not compile' };
    }
    const inDir = this.dirs.get(path.dirname(file));
    if (!inDir?.length) return { state: 'absent', reason: 'its package was not compiled in this run' };
    const excludedAll = inDir.find((u) => u.loadError && EXCLUDED_ALL.test(u.loadError.Err));
    if (excludedAll) return { state: 'excluded', reason: 'build constraints exclude all Go files of its package' };
    const plain = inDir.find((u) => !u.pkg.ForTest);
    if (plain?.pkg.IgnoredGoFiles?.includes(path.basename(file))) return { state: 'excluded', reason: `its build constraints exclude ${path.basename(file)}` };
    if (!this.tests && /_test\.go$/.test(file)) return { state: 'excluded', reason: 'test files are not compiled in this run' };
    if (plain?.loadError) return { state: 'blocked', reason: plain.reason ?? 'the package could not be loaded' };
    return { state: 'excluded', reason: `${path.basename(file)} is not part of its package's build` };
  }

  /** Whether some unit of the run has `file` among the files it compiles (whatever became of the compile). */
  compiles(file: string): boolean {
    return (this.byFile.get(file)?.length ?? 0) > 0;
  }

  errorsIn(file: string): CompilerError[] {
    return this.errors.filter((e) => e.file === file);
  }
}

export function firstLine(s: string): string {
  return s.trim().split('\n').find((l) => l.trim() !== '' && !l.startsWith('# ')) ?? s.trim();
}

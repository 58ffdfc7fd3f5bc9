// The package model the rules read: files with their headers and per-target build sets,
// packages, and target classes (targets whose file sets are identical, analysed once).
import type { Target } from '../targets';
import type { FileHeader } from '../constraints/header';

export type Origin = 'scan' | 'vendor' | 'module' | 'modcache' | 'std';

export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the scanned root, with forward slashes. */
  rel: string;
  /** Base name ("x_linux.go"). */
  name: string;
  /** Absolute directory (the package). */
  dir: string;
  header: FileHeader;
  isTest: boolean;
  /** Ids of the run's targets on which this file is part of its package's build. */
  builds: Set<string>;
}

export interface Package {
  dir: string;
  importPath: string;
  origin: Origin;
  files: SourceFile[];
}

export interface TargetClass {
  /** Stable key: the sorted list of files that build, hashed. */
  key: string;
  targets: Target[];
  /** Files that build for every target of the class, by package dir. */
  files: Map<string, SourceFile[]>;
}

// The data of the confirm stage: the go commands it runs, what the compiler said per
// target, and the verdict it attaches to each finding (SARIF result.properties.confirmation).
import type { Span } from '../types';

/** One run of the go command, as SARIF's invocation lists it. */
export interface GoRun {
  /** What the run was for: warming the standard library, compiling the packages, the alignment assertions, a native link. */
  purpose: 'warm-std' | 'compile' | 'align' | 'link' | 'list';
  /** Target id; absent for native runs that use the user's own environment. */
  target?: string;
  /** argv[0] is the go command. */
  args: string[];
  /** The variables crossvet set on top of the user's environment. */
  env: Record<string, string>;
  cwd: string;
  /** Exit status; null when the process did not exit by itself (timeout, signal, spawn failure). */
  exitCode: number | null;
  startTime: Date;
  durationMs: number;
  timedOut: boolean;
  /** Set when the command could not be started or was killed. */
  failure?: string;
}

/** A position the compiler names in a continuation line ("other declaration of x"). */
export interface CompilerNote {
  file: string;
  line: number;
  col?: number;
  message: string;
}

/**
 * One error of the compiler, or of the go command about an import (a package with no files
 * for the target, a dependency that does not compile), placed at the import.
 */
export interface CompilerError {
  /** Absolute path. */
  file: string;
  line: number;
  /** 1-based byte column as the compiler counts it; undefined for `file:line: msg`. */
  col?: number;
  /** The exact span in UTF-16 columns, when crossvet knows it (an import path). */
  span?: Span;
  /** First line of the message. */
  message: string;
  /** Positions of the continuation lines. */
  notes?: CompilerNote[];
  /** Extra data for the cross-build-error result (the import chain, the failing dependency). */
  properties?: Record<string, unknown>;
}

export type ConfirmStatus = 'confirmed' | 'refuted' | 'unknown';

/** Verdict on one target. */
export interface TargetVerdict {
  status: ConfirmStatus;
  /** The compiler's message (confirmed), or why it could not be decided (unknown), or what the build showed (refuted). */
  message: string;
}

/**
 * What result.properties.confirmation holds: the overall status and the targets that
 * support it, the compiler's message, and the status on each target the finding concerns.
 */
export interface Confirmation {
  status: ConfirmStatus;
  targets: string[];
  message: string;
  byTarget: Record<string, TargetVerdict>;
}

export type ConfirmMode = 'findings' | 'all';

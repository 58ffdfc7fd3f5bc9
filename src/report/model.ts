// What the report stage receives: the findings of a run, already checked and merged, and
// the facts about the run that SARIF's invocation object and the summaries need.
import type { Diagnostic, Level, Notification, RuleMeta } from '../types';

export interface Finding extends Diagnostic {
  /** The effective level: the diagnostic's own, else its rule's default (possibly reconfigured). */
  level: Level;
  suppressed?: { kind: 'inSource' | 'external'; justification: string };
  /** Set only when the run compared against a baseline; 'absent' = fixed since the baseline. */
  baselineState?: 'new' | 'unchanged' | 'updated' | 'absent';
  /**
   * Absent findings: the primaryLocationLineHash the baseline recorded. Their place is in
   * the file as it was, so the current file gives neither their fingerprint nor a snippet.
   */
  lineHash?: string;
}

export interface ReportInput {
  /** Absolute scanned root: URIs are relative to it with uriBaseId %SRCROOT%. */
  root: string;
  /** From package.json. */
  toolVersion: string;
  /** The rules of the run (SARIF tool.driver.rules; ruleIndex points into it). */
  rules: RuleMeta[];
  /** Already merged across targets (Diagnostic.targets lists them). */
  findings: Finding[];
  notifications: Notification[];
  /** Target ids of the run, in the run's order. */
  targets: string[];
  invocation: {
    commandLine: string;
    arguments: string[];
    workingDirectory: string;
    startTime: Date;
    endTime: Date;
    exitCode: number;
    executionSuccessful: boolean;
    /** Processes the run started (the go commands of --confirm), in the order they started. */
    subprocesses?: Subprocess[];
  };
  /** For fingerprints and snippets; the default reads the file as UTF-8 (undefined when unreadable). */
  readSource?: (file: string) => string | undefined;
}

/** One process a run started: what it was for, its command line and environment additions, how it ended. */
export interface Subprocess {
  description: string;
  arguments: string[];
  /** Variables set on top of the user's environment. */
  environment: Record<string, string>;
  workingDirectory: string;
  startTime: Date;
  durationMs: number;
  /** null when the process did not exit by itself (timeout, signal, failure to start). */
  exitCode: number | null;
  failure?: string;
}

/** Whether a finding counts as a current problem: not suppressed and not fixed since the baseline. */
export function isActive(f: Finding): boolean {
  return !f.suppressed && f.baselineState !== 'absent';
}

export interface Summary {
  error: number;
  warning: number;
  note: number;
  /** Suppressed findings (in source or externally); not counted in the levels above. */
  suppressed: number;
  /** Findings of the baseline that are gone; not counted in the levels above. */
  absent: number;
}

/** Counts per level of the active findings, plus the suppressed and fixed ones. */
export function summarize(findings: readonly Finding[]): Summary {
  const s: Summary = { error: 0, warning: 0, note: 0, suppressed: 0, absent: 0 };
  for (const f of findings) {
    if (f.suppressed) s.suppressed++;
    else if (f.baselineState === 'absent') s.absent++;
    else s[f.level]++;
  }
  return s;
}

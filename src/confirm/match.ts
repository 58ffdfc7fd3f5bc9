// Matching findings with what the compiler said on each target. A finding is confirmed on
// a target when the compiler reports, in the finding's file on a line of its span, an error
// that carries the finding's meaning (meaning.ts); refuted when the target type-checked the
// file (or left it out of the build) without such an error; unknown when the file could not
// be type-checked there. Every compiler error a finding explains is remembered, so that the
// rest can become cross-build-error results.
import type { Diagnostic } from '../types';
import type { CompilerError, TargetVerdict } from './types';
import { RECOGNIZERS, predictsCompileError } from './meaning';
import { textOf, utf16Col, lineOf } from './position';
import type { TargetView } from './view';

export interface IndexedFinding {
  index: number;
  diag: Diagnostic;
  /** The targets the finding concerns (all of the run's when the diagnostic lists none). */
  targets: string[];
}

/** A target's compile run: its view, or why there is none. */
export type TargetOutcome = { view: TargetView } | { failure: string };

export function errorKey(e: CompilerError): string {
  return `${e.file}\0${e.line}\0${e.col ?? ''}\0${e.message}`;
}

export interface MatchResult {
  verdicts: Map<number, Map<string, TargetVerdict>>;
  /** Keys (errorKey) of the compiler errors some finding explains, per target. */
  explained: Map<string, Set<string>>;
}

/** Whether a rule's findings are judged by compiling. */
export function judgedByCompiler(ruleId: string): boolean {
  return ruleId in RECOGNIZERS;
}

/**
 * Judges every finding of a compile-judged rule on each of its targets. `source` gives
 * file text (for the finding's span text and for byte → UTF-16 columns).
 */
export function matchFindings(findings: IndexedFinding[], outcomes: Map<string, TargetOutcome>, source: (file: string) => string | undefined): MatchResult {
  const verdicts = new Map<number, Map<string, TargetVerdict>>();
  const explained = new Map<string, Set<string>>();
  for (const f of findings) {
    const recognize = RECOGNIZERS[f.diag.ruleId];
    if (!recognize) continue;
    const text = source(f.diag.file);
    const spanText = textOf(text, f.diag.span);
    const m = new Map<string, TargetVerdict>();
    verdicts.set(f.index, m);
    for (const t of f.targets) {
      const o = outcomes.get(t);
      if (!o) continue;
      if ('failure' in o) {
        m.set(t, { status: 'unknown', message: `the build for ${t} did not run to the end: ${o.failure}` });
        continue;
      }
      const candidates = o.view
        .errorsIn(f.diag.file)
        .filter((e) => e.line >= f.diag.span.start.line && e.line <= f.diag.span.end.line)
        .filter((e) => recognize({ finding: f.diag, spanText, error: e }));
      if (candidates.length > 0) {
        // Several findings on one line: the error nearest the finding's start column is its own.
        const col = (e: CompilerError) => e.span?.start.col ?? (e.col === undefined ? 0 : utf16Col(lineOf(text, e.line) ?? '', e.col));
        candidates.sort((a, b) => Math.abs(col(a) - f.diag.span.start.col) - Math.abs(col(b) - f.diag.span.start.col));
        const best = candidates[0];
        m.set(t, { status: 'confirmed', message: best.message });
        let set = explained.get(t);
        if (!set) explained.set(t, (set = new Set()));
        // Every matching error on the finding's lines is its: one undefined name can be reported at each use.
        for (const e of candidates) set.add(errorKey(e));
        continue;
      }
      const st = o.view.fileState(f.diag.file);
      const claims = predictsCompileError(f.diag.ruleId);
      if (st.state === 'checked') {
        m.set(t, claims ? { status: 'refuted', message: `${t} type-checks this code without such an error` } : { status: 'unknown', message: `the compiler reports nothing here on ${t}; ${f.diag.ruleId} findings are not compile errors` });
      } else if (st.state === 'excluded') {
        m.set(t, claims ? { status: 'refuted', message: `not compiled for ${t}: ${st.reason}` } : { status: 'unknown', message: `not compiled for ${t}: ${st.reason}` });
      } else {
        m.set(t, { status: 'unknown', message: `not type-checked for ${t}: ${st.reason}` });
      }
    }
  }
  return { verdicts, explained };
}

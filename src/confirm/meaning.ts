// Whether a compiler error says what a finding says. The location is checked by the
// matcher (same file, a line of the finding's span); here each rule that predicts compile
// errors says which of the compiler's messages carry its meaning. Table-driven: a rule
// without an entry is not judged by compiling (atomic-alignment and cgo-net-linking have
// checks of their own; see alignment.ts and linking.ts).
import type { Diagnostic } from '../types';
import type { CompilerError } from './types';

export interface MeaningInput {
  finding: Diagnostic;
  /** The source text the finding's span covers (empty when the file is unreadable). */
  spanText: string;
  error: CompilerError;
}

type Recognizer = (x: MeaningInput) => boolean;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The identifier a finding is about: a `symbol`/`name` property, else the last identifier of its span. */
export function findingName(f: Diagnostic, spanText: string): string | undefined {
  for (const k of ['symbol', 'name', 'field']) {
    const v = f.properties?.[k];
    if (typeof v === 'string' && v) return v.split('.').pop();
  }
  const ids = spanText.match(/[\p{L}_][\p{L}\p{Nd}_]*/gu);
  return ids?.[ids.length - 1];
}

/** A missing identifier, field or method, or a use of one with the wrong type on this target. */
const missingOrMistyped: Recognizer = ({ finding, spanText, error }) => {
  const name = findingName(finding, spanText);
  if (!name) return false;
  const n = escapeRe(name);
  const word = new RegExp(`(^|[^\\p{L}\\p{Nd}_])${n}([^\\p{L}\\p{Nd}_]|$)`, 'u');
  if (!word.test(error.message)) return false;
  return [
    /\bundefined\b/, // undefined: x, x.f undefined (type T has no field or method f)
    /\bnot declared by package\b/,
    /\bunknown field\b/,
    /\bhas no field or method\b/,
    /\bmismatched types\b/,
    /\bcannot use\b/,
    /\bcannot convert\b/,
    /\binvalid operation\b/,
    /\b(not enough|too many) (arguments|return values)\b/,
    /\bassignment mismatch\b/,
    // Two declarations of the name build for the target (platform-symbol, kind redeclared).
    /\bredeclared in this block\b/,
    /\balready declared\b/,
    /\bcannot assign\b/,
    // An import of a package with no files for the target (the go command's words).
    /\bbuild constraints exclude all Go files\b/,
  ].some((re) => re.test(error.message));
};

/** A constant that does not fit the target's int, uint or uintptr. */
const overflow: Recognizer = ({ error }) =>
  [/\boverflows\b/, /\binvalid array length\b/, /\bcannot convert .*\bconstant\b/, /\btruncated\b/, /\barray length .* too large\b/, /\bmust be non-negative\b/, /\bout of bounds\b/].some((re) =>
    re.test(error.message),
  );

/** Build-constraint lines the compiler itself rejects. */
const constraintLine: Recognizer = ({ error }) => /go:build|\+build|build constraint|compiler directive/.test(error.message);

export const RECOGNIZERS: Record<string, Recognizer> = {
  'platform-symbol': missingOrMistyped,
  'syscall-portability': missingOrMistyped,
  'int-overflow-32bit': overflow,
  'build-constraint-syntax': constraintLine,
};

/** Rules whose findings claim that the code does not compile on their targets. */
export function predictsCompileError(ruleId: string): boolean {
  return ruleId === 'platform-symbol' || ruleId === 'syscall-portability' || ruleId === 'int-overflow-32bit';
}

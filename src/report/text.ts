// The human format: one line per finding in the style compilers use
// (`path:line:col: level: message [rule-id] (targets)`), then notifications, then a summary.
import type { Level, Location } from '../types';
import { isActive, summarize, type Finding, type ReportInput } from './model';
import { relPath } from './paths';
import { sortFindings, sortNotifications } from './sort';

export interface TextOptions {
  /** ANSI colour; callers decide (TTY, NO_COLOR, --color). */
  color: boolean;
  /** Also show suppressed and fixed findings, related locations and fix descriptions. */
  verbose?: boolean;
}

const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
};

type Style = keyof typeof ANSI;

const LEVEL_STYLE: Record<Level, Style> = { error: 'red', warning: 'yellow', note: 'cyan' };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Continuation lines of a multi-line message are indented so each finding stays one block. */
function indentMessage(message: string): string {
  return message.replace(/\r\n|\r|\n/g, '\n    ');
}

export function formatText(input: ReportInput, opts: TextOptions): string {
  const paint = (style: Style, s: string) => (opts.color ? `${ANSI[style]}${s}${ANSI.reset}` : s);
  const level = (l: Level) => paint(LEVEL_STYLE[l], `${l}:`);
  const where = (file: string, line: number, col: number) => paint('bold', `${relPath(input.root, file)}:${line}:${col}:`);
  const lines: string[] = [];

  const related = (r: Location) => {
    const msg = r.message ? ` ${indentMessage(r.message)}` : '';
    lines.push(`    ${where(r.file, r.span.start.line, r.span.start.col)} ${level('note')}${msg}`);
  };

  const finding = (f: Finding) => {
    let line = `${where(f.file, f.span.start.line, f.span.start.col)} ${level(f.level)} ${indentMessage(f.message)} ${paint('dim', `[${f.ruleId}]`)}`;
    if (f.targets.length > 0) line += ` (${f.targets.join(', ')})`;
    if (opts.verbose) {
      if (f.suppressed) line += paint('dim', ` (suppressed ${f.suppressed.kind}: ${f.suppressed.justification || 'no justification'})`);
      if (f.baselineState) line += paint('dim', ` (baseline: ${f.baselineState})`);
    }
    lines.push(line);
    if (opts.verbose) {
      for (const r of f.related ?? []) related(r);
      for (const fix of f.fixes ?? []) lines.push(`    ${paint('dim', 'fix:')} ${indentMessage(fix.description)}`);
    }
  };

  for (const f of sortFindings(input.findings, input.root)) {
    if (opts.verbose || isActive(f)) finding(f);
  }

  for (const n of sortNotifications(input.notifications, input.root)) {
    let at = '';
    if (n.file !== undefined) {
      at = n.span ? `${where(n.file, n.span.start.line, n.span.start.col)} ` : `${paint('bold', `${relPath(input.root, n.file)}:`)} `;
    }
    lines.push(`crossvet: ${level(n.level)} ${at}${indentMessage(n.message)} ${paint('dim', `[${n.id}]`)}`);
  }

  const s = summarize(input.findings);
  // Only non-zero counts are coloured, so the eye goes to what is there.
  const count = (l: Level) => (s[l] > 0 ? paint(LEVEL_STYLE[l], plural(s[l], l)) : plural(s[l], l));
  let summary = `crossvet: ${count('error')}, ${count('warning')}, ${count('note')}`;
  if (s.suppressed > 0) summary += `, ${s.suppressed} suppressed`;
  if (s.absent > 0) summary += `, ${s.absent} fixed since the baseline`;
  lines.push(summary);
  return lines.join('\n') + '\n';
}

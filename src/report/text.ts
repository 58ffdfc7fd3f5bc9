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

interface Verdict {
  status: string;
  targets: string[];
  message: string;
}

/** The --confirm verdict of a finding (properties.confirmation), if it has one. */
function confirmationOf(f: Finding): { status: string; byTarget: Record<string, Verdict> } | undefined {
  const c = f.properties?.confirmation as { status?: unknown; byTarget?: unknown } | undefined;
  if (!c || typeof c.status !== 'string' || !c.byTarget || typeof c.byTarget !== 'object') return undefined;
  return c as { status: string; byTarget: Record<string, Verdict> };
}

/**
 * One line under a finding: each verdict with its targets and the compiler's words
 * ("confirmed on linux/386: …; refuted on linux/arm64: builds cleanly").
 */
function confirmationLine(f: Finding): { status: string; text: string } | undefined {
  const c = confirmationOf(f);
  // A cross-build-error is the compiler's own error; its verdict would repeat the message.
  if (!c || f.ruleId === 'cross-build-error') return undefined;
  const groups = new Map<string, { status: string; message: string; targets: string[] }>();
  for (const [target, v] of Object.entries(c.byTarget)) {
    const key = `${v.status}\0${v.message}`;
    const g = groups.get(key) ?? { status: v.status, message: v.message, targets: [] };
    g.targets.push(target);
    groups.set(key, g);
  }
  const order = ['confirmed', 'refuted', 'unknown'];
  const parts = [...groups.values()]
    .sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status))
    .map((g) => `${g.status} on ${g.targets.join(', ')}${g.message ? `: ${g.message.replace(/\s*\n\s*/g, ' ')}` : ''}`);
  return { status: c.status, text: parts.length ? parts.join('; ') : c.status };
}

function countConfirmations(findings: Finding[]): string | undefined {
  const n: Record<string, number> = {};
  for (const f of findings) {
    const c = confirmationOf(f);
    if (c) n[c.status] = (n[c.status] ?? 0) + 1;
  }
  const parts = ['confirmed', 'refuted', 'unknown'].filter((k) => n[k]).map((k) => `${n[k]} ${k}`);
  return parts.length ? parts.join(', ') : undefined;
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
    const verdict = confirmationLine(f);
    if (verdict) lines.push(`    ${paint(verdict.status === 'confirmed' ? 'bold' : 'dim', verdict.text)}`);
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
  const verdicts = countConfirmations(input.findings.filter(isActive));
  if (verdicts) summary += `; --confirm: ${verdicts}`;
  lines.push(summary);
  return lines.join('\n') + '\n';
}

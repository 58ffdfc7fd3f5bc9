// GitHub Actions workflow commands (`::error file=…,line=…::message`): a job that runs
// crossvet gets annotations on the pull request's diff without uploading SARIF.
import type { Level, Span } from '../types';
import { isActive, type ReportInput } from './model';
import { relPath } from './paths';
import { sortFindings, sortNotifications } from './sort';

const COMMAND: Record<Level, string> = { error: 'error', warning: 'warning', note: 'notice' };

/** A command's message: '%', CR and LF are escaped so the command stays on one line. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: as escapeData, plus ':' and ',' which delimit the properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * Position properties for a span. Lines and columns are inclusive here: a span that ends
 * at column 1 of a later line ends on the line before, and endColumn is the last column
 * covered. Columns are only sent when the annotation stays on one line, as the Actions
 * toolkit requires.
 */
function position(span: Span): [string, number][] {
  let endLine = span.end.line;
  if (span.end.col === 1 && endLine > span.start.line) endLine--;
  const props: [string, number][] = [['line', span.start.line]];
  if (endLine === span.start.line) {
    props.push(['col', span.start.col], ['endLine', endLine], ['endColumn', Math.max(span.start.col, span.end.col - 1)]);
  } else {
    props.push(['endLine', endLine]);
  }
  return props;
}

function command(level: Level, props: [string, string | number][], message: string): string {
  const list = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  return `::${COMMAND[level]}${list ? ' ' + list : ''}::${escapeData(message)}`;
}

/** One workflow command per active finding, then one per notification. */
export function formatGithub(input: ReportInput): string {
  const lines: string[] = [];
  for (const f of sortFindings(input.findings, input.root)) {
    if (!isActive(f)) continue;
    const message = f.targets.length > 0 ? `${f.message} (${f.targets.join(', ')})` : f.message;
    lines.push(
      command(f.level, [['file', relPath(input.root, f.file)], ...position(f.span), ['title', `crossvet ${f.ruleId}`]], message),
    );
  }
  for (const n of sortNotifications(input.notifications, input.root)) {
    const props: [string, string | number][] = [];
    if (n.file !== undefined) {
      props.push(['file', relPath(input.root, n.file)]);
      if (n.span) props.push(...position(n.span));
    }
    props.push(['title', `crossvet ${n.id}`]);
    lines.push(command(n.level, props, n.message));
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}

// The baseline file: the findings a project has accepted for now, one entry per finding,
// as JSON sorted by path, line and rule so that a regenerated baseline diffs cleanly.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../errors';
import type { Level, Span } from '../types';
import type { Finding } from '../report/model';
import { keyOf, LineHasher, type FindingKey } from './fingerprint';

export const BASELINE_VERSION = 1;

export interface BaselineEntry extends FindingKey {
  /** The original message and place, to report the finding as fixed ('absent') later. */
  text: string;
  level: Level;
  span: Span;
  targets: string[];
}

export interface Baseline {
  version: number;
  toolVersion: string;
  /** The targets of the run that wrote it: findings of other targets cannot be in it. */
  targets: string[];
  findings: BaselineEntry[];
}

export function entriesOf(findings: readonly Finding[], root: string, hasher = new LineHasher()): BaselineEntry[] {
  return findings
    .filter((f) => !f.suppressed && f.baselineState !== 'absent')
    .map((f) => ({ ...keyOf(f, root, hasher), text: f.message, level: f.level, span: f.span, targets: [...f.targets] }))
    .sort(
      (a, b) =>
        cmp(a.path, b.path) || a.span.start.line - b.span.start.line || a.span.start.col - b.span.start.col || cmp(a.ruleId, b.ruleId) || cmp(a.text, b.text),
    );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function formatBaseline(b: Baseline): string {
  // One finding per line keeps reviews of a baseline change readable.
  const head = JSON.stringify({ version: b.version, toolVersion: b.toolVersion, targets: b.targets });
  const lines = b.findings.map((e) =>
    JSON.stringify({ ruleId: e.ruleId, path: e.path, lineHash: e.lineHash, message: e.message, text: e.text, level: e.level, span: e.span, targets: e.targets }),
  );
  return `${head.slice(0, -1)},\n"findings": [${lines.length ? `\n${lines.join(',\n')}\n` : ''}]}\n`;
}

export function writeBaseline(file: string, b: Baseline): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, formatBaseline(b));
  } catch (e) {
    throw new ConfigError(`cannot write baseline ${file}: ${(e as Error).message}`);
  }
}

/** Reads a baseline; a damaged file is a configuration error, never silently an empty baseline. */
export function readBaseline(file: string, shown = file): Baseline {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read baseline ${shown}: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`baseline ${shown} is not valid JSON: ${(e as Error).message}`);
  }
  const bad = (what: string): never => {
    throw new ConfigError(`baseline ${shown}: ${what}; delete the file to write a new baseline`);
  };
  const o = data as Partial<Baseline>;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) bad('not a crossvet baseline (expected a JSON object)');
  if (o.version !== BASELINE_VERSION) bad(`version ${JSON.stringify(o.version)} is not supported (this crossvet reads version ${BASELINE_VERSION})`);
  if (!Array.isArray(o.findings)) bad('"findings" must be a list');
  o.findings!.forEach((e, i) => {
    const ok =
      typeof e === 'object' &&
      e !== null &&
      typeof e.ruleId === 'string' &&
      typeof e.path === 'string' &&
      typeof e.lineHash === 'string' &&
      typeof e.message === 'string' &&
      typeof e.text === 'string' &&
      (e.level === 'error' || e.level === 'warning' || e.level === 'note') &&
      validSpan(e.span) &&
      Array.isArray(e.targets) &&
      e.targets.every((t) => typeof t === 'string');
    if (!ok) bad(`finding ${i + 1} is malformed`);
  });
  return { version: o.version!, toolVersion: String(o.toolVersion ?? ''), targets: Array.isArray(o.targets) ? o.targets.map(String) : [], findings: o.findings! };
}

function validSpan(s: unknown): s is Span {
  const pos = (p: unknown) => typeof p === 'object' && p !== null && Number.isInteger((p as { line: unknown }).line) && Number.isInteger((p as { col: unknown }).col) && (p as { line: number }).line >= 1 && (p as { col: number }).col >= 1;
  return typeof s === 'object' && s !== null && pos((s as Span).start) && pos((s as Span).end);
}

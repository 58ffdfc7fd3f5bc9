// The JSON format: a stable shape for scripts (documented in docs/output-json.md). Every
// key is always present (null or [] when empty) and keys come in a fixed order, so the
// output of two runs on the same code is byte-identical and diffs cleanly.
import type { Location, Notification, Span } from '../types';
import { summarize, type Finding, type ReportInput } from './model';
import { relPath } from './paths';
import { sortFindings, sortKeys, sortNotifications } from './sort';

/** Bumped when a key is removed or changes meaning; adding keys does not bump it. */
export const JSON_FORMAT_VERSION = 1;

function span(s: Span) {
  return { start: { line: s.start.line, col: s.start.col }, end: { line: s.end.line, col: s.end.col } };
}

export function formatJson(input: ReportInput): string {
  const rel = (file: string) => relPath(input.root, file);
  const location = (l: Location) => ({ file: rel(l.file), span: span(l.span), message: l.message ?? null });
  const finding = (f: Finding) => ({
    ruleId: f.ruleId,
    level: f.level,
    file: rel(f.file),
    span: span(f.span),
    message: f.message,
    targets: [...f.targets],
    related: (f.related ?? []).map(location),
    fixes: (f.fixes ?? []).map((fix) => ({
      description: fix.description,
      edits: fix.edits.map((e) => ({ file: rel(e.file), span: span(e.span), text: e.text })),
    })),
    suppressed: f.suppressed ? { kind: f.suppressed.kind, justification: f.suppressed.justification } : null,
    baselineState: f.baselineState ?? null,
    properties: sortKeys(f.properties ?? {}),
  });
  const notification = (n: Notification) => ({
    id: n.id,
    level: n.level,
    message: n.message,
    file: n.file === undefined ? null : rel(n.file),
    span: n.span ? span(n.span) : null,
  });
  const doc = {
    version: JSON_FORMAT_VERSION,
    tool: { name: 'crossvet', version: input.toolVersion },
    root: input.root,
    targets: [...input.targets],
    findings: sortFindings(input.findings, input.root).map(finding),
    notifications: sortNotifications(input.notifications, input.root).map(notification),
    summary: summarize(input.findings),
    exitCode: input.invocation.exitCode,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

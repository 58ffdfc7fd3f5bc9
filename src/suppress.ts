// In-source suppressions: `//crossvet:ignore rule-id[,rule-id] reason` on the line of a
// finding or on the line above it. The reason is required, so that a reader of the code
// learns why; a directive without one, naming an unknown rule, or matching no finding is
// reported as a notification rather than silently accepted.
import type { Diagnostic, Notification } from './types';

export interface Directive {
  file: string;
  line: number;
  col: number;
  endCol: number;
  rules: string[];
  reason: string;
  used: boolean;
}

const DIRECTIVE = /\/\/\s*crossvet:ignore\b(.*)$/;

/** Directives in one file's text. Malformed ones become notifications. */
export function parseDirectives(file: string, text: string, knownRules: Set<string>, notes: Notification[]): Directive[] {
  const out: Directive[] = [];
  if (!text.includes('crossvet:ignore')) return out;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i]);
    if (!m) continue;
    const col = m.index + 1;
    const endCol = lines[i].length + 1;
    const span = { start: { line: i + 1, col }, end: { line: i + 1, col: endCol } };
    const rest = m[1].trim();
    const [ruleList = '', ...reasonWords] = rest.split(/\s+/);
    const rules = ruleList.split(',').map((r) => r.trim()).filter(Boolean);
    const reason = reasonWords.join(' ').trim();
    if (rules.length === 0) {
      notes.push({ level: 'warning', id: 'bad-suppression', file, span, message: 'crossvet:ignore needs a rule id and a reason: //crossvet:ignore rule-id reason' });
      continue;
    }
    const unknown = rules.filter((r) => !knownRules.has(r));
    if (unknown.length) {
      notes.push({ level: 'warning', id: 'bad-suppression', file, span, message: `crossvet:ignore names unknown rule ${unknown.map((r) => `"${r}"`).join(', ')}` });
    }
    if (!reason) {
      notes.push({ level: 'warning', id: 'bad-suppression', file, span, message: `crossvet:ignore ${rules.join(',')} has no reason; it is not applied until one is given` });
      continue;
    }
    out.push({ file, line: i + 1, col, endCol, rules, reason, used: false });
  }
  return out;
}

export interface Suppressed {
  diagnostic: Diagnostic;
  justification: string;
}

/**
 * Split diagnostics into kept and suppressed. A directive on line L covers findings that
 * start on L (a trailing comment) or on L+1 (a comment on the line above).
 */
export function applySuppressions(diags: Diagnostic[], directives: Directive[]): { kept: Diagnostic[]; suppressed: Suppressed[] } {
  const byFile = new Map<string, Directive[]>();
  for (const d of directives) {
    const list = byFile.get(d.file) ?? [];
    list.push(d);
    byFile.set(d.file, list);
  }
  const kept: Diagnostic[] = [];
  const suppressed: Suppressed[] = [];
  for (const diag of diags) {
    const line = diag.span.start.line;
    const hit = (byFile.get(diag.file) ?? []).find((d) => d.rules.includes(diag.ruleId) && (d.line === line || d.line === line - 1));
    if (hit) {
      hit.used = true;
      suppressed.push({ diagnostic: diag, justification: hit.reason });
    } else {
      kept.push(diag);
    }
  }
  return { kept, suppressed };
}

export function unusedDirectiveNotes(directives: Directive[]): Notification[] {
  return directives
    .filter((d) => !d.used)
    .map((d) => ({
      level: 'warning' as const,
      id: 'unused-suppression',
      file: d.file,
      span: { start: { line: d.line, col: d.col }, end: { line: d.line, col: d.endCol } },
      message: `crossvet:ignore ${d.rules.join(',')} matches no finding on this line or the next; remove it`,
    }));
}

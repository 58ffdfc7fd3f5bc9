// From crossvet's data to the Language Server Protocol's: spans (1-based lines, 1-based
// UTF-16 columns, end exclusive) become ranges (0-based lines, 0-based UTF-16 characters,
// end exclusive), levels become severities, edits become workspace edits.
import { pathToFileURL } from 'node:url';
import {
  DiagnosticSeverity,
  type Diagnostic as LspDiagnostic,
  type DiagnosticRelatedInformation,
  type Range,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Edit, Level, Notification, Span } from '../types';
import type { Finding } from '../report/model';
import { ruleHelpUri } from '../report/sarif';

export const SOURCE = 'crossvet';

export function toRange(span: Span): Range {
  return {
    start: { line: Math.max(span.start.line - 1, 0), character: Math.max(span.start.col - 1, 0) },
    end: { line: Math.max(span.end.line - 1, 0), character: Math.max(span.end.col - 1, 0) },
  };
}

export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

const SEVERITY: Record<Level, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  note: DiagnosticSeverity.Information,
};

/** How files are named to the client: the URI it opened the file by, else a file: URL. */
export type UriOf = (file: string) => string;

export const fileUri: UriOf = (file) => pathToFileURL(file).href;

export function findingToDiagnostic(f: Finding, uriOf: UriOf): LspDiagnostic {
  const d: LspDiagnostic = {
    range: toRange(f.span),
    severity: SEVERITY[f.level],
    source: SOURCE,
    code: f.ruleId,
    codeDescription: { href: ruleHelpUri(f.ruleId) },
    message: f.message,
  };
  const related: DiagnosticRelatedInformation[] = (f.related ?? []).map((r) => ({
    location: { uri: uriOf(r.file), range: toRange(r.span) },
    message: r.message ?? '',
  }));
  if (related.length) d.relatedInformation = related;
  return d;
}

/** A notification about a place in a file (a malformed or unused suppression, an unresolved import). */
export function notificationToDiagnostic(n: Notification & { span: Span }): LspDiagnostic {
  return { range: toRange(n.span), severity: SEVERITY[n.level], source: SOURCE, code: n.id, message: n.message };
}

export interface EditTarget {
  uriOf: UriOf;
  /** The version of the buffer the edits were computed on; null for a file that was not open. */
  versionOf(file: string): number | null;
  /** Whether the client takes `documentChanges` (versioned edits it can refuse when stale). */
  documentChanges: boolean;
}

export function toWorkspaceEdit(edits: Edit[], target: EditTarget): WorkspaceEdit {
  const byFile = new Map<string, TextEdit[]>();
  for (const e of edits) {
    const list = byFile.get(e.file) ?? [];
    list.push({ range: toRange(e.span), newText: e.text });
    byFile.set(e.file, list);
  }
  if (target.documentChanges) {
    const documentChanges: TextDocumentEdit[] = [...byFile].map(([file, list]) => ({
      textDocument: { uri: target.uriOf(file), version: target.versionOf(file) },
      edits: list,
    }));
    return { documentChanges };
  }
  const changes: Record<string, TextEdit[]> = {};
  for (const [file, list] of byFile) changes[target.uriOf(file)] = list;
  return { changes };
}

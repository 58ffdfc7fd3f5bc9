// Quick fixes for crossvet's diagnostics: the fixes a rule attached to its finding, plus the
// ones generated here from what the finding says (switch to a typed atomic, use the unix
// replacement), plus a suppression comment for any finding.
import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import type { Fix } from '../types';
import type { Finding } from '../report/model';
import { sameRange, SOURCE, toRange, toWorkspaceEdit, type EditTarget } from './convert';
import { textOf, type PackageRun } from './analyzer';
import { int64FieldAt, isReplacement, suppressionEdit, switchToAtomicType, useReplacement } from './goedit';
import { SourceText, sameSpan } from './text';

/** What a generated suppression says until the user gives the real reason (a directive without one is not applied). */
export const SUPPRESSION_REASON = 'TODO: say why this is safe';

export interface ActionRequest {
  run: PackageRun;
  /** The file the actions are asked for. */
  file: string;
  /** The diagnostics the client sent in the request's context. */
  diagnostics: LspDiagnostic[];
  /** The kinds the client asked for; undefined: all. */
  only?: string[];
  target: EditTarget;
  /** Log why a generated fix was not offered. */
  log?: (message: string) => void;
}

/** The finding a client's diagnostic stands for, matched by rule, range and message. */
export function findingFor(run: PackageRun, file: string, d: LspDiagnostic): Finding | undefined {
  // Some clients drop fields they did not display when they send diagnostics back.
  if (d.source !== undefined && d.source !== SOURCE) return undefined;
  return run.findings.find((f) => f.file === file && f.ruleId === d.code && f.message === d.message && sameRange(toRange(f.span), d.range));
}

export function codeActions(req: ActionRequest): CodeAction[] {
  if (req.only && !req.only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`) || k === CodeActionKind.Empty)) return [];
  const out: CodeAction[] = [];
  const action = (title: string, fix: Fix, d: LspDiagnostic, preferred = false): CodeAction => {
    const a: CodeAction = { title, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: toWorkspaceEdit(fix.edits, req.target) };
    if (preferred) a.isPreferred = true;
    return a;
  };
  for (const d of req.diagnostics) {
    const f = findingFor(req.run, req.file, d);
    if (!f) continue;
    // The rule's own fixes, the first one preferred.
    (f.fixes ?? []).forEach((fix, i) => out.push(action(fix.description, fix, d, i === 0)));
    if (f.ruleId === 'atomic-alignment') {
      const sw = atomicSwitch(req, f);
      if (sw) out.push(action(sw.description, sw, d, !(f.fixes ?? []).length));
    }
    if (f.ruleId === 'syscall-portability' && isReplacement(f.properties?.replacement)) {
      const text = textOf(req.run, f.file);
      const r = text === undefined ? { reason: 'the file cannot be read' } : useReplacement(f.file, text, f.span, f.properties.replacement);
      if ('fix' in r) out.push(action(r.fix.description, r.fix, d, true));
      else req.log?.(`crossvet: no replacement fix at ${f.file}:${f.span.start.line}: ${r.reason}`);
    }
    const text = textOf(req.run, f.file);
    if (text !== undefined) {
      const edit = suppressionEdit(f.file, new SourceText(text), f.span.start.line, f.ruleId, SUPPRESSION_REASON);
      if (edit) out.push(action(`Suppress ${f.ruleId} here (//crossvet:ignore)`, { description: '', edits: [edit] }, d));
    }
  }
  return out;
}

/** The switch to atomic.Int64/Uint64 for an access finding whose related location is an int64 or uint64 field. */
function atomicSwitch(req: ActionRequest, f: Finding): Fix | undefined {
  const run = req.run;
  const field = (f.related ?? []).find((r) => {
    const text = textOf(run, r.file);
    return text !== undefined && int64FieldAt(new SourceText(text), r.span) !== undefined;
  });
  if (!field) return undefined;
  // Every flagged access to the same field is rewritten with it, so the package still compiles.
  const calls = run.findings
    .filter((g) => g.ruleId === 'atomic-alignment' && (g.related ?? []).some((r) => r.file === field.file && sameSpan(r.span, field.span)))
    .map((g) => ({ file: g.file, span: g.span }));
  const r = switchToAtomicType({ field: { file: field.file, span: field.span }, calls, packageFiles: run.files, text: (p) => textOf(run, p), goMinor: run.goMinor });
  if ('reason' in r) {
    req.log?.(`crossvet: no atomic type fix at ${f.file}:${f.span.start.line}: ${r.reason}`);
    return undefined;
  }
  return r.fix;
}

// Quick fixes for crossvet's diagnostics: the fixes a rule attached to its finding, plus the
// ones generated here from what the finding says (switch to a typed atomic, use the unix
// replacement), plus a suppression comment for any finding.
//
// The unix replacement changes which package the file imports, so before it is offered the
// package is analysed again with the fix applied (ActionRequest.verify): it is offered when
// nothing new is found, offered with a warning in its title when golang.org/x/sys/unix does
// not resolve from the module yet, and left out when the fixed code would still fail.
import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import type { Fix } from '../types';
import type { Finding } from '../report/model';
import { sameRange, SOURCE, toRange, toWorkspaceEdit, type EditTarget } from './convert';
import { textOf, type PackageRun } from './analyzer';
import { int64FieldAt, isReplacement, suppressionEdit, switchToAtomicType, useReplacement, type Replacement } from './goedit';
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
  /**
   * The package analysed again with `file` holding `text`: how a fix that changes imports is
   * checked before it is offered. Absent: such fixes are offered as computed.
   */
  verify?: (file: string, text: string) => Promise<PackageRun>;
}

/** The finding a client's diagnostic stands for, matched by rule, range and message. */
export function findingFor(run: PackageRun, file: string, d: LspDiagnostic): Finding | undefined {
  // Some clients drop fields they did not display when they send diagnostics back.
  if (d.source !== undefined && d.source !== SOURCE) return undefined;
  return run.findings.find((f) => f.file === file && f.ruleId === d.code && f.message === d.message && sameRange(toRange(f.span), d.range));
}

export async function codeActions(req: ActionRequest): Promise<CodeAction[]> {
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
      const r = await replacementFix(req, f, f.properties.replacement);
      if ('fix' in r) out.push(action(r.fix.description, r.fix, d, r.preferred));
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

/** Findings by what they say (rule, message, targets), counted: positions move when imports change. */
function census(findings: Finding[], file: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) {
    if (f.file !== file) continue;
    const k = `${f.ruleId}\0${f.message}\0${f.targets.join(',')}`;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

/** What to tell the user when the replacement's package does not resolve from the module. */
function unresolvedNote(rep: Replacement, message: string): string | undefined {
  if (/no go\.mod found/.test(message)) return undefined;
  if (/vendor/.test(message)) return `vendor it first: go get ${rep.importPath} && go mod vendor`;
  if (/not downloaded/.test(message)) return `download it first: go mod download`;
  return `add it to go.mod first: go get ${rep.importPath}`;
}

/** Verified results by run and finding: a client asks again every time the cursor comes back. */
const verified = new WeakMap<PackageRun, Map<Finding, Promise<{ fix: Fix; preferred: boolean } | { reason: string }>>>();

function replacementFix(req: ActionRequest, f: Finding, rep: Replacement): Promise<{ fix: Fix; preferred: boolean } | { reason: string }> {
  let byFinding = verified.get(req.run);
  if (!byFinding) verified.set(req.run, (byFinding = new Map()));
  let p = byFinding.get(f);
  if (!p) {
    p = computeReplacementFix(req, f, rep);
    byFinding.set(f, p);
  }
  return p;
}

async function computeReplacementFix(req: ActionRequest, f: Finding, rep: Replacement): Promise<{ fix: Fix; preferred: boolean } | { reason: string }> {
  const text = textOf(req.run, f.file);
  if (text === undefined) return { reason: 'the file cannot be read' };
  const r = useReplacement(f.file, text, f.span, rep);
  if (!('fix' in r)) return r;
  if (!req.verify) return { fix: r.fix, preferred: true };
  const fixed = applyEdits(text, r.fix.edits.filter((e) => e.file === f.file));
  let after: PackageRun;
  try {
    after = await req.verify(f.file, fixed);
  } catch (e) {
    return { reason: `the package cannot be analysed with the fix applied: ${(e as Error).message}` };
  }
  const unresolved = [...after.placed, ...after.general].find((n) => n.id === 'unresolved-import' && n.message.includes(JSON.stringify(rep.importPath)));
  if (unresolved) {
    const note = unresolvedNote(rep, unresolved.message);
    if (!note) return { reason: unresolved.message };
    return { fix: { ...r.fix, description: `${r.fix.description} (${note})` }, preferred: false };
  }
  // Nothing may be found with the fix that was not found without it (the fixed finding aside).
  const before = census(req.run.findings.filter((g) => g !== f), f.file);
  const added: string[] = [];
  for (const g of after.findings) {
    if (g.file !== f.file) continue;
    const k = `${g.ruleId}\0${g.message}\0${g.targets.join(',')}`;
    const n = before.get(k) ?? 0;
    if (n > 0) before.set(k, n - 1);
    else added.push(g.message);
  }
  if (added.length) return { reason: `with the fix applied: ${added.join(' / ')}` };
  return { fix: r.fix, preferred: true };
}

/** Apply crossvet edits (1-based lines, UTF-16 columns) to a text. */
export function applyEdits(text: string, edits: Fix['edits']): string {
  const src = new SourceText(text);
  const sorted = [...edits].sort((a, b) => src.offset(b.span.start) - src.offset(a.span.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, src.offset(e.span.start)) + e.text + out.slice(src.offset(e.span.end));
  return out;
}

// SARIF 2.1.0 for code scanning (GitHub) and SARIF viewers; the contract is in DESIGN.md,
// "Contracts". One run; results in the order of sortFindings; rules sorted by id.
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type * as sarif from 'sarif';
import type { Edit, Level, Location, Notification, RuleMeta, Span } from '../types';
import { lineHashes } from './fingerprint';
import { markdownToText } from './markdown';
import type { Finding, ReportInput, Subprocess } from './model';
import { relPath } from './paths';
import { sortFindings, sortKeys, sortNotifications } from './sort';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/crossvet/crossvet';
export const SRCROOT = '%SRCROOT%';

export function ruleHelpUri(id: string): string {
  return `${INFORMATION_URI}/blob/main/docs/rules/${encodeURIComponent(id)}.md`;
}

/** The values GitHub code scanning reads from a rule's `problem.severity` property. */
const PROBLEM_SEVERITY: Record<Level, string> = { error: 'error', warning: 'warning', note: 'recommendation' };

/** A report input that SARIF cannot express (a span that is not a range of 1-based positions). */
export class SarifInputError extends Error {}

/** A file URI for a directory, always ending in '/', as originalUriBaseIds requires. */
function directoryUri(dir: string): string {
  const href = pathToFileURL(path.resolve(dir)).href;
  return href.endsWith('/') ? href : href + '/';
}

function readSourceDefault(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function checkSpan(span: Span, what: string): void {
  const ok = (n: number) => Number.isInteger(n) && n >= 1;
  const { start, end } = span;
  if (!ok(start.line) || !ok(start.col) || !ok(end.line) || !ok(end.col) ||
      end.line < start.line || (end.line === start.line && end.col < start.col)) {
    throw new SarifInputError(
      `cannot write SARIF: ${what} has an invalid span ${start.line}:${start.col}-${end.line}:${end.col} ` +
        '(lines and columns are 1-based and the end must not precede the start)',
    );
  }
}

function pascalCase(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

function ruleDescriptor(r: RuleMeta): sarif.ReportingDescriptor {
  return {
    id: r.id,
    name: r.name,
    shortDescription: { text: r.shortDescription },
    fullDescription: { text: r.fullDescription },
    help: { text: markdownToText(r.helpMarkdown), markdown: r.helpMarkdown },
    helpUri: ruleHelpUri(r.id),
    defaultConfiguration: { level: r.defaultLevel },
    properties: {
      tags: [...r.tags],
      precision: r.precision,
      'problem.severity': PROBLEM_SEVERITY[r.defaultLevel],
    },
  };
}

/**
 * A finding of a rule the run does not list (e.g. a compiler error added by the confirm
 * stage) still gets a descriptor, so that every result has a valid ruleIndex.
 */
function unknownRuleDescriptor(id: string): sarif.ReportingDescriptor {
  const helpUri = ruleHelpUri(id);
  // GitHub code scanning rejects a descriptor without fullDescription and help.
  return {
    id,
    name: pascalCase(id) || id,
    shortDescription: { text: id },
    fullDescription: { text: `Findings of ${id}, a rule this run does not describe.` },
    help: { text: `See ${helpUri}`, markdown: `See [${id}](${helpUri}).` },
    helpUri,
  };
}

export function toSarif(input: ReportInput): sarif.Log {
  const readSource = input.readSource ?? readSourceDefault;
  const sources = new Map<string, string | undefined>();
  const hashes = new Map<string, string[] | undefined>();
  const source = (file: string) => {
    if (!sources.has(file)) sources.set(file, readSource(file));
    return sources.get(file);
  };
  const hashOf = (file: string, line: number) => {
    if (!hashes.has(file)) {
      const text = source(file);
      hashes.set(file, text === undefined ? undefined : lineHashes(text));
    }
    return hashes.get(file)?.[line - 1];
  };

  const artifactLocation = (file: string): sarif.ArtifactLocation => {
    const rel = relPath(input.root, file);
    // A file on another drive (Windows) cannot be relative to the root.
    if (path.isAbsolute(rel)) return { uri: pathToFileURL(file).href };
    return { uri: rel.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  };

  // The region's text, when the file is readable and the span lies inside it. Lines are
  // split at '\n' as the parser counts them; columns are UTF-16 code units, like JS strings.
  const snippet = (file: string, span: Span): string | undefined => {
    const text = source(file);
    if (text === undefined) return undefined;
    const lines = text.split('\n');
    const startLine = lines[span.start.line - 1];
    const endLine = lines[span.end.line - 1];
    if (startLine === undefined || endLine === undefined) return undefined;
    if (span.start.col - 1 > startLine.length || span.end.col - 1 > endLine.length) return undefined;
    if (span.start.line === span.end.line) return startLine.slice(span.start.col - 1, span.end.col - 1);
    return [
      startLine.slice(span.start.col - 1),
      ...lines.slice(span.start.line, span.end.line - 1),
      endLine.slice(0, span.end.col - 1),
    ].join('\n');
  };

  const region = (span: Span, file?: string): sarif.Region => {
    const r: sarif.Region = {
      startLine: span.start.line,
      startColumn: span.start.col,
      endLine: span.end.line,
      endColumn: span.end.col,
    };
    if (file !== undefined) {
      const text = snippet(file, span);
      if (text !== undefined) r.snippet = { text };
    }
    return r;
  };

  const location = (loc: Location, what: string, id?: number): sarif.Location => {
    checkSpan(loc.span, what);
    const out: sarif.Location = {};
    if (id !== undefined) out.id = id;
    out.physicalLocation = { artifactLocation: artifactLocation(loc.file), region: region(loc.span, loc.file) };
    if (loc.message) out.message = { text: loc.message };
    return out;
  };

  // Edits grouped by file in order of first appearance; within a file, the fix's own order.
  const artifactChanges = (edits: Edit[], what: string): sarif.ArtifactChange[] => {
    const byFile = new Map<string, Edit[]>();
    for (const e of edits) {
      checkSpan(e.span, what);
      const list = byFile.get(e.file) ?? [];
      list.push(e);
      byFile.set(e.file, list);
    }
    return [...byFile].map(([file, list]) => ({
      artifactLocation: artifactLocation(file),
      replacements: list.map((e) => ({ deletedRegion: region(e.span), insertedContent: { text: e.text } })),
    }));
  };

  // Rules: the run's rules by id (first wins on a duplicate id), then any the findings use.
  const byId = new Map<string, sarif.ReportingDescriptor>();
  for (const r of input.rules) if (!byId.has(r.id)) byId.set(r.id, ruleDescriptor(r));
  for (const f of input.findings) if (!byId.has(f.ruleId)) byId.set(f.ruleId, unknownRuleDescriptor(f.ruleId));
  const rules = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));

  const result = (f: Finding): sarif.Result => {
    const what = `a ${f.ruleId} finding in ${relPath(input.root, f.file)}`;
    const r: sarif.Result = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId),
      level: f.level,
      message: { text: f.message },
      locations: [location({ file: f.file, span: f.span }, what)],
    };
    if (f.baselineState === 'absent') {
      // The place is in the file as it was when the baseline was written: no current snippet.
      delete r.locations![0].physicalLocation!.region!.snippet;
    }
    if (f.related && f.related.length > 0) {
      r.relatedLocations = f.related.map((l, i) => location(l, `a related location of ${what}`, i + 1));
    }
    const hash = f.baselineState === 'absent' ? f.lineHash : hashOf(f.file, f.span.start.line);
    if (hash !== undefined) r.partialFingerprints = { primaryLocationLineHash: hash };
    if (f.fixes && f.fixes.length > 0) {
      r.fixes = f.fixes.map((fix) => ({
        description: { text: fix.description },
        artifactChanges: artifactChanges(fix.edits, `a fix of ${what}`),
      }));
    }
    if (f.suppressed) {
      const s: sarif.Suppression = { kind: f.suppressed.kind, status: 'accepted' };
      if (f.suppressed.justification) s.justification = f.suppressed.justification;
      r.suppressions = [s];
    }
    if (f.baselineState) r.baselineState = f.baselineState;
    r.properties = sortKeys({ ...(f.properties ?? {}), targets: [...f.targets] }) as sarif.PropertyBag;
    return r;
  };

  const notification = (n: Notification): sarif.Notification => {
    const out: sarif.Notification = { descriptor: { id: n.id }, level: n.level, message: { text: n.message } };
    if (n.file !== undefined) {
      const what = `the ${n.id} notification for ${relPath(input.root, n.file)}`;
      if (n.span) checkSpan(n.span, what);
      const physical: sarif.PhysicalLocation = { artifactLocation: artifactLocation(n.file) };
      if (n.span) physical.region = region(n.span);
      out.locations = [{ physicalLocation: physical }];
    }
    return out;
  };

  // SARIF's invocation describes crossvet itself; the processes it started go in its property
  // bag, each with the invocation object's own property names.
  const subprocess = (p: Subprocess) => ({
    description: p.description,
    commandLine: p.arguments.map((a) => (/[\s"'$]/.test(a) ? JSON.stringify(a) : a)).join(' '),
    arguments: [...p.arguments],
    environmentVariables: { ...p.environment },
    workingDirectory: { uri: directoryUri(p.workingDirectory) },
    startTimeUtc: p.startTime.toISOString(),
    endTimeUtc: new Date(p.startTime.getTime() + p.durationMs).toISOString(),
    durationMs: p.durationMs,
    exitCode: p.exitCode,
    executionSuccessful: p.exitCode === 0 && !p.failure,
    ...(p.failure ? { failure: p.failure } : {}),
  });

  const inv = input.invocation;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'crossvet',
            semanticVersion: input.toolVersion,
            informationUri: INFORMATION_URI,
            rules,
          },
        },
        invocations: [
          {
            commandLine: inv.commandLine,
            arguments: [...inv.arguments],
            startTimeUtc: inv.startTime.toISOString(),
            endTimeUtc: inv.endTime.toISOString(),
            exitCode: inv.exitCode,
            executionSuccessful: inv.executionSuccessful,
            workingDirectory: { uri: directoryUri(inv.workingDirectory) },
            toolExecutionNotifications: sortNotifications(input.notifications, input.root).map(notification),
            ...(inv.subprocesses?.length ? { properties: { subprocesses: inv.subprocesses.map(subprocess) } } : {}),
          },
        ],
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(input.root) } },
        columnKind: 'utf16CodeUnits',
        results: sortFindings(input.findings, input.root).map(result),
        properties: { targets: [...input.targets] },
      },
    ],
  };
}

/** The SARIF log as the file crossvet writes: two-space indented JSON and a final newline. */
export function formatSarif(input: ReportInput): string {
  return JSON.stringify(toSarif(input), null, 2) + '\n';
}

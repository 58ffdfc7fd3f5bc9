// The compile errors no finding explains, as cross-build-error results; and the go
// command's problems that are not about the code (a missing module, the standard library
// not building for a target), as notifications.
//
// Before matching, problems the go command reports about imports are placed at the import,
// in a scanned file, that leads to them (attributeImports), so that findings can explain
// them and the user sees them where the fix goes:
// - an imported package that has no files for the target (build constraints exclude all
//   its Go files), and C files in a package built without cgo;
// - a dependency that does not compile for the target, with the dependency's error as a
//   related location.
import * as path from 'node:path';
import type { Diagnostic, Location, Notification, Span } from '../types';
import type { SourceFile } from '../model/types';
import { orderTargets } from '../report/sort';
import { parsePos, type ListError } from './compiler';
import { errorKey, type TargetOutcome } from './match';
import { spanAt } from './position';
import type { CompilerError } from './types';
import { EXCLUDED_ALL, firstLine, stripVariant, type TargetView, type Unit } from './view';

export const CROSS_BUILD_ERROR = 'cross-build-error';

/** Load errors that depend on the target: an import whose package has no files for it, C files without cgo. */
const TARGET_DEPENDENT = [EXCLUDED_ALL, /C source files not allowed when not using cgo/];

export interface Attribution {
  /** Errors placed in scanned files (already added to the view's errors). */
  added: CompilerError[];
  notifications: { id: string; level: Notification['level']; text: string }[];
}

/** Import sites of `importPath` in the scanned files a unit compiles, in name order. */
function importSite(u: Unit, importPath: string, files: Map<string, SourceFile>): { file: string; span: Span } | undefined {
  for (const f of u.files.filter((x) => files.has(x)).sort()) {
    const imp = files.get(f)!.header.imports.find((i) => i.path === importPath);
    if (imp) return { file: f, span: { start: { line: imp.line, col: imp.col }, end: { line: imp.line, col: imp.endCol } } };
  }
  return undefined;
}

/** Paths inside the scanned root shown relative to it, so messages do not depend on the checkout's location. */
function relativize(text: string, root: string): string {
  return text.split(root + path.sep).join('').split(root).join('.');
}

/**
 * Places a target's import problems at the imports of the scanned packages and adds them to
 * the view's errors; returns what is not about the scanned code as notifications.
 */
export function attributeImports(view: TargetView, files: Map<string, SourceFile>, root: string): Attribution {
  const added: CompilerError[] = [];
  const notifications: Attribution['notifications'] = [];
  const seen = new Set<string>();
  const push = (e: CompilerError) => {
    const k = `${errorKey(e)}\0${e.span?.start.col ?? ''}`;
    if (seen.has(k)) return;
    seen.add(k);
    added.push(e);
  };
  const scanned = view.units.filter((u) => u.files.some((f) => files.has(f)));
  const scannedPaths = new Set(scanned.map((u) => u.path));
  // The import graph by plain import path (test variants merged into their package).
  const graph = new Map<string, Set<string>>();
  for (const u of view.units) {
    const s = graph.get(u.path) ?? new Set<string>();
    for (const i of u.pkg.Imports ?? []) s.add(stripVariant(i));
    graph.set(u.path, s);
  }
  const reached = new Map<string, Set<string>>();
  const reach = (from: string): Set<string> => {
    let out = reached.get(from);
    if (out) return out;
    out = new Set<string>([from]);
    reached.set(from, out);
    const stack = [from];
    while (stack.length) {
      for (const y of graph.get(stack.pop()!) ?? []) {
        if (out.has(y)) continue;
        out.add(y);
        stack.push(y);
      }
    }
    return out;
  };
  /** The unit's direct import through which `target` is reached (itself, or a package that imports it). */
  const importTowards = (u: Unit, target: string): string | undefined =>
    [...new Set((u.pkg.Imports ?? []).map(stripVariant))].sort().find((i) => i === target) ??
    [...new Set((u.pkg.Imports ?? []).map(stripVariant))].sort().find((i) => reach(i).has(target));

  // Load errors of the scanned packages and of what they import.
  const load = (u: Unit, err: ListError) => {
    if (!TARGET_DEPENDENT.some((re) => re.test(err.Err))) {
      notifications.push({ id: 'confirm-missing-dependency', level: 'warning', text: `${u.path}: ${relativize(err.Err.trim().replace(/\n\s*/g, ' '), root)}` });
      return;
    }
    const msg = relativize(firstLine(err.Err), root);
    const pos = parsePos(err.Pos, root);
    if (pos && files.has(pos.file)) {
      push({ file: pos.file, line: pos.line, col: pos.col, message: msg });
      return;
    }
    // The stack ends at the package in error; it starts at the unit only when the unit was loaded first.
    const stack = (err.ImportStack ?? []).map(stripVariant);
    const failed = stack[stack.length - 1];
    const at = stack.indexOf(u.path);
    const next = at >= 0 ? stack[at + 1] : failed ? importTowards(u, failed) : undefined;
    const site = next ? importSite(u, next, files) : undefined;
    if (next && site && failed) {
      const via = next === failed ? '' : ` (through ${next})`;
      push({ file: site.file, line: site.span.start.line, span: site.span, message: `${failed}${via}: ${msg}`, properties: { importChain: at >= 0 ? stack.slice(at) : [...new Set([u.path, next, failed])] } });
      return;
    }
    // Nothing to point at in the scanned files: the package clause of its first file.
    const first = u.files.filter((f) => files.has(f)).sort()[0];
    if (first) push({ file: first, line: files.get(first)!.header.packageLine ?? 1, message: `${u.path}: ${msg}` });
    else notifications.push({ id: 'confirm-package-error', level: 'warning', text: `${u.path}: ${msg}` });
  };
  for (const u of scanned) {
    if (u.loadError && !EXCLUDED_ALL.test(u.loadError.Err)) load(u, u.loadError);
    for (const de of u.pkg.DepsErrors ?? []) if (!de.Err.startsWith('# ')) load(u, de);
  }

  // Dependencies whose compile failed: their first error, at each scanned import leading there.
  const failing = new Map<string, { unit: Unit; error: CompilerError }>();
  for (const u of view.units) {
    if (scannedPaths.has(u.path) || u.errors.length === 0 || failing.has(u.path)) continue;
    if (u.pkg.Goroot || u.pkg.Standard) {
      notifications.push({ id: 'confirm-std', level: 'error', text: `the standard library does not build: ${u.path}: ${u.errors[0].message}` });
      continue;
    }
    failing.set(u.path, { unit: u, error: u.errors[0] });
  }
  if (failing.size > 0) {
    for (const u of scanned) {
      for (const imp of new Set((u.pkg.Imports ?? []).map(stripVariant))) {
        if (scannedPaths.has(imp)) continue; // a scanned package's errors are reported in its own files
        const r = reach(imp);
        for (const [dep, { error }] of failing) {
          if (!r.has(dep)) continue;
          const site = importSite(u, imp, files);
          if (!site) continue;
          const via = dep === imp ? '' : ` (through ${dep})`;
          // Named by import path, so the message is the same on every machine.
          const where = `${dep}/${path.basename(error.file)}:${error.line}${error.col ? `:${error.col}` : ''}`;
          push({
            file: site.file,
            line: site.span.start.line,
            span: site.span,
            message: `import of ${imp}${via}: ${where}: ${error.message}`,
            notes: [{ file: error.file, line: error.line, col: error.col, message: error.message }],
            properties: { dependency: dep },
          });
        }
      }
    }
  }
  view.errors.push(...added);
  return { added, notifications };
}

export interface CrossBuildInput {
  outcomes: Map<string, TargetOutcome>;
  explained: Map<string, Set<string>>;
  /** Scanned files by absolute path. */
  files: Map<string, SourceFile>;
  /** Target ids in the run's order. */
  order: string[];
  source: (file: string) => string | undefined;
}

interface Group {
  error: CompilerError;
  targets: Set<string>;
}

/** The errors in scanned files no finding explains, one result per position and message, with their targets. */
export function crossBuildErrors(input: CrossBuildInput): Diagnostic[] {
  const groups = new Map<string, Group>();
  for (const [target, outcome] of input.outcomes) {
    if ('failure' in outcome) continue;
    const explained = input.explained.get(target) ?? new Set<string>();
    for (const e of outcome.view.errors) {
      if (!input.files.has(e.file) || explained.has(errorKey(e))) continue;
      const key = `${errorKey(e)}\0${e.span?.start.col ?? ''}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { error: e, targets: new Set() }));
      g.targets.add(target);
    }
  }
  return [...groups.values()].map(({ error: e, targets: set }) => {
    const targets = orderTargets(set, input.order);
    const related: Location[] = (e.notes ?? []).map((n) => ({ file: n.file, span: spanAt(input.source(n.file), n.line, n.col), message: n.message }));
    const d: Diagnostic = {
      ruleId: CROSS_BUILD_ERROR,
      file: e.file,
      span: e.span ?? spanAt(input.source(e.file), e.line, e.col),
      message: `does not compile for ${targets.join(', ')}: ${e.message}`,
      level: 'error',
      targets,
      properties: { ...(e.properties ?? {}), compilerMessage: e.message },
    };
    if (related.length) d.related = related;
    return d;
  });
}

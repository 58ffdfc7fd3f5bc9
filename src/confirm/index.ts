// The confirm stage (DESIGN.md, data flow step 7): cross-build the scanned packages with the
// real toolchain for every target of the run, mark each finding confirmed, refuted or
// unknown (result.properties.confirmation), and add the compile errors no rule predicted as
// cross-build-error findings. It runs after the rules and before suppressions and the report.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic, Notification } from '../types';
import type { Target } from '../targets';
import type { BuildContext } from '../constraints/match';
import type { Package, SourceFile } from '../model/types';
import { goEnv } from '../goenv';
import { modFlag, vendorModeDetail, type ModuleInfo } from '../discover/module';
import { AlignmentCheck } from './alignment';
import { attributeImports, crossBuildErrors, CROSS_BUILD_ERROR } from './crossbuild';
import { orderTargets } from '../report/sort';
import { drive, type DriverTarget, type TargetResult } from './driver';
import { confirmDropped, confirmLinking } from './linking';
import { matchFindings, type IndexedFinding, type TargetOutcome } from './match';
import { createProgress, type Progress, type ProgressStream } from './progress';
import { TargetView } from './view';
import type { Confirmation, ConfirmMode, ConfirmStatus, GoRun, TargetVerdict } from './types';

export type { Confirmation, ConfirmMode, GoRun } from './types';

export const DEFAULT_CONFIRM_TIMEOUT_MS = 600_000;

/** The go command's words for a module it would have to download (GOPROXY=off forbids it). */
const MISSING_DEPS = /missing go\.sum entry|module lookup disabled|cannot find module providing|no required module provides|inconsistent vendoring|is not in (the )?module cache/;

export interface ConfirmOptions {
  mode: ConfirmMode;
  /** Per go command. */
  timeoutMs: number;
  /** Where progress goes (standard error); none: no progress. */
  progress?: ProgressStream;
  /** Targets compiled at once; default: the number of cores. */
  parallel?: number;
}

export interface ConfirmInput extends ConfirmOptions {
  root: string;
  module?: ModuleInfo;
  targets: Target[];
  contexts: Map<string, BuildContext>;
  /** The scanned packages. */
  packages: Package[];
  /** Package patterns of the run, relative to root ("./...", "./cmd/x"): what --confirm=all compiles when `packages` is empty. */
  patterns: string[];
  /** The run's diagnostics, merged across targets. */
  diagnostics: Diagnostic[];
  tests: boolean;
  tags: string[];
  /** Whether the cross-build-error rule is selected. */
  reportBuildErrors: boolean;
  source: (file: string) => string | undefined;
}

export interface ConfirmOutput {
  /** The input diagnostics with properties.confirmation, then the cross-build-error ones. */
  diagnostics: Diagnostic[];
  notifications: Notification[];
  runs: GoRun[];
  counts: Record<ConfirmStatus, number> & { crossBuildErrors: number };
}

/** GOFLAGS for the stage's runs: the user's, with -mod=vendor when the go command would use vendor/. */
export function confirmGoflags(module: ModuleInfo | undefined, userGoflags: string): string {
  if (!module || modFlag(userGoflags)) return userGoflags;
  const v = vendorModeDetail(module);
  return v.enabled ? [userGoflags, '-mod=vendor'].filter(Boolean).join(' ') : userGoflags;
}

/** How to name a package directory to the go command run in root: ./rel, or its import path under vendor/. */
function relPattern(root: string, dir: string): string {
  const rel = path.relative(root, dir).split(path.sep).join('/');
  // The go command does not accept vendor/ directories as paths; their import path names them.
  if (rel.startsWith('vendor/')) return rel.slice('vendor/'.length);
  return rel === '' ? '.' : `./${rel}`;
}

function combine(byTarget: Map<string, TargetVerdict>, order: string[]): Confirmation {
  const ids = order.filter((t) => byTarget.has(t));
  const pick = (s: ConfirmStatus) => ids.filter((t) => byTarget.get(t)!.status === s);
  const confirmed = pick('confirmed');
  const refuted = pick('refuted');
  const status: ConfirmStatus = confirmed.length ? 'confirmed' : refuted.length ? 'refuted' : 'unknown';
  const targets = status === 'confirmed' ? confirmed : status === 'refuted' ? refuted : ids;
  const rec: Record<string, TargetVerdict> = {};
  for (const t of ids) rec[t] = byTarget.get(t)!;
  return { status, targets, message: targets.length ? byTarget.get(targets[0])!.message : 'no target of the finding was built', byTarget: rec };
}

function targetSummary(r: TargetResult, view: TargetView | undefined, scanned: Set<string>): string {
  if (r.failure) return `failed: ${r.failure.split('\n')[0]}`;
  const units = view?.units.filter((u) => u.files.some((f) => scanned.has(f))) ?? [];
  const pkgs = new Set(units.map((u) => u.path)).size;
  const errs = view?.errors.filter((e) => scanned.has(e.file)).length ?? 0;
  return `${pkgs} package${pkgs === 1 ? '' : 's'} compiled, ${errs} compile error${errs === 1 ? '' : 's'} in scanned files`;
}

/** The engine's text for scanned files, the disk for the rest (dependencies the compiler points into). */
function withDisk(source: (file: string) => string | undefined): (file: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (file) => {
    const s = source(file);
    if (s !== undefined) return s;
    if (!cache.has(file)) {
      try {
        cache.set(file, fs.readFileSync(file, 'utf8'));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}

export async function runConfirm(input: ConfirmInput): Promise<ConfirmOutput> {
  const source = withDisk(input.source);
  const order = input.targets.map((t) => t.id);
  const notes: Notification[] = [];
  const runs: GoRun[] = [];
  const findings: IndexedFinding[] = input.diagnostics.map((d, index) => ({ index, diag: d, targets: d.targets.length ? d.targets : order }));
  const verdicts = new Map<number, Map<string, TargetVerdict>>();
  const merge = (m: Map<number, Map<string, TargetVerdict>>) => {
    for (const [i, byT] of m) {
      const cur = verdicts.get(i) ?? new Map<string, TargetVerdict>();
      for (const [t, v] of byT) cur.set(t, v);
      verdicts.set(i, cur);
    }
  };
  const finish = (extra: Diagnostic[]): ConfirmOutput => {
    const counts = { confirmed: 0, refuted: 0, unknown: 0, crossBuildErrors: extra.length };
    const out = input.diagnostics.map((d, i) => {
      const byT = verdicts.get(i) ?? new Map<string, TargetVerdict>();
      const c = byT.size ? combine(byT, order) : { status: 'unknown' as const, targets: [], message: `${d.ruleId} findings are not checked by building`, byTarget: {} };
      counts[c.status]++;
      return { ...d, properties: { ...(d.properties ?? {}), confirmation: c } };
    });
    return { diagnostics: [...out, ...extra], notifications: notes, runs, counts };
  };

  const env = goEnv();
  if (!env) {
    notes.push({ level: 'error', id: 'confirm-no-go', message: '--confirm needs the go command, and none was found on PATH (set CROSSVET_GO to its path); findings are reported unconfirmed' });
    for (const f of findings) verdicts.set(f.index, new Map(f.targets.map((t) => [t, { status: 'unknown' as const, message: 'no go command' }])));
    return finish([]);
  }
  if (!input.module) {
    notes.push({ level: 'error', id: 'confirm-no-module', message: `--confirm builds modules, and ${input.root} is not in one (no go.mod); findings are reported unconfirmed` });
    return finish([]);
  }

  // What to compile: the packages with findings, or everything the run scanned.
  const scannedFiles = new Map<string, SourceFile>();
  for (const p of input.packages) for (const f of p.files) scannedFiles.set(f.path, f);
  const findingDirs = [...new Set(findings.filter((f) => scannedFiles.has(f.diag.file)).map((f) => path.dirname(f.diag.file)))].sort();
  // --confirm=all: every scanned package by its directory (vendored ones by import path),
  // which honours the run's exclusions and vendor setting; the run's patterns if none is known.
  const allDirs = [...new Set(input.packages.map((p) => p.dir))].sort();
  const patterns =
    input.mode === 'all'
      ? allDirs.length
        ? allDirs.map((d) => relPattern(input.root, d))
        : input.patterns
      : findingDirs.map((d) => relPattern(input.root, d));
  const targetsById = new Map(input.targets.map((t) => [t.id, t]));
  const goflags = confirmGoflags(input.module, env.GOFLAGS ?? '');
  const packageCount = input.mode === 'all' ? input.packages.length : findingDirs.length;

  const align = new AlignmentCheck(findings.filter((f) => f.diag.ruleId === 'atomic-alignment'));
  const cgoFindings = findings.filter((f) => f.diag.ruleId === 'cgo-net-linking');
  const droppedFindings = cgoFindings.filter((f) => f.diag.properties?.kind === 'cgo-dropped');
  const linkFindings = cgoFindings.filter((f) => f.diag.properties?.kind !== 'cgo-dropped');
  const progress: Progress | undefined =
    input.progress && patterns.length ? createProgress(input.progress, order, packageCount) : undefined;

  let results: TargetResult[] = [];
  const views = new Map<string, TargetView>();
  if (patterns.length > 0) {
    const dts: DriverTarget[] = input.targets.map((t) => ({ target: t, context: input.contexts.get(t.id)! }));
    const scannedSet = new Set(scannedFiles.keys());
    results = await drive(dts, {
      cwd: input.root,
      patterns,
      tests: input.tests,
      tags: input.tags,
      goflags,
      timeoutMs: input.timeoutMs,
      parallel: input.parallel ?? (os.availableParallelism?.() ?? os.cpus().length),
      overlayFor: (t, pkgs) => (align.wants(t) ? align.overlayFor(t, pkgs) : undefined),
      onPhase: (t, phase, r) => {
        if (phase === 'done' && r) {
          if (!r.failure) views.set(t.id, new TargetView(r.packages, input.root, input.tests));
          progress?.done(t.id, targetSummary(r, views.get(t.id), scannedSet));
        } else progress?.phase(t.id, phase);
      },
    });
  }

  const outcomes = new Map<string, TargetOutcome>();
  for (const r of results) {
    runs.push(...r.runs);
    if (r.failure) {
      outcomes.set(r.target.id, { failure: r.failure });
      const timedOut = r.runs.some((x) => x.timedOut);
      const missing = MISSING_DEPS.test(r.failure);
      const hint = timedOut ? ' (raise --confirm-timeout)' : missing ? ' (the go command may not download modules here: run `go mod download` or vendor them first)' : '';
      notes.push({
        level: 'error',
        id: timedOut ? 'confirm-timeout' : missing ? 'confirm-missing-dependency' : 'confirm-build-failed',
        message: `--confirm could not build for ${r.target.id}: ${r.failure}${hint}; its findings stay unconfirmed there`,
      });
      continue;
    }
    outcomes.set(r.target.id, { view: views.get(r.target.id) ?? new TargetView(r.packages, input.root, input.tests) });
    for (const line of r.stderr.split('\n').filter((l) => /^go: warning: /.test(l))) {
      notes.push({ level: 'note', id: 'confirm-go-warning', message: `${r.target.id}: ${line.replace(/^go: warning: /, '')}` });
    }
    if (r.alignFailure) notes.push({ level: 'warning', id: 'confirm-align-failed', message: `${r.target.id}: the alignment assertions could not be compiled: ${r.alignFailure}` });
    merge(new Map([...align.verdicts(r.target, r.alignPackages, r.alignFailure, input.root)].map(([i, v]) => [i, new Map([[r.target.id, v]])])));
  }

  // Import problems go to the imports in scanned files, where findings can explain them.
  const targetNotes = new Map<string, { id: string; level: Notification['level']; text: string; targets: string[] }>();
  for (const [t, o] of outcomes) {
    if ('failure' in o) continue;
    for (const n of attributeImports(o.view, scannedFiles, input.root).notifications) {
      const k = `${n.id}\0${n.text}`;
      const cur = targetNotes.get(k) ?? { ...n, targets: [] };
      cur.targets.push(t);
      targetNotes.set(k, cur);
    }
  }
  for (const n of targetNotes.values()) notes.push({ id: n.id, level: n.level, message: `${n.text} (${orderTargets(n.targets, order).join(', ')})` });

  const matched = matchFindings(findings, outcomes, source);
  merge(matched.verdicts);
  merge(confirmDropped(droppedFindings, outcomes));

  if (linkFindings.length > 0) {
    progress?.step(`linking ${linkFindings.length === 1 ? 'a main package' : 'main packages'} to read ELF headers`);
    const linked = await confirmLinking({
      findings: linkFindings,
      targets: targetsById,
      contexts: input.contexts,
      cwd: input.root,
      goflags,
      tags: input.tags,
      timeoutMs: input.timeoutMs,
    });
    runs.push(...linked.runs);
    merge(linked.verdicts);
  }

  const cross = input.reportBuildErrors ? crossBuildErrors({ outcomes, explained: matched.explained, files: scannedFiles, order, source }) : [];
  const out = finish(cross.map((d) => ({ ...d, properties: { ...d.properties, confirmation: crossConfirmation(d) } })));
  if (progress) {
    const c = out.counts;
    progress.finish(`${c.confirmed} confirmed, ${c.refuted} refuted, ${c.unknown} unknown; ${c.crossBuildErrors} compile error${c.crossBuildErrors === 1 ? '' : 's'} no rule predicted (${CROSS_BUILD_ERROR})`);
  }
  return out;
}

/** A cross-build-error is the compiler's own word: confirmed on its targets. */
function crossConfirmation(d: Diagnostic): Confirmation {
  const message = String(d.properties?.compilerMessage ?? d.message);
  const byTarget: Record<string, TargetVerdict> = {};
  for (const t of d.targets) byTarget[t] = { status: 'confirmed', message };
  return { status: 'confirmed', targets: [...d.targets], message, byTarget };
}

// `crossvet audit`: what a vendored-dependency update changes. Every vendored package
// (reachable from the main module or not) is scanned at the base and now; the base's
// findings are the baseline the current ones are compared with, so each finding is new,
// unchanged, updated or absent (fixed), and each is attributed to its module.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Notification } from '../types';
import type { Rule } from '../rule';
import type { Target } from '../targets';
import type { Finding } from '../report/model';
import { check } from '../engine/check';
import { findModule } from '../discover/module';
import { UsageError } from '../errors';
import type { RunSettings } from '../config/merge';
import { entriesOf } from '../baseline/file';
import { compareWithBaseline } from '../baseline/compare';
import { LineHasher } from '../baseline/fingerprint';
import { relPath } from '../report/paths';
import { checkoutBase } from './tree';
import { VendorModules } from './modules';

type State = NonNullable<Finding['baselineState']>;

export interface AuditOptions {
  /** A directory of the module to audit. */
  dir: string;
  /** A git revision of the same repository, or a directory holding the base version of the module. */
  base: { rev: string } | { dir: string };
  settings: RunSettings;
  cache: boolean;
  workers?: number;
}

export interface TargetCounts {
  new: number;
  absent: number;
}

export interface ModuleReport {
  path: string;
  baseVersion?: string;
  headVersion?: string;
  counts: Record<State, number>;
  /** New and fixed findings per target id; '' holds those that concern no particular target. */
  byTarget: Map<string, TargetCounts>;
}

export interface AuditResult {
  root: string;
  /** How the base was named: the revision (and its commit) or the directory. */
  base: { label: string; commit?: string };
  targets: Target[];
  rules: Rule[];
  /** Current findings with their baselineState, then the fixed ones ('absent'); properties.module set. */
  findings: Finding[];
  notifications: Notification[];
  /** Modules with a finding or a version change, by path. */
  modules: ModuleReport[];
  /** Vendored modules that neither changed nor have findings. */
  quietModules: number;
  counts: Record<State, number>;
  packages: { base: number; head: number };
}

export async function audit(opts: AuditOptions): Promise<AuditResult> {
  const mod = findModule(path.resolve(opts.dir));
  if (!mod) throw new UsageError(`no go.mod found in ${opts.dir} or above: audit compares the vendored packages of a module`);
  const root = mod.root;
  let baseRoot: string;
  let dispose = () => {};
  let baseInfo: AuditResult['base'];
  if ('rev' in opts.base) {
    const tree = checkoutBase(root, opts.base.rev);
    baseRoot = tree.root;
    dispose = tree.dispose;
    baseInfo = { label: opts.base.rev, commit: tree.commit };
  } else {
    baseRoot = path.resolve(opts.base.dir);
    if (!fs.existsSync(path.join(baseRoot, 'go.mod'))) throw new UsageError(`--base-dir ${opts.base.dir}: no go.mod there; name the root of the base version of the module`);
    baseInfo = { label: opts.base.dir };
  }
  const hasVendor = (r: string) => fs.existsSync(path.join(r, 'vendor'));
  try {
    if (!hasVendor(root) && !hasVendor(baseRoot)) throw new UsageError(`neither ${root} nor the base has a vendor/ directory: there are no vendored packages to audit`);
    const exclude = opts.settings.exclude;
    const run = (r: string, ex?: (f: string) => boolean) =>
      check({ ...opts.settings, cwd: r, paths: ['.'], vendor: 'only', tests: false, cache: opts.cache, workers: opts.workers, exclude: ex });
    const head = await run(root, exclude);
    // The configuration's exclude globs name paths of the module; map base paths onto them.
    const base = await run(baseRoot, exclude && ((f) => exclude(path.join(root, path.relative(baseRoot, f)))));

    const baseHasher = new LineHasher();
    const entries = entriesOf(base.findings, baseRoot, baseHasher);
    const cmp = compareWithBaseline(entries, head.findings, root);

    const headModules = new VendorModules(root);
    const baseModules = new VendorModules(baseRoot);
    const reports = new Map<string, ModuleReport>();
    const report = (p: string): ModuleReport => {
      let r = reports.get(p);
      if (!r) {
        r = { path: p, baseVersion: baseModules.versionOf(p), headVersion: headModules.versionOf(p), counts: { new: 0, unchanged: 0, updated: 0, absent: 0 }, byTarget: new Map() };
        reports.set(p, r);
      }
      return r;
    };
    const findings = cmp.findings.map((f) => {
      const state = f.baselineState!;
      const rel = relPath(root, f.file);
      const modulePath = state === 'absent' ? baseModules.moduleOf(rel) : headModules.moduleOf(rel);
      const r = report(modulePath);
      if (!f.suppressed) r.counts[state]++;
      if (!f.suppressed && (state === 'new' || state === 'absent')) {
        for (const t of f.targets.length ? f.targets : ['']) {
          const c = r.byTarget.get(t) ?? { new: 0, absent: 0 };
          c[state]++;
          r.byTarget.set(t, c);
        }
      }
      return { ...f, properties: { ...(f.properties ?? {}), module: modulePath } };
    });
    let quiet = 0;
    for (const p of new Set([...baseModules.modules(), ...headModules.modules()])) {
      if (reports.has(p)) continue;
      if (baseModules.versionOf(p) !== headModules.versionOf(p)) report(p);
      else quiet++;
    }

    const notifications: Notification[] = [...head.notifications];
    for (const n of base.notifications) {
      const file = n.file === undefined ? undefined : path.join(root, path.relative(baseRoot, n.file));
      notifications.push({ ...n, file, message: `at the base: ${n.message}` });
    }
    if (!hasVendor(baseRoot)) notifications.push({ level: 'note', id: 'audit-no-base-vendor', message: 'the base has no vendor/ directory: every finding in vendored code is new' });
    if (!hasVendor(root)) notifications.push({ level: 'note', id: 'audit-no-vendor', message: 'the module has no vendor/ directory now: every finding of the base is fixed' });

    return {
      root,
      base: baseInfo,
      targets: head.targets,
      rules: head.rules,
      findings,
      notifications,
      modules: [...reports.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
      quietModules: quiet,
      counts: countStates(findings),
      packages: { base: base.stats.packages, head: head.stats.packages },
    };
  } finally {
    dispose();
  }
}

function countStates(findings: readonly Finding[]): Record<State, number> {
  const c: Record<State, number> = { new: 0, unchanged: 0, updated: 0, absent: 0 };
  for (const f of findings) if (!f.suppressed && f.baselineState) c[f.baselineState]++;
  return c;
}

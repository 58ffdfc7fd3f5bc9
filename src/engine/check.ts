// One crossvet run, stage by stage as DESIGN.md lays them out: targets, discovery, header
// pass, syntax pass (only for files a rule asked for), package model, rules, suppressions,
// merge across targets. Reporting is the caller's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, Level, Notification } from '../types';
import type { Rule, RuleContext } from '../rule';
import type { Package, SourceFile, TargetClass } from '../model/types';
import type { FileFacts } from '../syntax/facts';
import { parseTargets, TargetError, type Target } from '../targets';
import { contextFor, type BuildContext } from '../constraints/match';
import { goEnv, goMinor } from '../goenv';
import { findModule } from '../discover/module';
import { importPathOf, listPackageDirs } from '../discover/packages';
import { Resolver } from '../discover/resolve';
import { ALL_RULES } from '../../rules';
import { toRel } from './files';
import { World, type WorldMemo } from '../model/world';
import { targetClasses } from './classes';
import { applySuppressions, parseDirectives, unusedDirectiveNotes } from '../suppress';
import { mergeAcrossTargets, sortFindings, sortNotifications } from '../report/sort';
import type { Finding } from '../report/model';
import { FactsPool } from '../syntax/pool';
import { UsageError } from '../errors';
import { readRepoFiles } from '../buildconfig/files';
import { runConfirm, type ConfirmOptions, type GoRun } from '../confirm';
import portsFile from '../targets/ports.json';

export interface CheckOptions {
  cwd: string;
  /** Package patterns or paths as the user wrote them: ./..., ./cmd/..., a directory, a .go file. */
  paths: string[];
  targets: string;
  tags: string[];
  cgo: 'auto' | 'on' | 'off';
  tests: boolean;
  /** Only these rules (ids); empty: all. */
  rules: string[];
  disable: string[];
  cache: boolean;
  workers?: number;
  /** Rule id → level overrides (from configuration). */
  levels?: Record<string, Level | 'off'>;
  /** Vendored packages: left out (default), scanned too when a pattern is ./... from the root, or the only ones scanned. */
  vendor?: 'exclude' | 'include' | 'only';
  /** Files and directories (absolute paths) whose findings are not reported (configuration `exclude`). */
  exclude?: (file: string) => boolean;
  /** Unsaved editor buffers by absolute path (crossvet lsp): read instead of the files on disk. */
  overlay?: ReadonlyMap<string, string>;
  /** Cross-build with the go command after the rules (crossvet check --confirm). */
  confirm?: ConfirmOptions;
  /** Packages and facts kept from earlier runs of a long-lived host (crossvet lsp). */
  memo?: WorldMemo;
}

export interface CheckStats {
  packages: number;
  files: number;
  bytes: number;
  classes: number;
  parsed: number;
  cacheHits: number;
  ms: { discover: number; header: number; syntax: number; rules: number; total: number };
}

export interface CheckResult {
  root: string;
  targets: Target[];
  rules: Rule[];
  findings: Finding[];
  notifications: Notification[];
  stats: CheckStats;
  /** The go commands the confirm stage ran (SARIF's invocation lists them). */
  goRuns?: GoRun[];
}

function selectRules(opts: CheckOptions): Rule[] {
  const known = new Set(ALL_RULES.map((r) => r.meta.id));
  for (const id of [...opts.rules, ...opts.disable]) {
    if (!known.has(id)) throw new UsageError(`unknown rule "${id}" (rules: ${[...known].join(', ')})`);
  }
  return ALL_RULES.filter(
    (r) => (opts.rules.length === 0 || opts.rules.includes(r.meta.id)) && !opts.disable.includes(r.meta.id) && opts.levels?.[r.meta.id] !== 'off',
  );
}

/** Where the scan is rooted: the module containing the first path, else that path's directory. */
function scanRoot(cwd: string, paths: string[]): { root: string; modulePath?: string; module?: ReturnType<typeof findModule> } {
  const first = paths[0].replace(/\/\.\.\.$/, '').replace(/^\.\.\.$/, '.') || '.';
  const abs = path.resolve(cwd, first);
  let start = abs;
  try {
    if (fs.statSync(abs).isFile()) start = path.dirname(abs);
  } catch {
    throw new UsageError(`no such file or directory: ${first}`);
  }
  const mod = findModule(start);
  if (mod) return { root: mod.root, modulePath: mod.goMod.module, module: mod };
  return { root: start };
}

export async function check(opts: CheckOptions): Promise<CheckResult> {
  const t0 = Date.now();
  const notes: Notification[] = [];
  const paths = opts.paths.length ? opts.paths : ['./...'];
  let targets: Target[];
  try {
    targets = parseTargets(opts.targets);
  } catch (e) {
    if (e instanceof TargetError) throw new UsageError(e.message);
    throw e;
  }
  const rules = selectRules(opts);
  const env = goEnv();
  const minor = goMinor(env?.GOVERSION) ?? goMinor(portsFile.goVersion)!;
  const contexts = new Map<string, BuildContext>();
  for (const t of targets) contexts.set(t.id, contextFor(t, { cgo: opts.cgo, tags: opts.tags, goMinor: minor }));

  // Discover.
  const { root, module } = scanRoot(opts.cwd, paths);
  if (!module) notes.push({ level: 'note', id: 'no-module', message: `no go.mod found above ${root}; import paths of the scanned code cannot be resolved` });
  const onlyFiles = new Set<string>();
  const patterns: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(opts.cwd, p.replace(/(^|\/)\.\.\.$/, '') || '.');
    if (p.endsWith('.go') && fs.existsSync(abs)) {
      onlyFiles.add(abs);
      patterns.push(toRel(root, path.dirname(abs)) || '.');
    } else {
      const rel = toRel(root, abs) || '.';
      patterns.push(p.endsWith('...') ? (rel === '.' ? './...' : `./${rel}/...`) : rel === '.' ? '.' : `./${rel}`);
    }
  }
  const withVendor = opts.vendor === 'only' || (opts.vendor === 'include' && patterns.includes('./...'));
  const listed = listPackageDirs(root, { patterns: opts.vendor === 'only' ? [] : patterns, includeVendor: withVendor });
  // Excluded files still count as code (other packages use them); only their findings go.
  const vendorDir = path.join(root, 'vendor') + path.sep;
  const reported = (file: string) => !opts.exclude?.(file) && (withVendor || !file.startsWith(vendorDir));
  // A directory symlink the go command does not follow either is worth a note, not a warning.
  for (const pr of listed.problems) notes.push({ level: pr.kind === 'symlink-not-followed' ? 'note' : 'warning', id: `discovery-${pr.kind}`, file: pr.path, message: pr.message });
  const t1 = Date.now();

  // Header pass: the scanned packages.
  const resolver = new Resolver(module, {});
  if (!resolver.env.goroot) {
    notes.push({ level: 'warning', id: 'no-goroot', message: 'no Go installation found (go not on PATH and GOROOT unset): standard-library imports are not resolved and rules that need them check less' });
  }
  let pool: FactsPool | undefined;
  const world = new World(root, [...contexts.values()], opts.tests, resolver, () => (pool ??= new FactsPool({ workers: opts.workers, cache: opts.cache })), notes, opts.overlay, opts.memo);
  const files: SourceFile[] = [];
  const packages: Package[] = [];
  for (const dir of listed.dirs.filter((d) => !opts.exclude?.(d))) {
    const importPath = importPathOf(dir, resolver) ?? (toRel(root, dir) || '.');
    const pkg = world.loadDir(dir, importPath, 'scan', onlyFiles);
    if (!pkg) continue;
    packages.push(pkg);
    files.push(...pkg.files);
  }
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(world.source(f)), 0);
  for (const f of files) for (const imp of f.header.imports) world.resolve(imp.path, f);
  const classes: TargetClass[] = targetClasses(targets, files);
  const t2 = Date.now();

  let t3 = t2;
  const diags: Diagnostic[] = [];
  const external: { d: Diagnostic; justification: string }[] = [];
  try {
    // Syntax pass: only files some rule asks for.
    await world.ensureFacts(files.filter((f) => rules.some((r) => r.wantsSyntax?.(world.source(f), f))));
    t3 = Date.now();

    // Rules.
    const ruleNotes: Notification[] = [];
    for (const rule of rules) {
      const ctx: RuleContext = {
        root,
        targets,
        contexts,
        packages,
        files,
        classes,
        source: (f) => world.source(f),
        facts: (f) => world.facts(f),
        importPackage: (p, from) => world.importPackage(p, from),
        ensureFacts: (fs) => world.ensureFacts(fs),
        report: (d) => diags.push({ ...d, ruleId: rule.meta.id }),
        notify: (n) => ruleNotes.push(n),
        repoFiles: (globs) => readRepoFiles(root, globs, (file, message) => notes.push({ level: 'warning', id: 'unreadable-file', file, message: `cannot read ${file}: ${message}` })),
        reportSuppressed: (d, justification) => external.push({ d: { ...d, ruleId: rule.meta.id }, justification }),
      };
      try {
        await rule.check(ctx);
      } catch (e) {
        notes.push({ level: 'error', id: 'rule-failed', message: `rule ${rule.meta.id} failed: ${(e as Error).stack ?? e}` });
      }
    }
    notes.push(...ruleNotes);
  } finally {
    await pool?.close();
  }
  const t4 = Date.now();

  // Suppressions, merge, levels.
  const known = new Set(ALL_RULES.map((r) => r.meta.id));
  const directives = files.flatMap((f) => parseDirectives(f.path, world.source(f), known, notes));
  const order = targets.map((t) => t.id);
  let merged = mergeAcrossTargets(diags.filter((d) => reported(d.file)), order);
  // Confirm: the compiler's verdict on each finding, and the compile errors no rule predicted.
  let goRuns: GoRun[] | undefined;
  if (opts.confirm) {
    const byPath = new Map(files.map((f) => [f.path, f]));
    const c = await runConfirm({
      ...opts.confirm, root, module, targets, contexts, packages, patterns, diagnostics: merged, tests: opts.tests, tags: opts.tags,
      reportBuildErrors: rules.some((r) => r.meta.id === 'cross-build-error'),
      source: (p) => (byPath.has(p) ? world.source(byPath.get(p)!) : undefined),
    });
    merged = c.diagnostics.filter((d) => reported(d.file));
    notes.push(...c.notifications);
    goRuns = c.runs;
  }
  const { kept, suppressed } = applySuppressions(merged, directives);
  // cross-build-error findings exist only with --confirm: without it, its directives are not stale.
  const judged = (id: string) => rules.some((x) => x.meta.id === id) && (opts.confirm !== undefined || id !== 'cross-build-error');
  notes.push(...unusedDirectiveNotes(directives.filter((d) => d.rules.some(judged))));
  const levelOf = (d: Diagnostic): Level => {
    const o = opts.levels?.[d.ruleId];
    if (o && o !== 'off') return o;
    return d.level ?? rules.find((r) => r.meta.id === d.ruleId)!.meta.defaultLevel;
  };
  const findings: Finding[] = [
    ...kept.map((d) => ({ ...d, level: levelOf(d) })),
    ...suppressed.map((s) => ({ ...s.diagnostic, level: levelOf(s.diagnostic), suppressed: { kind: 'inSource' as const, justification: s.justification } })),
    ...external.filter((e) => reported(e.d.file)).map((e) => ({ ...e.d, level: levelOf(e.d), suppressed: { kind: 'external' as const, justification: e.justification } })),
  ];
  return {
    root,
    targets,
    rules,
    findings: sortFindings(findings, root),
    notifications: sortNotifications(notes.filter((n) => n.file === undefined || reported(n.file)), root),
    goRuns,
    stats: {
      packages: packages.length,
      files: files.length,
      bytes,
      classes: classes.length,
      parsed: world.parsed,
      cacheHits: world.cacheHits,
      ms: { discover: t1 - t0, header: t2 - t1, syntax: t3 - t2, rules: t4 - t3, total: Date.now() - t0 },
    },
  };
}

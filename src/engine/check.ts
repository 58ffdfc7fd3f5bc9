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
import { listPackageDirs } from '../discover/packages';
import { Resolver } from '../discover/resolve';
import { ALL_RULES } from '../../rules';
import { toRel } from './files';
import { World } from '../model/world';
import { targetClasses } from './classes';
import { applySuppressions, parseDirectives, unusedDirectiveNotes } from '../suppress';
import { mergeAcrossTargets, sortFindings, sortNotifications } from '../report/sort';
import type { Finding } from '../report/model';
import { FactsPool } from '../syntax/pool';
import { UsageError } from '../errors';
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
  const { root, modulePath, module } = scanRoot(opts.cwd, paths);
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
  const listed = listPackageDirs(root, { patterns });
  for (const pr of listed.problems) notes.push({ level: 'warning', id: 'discovery', file: pr.path, message: pr.message });
  const t1 = Date.now();

  // Header pass: the scanned packages.
  const resolver = module ? new Resolver(module, {}) : undefined;
  let pool: FactsPool | undefined;
  const world = new World(root, [...contexts.values()], opts.tests, resolver, () => (pool ??= new FactsPool({ workers: opts.workers, cache: opts.cache })), notes);
  const files: SourceFile[] = [];
  const packages: Package[] = [];
  for (const dir of listed.dirs) {
    const relDir = toRel(root, dir);
    const importPath = modulePath ? (relDir ? `${modulePath}/${relDir}` : modulePath) : relDir || '.';
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
  const merged = mergeAcrossTargets(diags, order);
  const { kept, suppressed } = applySuppressions(merged, directives);
  notes.push(...unusedDirectiveNotes(directives.filter((d) => d.rules.some((r) => rules.some((x) => x.meta.id === r)))));
  const levelOf = (d: Diagnostic): Level => {
    const o = opts.levels?.[d.ruleId];
    if (o && o !== 'off') return o;
    return d.level ?? rules.find((r) => r.meta.id === d.ruleId)!.meta.defaultLevel;
  };
  const findings: Finding[] = [
    ...kept.map((d) => ({ ...d, level: levelOf(d) })),
    ...suppressed.map((s) => ({ ...s.diagnostic, level: levelOf(s.diagnostic), suppressed: { kind: 'inSource' as const, justification: s.justification } })),
  ];
  return {
    root,
    targets,
    rules,
    findings: sortFindings(findings, root),
    notifications: sortNotifications(notes, root),
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

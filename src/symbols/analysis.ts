// The analysis platform-symbol and syscall-portability share, run once per crossvet run.
//
// Speed comes from reading little (DESIGN.md, "Syntax pass"):
//  1. The header pass already knows each file's targets. A package's declarations can only
//     differ between targets in its constrained files (those that build on fewer targets
//     than the package): only those are parsed, for the scanned packages and for every
//     package they import.
//  2. Their declarations give the restricted names (package-level names not declared on
//     every target where the package is) and restricted members (fields and methods of
//     types declared in constrained files).
//  3. Only the scanned files whose text mentions a restricted name of their own package or
//     of a package they import, or a restricted member, are parsed for references.
//  4. Imports of packages with no file for some targets need no parsing at all.
import type { RuleContext } from '../rule';
import type { SourceFile } from '../model/types';
import type { FileFacts } from '../syntax/facts';
import { symRefsOf, type SymRefs } from '../syntax/symrefs-extractor';
import { FileChecker, type SymFinding } from './check';
import { SymbolWorld } from './world';
import type { SymbolSource } from './types';

export interface SymStats {
  /** Scanned files that build for at least one run target. */
  files: number;
  /** Files parsed for their declarations (scanned and dependencies). */
  declFiles: number;
  /** Of those, files that build for none of the run targets. */
  declFilesNonBuilding: number;
  /** Scanned files whose text mentions a restricted name, parsed for references. */
  refFiles: number;
  restrictedNames: number;
  restrictedMembers: number;
  ms: number;
}

export interface SymAnalysis {
  findings: SymFinding[];
  stats: SymStats;
}

const runs = new WeakMap<object, Promise<SymAnalysis>>();

/** The figures of the last analysis, for the benchmark. */
export let lastStats: SymStats | undefined;

/** The shared analysis for this run (both rules get the same context's file list). */
export function analyse(ctx: RuleContext): Promise<SymAnalysis> {
  let p = runs.get(ctx.files);
  if (!p) {
    p = run(ctx);
    runs.set(ctx.files, p);
  }
  return p;
}

function symrefs(facts: FileFacts | undefined): SymRefs | undefined {
  return symRefsOf(facts?.extras);
}

async function run(ctx: RuleContext): Promise<SymAnalysis> {
  const t0 = Date.now();
  const world = new SymbolWorld(ctx);
  for (const p of ctx.packages) world.ownSources(p);
  const live = ctx.files.filter((f) => f.builds.size > 0 && world.ownSource(f));
  // Creating the import table creates the dependencies' sources.
  for (const f of live) world.fileImports(f);

  // 1. Constrained files of every package in sight.
  const sources = world.sources();
  const initial = sources.map((s) => s.initialFiles());
  const declFiles = [...new Set(initial.flat())];
  await ctx.ensureFacts(declFiles);
  sources.forEach((s, i) => s.addFiles(initial[i]));

  // 2. Restricted names and members. Another package's unexported names cannot be referred to.
  const exported = new Map<SymbolSource, ReadonlySet<string>>();
  const exportedOf = (s: SymbolSource) => {
    let e = exported.get(s);
    if (!e) exported.set(s, (e = new Set([...s.restrictedNames()].filter((n) => /^\p{Lu}/u.test(n)))));
    return e;
  };
  const members = new Set<string>();
  let restrictedNames = 0;
  for (const s of sources) restrictedNames += s.restrictedNames().size;

  // 3. The files worth parsing for references: those that mention a restricted name of their
  // own package or of a package they import, or a restricted member of one of those.
  const candidates: SourceFile[] = [];
  for (const f of live) {
    const own = world.ownSource(f)!;
    const imports = world.fileImports(f);
    const wanted: ReadonlySet<string>[] = [own.restrictedNames(), own.restrictedMembers(), own.varyingFuncs()];
    for (const src of [...[...imports.byName.values()].map((i) => i.src), ...imports.dots]) {
      if (!src) continue;
      wanted.push(exportedOf(src), src.restrictedMembers(), src.varyingFuncs());
      for (const m of src.restrictedMembers()) members.add(m);
    }
    if (wanted.every((w) => w.size === 0)) continue;
    for (const t of world.tokens(f)) {
      if (wanted.some((w) => w.has(t))) {
        candidates.push(f);
        break;
      }
    }
  }
  for (const s of sources) for (const m of s.restrictedMembers()) members.add(m);
  await ctx.ensureFacts(candidates);

  // 4. Check them.
  const findings: SymFinding[] = [];
  const varying = new Set<string>();
  for (const s of [...sources, ...exported.keys()]) for (const v of s.varyingFields()) varying.add(v);
  const isVarying = (sel: string) => varying.has(sel);
  for (const f of candidates) {
    const facts = ctx.facts(f);
    const refs = symrefs(facts);
    // A file with syntax errors builds nowhere anyway, and its facts are partial.
    if (!facts || !refs || facts.errors.length > 0) continue;
    // The members that can differ in the packages this file sees.
    const imports = world.fileImports(f);
    const seen = [world.ownSource(f), ...[...imports.byName.values()].map((i) => i.src), ...imports.dots];
    const local = seen.filter((x): x is SymbolSource => x !== undefined).map((x) => x.restrictedMembers());
    const isMember = (sel: string) => local.some((m) => m.has(sel));
    findings.push(...(await new FileChecker(world, f, refs, isMember, isVarying).run()));
  }
  for (const f of live) findings.push(...FileChecker.imports(world, f));
  if (world.missingStdFacts) {
    ctx.notify({ level: 'warning', id: 'no-stdlib-facts', message: `standard-library imports were checked without facts: ${world.missingStdFacts}` });
  }

  const stats: SymStats = {
    files: live.length,
    declFiles: declFiles.length,
    declFilesNonBuilding: declFiles.filter((f) => f.builds.size === 0).length,
    refFiles: candidates.length,
    restrictedNames,
    restrictedMembers: members.size,
    ms: Date.now() - t0,
  };
  lastStats = stats;
  return { findings, stats };
}

// What the layout engine needs from the outside world, for one target: the files of a
// package that build for that target, their syntax facts, and import resolution. The
// rule implements it over its RuleContext (context-host.ts); tests implement it directly.
import type { SourceFile } from '../model/types';
import type { DeclFact, FileFacts } from '../syntax/facts';
import type { PkgView } from './model';

export interface TypeHost {
  /** The view (package name, tests or not) a file belongs to. */
  viewOf(file: SourceFile): PkgView;
  /** The files of a view that build for the engine's target. */
  files(view: PkgView): SourceFile[];
  /**
   * Syntax facts of a file; undefined when they are not loaded yet (the host remembers the
   * file so that its caller can load the facts and try again) or cannot be had.
   */
  facts(file: SourceFile): FileFacts | undefined;
  /** Whether facts() of this file returned undefined only because they are not loaded yet. */
  pending(file: SourceFile): boolean;
  /** The (non-test) package an import path names, seen from a file; undefined when it cannot be resolved. */
  importView(importPath: string, from: SourceFile): PkgView | undefined;
}

export interface DeclEntry {
  decl: DeclFact;
  file: SourceFile;
}

/** Package-level declarations of one view for one target, by name; methods by receiver base type. */
export interface PackageIndex {
  view: PkgView;
  byName: Map<string, DeclEntry>;
  methods: Map<string, DeclEntry[]>;
  /** Some file's facts are still to be loaded: a missing name may yet appear. */
  incomplete: boolean;
  /** Dot imports of the view's files (they all share the package scope, Go spec "Declarations and scope"). */
  dotImports: { path: string; from: SourceFile }[];
}

export function buildIndex(host: TypeHost, view: PkgView): PackageIndex {
  const idx: PackageIndex = { view, byName: new Map(), methods: new Map(), incomplete: false, dotImports: [] };
  for (const file of host.files(view)) {
    const facts = host.facts(file);
    if (!facts) {
      if (host.pending(file)) idx.incomplete = true;
      continue;
    }
    for (const d of facts.decls) {
      if (d.kind === 'method') {
        if (!d.recv) continue;
        const list = idx.methods.get(d.recv) ?? [];
        list.push({ decl: d, file });
        idx.methods.set(d.recv, list);
      } else if (d.name !== '_' && d.name !== 'init' && !idx.byName.has(d.name)) {
        idx.byName.set(d.name, { decl: d, file });
      }
    }
    for (const imp of facts.imports) if (imp.name === '.') idx.dotImports.push({ path: imp.path, from: file });
  }
  return idx;
}

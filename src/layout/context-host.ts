// The layout engine's view of a crossvet run, for one target: package files that build for
// it, facts as the engine has them, imports resolved as the go command would. Facts that
// are not loaded yet are collected in a shared FactsLoader; the caller loads them and runs
// again, so the engine itself stays synchronous.
import type { RuleContext } from '../rule';
import type { Package, SourceFile } from '../model/types';
import type { FileFacts } from '../syntax/facts';
import type { Target } from '../targets';
import type { TypeHost } from './host';
import type { PkgView } from './model';

export class FactsLoader {
  private missing = new Map<string, SourceFile>();
  private tried = new Set<string>();
  rounds = 0;

  constructor(private readonly ctx: RuleContext) {}

  facts(file: SourceFile): FileFacts | undefined {
    const f = this.ctx.facts(file);
    if (!f && !this.tried.has(file.path)) this.missing.set(file.path, file);
    return f;
  }

  pending(file: SourceFile): boolean {
    return !this.ctx.facts(file) && !this.tried.has(file.path);
  }

  get hasMissing(): boolean {
    return this.missing.size > 0;
  }

  /** Loads what the last pass asked for; files whose facts cannot be had are not asked for again. */
  async load(): Promise<void> {
    const files = [...this.missing.values()];
    this.missing.clear();
    for (const f of files) this.tried.add(f.path);
    this.rounds++;
    if (files.length) await this.ctx.ensureFacts(files);
  }
}

export class ContextHost implements TypeHost {
  private byFile = new Map<string, Package>();
  private registered = new Set<Package>();
  private views = new Map<string, PkgView>();
  private imports = new Map<string, PkgView | null>();

  constructor(
    private readonly ctx: RuleContext,
    readonly target: Target,
    private readonly loader: FactsLoader,
  ) {
    for (const p of ctx.packages) this.register(p);
  }

  private register(p: Package): void {
    if (this.registered.has(p)) return;
    this.registered.add(p);
    for (const f of p.files) if (!this.byFile.has(f.path)) this.byFile.set(f.path, p);
  }

  private view(pkg: Package, name: string, tests: boolean): PkgView {
    const key = `${pkg.dir}\0${name}\0${tests ? 't' : ''}`;
    let v = this.views.get(key);
    if (!v) this.views.set(key, (v = { pkg, name, tests, key }));
    return v;
  }

  /** The package a file belongs to (scanned, or loaded through an import). */
  packageOf(file: SourceFile): Package {
    return this.byFile.get(file.path) ?? { dir: file.dir, importPath: file.dir, origin: 'scan', files: [file] };
  }

  viewOf(file: SourceFile): PkgView {
    return this.view(this.packageOf(file), file.header.packageName ?? '', file.isTest);
  }

  files(view: PkgView): SourceFile[] {
    const id = this.target.id;
    return view.pkg.files.filter((f) => f.builds.has(id) && (f.header.packageName ?? '') === view.name && (view.tests || !f.isTest));
  }

  facts(file: SourceFile): FileFacts | undefined {
    return this.loader.facts(file);
  }

  pending(file: SourceFile): boolean {
    return this.loader.pending(file);
  }

  importView(importPath: string, from: SourceFile): PkgView | undefined {
    // Resolution depends on the importing directory (vendor/, nested modules), not the file.
    const key = `${importPath}\0${from.dir}`;
    const hit = this.imports.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const v = this.resolveImport(importPath, from);
    this.imports.set(key, v ?? null);
    return v;
  }

  private resolveImport(importPath: string, from: SourceFile): PkgView | undefined {
    const pkg = this.ctx.importPackage(importPath, from);
    if (!pkg) return undefined;
    this.register(pkg);
    const nonTest = pkg.files.filter((f) => !f.isTest && f.header.packageName);
    // The package's name is its files' package clause; files that do not build for this
    // target may disagree (a stray `package main` tool file), so ask the building ones first.
    const named = nonTest.find((f) => f.builds.has(this.target.id)) ?? nonTest[0];
    if (!named) return undefined;
    return this.view(pkg, named.header.packageName!, false);
  }
}

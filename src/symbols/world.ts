// The symbol tables of a run: one per scanned package variant (the package, the package
// with its in-package tests, the external test package) and one per imported package —
// read from source when the engine can find it (own module, vendor/, module cache,
// GOROOT), else, for the standard library, from the facts crossvet ships.
import type { RuleContext } from '../rule';
import type { Package, SourceFile } from '../model/types';
import { isStdPath, stdFacts, stdFactsError } from '../stdlib';
import { ParsedSource, type SourceHost } from './parsed';
import { ShippedSource } from './shipped';
import { identTokens, type SymbolSource } from './types';

export type Variant = 'lib' | 'test' | 'xtest';

/**
 * Identifier tokens by file. A SourceFile stands for one reading of one text, so its tokens
 * never go stale; an editor session that reuses a dependency's files (src/lsp/session.ts)
 * reuses their tokens with them.
 */
const tokenCache = new WeakMap<SourceFile, ReadonlySet<string>>();

export interface ImportName {
  path: string;
  /** The package, when it resolves. */
  src?: SymbolSource;
  line: number;
  col: number;
  endCol: number;
}

export interface FileImports {
  /** Local name → import. */
  byName: Map<string, ImportName>;
  /** Dot imports; an unresolved one is `undefined`. */
  dots: (SymbolSource | undefined)[];
  /** Names of imports whose package name is a guess (the import did not resolve). */
  guessed: Set<string>;
}

export class SymbolWorld implements SourceHost {
  private readonly parsed = new Map<string, ParsedSource>();
  private readonly shipped = new Map<string, ShippedSource | null>();
  private readonly byImport = new Map<string, SymbolSource | null>();
  private readonly imports = new Map<SourceFile, FileImports>();
  /** Where each scanned file's own package lives. */
  private readonly ownOf = new Map<SourceFile, ParsedSource>();
  private readonly scannedDirs = new Map<string, Package>();
  readonly allTargets: ReadonlySet<string>;
  /** Why the shipped standard-library facts could not be used, when a standard import needed them. */
  missingStdFacts: string | undefined;

  constructor(readonly ctx: RuleContext) {
    this.allTargets = new Set(ctx.targets.map((t) => t.id));
    for (const p of ctx.packages) this.scannedDirs.set(p.dir, p);
  }

  facts(f: SourceFile) {
    return this.ctx.facts(f);
  }

  tokens(f: SourceFile): ReadonlySet<string> {
    let t = tokenCache.get(f);
    if (!t) {
      t = identTokens(this.ctx.source(f));
      tokenCache.set(f, t);
    }
    return t;
  }

  ensureFacts(files: SourceFile[]): Promise<void> {
    return this.ctx.ensureFacts(files);
  }

  /** Every parsed source created so far. */
  sources(): ParsedSource[] {
    return [...this.parsed.values()];
  }

  private parsedFor(key: string, importPath: string, files: SourceFile[], eager: boolean): ParsedSource {
    let s = this.parsed.get(key);
    if (!s) {
      s = new ParsedSource(this, importPath, files, eager);
      this.parsed.set(key, s);
    }
    return s;
  }

  /** The variants of a scanned package, and which file belongs to which. */
  ownSources(pkg: Package): ParsedSource[] {
    const libName = packageName(pkg.files.filter((f) => !f.isTest));
    // Files of another package name (`//go:build ignore` generators in package main) are not part of it.
    const lib = pkg.files.filter((f) => !f.isTest && (libName === undefined || f.header.packageName === libName));
    const inTest = pkg.files.filter((f) => f.isTest && (libName === undefined || f.header.packageName === libName));
    const xTest = pkg.files.filter((f) => f.isTest && !inTest.includes(f));
    const out: ParsedSource[] = [];
    if (lib.length) {
      const s = this.parsedFor(`${pkg.dir}\0lib`, pkg.importPath, lib, true);
      for (const f of lib) this.ownOf.set(f, s);
      out.push(s);
    }
    if (inTest.length) {
      const s = this.parsedFor(`${pkg.dir}\0test`, pkg.importPath, [...lib, ...inTest], true);
      for (const f of inTest) this.ownOf.set(f, s);
      out.push(s);
    }
    if (xTest.length) {
      const s = this.parsedFor(`${pkg.dir}\0xtest`, `${pkg.importPath}_test`, xTest, true);
      for (const f of xTest) this.ownOf.set(f, s);
      out.push(s);
    }
    return out;
  }

  ownSource(f: SourceFile): ParsedSource | undefined {
    return this.ownOf.get(f);
  }

  /** The package an import path names from a file: parsed from its directory, or the shipped std facts. */
  sourceByPath(importPath: string, from: SourceFile): SymbolSource | undefined {
    if (importPath === 'C' || importPath === 'unsafe') return undefined;
    const pkg = this.ctx.importPackage(importPath, from);
    if (pkg) {
      const key = `${pkg.dir}\0dep`;
      const cached = this.parsed.get(key);
      if (cached) return cached;
      const scanned = this.scannedDirs.get(pkg.dir);
      if (scanned) {
        // An external test importing its own package sees the in-package test files too.
        const variant: Variant = from.dir === pkg.dir && from.isTest ? 'test' : 'lib';
        this.ownSources(scanned);
        const own = this.parsed.get(`${pkg.dir}\0${variant}`) ?? this.parsed.get(`${pkg.dir}\0lib`);
        if (own) return own;
      }
      const files = pkg.files.filter((f) => !f.isTest);
      const name = packageName(files);
      return this.parsedFor(key, importPath, files.filter((f) => name === undefined || f.header.packageName === name), false);
    }
    return isStdPath(importPath) ? this.shippedStd(importPath) : undefined;
  }

  /** A standard package from the shipped facts. */
  shippedStd(importPath: string): SymbolSource | undefined {
    let s = this.shipped.get(importPath);
    if (s === undefined) {
      const facts = stdFacts();
      if (!facts) this.missingStdFacts = stdFactsError();
      const pkg = facts?.package(importPath);
      s = facts && pkg ? new ShippedSource(importPath, facts, pkg, this.ctx.targets, (p) => this.shippedStd(p)) : null;
      this.shipped.set(importPath, s);
    }
    return s ?? undefined;
  }

  /** The imports of a file by local name, with their packages. */
  fileImports(f: SourceFile): FileImports {
    let fi = this.imports.get(f);
    if (fi) return fi;
    fi = { byName: new Map(), dots: [], guessed: new Set() };
    for (const imp of f.header.imports) {
      if (imp.path === 'C') {
        fi.byName.set('C', { path: 'C', line: imp.line, col: imp.col, endCol: imp.endCol });
        continue;
      }
      if (imp.name === '_') continue;
      const key = `${imp.path}\0${f.dir}\0${f.isTest}`;
      let src = this.byImport.get(key);
      if (src === undefined) {
        src = this.sourceByPath(imp.path, f) ?? null;
        this.byImport.set(key, src);
      }
      if (imp.name === '.') {
        fi.dots.push(src ?? undefined);
        continue;
      }
      let name = imp.name ?? src?.name;
      if (!name) {
        name = guessName(imp.path);
        fi.guessed.add(name);
      }
      fi.byName.set(name, { path: imp.path, src: src ?? undefined, line: imp.line, col: imp.col, endCol: imp.endCol });
    }
    this.imports.set(f, fi);
    return fi;
  }

  importSource(file: SourceFile, importName: string): SymbolSource | undefined {
    return this.fileImports(file).byName.get(importName)?.src;
  }
}

/** A package's name: that of its files that build for some target (else of any file). */
function packageName(files: SourceFile[]): string | undefined {
  return (files.find((f) => f.builds.size > 0 && f.header.packageName) ?? files.find((f) => f.header.packageName))?.header.packageName;
}

/** The go command's guess at an unresolved import's name: its last element, without a major-version suffix. */
function guessName(importPath: string): string {
  const parts = importPath.split('/');
  let last = parts[parts.length - 1];
  if (/^v[0-9]+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  return last.replace(/^go-/, '').replace(/[.-]go$/, '').replace(/[^\p{L}\p{Nd}_]/gu, '_');
}


// The package world a run can see: the scanned packages and, loaded on demand, every
// package they import (module, vendor/, module cache, GOROOT), each file with its header
// and the run's targets it builds for. Syntax facts come from one shared worker pool.
import * as path from 'node:path';
import type { Notification } from '../types';
import type { Origin, Package, SourceFile } from './types';
import type { BuildContext } from '../constraints/match';
import type { FileFacts } from '../syntax/facts';
import type { FactsPool, FactsResult } from '../syntax/pool';
import type { Resolver } from '../discover/resolve';
import { goFilesIn, loadFile, toRel } from '../engine/files';
import { extractFacts } from '../syntax/facts';

/**
 * What a long-lived host (crossvet lsp) keeps between runs so that a run after an edit
 * redoes only what the edit touched: dependency packages as the header pass loaded them,
 * and syntax facts by file text. The host decides when an entry is stale
 * (src/lsp/session.ts); a run without a memo loads everything, as the CLI does.
 */
export interface WorldMemo {
  /**
   * A dependency package an earlier run loaded from `dir` under the same `key` (root, build
   * contexts, import path), when its files have not changed since; `stamp` is what `putPackage`
   * is given after a miss, taken before the files are read.
   */
  package(key: string, dir: string, overlay: ReadonlyMap<string, string> | undefined): { hit?: MemoPackage; stamp: unknown };
  putPackage(key: string, dir: string, stamp: unknown, entry: MemoPackage): void;
  /** The facts of a file whose text is exactly `text`, if known. */
  facts(file: string, text: string): FileFacts | undefined;
  putFacts(file: string, text: string, facts: FileFacts): void;
}

export interface MemoPackage {
  pkg: Package | null;
  /** The text of each file of `pkg`, by path. */
  texts: Map<string, string>;
}

export class World {
  private byDir = new Map<string, Package | null>();
  private byImport = new Map<string, Package | null>();
  private texts = new Map<string, string>();
  private factsByPath = new Map<string, FileFacts>();
  private unresolved = new Set<string>();
  parsed = 0;
  cacheHits = 0;

  constructor(
    readonly root: string,
    private readonly contexts: BuildContext[],
    private readonly includeTests: boolean,
    private readonly resolver: Resolver | undefined,
    private readonly pool: () => FactsPool,
    readonly notes: Notification[],
    /** Unsaved editor buffers by absolute path (crossvet lsp): they replace, or add to, the files on disk. */
    private readonly overlay?: ReadonlyMap<string, string>,
    /** What an earlier run of the same host loaded (crossvet lsp); absent: load everything. */
    private readonly memo?: WorldMemo,
  ) {
    this.memoKey = memo ? JSON.stringify([root, contexts.map((c) => [c.target.id, c.cgo, c.tags, c.goMinor, c.compiler, c.experiments])]) : '';
  }

  private readonly memoKey: string;

  /** Load the .go files of a directory as one package (tests included when the run includes them). */
  loadDir(dir: string, importPath: string, origin: Origin, onlyFiles?: Set<string>): Package | undefined {
    const cached = this.byDir.get(dir);
    if (cached !== undefined) return cached ?? undefined;
    // Dependencies rarely change between two runs of an editor session: take them from the memo.
    const memoKey = this.memo && origin !== 'scan' ? `${this.memoKey}\0${importPath}\0${origin}` : undefined;
    const memo = memoKey ? this.memo!.package(memoKey, dir, this.overlay) : undefined;
    if (memo?.hit) {
      for (const [p, t] of memo.hit.texts) this.texts.set(p, t);
      this.byDir.set(dir, memo.hit.pkg);
      return memo.hit.pkg ?? undefined;
    }
    const files: SourceFile[] = [];
    // Dependencies are read quietly: their unreadable files are not the user's problem.
    const notes = origin === 'scan' ? this.notes : [];
    const names = goFilesIn(dir, notes);
    // An unsaved buffer of a file not yet on disk belongs to its directory's package too.
    for (const p of this.overlay?.keys() ?? []) {
      if (path.dirname(p) === dir && p.endsWith('.go') && !names.includes(p)) names.push(p);
    }
    for (const full of names.sort()) {
      if (onlyFiles?.size && !onlyFiles.has(full)) continue;
      const loaded = loadFile(full, { root: this.root, contexts: this.contexts, includeTests: origin === 'scan' && this.includeTests, notes, overlay: this.overlay });
      if (!loaded) continue;
      // Tests of dependencies never build into the user's packages; the user's own are in unless --no-tests.
      if (loaded.file.isTest && !(origin === 'scan' && this.includeTests)) continue;
      this.texts.set(full, loaded.text);
      files.push(loaded.file);
    }
    const pkg = files.length ? { dir, importPath, origin, files } : null;
    this.byDir.set(dir, pkg);
    if (memo && memoKey) this.memo!.putPackage(memoKey, dir, memo.stamp, { pkg, texts: new Map(files.map((f) => [f.path, this.texts.get(f.path)!])) });
    return pkg ?? undefined;
  }

  /**
   * The directory an import path names, seen from a file. An import that resolves nowhere
   * is reported once, as a notification at its first use.
   */
  resolve(importPath: string, from: SourceFile): { dir: string; origin: Origin } | undefined {
    if (!this.resolver || importPath === 'C') return undefined;
    const r = this.resolver.resolve(importPath, from.dir);
    // Without a GOROOT every std import fails the same way; the engine says so once.
    if ('error' in r && r.code === 'no-goroot') return undefined;
    if (!('error' in r)) {
      const origin: Origin = r.origin === 'std' ? 'std' : r.origin === 'vendor' ? 'vendor' : r.origin === 'modcache' ? 'modcache' : 'module';
      return { dir: path.resolve(r.dir), origin };
    }
    if (!this.unresolved.has(importPath)) {
      this.unresolved.add(importPath);
      const imp = from.header.imports.find((i) => i.path === importPath);
      this.notes.push({
        level: 'note',
        id: 'unresolved-import',
        file: from.path,
        span: imp ? { start: { line: imp.line, col: imp.col }, end: { line: imp.line, col: imp.endCol } } : undefined,
        message: `cannot resolve import "${importPath}": ${r.error}; analysis goes on without it`,
      });
    }
    return undefined;
  }

  /** The package an import path names, seen from a file, loaded on first use. */
  importPackage(importPath: string, from: SourceFile): Package | undefined {
    const key = `${importPath}\0${from.dir}`;
    if (this.byImport.has(key)) return this.byImport.get(key) ?? undefined;
    const r = this.resolve(importPath, from);
    const pkg = r ? this.loadDir(r.dir, importPath, r.origin) : undefined;
    this.byImport.set(key, pkg ?? null);
    return pkg;
  }

  source(file: SourceFile): string {
    return this.texts.get(file.path) ?? '';
  }

  facts(file: SourceFile): FileFacts | undefined {
    return this.factsByPath.get(file.path);
  }

  /** Parse (or fetch from the cache) the syntax facts of these files. */
  async ensureFacts(files: SourceFile[]): Promise<void> {
    const need = [...new Set(files.filter((f) => !this.factsByPath.has(f.path)).map((f) => f.path))];
    if (need.length === 0) return;
    // Worker threads read files from disk; unsaved buffers are parsed here.
    const got = new Map<string, FactsResult>();
    const remembered = new Set<string>();
    for (const p of need) {
      const text = this.memo ? this.texts.get(p) : undefined;
      const hit = text !== undefined ? this.memo!.facts(p, text) : undefined;
      if (hit) {
        got.set(p, hit);
        remembered.add(p);
        this.cacheHits++;
      }
    }
    for (const p of need.filter((n) => !got.has(n) && this.overlay?.has(n))) got.set(p, factsOfText(this.overlay!.get(p)!, p));
    const onDisk = need.filter((n) => !got.has(n) && !this.overlay?.has(n));
    if (onDisk.length) {
      const pool = this.pool();
      const before = pool.stats();
      for (const [p, r] of await pool.facts(onDisk)) got.set(p, r);
      const after = pool.stats();
      this.parsed += after.parsed - before.parsed;
      this.cacheHits += after.cacheHits - before.cacheHits;
    }
    for (const [p, r] of got) {
      if ('error' in r) {
        this.notes.push({ level: 'warning', id: 'parse-failed', file: p, message: `cannot parse ${toRel(this.root, p)}: ${r.error}` });
        continue;
      }
      this.factsByPath.set(p, r);
      const text = this.texts.get(p);
      if (this.memo && !remembered.has(p) && text !== undefined) this.memo.putFacts(p, text, r);
      if (r.errors.length && p.startsWith(this.root + path.sep)) {
        const e = r.errors[0];
        this.notes.push({
          level: 'note',
          id: 'syntax-error',
          file: p,
          span: e.span,
          message: `syntax error (${r.errors.length} in file; facts are partial): ${e.message}`,
        });
      }
    }
  }
}

function factsOfText(text: string, file: string): FactsResult {
  try {
    return extractFacts(Buffer.from(text, 'utf8'), file);
  } catch (e) {
    return { error: (e as Error).message };
  }
}

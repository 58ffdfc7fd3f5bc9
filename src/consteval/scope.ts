// Package scopes for one target: which declaration a package-level name denotes, given the
// files of the package that build for that target. Files are parsed only when needed: a
// cheap text search finds the files that could declare a name, and only those must have
// syntax facts. When a needed file has none yet, lookups throw Pending with the files to
// parse; the caller parses them and runs the check again.
import type { Package, SourceFile } from '../model/types';
import type { ConstSpec, ConstsFacts, FuncSpec, TypeSpec, VarSpec } from './ast';
import { isStdPath } from '../stdlib';

export interface Host {
  /** File text as read. */
  text(f: SourceFile): string;
  /** The file's facts; undefined when not parsed yet, null when it cannot be parsed. */
  facts(f: SourceFile): ConstsFacts | null | undefined;
  /** The package an import path names, seen from a file. */
  importPackage(path: string, from: SourceFile): Package | undefined;
  /** The package a file belongs to. */
  packageOf(f: SourceFile): Package | undefined;
}

/**
 * Thrown when facts of these files are needed and not there yet. Not an Error: it is thrown
 * often and caught close by, and a stack trace would only cost time.
 */
export class Pending {
  constructor(readonly files: SourceFile[]) {}
}

export type PkgDecl =
  | { kind: 'const'; spec: ConstSpec; file: SourceFile }
  | { kind: 'var'; spec: VarSpec; file: SourceFile }
  | { kind: 'type'; spec: TypeSpec; file: SourceFile }
  | { kind: 'func'; spec: FuncSpec; file: SourceFile };

const ID = String.raw`[\p{L}_][\p{L}\p{N}_]*`;

/**
 * Lines on which names could be declared at package level: after func/type/var/const
 * (possibly a name list), or at the start of an indented line of a group, followed by `=`,
 * `,`, the end of the line or a type. Over-inclusive on purpose (assignments match too): a
 * false candidate only costs a parse, a missed one would hide a declaration.
 */
const DECL_LINE = new RegExp(String.raw`^([ \t]*)(?:(func|type|var|const)[ \t]+(?:\([ \t]*)?)?((?:${ID}[ \t]*,[ \t]*)*${ID})`, 'gmu');
/** What may follow the names of a spec in a group (tested separately: an optional group matching nothing counts as unmatched). */
const SPEC_FOLLOW = /[ \t]*(?:=(?!=)|,|\/\/|;|\r?\n|$)|[ \t]+[\p{L}_*[(.]/uy;
const METHOD_LINE = new RegExp(String.raw`^func[ \t]*\([^)\n]*\)[ \t]*(${ID})`, 'gmu');

/** Per package (all targets): which files could declare a name or a method, from one pass over each file. */
export class DeclIndex {
  private decl?: Map<string, Set<string>>;
  private meth?: Map<string, Set<string>>;
  constructor(
    private readonly host: Host,
    private readonly files: SourceFile[],
  ) {}

  private build(): void {
    const decl = new Map<string, Set<string>>();
    const meth = new Map<string, Set<string>>();
    const add = (m: Map<string, Set<string>>, name: string, file: string) => {
      let s = m.get(name);
      if (!s) m.set(name, (s = new Set()));
      s.add(file);
    };
    for (const f of this.files) {
      const text = this.host.text(f);
      for (const m of text.matchAll(DECL_LINE)) {
        const [whole, indent, keyword, list] = m;
        if (!keyword) {
          if (indent === '') continue;
          SPEC_FOLLOW.lastIndex = m.index + whole.length;
          if (!SPEC_FOLLOW.test(text)) continue;
        }
        for (const n of list.split(',')) add(decl, n.trim(), f.path);
      }
      for (const m of text.matchAll(METHOD_LINE)) add(meth, m[1], f.path);
    }
    this.decl = decl;
    this.meth = meth;
  }

  declFiles(name: string): ReadonlySet<string> {
    if (!this.decl) this.build();
    return this.decl!.get(name) ?? NO_FILES;
  }

  methodFiles(name: string): ReadonlySet<string> {
    if (!this.meth) this.build();
    return this.meth!.get(name) ?? NO_FILES;
  }
}

const NO_FILES: ReadonlySet<string> = new Set();

/** The package-level names of one package as one target sees them. */
export class PackageScope {
  private decls = new Map<string, PkgDecl | null>();
  private methods = new Map<string, { spec: FuncSpec; file: SourceFile } | null>();

  constructor(
    readonly host: Host,
    readonly index: DeclIndex,
    /** Identity of the package (directory plus package name). */
    readonly id: string,
    /** Identity of this view of it (with or without test files). */
    readonly key: string,
    readonly pkgPath: string,
    readonly pkgName: string,
    /** Files of the package that build for the target and are visible here. */
    readonly files: SourceFile[],
  ) {}

  /** Facts of these files, or Pending for those not parsed yet; unparseable files are skipped. */
  factsOf(files: SourceFile[]): { file: SourceFile; facts: ConstsFacts }[] {
    const missing = files.filter((f) => this.host.facts(f) === undefined);
    if (missing.length) throw new Pending(missing);
    const out: { file: SourceFile; facts: ConstsFacts }[] = [];
    for (const f of files) {
      const facts = this.host.facts(f);
      if (facts) out.push({ file: f, facts });
    }
    return out;
  }

  /** The package-level declaration of `name`, if the package has one for this target. */
  lookup(name: string): PkgDecl | undefined {
    const cached = this.decls.get(name);
    if (cached !== undefined) return cached ?? undefined;
    const paths = this.index.declFiles(name);
    const found = this.find(this.factsOf(this.files.filter((f) => paths.has(f.path))), name);
    this.decls.set(name, found ?? null);
    return found;
  }

  private find(list: { file: SourceFile; facts: ConstsFacts }[], name: string): PkgDecl | undefined {
    for (const { file, facts } of list) {
      const c = facts.consts.find((x) => x.n === name);
      if (c) return { kind: 'const', spec: c, file };
      const v = facts.vars.find((x) => x.n === name);
      if (v) return { kind: 'var', spec: v, file };
      const t = facts.types.find((x) => x.n === name);
      if (t) return { kind: 'type', spec: t, file };
      const fn = facts.funcs.find((x) => x.n === name && x.recv === undefined);
      if (fn) return { kind: 'func', spec: fn, file };
    }
    return undefined;
  }

  /** A method `name` declared on the package's type `recv`. */
  method(recv: string, name: string): { spec: FuncSpec; file: SourceFile } | undefined {
    const key = `${recv}.${name}`;
    const cached = this.methods.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const paths = this.index.methodFiles(name);
    let found: { spec: FuncSpec; file: SourceFile } | undefined;
    for (const { file, facts } of this.factsOf(this.files.filter((f) => paths.has(f.path)))) {
      const fn = facts.funcs.find((x) => x.n === name && x.recv === recv);
      if (fn) {
        found = { spec: fn, file };
        break;
      }
    }
    this.methods.set(key, found ?? null);
    return found;
  }
}

function lastElement(path: string): string {
  const parts = path.split('/');
  let last = parts[parts.length - 1];
  // Major-version suffixes: example.com/x/v2, gopkg.in/yaml.v3.
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  return last.replace(/\.v\d+$/, '').replace(/^go-/, '').replace(/[-.]go$/, '');
}

/** Every package scope one target sees, created on demand. */
export class Scopes {
  private scopes = new Map<string, PackageScope>();
  private importNames = new Map<string, string | null>();

  /** `indexes` may be shared by the Scopes of several targets: text searches do not depend on the target. */
  constructor(
    readonly host: Host,
    readonly targetId: string,
    private readonly indexes = new Map<string, DeclIndex>(),
  ) {}

  private make(pkg: Package, name: string, withTests: boolean): PackageScope {
    const key = `${pkg.dir}\0${name}\0${withTests ? 't' : ''}`;
    let s = this.scopes.get(key);
    if (s) return s;
    const ikey = `${pkg.dir}\0${name}`;
    let index = this.indexes.get(ikey);
    if (!index) {
      index = new DeclIndex(this.host, pkg.files.filter((f) => f.header.packageName === name));
      this.indexes.set(ikey, index);
    }
    const files = pkg.files.filter((f) => f.builds.has(this.targetId) && f.header.packageName === name && (withTests || !f.isTest));
    const pkgPath = name.endsWith('_test') && !pkg.importPath.endsWith('_test') ? `${pkg.importPath}_test` : pkg.importPath;
    s = new PackageScope(this.host, index, ikey, key, pkgPath, name, files);
    this.scopes.set(key, s);
    return s;
  }

  /** The scope a file's own code sees (a test file also sees the package's other test files). */
  scopeOf(file: SourceFile): PackageScope | undefined {
    const pkg = this.host.packageOf(file);
    const name = file.header.packageName;
    return pkg && name ? this.make(pkg, name, file.isTest) : undefined;
  }

  /** The scope of an imported package, by import path. */
  importScope(from: SourceFile, path: string): PackageScope | undefined {
    const pkg = this.host.importPackage(path, from);
    if (!pkg) return undefined;
    const name = pkg.files.find((f) => !f.isTest)?.header.packageName;
    return name ? this.make(pkg, name, false) : undefined;
  }

  /** Whether the file has an import explicitly named `name`. */
  namedImport(from: SourceFile, name: string): boolean {
    return (from.header.imports as { name?: string }[]).some((i) => i.name === name);
  }

  /** The import path a file's import `name` stands for (explicitly named or by package name). */
  importPath(from: SourceFile, name: string): string | undefined {
    const key = `${from.path}\0${name}`;
    const cached = this.importNames.get(key);
    if (cached !== undefined) return cached ?? undefined;
    let found: string | undefined;
    const imports = from.header.imports as { path: string; name?: string }[];
    const explicit = imports.find((i) => i.name === name);
    if (explicit) found = explicit.path;
    else {
      // Unnamed imports: the package clause decides; try the likely one first.
      const unnamed = imports.filter((i) => !i.name);
      const order = [...unnamed.filter((i) => lastElement(i.path) === name), ...unnamed.filter((i) => lastElement(i.path) !== name)];
      for (const imp of order) {
        if (imp.path === 'C') continue;
        const loaded = imp.path === 'unsafe' ? undefined : this.host.importPackage(imp.path, from);
        // A standard package that cannot be loaded (no GOROOT) is named by its last element.
        const pkgName = imp.path === 'unsafe' ? 'unsafe' : loaded ? loaded.files.find((f) => !f.isTest)?.header.packageName : isStdPath(imp.path) ? lastElement(imp.path) : undefined;
        if (pkgName === name) {
          found = imp.path;
          break;
        }
      }
    }
    this.importNames.set(key, found ?? null);
    return found;
  }
}

// Package-level names declared twice on some targets. Two files whose build constraints
// overlap more than their author meant (`x_unix.go` and `x_darwin.go`, `//go:build !windows`
// beside `_linux.go`) both build for a target, and the compiler stops with "x redeclared in
// this block" (for methods: "method T.m already declared") there only.
//
// Each package's files are taken as the go command hands them to the compiler: the
// package's files sorted by name (the later declaration is the one reported), with its
// in-package test files after them for `go test`, and the external test package alone.
// Only packages whose files build for different sets of targets are read: where every
// file builds everywhere, a redeclaration breaks every build, the author's own too.
import type { RuleContext } from '../rule';
import type { Diagnostic, Location } from '../types';
import type { SourceFile } from '../model/types';
import { topLevelNames, type TopLevelName } from './toplevel';

interface Decl {
  file: SourceFile;
  decl: TopLevelName;
}

interface Found {
  decl: Decl;
  /** The earlier declaration the compiler points to, per target (it can differ by target). */
  others: Map<string, Decl>;
}

const key = (d: TopLevelName) => (d.kind === 'method' ? `${d.recv}.${d.name}` : d.name);

/** Whether a name never clashes: the blank identifier, and init functions. */
function exempt(d: TopLevelName): boolean {
  return d.name === '_' || (d.kind === 'func' && d.name === 'init');
}

export function findRedeclarations(ctx: RuleContext): Diagnostic[] {
  const order = ctx.targets.map((t) => t.id);
  const names = new Map<string, TopLevelName[]>();
  const namesOf = (f: SourceFile): TopLevelName[] => {
    let n = names.get(f.path);
    if (!n) names.set(f.path, (n = topLevelNames(Buffer.from(ctx.source(f), 'utf8')).filter((d) => !exempt(d))));
    return n;
  };
  const found = new Map<string, Found>();
  const byName = (a: SourceFile, b: SourceFile) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const pkg of ctx.packages) {
    const files = pkg.files.filter((f) => f.builds.size > 0 && f.header.packageName !== undefined && !f.header.error);
    const lib = files.filter((f) => !f.isTest).sort(byName);
    const libName = lib[0]?.header.packageName;
    const internal = files.filter((f) => f.isTest && f.header.packageName === libName).sort(byName);
    const external = files.filter((f) => f.isTest && f.header.packageName !== libName).sort(byName);
    // The package build, the test build (reporting only what involves a test file), the external tests.
    const groups: { files: SourceFile[]; testOnly: boolean }[] = [
      { files: lib, testOnly: false },
      { files: [...lib, ...internal], testOnly: true },
      { files: external, testOnly: false },
    ];
    for (const g of groups) {
      if (g.files.length < 2 || (g.testOnly && internal.length === 0)) continue;
      const sets = new Set(g.files.map((f) => [...f.builds].sort().join(',')));
      if (sets.size < 2) continue;
      for (const target of order) {
        const seen = new Map<string, Decl>();
        for (const file of g.files) {
          if (!file.builds.has(target)) continue;
          for (const decl of namesOf(file)) {
            const k = key(decl);
            const first = seen.get(k);
            if (!first) {
              seen.set(k, { file, decl });
              continue;
            }
            if (g.testOnly && !file.isTest && !first.file.isTest) continue;
            const at = `${file.path}:${decl.span.start.line}:${decl.span.start.col}`;
            const f = found.get(at) ?? { decl: { file, decl }, others: new Map<string, Decl>() };
            f.others.set(target, first);
            found.set(at, f);
          }
        }
      }
    }
  }
  return [...found.values()].map((f) => diagnostic(ctx, f, order));
}

function diagnostic(ctx: RuleContext, f: Found, order: string[]): Diagnostic {
  const { decl } = f;
  const d = decl.decl;
  const targets = order.filter((t) => f.others.has(t));
  const what = d.kind === 'method' ? `method ${d.recv}.${d.name}` : d.name;
  const goSays = d.kind === 'method' ? `method ${d.recv}.${d.name} already declared` : `${d.name} redeclared in this block`;
  // The other declarations, each with the targets where it is the one that clashes.
  const others = new Map<string, { other: Decl; targets: string[] }>();
  for (const t of targets) {
    const o = f.others.get(t)!;
    const k = `${o.file.path}:${o.decl.span.start.line}:${o.decl.span.start.col}`;
    const e = others.get(k) ?? { other: o, targets: [] };
    e.targets.push(t);
    others.set(k, e);
  }
  const at = (o: Decl) => (o.file.path === decl.file.path ? `line ${o.decl.span.start.line}` : `${o.file.name}:${o.decl.span.start.line}`);
  const list = [...others.values()];
  const where = list.length === 1 ? at(list[0].other) : list.map((e) => `${at(e.other)} (${e.targets.join(', ')})`).join(', ');
  const sameFile = list.every((e) => e.other.file.path === decl.file.path);
  const files = [...new Set(list.map((e) => e.other.file.name).filter((n) => n !== decl.file.name))];
  const testing = decl.file.isTest || list.some((e) => e.other.file.isTest);
  const message =
    `${what} is declared twice on ${targets.join(', ')}: here and at ${where}` +
    (sameFile ? '' : `, because ${decl.file.name} builds there together with ${files.join(' and ')}`) +
    `${testing ? ' (when testing)' : ''}; Go stops with "${goSays}". ` +
    (sameFile ? 'Remove one of the declarations.' : 'Make the files\' build constraints exclusive, so that exactly one declaration builds for each target.');
  const related: Location[] = list.map((e) => ({ file: e.other.file.path, span: e.other.decl.span, message: `the other declaration of ${what} (${e.targets.join(', ')})` }));
  return {
    ruleId: 'platform-symbol',
    file: decl.file.path,
    span: d.span,
    message,
    targets,
    related,
    properties: { kind: 'redeclared', name: d.name, ...(d.recv ? { receiver: d.recv } : {}) },
  };
}

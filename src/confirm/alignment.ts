// Confirming atomic-alignment findings. The compiler accepts a misaligned 64-bit atomic, so
// the driver compiles one more file per package through `go list -overlay`: for every
// finding, a constant assertion that is a compile error exactly when the word is not
// 8-byte aligned on the target:
//
//     var crossvetAlign3 Counter
//     var _ = [1]struct{}{}[(unsafe.Offsetof(crossvetAlign3.stats) + unsafe.Offsetof(crossvetAlign3.stats.total)) % 8]
//
// The index is a constant, so an offset that is not a multiple of 8 is "index out of
// range" at compile time, on each 32-bit target with its own layout. The finding tells
// which word it means through properties.atomic (docs/confirm.md):
//
//     { struct: "example.com/m/pkg.Counter",   // import path and name of the allocation's type
//       fieldPath: ["stats", "total"],          // field names, and array indices as numbers; a
//                                               // leading number is an element of a slice or
//                                               // array of the struct ([2, "n"]: element 2's n)
//       elements?: true,                        // the allocation is a slice or array of struct,
//                                               // any element: its size must be a multiple of 8 too
//       inner?: { struct, fieldPath, inner? } } // the path goes on in a struct of another package
//                                               // (whose fields may be unexported): that part's
//                                               // offset is an exported constant of a file
//                                               // added to that package, and the assertion adds it
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../types';
import type { Target } from '../targets';
import type { ListedPackage } from './compiler';
import type { Overlay } from './driver';
import type { TargetVerdict } from './types';
import { TargetView } from './view';

export interface AtomicSpec {
  pkg: string;
  typeName: string;
  fieldPath: (string | number)[];
  elements: boolean;
  inner?: AtomicSpec;
}

const IDENT = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;

/** The documented properties.atomic of a finding, or why it cannot be used. */
export function atomicSpec(d: Diagnostic): AtomicSpec | { problem: string } {
  const a = d.properties?.atomic;
  if (!a || typeof a !== 'object') return { problem: 'the finding carries no properties.atomic (struct, fieldPath) to build an assertion from' };
  return specOf(a as Record<string, unknown>, 'properties.atomic');
}

function specOf(a: Record<string, unknown>, where: string): AtomicSpec | { problem: string } {
  if (typeof a.struct !== 'string' || !a.struct.includes('.')) return { problem: `${where}.struct must be "<import path>.<type name>", got ${JSON.stringify(a.struct)}` };
  const dot = a.struct.lastIndexOf('.');
  const pkg = a.struct.slice(0, dot);
  const typeName = a.struct.slice(dot + 1);
  if (!IDENT.test(typeName)) return { problem: `cannot name the type ${JSON.stringify(a.struct)} in Go source (generic instances are not supported)` };
  if (!Array.isArray(a.fieldPath) || a.fieldPath.length === 0) return { problem: `${where}.fieldPath must be a non-empty list` };
  for (const s of a.fieldPath) {
    const ok = (typeof s === 'string' && (IDENT.test(s) || s === ANY)) || (typeof s === 'number' && Number.isInteger(s) && s >= 0);
    if (!ok) return { problem: `bad step ${JSON.stringify(s)} in ${where}.fieldPath: want field names and array indices` };
  }
  const firstName = a.fieldPath.findIndex((s) => typeof s === 'string');
  if (firstName < 0 || firstName > 1) return { problem: `${where}.fieldPath must start with a field name, or an element index and a field name` };
  if (a.fieldPath[0] === ANY) return { problem: `${where}.fieldPath must start with a field name, or an element index and a field name` };
  if (a.fieldPath.filter((s) => s === ANY).length > MAX_ANY) return { problem: `${where}.fieldPath has more than ${MAX_ANY} non-constant indices` };
  const spec: AtomicSpec = { pkg, typeName, fieldPath: a.fieldPath as (string | number)[], elements: a.elements === true };
  if (a.inner !== undefined) {
    if (!a.inner || typeof a.inner !== 'object') return { problem: `${where}.inner must be an object` };
    const inner = specOf(a.inner as Record<string, unknown>, `${where}.inner`);
    if ('problem' in inner) return inner;
    if (typeof inner.fieldPath[0] !== 'string' || inner.elements || inner.fieldPath.includes(ANY) || inner.inner?.fieldPath.includes(ANY)) {
      return { problem: `${where}.inner must start with a field name and cannot have elements or non-constant indices` };
    }
    spec.inner = inner;
  }
  return spec;
}

/**
 * A non-constant index in the middle of a path (`r.slots[i]`). Elements 0 and 1 of an array
 * have every offset mod 8 that its other elements have, so the assertion checks both.
 */
const ANY = '*';
const MAX_ANY = 3;

/** The byte offset terms of a field path from variable v (constant expressions). */
function offsetTerms(v: string, fieldPath: (string | number)[], unsafeName: string): string[] {
  const terms: string[] = [];
  let x = v;
  fieldPath.forEach((step, i) => {
    if (i === 0 && typeof step === 'number') {
      // An element of a slice or array of the struct: v stands for element 0.
      terms.push(`${step}*${unsafeName}.Sizeof(${v})`);
    } else if (typeof step === 'string') {
      x += `.${step}`;
      terms.push(`${unsafeName}.Offsetof(${x})`);
    } else {
      // Offsets inside any element are those inside element 0, which every array has.
      terms.push(`${step}*${unsafeName}.Sizeof(${x}[0])`);
      x += '[0]';
    }
  });
  return terms;
}

/**
 * The constant expression whose value mod 8 is the word's misalignment (0 when aligned).
 * `innerOffset` names the constant that holds the offset of spec.inner's path, if any.
 */
export function misalignmentExpr(v: string, spec: AtomicSpec, unsafeName: string, innerOffset?: string): string {
  // Each non-constant index as 0 and as 1: the word is misaligned if any choice is.
  let paths: (string | number)[][] = [[]];
  for (const step of spec.fieldPath) paths = step === ANY ? paths.flatMap((p) => [[...p, 0], [...p, 1]]) : paths.map((p) => [...p, step]);
  const residues = paths.map((p) => {
    const terms = offsetTerms(v, p, unsafeName);
    if (innerOffset) terms.push(innerOffset);
    return `(${terms.join(' + ')}) % 8`;
  });
  const offset = residues.join(' | ');
  return spec.elements ? `${offset} | ${unsafeName}.Sizeof(${v}) % 8` : offset;
}

interface Assertion {
  finding: number;
  elements: boolean;
  file: string;
  varLine: number;
  assertLine: number;
  /** Files added to the packages of the finding's inner structs. */
  helpers: string[];
}

/** A generated Go file: its imports (unsafe, and packages of inner structs) and its declarations. */
class GoFile {
  readonly body: string[] = [];
  private readonly imports = new Map<string, string>();

  constructor(
    readonly path: string,
    private readonly pkgName: string,
    private readonly what: string,
  ) {}

  /** The name this file imports a package under. */
  importName(importPath: string): string {
    let n = this.imports.get(importPath);
    if (!n) this.imports.set(importPath, (n = `crossvetpkg${this.imports.size}`));
    return n;
  }

  /** The text, and how many lines come before body[0] (body line k is line offset + k). */
  render(): { text: string; offset: number } {
    const head = [
      `// Code generated by crossvet --confirm: ${this.what}. DO NOT EDIT.`,
      '',
      `package ${this.pkgName}`,
      '',
      `import ${UNSAFE} "unsafe"`,
      ...[...this.imports].map(([p, n]) => `import ${n} ${JSON.stringify(p)}`),
    ];
    return { text: [...head, ...this.body].join('\n') + '\n', offset: head.length };
  }
}

const UNSAFE = 'crossvetunsafe';

/** Plans the assertions of every target and reads their outcome. */
export class AlignmentCheck {
  private readonly specs = new Map<number, AtomicSpec>();
  /** Verdicts decided without compiling (no usable spec, struct's package not found). */
  private readonly early = new Map<string, Map<number, TargetVerdict>>();
  private readonly asserted = new Map<string, Assertion[]>();

  constructor(private readonly findings: { index: number; diag: Diagnostic; targets: string[] }[]) {
    for (const f of findings) {
      const s = atomicSpec(f.diag);
      if ('problem' in s) for (const t of f.targets) this.setEarly(t, f.index, { status: 'unknown', message: s.problem });
      else this.specs.set(f.index, s);
    }
  }

  private setEarly(target: string, index: number, v: TargetVerdict): void {
    let m = this.early.get(target);
    if (!m) this.early.set(target, (m = new Map()));
    m.set(index, v);
  }

  /** Targets on which this check has something to do (32-bit ones with findings). */
  wants(t: Target): boolean {
    return this.findings.some((f) => f.targets.includes(t.id));
  }

  overlayFor(t: Target, packages: ListedPackage[]): Overlay | undefined {
    const byPkg = new Map<string, { pkg: ListedPackage; items: { index: number; spec: AtomicSpec }[] }>();
    const listed = (importPath: string) => packages.find((p) => p.ImportPath === importPath && !p.ForTest && p.Dir);
    for (const f of this.findings) {
      if (!f.targets.includes(t.id)) continue;
      const spec = this.specs.get(f.index);
      if (!spec) continue;
      if (t.int64Align === 8) {
        this.setEarly(t.id, f.index, { status: 'unknown', message: `${t.id} aligns 64-bit words to 8 bytes; there is nothing to assert` });
        continue;
      }
      // Every package of the chain must be compiled here, and not be the standard library.
      let problem: string | undefined;
      for (let link: AtomicSpec | undefined = spec; link && !problem; link = link.inner) {
        const p = listed(link.pkg);
        if (!p) problem = `package ${link.pkg} of ${link.pkg}.${link.typeName} was not compiled for ${t.id}`;
        else if (p.Goroot) problem = `${link.pkg}.${link.typeName} is in the standard library, which crossvet does not add files to`;
      }
      if (problem) {
        this.setEarly(t.id, f.index, { status: 'unknown', message: problem });
        continue;
      }
      const g = byPkg.get(spec.pkg) ?? { pkg: listed(spec.pkg)!, items: [] };
      g.items.push({ index: f.index, spec });
      byPkg.set(spec.pkg, g);
    }
    const files = new Map<string, string>();
    const assertions: Assertion[] = [];
    // Files added to the packages of inner structs: exported constants with their offsets.
    const helpers = new Map<string, GoFile>();
    const helperFor = (importPath: string): GoFile => {
      let h = helpers.get(importPath);
      if (!h) {
        const pkg = listed(importPath)!;
        helpers.set(importPath, (h = new GoFile(freeName(pkg.Dir!, false), pkg.Name!, 'offsets of inner structs')));
      }
      return h;
    };
    /** Declares the offset of link's path in its own package; the expression that reads it from `from`. */
    const innerOffset = (link: AtomicSpec, id: string, from: GoFile, fromPkg: string): string => {
      const h = helperFor(link.pkg);
      const v = `crossvetAlignOffVar${id}`;
      const c = `CrossvetAlignOff${id}`;
      const terms = offsetTerms(v, link.fieldPath, UNSAFE);
      if (link.inner) terms.push(innerOffset(link.inner, `${id}_1`, h, link.pkg));
      h.body.push('', `var ${v} ${link.typeName}`, `const ${c} = ${terms.join(' + ')}`);
      return fromPkg === link.pkg ? c : `${from.importName(link.pkg)}.${c}`;
    };
    for (const { pkg, items } of byPkg.values()) {
      const file = new GoFile(freeName(pkg.Dir!, true), pkg.Name!, 'compile-time alignment assertions');
      const lines: { index: number; spec: AtomicSpec; inner?: string }[] = [];
      for (const { index, spec } of items) lines.push({ index, spec, inner: spec.inner ? innerOffset(spec.inner, String(index), file, spec.pkg) : undefined });
      for (const { index, spec, inner } of lines) {
        const v = `crossvetAlign${index}`;
        file.body.push('', `var ${v} ${spec.typeName}`);
        const varLine = file.body.length;
        file.body.push(`var _ = [1]struct{}{}[${misalignmentExpr(v, spec, UNSAFE, inner)}]`);
        assertions.push({ finding: index, elements: spec.elements, file: file.path, varLine, assertLine: file.body.length, helpers: [] });
      }
      const { text, offset } = file.render();
      for (const a of assertions) if (a.file === file.path) (a.varLine += offset), (a.assertLine += offset);
      files.set(file.path, text);
    }
    for (const [importPath, h] of helpers) {
      files.set(h.path, h.render().text);
      for (const a of assertions) {
        const spec = this.specs.get(a.finding);
        for (let link = spec?.inner; link; link = link.inner) if (link.pkg === importPath) a.helpers.push(h.path);
      }
    }
    this.asserted.set(t.id, assertions);
    if (files.size === 0) return undefined;
    return { files, packages: [...byPkg.keys()] };
  }

  /**
   * Verdicts for a target from its assertion run. `failure` says why the run gave nothing;
   * then every asserted finding is unknown on the target.
   */
  verdicts(t: Target, packages: ListedPackage[] | undefined, failure: string | undefined, cwd: string): Map<number, TargetVerdict> {
    const out = new Map<number, TargetVerdict>(this.early.get(t.id) ?? []);
    const assertions = this.asserted.get(t.id) ?? [];
    if (assertions.length === 0) return out;
    if (!packages) {
      for (const a of assertions) out.set(a.finding, { status: 'unknown', message: failure ?? 'the assertion run did not happen' });
      return out;
    }
    const view = new TargetView(packages, cwd, true);
    for (const a of assertions) {
      const helperErr = a.helpers.map((h) => view.errorsIn(h)[0]).find((e) => e !== undefined);
      if (helperErr) {
        out.set(a.finding, { status: 'unknown', message: `the offset of the inner struct could not be compiled: ${helperErr.message}` });
        continue;
      }
      const errs = view.errorsIn(a.file);
      const onVar = errs.find((e) => e.line === a.varLine);
      const onAssert = errs.filter((e) => e.line === a.assertLine);
      const bad = onAssert.find((e) => /out of (range|bounds)/.test(e.message));
      if (onVar) {
        out.set(a.finding, { status: 'unknown', message: `the assertion could not name the type: ${onVar.message}` });
      } else if (bad) {
        const m = /index (\d+)|constant (\d+)/.exec(bad.message);
        const what = a.elements ? 'offset mod 8 | element size mod 8' : 'offset mod 8';
        const rest = m ? ` (${what} = ${m[1] ?? m[2]})` : '';
        out.set(a.finding, { status: 'confirmed', message: `not 8-byte aligned on ${t.id}${rest}: ${bad.message}` });
      } else if (onAssert.length > 0) {
        out.set(a.finding, { status: 'unknown', message: `the assertion did not compile for another reason: ${onAssert[0].message}` });
      } else {
        const st = view.fileState(a.file);
        if (st.state === 'checked') out.set(a.finding, { status: 'refuted', message: `8-byte aligned on ${t.id}: the generated assertion compiles` });
        else out.set(a.finding, { status: 'unknown', message: `the assertion was not type-checked: ${st.reason}` });
      }
    }
    return out;
  }
}

/** A file name in `dir` that no file of the package has (a _test.go file when test). */
function freeName(dir: string, test: boolean): string {
  for (let i = 0; ; i++) {
    const f = path.join(dir, `zz_crossvet_align${test ? '' : 'off'}${i ? `_${i}` : ''}${test ? '_test' : ''}.go`);
    if (!fs.existsSync(f)) return f;
  }
}

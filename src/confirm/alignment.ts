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
//       elements?: true }                       // the allocation is a slice or array of struct,
//                                               // any element: its size must be a multiple of 8 too
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
}

const IDENT = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;

/** The documented properties.atomic of a finding, or why it cannot be used. */
export function atomicSpec(d: Diagnostic): AtomicSpec | { problem: string } {
  const a = d.properties?.atomic as { struct?: unknown; fieldPath?: unknown; elements?: unknown } | undefined;
  if (!a || typeof a !== 'object') return { problem: 'the finding carries no properties.atomic (struct, fieldPath) to build an assertion from' };
  if (typeof a.struct !== 'string' || !a.struct.includes('.')) return { problem: `properties.atomic.struct must be "<import path>.<type name>", got ${JSON.stringify(a.struct)}` };
  const dot = a.struct.lastIndexOf('.');
  const pkg = a.struct.slice(0, dot);
  const typeName = a.struct.slice(dot + 1);
  if (!IDENT.test(typeName)) return { problem: `cannot name the type ${JSON.stringify(a.struct)} in Go source (generic instances are not supported)` };
  if (!Array.isArray(a.fieldPath) || a.fieldPath.length === 0) return { problem: 'properties.atomic.fieldPath must be a non-empty list' };
  for (const s of a.fieldPath) {
    const ok = (typeof s === 'string' && IDENT.test(s)) || (typeof s === 'number' && Number.isInteger(s) && s >= 0);
    if (!ok) return { problem: `bad step ${JSON.stringify(s)} in properties.atomic.fieldPath: want field names and array indices` };
  }
  const firstName = a.fieldPath.findIndex((s) => typeof s === 'string');
  if (firstName < 0 || firstName > 1) return { problem: 'properties.atomic.fieldPath must start with a field name, or an element index and a field name' };
  return { pkg, typeName, fieldPath: a.fieldPath as (string | number)[], elements: a.elements === true };
}

/** The constant expression whose value mod 8 is the word's misalignment (0 when aligned). */
export function misalignmentExpr(v: string, spec: AtomicSpec, unsafeName: string): string {
  const terms: string[] = [];
  let x = v;
  spec.fieldPath.forEach((step, i) => {
    if (i === 0 && typeof step === 'number') {
      // An element of a slice or array of the struct: v stands for element 0.
      terms.push(`${step}*${unsafeName}.Sizeof(${v})`);
    } else if (typeof step === 'string') {
      x += `.${step}`;
      terms.push(`${unsafeName}.Offsetof(${x})`);
    } else {
      terms.push(`${step}*${unsafeName}.Sizeof(${x}[0])`);
      x += `[${step}]`;
    }
  });
  const offset = `(${terms.join(' + ')}) % 8`;
  return spec.elements ? `${offset} | ${unsafeName}.Sizeof(${v}) % 8` : offset;
}

interface Assertion {
  finding: number;
  elements: boolean;
  file: string;
  varLine: number;
  assertLine: number;
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
    for (const f of this.findings) {
      if (!f.targets.includes(t.id)) continue;
      const spec = this.specs.get(f.index);
      if (!spec) continue;
      if (t.int64Align === 8) {
        this.setEarly(t.id, f.index, { status: 'unknown', message: `${t.id} aligns 64-bit words to 8 bytes; there is nothing to assert` });
        continue;
      }
      const pkg = packages.find((p) => p.ImportPath === spec.pkg && !p.ForTest && p.Dir);
      if (!pkg) {
        this.setEarly(t.id, f.index, { status: 'unknown', message: `package ${spec.pkg} of ${spec.pkg}.${spec.typeName} was not compiled for ${t.id}` });
        continue;
      }
      if (pkg.Goroot) {
        this.setEarly(t.id, f.index, { status: 'unknown', message: `${spec.pkg}.${spec.typeName} is in the standard library, which crossvet does not add files to` });
        continue;
      }
      const g = byPkg.get(spec.pkg) ?? { pkg, items: [] };
      g.items.push({ index: f.index, spec });
      byPkg.set(spec.pkg, g);
    }
    const files = new Map<string, string>();
    const assertions: Assertion[] = [];
    for (const { pkg, items } of byPkg.values()) {
      const file = freeName(pkg.Dir!);
      const lines = [
        '// Code generated by crossvet --confirm: compile-time alignment assertions. DO NOT EDIT.',
        '',
        `package ${pkg.Name}`,
        '',
        `import ${UNSAFE} "unsafe"`,
      ];
      for (const { index, spec } of items) {
        const v = `crossvetAlign${index}`;
        lines.push('');
        lines.push(`var ${v} ${spec.typeName}`);
        const varLine = lines.length;
        lines.push(`var _ = [1]struct{}{}[${misalignmentExpr(v, spec, UNSAFE)}]`);
        assertions.push({ finding: index, elements: spec.elements, file, varLine, assertLine: lines.length });
      }
      files.set(file, lines.join('\n') + '\n');
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

/** A file name in `dir` that no file of the package has. */
function freeName(dir: string): string {
  for (let i = 0; ; i++) {
    const f = path.join(dir, `zz_crossvet_align${i ? `_${i}` : ''}_test.go`);
    if (!fs.existsSync(f)) return f;
  }
}

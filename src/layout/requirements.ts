// Alignment requirements that travel with a type. When code does a 64-bit atomic operation
// on `&p.f` with p a *T, T needs f's offset to be a multiple of 8 wherever a T lives; a
// struct that holds a T by value at offset o inherits that need at o+off(f), and breaks it
// when the sum is not a multiple of 8 (bbolt's DB.stats, or go.uber.org/atomic's types
// inside a struct, fail this way). Requirements of a dependency's types come from its own
// source (module, vendor/, module cache, GOROOT), read on demand.
import type { Span } from '../types';
import type { SourceFile } from '../model/types';
import type { LayoutEngine } from './engine';
import { under, type PkgView, type RField, type RType } from './model';
import { atomicFactsOf, bodyEnv, type Place, type PlaceFinder } from './places';
import { isAtomicCall } from './atomic-calls';

export interface Req {
  /** Offset within the type that must be a multiple of 8. */
  offset: number;
  /** Field names (and `[1]` for array elements) from the type down to the 64-bit word. */
  path: string[];
  /** The struct type declaring each field of path (undefined for array steps). */
  owners: (RType | undefined)[];
  /** The 64-bit field itself. */
  field: RField;
  /** An access that needs it. */
  source: { file: SourceFile; span: Span };
}

export interface Conflict {
  /** The struct (named or not) whose field breaks the requirement. */
  owner: RType;
  index: number;
  field: RField;
  /** Offset of the field in owner. */
  fieldOffset: number;
  /** What the field's type needs, relative to the field. */
  req: Req;
}

export class Requirements {
  private direct = new Map<string, Req[]>();
  private analysed = new Set<string>();
  private memo = new Map<object, Req[]>();
  private busy = new Set<object>();
  readonly conflicts: Conflict[] = [];

  constructor(
    private readonly engine: LayoutEngine,
    private readonly finder: PlaceFinder,
  ) {}

  /** Marks a view whose accesses the caller feeds in itself (the scanned packages). */
  markAnalysed(view: PkgView): void {
    this.analysed.add(view.key);
  }

  /** Records what an aligned access through a pointer asks of the pointed-to type. */
  addAccess(p: Place, source: { file: SourceFile; span: Span }): void {
    if (p.root.kind !== 'deref' || p.strides.length > 0 || p.offset % 8 !== 0 || p.steps.length === 0) return;
    const t = p.root.type;
    if (t.k !== 'named') return;
    const last = p.steps[p.steps.length - 1];
    const req: Req = {
      offset: p.offset,
      path: p.steps.map((s) => (s.index !== undefined ? `[${s.index}]` : s.field.name)),
      owners: p.steps.map((s) => (s.index !== undefined ? undefined : s.owner)),
      field: last.field,
      source,
    };
    const list = this.direct.get(t.key) ?? [];
    if (!list.some((r) => r.offset === req.offset)) list.push(req);
    this.direct.set(t.key, list);
  }

  /** Reads the atomic accesses of a dependency's package (only packages that import sync/atomic can have any). */
  private analyseView(view: PkgView): void {
    if (this.analysed.has(view.key)) return;
    this.analysed.add(view.key);
    const files = this.engine.host.files(view).filter((f) => f.header.imports.some((i) => i.path === 'sync/atomic'));
    for (const file of files) {
      const facts = this.engine.host.facts(file);
      const af = atomicFactsOf(this.engine, file);
      if (!facts || !af) continue;
      for (const body of af.bodies) {
        const env = bodyEnv(this.engine, file, af, body);
        for (const call of body.calls) {
          if (!isAtomicCall(facts, call)) continue;
          for (const p of this.finder.addrOf(call.arg, env)) if (p.k === 'place') this.addAccess(p, { file, span: call.span });
        }
      }
    }
  }

  private mayHaveAccesses(view: PkgView): boolean {
    return view.pkg.origin === 'scan' || this.engine.host.files(view).some((f) => f.header.imports.some((i) => i.path === 'sync/atomic'));
  }

  /**
   * Whether a field's type, as written, can carry a requirement: a value (not a pointer,
   * slice, map, ...) of a type from this package or from one that imports sync/atomic. Looking
   * before resolving keeps the packages of ordinary fields (bytes.Buffer, go/ast.Node) unread.
   */
  private mayCarry(f: RField): boolean {
    let e = f.expr;
    if (!e || !f.file) return true;
    while (e.kind === 'array') e = e.elem;
    if (e.kind === 'struct') return true;
    if (e.kind !== 'name') return false;
    if (e.pkg === undefined) return true;
    const q = this.engine.qualifier(f.file, e.pkg);
    return !!q?.view && this.mayHaveAccesses(q.view);
  }

  /** The offsets of a type that must be 8-byte aligned wherever the type is placed. */
  reqsOf(t: RType): Req[] {
    const memoKey: object = t;
    const hit = this.memo.get(memoKey);
    if (hit) return hit;
    if (this.busy.has(memoKey)) return [];
    this.busy.add(memoKey);
    let out: Req[] = [];
    try {
      out = this.compute(t);
    } finally {
      this.busy.delete(memoKey);
    }
    this.memo.set(memoKey, out);
    return out;
  }

  private compute(t: RType): Req[] {
    if (t.k === 'named') {
      if (t.special) return [];
      if (t.view && !this.mayHaveAccesses(t.view)) return [];
      // (A type aligned to 8, like atomic.Int64 or anything holding one, needs nothing more:
      // every place it is put at is a multiple of 8. No need to lay it out to know that.)
      if (t.view) this.analyseView(t.view);
      const own = this.direct.get(t.key) ?? [];
      return merge(own, this.structural(t));
    }
    if (t.k === 'struct') return this.structural(t);
    if (t.k === 'array') {
      if (t.len === 0) return [];
      const inner = this.reqsOf(t.elem);
      if (inner.length === 0) return [];
      const el = this.engine.layout(t.elem);
      if ('unknown' in el) return [];
      // Elements 0 and 1 cover every residue mod 8 the others can have.
      const out: Req[] = [];
      for (let i = 0; i < Math.min(t.len, 2); i++) {
        for (const r of inner) out.push({ ...r, offset: i * el.size + r.offset, path: [`[${i}]`, ...r.path], owners: [undefined, ...r.owners] });
      }
      return out;
    }
    return [];
  }

  private structural(t: RType): Req[] {
    const st = under(t);
    if (st.k !== 'struct') return [];
    const out: Req[] = [];
    st.fields.forEach((f, index) => {
      if (!this.mayCarry(f) || !isValueAggregate(f.type)) return;
      const inner = this.reqsOf(f.type);
      if (inner.length === 0) return;
      const fo = this.engine.fieldOffset(t, index);
      if ('unknown' in fo) return;
      const o = fo.offset;
      for (const r of inner) {
        if ((o + r.offset) % 8 === 0) out.push({ ...r, offset: o + r.offset, path: [f.name, ...r.path], owners: [t, ...r.owners] });
        else this.conflicts.push({ owner: t, index, field: f, fieldOffset: o, req: r });
      }
    });
    return out;
  }
}

function isValueAggregate(t: RType): boolean {
  return t.k === 'named' || t.k === 'struct' || t.k === 'array';
}

function merge(a: Req[], b: Req[]): Req[] {
  const out = [...a];
  for (const r of b) if (!out.some((x) => x.offset === r.offset)) out.push(r);
  return out;
}

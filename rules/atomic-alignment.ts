// atomic-alignment: 64-bit atomic operations on words that are not 8-byte aligned on
// 32-bit targets, where sync/atomic panics with "unaligned 64-bit atomic operation".
//
// For every call of sync/atomic's 64-bit functions, the operand's address is traced back to
// the allocation it lives in (src/layout/places.ts) and its offset computed with gc's layout
// rules for each 32-bit target of the run (src/layout/engine.ts). Types whose fields are
// used with 64-bit atomics carry that need into every struct that holds them by value
// (src/layout/requirements.ts), across packages.
import type { Rule, RuleContext } from '../src/rule';
import type { Diagnostic, Edit, Fix, Location, RuleMeta, Span } from '../src/types';
import type { SourceFile } from '../src/model/types';
import type { Target } from '../src/targets';
import type { AtomicCallFact, Expr } from '../src/syntax/extract/atomic';
import type { DeclEntry } from '../src/layout/host';
import { LayoutEngine } from '../src/layout/engine';
import { ContextHost, FactsLoader } from '../src/layout/context-host';
import { PlaceFinder, atomicFactsOf, bodyEnv, type BodyEnv, type Place, type PlaceStep, type Placement } from '../src/layout/places';
import { Requirements, type Conflict } from '../src/layout/requirements';
import { isAtomicCall } from '../src/layout/atomic-calls';
import { typeName, under, type RField, type RType } from '../src/layout/model';

const ID = 'atomic-alignment';

export const meta: RuleMeta = {
  id: ID,
  name: 'AtomicAlignment',
  shortDescription: '64-bit atomic operations on words that are not 8-byte aligned on 32-bit targets',
  fullDescription:
    'On 386, arm, mips and mipsle, int64 and uint64 fields are only 4-byte aligned, but the 64-bit functions of ' +
    'sync/atomic need 8-byte alignment and panic with "unaligned 64-bit atomic operation" without it. This rule ' +
    'computes each operand\'s offset from the start of its allocation with the gc compiler\'s layout rules for every ' +
    '32-bit target of the run, through nested structs, embedded fields, arrays and slices, and follows the need for ' +
    'alignment from types whose methods use 64-bit atomics into every struct that holds them.',
  helpMarkdown: [
    'On 32-bit targets (386, arm, mips, mipsle) the gc compiler aligns `int64` and `uint64` to 4 bytes, but',
    '`atomic.AddInt64`, `LoadUint64`, `CompareAndSwapInt64` and the other 64-bit functions of `sync/atomic` need an',
    '8-byte-aligned address and panic with `unaligned 64-bit atomic operation` when they do not get one. Go only',
    'guarantees 8-byte alignment for the first word of an allocated variable, struct, array or slice.',
    '',
    'This rule finds the 64-bit atomic accesses whose operand is not 8-byte aligned on a 32-bit target of the run:',
    '',
    '- the offset is measured from the start of the allocation (the last pointer dereference, the variable, the',
    '  composite literal), through nested structs, embedded fields and arrays, not only in the innermost struct;',
    '- slice and array elements are checked too: their stride must be a multiple of 8 unless the index is 0;',
    '- a type whose methods use 64-bit atomics on one of its fields needs that field aligned wherever the type is',
    '  placed: a struct that holds it at a misaligned offset is reported at that field, across packages;',
    '- an address passed to a function that hands it to a 64-bit atomic function is checked where it is taken;',
    '- only the 32-bit targets on which both the access and the type\'s declaration build are concerned.',
    '',
    'Fix it by moving the field to the top of its struct (the first word of an allocation is always aligned), or',
    'by using `atomic.Int64` / `atomic.Uint64`, which are 8-byte aligned on every target.',
  ].join('\n'),
  defaultLevel: 'error',
  tags: ['portability', 'correctness', 'concurrency', '32-bit'],
  precision: 'high',
};

/** Loading dependency facts goes one level of types deeper per round; real code needs a handful. */
const MAX_ROUNDS = 16;

interface Source {
  file: SourceFile;
  span: Span;
}

/** One access on one target. */
interface AccessResult {
  placements: Placement[];
}

interface Access {
  file: SourceFile;
  call: AtomicCallFact;
  byTarget: Map<string, AccessResult>;
  /** The address goes to sync/atomic through this function (a wrapper such as `atomicAdd(p *uint64)`). */
  via?: Wrapped;
}

/** A parameter of a function that the function passes to a 64-bit atomic function. */
interface Wrapped {
  name: string;
  op: string;
  source: Source;
}

interface ConflictHit {
  conflict: Conflict;
  target: Target;
}

interface RunResult {
  accesses: Map<string, Access>;
  conflicts: Map<string, ConflictHit[]>;
}

/**
 * Functions that pass one of their pointer parameters straight to a 64-bit atomic function
 * (`func atomicAddFloat(bits *uint64, v float64)`): an address given to them is checked as if
 * the atomic call were made where they are called.
 */
class Wrappers {
  private memo = new Map<string, Map<number, Wrapped>>();

  constructor(
    private readonly engine: LayoutEngine,
    private readonly finder: PlaceFinder,
  ) {}

  /** The wrapped parameters of the function a call names (plain functions, local or `pkg.F`). */
  callee(fn: Expr, env: BodyEnv): Map<number, Wrapped> | undefined {
    let entry: DeclEntry | undefined;
    if (fn.e === 'id' && fn.local === undefined) entry = this.engine.lookup(env.view, fn.name);
    else if (fn.e === 'sel') {
      const pkg = this.finder.packageOf(fn.x, env);
      if (pkg) entry = this.engine.index(pkg).byName.get(fn.name);
    }
    if (!entry || entry.decl.kind !== 'func') return undefined;
    return this.params(entry);
  }

  private params(entry: DeclEntry): Map<number, Wrapped> {
    const key = `${entry.file.path}\0${entry.decl.name}`;
    const hit = this.memo.get(key);
    if (hit) return hit;
    const out = new Map<number, Wrapped>();
    this.memo.set(key, out);
    const facts = this.engine.host.facts(entry.file);
    const af = facts && atomicFactsOf(this.engine, entry.file);
    if (!facts || !af) return out;
    const index = af.funcs.findIndex((f) => f.name === entry.decl.name && !f.recv);
    for (const body of af.bodies) {
      if (body.func !== index) continue;
      const env = bodyEnv(this.engine, entry.file, af, body);
      for (const call of body.calls) {
        if (!isAtomicCall(facts, call)) continue;
        for (const p of this.finder.addrOf(call.arg, env)) {
          if (p.k === 'opaque' && p.param !== undefined && !out.has(p.param)) out.set(p.param, { name: entry.decl.name, op: call.fn, source: { file: entry.file, span: call.span } });
        }
      }
    }
    return out;
  }
}

function analyse(ctx: RuleContext, targets: Target[], loader: FactsLoader): RunResult {
  const accesses = new Map<string, Access>();
  const conflicts = new Map<string, ConflictHit[]>();
  const scanned = new Set(ctx.files.map((f) => f.path));
  for (const target of targets) {
    const host = new ContextHost(ctx, target, loader);
    const engine = new LayoutEngine(target, host);
    const finder = new PlaceFinder(engine);
    const reqs = new Requirements(engine, finder);
    const files = ctx.files.filter((f) => f.builds.has(target.id));
    for (const f of files) reqs.markAnalysed(host.viewOf(f));
    const wrappers = new Wrappers(engine, finder);
    // Accesses in the scanned code: atomic calls, and addresses passed to atomic wrappers.
    for (const file of files) {
      const facts = host.facts(file);
      const af = facts && atomicFactsOf(engine, file);
      if (!facts || !af) continue;
      const record = (call: AtomicCallFact, placements: Placement[], via?: Wrapped) => {
        const key = `${file.path}:${call.span.start.line}:${call.span.start.col}`;
        let a = accesses.get(key);
        if (!a) accesses.set(key, (a = { file, call, byTarget: new Map(), via }));
        a.byTarget.set(target.id, { placements });
        for (const p of placements) if (p.k === 'place') reqs.addAccess(p, { file, span: call.span });
      };
      for (const body of af.bodies) {
        const env = bodyEnv(engine, file, af, body);
        for (const call of body.calls) {
          if (isAtomicCall(facts, call)) record(call, finder.addrOf(call.arg, env));
        }
        for (const pc of body.ptrCalls ?? []) {
          const callee = wrappers.callee(pc.fn, env);
          if (!callee) continue;
          for (const a of pc.args) {
            const w = callee.get(a.index);
            if (w) record({ qual: '', fn: w.op, arg: a.arg, span: a.span, callSpan: a.span }, finder.addrOf(a.arg, env), w);
          }
        }
      }
    }
    // Structs of the scanned code that hold a type needing alignment at a misaligned offset.
    for (const file of files) {
      const facts = host.facts(file);
      if (!facts) continue;
      const view = host.viewOf(file);
      for (const d of facts.decls) {
        if (d.kind !== 'type' || d.alias || d.type?.kind !== 'struct') continue;
        reqs.reqsOf(engine.named(view, d.name, []));
      }
    }
    for (const c of reqs.conflicts) {
      const decl = c.field.decl;
      if (!decl || !scanned.has(decl.file.path)) continue;
      const key = `${decl.file.path}:${decl.span.start.line}:${decl.span.start.col}`;
      const list = conflicts.get(key) ?? [];
      if (!list.some((h) => h.target.id === target.id && h.conflict.req.offset === c.req.offset)) list.push({ conflict: c, target });
      conflicts.set(key, list);
    }
  }
  return { accesses, conflicts };
}

// ---------------------------------------------------------------------------
// Messages.

function isMisaligned(p: Place): boolean {
  return p.offset % 8 !== 0 || p.strides.some((s) => s.stride % 8 !== 0);
}

/** The atomic type that replaces a 64-bit integer field. */
function atomicTypeFor(t: RType): string {
  const u = under(t);
  return u.k === 'basic' && u.name === 'uint64' ? 'atomic.Uint64' : 'atomic.Int64';
}

function ownerName(t: RType): string {
  return t.k === 'named' ? typeName(t) : 'its struct';
}

/** The struct that declares step i of a place: its type's name, else the field or variable holding it. */
function stepOwnerName(p: Place, i: number): string {
  const owner = p.steps[i].owner;
  if (owner.k === 'named') return typeName(owner);
  if (i > 0) return p.steps[i - 1].field.name;
  return p.root.name ?? 'its struct';
}

function rootName(p: Place): string {
  if (p.root.kind === 'elements') return `the ${typeName(p.root.type)} backing array`;
  const t = p.root.type;
  if (t.k === 'named') return typeName(t);
  if (p.root.name) return p.root.name;
  if (under(t).k === 'array') return `the ${typeName(t)} array`;
  return 'the struct';
}

function pathText(steps: PlaceStep[]): string {
  let s = '';
  for (const st of steps) {
    if (st.index !== undefined) s += `[${st.index}]`;
    else s += (s ? '.' : '') + st.field.name;
  }
  return s || 'the word';
}

function lastField(p: Place): PlaceStep | undefined {
  for (let i = p.steps.length - 1; i >= 0; i--) if (p.steps[i].index === undefined) return p.steps[i];
  return undefined;
}

function offsetText(p: Place): string {
  let s = String(p.offset);
  for (const st of p.strides) s += ` + ${st.stride}*i`;
  return s;
}

function listTargets(ids: string[]): string {
  return ids.join(', ');
}

interface Cure {
  text: string;
  /** Move this field of this struct to the top. */
  move?: { owner: RType; field: RField };
}

function cureFor(p: Place): Cure {
  const f = lastField(p);
  const atomicType = atomicTypeFor(p.type);
  const indexed = p.steps.length > 0 && p.steps[p.steps.length - 1].index !== undefined;
  // An array or slice element cannot become an atomic type by itself; its elements can.
  const makeIt = (name: string) => (indexed ? `use ${atomicType} elements` : `make ${name} an ${atomicType}`);
  const fieldName = f ? f.field.name : 'it';
  const odd = p.strides.find((s) => s.stride % 8 !== 0);
  if (odd) {
    return { text: `make the size of ${typeName(odd.elem)} a multiple of 8 bytes (it is ${odd.stride}) or ${makeIt(fieldName)}` };
  }
  // Moving a field whose offset is 4 mod 8 to the top of its struct fixes the sum; the
  // outermost one is the safest to move, since only the allocation's own type changes.
  for (let i = 0; i < p.steps.length; i++) {
    const st = p.steps[i];
    if (st.offset % 8 === 0) continue;
    if (st.index !== undefined) return { text: `make the size of ${typeName(st.field.type)} a multiple of 8 bytes or ${makeIt(fieldName)}` };
    const it = st === f ? 'it' : st.field.name;
    return {
      text: `move ${it} to the top of ${stepOwnerName(p, i)} or ${makeIt(st === f ? 'it' : fieldName)}`,
      move: { owner: st.owner, field: st.field },
    };
  }
  return { text: makeIt(fieldName) };
}

// ---------------------------------------------------------------------------
// properties.atomic: which word a finding means, in terms the confirm stage can compile
// (docs/confirm.md): the allocation's named type, the field path from it to the word, and
// whether the allocation is a slice or array of that type. Left out when the word cannot be
// named from package scope (an unnamed or generic type, an index that is not a constant
// in the middle of the path), so that confirm says why it cannot judge instead of guessing.

const GO_IDENT = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;

interface AtomicWord {
  struct: string;
  fieldPath: (string | number)[];
  elements?: boolean;
  /**
   * The rest of the path, from the struct type of another package that declares the next
   * field: a field of that type (unexported, say) cannot be named from the outer package, so
   * its offset is asserted in its own package.
   */
  inner?: AtomicWord;
}

interface WordStep {
  name?: string;
  index?: string;
  /** The struct type that declares the field (field steps). */
  owner?: RType;
}

function namedStruct(t: RType): string | undefined {
  if (t.k !== 'named' || t.args.length > 0 || t.special || !t.pkgPath || !GO_IDENT.test(t.name)) return undefined;
  return under(t).k === 'struct' ? `${t.pkgPath}.${t.name}` : undefined;
}

/** Field names and constant indices as a path; undefined when a step cannot be written. */
function pathSteps(steps: WordStep[]): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  for (const st of steps) {
    if (st.index !== undefined) {
      // A non-constant index: '*', any element (docs/confirm.md).
      if (st.index === 'i' && out.length > 0) out.push('*');
      else if (!/^\d+$/.test(st.index)) return undefined;
      else out.push(Number(st.index));
    } else if (st.name && st.name !== '_' && GO_IDENT.test(st.name)) out.push(st.name);
    else return undefined;
  }
  return out.length > 0 && typeof out[0] === 'string' ? out : undefined;
}

/** The word from a struct type along steps, split where a field belongs to another package's struct. */
function wordFrom(struct: RType, steps: WordStep[]): AtomicWord | undefined {
  const name = namedStruct(struct);
  if (!name || struct.k !== 'named') return undefined;
  const cut = steps.findIndex((st, i) => i > 0 && st.index === undefined && st.owner?.k === 'named' && st.owner.pkgPath !== struct.pkgPath);
  const fieldPath = pathSteps(cut < 0 ? steps : steps.slice(0, cut));
  if (!fieldPath) return undefined;
  if (cut < 0) return { struct: name, fieldPath };
  const inner = wordFrom(steps[cut].owner!, steps.slice(cut));
  return inner ? { struct: name, fieldPath, inner } : undefined;
}

function atomicWordOfPlace(p: Place): AtomicWord | undefined {
  const steps: WordStep[] = p.steps.map((s) => ({ name: s.field.name, index: s.index, owner: s.index === undefined ? s.owner : undefined }));
  if (p.root.kind === 'elements') {
    // ps[i].f: the allocation is the slice's backing array of the element type.
    const su = under(p.root.type);
    if (su.k !== 'slice' || steps.length < 2 || steps[0].index === undefined) return undefined;
    const word = wordFrom(su.elem.get(), steps.slice(1));
    if (!word) return undefined;
    // Element k (a constant) is k element sizes in; any element (i) needs the size itself.
    if (steps[0].index === 'i') return { ...word, elements: true };
    if (!/^\d+$/.test(steps[0].index)) return undefined;
    return steps[0].index === '0' ? word : { ...word, fieldPath: [Number(steps[0].index), ...word.fieldPath] };
  }
  return wordFrom(p.root.type, steps);
}

function atomicWordOfConflict(c: Conflict): AtomicWord | undefined {
  const rest: WordStep[] = c.req.path.map((s, i) => (s.startsWith('[') ? { index: s.slice(1, -1) } : { name: s, owner: c.req.owners[i] }));
  return wordFrom(c.owner, [{ name: c.field.name, owner: c.owner }, ...rest]);
}

function relPos(ctx: RuleContext, s: Source): string {
  const rel = s.file.path.startsWith(ctx.root + '/') ? s.file.path.slice(ctx.root.length + 1) : s.file.rel;
  return `${rel}:${s.span.start.line}`;
}

function related(f: RField | undefined, owner: RType | undefined): Location[] {
  const out: Location[] = [];
  if (f?.decl) out.push({ file: f.decl.file.path, span: f.decl.span, message: `${f.name} is declared here` });
  if (owner?.k === 'named' && owner.decl) out.push({ file: owner.decl.file.path, span: owner.decl.span, message: `${owner.name} is declared here` });
  return out;
}

// ---------------------------------------------------------------------------
// The fix: move the field's line (with the comment lines just above it) to the top of its
// struct, when the struct is in the scanned tree and written one field per line.

function moveFieldFirst(ctx: RuleContext, owner: RType, field: RField): Fix | undefined {
  if (owner.k !== 'named' || !owner.decl || !field.decl) return undefined;
  const file = owner.decl.file;
  if (field.decl.file.path !== file.path || !ctx.files.some((f) => f.path === file.path)) return undefined;
  const st = under(owner);
  if (st.k !== 'struct') return undefined;
  const lines = ctx.source(file).split('\n');
  const line = field.decl.span.start.line;
  // The struct's opening line: the first line from the type name on that ends with '{'.
  let open = -1;
  for (let l = owner.decl.span.start.line; l < line; l++) {
    if (/struct\s*\{\s*(\/\/.*)?$/.test(lines[l - 1] ?? '')) {
      open = l;
      break;
    }
  }
  if (open < 0) return undefined;
  // The field must be alone on its line (no other field declared there).
  if (st.fields.some((f) => f !== field && f.decl && f.decl.span.start.line === line)) return undefined;
  const text = lines[line - 1] ?? '';
  if (!text.trimStart().startsWith(field.name) || /[{}]/.test(text.replace(/`[^`]*`|"[^"]*"|\/\/.*$/g, ''))) return undefined;
  let first = line;
  while (first - 1 > open && /^\s*\/\//.test(lines[first - 2] ?? '')) first--;
  if (first === open + 1) return undefined;
  const block = lines.slice(first - 1, line).map((l) => l + '\n').join('');
  const edits: Edit[] = [
    { file: file.path, span: { start: { line: open + 1, col: 1 }, end: { line: open + 1, col: 1 } }, text: block },
    { file: file.path, span: { start: { line: first, col: 1 }, end: { line: line + 1, col: 1 } }, text: '' },
  ];
  return { description: `Move ${field.name} to the top of ${owner.name}`, edits };
}

// ---------------------------------------------------------------------------
// Reporting.

function reportAccess(ctx: RuleContext, a: Access, order: string[]): 'reported' | { unknown: string } | { opaque: string } | 'aligned' {
  // Code under a run-time platform test (runtime.GOARCH, unsafe.Sizeof, ...) may never run on
  // a 32-bit target; whether it does is not something to guess.
  if (a.call.guarded) return { opaque: 'inside a run-time platform test' };
  // Per target, the first misaligned place (an operand may have several possible places).
  const bad = new Map<string, Place>();
  let unknownWhy: string | undefined;
  let opaqueWhy: string | undefined;
  for (const id of order) {
    const r = a.byTarget.get(id);
    if (!r) continue;
    for (const p of r.placements) {
      if (p.k === 'unknown') unknownWhy ??= p.why;
      else if (p.k === 'opaque') opaqueWhy ??= p.why;
      else if (p.viaUnsafe && p.strides.length > 0) opaqueWhy ??= 'an index into memory converted through unsafe.Pointer';
      else if (isMisaligned(p) && !bad.has(id)) bad.set(id, p);
    }
  }
  if (bad.size === 0) {
    if (unknownWhy) return { unknown: unknownWhy };
    if (opaqueWhy) return { opaque: opaqueWhy };
    return 'aligned';
  }
  const ids = order.filter((id) => bad.has(id));
  const first = bad.get(ids[0])!;
  // Group targets by the offset they give.
  const groups = new Map<string, string[]>();
  for (const id of ids) {
    const o = offsetText(bad.get(id)!);
    groups.set(o, [...(groups.get(o) ?? []), id]);
  }
  const f = lastField(first);
  const where = [...groups].map(([o, ts], i) => (i === 0 ? `at offset ${o} in ${rootName(first)} on ${listTargets(ts)}` : `at offset ${o} on ${listTargets(ts)}`));
  const indexed = first.steps.length > 0 && first.steps[first.steps.length - 1].index !== undefined;
  // The type as written, unless it is a predeclared type reached through a type parameter.
  const typeText = f && !indexed ? (under(f.field.type).k === 'basic' && f.field.type.k === 'basic' ? typeName(f.field.type) : f.field.text) : typeName(first.type);
  const cure = cureFor(first);
  const need = a.via
    ? `${a.via.name} passes it to atomic.${a.via.op} (${relPos(ctx, a.via.source)}), which needs 8-byte alignment`
    : '64-bit atomic access needs 8-byte alignment';
  const message = `${pathText(first.steps)} (${typeText}) is ${where.join(', ')}; ${need}: ${cure.text}`;
  const structOwner = f?.owner;
  const d: Diagnostic = {
    ruleId: ID,
    file: a.file.path,
    span: a.call.span,
    message,
    targets: ids,
    related: related(f?.field, structOwner),
    properties: {
      offsets: Object.fromEntries(ids.map((id) => [id, bad.get(id)!.strides.length ? offsetText(bad.get(id)!) : bad.get(id)!.offset])),
      function: `atomic.${a.call.fn}`,
      ...(a.via ? { via: a.via.name } : {}),
    },
  };
  const word = atomicWordOfPlace(first);
  if (word) d.properties!.atomic = word;
  if (cure.move) {
    const fix = moveFieldFirst(ctx, cure.move.owner, cure.move.field);
    if (fix) d.fixes = [fix];
  }
  ctx.report(d);
  return 'reported';
}

function reportConflict(ctx: RuleContext, hits: ConflictHit[], order: string[]): void {
  const sorted = [...hits].sort((x, y) => order.indexOf(x.target.id) - order.indexOf(y.target.id) || x.conflict.req.offset - y.conflict.req.offset);
  // The first broken word, on the first target, speaks for the finding; the others are listed.
  const first = sorted[0].conflict;
  const decl = first.field.decl!;
  const wordPath = (c: Conflict) => [c.field.name, ...c.req.path].join('.').replace(/\.\[/g, '[');
  const same = sorted.filter((h) => h.conflict.req.offset === first.req.offset);
  const groups = new Map<number, string[]>();
  for (const h of same) {
    const at = h.conflict.fieldOffset + h.conflict.req.offset;
    groups.set(at, [...(groups.get(at) ?? []), h.target.id]);
  }
  const where = [...groups].map(([o, ts], i) => (i === 0 ? `at offset ${o} in ${ownerName(first.owner)} on ${listTargets(ts)}` : `at offset ${o} on ${listTargets(ts)}`));
  const others = new Map<string, number>();
  for (const h of sorted) {
    if (h.conflict.req.offset === first.req.offset || h.target.id !== sorted[0].target.id) continue;
    others.set(wordPath(h.conflict), h.conflict.fieldOffset + h.conflict.req.offset);
  }
  const also = [...others].map(([p, o]) => `${p} at offset ${o}`).join(', ');
  const fu = under(first.field.type);
  const holder = first.field.type.k === 'named' ? typeName(first.field.type) : fu.k === 'array' ? typeName(fu.elem) : first.field.text;
  const word = first.req.field;
  const atomicType = atomicTypeFor(word.type);
  const inScan = word.decl && ctx.files.some((f) => f.path === word.decl!.file.path);
  const cure = `move ${first.field.name} to the top of ${ownerName(first.owner)}` + (inScan ? ` or make ${word.name} an ${atomicType}` : '');
  const message =
    `${wordPath(first)} (${word.text}) is ${where.join(', ')}${also ? ` (also ${also})` : ''}; ` +
    `${holder} uses ${first.req.path.filter((p) => !p.startsWith('[')).join('.')} with 64-bit atomics (${relPos(ctx, first.req.source)}), ` +
    `which need 8-byte alignment: ${cure}`;
  const ids = order.filter((id) => sorted.some((h) => h.target.id === id));
  const d: Diagnostic = {
    ruleId: ID,
    file: decl.file.path,
    span: decl.span,
    message,
    targets: ids,
    related: [
      { file: first.req.source.file.path, span: first.req.source.span, message: `64-bit atomic access to ${word.name}` },
      ...related(undefined, first.owner),
    ],
    properties: { offsets: Object.fromEntries(ids.map((id) => [id, sorted.filter((h) => h.target.id === id).map((h) => h.conflict.fieldOffset + h.conflict.req.offset)])) },
  };
  const cw = atomicWordOfConflict(first);
  if (cw) d.properties!.atomic = cw;
  // Moving the field first gives it offset 0, which only helps if what it needs is at 0 mod 8.
  const fix = sorted.every((h) => h.conflict.req.offset % 8 === 0) ? moveFieldFirst(ctx, first.owner, first.field) : undefined;
  if (fix) d.fixes = [fix];
  ctx.report(d);
}

function notifyUnchecked(ctx: RuleContext, unknown: Map<string, number>, opaque: number): void {
  const n = [...unknown.values()].reduce((x, y) => x + y, 0);
  if (n === 0 && opaque === 0) return;
  const reasons = [...unknown].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).map(([why, k]) => `${why} (${k})`);
  const parts: string[] = [];
  if (n) parts.push(`${n} 64-bit atomic access${n === 1 ? '' : 'es'} not checked: unresolved types: ${reasons.join('; ')}`);
  if (opaque) parts.push(`${opaque} more use${opaque === 1 ? 's' : ''} a pointer made elsewhere (a parameter, a field, a call's result) or run${opaque === 1 ? 's' : ''} under a run-time platform test, and ${opaque === 1 ? 'is' : 'are'} not checked there`);
  ctx.notify({ level: 'note', id: 'atomic-unchecked', message: `${ID}: ${parts.join('; ')}` });
}

async function check(ctx: RuleContext): Promise<void> {
  const targets = ctx.targets.filter((t) => t.int64Align < 8);
  if (targets.length === 0) return;
  const loader = new FactsLoader(ctx);
  let run = analyse(ctx, targets, loader);
  while (loader.hasMissing) {
    if (loader.rounds >= MAX_ROUNDS) {
      ctx.notify({ level: 'warning', id: 'atomic-depth', message: `${ID}: stopped loading dependency sources after ${MAX_ROUNDS} rounds; some types stay unresolved` });
      break;
    }
    await loader.load();
    run = analyse(ctx, targets, loader);
  }
  const order = targets.map((t) => t.id);
  const unknown = new Map<string, number>();
  let opaque = 0;
  for (const a of run.accesses.values()) {
    const r = reportAccess(ctx, a, order);
    if (typeof r === 'object' && 'unknown' in r) unknown.set(r.unknown, (unknown.get(r.unknown) ?? 0) + 1);
    else if (typeof r === 'object') opaque++;
  }
  for (const hits of run.conflicts.values()) reportConflict(ctx, hits, order);
  notifyUnchecked(ctx, unknown, opaque);
}

export const rule: Rule = {
  meta,
  // Files with atomic calls, and files declaring structs (which may hold types that need alignment).
  wantsSyntax: (text) => text.includes('sync/atomic') || /\bstruct\s*\{/.test(text),
  check,
};

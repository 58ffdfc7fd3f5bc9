// The Go source rewrites behind the editor's generated quick fixes. Each works on the text
// of the files involved and returns crossvet Edits (1-based, UTF-16 columns), or a reason
// why it cannot be offered: a quick fix that would leave the code not compiling in a way
// the user cannot see is worse than none.
import type { Edit, Fix, Span } from '../types';
import { readHeader, type ImportSpec } from '../constraints/header';
import { extractFacts, type FileFacts } from '../syntax/facts';
import { ATOMIC_EXTRACTOR, type AtomicCallFact, type AtomicFacts } from '../syntax/extract/atomic';
import { SourceText, sameSpan, within } from './text';
import { importEdits } from './imports';

export type Offer = { fix: Fix } | { reason: string };

/** The package name an import path gets when imported without a name (its last element). */
export function defaultName(importPath: string): string {
  return importPath.slice(importPath.lastIndexOf('/') + 1);
}

/** The name an import is used by in the file; '' for a dot import, undefined for a blank one. */
function localName(spec: ImportSpec): string | undefined {
  if (spec.name === '_') return undefined;
  if (spec.name === '.') return '';
  return spec.name ?? defaultName(spec.path);
}

// ---------------------------------------------------------------------------
// Suppression comments (src/suppress.ts reads them).

const DIRECTIVE = /\/\/\s*crossvet:ignore[ \t]+(\S+)/;

/**
 * Suppress `ruleId` for a finding that starts on `line`: extend a directive that already
 * covers that line (on it, or on the line above), else put one on a line of its own above
 * it, indented like it. A directive needs a reason; `reason` is what is written until the
 * user writes theirs.
 */
export function suppressionEdit(file: string, src: SourceText, line: number, ruleId: string, reason: string): Edit | undefined {
  for (const l of [line, line - 1]) {
    if (l < 1) continue;
    const text = src.line(l);
    const m = DIRECTIVE.exec(text);
    if (!m) continue;
    const rules = m[1].split(',');
    if (rules.includes(ruleId)) return undefined;
    const col = m.index + m[0].length + 1;
    return { file, span: { start: { line: l, col }, end: { line: l, col } }, text: `,${ruleId}` };
  }
  const at = { line, col: 1 };
  return { file, span: { start: at, end: at }, text: `${src.indent(line)}//crossvet:ignore ${ruleId} ${reason}\n` };
}

// ---------------------------------------------------------------------------
// int64/uint64 field → atomic.Int64/atomic.Uint64.

export interface Int64Field {
  name: string;
  type: 'int64' | 'uint64';
  /** Where the type is written. */
  typeSpan: Span;
}

/**
 * The field declared at `nameSpan` when it is written `name int64` or `name uint64` (one
 * name, the plain predeclared type), which is what the switch can rewrite.
 */
export function int64FieldAt(src: SourceText, nameSpan: Span): Int64Field | undefined {
  if (nameSpan.start.line !== nameSpan.end.line) return undefined;
  const line = src.line(nameSpan.start.line);
  const name = line.slice(nameSpan.start.col - 1, nameSpan.end.col - 1);
  if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) return undefined;
  const m = /^([ \t]+)(u?int64)(?![\p{L}\p{N}_.[])/u.exec(line.slice(nameSpan.end.col - 1));
  if (!m) return undefined;
  const col = nameSpan.end.col + m[1].length;
  const line0 = nameSpan.start.line;
  return { name, type: m[2] as 'int64' | 'uint64', typeSpan: { start: { line: line0, col }, end: { line: line0, col: col + m[2].length } } };
}

/** sync/atomic function → the method of atomic.Int64/Uint64 that does the same, and the Go minor version that has it. */
function methodFor(fn: string): { method: string; since: number } | undefined {
  const m = /^(Add|Load|Store|Swap|CompareAndSwap|And|Or)(Int64|Uint64)$/.exec(fn);
  if (!m) return undefined;
  return { method: m[1], since: m[1] === 'And' || m[1] === 'Or' ? 23 : 19 };
}

function atomicCalls(facts: FileFacts): AtomicCallFact[] {
  const a = facts.extras[ATOMIC_EXTRACTOR] as AtomicFacts | undefined;
  return a ? a.bodies.flatMap((b) => b.calls) : [];
}

export interface SwitchInput {
  /** The field's declaration (the name's span, as atomic-alignment's related location gives it). */
  field: { file: string; span: Span };
  /** The first arguments (`&x.f`) of the flagged atomic calls on that field. */
  calls: { file: string; span: Span }[];
  /** The package's files, to count the field's other uses. */
  packageFiles: string[];
  text(file: string): string | undefined;
  /** The module's `go` version (minor); undefined when unknown. */
  goMinor?: number;
}

export interface SwitchOffer {
  fix: Fix;
  /** Uses of the field name outside the rewritten calls, which the user must update by hand. */
  otherUses: number;
}

/**
 * Change the field's type to atomic.Int64/atomic.Uint64 and rewrite each flagged call
 * `atomic.AddInt64(&x.f, d)` into `x.f.Add(d)`. The typed atomics are always 8-byte
 * aligned, on every target, so the finding goes away wherever the field sits.
 */
export function switchToAtomicType(input: SwitchInput): SwitchOffer | { reason: string } {
  const fieldText = input.text(input.field.file);
  if (fieldText === undefined) return { reason: 'the field’s file cannot be read' };
  const fieldSrc = new SourceText(fieldText);
  const field = int64FieldAt(fieldSrc, input.field.span);
  if (!field) return { reason: 'the field is not declared as `name int64` or `name uint64`' };
  const edits: Edit[] = [];
  // The atomic package's name in the field's file, importing it when needed.
  const spec = readHeader(fieldText).imports.find((i) => i.path === 'sync/atomic' && localName(i) !== undefined);
  let qual = 'atomic.';
  if (spec) {
    const name = localName(spec)!;
    qual = name === '' ? '' : `${name}.`;
  } else {
    const imp = importEdits(input.field.file, fieldSrc, { add: 'sync/atomic' });
    if ('reason' in imp) return { reason: `cannot add the sync/atomic import: ${imp.reason}` };
    edits.push(...imp);
  }
  const typeName = field.type === 'int64' ? 'Int64' : 'Uint64';
  edits.push({ file: input.field.file, span: field.typeSpan, text: `${qual}${typeName}` });

  const facts = new Map<string, FileFacts>();
  const factsOf = (file: string): FileFacts | undefined => {
    if (!facts.has(file)) {
      const t = input.text(file);
      if (t === undefined) return undefined;
      facts.set(file, extractFacts(Buffer.from(t, 'utf8'), file));
    }
    return facts.get(file);
  };
  const rewritten: { file: string; span: Span }[] = [];
  for (const c of input.calls) {
    const text = input.text(c.file);
    const call = text === undefined ? undefined : atomicCalls(factsOf(c.file)!).find((k) => sameSpan(k.span, c.span));
    if (!call || text === undefined) return { reason: `the atomic call at ${c.file}:${c.span.start.line} is not where the finding says` };
    const m = methodFor(call.fn);
    if (!m) return { reason: `atomic.${call.fn} has no method on atomic.${typeName}` };
    if (input.goMinor !== undefined && input.goMinor < m.since) return { reason: `atomic.${typeName}.${m.method} needs go 1.${m.since}; the module says go 1.${input.goMinor}` };
    const src = new SourceText(text);
    const arg = src.slice(call.span);
    if (!arg.startsWith('&')) return { reason: `the call at ${c.file}:${c.span.start.line} takes a pointer from elsewhere, which would need a new type too` };
    const recv = arg.slice(1).trim();
    // The other arguments as written: from after the first argument to the closing parenthesis.
    let rest = src.text.slice(src.offset(call.span.end), src.offset(call.callSpan.end));
    rest = rest.slice(0, rest.lastIndexOf(')'));
    rest = rest.replace(/^\s*,\s*/, '').replace(/\s*,?\s*$/, '');
    edits.push({ file: c.file, span: call.callSpan, text: `${recv}.${m.method}(${rest})` });
    rewritten.push({ file: c.file, span: call.callSpan });
  }
  if (rewritten.length === 0) return { reason: 'no atomic call to rewrite' };
  // A file whose atomic calls were all rewritten no longer uses sync/atomic (unless it declares the field).
  for (const file of new Set(rewritten.map((w) => w.file))) {
    if (file === input.field.file) continue;
    const specs = readHeader(input.text(file)!).imports.filter((i) => i.path === 'sync/atomic' && localName(i));
    for (const spec of specs) {
      const q = localName(spec)!;
      const used = factsOf(file)!.refs.some((r) => r.kind === 'selector' && r.x === q && !rewritten.some((w) => w.file === file && within(r.span, w.span)));
      if (used) continue;
      const del = importEdits(file, new SourceText(input.text(file)!), { remove: spec });
      if ('reason' in del) return { reason: `the sync/atomic import of ${file} would be unused and cannot be removed: ${del.reason}` };
      edits.push(...del);
    }
  }

  // Other uses (plain reads and writes, composite-literal keys) keep the old type: count them.
  let otherUses = 0;
  for (const file of input.packageFiles) {
    const text = input.text(file);
    if (text === undefined || !text.includes(field.name)) continue;
    const f = factsOf(file)!;
    for (const r of f.refs) {
      if (r.name !== field.name || (r.kind !== 'selector' && r.kind !== 'key')) continue;
      if (rewritten.some((w) => w.file === file && within(r.span, w.span))) continue;
      otherUses++;
    }
  }
  const calls = rewritten.length === 1 ? '1 atomic call' : `${rewritten.length} atomic calls`;
  const description = `Change ${field.name} to ${qual}${typeName} and rewrite ${calls}` + (otherUses ? ` (${otherUses} other use${otherUses === 1 ? '' : 's'} of .${field.name} to update by hand)` : '');
  return { fix: { description, edits }, otherUses };
}

// ---------------------------------------------------------------------------
// syscall.X → unix.X.

/** What a syscall-portability diagnostic's `properties.replacement` holds when a drop-in replacement exists. */
export interface Replacement {
  /** The package to import, e.g. "golang.org/x/sys/unix". */
  importPath: string;
  /** The exported name in it, e.g. "Dup2". */
  name: string;
}

export function isReplacement(v: unknown): v is Replacement {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.importPath === 'string' && /^[\w.~-]+(\/[\w.~-]+)*$/.test(r.importPath) && typeof r.name === 'string' && /^[\p{Lu}][\p{L}\p{N}_]*$/u.test(r.name);
}

/**
 * Replace the qualified identifier whose name is at `nameSpan` (`syscall.Dup2`) with the
 * replacement (`unix.Dup2`), import the replacement's package when the file does not, and
 * drop the old import when nothing else uses it.
 */
export function useReplacement(file: string, text: string, nameSpan: Span, rep: Replacement): Offer {
  const src = new SourceText(text);
  const line = src.line(nameSpan.start.line);
  const q = /([\p{L}_][\p{L}\p{N}_]*)\s*\.\s*$/u.exec(line.slice(0, nameSpan.start.col - 1));
  if (!q) return { reason: 'the name is not qualified by a package' };
  const qual = q[1];
  const imports = readHeader(text).imports;
  const oldSpec = imports.find((i) => localName(i) === qual);
  if (!oldSpec) return { reason: `${qual} is not an imported package` };
  const have = imports.find((i) => i.path === rep.importPath && localName(i) !== undefined);
  const facts = extractFacts(Buffer.from(text, 'utf8'), file);
  const stillUsed = facts.refs.some((r) => r.kind === 'selector' && r.x === qual && !sameSpan(r.span, nameSpan));
  const remove = !stillUsed && oldSpec.path !== rep.importPath ? oldSpec : undefined;
  let local: string;
  if (have) {
    local = localName(have)!;
  } else {
    local = defaultName(rep.importPath);
    const clash = imports.find((i) => i !== remove && localName(i) === local);
    if (clash) return { reason: `the file imports ${clash.path} as ${local} already` };
  }
  const edits: Edit[] = [];
  if (remove || !have) {
    const imp = importEdits(file, src, { remove, add: have ? undefined : rep.importPath });
    if ('reason' in imp) return { reason: `cannot rewrite the imports: ${imp.reason}` };
    edits.push(...imp);
  }
  const start = { line: nameSpan.start.line, col: q.index + 1 };
  const replaced = local === '' ? rep.name : `${local}.${rep.name}`;
  edits.push({ file, span: { start, end: nameSpan.end }, text: replaced });
  return { fix: { description: `Use ${defaultName(rep.importPath)}.${rep.name} from ${rep.importPath}`, edits } };
}

// The form FileFacts travel and rest in. References and locals are most of a file's
// facts (Go's own sources average ~500 per file), and as objects with nested spans they
// made the disk cache 13 times the size of the source and a warm run slower than
// parsing. Packed, each is a few numbers in a flat array plus an index into a table of
// names; unpackFacts rebuilds exactly the objects extractFacts returned.
//
// Between threads and on disk the packed facts are one encoded blob (encodeFacts): a
// header line, then each part (imports, decls, errors, refs and locals, each extractor's
// result, or each member of it when it is an object) as its own JSON text. decodeFacts
// reads only the header; each part is parsed when it is first read. A run reads few of
// the parts of most files (no rule reads the refs; each rule reads its own extractor's
// result, and of a file it only looks names up in, the declarations but not the
// function bodies), and a blob costs a fraction of the memory of the objects it holds.
import { crc32 } from 'node:zlib';
import type { FileFacts, LocalFact, RefFact } from './facts';

export interface PackedFacts {
  package?: string;
  imports: FileFacts['imports'];
  decls: FileFacts['decls'];
  errors: FileFacts['errors'];
  extras: FileFacts['extras'];
  extractorErrors?: FileFacts['extractorErrors'];
  /** Names used by refs and locals. */
  names: string[];
  /** REF_WIDTH numbers per ref: kind, name, line, col, end col, selector operand (name index + 1, or 0). */
  refs: number[];
  /** LOCAL_WIDTH numbers per local: name, line, col, end col, scope start line/col, scope end line/col. */
  locals: number[];
}

const REF_WIDTH = 6;
const LOCAL_WIDTH = 8;
const KINDS = ['ident', 'selector', 'key'] as const;

export function packFacts(f: FileFacts): PackedFacts {
  const names: string[] = [];
  const index = new Map<string, number>();
  const id = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = names.length;
      names.push(s);
      index.set(s, i);
    }
    return i;
  };
  const refs: number[] = [];
  for (const r of f.refs) {
    oneLine(r.span, r.name);
    const x = r.kind === 'selector' && r.x !== undefined ? id(r.x) + 1 : 0;
    refs.push(KINDS.indexOf(r.kind), id(r.name), r.span.start.line, r.span.start.col, r.span.end.col, x);
  }
  const locals: number[] = [];
  for (const l of f.locals) {
    oneLine(l.span, l.name);
    locals.push(id(l.name), l.span.start.line, l.span.start.col, l.span.end.col, l.scopeStart.line, l.scopeStart.col, l.scopeEnd.line, l.scopeEnd.col);
  }
  const p: PackedFacts = { imports: f.imports, decls: f.decls, errors: f.errors, extras: f.extras, names, refs, locals };
  if (f.package !== undefined) p.package = f.package;
  if (f.extractorErrors) p.extractorErrors = f.extractorErrors;
  return p;
}

export function unpackFacts(p: PackedFacts): FileFacts {
  const { refs, locals } = unpackRefs(p.names, p.refs, p.locals);
  const f: FileFacts = { imports: p.imports, decls: p.decls, refs, locals, errors: p.errors, extras: p.extras };
  if (p.package !== undefined) f.package = p.package;
  if (p.extractorErrors) f.extractorErrors = p.extractorErrors;
  return f;
}

function unpackRefs(names: string[], packedRefs: number[], packedLocals: number[]): { refs: RefFact[]; locals: LocalFact[] } {
  const refs: RefFact[] = new Array(packedRefs.length / REF_WIDTH);
  for (let i = 0, j = 0; j < packedRefs.length; i++, j += REF_WIDTH) {
    const a = packedRefs;
    const span = { start: { line: a[j + 2], col: a[j + 3] }, end: { line: a[j + 2], col: a[j + 4] } };
    const kind = KINDS[a[j]];
    if (kind === 'selector') refs[i] = a[j + 5] > 0 ? { kind, x: names[a[j + 5] - 1], name: names[a[j + 1]], span } : { kind, name: names[a[j + 1]], span };
    else refs[i] = { kind, name: names[a[j + 1]], span };
  }
  const locals: LocalFact[] = new Array(packedLocals.length / LOCAL_WIDTH);
  for (let i = 0, j = 0; j < packedLocals.length; i++, j += LOCAL_WIDTH) {
    const a = packedLocals;
    locals[i] = {
      name: names[a[j]],
      span: { start: { line: a[j + 1], col: a[j + 2] }, end: { line: a[j + 1], col: a[j + 3] } },
      scopeStart: { line: a[j + 4], col: a[j + 5] },
      scopeEnd: { line: a[j + 6], col: a[j + 7] },
    };
  }
  return { refs, locals };
}

/** Names are identifiers, which never span lines; packing relies on it. */
function oneLine(span: { start: { line: number }; end: { line: number } }, name: string): void {
  if (span.start.line !== span.end.line) throw new Error(`internal error: the span of ${JSON.stringify(name)} covers several lines`);
}

// ---- the encoded blob ----

/** The header line of a blob. */
interface BlobHeader {
  /** CRC-32 of the body (everything after the header line). */
  c: number;
  /** The parts, in order: name and length in bytes. */
  s: [string, number][];
  /** FileFacts.package, when present. */
  p?: string;
  /** FileFacts.extractorErrors, when present. */
  x?: FileFacts['extractorErrors'];
}

/**
 * Part names: these; 'x.' + an extractor's name for its result; or, when the result is a
 * plain object, an empty part 'o.' + the name, then 'x.' + the name + '/' + each member's
 * key (a name never holds '/').
 */
const IMPORTS = 'imports';
const DECLS = 'decls';
const ERRORS = 'errors';
const REFS = 'refs';
const EXTRA = 'x.';
const OBJECT = 'o.';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

/** Facts as one blob: what workers send and the cache stores. */
export function encodeFacts(f: FileFacts): Buffer {
  const p = packFacts(f);
  const bufs: Buffer[] = [];
  const parts: [string, number][] = [];
  let crc = 0;
  const add = (name: string, value: unknown) => {
    const json = JSON.stringify(value);
    // An extractor result of undefined has no JSON: it is left out, as a JSON round trip would.
    if (json === undefined) return;
    const b = Buffer.from(json, 'utf8');
    crc = crc32(b, crc);
    bufs.push(b);
    parts.push([name, b.length]);
  };
  add(IMPORTS, p.imports);
  add(DECLS, p.decls);
  add(ERRORS, p.errors);
  add(REFS, [p.names, p.refs, p.locals]);
  for (const name of Object.keys(p.extras)) {
    const v = p.extras[name];
    if (!isPlainObject(v)) {
      add(EXTRA + name, v);
      continue;
    }
    parts.push([OBJECT + name, 0]);
    for (const key of Object.keys(v)) add(EXTRA + name + '/' + key, v[key]);
  }
  const h: BlobHeader = { c: crc, s: parts };
  if (p.package !== undefined) h.p = p.package;
  if (p.extractorErrors) h.x = p.extractorErrors;
  return Buffer.concat([Buffer.from(JSON.stringify(h) + '\n', 'utf8'), ...bufs]);
}

function header(blob: Uint8Array): { h: BlobHeader; body: number } | undefined {
  const nl = blob.indexOf(10);
  if (nl < 0) return undefined;
  const h = JSON.parse(Buffer.from(blob.buffer, blob.byteOffset, nl).toString('utf8')) as BlobHeader;
  return { h, body: nl + 1 };
}

/**
 * Whether a blob read from disk is whole and as written: its header parses, its parts
 * fill its body exactly and the body's checksum matches. Decoding a checked blob does not
 * fail later, when a rule reads one of its parts.
 */
export function isWholeBlob(blob: Uint8Array): boolean {
  try {
    const r = header(blob);
    if (!r || typeof r.h !== 'object' || r.h === null || !Array.isArray(r.h.s) || typeof r.h.c !== 'number') return false;
    let len = 0;
    const objects = new Set<string>();
    for (const part of r.h.s) {
      if (!Array.isArray(part) || typeof part[0] !== 'string' || !Number.isInteger(part[1]) || part[1] < 0) return false;
      const name = part[0];
      if (name.startsWith(OBJECT)) {
        if (part[1] !== 0) return false;
        objects.add(name.slice(OBJECT.length));
      } else if (name.startsWith(EXTRA) && name.includes('/') && !objects.has(name.slice(EXTRA.length, name.indexOf('/')))) return false;
      len += part[1];
    }
    if (len !== blob.length - r.body) return false;
    if (![IMPORTS, DECLS, ERRORS, REFS].every((n) => r.h.s.some((part) => part[0] === n))) return false;
    return crc32(blob.subarray(r.body)) === r.h.c;
  } catch {
    return false;
  }
}

/**
 * The facts of a blob. Each part is parsed on first read (then kept), so a caller that
 * reads only decls and one extractor's result parses only those.
 */
export function decodeFacts(blob: Uint8Array): FileFacts {
  const r = header(blob);
  if (!r) throw new Error('internal error: facts blob without a header');
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const f = {} as FileFacts;
  const extras: Record<string, unknown> = {};
  let at = r.body;
  const part = (start: number, end: number) => () => JSON.parse(buf.toString('utf8', start, end)) as unknown;
  let refs: (() => unknown) | undefined;
  let errors: (() => unknown) | undefined;
  for (const [name, len] of r.h.s) {
    const read = part(at, at + len);
    at += len;
    if (name === IMPORTS) lazy(f, 'imports', read);
    else if (name === DECLS) lazy(f, 'decls', read);
    else if (name === ERRORS) errors = read;
    else if (name === REFS) refs = read;
    else if (name.startsWith(OBJECT)) extras[name.slice(OBJECT.length)] = {};
    else if (name.startsWith(EXTRA)) {
      const slash = name.indexOf('/');
      if (slash < 0) lazy(extras, name.slice(EXTRA.length), read);
      else lazy(extras[name.slice(EXTRA.length, slash)] as object, name.slice(slash + 1), read);
    }
  }
  if (refs) {
    const packed = refs;
    let both: { refs: RefFact[]; locals: LocalFact[] } | undefined;
    const get = () => {
      if (!both) {
        const [names, refs, locals] = packed() as [string[], number[], number[]];
        both = unpackRefs(names, refs, locals);
      }
      return both;
    };
    lazy(f, 'refs', () => get().refs);
    lazy(f, 'locals', () => get().locals);
  }
  if (errors) lazy(f, 'errors', errors);
  f.extras = extras;
  if (r.h.p !== undefined) f.package = r.h.p;
  if (r.h.x) f.extractorErrors = r.h.x;
  return f;
}

/** A property computed on first read, then an ordinary data property (so it can also be assigned). */
function lazy(o: object, key: string, compute: () => unknown): void {
  const settle = (value: unknown) => Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(o, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = compute();
      settle(value);
      return value;
    },
    set(value: unknown) {
      settle(value);
    },
  });
}

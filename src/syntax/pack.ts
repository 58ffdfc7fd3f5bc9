// The form FileFacts travel and rest in. References and locals are most of a file's
// facts (Go's own sources average ~500 per file), and as objects with nested spans they
// made the disk cache 13 times the size of the source and a warm run slower than
// parsing. Packed, each is a few numbers in a flat array plus an index into a table of
// names; unpackFacts rebuilds exactly the objects extractFacts returned.
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
  const { names } = p;
  const refs: RefFact[] = new Array(p.refs.length / REF_WIDTH);
  for (let i = 0, j = 0; j < p.refs.length; i++, j += REF_WIDTH) {
    const a = p.refs;
    const span = { start: { line: a[j + 2], col: a[j + 3] }, end: { line: a[j + 2], col: a[j + 4] } };
    const kind = KINDS[a[j]];
    if (kind === 'selector') refs[i] = a[j + 5] > 0 ? { kind, x: names[a[j + 5] - 1], name: names[a[j + 1]], span } : { kind, name: names[a[j + 1]], span };
    else refs[i] = { kind, name: names[a[j + 1]], span };
  }
  const locals: LocalFact[] = new Array(p.locals.length / LOCAL_WIDTH);
  for (let i = 0, j = 0; j < p.locals.length; i++, j += LOCAL_WIDTH) {
    const a = p.locals;
    locals[i] = {
      name: names[a[j]],
      span: { start: { line: a[j + 1], col: a[j + 2] }, end: { line: a[j + 1], col: a[j + 3] } },
      scopeStart: { line: a[j + 4], col: a[j + 5] },
      scopeEnd: { line: a[j + 6], col: a[j + 7] },
    };
  }
  const f: FileFacts = { imports: p.imports, decls: p.decls, refs, locals, errors: p.errors, extras: p.extras };
  if (p.package !== undefined) f.package = p.package;
  if (p.extractorErrors) f.extractorErrors = p.extractorErrors;
  return f;
}

/** Checks the shape of a packed entry read from disk. */
export function isPackedFacts(x: unknown): x is PackedFacts {
  if (typeof x !== 'object' || x === null) return false;
  const p = x as Record<string, unknown>;
  return (
    ['imports', 'decls', 'errors', 'names', 'refs', 'locals'].every((k) => Array.isArray(p[k])) &&
    (p.refs as unknown[]).length % REF_WIDTH === 0 &&
    (p.locals as unknown[]).length % LOCAL_WIDTH === 0 &&
    typeof p.extras === 'object' &&
    p.extras !== null
  );
}

/** Names are identifiers, which never span lines; packing relies on it. */
function oneLine(span: { start: { line: number }; end: { line: number } }, name: string): void {
  if (span.start.line !== span.end.line) throw new Error(`internal error: the span of ${JSON.stringify(name)} covers several lines`);
}

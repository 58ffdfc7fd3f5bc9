// The package-level names a Go file declares, read with the Go scanner alone (no parse):
// `func F`, `func (r *T) M` (a method of T), and the names of every `type`, `var` and
// `const` spec, grouped or not. Only tokens at nesting depth 0 (or 1 inside a declaration
// group) can start a declaration, so function bodies and composite literals are skipped
// by counting brackets. Cheap enough to run on every file of a package whose files build
// for different targets (see redeclared.ts).
import { ByteLineIndex, Scanner } from '../constraints/header';
import type { Span } from '../types';

export interface TopLevelName {
  name: string;
  /** Methods: the receiver's base type name. */
  recv?: string;
  kind: 'func' | 'method' | 'type' | 'var' | 'const';
  span: Span;
}

interface Tok {
  tok: string;
  lit: string;
  offset: number;
}

export function topLevelNames(src: Buffer | Uint8Array): TopLevelName[] {
  const lines = new ByteLineIndex(src);
  const scanner = new Scanner(src, () => {});
  const out: TopLevelName[] = [];
  let t: Tok = { tok: '', lit: '', offset: 0 };
  const next = () => {
    do t = scanner.scan();
    while (t.tok === 'COMMENT');
  };
  // A function, so that the compiler does not narrow the current token across next().
  const tok = (): string => t.tok;
  const add = (kind: TopLevelName['kind'], at: Tok, recv?: string) => {
    const line = lines.lineOf(at.offset);
    const col = lines.utf16Col(at.offset);
    const end = { line, col: col + at.lit.length };
    out.push({ name: at.lit, kind, span: { start: { line, col }, end }, ...(recv ? { recv } : {}) });
  };
  const open = (tok: string) => tok === '(' || tok === '[' || tok === '{';
  const close = (tok: string) => tok === ')' || tok === ']' || tok === '}';
  /** Skips to the ';' or closing bracket that ends a spec at this depth (not consumed). */
  const skipSpec = () => {
    let depth = 0;
    while (tok() !== 'EOF') {
      if (open(tok())) depth++;
      else if (close(tok())) {
        if (depth === 0) return;
        depth--;
      } else if (tok() === ';' && depth === 0) return;
      next();
    }
  };
  /** One spec: its names (a list for var and const, one for type), then the rest. */
  const spec = (kind: 'type' | 'var' | 'const') => {
    if (tok() === 'IDENT') {
      add(kind, t);
      next();
      while (kind !== 'type' && tok() === ',') {
        next();
        if (tok() !== 'IDENT') break;
        add(kind, t);
        next();
      }
    }
    skipSpec();
  };
  next();
  while (tok() !== 'EOF') {
    const kw = tok();
    if (kw === 'type' || kw === 'var' || kw === 'const') {
      next();
      if (tok() === '(') {
        next();
        while (tok() !== 'EOF' && tok() !== ')') {
          if (tok() === ';') {
            next();
            continue;
          }
          spec(kw);
        }
        next();
      } else spec(kw);
      continue;
    }
    if (kw === 'func') {
      next();
      let recv: string | undefined;
      if (tok() === '(') {
        // The receiver: (r *T[K]), (T), (*T): the identifier after the optional name and '*'.
        const toks: Tok[] = [];
        let depth = 0;
        next();
        while (tok() !== 'EOF' && !(tok() === ')' && depth === 0)) {
          if (open(tok())) depth++;
          else if (close(tok())) depth--;
          if (depth === 0 || (depth === 1 && tok() === '[')) toks.push(t);
          next();
        }
        next();
        const ids = toks.filter((x) => x.tok === 'IDENT' || x.tok === '*' || x.tok === '[');
        const cut = ids.findIndex((x) => x.tok === '[');
        const head = (cut >= 0 ? ids.slice(0, cut) : ids).filter((x) => x.tok === 'IDENT');
        recv = head.length ? head[head.length - 1].lit : undefined;
        if (!recv) {
          skipSpec();
          continue;
        }
      }
      if (tok() === 'IDENT') add(recv ? 'method' : 'func', t, recv);
      skipSpec();
      continue;
    }
    // Anything else at the top level (package, import, stray tokens): skip its spec.
    next();
    if (kw !== ';') skipSpec();
  }
  return out;
}

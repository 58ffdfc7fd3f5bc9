// Integer constant expressions, as they appear in array lengths (`[N*2]T`, `[unsafe.Sizeof(x)]T`
// aside): literals, named constants (through a lookup the caller provides), iota, the
// arithmetic and bitwise operators with Go's precedence, parentheses, and conversions to
// integer types. Anything else is "not known", never a guess.

/** Resolves `name` or `pkg.name` to the value of an integer constant, or undefined. */
export type ConstLookup = (name: string, qualifier?: string) => bigint | undefined;

type Tok = { t: 'num'; v: bigint } | { t: 'id'; v: string } | { t: 'op'; v: string };

const INT_TYPES = new Set(['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'byte', 'rune']);

const RUNE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, "'": 39 };

function parseIntLiteral(s: string): bigint | undefined {
  const clean = s.replace(/_/g, '');
  if (/^0[xX][0-9a-fA-F]+$/.test(clean)) return BigInt(clean);
  if (/^0[bB][01]+$/.test(clean)) return BigInt(clean);
  if (/^0[oO][0-7]+$/.test(clean)) return BigInt('0o' + clean.slice(2));
  if (/^0[0-7]+$/.test(clean)) return BigInt('0o' + clean.slice(1));
  if (/^(0|[1-9][0-9]*)$/.test(clean)) return BigInt(clean);
  return undefined;
}

function parseRune(body: string): bigint | undefined {
  if (!body.startsWith('\\')) {
    const cp = body.codePointAt(0);
    return cp !== undefined && String.fromCodePoint(cp).length === body.length ? BigInt(cp) : undefined;
  }
  const e = body[1];
  if (body.length === 2 && e in RUNE_ESCAPES) return BigInt(RUNE_ESCAPES[e]);
  if (/^\\x[0-9a-fA-F]{2}$/.test(body) || /^\\u[0-9a-fA-F]{4}$/.test(body) || /^\\U[0-9a-fA-F]{8}$/.test(body)) return BigInt('0x' + body.slice(2));
  if (/^\\[0-7]{3}$/.test(body)) return BigInt('0o' + body.slice(1));
  return undefined;
}

function tokenize(src: string): Tok[] | undefined {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (src.startsWith('//', i)) {
      const nl = src.indexOf('\n', i);
      i = nl === -1 ? src.length : nl;
      continue;
    }
    if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end === -1) return undefined;
      i = end + 2;
      continue;
    }
    const num = /^[0-9][0-9a-zA-Z_.]*/.exec(src.slice(i));
    if (num) {
      const v = parseIntLiteral(num[0]);
      if (v === undefined) return undefined; // floats, imaginary, malformed
      out.push({ t: 'num', v });
      i += num[0].length;
      continue;
    }
    if (c === "'") {
      const m = /^'((?:\\.[^']*|[^'\\])+)'/u.exec(src.slice(i));
      if (!m) return undefined;
      const v = parseRune(m[1]);
      if (v === undefined) return undefined;
      out.push({ t: 'num', v });
      i += m[0].length;
      continue;
    }
    const id = /^[\p{L}_][\p{L}\p{Nd}_]*/u.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = ['&^', '<<', '>>', '+', '-', '*', '/', '%', '&', '|', '^', '(', ')', '.', ','].find((o) => src.startsWith(o, i));
    if (!op) return undefined;
    out.push({ t: 'op', v: op });
    i += op.length;
  }
  return out;
}

const PREC: Record<string, number> = { '*': 5, '/': 5, '%': 5, '<<': 5, '>>': 5, '&': 5, '&^': 5, '+': 4, '-': 4, '|': 4, '^': 4 };

class Unknown extends Error {}

/** Evaluates an integer constant expression; undefined when any part of it is not known. */
export function evalConstInt(src: string, lookup: ConstLookup, iota?: number): bigint | undefined {
  const toks = tokenize(src);
  if (!toks || toks.length === 0) return undefined;
  let pos = 0;
  const peek = (): Tok | undefined => toks[pos];
  const isOp = (v: string): boolean => {
    const t = toks[pos];
    return t !== undefined && t.t === 'op' && t.v === v;
  };
  const expect = (v: string): void => {
    if (!isOp(v)) throw new Unknown();
    pos++;
  };

  const primary = (): bigint => {
    const t = peek();
    if (!t) throw new Unknown();
    pos++;
    if (t.t === 'num') return t.v;
    if (t.t === 'op') {
      if (t.v === '(') {
        const v = expr(0);
        expect(')');
        return v;
      }
      throw new Unknown();
    }
    // An identifier: iota, a constant, a qualified constant, or a conversion T(x).
    let name = t.v;
    let qualifier: string | undefined;
    if (isOp('.')) {
      pos++;
      const sel = peek();
      if (!sel || sel.t !== 'id') throw new Unknown();
      pos++;
      qualifier = name;
      name = sel.v;
    }
    if (isOp('(')) {
      if (qualifier !== undefined || !INT_TYPES.has(name)) throw new Unknown();
      pos++;
      const v = expr(0);
      expect(')');
      return v;
    }
    if (qualifier === undefined && name === 'iota') {
      if (iota === undefined) throw new Unknown();
      return BigInt(iota);
    }
    const v = lookup(name, qualifier);
    if (v === undefined) throw new Unknown();
    return v;
  };

  const unary = (): bigint => {
    if (isOp('-')) {
      pos++;
      return -unary();
    }
    if (isOp('+')) {
      pos++;
      return unary();
    }
    if (isOp('^')) {
      pos++;
      return -unary() - 1n;
    }
    return primary();
  };

  const expr = (minPrec: number): bigint => {
    let left = unary();
    for (;;) {
      const t = peek();
      if (!t || t.t !== 'op' || !(t.v in PREC) || PREC[t.v] <= minPrec) return left;
      pos++;
      const right = expr(PREC[t.v]);
      left = apply(t.v, left, right);
    }
  };

  try {
    const v = expr(0);
    return pos === toks.length ? v : undefined;
  } catch (e) {
    if (e instanceof Unknown) return undefined;
    throw e;
  }
}

function apply(op: string, a: bigint, b: bigint): bigint {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0n) throw new Unknown();
      return a / b; // BigInt division truncates toward zero, as Go's does
    case '%':
      if (b === 0n) throw new Unknown();
      return a % b;
    case '<<':
      if (b < 0n || b > 1024n) throw new Unknown();
      return a << b;
    case '>>':
      if (b < 0n) throw new Unknown();
      return a >> b;
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '&^':
      return a & ~b;
  }
  throw new Unknown();
}

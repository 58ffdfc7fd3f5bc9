// Go literals to exact values: integer literals of every base, decimal and hexadecimal
// floating-point literals (as exact rationals), rune literals and string literals (as bytes).
// Returns undefined for text that is not a valid literal, or one we decline to hold exactly
// (an exponent beyond MAX_EXPONENT), so that callers treat the value as unknown.
import { int, rat, type NumVal, type Val } from './value';

/**
 * Largest decimal or binary exponent we expand into an exact rational. 10^10000 is a
 * 33,000-bit integer; larger literals occur in no real program, and no int-sized type
 * can hold them anyway.
 */
export const MAX_EXPONENT = 10_000;

export function parseIntLit(raw: string): bigint | undefined {
  const t = raw.replace(/_/g, '');
  if (/^0[xX][0-9a-fA-F]+$/.test(t) || /^0[bB][01]+$/.test(t) || /^0[oO][0-7]+$/.test(t)) return BigInt(t);
  if (/^0[0-7]+$/.test(t)) return BigInt('0o' + t.slice(1)); // legacy octal: 0755
  if (/^(0|[1-9][0-9]*)$/.test(t)) return BigInt(t);
  return undefined;
}

function pow(base: bigint, e: number): bigint {
  return base ** BigInt(e);
}

/** A float literal's exact value. */
export function parseFloatLit(raw: string): NumVal | undefined {
  const t = raw.replace(/_/g, '');
  let m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(t);
  if (m) {
    const [, whole, frac = '', expText] = m;
    if (whole === '' && frac === '') return undefined;
    const mant = BigInt('0x' + (whole + frac || '0'));
    const e = Number(expText) - 4 * frac.length;
    if (!Number.isSafeInteger(e) || Math.abs(e) > MAX_EXPONENT) return undefined;
    return e >= 0 ? int(mant * pow(2n, e)) as NumVal : rat(mant, pow(2n, -e));
  }
  m = /^([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(t);
  if (!m) return undefined;
  const [, whole, frac = '', expText = '0'] = m;
  if (whole === '' && frac === '') return undefined;
  const mant = BigInt((whole + frac).replace(/^0+(?=.)/, '') || '0');
  const e = Number(expText) - frac.length;
  if (!Number.isSafeInteger(e) || Math.abs(e) > MAX_EXPONENT) return undefined;
  return e >= 0 ? (int(mant * pow(10n, e)) as NumVal) : rat(mant, pow(10n, -e));
}

function utf8(cp: number): string {
  return Buffer.from(String.fromCodePoint(cp), 'utf8').toString('latin1');
}

/**
 * Decodes the body of a rune or interpreted string literal into bytes (latin1 string).
 * `quote` is the delimiter, which is the only quote that may be escaped.
 */
function unescape(body: string, quote: string): string | undefined {
  let out = '';
  for (let i = 0; i < body.length; ) {
    const c = body[i];
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      out += utf8(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = body[i + 1];
    const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };
    if (e in simple) {
      out += String.fromCharCode(simple[e]);
      i += 2;
    } else if (e === quote) {
      out += quote;
      i += 2;
    } else if (e === 'x') {
      const h = body.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) return undefined;
      out += String.fromCharCode(parseInt(h, 16));
      i += 4;
    } else if (e >= '0' && e <= '7') {
      const o = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(o) || parseInt(o, 8) > 255) return undefined;
      out += String.fromCharCode(parseInt(o, 8));
      i += 4;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const h = body.slice(i + 2, i + 2 + n);
      if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) return undefined;
      const cp = parseInt(h, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) return undefined;
      out += utf8(cp);
      i += 2 + n;
    } else {
      return undefined;
    }
  }
  return out;
}

/** A rune literal's code point (or byte value, for '\xff' and '\377'). */
export function parseRuneLit(raw: string): bigint | undefined {
  if (raw.length < 3 || raw[0] !== "'" || raw[raw.length - 1] !== "'") return undefined;
  const body = raw.slice(1, -1);
  if (body[0] !== '\\') {
    const cp = body.codePointAt(0)!;
    return body.length === (cp > 0xffff ? 2 : 1) ? BigInt(cp) : undefined;
  }
  // Byte escapes give the byte value itself, not a UTF-8 sequence.
  let m = /^\\x([0-9a-fA-F]{2})$/.exec(body);
  if (m) return BigInt(parseInt(m[1], 16));
  m = /^\\([0-7]{3})$/.exec(body);
  if (m) return parseInt(m[1], 8) > 255 ? undefined : BigInt(parseInt(m[1], 8));
  const bytes = unescape(body, "'");
  if (bytes === undefined) return undefined;
  const s = Buffer.from(bytes, 'latin1').toString('utf8');
  const cp = s.codePointAt(0);
  return cp !== undefined && s.length === (cp > 0xffff ? 2 : 1) ? BigInt(cp) : undefined;
}

/** A string literal's bytes, one char per byte. */
export function parseStringLit(raw: string): string | undefined {
  if (raw.length >= 2 && raw[0] === '`' && raw[raw.length - 1] === '`') {
    // Carriage returns are discarded from raw string literals.
    return Buffer.from(raw.slice(1, -1).replace(/\r/g, ''), 'utf8').toString('latin1');
  }
  if (raw.length >= 2 && raw[0] === '"' && raw[raw.length - 1] === '"') return unescape(raw.slice(1, -1), '"');
  return undefined;
}

export function literalValue(kind: 'int' | 'float' | 'rune' | 'str', raw: string): Val | undefined {
  switch (kind) {
    case 'int': {
      const v = parseIntLit(raw);
      return v === undefined ? undefined : int(v);
    }
    case 'float':
      return parseFloatLit(raw);
    case 'rune': {
      const v = parseRuneLit(raw);
      return v === undefined ? undefined : int(v);
    }
    case 'str': {
      const b = parseStringLit(raw);
      return b === undefined ? undefined : { k: 'str', b };
    }
  }
}

// Exact constant values, as the Go spec wants them: integers of any size (bigint) and
// rationals for untyped floating-point constants that are not integers. Strings are kept
// as their bytes (one char per byte, "latin1"), so len() and comparisons are byte-wise.

export type Val =
  | { k: 'int'; v: bigint }
  /** A non-integral rational n/d: d > 1 and gcd(|n|, d) = 1 (integral values are always 'int'). */
  | { k: 'rat'; n: bigint; d: bigint }
  | { k: 'str'; b: string }
  | { k: 'bool'; v: boolean };

export type NumVal = Extract<Val, { k: 'int' | 'rat' }>;

export function int(v: bigint): Val {
  return { k: 'int', v };
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

export function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** n/d in lowest terms; an integral result is an 'int'. d must not be 0. */
export function rat(n: bigint, d: bigint): NumVal {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  if (g > 1n) {
    n /= g;
    d /= g;
  }
  return d === 1n ? { k: 'int', v: n } : { k: 'rat', n, d };
}

export function isNum(v: Val): v is NumVal {
  return v.k === 'int' || v.k === 'rat';
}

function parts(v: NumVal): [bigint, bigint] {
  return v.k === 'int' ? [v.v, 1n] : [v.n, v.d];
}

export function numAdd(a: NumVal, b: NumVal): NumVal {
  if (a.k === 'int' && b.k === 'int') return { k: 'int', v: a.v + b.v };
  const [an, ad] = parts(a);
  const [bn, bd] = parts(b);
  return rat(an * bd + bn * ad, ad * bd);
}

export function numNeg(a: NumVal): NumVal {
  return a.k === 'int' ? { k: 'int', v: -a.v } : { k: 'rat', n: -a.n, d: a.d };
}

export function numSub(a: NumVal, b: NumVal): NumVal {
  return numAdd(a, numNeg(b));
}

export function numMul(a: NumVal, b: NumVal): NumVal {
  if (a.k === 'int' && b.k === 'int') return { k: 'int', v: a.v * b.v };
  const [an, ad] = parts(a);
  const [bn, bd] = parts(b);
  return rat(an * bn, ad * bd);
}

/** Exact quotient; undefined when b is zero. */
export function numQuo(a: NumVal, b: NumVal): NumVal | undefined {
  const [an, ad] = parts(a);
  const [bn, bd] = parts(b);
  if (bn === 0n) return undefined;
  return rat(an * bd, ad * bn);
}

export function numCmp(a: NumVal, b: NumVal): number {
  const [an, ad] = parts(a);
  const [bn, bd] = parts(b);
  const l = an * bd;
  const r = bn * ad;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function numSign(a: NumVal): number {
  const n = a.k === 'int' ? a.v : a.n;
  return n < 0n ? -1 : n > 0n ? 1 : 0;
}

/** Number of bits of |v| (0 for 0), as go/constant's BitLen. */
export function bitLen(v: bigint): number {
  let x = abs(v);
  let n = 0;
  // Jump in large steps first: constants can be hundreds of bits long.
  while (x >= 1n << 64n) {
    x >>= 64n;
    n += 64;
  }
  while (x > 0n) {
    x >>= 1n;
    n++;
  }
  return n;
}

/** Decimal text of a value, for messages: integers exactly, rationals as n/d. */
export function formatVal(v: Val): string {
  switch (v.k) {
    case 'int':
      return v.v.toString();
    case 'rat':
      return `${v.n}/${v.d}`;
    case 'bool':
      return String(v.v);
    case 'str':
      return JSON.stringify(Buffer.from(v.b, 'latin1').toString('utf8'));
  }
}

/** Whether a numeric value is an integer (every 'int' is; a 'rat' never is). */
export function isIntegral(v: NumVal): v is { k: 'int'; v: bigint } {
  return v.k === 'int';
}

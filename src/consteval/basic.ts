// Go's basic types as the constant rules see them: their kind, their size on a target
// (int, uint and uintptr follow the pointer size), their range, and the rounding of
// typed floating-point constants.
import { bitLen, rat, type NumVal } from './value';

export type BasicName =
  | 'bool'
  | 'string'
  | 'int'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'uintptr'
  | 'float32'
  | 'float64'
  | 'complex64'
  | 'complex128'
  | 'unsafe.Pointer';

/** Kinds of untyped constants (and the untyped nil). */
export type UntypedKind = 'int' | 'rune' | 'float' | 'complex' | 'string' | 'bool' | 'nil';

const FIXED_INT_BITS: Partial<Record<BasicName, number>> = {
  int8: 8, int16: 16, int32: 32, int64: 64, uint8: 8, uint16: 16, uint32: 32, uint64: 64,
};

/** Basic type names of the universe scope, with the aliases byte and rune. */
export const UNIVERSE_BASIC: Record<string, BasicName> = {
  bool: 'bool', string: 'string', int: 'int', int8: 'int8', int16: 'int16', int32: 'int32', int64: 'int64',
  uint: 'uint', uint8: 'uint8', uint16: 'uint16', uint32: 'uint32', uint64: 'uint64', uintptr: 'uintptr',
  float32: 'float32', float64: 'float64', complex64: 'complex64', complex128: 'complex128', byte: 'uint8', rune: 'int32',
};

export function isInteger(n: BasicName): boolean {
  return n === 'int' || n === 'uint' || n === 'uintptr' || n in FIXED_INT_BITS;
}

export function isUnsigned(n: BasicName): boolean {
  return n.startsWith('uint');
}

export function isFloat(n: BasicName): boolean {
  return n === 'float32' || n === 'float64';
}

export function isComplex(n: BasicName): boolean {
  return n === 'complex64' || n === 'complex128';
}

export function isNumeric(n: BasicName): boolean {
  return isInteger(n) || isFloat(n) || isComplex(n);
}

/** Whether the type's size depends on the target (int, uint, uintptr). */
export function isPlatformSized(n: BasicName): boolean {
  return n === 'int' || n === 'uint' || n === 'uintptr';
}

/** Width in bits of an integer type on a target with the given pointer size. */
export function intBits(n: BasicName, ptrSize: 4 | 8): number | undefined {
  if (isPlatformSized(n)) return ptrSize * 8;
  return FIXED_INT_BITS[n];
}

/** Inclusive range of an integer type on a target. */
export function intRange(n: BasicName, ptrSize: 4 | 8): { min: bigint; max: bigint } | undefined {
  const bits = intBits(n, ptrSize);
  if (bits === undefined) return undefined;
  const b = BigInt(bits);
  return isUnsigned(n) ? { min: 0n, max: (1n << b) - 1n } : { min: -(1n << (b - 1n)), max: (1n << (b - 1n)) - 1n };
}

/** unsafe.Sizeof of a basic type on a target. */
export function basicSize(n: BasicName, ptrSize: 4 | 8): number | undefined {
  const bits = intBits(n, ptrSize);
  if (bits !== undefined) return bits / 8;
  switch (n) {
    case 'bool':
      return 1;
    case 'float32':
      return 4;
    case 'float64':
    case 'complex64':
      return 8;
    case 'complex128':
      return 16;
    case 'string':
      return 2 * ptrSize;
    case 'unsafe.Pointer':
      return ptrSize;
    default:
      return undefined;
  }
}

/** IEEE binary formats: mantissa bits (with the implicit one), least and greatest exponents. */
const FLOAT_FORMATS = {
  float64: { p: 53, emin: -1022, emax: 1023 },
  float32: { p: 24, emin: -126, emax: 127 },
};

/**
 * Rounds an exact value to the nearest value of float32 or float64 (ties to even, with
 * subnormals), as Go does for typed floating-point constants. Undefined when the value
 * overflows the type (Go: "constant ... overflows float32").
 */
export function roundFloat(v: NumVal, to: 'float32' | 'float64'): NumVal | undefined {
  const { p, emin, emax } = FLOAT_FORMATS[to];
  let n = v.k === 'int' ? v.v : v.n;
  const d = v.k === 'int' ? 1n : v.d;
  if (n === 0n) return v;
  const neg = n < 0n;
  if (neg) n = -n;
  // Find e with 2^(p-1) <= n/d / 2^e < 2^p, then clamp e for subnormals.
  let e = bitLen(n) - bitLen(d) - p;
  const scaled = (x: number): [bigint, bigint] => (x >= 0 ? [n, d << BigInt(x)] : [n << BigInt(-x), d]);
  for (;;) {
    const [sn, sd] = scaled(e);
    const q = sn / sd;
    if (q >= 1n << BigInt(p)) e++;
    else if (q < 1n << BigInt(p - 1)) e--;
    else break;
  }
  const lsbMin = emin - (p - 1);
  if (e < lsbMin) e = lsbMin;
  const [sn, sd] = scaled(e);
  let q = sn / sd;
  const r2 = (sn - q * sd) * 2n;
  if (r2 > sd || (r2 === sd && (q & 1n) === 1n)) q++;
  if (q >= 1n << BigInt(p)) {
    q >>= 1n;
    e++;
  }
  // The largest finite value is (2^p - 1) * 2^(emax - p + 1).
  if (q !== 0n && e > emax - p + 1) return undefined;
  const signed = neg ? -q : q;
  return e >= 0 ? rat(signed << BigInt(e), 1n) : rat(signed, 1n << BigInt(-e));
}

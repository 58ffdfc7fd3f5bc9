// Sizes and alignments of the predeclared types under the gc compiler, per target.
//
// gc's rules (cmd/compile/internal/types/size.go, mirrored by go/types' gcSizes): a word is
// the pointer size; every basic type is aligned to its size, capped at the target's
// maximum alignment (4 on 386, arm, mips, mipsle; 8 on 64-bit targets); complex types are
// aligned like their two halves. So int64, uint64, float64 and complex128 are only 4-byte
// aligned on 32-bit targets, which is the root of the atomic-alignment problem.

/** What the layout of a type depends on: the target's word size and its largest alignment. */
export interface Arch {
  ptrSize: 4 | 8;
  /** Alignment of int64/uint64/float64/complex128 (the gc MaxAlign). */
  int64Align: 4 | 8;
}

export interface SizeAlign {
  size: number;
  align: number;
}

/** Size in bytes of each predeclared numeric type; `w` stands for the word size. */
const FIXED: Record<string, number | 'w'> = {
  bool: 1,
  int8: 1,
  uint8: 1,
  byte: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  rune: 4,
  float32: 4,
  int64: 8,
  uint64: 8,
  float64: 8,
  complex64: 8,
  complex128: 16,
  int: 'w',
  uint: 'w',
  uintptr: 'w',
};

/** The predeclared type names the layout engine knows (besides string, any, error, comparable). */
export function isBasicName(name: string): boolean {
  return name in FIXED || name === 'string' || name === 'any' || name === 'error' || name === 'comparable';
}

export function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** Layout of a predeclared type, or undefined for a name that is not one. */
export function basicLayout(name: string, arch: Arch): SizeAlign | undefined {
  const w = arch.ptrSize;
  if (name === 'string') return { size: 2 * w, align: w };
  // Interfaces are two words: type (or itab) and data.
  if (name === 'any' || name === 'error' || name === 'comparable') return { size: 2 * w, align: w };
  const fixed = FIXED[name];
  if (fixed === undefined) return undefined;
  const size = fixed === 'w' ? w : fixed;
  const natural = name.startsWith('complex') ? size / 2 : size;
  return { size, align: Math.min(natural, arch.int64Align) };
}

/** The word-sized kinds: pointers, maps, channels, funcs, unsafe.Pointer. */
export function wordLayout(arch: Arch): SizeAlign {
  return { size: arch.ptrSize, align: arch.ptrSize };
}

export function sliceLayout(arch: Arch): SizeAlign {
  return { size: 3 * arch.ptrSize, align: arch.ptrSize };
}

export function interfaceLayout(arch: Arch): SizeAlign {
  return { size: 2 * arch.ptrSize, align: arch.ptrSize };
}

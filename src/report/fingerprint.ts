// partialFingerprints.primaryLocationLineHash, computed the way GitHub's code scanning
// upload computes it when a SARIF file lacks one, so that alerts keep their identity
// whether or not the uploader recomputes it.
//
// The algorithm: a polynomial rolling hash (base 37, modulo 2^64) over a window of 100
// characters. Spaces and tabs are skipped, "\r\n" and lone "\r" count as "\n", the end of
// the file is one extra character 65535 followed by zeros. A line's hash is the hash of the
// 100 characters starting at its first kept character, written as unsigned hex, and
// suffixed with ":n" where n counts how many lines so far (this one included) had that hash.
// Characters are UTF-16 code units, as JavaScript strings hold them.

const BLOCK = 100;
const BASE = 37;
const EOF_CHAR = 65535;
const TWO32 = 4294967296;

// The hash is a 64-bit unsigned integer kept as two 32-bit halves in plain numbers: every
// intermediate product stays below 2^53, so the arithmetic is exact and a few times faster than
// BigInt. OUTGOING = BASE^BLOCK mod 2^64 is the weight of the character leaving the window.
const OUTGOING = (() => {
  let v = 1n;
  for (let i = 0; i < BLOCK; i++) v = (v * BigInt(BASE)) & ((1n << 64n) - 1n);
  return { hi: Number(v >> 32n), lo: Number(v & 0xffffffffn) };
})();

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

/** The primaryLocationLineHash of every line of `source`; index 0 is line 1. */
export function lineHashes(source: string): string[] {
  const window = new Uint16Array(BLOCK);
  // lineAt[i] is the line that starts at window slot i, or 0.
  const lineAt = new Int32Array(BLOCK);
  const seen = new Map<string, number>();
  const out: string[] = [];
  let hi = 0;
  let lo = 0;
  let slot = 0;
  let line = 0;
  let atLineStart = true;
  let afterCR = false;

  // The window is full again at `slot`: the line starting there has all its characters.
  const emit = () => {
    const hex = hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, '0');
    const n = (seen.get(hex) ?? 0) + 1;
    seen.set(hex, n);
    out[lineAt[slot] - 1] = `${hex}:${n}`;
    lineAt[slot] = 0;
  };
  // h = h*BASE + c - OUTGOING*leaving  (mod 2^64)
  const push = (c: number) => {
    const leaving = window[slot];
    let l = lo * BASE + c;
    let carry = Math.floor(l / TWO32);
    l -= carry * TWO32;
    let h = hi * BASE + carry;
    if (leaving !== 0) {
      const pl = OUTGOING.lo * leaving;
      const pcarry = Math.floor(pl / TWO32);
      l -= pl - pcarry * TWO32;
      h -= OUTGOING.hi * leaving + pcarry;
      if (l < 0) {
        l += TWO32;
        h -= 1;
      }
    }
    lo = l;
    hi = h - Math.floor(h / TWO32) * TWO32;
    window[slot] = c;
    if (++slot === BLOCK) slot = 0;
  };
  for (let i = 0; i <= source.length; i++) {
    let c = i === source.length ? EOF_CHAR : source.charCodeAt(i);
    if (c === SPACE || c === TAB || (afterCR && c === LF)) {
      afterCR = false;
      continue;
    }
    afterCR = c === CR;
    if (c === CR) c = LF;
    if (lineAt[slot] !== 0) emit();
    if (atLineStart) {
      atLineStart = false;
      lineAt[slot] = ++line;
    }
    if (c === LF) atLineStart = true;
    push(c);
  }
  for (let i = 0; i < BLOCK; i++) {
    if (lineAt[slot] !== 0) emit();
    push(0);
  }
  return out;
}

/**
 * The primaryLocationLineHash of 1-based `line` of `source`. Lines end at "\n", "\r\n" or
 * "\r"; a file ending in a newline has one more, empty, line.
 */
export function primaryLocationLineHash(source: string, line: number): string {
  const hashes = lineHashes(source);
  if (!Number.isInteger(line) || line < 1 || line > hashes.length) {
    throw new RangeError(`line ${line} is outside the source (1..${hashes.length})`);
  }
  return hashes[line - 1];
}

// Names that look like a GOOS or GOARCH but are not one: the spellings other ecosystems use
// (x86_64, aarch64, macos, win32), typos (amd46, windwos), capitalisation (Windows) and
// joined pairs (darwin_amd64). Go sets none of these as build tags and reads none of them
// as file-name suffixes, so a constraint or a name that uses one never means what its
// author meant. The tables are data so that a reader can check them at a glance.
import { KNOWN_ARCH, KNOWN_OS } from '../../src/targets';

/** What a look-alike name most likely means, as a //go:build expression. */
export interface NameGuess {
  /** The expression Go would need, e.g. "amd64", "386 || amd64", "darwin && amd64". */
  expr: string;
  /** Set when the meaning is one tag and replacing the name with it is a safe fix. */
  replacement?: string;
  /** "GOOS", "GOARCH" or "GOOS and GOARCH": what the name looks like. */
  looksLike: 'GOOS' | 'GOARCH' | 'GOOS and GOARCH';
  /** Why we think so, for the message ("the usual name for 64-bit x86 elsewhere"). */
  why: string;
}

/** Other ecosystems' names. `fix` says whether the meaning is unambiguous enough to offer a replacement. */
const OS_ALIASES: Record<string, { expr: string; fix: boolean }> = {
  win: { expr: 'windows', fix: true },
  win32: { expr: 'windows', fix: true },
  win64: { expr: 'windows', fix: true },
  windows32: { expr: 'windows', fix: false },
  windows64: { expr: 'windows', fix: false },
  winnt: { expr: 'windows', fix: true },
  macos: { expr: 'darwin', fix: true },
  macosx: { expr: 'darwin', fix: true },
  osx: { expr: 'darwin', fix: true },
  iphoneos: { expr: 'ios', fix: true },
  ipados: { expr: 'ios', fix: true },
  sunos: { expr: 'solaris', fix: true },
  // Go's own *_bsd.go files include darwin: keep that meaning.
  bsd: { expr: 'darwin || dragonfly || freebsd || netbsd || openbsd', fix: false },
};

const ARCH_ALIASES: Record<string, { expr: string; fix: boolean }> = {
  x86: { expr: '386 || amd64', fix: false },
  x64: { expr: 'amd64', fix: true },
  x86_64: { expr: 'amd64', fix: true },
  x8664: { expr: 'amd64', fix: true },
  amd_64: { expr: 'amd64', fix: true },
  intel64: { expr: 'amd64', fix: true },
  i386: { expr: '386', fix: true },
  i486: { expr: '386', fix: true },
  i586: { expr: '386', fix: true },
  i686: { expr: '386', fix: true },
  ia32: { expr: '386', fix: true },
  x86_32: { expr: '386', fix: true },
  aarch64: { expr: 'arm64', fix: true },
  arm_64: { expr: 'arm64', fix: true },
  armv8: { expr: 'arm64', fix: false },
  arm32: { expr: 'arm', fix: true },
  armv5: { expr: 'arm', fix: false },
  armv6: { expr: 'arm', fix: false },
  armv7: { expr: 'arm', fix: false },
  armv7a: { expr: 'arm', fix: false },
  armv7l: { expr: 'arm', fix: false },
  armhf: { expr: 'arm', fix: false },
  armel: { expr: 'arm', fix: false },
  ppc64el: { expr: 'ppc64le', fix: true },
  powerpc: { expr: 'ppc', fix: true },
  powerpc64: { expr: 'ppc64', fix: true },
  powerpc64le: { expr: 'ppc64le', fix: true },
  mipsel: { expr: 'mipsle', fix: true },
  mips64el: { expr: 'mips64le', fix: true },
  loongarch64: { expr: 'loong64', fix: true },
  loongarch: { expr: 'loong64', fix: true },
  riscv64gc: { expr: 'riscv64', fix: true },
  wasm32: { expr: 'wasm', fix: true },
  sparcv9: { expr: 'sparc64', fix: true },
};

/**
 * Tags that other Go toolchains set (TinyGo, GopherJS) and that are close to a Go name:
 * they are real tags there, not typos.
 */
const OTHER_TOOLCHAIN_TAGS = new Set(['wasip2', 'wasm_unknown', 'riscv32', 'tinygo', 'gopherjs']);

/** Tags Go itself sets or reads besides GOOS and GOARCH. */
const GO_TAGS = new Set(['unix', 'cgo', 'gc', 'gccgo', 'ignore']);

const PLATFORM_NAMES = [...KNOWN_OS, ...KNOWN_ARCH, 'unix'];

/** Whether Go itself gives this tag a meaning (GOOS, GOARCH, unix, cgo, compiler, release or tool tags). */
export function isGoTag(tag: string): boolean {
  if (KNOWN_OS.has(tag) || KNOWN_ARCH.has(tag) || GO_TAGS.has(tag)) return true;
  if (/^go1(\.[0-9]+)?$/.test(tag)) return true;
  if (tag.startsWith('goexperiment.')) return true;
  const dot = tag.indexOf('.');
  return dot > 0 && KNOWN_ARCH.has(tag.slice(0, dot)); // feature levels: amd64.v3, arm.7
}

/** Whether the tag names a GOOS, GOARCH or `unix`: a constraint that mentions one is about platforms. */
export function isPlatformTag(tag: string): boolean {
  return KNOWN_OS.has(tag) || KNOWN_ARCH.has(tag) || tag === 'unix';
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), or
 * `limit + 1` as soon as it is clear the distance exceeds `limit`.
 */
export function editDistance(a: string, b: string, limit = 2): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push(new Array<number>(b.length + 1).fill(0));
    rows[i][0] = i;
  }
  for (let j = 0; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    let best = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
  }
  return rows[a.length][b.length];
}

function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff.push(i);
  return diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]];
}

/**
 * Known names a misspelling is close to. Short names are too easy to hit by accident
 * (`unit` is one edit from `unix`, `spark` from `sparc`), so names under six letters
 * only match a swap of two adjacent letters (`amd46`, `lniux`); longer ones match any
 * single edit (`windwos`, `dawrin`, `freebds`).
 */
function closeNames(tag: string): string[] {
  const out: string[] = [];
  for (const name of PLATFORM_NAMES) {
    if (name.length >= 6 ? editDistance(tag, name, 1) === 1 : name.length >= 4 && isTransposition(tag, name)) out.push(name);
  }
  return out.sort();
}

function kindOf(name: string): 'GOOS' | 'GOARCH' {
  return KNOWN_ARCH.has(name) ? 'GOARCH' : 'GOOS';
}

/** Resolve one word to a single platform meaning, without joined pairs (used for each half of a pair). */
function guessWord(word: string): NameGuess | undefined {
  const lower = word.toLowerCase();
  if (lower !== word && (PLATFORM_NAMES.includes(lower))) {
    return { expr: lower, replacement: lower, looksLike: kindOf(lower), why: 'build tags are case-sensitive' };
  }
  if (PLATFORM_NAMES.includes(word)) return { expr: word, replacement: word, looksLike: kindOf(word), why: '' };
  const os = OS_ALIASES[lower];
  if (os) return { expr: os.expr, replacement: os.fix ? os.expr : undefined, looksLike: 'GOOS', why: `Go calls this GOOS ${os.expr.includes('||') ? 'one of ' + os.expr.split(' || ').join(', ') : os.expr}` };
  const arch = ARCH_ALIASES[lower];
  if (arch) {
    const names = arch.expr.split(' || ');
    return { expr: arch.expr, replacement: arch.fix ? arch.expr : undefined, looksLike: 'GOARCH', why: `Go calls this GOARCH ${names.length > 1 ? names.join(' (32-bit) or ') + ' (64-bit)' : arch.expr}` };
  }
  // A GOOS with a word size glued on (linux64, darwin32): the size belongs in GOARCH.
  const sized = /^([a-z]+?)(32|64)$/.exec(lower);
  if (sized && KNOWN_OS.has(sized[1])) {
    return { expr: sized[1], looksLike: 'GOOS', why: `the GOOS is ${sized[1]}; the word size is a matter of GOARCH (amd64, arm64, 386, arm, ...)` };
  }
  if (OTHER_TOOLCHAIN_TAGS.has(lower) || lower.length < 4) return undefined;
  const close = closeNames(lower);
  if (close.length === 1) return { expr: close[0], replacement: close[0], looksLike: kindOf(close[0]), why: 'a misspelling' };
  if (close.length > 1) {
    const kinds = new Set(close.map(kindOf));
    return { expr: close.join(' || '), looksLike: kinds.size === 1 ? [...kinds][0] : 'GOOS and GOARCH', why: `close to ${close.join(', ')}` };
  }
  return undefined;
}

/**
 * What a build tag that Go never sets probably means, or undefined when it is no look-alike
 * of a platform name (custom tags such as `integration`, `purego` or `netgo`).
 */
export function guessPlatformTag(tag: string): NameGuess | undefined {
  if (isGoTag(tag) || OTHER_TOOLCHAIN_TAGS.has(tag)) return undefined;
  // A GOOS and GOARCH joined as in a file name: darwin_amd64, amd64_linux.
  const parts = tag.split('_');
  if (parts.length === 2) {
    const a = guessWord(parts[0]);
    const b = guessWord(parts[1]);
    if (a && b && a.looksLike !== b.looksLike && a.looksLike !== 'GOOS and GOARCH' && b.looksLike !== 'GOOS and GOARCH') {
      const [os, arch] = a.looksLike === 'GOOS' ? [a, b] : [b, a];
      const wrap = (e: string) => (e.includes('||') ? `(${e})` : e);
      return { expr: `${wrap(os.expr)} && ${wrap(arch.expr)}`, looksLike: 'GOOS and GOARCH', why: 'a tag names one thing; a GOOS and a GOARCH are two tags joined with &&' };
    }
  }
  const g = guessWord(tag);
  return g && g.why !== '' ? g : undefined;
}

/**
 * What a file name's trailing words were meant to restrict the file to, when they look
 * like a platform suffix. `words` are the name's parts split at `_` (the stem only, with a
 * final `_test` removed). Returns each recognised word with its meaning, last first.
 */
export function guessSuffixWords(words: string[]): { word: string; guess: NameGuess; exact: boolean }[] {
  const out: { word: string; guess: NameGuess; exact: boolean }[] = [];
  let i = words.length - 1;
  while (i >= 0 && out.length < 2) {
    // Two words that form one alias (x86_64, arm_64) come first.
    if (i >= 1) {
      const joined = `${words[i - 1]}_${words[i]}`;
      const j = OS_ALIASES[joined.toLowerCase()] || ARCH_ALIASES[joined.toLowerCase()] ? guessWord(joined) : undefined;
      if (j) {
        out.push({ word: joined, guess: j, exact: false });
        i -= 2;
        continue;
      }
    }
    const w = words[i];
    if (w === '') break;
    if (w === 'unix') {
      out.push({ word: w, guess: { expr: 'unix', replacement: 'unix', looksLike: 'GOOS', why: '`unix` is a build tag but not a file-name suffix' }, exact: false });
    } else if (KNOWN_OS.has(w) || KNOWN_ARCH.has(w)) {
      out.push({ word: w, guess: { expr: w, replacement: w, looksLike: kindOf(w), why: '' }, exact: true });
    } else {
      const g = OTHER_TOOLCHAIN_TAGS.has(w.toLowerCase()) ? undefined : guessWord(w);
      if (!g) break;
      out.push({ word: w, guess: g, exact: false });
    }
    i--;
  }
  return out;
}

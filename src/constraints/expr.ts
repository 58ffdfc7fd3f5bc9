// Build constraint expressions, parsed and evaluated exactly as Go's go/build/constraint
// package does it, for both the `//go:build` syntax and the legacy `// +build` syntax.
// The go command is the reference: error texts, the String() form, evaluation order and
// the size limits all follow it, so that what we report matches what `go build` does.

export type Expr =
  | { kind: 'tag'; tag: string }
  | { kind: 'not'; x: Expr }
  | { kind: 'and'; x: Expr; y: Expr }
  | { kind: 'or'; x: Expr; y: Expr };

/** A syntax error in a build expression; `message` is Go's SyntaxError.Error(). */
export class ConstraintSyntaxError extends Error {
  /** Byte offset (UTF-8) in the expression text where the error was found. */
  offset: number;
  err: string;
  constructor(offset: number, err: string) {
    super(err);
    this.name = 'ConstraintSyntaxError';
    this.offset = offset;
    this.err = err;
  }
}

// Go's errNotConstraint and errComplex are plain errors, not SyntaxErrors; we keep
// their texts and report them through the same class (offset 0) so callers have one type.
const NOT_CONSTRAINT = 'not a build constraint';
const TOO_COMPLEX = 'expression too complex for // +build lines';

// ---------------------------------------------------------------------------
// Unicode classes as Go 1.26's unicode package sees them (Unicode 15.0.0).
// JavaScript's \p{...} follows the newer Unicode of the running Node; the code points
// assigned after 15.0 (15.1 to 17.0) are listed here so they are not taken for letters,
// digits or graphic characters that Go does not know yet.

type Ranges = ReadonlyArray<readonly [number, number]>;

function parseRanges(s: string): Ranges {
  return s.split(' ').map((r) => {
    const [a, b] = r.split('-');
    return [parseInt(a, 16), parseInt(b ?? a, 16)] as const;
  });
}

const NEWER_LETTERS = parseRanges(
  '88f c5c cdc 1c89-1c8a a7cb-a7cf a7d2 a7d4 a7da-a7dc a7f1 105c0-105f3 10940-10959 10d4a-10d65 10d6f-10d85 ' +
    '10ec2-10ec7 11380-11389 1138b 1138e 11390-113b5 113b7 113d1 113d3 11bc0-11be0 11db0-11ddb 13460-143fa ' +
    '16100-1611d 16d40-16d6c 16ea0-16eb8 16ebb-16ed3 16ff2-16ff3 187f8-187ff 18cff 18d09-18d1e 18d80-18df2 ' +
    '1e5d0-1e5ed 1e5f0 1e6c0-1e6de 1e6e0-1e6e2 1e6e4-1e6e5 1e6e7-1e6ed 1e6f0-1e6f4 1e6fe-1e6ff 2b73a-2b73f ' +
    '2cea2-2cead 2ebf0-2ee5d 323b0-33479',
);
const NEWER_DIGITS = parseRanges('10d40-10d49 116d0-116e3 11bf0-11bf9 11de0-11de9 16130-16139 16d70-16d79 1ccf0-1ccf9 1e5f1-1e5fa');
const NEWER_GRAPHIC = parseRanges(
  '88f 897 c5c cdc 1acf-1add 1ae0-1aeb 1b4e-1b4f 1b7f 1c89-1c8a 20c1 2427-2429 2b96 2ffc-2fff 31e4-31e5 31ef ' +
    'a7cb-a7cf a7d2 a7d4 a7da-a7dc a7f1 fbc3-fbd2 fd90-fd91 fdc8-fdce 105c0-105f3 10940-10959 10d40-10d65 ' +
    '10d69-10d85 10d8e-10d8f 10ec2-10ec7 10ed0-10ed8 10efa-10efc 11380-11389 1138b 1138e 11390-113b5 113b7-113c0 ' +
    '113c2 113c5 113c7-113ca 113cc-113d5 113d7-113d8 113e1-113e2 116d0-116e3 11b60-11b67 11bc0-11be1 11bf0-11bf9 ' +
    '11db0-11ddb 11de0-11de9 11f5a 13460-143fa 16100-16139 16d40-16d79 16ea0-16eb8 16ebb-16ed3 16ff2-16ff6 ' +
    '187f8-187ff 18cff 18d09-18d1e 18d80-18df2 1cc00-1ccfc 1cd00-1ceb3 1ceba-1ced0 1cee0-1cef0 1e5d0-1e5fa 1e5ff ' +
    '1e6c0-1e6de 1e6e0-1e6f5 1e6fe-1e6ff 1f6d8 1f777-1f77a 1f8b2-1f8bb 1f8c0-1f8c1 1f8d0-1f8d8 1fa54-1fa57 ' +
    '1fa89-1fa8a 1fa8e-1fa8f 1fabe 1fac6 1fac8 1facd 1fadc 1fadf 1fae9-1faea 1faef 1fbcb-1fbef 1fbfa 2b73a-2b73f ' +
    '2cea2-2cead 2ebf0-2ee5d 323b0-33479',
);

function inRanges(r: number, ranges: Ranges): boolean {
  for (const [a, b] of ranges) if (r >= a && r <= b) return true;
  return false;
}

const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;
const GRAPHIC = /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]$/u;

/** unicode.IsLetter of Go 1.26. */
export function goIsLetter(r: number): boolean {
  if (r < 0x80) return (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a);
  return r <= 0x10ffff && LETTER.test(String.fromCodePoint(r)) && !inRanges(r, NEWER_LETTERS);
}

/** unicode.IsDigit of Go 1.26. */
export function goIsDigit(r: number): boolean {
  if (r < 0x80) return r >= 0x30 && r <= 0x39;
  return r <= 0x10ffff && DIGIT.test(String.fromCodePoint(r)) && !inRanges(r, NEWER_DIGITS);
}

/** unicode.IsGraphic of Go 1.26. */
export function goIsGraphic(r: number): boolean {
  return r <= 0x10ffff && GRAPHIC.test(String.fromCodePoint(r)) && !inRanges(r, NEWER_GRAPHIC);
}

/** unicode.IsSpace: differs from JavaScript's \s (Go has U+0085, lacks U+FEFF). */
export function goIsSpace(r: number): boolean {
  switch (r) {
    case 0x09: case 0x0a: case 0x0b: case 0x0c: case 0x0d: case 0x20: case 0x85: case 0xa0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202f: case 0x205f: case 0x3000:
      return true;
  }
  return r >= 0x2000 && r <= 0x200a;
}

/** A code point of a JavaScript string; a lone surrogate reads as U+FFFD, as its UTF-8 encoding does in Go. */
function codePointAt(s: string, i: number): { r: number; len: number } {
  const c = s.codePointAt(i)!;
  if (c >= 0x10000) return { r: c, len: 2 };
  if (c >= 0xd800 && c <= 0xdfff) return { r: 0xfffd, len: 1 };
  return { r: c, len: 1 };
}

function utf8Len(r: number): number {
  return r < 0x80 ? 1 : r < 0x800 ? 2 : r < 0x10000 ? 3 : 4;
}

/** strings.TrimSpace with Go's idea of white space. */
export function goTrimSpace(s: string): string {
  let i = 0;
  while (i < s.length) {
    const { r, len } = codePointAt(s, i);
    if (!goIsSpace(r)) break;
    i += len;
  }
  let j = s.length;
  while (j > i) {
    // Every Go space is in the BMP, so one UTF-16 unit at a time is enough here.
    const c = s.charCodeAt(j - 1);
    if (!goIsSpace(c)) break;
    j--;
  }
  return s.slice(i, j);
}

/** strings.Fields with Go's idea of white space. */
function goFields(s: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < s.length; ) {
    const { r, len } = codePointAt(s, i);
    if (goIsSpace(r)) {
      if (start >= 0) out.push(s.slice(start, i));
      start = -1;
    } else if (start < 0) {
      start = i;
    }
    i += len;
  }
  if (start >= 0) out.push(s.slice(start));
  return out;
}

function isTagRune(r: number): boolean {
  return goIsLetter(r) || goIsDigit(r) || r === 0x5f /* _ */ || r === 0x2e /* . */;
}

/** Whether `tag` is a valid build tag: letters, digits, underscores and dots only (all digits are fine, as in "386"). */
export function isValidTag(tag: string): boolean {
  if (tag === '') return false;
  for (let i = 0; i < tag.length; ) {
    const { r, len } = codePointAt(tag, i);
    if (!isTagRune(r)) return false;
    i += len;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Recognising the two kinds of constraint lines.

/** Drop one trailing newline; any other newline means this is not a single line. */
function singleLine(line: string): string | undefined {
  if (line.endsWith('\n')) line = line.slice(0, -1);
  return line.includes('\n') ? undefined : line;
}

function splitGoBuild(line: string): string | undefined {
  const l = singleLine(line);
  if (l === undefined || !l.startsWith('//go:build')) return undefined;
  const rest = goTrimSpace(l).slice('//go:build'.length);
  const trim = goTrimSpace(rest);
  // "//go:buildx" is some other directive: the prefix must be followed by space or nothing.
  if (rest.length === trim.length && rest !== '') return undefined;
  return trim;
}

function splitPlusBuild(line: string): string | undefined {
  const l = singleLine(line);
  if (l === undefined || !l.startsWith('//')) return undefined;
  const body = goTrimSpace(l.slice(2)); // the space after // is optional: "//+build" counts
  if (!body.startsWith('+build')) return undefined;
  const rest = body.slice('+build'.length);
  const trim = goTrimSpace(rest);
  if (rest.length === trim.length && rest !== '') return undefined;
  return trim;
}

/** Whether the line is a `//go:build` line (only its prefix is checked, not the expression). */
export function isGoBuild(line: string): boolean {
  return splitGoBuild(line) !== undefined;
}

/** Whether the line is a `// +build` line (only its prefix is checked, not the expression). */
export function isPlusBuild(line: string): boolean {
  return splitPlusBuild(line) !== undefined;
}

/** Parse a `//go:build` or `// +build` line; throws ConstraintSyntaxError. */
export function parse(line: string): Expr {
  const goBuild = splitGoBuild(line);
  if (goBuild !== undefined) return parseExpr(goBuild);
  const plusBuild = splitPlusBuild(line);
  if (plusBuild !== undefined) return parsePlusBuildExpr(plusBuild);
  throw new ConstraintSyntaxError(0, NOT_CONSTRAINT);
}

// ---------------------------------------------------------------------------
// The //go:build expression parser: a recursive-descent parser over ||, &&, ! and
// parentheses. Offsets are counted in UTF-8 bytes, as Go counts them.

const MAX_SIZE = 1000; // Go's limit on the number of ! and atom nodes, against deep recursion

class ExprParser {
  private i = 0; // next read index in s (UTF-16 units)
  private bytes = 0; // byte offset of index i
  tok = '';
  isTag = false;
  pos = 0; // byte offset of the last token
  private size = 0;

  constructor(private readonly s: string) {}

  or(): Expr {
    let x = this.and();
    while (this.tok === '||') x = { kind: 'or', x, y: this.and() };
    return x;
  }

  private and(): Expr {
    let x = this.not();
    while (this.tok === '&&') x = { kind: 'and', x, y: this.not() };
    return x;
  }

  private not(): Expr {
    if (++this.size > MAX_SIZE) throw new ConstraintSyntaxError(this.pos, 'build expression too large');
    this.lex();
    if (this.tok === '!') {
      this.lex();
      if (this.tok === '!') throw new ConstraintSyntaxError(this.pos, 'double negation not allowed');
      return { kind: 'not', x: this.atom() };
    }
    return this.atom();
  }

  private atom(): Expr {
    if (this.tok === '(') {
      const pos = this.pos;
      let x: Expr;
      try {
        x = this.or();
      } catch (e) {
        // Running out of input inside parentheses is reported as the missing paren.
        if (e instanceof ConstraintSyntaxError && e.err === 'unexpected end of expression') {
          e.err = 'missing close paren';
          e.message = e.err;
        }
        throw e;
      }
      if ((this.tok as string) !== ')') throw new ConstraintSyntaxError(pos, 'missing close paren');
      this.lex();
      return x;
    }
    if (!this.isTag) {
      if (this.tok === '') throw new ConstraintSyntaxError(this.pos, 'unexpected end of expression');
      throw new ConstraintSyntaxError(this.pos, 'unexpected token ' + this.tok);
    }
    const tag = this.tok;
    this.lex();
    return { kind: 'tag', tag };
  }

  private advance(units: number, nbytes: number): void {
    this.i += units;
    this.bytes += nbytes;
  }

  lex(): void {
    const s = this.s;
    this.isTag = false;
    while (this.i < s.length && (s[this.i] === ' ' || s[this.i] === '\t')) this.advance(1, 1);
    if (this.i >= s.length) {
      this.tok = '';
      this.pos = this.bytes;
      return;
    }
    const c = s[this.i];
    if (c === '(' || c === ')' || c === '!') {
      this.pos = this.bytes;
      this.tok = c;
      this.advance(1, 1);
      return;
    }
    if (c === '&' || c === '|') {
      if (s[this.i + 1] !== c) throw new ConstraintSyntaxError(this.bytes, 'invalid syntax at ' + c);
      this.pos = this.bytes;
      this.tok = c + c;
      this.advance(2, 2);
      return;
    }
    let j = this.i;
    let nbytes = 0;
    while (j < s.length) {
      const { r, len } = codePointAt(s, j);
      if (!isTagRune(r)) break;
      j += len;
      nbytes += utf8Len(r);
    }
    if (j === this.i) {
      const { r } = codePointAt(s, this.i);
      throw new ConstraintSyntaxError(this.bytes, 'invalid syntax at ' + String.fromCodePoint(r));
    }
    this.pos = this.bytes;
    this.tok = s.slice(this.i, j);
    this.isTag = true;
    this.advance(j - this.i, nbytes);
  }
}

function parseExpr(text: string): Expr {
  const p = new ExprParser(text);
  const x = p.or();
  if (p.tok !== '') throw new ConstraintSyntaxError(p.pos, 'unexpected token ' + p.tok);
  return x;
}

/** The legacy syntax: spaces are ORs, commas are ANDs, `!` negates; bad words become "ignore". */
function parsePlusBuildExpr(text: string): Expr {
  // Go allows at most 100 AND/OR operators here; legacy lines were always simple.
  const MAX_OLD_SIZE = 100;
  let size = 0;
  let x: Expr | undefined;
  for (const clause of goFields(text)) {
    let y: Expr | undefined;
    for (let lit of clause.split(',')) {
      let z: Expr;
      if (lit.startsWith('!!') || lit === '!') {
        z = { kind: 'tag', tag: 'ignore' };
      } else {
        const neg = lit.startsWith('!');
        if (neg) lit = lit.slice(1);
        z = { kind: 'tag', tag: isValidTag(lit) ? lit : 'ignore' };
        if (neg) z = { kind: 'not', x: z };
      }
      if (y === undefined) {
        y = z;
      } else {
        if (++size > MAX_OLD_SIZE) throw new ConstraintSyntaxError(0, TOO_COMPLEX);
        y = { kind: 'and', x: y, y: z };
      }
    }
    if (x === undefined) {
      x = y!;
    } else {
      if (++size > MAX_OLD_SIZE) throw new ConstraintSyntaxError(0, TOO_COMPLEX);
      x = { kind: 'or', x, y: y! };
    }
  }
  return x ?? { kind: 'tag', tag: 'ignore' };
}

// ---------------------------------------------------------------------------
// Using expressions.

/**
 * Evaluate `x`, asking `ok` about each tag. Like Go, both sides of every && and || are
 * evaluated, so `ok` sees every tag (go/build relies on that to collect AllTags).
 */
export function evalExpr(x: Expr, ok: (tag: string) => boolean): boolean {
  switch (x.kind) {
    case 'tag':
      return ok(x.tag);
    case 'not':
      return !evalExpr(x.x, ok);
    case 'and': {
      const a = evalExpr(x.x, ok);
      const b = evalExpr(x.y, ok);
      return a && b;
    }
    case 'or': {
      const a = evalExpr(x.x, ok);
      const b = evalExpr(x.y, ok);
      return a || b;
    }
  }
}

/** Expr.String(): the //go:build form, with only the parentheses the precedence needs. */
export function exprString(x: Expr): string {
  switch (x.kind) {
    case 'tag':
      return x.tag;
    case 'not': {
      const s = exprString(x.x);
      return x.x.kind === 'and' || x.x.kind === 'or' ? `!(${s})` : `!${s}`;
    }
    case 'and':
      return `${operand(x.x, 'or')} && ${operand(x.y, 'or')}`;
    case 'or':
      return `${operand(x.x, 'and')} || ${operand(x.y, 'and')}`;
  }
}

function operand(x: Expr, parenthesise: 'and' | 'or'): string {
  const s = exprString(x);
  return x.kind === parenthesise ? `(${s})` : s;
}

/** Every tag the expression mentions, in order of first appearance. */
export function tagsOf(x: Expr): string[] {
  const seen = new Set<string>();
  const walk = (e: Expr): void => {
    if (e.kind === 'tag') seen.add(e.tag);
    else if (e.kind === 'not') walk(e.x);
    else {
      walk(e.x);
      walk(e.y);
    }
  };
  walk(x);
  return [...seen];
}

/**
 * `// +build` lines equivalent to `x`, as constraint.PlusBuildLines writes them.
 * Throws ConstraintSyntaxError("expression too complex for // +build lines") when the
 * expression is not an AND of ORs of ANDs of literals once negations are pushed down.
 */
export function plusBuildLines(x: Expr): string[] {
  x = pushNot(x, false);
  const split: Expr[][][] = [];
  for (const or of splitAnd(x)) {
    const ands: Expr[][] = [];
    for (const and of splitOr(or)) {
      const lits: Expr[] = [];
      for (const lit of splitAnd(and)) {
        if (lit.kind !== 'tag' && lit.kind !== 'not') throw new ConstraintSyntaxError(0, TOO_COMPLEX);
        lits.push(lit);
      }
      ands.push(lits);
    }
    split.push(ands);
  }
  // With no real OR anywhere, one line with every literal ANDed beats many lines.
  const maxOr = Math.max(0, ...split.map((or) => or.length));
  const groups = maxOr === 1 ? [[split.flatMap((or) => or[0])]] : split;
  return groups.map((or) => '// +build' + or.map((and) => ' ' + and.map(exprString).join(',')).join(''));
}

/** De Morgan: push negations down to the tags. */
function pushNot(x: Expr, not: boolean): Expr {
  switch (x.kind) {
    case 'not':
      if (x.x.kind === 'tag' && !not) return x;
      return pushNot(x.x, !not);
    case 'tag':
      return not ? { kind: 'not', x } : x;
    case 'and':
    case 'or': {
      const a = pushNot(x.x, not);
      const b = pushNot(x.y, not);
      const kind = not ? (x.kind === 'and' ? 'or' : 'and') : x.kind;
      if (!not && a === x.x && b === x.y) return x;
      return { kind, x: a, y: b };
    }
  }
}

function splitAnd(x: Expr, out: Expr[] = []): Expr[] {
  if (x.kind === 'and') {
    splitAnd(x.x, out);
    splitAnd(x.y, out);
  } else out.push(x);
  return out;
}

function splitOr(x: Expr, out: Expr[] = []): Expr[] {
  if (x.kind === 'or') {
    splitOr(x.x, out);
    splitOr(x.y, out);
  } else out.push(x);
  return out;
}

/**
 * The minimum Go version the expression implies ("go1.21"), or "" when it can hold
 * without any go1.N tag. Like Go, this is structural: every tag and negated tag is
 * assumed independently satisfiable.
 */
export function goVersion(x: Expr): string {
  const v = minVersion(x, 1);
  if (v < 0n) return '';
  if (v === 0n) return 'go1';
  return 'go1.' + v.toString();
}

// Versions are bigints because Go's strconv.Atoi accepts any int64 ("go1.9999999999999").
function minVersion(z: Expr, sign: 1 | -1): bigint {
  switch (z.kind) {
    case 'and': {
      const a = minVersion(z.x, sign);
      const b = minVersion(z.y, sign);
      return sign < 0 ? (a < b ? a : b) : a > b ? a : b;
    }
    case 'or': {
      const a = minVersion(z.x, sign);
      const b = minVersion(z.y, sign);
      return sign < 0 ? (a > b ? a : b) : a < b ? a : b;
    }
    case 'not':
      return minVersion(z.x, sign < 0 ? 1 : -1);
    case 'tag': {
      if (sign < 0) return -1n; // !foo implies nothing
      if (z.tag === 'go1') return 0n;
      // strings.Cut: the text after the first "go1." anywhere in the tag.
      const at = z.tag.indexOf('go1.');
      return at < 0 ? -1n : atoi(z.tag.slice(at + 4));
    }
  }
}

/** strconv.Atoi for a 64-bit int: optional sign, ASCII digits, no overflow; -1 when invalid. */
function atoi(s: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(s)) return -1n;
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) return -1n;
  return n;
}

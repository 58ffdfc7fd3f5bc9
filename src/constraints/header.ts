// Reading a Go file's header the way go/build does (read.go's readGoInfo and build.go's
// parseFileHeader/shouldBuild): the leading comments with their build constraints, the
// package clause and the imports. The steps follow go/build byte for byte, because the
// go command's answer depends on details such as where a blank line falls, where reading
// stops, and which malformed headers make a file invalid.
import { goIsDigit, goIsGraphic, goIsLetter, goIsSpace, isGoBuild, isPlusBuild, parse } from './expr';

export interface HeaderComment {
  /** 1-based line and UTF-16 column of the comment's first slash. */
  line: number;
  col: number;
  /** The comment as written, with `//` or `/*`; a `//` comment loses the \r of a CRLF line end. */
  text: string;
}

export interface ImportSpec {
  /** The import path, unquoted. */
  path: string;
  /** The local name: an identifier, "." or "_". */
  name?: string;
  /** Where the quoted path is: 1-based line, UTF-16 columns, endCol exclusive (on `line`). */
  line: number;
  col: number;
  endCol: number;
}

export interface FileHeader {
  /** The package name as go/build reads it; absent when the package clause does not parse. */
  packageName?: string;
  packageLine?: number;
  /** Import specs parsed before any syntax error (go/build itself ignores all imports of a file whose header does not parse). */
  imports: ImportSpec[];
  /** Whether `imports` has "C". go/build only counts it when `error` is absent. */
  importsC: boolean;
  /** The //go:build line the go command uses (trimmed, as go/build passes it to the parser). */
  goBuild?: { text: string; line: number };
  /**
   * The `// +build` lines in the part of the header where the go command reads them (before
   * the blank line that ends the leading comment block) and that parse. The go command
   * applies them only when there is no //go:build line.
   */
  plusBuild: { text: string; line: number }[];
  /** Every comment before the package clause (or before the first token, when there is none), including ignored ones. */
  comments: HeaderComment[];
  /**
   * The first syntax error go/parser finds in the header ("line:col: message", byte
   * columns as Go prints them). The go command still lists such a file (and marks it invalid).
   */
  error?: string;
  /**
   * Why go/build rejects the file outright (several //go:build lines, a //go:build line
   * that does not parse, a NUL byte in the header): the go command lists it only as
   * invalid, so it builds for no target.
   */
  invalid?: string;
  /** A `//go:binary-only-package` line in the leading comments (go/build ignores it in _test.go files). */
  binaryOnly: boolean;
}

const BOM = [0xef, 0xbb, 0xbf];

/** Read a Go file's header as go/build does. Never throws on bad input. */
export function readHeader(src: Buffer | string): FileHeader {
  let data = typeof src === 'string' ? Buffer.from(src, 'utf8') : src;
  // go/build drops one leading byte order mark; everything after is read without it.
  if (data.length >= 3 && data[0] === BOM[0] && data[1] === BOM[1] && data[2] === BOM[2]) data = data.subarray(3);
  const read = readGoInfo(data);
  const header = data.subarray(0, read.headerLen);
  const lines = new ByteLineIndex(header);
  const result: FileHeader = { imports: [], importsC: false, plusBuild: [], comments: [], binaryOnly: false };

  if (read.nul) {
    result.invalid = 'unexpected NUL in input';
  }

  const fh = parseFileHeader(header);
  result.binaryOnly = fh.binaryOnly;
  if (fh.goBuild) {
    result.goBuild = { text: decode(header, fh.goBuild.start, fh.goBuild.end), line: lines.lineOf(fh.goBuild.start) };
  }
  if (fh.multipleGoBuild && result.invalid === undefined) result.invalid = 'multiple //go:build comments';
  for (const pb of fh.plusBuild) {
    const text = decode(header, pb.start, pb.end);
    if (!isPlusBuild(text)) continue;
    try {
      parse(text);
    } catch {
      continue; // go/build skips +build lines it cannot parse (only "too complex" is possible)
    }
    result.plusBuild.push({ text, line: lines.lineOf(pb.start) });
  }
  if (result.goBuild && result.invalid === undefined) {
    try {
      parse(result.goBuild.text);
    } catch (e) {
      result.invalid = `parsing //go:build line: ${(e as Error).message}`;
    }
  }

  // go/build parses the header only when reading it did not fail on a NUL byte.
  const parsed = parseImportsOnly(header, lines);
  result.comments = parsed.comments;
  if (!read.nul) {
    if (parsed.packageName !== undefined) {
      result.packageName = parsed.packageName;
      result.packageLine = parsed.packageLine;
    }
    result.imports = parsed.imports;
    result.importsC = parsed.imports.some((i) => i.path === 'C');
    if (parsed.error) result.error = parsed.error;
    else {
      const bad = parsed.imports.find((i) => !isValidImport(i.path));
      if (bad) result.error = `${bad.specLine}:${bad.specCol}: invalid import path: ${bad.path}`;
    }
  }
  // Strip the internal position fields.
  result.imports = result.imports.map(({ path, name, line, col, endCol }) => (name === undefined ? { path, line, col, endCol } : { path, name, line, col, endCol }));
  return result;
}

// ---------------------------------------------------------------------------
// Bytes, runes and positions.

/** utf8.DecodeRune: the rune at i and its width; invalid encodings are U+FFFD of width 1. */
function decodeRune(b: Uint8Array, i: number): { r: number; w: number } {
  const c0 = b[i];
  if (c0 < 0x80) return { r: c0, w: 1 };
  const n = b.length - i;
  const cont = (k: number) => k < n && (b[i + k] & 0xc0) === 0x80;
  if (c0 >= 0xc2 && c0 <= 0xdf && cont(1)) return { r: ((c0 & 0x1f) << 6) | (b[i + 1] & 0x3f), w: 2 };
  if (c0 >= 0xe0 && c0 <= 0xef && cont(1) && cont(2)) {
    const r = ((c0 & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
    if (r >= 0x800 && !(r >= 0xd800 && r <= 0xdfff)) return { r, w: 3 };
  }
  if (c0 >= 0xf0 && c0 <= 0xf4 && cont(1) && cont(2) && cont(3)) {
    const r = ((c0 & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f);
    if (r >= 0x10000 && r <= 0x10ffff) return { r, w: 4 };
  }
  return { r: 0xfffd, w: 1 };
}

function decode(b: Uint8Array, start: number, end: number): string {
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8');
}

/** bytes.TrimSpace on b[start:end], with Go's Unicode white space. */
function trimSpace(b: Uint8Array, start: number, end: number): [number, number] {
  while (start < end) {
    const { r, w } = decodeRune(b.subarray(0, end), start);
    if (!goIsSpace(r)) break;
    start += w;
  }
  while (end > start) {
    // Go's spaces are 1 to 3 bytes long; find the rune that ends at `end`.
    let s = end - 1;
    while (s > start && end - s < 4 && (b[s] & 0xc0) === 0x80) s--;
    const { r, w } = decodeRune(b.subarray(0, end), s);
    if (s + w !== end || !goIsSpace(r)) break;
    end = s;
  }
  return [start, end];
}

function hasPrefixAt(b: Uint8Array, start: number, end: number, prefix: string): boolean {
  if (end - start < prefix.length) return false;
  for (let k = 0; k < prefix.length; k++) if (b[start + k] !== prefix.charCodeAt(k)) return false;
  return true;
}

function indexOf(b: Uint8Array, start: number, end: number, needle: string): number {
  outer: for (let i = start; i + needle.length <= end; i++) {
    for (let k = 0; k < needle.length; k++) if (b[i + k] !== needle.charCodeAt(k)) continue outer;
    return i;
  }
  return -1;
}

/**
 * Maps byte offsets to 1-based lines, Go byte columns and UTF-16 columns. Like Go's
 * token.File, a newline that ends the text starts no new line: an error at the end of
 * "package x\n" is at 1:11, not 2:1.
 */
export class ByteLineIndex {
  private readonly starts: number[] = [0];
  constructor(private readonly b: Uint8Array) {
    for (let i = 0; i < b.length - 1; i++) if (b[i] === 0x0a) this.starts.push(i + 1);
  }
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  byteCol(offset: number): number {
    return offset - this.starts[this.lineOf(offset) - 1] + 1;
  }
  utf16Col(offset: number): number {
    const start = this.starts[this.lineOf(offset) - 1];
    return decode(this.b, start, offset).length + 1;
  }
}

// ---------------------------------------------------------------------------
// go/build's import reader: reads just far enough to see the package clause and imports.
// It is deliberately lenient (semicolons are spaces, any byte >= 0x80 is an identifier
// byte); on a syntax error it reads the whole file so that go/parser sees it all.

function isIdentByte(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c >= 0x80;
}

class ImportReader {
  pos = 0; // bytes consumed (the reader's buffer is always a prefix of the input)
  peek = 0;
  err: 'syntax' | 'nul' | undefined;
  eof = false;

  constructor(private readonly b: Uint8Array) {}

  private syntaxError(): void {
    if (this.err === undefined) this.err = 'syntax';
  }

  private readByte(): number {
    if (this.pos >= this.b.length) {
      this.eof = true;
      return 0;
    }
    const c = this.b[this.pos++];
    if (c === 0) {
      if (this.err === undefined) this.err = 'nul';
      return 0;
    }
    return c;
  }

  peekByte(skipSpace: boolean): number {
    if (this.err !== undefined) return 0;
    let c = this.peek;
    if (c === 0) c = this.readByte();
    while (this.err === undefined && !this.eof) {
      if (skipSpace) {
        if (c === 0x20 || c === 0x0c || c === 0x09 || c === 0x0d || c === 0x0a || c === 0x3b /* ; */) {
          c = this.readByte();
          continue;
        }
        if (c === 0x2f /* / */) {
          c = this.readByte();
          if (c === 0x2f) {
            while (c !== 0x0a && this.err === undefined && !this.eof) c = this.readByte();
          } else if (c === 0x2a /* * */) {
            let c1 = 0;
            while ((c !== 0x2a || c1 !== 0x2f) && this.err === undefined) {
              if (this.eof) this.syntaxError();
              c = c1;
              c1 = this.readByte();
            }
          } else {
            this.syntaxError();
          }
          c = this.readByte();
          continue;
        }
      }
      break;
    }
    this.peek = c;
    return c;
  }

  nextByte(skipSpace: boolean): number {
    const c = this.peekByte(skipSpace);
    this.peek = 0;
    return c;
  }

  readKeyword(kw: string): void {
    this.peekByte(true);
    for (let i = 0; i < kw.length; i++) {
      if (this.nextByte(false) !== kw.charCodeAt(i)) {
        this.syntaxError();
        return;
      }
    }
    if (isIdentByte(this.peekByte(false))) this.syntaxError();
  }

  readIdent(): void {
    if (!isIdentByte(this.peekByte(true))) {
      this.syntaxError();
      return;
    }
    while (isIdentByte(this.peekByte(false))) this.peek = 0;
  }

  readString(): void {
    switch (this.nextByte(true)) {
      case 0x60: // `
        while (this.err === undefined) {
          if (this.nextByte(false) === 0x60) break;
          if (this.eof) this.syntaxError();
        }
        break;
      case 0x22: // "
        while (this.err === undefined) {
          const c = this.nextByte(false);
          if (c === 0x22) break;
          if (this.eof || c === 0x0a) this.syntaxError();
          if (c === 0x5c) this.nextByte(false);
        }
        break;
      default:
        this.syntaxError();
    }
  }

  readImport(): void {
    const c = this.peekByte(true);
    if (c === 0x2e /* . */) this.peek = 0;
    else if (isIdentByte(c)) this.readIdent();
    this.readString();
  }
}

/** How much of the file go/build hands to its parser, and whether reading hit a NUL byte. */
function readGoInfo(b: Uint8Array): { headerLen: number; nul: boolean } {
  const r = new ImportReader(b);
  r.readKeyword('package');
  r.readIdent();
  while (r.peekByte(true) === 0x69 /* i */) {
    r.readKeyword('import');
    if (r.peekByte(true) === 0x28 /* ( */) {
      r.nextByte(false);
      while (r.peekByte(true) !== 0x29 /* ) */ && r.err === undefined) r.readImport();
      r.nextByte(false);
    } else {
      r.readImport();
    }
  }
  if (r.err === 'nul') return { headerLen: r.pos, nul: true };
  // After a syntax error go/build reads the rest of the file, so go/parser sees it all.
  if (r.err === 'syntax') return { headerLen: b.length, nul: false };
  // Reading stopped on the first byte after the imports: leave that byte out.
  return { headerLen: r.eof ? r.pos : r.pos - 1, nul: false };
}

// ---------------------------------------------------------------------------
// go/build's parseFileHeader: the leading run of blank lines and comments. //go:build
// counts anywhere in it (outside /* */); +build lines count only up to the last blank
// line before the first line that is not a // comment.

interface Range {
  start: number;
  end: number;
}

function parseFileHeader(b: Uint8Array): { goBuild?: Range; multipleGoBuild: boolean; binaryOnly: boolean; plusBuild: Range[] } {
  let end = 0;
  let p = 0;
  let ended = false; // a non-blank, non-// line was seen: no more +build lines
  let inSlashStar = false;
  let goBuild: Range | undefined;
  let multipleGoBuild = false;
  let binaryOnly = false;

  lines: while (p < b.length) {
    let lineEnd = b.indexOf(0x0a, p);
    let next: number;
    if (lineEnd < 0) {
      lineEnd = b.length;
      next = b.length;
    } else {
      next = lineEnd + 1;
    }
    let [s, e] = trimSpace(b, p, lineEnd);
    p = next;
    if (s === e && !ended) {
      end = p; // the most recent blank line: +build lines must come before it
      continue;
    }
    if (!hasPrefixAt(b, s, e, '//')) ended = true;
    if (!inSlashStar && isGoBuildLine(b, s, e)) {
      if (goBuild) {
        multipleGoBuild = true;
        break;
      }
      goBuild = { start: s, end: e };
    }
    if (!inSlashStar && e - s === '//go:binary-only-package'.length && hasPrefixAt(b, s, e, '//go:binary-only-package')) binaryOnly = true;

    while (s < e) {
      if (inSlashStar) {
        const i = indexOf(b, s, e, '*/');
        if (i < 0) continue lines;
        inSlashStar = false;
        [s, e] = trimSpace(b, i + 2, e);
        continue;
      }
      if (hasPrefixAt(b, s, e, '//')) continue lines;
      if (hasPrefixAt(b, s, e, '/*')) {
        inSlashStar = true;
        [s, e] = trimSpace(b, s + 2, e);
        continue;
      }
      break lines; // code: the header is over
    }
  }

  // shouldBuild's +build scan over content[:end].
  const plusBuild: Range[] = [];
  for (let q = 0; q < end; ) {
    let lineEnd = b.indexOf(0x0a, q);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    const [s, e] = trimSpace(b, q, lineEnd);
    q = lineEnd + 1;
    if (hasPrefixAt(b, s, e, '//') && indexOf(b, s, e, '+build') >= 0) plusBuild.push({ start: s, end: e });
  }
  return { goBuild, multipleGoBuild, binaryOnly, plusBuild };
}

/** go/build's isGoBuildComment, on a trimmed line. */
function isGoBuildLine(b: Uint8Array, s: number, e: number): boolean {
  if (!hasPrefixAt(b, s, e, '//go:build')) return false;
  return isGoBuild(decode(b, s, e));
}

// ---------------------------------------------------------------------------
// A Go scanner (go/scanner) and the part of go/parser that ImportsOnly mode runs: the
// package clause and the import declarations. Errors follow go/parser: scanner errors
// are all kept, parser errors on the line of the previous error are dropped, more than
// ten errors stop the parse, and the first error after sorting by position is reported.
// (//line directives, which move positions, are not honoured.)

const KEYWORDS = new Set([
  'break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else', 'fallthrough', 'for', 'func', 'go', 'goto',
  'if', 'import', 'interface', 'map', 'package', 'range', 'return', 'select', 'struct', 'switch', 'type', 'var',
]);
const LITERALS = new Set(['IDENT', 'INT', 'FLOAT', 'IMAG', 'CHAR', 'STRING']);

interface GoError {
  offset: number;
  line: number;
  col: number;
  msg: string;
}

class Bailout {}

const EOF_CH = -1;

export class Scanner {
  ch = 0x20;
  offset = 0;
  rdOffset = 0;
  insertSemi = false;
  nlOffset = -1; // a pending newline semicolon, from a /* */ comment spanning lines

  constructor(
    private readonly src: Uint8Array,
    private readonly onError: (offset: number, msg: string) => void,
  ) {
    this.next();
    if (this.ch === 0xfeff) this.next(); // a byte order mark at the very start is ignored
  }

  private error(offset: number, msg: string): void {
    this.onError(offset, msg);
  }

  next(): void {
    if (this.rdOffset < this.src.length) {
      this.offset = this.rdOffset;
      let r = this.src[this.rdOffset];
      let w = 1;
      if (r === 0) {
        this.error(this.offset, 'illegal character NUL');
      } else if (r >= 0x80) {
        ({ r, w } = decodeRune(this.src, this.rdOffset));
        if (r === 0xfffd && w === 1) {
          const a = this.src[this.rdOffset];
          const b = this.src[this.rdOffset + 1];
          if (this.offset === 0 && this.src.length - this.rdOffset >= 2 && ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff))) {
            this.error(this.offset, 'illegal UTF-8 encoding (got UTF-16)');
            this.rdOffset = this.src.length - 1; // consume everything, to avoid a cascade of errors
          } else {
            this.error(this.offset, 'illegal UTF-8 encoding');
          }
        } else if (r === 0xfeff && this.offset > 0) {
          this.error(this.offset, 'illegal byte order mark');
        }
      }
      this.rdOffset += w;
      this.ch = r;
    } else {
      this.offset = this.src.length;
      this.ch = EOF_CH;
    }
  }

  private peekByte(): number {
    return this.rdOffset < this.src.length ? this.src[this.rdOffset] : 0;
  }

  /** The next token: kind, literal text and byte offset. */
  scan(): { tok: string; lit: string; offset: number } {
    if (this.nlOffset >= 0) {
      const offset = this.nlOffset;
      this.nlOffset = -1;
      return { tok: ';', lit: '\n', offset };
    }
    while (this.ch === 0x20 || this.ch === 0x09 || (this.ch === 0x0a && !this.insertSemi) || this.ch === 0x0d) this.next();
    const offset = this.offset;
    const ch = this.ch;
    let insertSemi = false;
    let tok: string;
    let lit = '';
    if (isLetter(ch)) {
      lit = this.scanIdentifier();
      tok = lit.length > 1 && KEYWORDS.has(lit) ? lit : 'IDENT';
      insertSemi = tok === 'IDENT' || tok === 'break' || tok === 'continue' || tok === 'fallthrough' || tok === 'return';
    } else if (isDecimal(ch) || (ch === 0x2e && isDecimal(this.peekByte()))) {
      insertSemi = true;
      [tok, lit] = this.scanNumber();
    } else {
      this.next();
      switch (ch) {
        case EOF_CH:
          if (this.insertSemi) {
            this.insertSemi = false;
            return { tok: ';', lit: '\n', offset };
          }
          tok = 'EOF';
          break;
        case 0x0a:
          this.insertSemi = false;
          return { tok: ';', lit: '\n', offset };
        case 0x22: // "
          insertSemi = true;
          tok = 'STRING';
          lit = this.scanString(offset);
          break;
        case 0x27: // '
          insertSemi = true;
          tok = 'CHAR';
          lit = this.scanRune(offset);
          break;
        case 0x60: // `
          insertSemi = true;
          tok = 'STRING';
          lit = this.scanRawString(offset);
          break;
        case 0x2f: // /
          if (this.ch === 0x2f || this.ch === 0x2a) {
            const { text, nlOffset } = this.scanComment(offset);
            if (this.insertSemi && nlOffset !== 0) {
              this.nlOffset = nlOffset;
              this.insertSemi = false;
            } else {
              insertSemi = this.insertSemi;
            }
            this.insertSemi = insertSemi;
            return { tok: 'COMMENT', lit: text, offset };
          }
          tok = this.switch2('/', '/=');
          break;
        default:
          tok = this.operator(ch);
          if (tok === 'ILLEGAL') {
            if (ch !== 0xfeff) {
              if (ch === 0x201c || ch === 0x201d) this.error(offset, `curly quotation mark '${String.fromCodePoint(ch)}' (use neutral '"')`);
              else this.error(offset, `illegal character ${formatU(ch)}`);
            }
            insertSemi = this.insertSemi;
            lit = String.fromCodePoint(ch);
          } else if (tok === ')' || tok === ']' || tok === '}' || tok === '++' || tok === '--') {
            insertSemi = true;
          }
      }
    }
    this.insertSemi = insertSemi;
    return { tok, lit, offset };
  }

  private switch2(t0: string, t1: string): string {
    if (this.ch === 0x3d) {
      this.next();
      return t1;
    }
    return t0;
  }

  private switch3(t0: string, t1: string, ch2: number, t2: string): string {
    if (this.ch === 0x3d) {
      this.next();
      return t1;
    }
    if (this.ch === ch2) {
      this.next();
      return t2;
    }
    return t0;
  }

  private switch4(t0: string, t1: string, ch2: number, t2: string, t3: string): string {
    if (this.ch === 0x3d) {
      this.next();
      return t1;
    }
    if (this.ch === ch2) {
      this.next();
      if (this.ch === 0x3d) {
        this.next();
        return t3;
      }
      return t2;
    }
    return t0;
  }

  /** Operators and delimiters; ch has been consumed. */
  private operator(ch: number): string {
    switch (String.fromCodePoint(ch)) {
      case ':': return this.switch2(':', ':=');
      case '.':
        if (this.ch === 0x2e && this.peekByte() === 0x2e) {
          this.next();
          this.next();
          return '...';
        }
        return '.';
      case ',': return ',';
      case ';': return ';';
      case '(': return '(';
      case ')': return ')';
      case '[': return '[';
      case ']': return ']';
      case '{': return '{';
      case '}': return '}';
      case '+': return this.switch3('+', '+=', 0x2b, '++');
      case '-': return this.switch3('-', '-=', 0x2d, '--');
      case '*': return this.switch2('*', '*=');
      case '%': return this.switch2('%', '%=');
      case '^': return this.switch2('^', '^=');
      case '<':
        if (this.ch === 0x2d) {
          this.next();
          return '<-';
        }
        return this.switch4('<', '<=', 0x3c, '<<', '<<=');
      case '>': return this.switch4('>', '>=', 0x3e, '>>', '>>=');
      case '=': return this.switch2('=', '==');
      case '!': return this.switch2('!', '!=');
      case '&':
        if (this.ch === 0x5e) {
          this.next();
          return this.switch2('&^', '&^=');
        }
        return this.switch3('&', '&=', 0x26, '&&');
      case '|': return this.switch3('|', '|=', 0x7c, '||');
      case '~': return '~';
      default: return 'ILLEGAL';
    }
  }

  private text(start: number, end: number): string {
    return decode(this.src, start, end);
  }

  private scanIdentifier(): string {
    const start = this.offset;
    while (isLetter(this.ch) || isDigitRune(this.ch)) this.next();
    return this.text(start, this.offset);
  }

  private scanComment(start: number): { text: string; nlOffset: number } {
    let nlOffset = 0;
    if (this.ch === 0x2f) {
      this.next();
      while ((this.ch as number) !== 0x0a && this.ch >= 0) this.next();
      let end = this.offset;
      if (end > start && this.src[end - 1] === 0x0d) end--; // the \r of a CRLF line end
      return { text: this.text(start, end), nlOffset };
    }
    this.next();
    while (this.ch >= 0) {
      const ch = this.ch;
      if (ch === 0x0a && nlOffset === 0) nlOffset = this.offset;
      this.next();
      if (ch === 0x2a && this.ch === 0x2f) {
        this.next();
        return { text: this.text(start, this.offset), nlOffset };
      }
    }
    this.error(start, 'comment not terminated');
    return { text: this.text(start, this.offset), nlOffset };
  }

  private scanEscape(quote: number): boolean {
    const start = this.offset;
    let n: number;
    let base: number;
    let max: number;
    switch (this.ch) {
      case 0x61: case 0x62: case 0x66: case 0x6e: case 0x72: case 0x74: case 0x76: case 0x5c: case quote: // a b f n r t v \ quote
        this.next();
        return true;
      case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: case 0x36: case 0x37:
        [n, base, max] = [3, 8, 255];
        break;
      case 0x78: // x
        this.next();
        [n, base, max] = [2, 16, 255];
        break;
      case 0x75: // u
        this.next();
        [n, base, max] = [4, 16, 0x10ffff];
        break;
      case 0x55: // U
        this.next();
        [n, base, max] = [8, 16, 0x10ffff];
        break;
      default:
        this.error(start, this.ch < 0 ? 'escape sequence not terminated' : 'unknown escape sequence');
        return false;
    }
    let x = 0;
    for (; n > 0; n--) {
      const d = digitVal(this.ch);
      if (d >= base) {
        this.error(this.offset, this.ch < 0 ? 'escape sequence not terminated' : `illegal character ${formatU(this.ch)} in escape sequence`);
        return false;
      }
      x = x * base + d;
      this.next();
    }
    if (x > max || (x >= 0xd800 && x < 0xe000)) {
      this.error(start, 'escape sequence is invalid Unicode code point');
      return false;
    }
    return true;
  }

  private scanRune(start: number): string {
    let valid = true;
    let n = 0;
    for (;;) {
      const ch = this.ch;
      if (ch === 0x0a || ch < 0) {
        if (valid) {
          this.error(start, 'rune literal not terminated');
          valid = false;
        }
        break;
      }
      this.next();
      if (ch === 0x27) break;
      n++;
      if (ch === 0x5c && !this.scanEscape(0x27)) valid = false;
    }
    if (valid && n !== 1) this.error(start, 'illegal rune literal');
    return this.text(start, this.offset);
  }

  private scanString(start: number): string {
    for (;;) {
      const ch = this.ch;
      if (ch === 0x0a || ch < 0) {
        this.error(start, 'string literal not terminated');
        break;
      }
      this.next();
      if (ch === 0x22) break;
      if (ch === 0x5c) this.scanEscape(0x22);
    }
    return this.text(start, this.offset);
  }

  private scanRawString(start: number): string {
    for (;;) {
      const ch = this.ch;
      if (ch < 0) {
        this.error(start, 'raw string literal not terminated');
        break;
      }
      this.next();
      if (ch === 0x60) break;
    }
    return this.text(start, this.offset).replace(/\r/g, ''); // Go drops \r from raw strings
  }

  private digits(base: number, invalid: { at: number } | undefined): number {
    let digsep = 0;
    if (base <= 10) {
      const max = 0x30 + base;
      while (isDecimal(this.ch) || this.ch === 0x5f) {
        let ds = 1;
        if (this.ch === 0x5f) ds = 2;
        else if (this.ch >= max && invalid && invalid.at < 0) invalid.at = this.offset;
        digsep |= ds;
        this.next();
      }
    } else {
      while (isHex(this.ch) || this.ch === 0x5f) {
        digsep |= this.ch === 0x5f ? 2 : 1;
        this.next();
      }
    }
    return digsep;
  }

  private scanNumber(): [string, string] {
    const start = this.offset;
    let tok = 'ILLEGAL';
    let base = 10;
    let prefix = ''; // '', '0' (0-octal), 'x', 'o' or 'b'
    let digsep = 0;
    const invalid = { at: -1 };
    if (this.ch !== 0x2e) {
      tok = 'INT';
      if (this.ch === 0x30) {
        this.next();
        switch (lower(this.ch)) {
          case 0x78:
            this.next();
            [base, prefix] = [16, 'x'];
            break;
          case 0x6f:
            this.next();
            [base, prefix] = [8, 'o'];
            break;
          case 0x62:
            this.next();
            [base, prefix] = [2, 'b'];
            break;
          default:
            [base, prefix] = [8, '0'];
            digsep = 1; // the leading 0
        }
      }
      digsep |= this.digits(base, invalid);
    }
    if (this.ch === 0x2e) {
      tok = 'FLOAT';
      if (prefix === 'o' || prefix === 'b') this.error(this.offset, 'invalid radix point in ' + litname(prefix));
      this.next();
      digsep |= this.digits(base, invalid);
    }
    if ((digsep & 1) === 0) this.error(this.offset, litname(prefix) + ' has no digits');
    const e = lower(this.ch);
    if (e === 0x65 || e === 0x70) {
      if (e === 0x65 && prefix !== '' && prefix !== '0') this.error(this.offset, `'${String.fromCharCode(this.ch)}' exponent requires decimal mantissa`);
      else if (e === 0x70 && prefix !== 'x') this.error(this.offset, `'${String.fromCharCode(this.ch)}' exponent requires hexadecimal mantissa`);
      this.next();
      tok = 'FLOAT';
      if (this.ch === 0x2b || this.ch === 0x2d) this.next();
      const ds = this.digits(10, undefined);
      digsep |= ds;
      if ((ds & 1) === 0) this.error(this.offset, 'exponent has no digits');
    } else if (prefix === 'x' && tok === 'FLOAT') {
      this.error(this.offset, "hexadecimal mantissa requires a 'p' exponent");
    }
    if (this.ch === 0x69) {
      tok = 'IMAG';
      this.next();
    }
    const lit = this.text(start, this.offset);
    if (tok === 'INT' && invalid.at >= 0) {
      this.error(invalid.at, `invalid digit '${String.fromCharCode(this.src[invalid.at])}' in ${litname(prefix)}`);
    }
    if (digsep & 2) {
      const i = invalidSep(lit);
      if (i >= 0) this.error(start + i, "'_' must separate successive digits");
    }
    return [tok, lit];
  }
}

function lower(ch: number): number {
  return 0x20 | ch;
}
function isDecimal(ch: number): boolean {
  return ch >= 0x30 && ch <= 0x39;
}
function isHex(ch: number): boolean {
  return isDecimal(ch) || (lower(ch) >= 0x61 && lower(ch) <= 0x66);
}
function isLetter(ch: number): boolean {
  return (lower(ch) >= 0x61 && lower(ch) <= 0x7a) || ch === 0x5f || (ch >= 0x80 && goIsLetter(ch));
}
function isDigitRune(ch: number): boolean {
  return isDecimal(ch) || (ch >= 0x80 && goIsDigit(ch));
}
function digitVal(ch: number): number {
  if (isDecimal(ch)) return ch - 0x30;
  if (lower(ch) >= 0x61 && lower(ch) <= 0x66) return lower(ch) - 0x61 + 10;
  return 16;
}
function litname(prefix: string): string {
  return prefix === 'x' ? 'hexadecimal literal' : prefix === 'o' || prefix === '0' ? 'octal literal' : prefix === 'b' ? 'binary literal' : 'decimal literal';
}
function invalidSep(x: string): number {
  let x1 = 0x20;
  let d = 0x2e; // '.' for anything else, '0' for a digit, '_'
  let i = 0;
  if (x.length >= 2 && x[0] === '0') {
    x1 = lower(x.charCodeAt(1));
    if (x1 === 0x78 || x1 === 0x6f || x1 === 0x62) {
      d = 0x30;
      i = 2;
    }
  }
  for (; i < x.length; i++) {
    const p = d;
    d = x.charCodeAt(i);
    if (d === 0x5f) {
      if (p !== 0x30) return i;
    } else if (isDecimal(d) || (x1 === 0x78 && isHex(d))) {
      d = 0x30;
    } else {
      if (p === 0x5f) return i - 1;
      d = 0x2e;
    }
  }
  return d === 0x5f ? x.length - 1 : -1;
}

/** Go's %#U: "U+0041 'A'", the character only when printable. */
function formatU(r: number): string {
  const hex = 'U+' + r.toString(16).toUpperCase().padStart(4, '0');
  return isPrint(r) ? `${hex} '${String.fromCodePoint(r)}'` : hex;
}

/** strconv.IsPrint: graphic characters other than spaces, plus U+0020. */
function isPrint(r: number): boolean {
  if (r === 0x20) return true;
  return r >= 0 && goIsGraphic(r) && !/^\p{Zs}$/u.test(String.fromCodePoint(r));
}

/** The position data the parser keeps for an import, beyond the public ImportSpec. */
interface ParsedImport extends ImportSpec {
  specLine: number;
  specCol: number;
}

/** go/parser's parseFile in ImportsOnly|ParseComments mode. */
function parseImportsOnly(
  src: Uint8Array,
  lines: ByteLineIndex,
): { packageName?: string; packageLine?: number; imports: ParsedImport[]; comments: HeaderComment[]; error?: string } {
  const errors: GoError[] = [];
  const addError = (offset: number, msg: string) => errors.push({ offset, line: lines.lineOf(offset), col: lines.byteCol(offset), msg });
  const scanner = new Scanner(src, addError);
  const comments: HeaderComment[] = [];
  let top = true; // still before the first token: comments here are the header comments
  let tok = '';
  let lit = '';
  let pos = 0;
  let syncPos = -1;
  let syncCnt = 0;
  const cur = () => tok;

  const next = () => {
    for (;;) {
      const t = scanner.scan();
      if (t.tok === 'COMMENT') {
        if (top) comments.push({ line: lines.lineOf(t.offset), col: lines.utf16Col(t.offset), text: t.lit });
        continue;
      }
      top = false;
      [tok, lit, pos] = [t.tok, t.lit, t.offset];
      return;
    }
  };
  const error = (offset: number, msg: string) => {
    const line = lines.lineOf(offset);
    if (errors.length > 0 && errors[errors.length - 1].line === line) return; // likely spurious
    if (errors.length > 10) throw new Bailout();
    addError(offset, msg);
  };
  const errorExpected = (offset: number, what: string) => {
    let msg = 'expected ' + what;
    if (offset === pos) {
      if (tok === ';' && lit === '\n') msg += ', found newline';
      else if (LITERALS.has(tok)) msg += ', found ' + lit;
      else msg += `, found '${tok}'`;
    }
    error(offset, msg);
  };
  const expect = (t: string) => {
    const at = pos;
    if (tok !== t) errorExpected(at, `'${t}'`);
    next();
    return at;
  };
  const advance = (to: Set<string>) => {
    for (; tok !== 'EOF'; next()) {
      if (to.has(tok)) {
        if (pos === syncPos && syncCnt < 10) {
          syncCnt++;
          return;
        }
        if (pos > syncPos) {
          syncPos = pos;
          syncCnt = 0;
          return;
        }
      }
    }
  };
  const expectSemi = () => {
    switch (tok) {
      case ')':
      case '}':
        return;
      case ',':
        errorExpected(pos, "';'");
        next();
        return;
      case ';':
        next();
        return;
      default:
        errorExpected(pos, "';'");
        advance(STMT_START);
    }
  };
  const parseIdent = (): string => {
    if (tok === 'IDENT') {
      const name = lit;
      next();
      return name;
    }
    expect('IDENT');
    return '_';
  };

  const imports: ParsedImport[] = [];
  let packageName: string | undefined;
  let packageLine: number | undefined;
  const parseImportSpec = () => {
    let name: string | undefined;
    let nameAt = -1;
    if (tok === 'IDENT') {
      nameAt = pos;
      name = parseIdent();
    } else if (tok === '.') {
      nameAt = pos;
      name = '.';
      next();
    }
    const at = pos;
    if (tok === 'STRING') {
      const quoted = lit;
      const end = at + Buffer.byteLength(quoted, 'utf8');
      next();
      const line = lines.lineOf(at);
      const col = lines.utf16Col(at);
      const endCol = lines.lineOf(end) === line ? lines.utf16Col(end) : col + quoted.split('\n')[0].length;
      const specAt = nameAt >= 0 ? nameAt : at;
      imports.push({ path: unquote(quoted), name, line, col, endCol, specLine: lines.lineOf(specAt), specCol: lines.byteCol(specAt) });
    } else if (LITERALS.has(tok)) {
      error(at, 'import path must be a string');
      next();
    } else {
      error(at, 'missing import path');
      advance(EXPR_END);
    }
    expectSemi();
  };

  try {
    next();
    if (errors.length === 0) {
      const pkgAt = expect('package');
      const ident = parseIdent();
      expectSemi();
      if (errors.length === 0) {
        packageName = ident;
        packageLine = lines.lineOf(pkgAt);
        // `cur()` rather than `tok`: every call below moves the parser on.
        while (cur() === 'import') {
          expect('import');
          if (cur() === '(') {
            next();
            while (cur() !== ')' && cur() !== 'EOF') parseImportSpec();
            expect(')');
            expectSemi();
          } else {
            parseImportSpec();
          }
        }
      }
    }
  } catch (e) {
    if (!(e instanceof Bailout)) throw e;
  }

  errors.sort((a, b) => a.line - b.line || a.col - b.col || (a.msg < b.msg ? -1 : a.msg > b.msg ? 1 : 0));
  const first = errors[0];
  return {
    packageName,
    packageLine,
    imports,
    comments,
    error: first ? `${first.line}:${first.col}: ${first.msg}` : undefined,
  };
}

const STMT_START = new Set(['break', 'const', 'continue', 'defer', 'fallthrough', 'for', 'go', 'goto', 'if', 'return', 'select', 'switch', 'type', 'var']);
const EXPR_END = new Set([',', ':', ';', ')', ']', '}']);

/**
 * strconv.Unquote for a string literal the scanner accepted. Bytes written as \x or
 * octal escapes are decoded as UTF-8 afterwards; invalid sequences become U+FFFD, which
 * isValidImport rejects just as Go rejects the raw bytes.
 */
function unquote(quoted: string): string {
  if (quoted.startsWith('`')) return quoted.slice(1, quoted.endsWith('`') && quoted.length > 1 ? -1 : undefined);
  const body = quoted.slice(1, quoted.endsWith('"') && quoted.length > 1 ? -1 : undefined);
  const bytes: number[] = [];
  // An escape the scanner already rejected (too large, a surrogate, not hex) reads as U+FFFD.
  const pushRune = (r: number) => {
    const ok = Number.isInteger(r) && r >= 0 && r <= 0x10ffff && !(r >= 0xd800 && r <= 0xdfff);
    bytes.push(...Buffer.from(String.fromCodePoint(ok ? r : 0xfffd), 'utf8'));
  };
  const pushByte = (b: number) => (Number.isInteger(b) ? bytes.push(b & 0xff) : pushRune(0xfffd));
  for (let i = 0; i < body.length; ) {
    const c = body.codePointAt(i)!;
    const w = c > 0xffff ? 2 : 1;
    if (c !== 0x5c) {
      pushRune(c);
      i += w;
      continue;
    }
    const e = body[i + 1];
    const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 0x5c, '"': 0x22 };
    if (e in simple) {
      bytes.push(simple[e]);
      i += 2;
    } else if (e === 'x') {
      pushByte(parseInt(body.slice(i + 2, i + 4), 16));
      i += 4;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      pushRune(parseInt(body.slice(i + 2, i + 2 + n), 16));
      i += 2 + n;
    } else if (e >= '0' && e <= '7') {
      pushByte(parseInt(body.slice(i + 1, i + 4), 8));
      i += 4;
    } else {
      pushRune(0x5c); // not reachable for literals the scanner accepted
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** go/build's isValidImport: graphic, no spaces, none of the characters Go reserves. */
function isValidImport(path: string): boolean {
  if (path === '') return false;
  for (const ch of path) {
    const r = ch.codePointAt(0)!;
    if (!goIsGraphic(r) || goIsSpace(r) || '!"#$%&\'()*,:;<=>?[\\]^{|}`\ufffd'.includes(ch)) return false;
  }
  return true;
}

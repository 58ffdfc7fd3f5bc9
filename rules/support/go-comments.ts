// Every comment of a Go file, with offsets, found by a small lexer that knows just enough
// Go to tell comments from string, raw-string and rune literals. The header reader
// (src/constraints/header.ts) only sees the comments before the package clause; the
// build-constraint rule also needs the ones after it, because a //go:build or +build
// comment placed there is a mistake (go vet's buildtag analyzer checks the whole file).

export interface GoComment {
  kind: 'line' | 'block';
  /** The comment as written, with its delimiters; a line comment loses the \r of a CRLF end. */
  text: string;
  /** UTF-16 offsets into the scanned text; `end` is exclusive. */
  start: number;
  end: number;
  /** Whether only white space precedes the comment on its line. */
  startsLine: boolean;
}

export interface CommentScan {
  comments: GoComment[];
  /** Offset of the first token that is not a comment (the package clause); text.length when there is none. */
  firstToken: number;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/**
 * Scan `text` (already decoded; a leading BOM should be removed by the caller). With
 * `headerOnly`, stop at the first token that is not a comment. Never throws.
 */
export function scanComments(text: string, headerOnly = false): CommentScan {
  const comments: GoComment[] = [];
  let firstToken = -1;
  let lineHasCode = false; // a non-space, non-comment character appeared on the current line
  let i = 0;
  const n = text.length;
  const markCode = (at: number) => {
    if (firstToken < 0) firstToken = at;
    lineHasCode = true;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      lineHasCode = false;
      i++;
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      let j = text.indexOf('\n', i);
      if (j < 0) j = n;
      let end = j;
      if (end > i && text.charCodeAt(end - 1) === 0x0d) end--;
      comments.push({ kind: 'line', text: text.slice(i, end), start: i, end, startsLine: !lineHasCode && !endsBlockOnLine(comments, text, i) });
      i = j;
      continue;
    }
    if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a /* * */) {
      let j = text.indexOf('*/', i + 2);
      j = j < 0 ? n : j + 2; // an unterminated comment runs to the end of the file
      comments.push({ kind: 'block', text: text.slice(i, j), start: i, end: j, startsLine: !lineHasCode && !endsBlockOnLine(comments, text, i) });
      // A block comment spanning lines ends the line it started on: what follows it is on a new line.
      if (text.slice(i, j).includes('\n')) lineHasCode = false;
      i = j;
      continue;
    }
    markCode(i);
    if (headerOnly) break;
    if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
      // Interpreted string or rune literal: ends at the matching quote or, unterminated, at the newline.
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 0x5c /* \ */) {
          j += 2;
          continue;
        }
        if (d === c || d === 0x0a) break;
        j++;
      }
      i = j < n && text.charCodeAt(j) === c ? j + 1 : j;
      continue;
    }
    if (c === 0x60 /* ` */) {
      const j = text.indexOf('`', i + 1);
      i = j < 0 ? n : j + 1;
      continue;
    }
    i++;
  }
  return { comments, firstToken: firstToken < 0 ? n : firstToken };
}

/** Whether a block comment that ends on this line precedes offset `at` there (`/* x *\/ // y`). */
function endsBlockOnLine(comments: GoComment[], text: string, at: number): boolean {
  const prev = comments[comments.length - 1];
  if (!prev || prev.kind !== 'block') return false;
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  return prev.end > lineStart;
}

/** Maps UTF-16 offsets to 1-based lines and 1-based UTF-16 columns. */
export class Lines {
  private index: number[] | undefined;
  constructor(readonly text: string) {}
  /** Line starts, computed on first use: most files never need a position. */
  private get starts(): number[] {
    if (!this.index) {
      this.index = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) this.index.push(i + 1);
    }
    return this.index;
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
  pos(offset: number): { line: number; col: number } {
    const line = this.lineOf(offset);
    return { line, col: offset - this.starts[line - 1] + 1 };
  }
  /** Offset of the first character of a 1-based line. */
  lineStart(line: number): number {
    return this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1];
  }
  /** Offset just past a line's content (before its \n, and before a \r that precedes it). */
  lineEnd(line: number): number {
    let e = line < this.starts.length ? this.starts[line] - 1 : this.text.length;
    if (e > this.lineStart(line) && this.text.charCodeAt(e - 1) === 0x0d) e--;
    return e;
  }
  get count(): number {
    return this.starts.length;
  }
}

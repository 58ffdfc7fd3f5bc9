// A file's text addressed the way crossvet addresses it: 1-based lines, 1-based columns in
// UTF-16 code units (a JavaScript string index is a UTF-16 index, so a column is an index + 1).
import type { Pos, Span } from '../types';

export class SourceText {
  /** Offset of the first character of each line. */
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The line's text without its line ending ('' past the end). */
  line(n: number): string {
    if (n < 1 || n > this.starts.length) return '';
    const end = n < this.starts.length ? this.starts[n] - 1 : this.text.length;
    const s = this.text.slice(this.starts[n - 1], end);
    return s.endsWith('\r') ? s.slice(0, -1) : s;
  }

  /** Offset of a position, clamped to the text. */
  offset(p: Pos): number {
    const line = Math.min(Math.max(p.line, 1), this.starts.length);
    return Math.min(this.starts[line - 1] + Math.max(p.col - 1, 0), this.text.length);
  }

  slice(s: Span): string {
    return this.text.slice(this.offset(s.start), this.offset(s.end));
  }

  /** The whitespace a line starts with. */
  indent(n: number): string {
    return /^[ \t]*/.exec(this.line(n))![0];
  }
}

export function samePos(a: Pos, b: Pos): boolean {
  return a.line === b.line && a.col === b.col;
}

export function sameSpan(a: Span, b: Span): boolean {
  return samePos(a.start, b.start) && samePos(a.end, b.end);
}

/** Whether span `inner` lies within `outer`. */
export function within(inner: Span, outer: Span): boolean {
  const le = (a: Pos, b: Pos) => a.line < b.line || (a.line === b.line && a.col <= b.col);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

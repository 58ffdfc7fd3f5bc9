// Compiler positions are 1-based byte columns; crossvet's spans count UTF-16 code units.
// These helpers convert one to the other and widen a compiler position to the token there.
import type { Span } from '../types';

/** The UTF-16 column of a 1-based byte column in `lineText`; byte columns past the end map past the end. */
export function utf16Col(lineText: string, byteCol: number): number {
  const bytes = Buffer.from(lineText, 'utf8');
  if (byteCol - 1 >= bytes.length) return lineText.length + 1 + Math.max(0, byteCol - 1 - bytes.length);
  // Decoding a prefix that ends inside a character would add a replacement character: back up to its start.
  let end = Math.max(0, byteCol - 1);
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8').length + 1;
}

/** Line `n` (1-based) of `text`, without its line terminator; undefined past the end. */
export function lineOf(text: string | undefined, n: number): string | undefined {
  if (text === undefined || n < 1) return undefined;
  const lines = text.split('\n');
  const l = lines[n - 1];
  return l === undefined ? undefined : l.replace(/\r$/, '');
}

/**
 * The span of a compiler position: from its column over the identifier, number or operator
 * word starting there (at least one character); the whole line when there is no column.
 */
export function spanAt(text: string | undefined, line: number, byteCol: number | undefined): Span {
  const l = lineOf(text, line);
  if (l === undefined) {
    const c = byteCol ?? 1;
    return { start: { line, col: c }, end: { line, col: c + 1 } };
  }
  if (byteCol === undefined) {
    const first = l.search(/\S/);
    const start = first < 0 ? 1 : first + 1;
    return { start: { line, col: start }, end: { line, col: Math.max(start + 1, l.trimEnd().length + 1) } };
  }
  const col = utf16Col(l, byteCol);
  const rest = l.slice(col - 1);
  const m = /^[\p{L}\p{Nd}_]+/u.exec(rest);
  const len = m ? m[0].length : 1;
  return { start: { line, col }, end: { line, col: col + len } };
}

/** The source text a span covers ('' when the file or the span is not there). */
export function textOf(text: string | undefined, span: Span): string {
  if (text === undefined) return '';
  const lines = text.split('\n');
  const a = lines[span.start.line - 1];
  const b = lines[span.end.line - 1];
  if (a === undefined || b === undefined) return '';
  if (span.start.line === span.end.line) return a.slice(span.start.col - 1, span.end.col - 1);
  return [a.slice(span.start.col - 1), ...lines.slice(span.start.line, span.end.line - 1), b.slice(0, span.end.col - 1)].join('\n');
}

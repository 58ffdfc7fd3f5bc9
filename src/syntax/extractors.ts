// Rule-specific fact extractors, plus the position helpers every extractor needs.
//
// An extractor is a function from a parsed file to plain JSON; its result lands in
// FileFacts.extras[name]. Extractors register themselves when their module is loaded
// (see extractor-modules.ts), so the same set exists in the main thread and in every
// worker. The cache key includes every registered name and version: bump the version
// whenever an extractor's output changes, or stale cached facts will be served.
import type { SyntaxNode } from 'tree-sitter';
import type { Pos, Span } from '../types';

/**
 * Maps offsets in the parsed text to 1-based line and UTF-16 column positions.
 *
 * The Node binding of tree-sitter parses JavaScript strings as UTF-16, so the
 * `startIndex`/`endIndex` of a node are offsets in UTF-16 code units into the decoded
 * text; counting columns in the same units gives exactly SARIF's `utf16CodeUnits` and
 * LSP's default columns, with no per-line byte conversion to get wrong. Lines end at
 * '\n' only, as in Go's go/token (a '\r' before it belongs to the line).
 */
export class LineIndex {
  /** Offset of the first character of each line; lineStarts[0] === 0. */
  readonly lineStarts: number[];
  readonly length: number;

  constructor(readonly text: string) {
    const starts = [0];
    let i = text.indexOf('\n');
    while (i !== -1) {
      starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
    this.lineStarts = starts;
    this.length = text.length;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The position of a UTF-16 offset (clamped to the text). */
  pos(offset: number): Pos {
    if (offset < 0) offset = 0;
    if (offset > this.length) offset = this.length;
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo] + 1 };
  }

  /** The UTF-16 offset of a position (clamped to its line and the text). */
  offset(pos: Pos): number {
    const line = Math.min(Math.max(pos.line, 1), this.lineStarts.length);
    const start = this.lineStarts[line - 1];
    const next = line < this.lineStarts.length ? this.lineStarts[line] : this.length + 1;
    return Math.min(start + Math.max(pos.col, 1) - 1, next - 1, this.length);
  }

  span(start: number, end: number): Span {
    return { start: this.pos(start), end: this.pos(end) };
  }

  /** Text of a 1-based line, without its line terminator. */
  lineText(line: number): string {
    if (line < 1 || line > this.lineStarts.length) return '';
    const start = this.lineStarts[line - 1];
    const end = line < this.lineStarts.length ? this.lineStarts[line] - 1 : this.length;
    return this.text.slice(start, end);
  }
}

/** The span of a tree-sitter node, in the positions crossvet reports. */
export function toSpan(lines: LineIndex, node: { startIndex: number; endIndex: number }): Span {
  return lines.span(node.startIndex, node.endIndex);
}

/**
 * The parsed tree copied into plain objects (facts.ts builds it once per file). Reading
 * it costs nothing, while every property of a tree-sitter SyntaxNode is a native call:
 * an extractor that visits many nodes is several times faster on this copy.
 * `start`/`end` are UTF-16 offsets into `ExtractorContext.text`. Limits: anonymous tokens
 * (`(`, `:=`, keywords) carry only their type (start/end are -1) unless the file has
 * syntax errors, and the insides of comments, string and rune literals are not copied.
 */
export interface PlainNode {
  type: string;
  named: boolean;
  /** The field name this node has in its parent (`name`, `type`, `body`, ...). */
  field: string | null;
  start: number;
  end: number;
  /** A token tree-sitter inserted to recover from a syntax error. */
  missing: boolean;
  children: PlainNode[];
}

export interface ExtractorContext {
  /** The file's bytes as read. */
  src: Buffer;
  /** The text tree-sitter parsed (src decoded as UTF-8); node offsets index into it. */
  text: string;
  lines: LineIndex;
  toSpan(node: { startIndex: number; endIndex: number }): Span;
  /** The same tree as `root`, as plain objects. */
  tree: PlainNode;
}

export type ExtractorFn = (root: SyntaxNode, ctx: ExtractorContext) => unknown;

interface Extractor {
  name: string;
  version: number;
  fn: ExtractorFn;
}

const registry = new Map<string, Extractor>();

/**
 * Adds (or replaces) an extractor. Its result must be plain JSON: it crosses worker
 * threads and is stored in the disk cache.
 */
export function registerExtractor(name: string, version: number, fn: ExtractorFn): void {
  if (!/^[A-Za-z][\w.-]*$/.test(name)) throw new Error(`extractor name ${JSON.stringify(name)}: use letters, digits, '_', '.', '-'`);
  if (!Number.isInteger(version) || version < 0) throw new Error(`extractor ${name}: version must be a non-negative integer`);
  registry.set(name, { name, version, fn });
}

/** Removes an extractor (tests use this to undo a registration). */
export function unregisterExtractor(name: string): boolean {
  return registry.delete(name);
}

export function registeredExtractors(): { name: string; version: number }[] {
  return [...registry.values()].map(({ name, version }) => ({ name, version })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** "name@version,..." sorted by name: part of the cache key, and compared between threads. */
export function extractorSignature(): string {
  return registeredExtractors()
    .map((e) => `${e.name}@${e.version}`)
    .join(',');
}

/**
 * Runs every registered extractor. A failing extractor is a bug in crossvet, not in the
 * user's file: its message goes to `failures` and the other extractors still run.
 */
export function runExtractors(root: SyntaxNode, ctx: ExtractorContext): { extras: Record<string, unknown>; failures: { name: string; message: string }[] } {
  const extras: Record<string, unknown> = {};
  const failures: { name: string; message: string }[] = [];
  for (const e of registry.values()) {
    try {
      extras[e.name] = e.fn(root, ctx);
    } catch (err) {
      failures.push({ name: e.name, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return { extras, failures };
}

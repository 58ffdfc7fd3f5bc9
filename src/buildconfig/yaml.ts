// YAML helpers for build files: parse with line numbers, and read plain values out of nodes.
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { Evidence } from './types';

export interface YamlFile {
  doc: Document.Parsed;
  lines: string[];
  file: string;
  /** 1-based line of a node's start. */
  lineOf(node: unknown): number;
  ev(node: unknown): Evidence;
}

/** Parse YAML; undefined (with the parser's first error) when it does not parse. */
export function parseYaml(file: string, text: string): YamlFile | { error: string } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
  if (doc.errors.length) return { error: doc.errors[0].message.split('\n')[0] };
  const lines = text.split(/\r?\n/);
  const lineOf = (node: unknown) => {
    const r = (node as Node | undefined)?.range;
    return r ? lc.linePos(r[0]).line : 1;
  };
  return { doc, lines, file, lineOf, ev: (node) => ({ file, line: lineOf(node), text: (lines[lineOf(node) - 1] ?? '').trim() }) };
}

/** A map node's entry by key (the value node). */
export function get(node: unknown, key: string): unknown {
  if (!isMap(node)) return undefined;
  return node.get(key, true);
}

/** Items of a sequence node (a scalar counts as a one-item list). */
export function items(node: unknown): unknown[] {
  if (isSeq(node)) return node.items;
  if (node === undefined || node === null) return [];
  return [node];
}

/** A scalar's value as a string (numbers and booleans as written), else undefined. */
export function str(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined) return undefined;
  return typeof v === 'string' ? v : String(v);
}

/** Entries of a map node as [key, value node]. */
export function entries(node: unknown): [string, unknown][] {
  if (!isMap(node)) return [];
  return node.items.map((p) => [str(p.key) ?? String((p.key as { value?: unknown })?.value ?? ''), p.value]);
}

/** Where a block scalar's text starts: the line after its indicator (`run: |`), else its own line. */
export function scalarFirstLine(y: YamlFile, node: unknown): number {
  if (isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED')) return y.lineOf(node) + 1;
  return y.lineOf(node);
}

export { isMap, isScalar, isSeq };

// What identifies a finding across commits: its rule, its file (relative to the scanned
// root), the primaryLocationLineHash of its line (the same hash GitHub code scanning uses,
// which depends on the line's text and the text after it, not on the line number) and its
// message with positions taken out. None of these change when lines are added above.
import * as fs from 'node:fs';
import type { Finding } from '../report/model';
import { lineHashes } from '../report/fingerprint';
import { relPath } from '../report/paths';

export interface FindingKey {
  ruleId: string;
  /** Relative to the scanned root, '/'-separated. */
  path: string;
  /** primaryLocationLineHash, `hex:n`; '' when the file could not be read. */
  lineHash: string;
  /** The message, normalised by normaliseMessage. */
  message: string;
}

/**
 * A message without what moves when code moves: line and column numbers of other places it
 * cites (`x.go:12:3`, `line 12`) and runs of white space.
 */
export function normaliseMessage(m: string): string {
  return m
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/(\.go|\.s|\.c|\.h|go\.mod):\d+(?::\d+)?/g, '$1')
    .replace(/\b(line|column|col)\s+\d+/gi, '$1 N');
}

/** The hash without its `:n` occurrence counter, for matching when an identical line was added above. */
export function hashOnly(lineHash: string): string {
  const i = lineHash.lastIndexOf(':');
  return i < 0 ? lineHash : lineHash.slice(0, i);
}

/** Reads each file once and hands out line hashes; `read` may serve unsaved or historical text. */
export class LineHasher {
  private readonly cache = new Map<string, string[] | undefined>();

  constructor(private readonly read: (file: string) => string | undefined = readUtf8) {}

  hash(file: string, line: number): string {
    if (!this.cache.has(file)) {
      const text = this.read(file);
      this.cache.set(file, text === undefined ? undefined : lineHashes(text));
    }
    return this.cache.get(file)?.[line - 1] ?? '';
  }
}

export function readUtf8(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function keyOf(f: Finding, root: string, hasher: LineHasher): FindingKey {
  return {
    ruleId: f.ruleId,
    path: relPath(root, f.file),
    lineHash: hasher.hash(f.file, f.span.start.line),
    message: normaliseMessage(f.message),
  };
}

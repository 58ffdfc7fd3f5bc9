// Facts for one file on disk: read it, hash it, ask the cache, parse on a miss. Shared by
// the worker threads and the pool's in-process mode so that both behave the same.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { FactsCache, sha256 } from './cache';
import { extractorSignature } from './extractors';
import { extractFacts, FACTS_SCHEMA_VERSION } from './facts';
import { encodeFacts } from './pack';

/** Larger files are not parsed: generated tables of that size hold nothing a rule checks, and parsing them costs seconds. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** What a thread's facts depend on besides content and tool version; the pool checks that its workers agree with it. */
export function factsSignature(): string {
  return `schema=${FACTS_SCHEMA_VERSION};extractors=${extractorSignature()}`;
}

export interface FileResult {
  path: string;
  /** The facts, encoded for the trip between threads (decodeFacts reads them). */
  blob?: Uint8Array;
  error?: string;
  /** Bytes read (0 when the file could not be read or was too large). */
  bytes: number;
  cacheHit: boolean;
  /** Whether the cache was asked and had no usable entry. */
  cacheMiss: boolean;
  /** Whether tree-sitter parsed the file on this call. */
  parsed: boolean;
  /** Time spent parsing and extracting, in milliseconds. */
  parseMs: number;
}

export function factsForPath(file: string, cache: FactsCache): FileResult {
  const result: FileResult = { path: file, bytes: 0, cacheHit: false, cacheMiss: false, parsed: false, parseMs: 0 };
  let src: Buffer;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_FILE_BYTES) return { ...result, error: tooLarge(size) };
    src = fs.readFileSync(file);
  } catch (err) {
    return { ...result, error: `cannot read file: ${err instanceof Error ? err.message : String(err)}` };
  }
  // The file may have grown between stat and read.
  if (src.length > MAX_FILE_BYTES) return { ...result, error: tooLarge(src.length) };
  result.bytes = src.length;
  const hash = sha256(src);
  const cached = cache.get(hash);
  if (cached) return { ...result, blob: cached, cacheHit: true };
  result.cacheMiss = cache.enabled;
  const t0 = performance.now();
  try {
    result.blob = encodeFacts(extractFacts(src, file));
    result.parsed = true;
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  }
  result.parseMs = performance.now() - t0;
  if (result.blob) cache.set(hash, result.blob);
  return result;
}

function tooLarge(size: number): string {
  return `file is ${(size / 1024 / 1024).toFixed(1)} MiB; files over ${MAX_FILE_BYTES / 1024 / 1024} MiB are skipped, not parsed`;
}

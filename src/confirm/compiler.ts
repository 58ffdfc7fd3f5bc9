// Reading what the go command says: the stream of JSON objects of `go list -json`, and the
// compiler's `file:line:col: message` lines (and `file:line: message`) inside its errors.
import * as path from 'node:path';
import type { CompilerError } from './types';

/** A package error as go list reports it (Error and DepsErrors entries). */
export interface ListError {
  ImportStack?: string[];
  Pos?: string;
  Err: string;
}

/** The fields of a `go list -json` package the confirm stage asks for. */
export interface ListedPackage {
  ImportPath: string;
  Dir?: string;
  Name?: string;
  ForTest?: string;
  Goroot?: boolean;
  Standard?: boolean;
  GoFiles?: string[];
  CgoFiles?: string[];
  TestGoFiles?: string[];
  XTestGoFiles?: string[];
  IgnoredGoFiles?: string[];
  Imports?: string[];
  Incomplete?: boolean;
  Error?: ListError;
  DepsErrors?: ListError[];
}

/** The go list fields requested with -json=...; kept here so the parser and the driver agree. */
export const LIST_FIELDS = [
  'ImportPath', 'Dir', 'Name', 'ForTest', 'Goroot', 'Standard', 'GoFiles', 'CgoFiles', 'TestGoFiles', 'XTestGoFiles',
  'IgnoredGoFiles', 'Imports', 'Incomplete', 'Error', 'DepsErrors',
];

/**
 * Splits the concatenated JSON objects go list prints. Throws with the offset when the text
 * is not such a stream (a go command that printed something else on stdout).
 */
export function parseJsonStream<T>(text: string): T[] {
  const out: T[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) {
        out.push(JSON.parse(text.slice(start, i + 1)) as T);
        start = -1;
      } else if (depth < 0) {
        throw new Error(`unexpected '}' at offset ${i} of go list output`);
      }
    } else if (depth === 0 && !/\s/.test(c)) {
      throw new Error(`unexpected text at offset ${i} of go list output: ${JSON.stringify(text.slice(i, i + 40))}`);
    }
  }
  if (depth !== 0) throw new Error('go list output ends inside a JSON object');
  return out;
}

const WITH_COL = /^(.+?):(\d+):(\d+): (.*)$/;
const WITHOUT_COL = /^(.+?):(\d+): (.*)$/;

export interface ParsedOutput {
  errors: CompilerError[];
  /** Lines that are neither a positioned error, its continuation, nor a "# package" header. */
  other: string[];
}

/**
 * The positioned errors in compiler output. Paths are resolved against `cwd` (the go
 * command shortens them relative to its working directory). A line starting with a tab
 * continues the message before it (the compiler's "have/want" details).
 */
export function parseCompilerOutput(text: string, cwd: string): ParsedOutput {
  const errors: CompilerError[] = [];
  const other: string[] = [];
  let last: CompilerError | undefined;
  let details: string[] = [];
  // Prose details ("have (int)", "want (string)") stay with the message, on its line.
  const close = () => {
    if (last && details.length) last.message += ` (${details.join('; ')})`;
    details = [];
  };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line === '') continue;
    if (line.startsWith('\t') && last) {
      // "\t./a.go:6:6: other declaration of x" names a position of its own.
      const body = line.slice(1).trim();
      const withCol = WITH_COL.exec(body);
      const n = withCol ?? WITHOUT_COL.exec(body);
      if (n && isSourcePath(n[1])) {
        (last.notes ??= []).push({ file: path.resolve(cwd, n[1]), line: Number(n[2]), col: withCol ? Number(n[3]) : undefined, message: withCol ? n[4] : n[3] });
      } else {
        details.push(body);
      }
      continue;
    }
    close();
    last = undefined;
    if (line.startsWith('# ')) continue;
    // go vet prefixes its type errors with "vet: "; the compiler does not.
    const body = line.replace(/^vet: /, '');
    let m = WITH_COL.exec(body);
    if (m && isSourcePath(m[1])) {
      last = { file: path.resolve(cwd, m[1]), line: Number(m[2]), col: Number(m[3]), message: m[4] };
      errors.push(last);
      continue;
    }
    m = WITHOUT_COL.exec(body);
    if (m && isSourcePath(m[1])) {
      last = { file: path.resolve(cwd, m[1]), line: Number(m[2]), message: m[3] };
      errors.push(last);
      continue;
    }
    other.push(line);
  }
  close();
  return { errors, other };
}

/** Compiler positions name Go, C, assembly or cgo source files; anything else is prose ("go: ..."). */
function isSourcePath(p: string): boolean {
  return /\.(go|c|h|s|S|cc|cpp|cxx|m|f|F|f90|swig|swigcxx)$/.test(p);
}

/** "file.go:3:8" (go list's Pos) as a position; undefined when it is empty or not one. */
export function parsePos(pos: string | undefined, cwd: string): { file: string; line: number; col?: number } | undefined {
  if (!pos) return undefined;
  const m = /^(.+?):(\d+)(?::(\d+))?$/.exec(pos);
  if (!m) return undefined;
  return { file: path.resolve(cwd, m[1]), line: Number(m[2]), col: m[3] ? Number(m[3]) : undefined };
}

/** Whether the compiler stopped at parsing (no type check happened, so silence proves nothing). */
export function isSyntaxError(e: CompilerError): boolean {
  return /^syntax error\b/.test(e.message) || /^(illegal|invalid) (character|UTF-8|BOM)/.test(e.message);
}

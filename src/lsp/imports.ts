// Adding and removing one import the way gofmt and goimports leave a file: one spec per
// line in `import ( … )`, sorted by path within each group (a run of lines without a blank
// one), the standard library in its own group before the others. The edited declaration
// is written out again line by line; lines the change does not touch keep their text.
import type { Edit } from '../types';
import type { ImportSpec } from '../constraints/header';
import { readHeader } from '../constraints/header';
import { isStdPath } from '../stdlib';
import { SourceText } from './text';

export interface ImportChange {
  /** A spec to delete (with the comment lines right above it). */
  remove?: ImportSpec;
  /** An import path to add, without a name. */
  add?: string;
}

interface Line {
  text: string;
  kind: 'blank' | 'comment' | 'spec';
  spec?: ImportSpec;
}

interface Decl {
  kind: 'single' | 'block';
  /** The `import` line (the `import (` line of a block). */
  open: number;
  /** The `)` line of a block; `open` for a single declaration. */
  close: number;
}

const NAME = String.raw`(?:[\p{L}_][\p{L}\p{N}_]*|\.)`;
const PATH = String.raw`(?:"[^"\\]*"|\x60[^\x60]*\x60)`;
const COMMENT = String.raw`(?:\s*//.*)?`;
const SINGLE = new RegExp(String.raw`^\s*import\s+(?:${NAME}\s+)?${PATH}${COMMENT}\s*$`, 'u');
const BLOCK_OPEN = new RegExp(String.raw`^\s*import\s*\(${COMMENT}\s*$`, 'u');
const BLOCK_CLOSE = new RegExp(String.raw`^\s*\)${COMMENT}\s*$`, 'u');
const SPEC_LINE = new RegExp(String.raw`^\s*(?:${NAME}\s+)?${PATH}${COMMENT}\s*$`, 'u');

/** The import declarations before the first other declaration, or a reason they cannot be edited line by line. */
function declarations(src: SourceText, specs: ImportSpec[]): Decl[] | { reason: string } {
  const decls: Decl[] = [];
  const header = readHeader(src.text);
  const last = specs.length ? specs[specs.length - 1].line : 0;
  let n = (header.packageLine ?? 0) + 1;
  while (n <= last) {
    const text = src.line(n);
    if (/^\s*(\/\/.*)?$/.test(text)) {
      n++;
      continue;
    }
    if (SINGLE.test(text)) {
      decls.push({ kind: 'single', open: n, close: n });
      n++;
      continue;
    }
    if (BLOCK_OPEN.test(text)) {
      let close = n + 1;
      while (close <= src.lineCount && !BLOCK_CLOSE.test(src.line(close))) {
        const inner = src.line(close);
        if (!/^\s*(\/\/.*)?$/.test(inner) && !SPEC_LINE.test(inner)) return { reason: `line ${close} of the import block holds more than one import spec` };
        close++;
      }
      if (close > src.lineCount) return { reason: 'the import block does not end' };
      decls.push({ kind: 'block', open: n, close });
      n = close + 1;
      continue;
    }
    return { reason: `line ${n} among the imports is not written one import per line` };
  }
  // Every spec must sit on its own line of some declaration.
  for (const s of specs) {
    if (!decls.some((d) => d.open <= s.line && s.line <= d.close)) return { reason: `the import of ${s.path} is not on a line of its own` };
    if (specs.filter((o) => o.line === s.line).length > 1) return { reason: `line ${s.line} holds more than one import spec` };
  }
  return decls;
}

function blockLines(src: SourceText, d: Decl, specs: ImportSpec[]): Line[] {
  const out: Line[] = [];
  for (let n = d.open + 1; n < d.close; n++) {
    const text = src.line(n);
    const spec = specs.find((s) => s.line === n);
    out.push({ text, kind: spec ? 'spec' : /^\s*$/.test(text) ? 'blank' : 'comment', spec });
  }
  return out;
}

/** Drop blank lines at either end and runs of them, as gofmt does. */
function tidy(lines: Line[]): Line[] {
  const out: Line[] = [];
  for (const l of lines) {
    if (l.kind === 'blank' && (out.length === 0 || out[out.length - 1].kind === 'blank')) continue;
    out.push(l);
  }
  while (out.length && out[out.length - 1].kind === 'blank') out.pop();
  return out;
}

/** Remove a spec and the comment lines directly above it. */
function without(lines: Line[], spec: ImportSpec): Line[] {
  const i = lines.findIndex((l) => l.spec?.line === spec.line);
  if (i < 0) return lines;
  let from = i;
  while (from > 0 && lines[from - 1].kind === 'comment') from--;
  return tidy([...lines.slice(0, from), ...lines.slice(i + 1)]);
}

/** First element of an import path ("golang.org" of "golang.org/x/sys/unix"). */
const host = (p: string) => p.split('/')[0];

/** Add `path` to the lines of a block, into the group where goimports would put it. */
function withAdded(lines: Line[], importPath: string, indent: string): Line[] {
  const entry: Line = { text: `${indent}${JSON.stringify(importPath)}`, kind: 'spec' };
  // Groups: [start, end) ranges of lines between blank lines.
  const groups: { start: number; end: number; specs: ImportSpec[] }[] = [];
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i === lines.length || lines[i].kind === 'blank') {
      if (i > start) groups.push({ start, end: i, specs: lines.slice(start, i).flatMap((l) => (l.spec ? [l.spec] : [])) });
      start = i + 1;
    }
  }
  const std = isStdPath(importPath);
  const isStdGroup = (g: (typeof groups)[number]) => g.specs.length > 0 && g.specs.every((s) => isStdPath(s.path));
  const group = std
    ? groups.find(isStdGroup)
    : groups.find((g) => !isStdGroup(g) && g.specs.some((s) => !isStdPath(s.path) && host(s.path) === host(importPath)));
  if (group) {
    // Sorted by path: before the first spec that sorts after it, with that spec's comments.
    let at = group.end;
    for (let i = group.start; i < group.end; i++) {
      if (lines[i].spec && lines[i].spec!.path > importPath) {
        at = i;
        while (at > group.start && lines[at - 1].kind === 'comment') at--;
        break;
      }
    }
    return [...lines.slice(0, at), entry, ...lines.slice(at)];
  }
  // A group of its own: the standard library's first, the others after the last group of
  // the standard library (before the module's own packages, which usually come last).
  const blank: Line = { text: '', kind: 'blank' };
  if (std) return tidy([entry, blank, ...lines]);
  const lastStd = [...groups].reverse().find(isStdGroup);
  const at = lastStd ? lastStd.end : 0;
  return tidy([...lines.slice(0, at), blank, entry, blank, ...lines.slice(at)]);
}

function render(lines: Line[]): string {
  return lines.map((l) => l.text + '\n').join('');
}

/**
 * Edits that remove one import, add another, or both, leaving the imports as gofmt and
 * goimports would. A file without imports gets a declaration after its package clause.
 */
export function importEdits(file: string, src: SourceText, change: ImportChange): Edit[] | { reason: string } {
  const specs = readHeader(src.text).imports;
  const decls = declarations(src, specs);
  if ('reason' in decls) return decls;
  const edits: Edit[] = [];
  const lineSpan = (from: number, to: number) => ({ start: { line: from, col: 1 }, end: { line: to, col: 1 } });
  const declOf = (s: ImportSpec) => decls.find((d) => d.open <= s.line && s.line <= d.close);
  const removed = change.remove ? declOf(change.remove) : undefined;
  if (change.remove && !removed) return { reason: `no import on line ${change.remove.line}` };
  const add = change.add;

  // A single declaration that loses its spec to the new one: the path changes in place.
  if (removed?.kind === 'single' && add !== undefined && !decls.some((d) => d.kind === 'block')) {
    const s = change.remove!;
    const rest = src.line(s.line).slice(s.endCol - 1);
    edits.push({ file, span: lineSpan(s.line, s.line + 1), text: `import ${JSON.stringify(add)}${rest}\n` });
    return edits;
  }
  // Where the new import goes: the block that holds the removed spec, else the first block,
  // else the last single declaration, made a block.
  const into = add === undefined ? undefined : removed?.kind === 'block' ? removed : decls.find((d) => d.kind === 'block') ?? [...decls].reverse().find((d) => d.kind === 'single');
  if (removed && removed !== into) {
    const lines = removed.kind === 'block' ? without(blockLines(src, removed, specs), change.remove!) : [];
    if (lines.some((l) => l.kind === 'spec')) {
      edits.push({ file, span: lineSpan(removed.open + 1, removed.close), text: render(lines) });
    } else {
      // The declaration goes; deleting it must not leave two blank lines in a row.
      const twoBlanks = /^\s*$/.test(src.line(removed.open - 1)) && /^\s*$/.test(src.line(removed.close + 1));
      edits.push({ file, span: lineSpan(removed.open, removed.close + (twoBlanks ? 2 : 1)), text: '' });
    }
  }
  if (add === undefined) return edits;
  if (!into) {
    // No import at all: a declaration of its own after the package clause.
    const header = readHeader(src.text);
    if (header.packageLine === undefined) return { reason: 'the file has no package clause' };
    if (!/^\s*package\s+[\p{L}_][\p{L}\p{N}_]*\s*(\/\/.*)?$/u.test(src.line(header.packageLine))) return { reason: 'the package clause shares its line with other code' };
    const at = { line: header.packageLine + 1, col: 1 };
    edits.push({ file, span: { start: at, end: at }, text: `\nimport ${JSON.stringify(add)}\n` });
    return edits;
  }
  if (into.kind === 'block') {
    let lines = blockLines(src, into, specs);
    if (removed === into) lines = without(lines, change.remove!);
    const indent = /^\s*/.exec(lines.find((l) => l.kind === 'spec')?.text ?? '\t')![0] || '\t';
    edits.push({ file, span: lineSpan(into.open + 1, into.close), text: render(withAdded(lines, add, indent)) });
    return edits;
  }
  // `import "x"` becomes `import (` "x", the new one `)`.
  const s = specs.find((x) => x.line === into.open)!;
  const text = src.line(into.open);
  const spec = text.replace(/^\s*import\s+/, '');
  const lines = withAdded([{ text: `\t${spec}`, kind: 'spec', spec: s }], add, '\t');
  const indent = /^\s*/.exec(text)![0];
  edits.push({ file, span: lineSpan(into.open, into.open + 1), text: `${indent}import (\n${render(lines)}${indent})\n` });
  return edits;
}

// The header pass: read each .go file of a package directory once, keep its text, read its
// header (constraints, package clause, imports) and decide on which targets it builds.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isUtf8 } from 'node:buffer';
import type { Notification } from '../types';
import type { SourceFile } from '../model/types';
import { readHeader } from '../constraints/header';
import { fileBuilds, type BuildContext } from '../constraints/match';

/** Larger files are generated data, not code anyone can fix; reading them would only cost memory. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

export interface LoadedFile {
  file: SourceFile;
  text: string;
}

export interface FileLoadOptions {
  root: string;
  contexts: BuildContext[];
  includeTests: boolean;
  notes: Notification[];
  /** Unsaved editor buffers by absolute path: read instead of the file on disk. */
  overlay?: ReadonlyMap<string, string>;
}

/** The .go files of a directory (not recursive), sorted by name as go/build does. */
export function goFilesIn(dir: string, notes: Notification[]): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    notes.push({ level: 'warning', id: 'unreadable-dir', file: dir, message: `cannot read directory ${dir}: ${(e as Error).message}` });
    return [];
  }
  const out: string[] = [];
  for (const ent of entries) {
    if (!ent.name.endsWith('.go')) continue;
    const full = path.join(dir, ent.name);
    if (ent.isFile()) out.push(full);
    else if (ent.isSymbolicLink()) {
      // go/build follows symlinks to files; a dangling one or one to a directory is skipped.
      try {
        if (fs.statSync(full).isFile()) out.push(full);
      } catch (e) {
        notes.push({ level: 'note', id: 'unreadable-file', file: full, message: `skipped ${full}: ${(e as Error).message}` });
      }
    }
  }
  return out.sort();
}

export function toRel(root: string, p: string): string {
  const rel = path.relative(root, p);
  return rel.split(path.sep).join('/');
}

/** Read and classify one file. Returns undefined (with a notification) when it cannot be read. */
export function loadFile(full: string, opts: FileLoadOptions): LoadedFile | undefined {
  let buf: Buffer;
  // An editor's unsaved buffer stands in for the file on disk.
  const unsaved = opts.overlay?.get(full);
  if (unsaved !== undefined) {
    buf = Buffer.from(unsaved, 'utf8');
  } else {
    try {
      const st = fs.statSync(full);
      if (st.size > MAX_FILE_BYTES) {
        opts.notes.push({ level: 'warning', id: 'file-too-large', file: full, message: `skipped: ${st.size} bytes is over the ${MAX_FILE_BYTES}-byte limit for source files` });
        return undefined;
      }
      buf = fs.readFileSync(full);
    } catch (e) {
      opts.notes.push({ level: 'warning', id: 'unreadable-file', file: full, message: `cannot read the file: ${(e as Error).message}` });
      return undefined;
    }
  }
  if (!isUtf8(buf)) {
    opts.notes.push({ level: 'note', id: 'invalid-utf8', file: full, message: `not valid UTF-8; the go command rejects it, and positions in it may be off` });
  }
  const name = path.basename(full);
  const header = readHeader(buf);
  const builds = new Set<string>();
  for (const ctx of opts.contexts) {
    if (fileBuilds(name, header, ctx, { includeTests: opts.includeTests })) builds.add(ctx.target.id);
  }
  const file: SourceFile = {
    path: full,
    rel: toRel(opts.root, full),
    name,
    dir: path.dirname(full),
    header,
    isTest: name.endsWith('_test.go'),
    builds,
  };
  return { file, text: buf.toString('utf8') };
}

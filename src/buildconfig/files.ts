// The engine's side of RuleContext.repoFiles: find the repository's build files by glob
// under the scanned root and read them. Dependency trees and test data are skipped: their
// build files say nothing about how this repository builds.
import * as fs from 'node:fs';
import fg from 'fast-glob';
import type { RepoFile } from './types';

const IGNORE = ['**/node_modules/**', '**/.git/**', '**/vendor/**', '**/testdata/**'];

/** Build files are text; one with a NUL byte is something else that happens to match a glob. */
function isText(buf: Buffer): boolean {
  return !buf.subarray(0, 8192).includes(0);
}

export function readRepoFiles(root: string, globs: string[], onError?: (file: string, message: string) => void): RepoFile[] {
  const paths = fg.sync(globs, { cwd: root, absolute: true, dot: true, onlyFiles: true, followSymbolicLinks: false, ignore: IGNORE, suppressErrors: true });
  const out: RepoFile[] = [];
  for (const p of paths.sort()) {
    try {
      const buf = fs.readFileSync(p);
      if (isText(buf)) out.push({ path: p, text: buf.toString('utf8') });
    } catch (e) {
      onError?.(p, (e as Error).message);
    }
  }
  return out;
}

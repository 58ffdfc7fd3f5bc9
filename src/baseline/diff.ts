// --new-from-rev REV: the lines changed since REV, from `git diff --unified=0 REV` (the
// working tree against REV, so uncommitted edits count) plus untracked files, which are new
// in every line. A finding is reported when its first line is one of them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../report/model';
import { git, gitTopLevel, resolveCommit, unquoteGitPath } from './git';

/** Absolute file → its changed lines (1-based), or 'all' for a file git does not track. */
export type ChangedLines = Map<string, Set<number> | 'all'>;

export function changedLinesSince(dir: string, rev: string): ChangedLines {
  const top = gitTopLevel(dir);
  const commit = resolveCommit(top, rev, '--new-from-rev');
  // Explicit prefixes and --no-relative: the user's diff.noprefix, diff.mnemonicPrefix or
  // diff.relative settings must not change the paths we parse.
  const diff = git(
    ['diff', '--unified=0', '--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/', '--no-relative', commit, '--'],
    top,
  ).stdout;
  const changed = parseUnifiedDiff(diff, top);
  const untracked = git(['ls-files', '--others', '--exclude-standard', '-z'], top).stdout;
  for (const rel of untracked.split('\0')) if (rel) changed.set(path.join(top, rel), 'all');
  return changed;
}

/** The added or modified lines of each new-side file of a `--unified=0` diff. */
export function parseUnifiedDiff(diff: string, top: string): ChangedLines {
  const out: ChangedLines = new Map();
  let current: Set<number> | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const name = unquoteGitPath(line.slice(4).replace(/\t$/, ''));
      current = undefined;
      if (name === '/dev/null' || !name.startsWith('b/')) continue; // a deleted file has no new lines
      const file = path.join(top, name.slice(2));
      current = new Set();
      out.set(file, current);
      continue;
    }
    const h = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (h && current) {
      const start = Number(h[1]);
      const count = h[2] === undefined ? 1 : Number(h[2]);
      // count 0: lines were only removed here; no line of the new file changed.
      for (let l = start; l < start + count; l++) current.add(l);
    }
  }
  return out;
}

export interface RevFilter {
  findings: Finding[];
  /** Current findings left out because their line did not change. */
  dropped: number;
}

/**
 * Keeps the findings on changed lines (and the baseline's absent ones, which have no current
 * line); a kept finding without a baseline state is marked 'new'.
 */
export function onlyChanged(findings: readonly Finding[], changed: ChangedLines): RevFilter {
  const out: Finding[] = [];
  let dropped = 0;
  for (const f of findings) {
    if (f.baselineState === 'absent') {
      out.push(f);
      continue;
    }
    // git names files by their real path; the scan may have come through a symlink (a temp dir on macOS).
    const lines = changed.get(f.file) ?? changed.get(realPath(f.file));
    if (lines === 'all' || lines?.has(f.span.start.line)) out.push(f.baselineState ? f : { ...f, baselineState: 'new' });
    else dropped++;
  }
  return { findings: out, dropped };
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

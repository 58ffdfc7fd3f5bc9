// Paths as the reports show them: relative to the scanned root, with '/' separators on
// every OS, so that output does not depend on the cwd or the platform of the machine.
import * as path from 'path';

/** `file` relative to `root`, POSIX separators. A file on another drive (Windows) stays absolute. */
export function relPath(root: string, file: string): string {
  const rel = path.relative(root, file);
  if (rel === '') return '.';
  return rel.split(path.sep).join('/');
}

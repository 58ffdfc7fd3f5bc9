// The base of an audit: the module's go.mod and vendor/ as they were at a revision, written
// to a temporary directory. The user's worktree, index and refs are never touched: git
// reads the revision into a throwaway index file (GIT_INDEX_FILE) and checks out from that
// index under a prefix. Unlike `git archive | tar`, this needs no tar and ignores
// `export-ignore` attributes, which could otherwise leave vendored files out of the base.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../errors';
import { git, gitTopLevel, resolveCommit } from '../baseline/git';

export interface BaseTree {
  /** The module root of the base (holds go.mod). */
  root: string;
  /** The commit checked out, for the report. */
  commit: string;
  /** Removes the temporary directory. */
  dispose(): void;
}

export function checkoutBase(moduleRoot: string, rev: string): BaseTree {
  const top = gitTopLevel(moduleRoot);
  const commit = resolveCommit(top, rev, '--base');
  const modRel = path.relative(top, fs.realpathSync(moduleRoot)).split(path.sep).join('/');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-audit-'));
  const dispose = () => fs.rmSync(tmp, { recursive: true, force: true });
  try {
    const env = { GIT_INDEX_FILE: path.join(tmp, 'index'), GIT_LITERAL_PATHSPECS: '1' };
    const tree = path.join(tmp, 'tree');
    git(['read-tree', commit], top, { env });
    const prefix = modRel ? `${modRel}/` : '';
    const listed = git(['ls-files', '-z', '--', `${prefix}go.mod`, `${prefix}vendor`], top, { env }).stdout;
    if (!listed.split('\0').includes(`${prefix}go.mod`)) {
      throw new UsageError(`--base ${rev}: there is no ${prefix}go.mod at ${commit.slice(0, 12)}, so there is nothing to compare with`);
    }
    git(['checkout-index', '-z', '--stdin', `--prefix=${tree}${path.sep}`], top, { env, input: listed });
    return { root: path.join(tree, ...(modRel ? modRel.split('/') : [])), commit, dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}

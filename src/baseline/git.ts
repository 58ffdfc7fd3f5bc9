// Running git for --new-from-rev and audit: always an argument list (no shell), never a
// command that changes the repository, its index or its worktree.
import { spawnSync } from 'node:child_process';
import { UsageError } from '../errors';

export interface GitResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function git(args: string[], cwd: string, opts: { input?: string; allowFail?: boolean; env?: Record<string, string> } = {}): GitResult {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    input: opts.input,
    maxBuffer: 1024 * 1024 * 1024,
    // GIT_OPTIONAL_LOCKS=0: `git diff` would otherwise refresh the index's stat data, a write.
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', ...opts.env },
  });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? 'git is not on PATH (needed to compare with a revision)' : `cannot run git: ${r.error.message}`);
  }
  const out = { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  if (r.status !== 0 && !opts.allowFail) {
    throw new UsageError(`git ${args[0]} failed in ${cwd}: ${out.stderr.trim() || `exit status ${r.status}`}`);
  }
  return out;
}

/** The top directory of the git worktree holding `dir`. */
export function gitTopLevel(dir: string): string {
  const r = git(['rev-parse', '--show-toplevel'], dir, { allowFail: true });
  if (r.status !== 0) throw new UsageError(`${dir} is not in a git repository (${r.stderr.trim() || 'git rev-parse failed'})`);
  return r.stdout.replace(/\n$/, '');
}

/** The commit a revision names, or a UsageError that says the revision is unknown. */
export function resolveCommit(dir: string, rev: string, option: string): string {
  if (rev === '' || rev.startsWith('-')) throw new UsageError(`${option}: "${rev}" is not a revision`);
  const r = git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], dir, { allowFail: true });
  if (r.status !== 0) throw new UsageError(`${option}: unknown revision "${rev}" in ${dir}`);
  return r.stdout.trim();
}

/** git's C-style quoting of unusual path names ("a\tb", octal UTF-8 bytes), undone. */
export function unquoteGitPath(s: string): string {
  if (!s.startsWith('"') || !s.endsWith('"')) return s;
  const bytes: number[] = [];
  const body = s.slice(1, -1);
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const n = body[i + 1];
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[n] ?? n.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

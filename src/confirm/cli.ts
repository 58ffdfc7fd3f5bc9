// The command-line side of --confirm: `--confirm` (packages with findings), `--confirm=all`
// (every scanned package) and `--confirm-timeout SECONDS` (per go command).
import { UsageError } from '../errors';
import { DEFAULT_CONFIRM_TIMEOUT_MS, type ConfirmOptions } from './index';
import type { ProgressStream } from './progress';

export const CONFIRM_OPTION = {
  type: 'string' as const,
  describe: 'cross-build with the go command to confirm or refute each finding and report compile errors no rule predicted; --confirm=all builds every package, not only those with findings',
};

export const CONFIRM_TIMEOUT_OPTION = {
  type: 'number' as const,
  describe: `with --confirm: seconds each go command may run (default ${DEFAULT_CONFIRM_TIMEOUT_MS / 1000})`,
};

/**
 * The confirm options of a check, and any path that was taken for the option's value.
 * `--confirm ./...` reads as the flag followed by a path (yargs gives the path as the value);
 * only `--confirm=VALUE` sets a value, which must be `all` or `findings`.
 */
export function confirmFromArgs(value: string | undefined, timeoutSecs: number | undefined, argv: string[], progress: ProgressStream): { confirm?: ConfirmOptions; paths: string[] } {
  if (timeoutSecs !== undefined && (!Number.isFinite(timeoutSecs) || timeoutSecs <= 0)) {
    throw new UsageError(`--confirm-timeout must be a positive number of seconds, got ${JSON.stringify(String(timeoutSecs))}`);
  }
  if (value === undefined) {
    if (timeoutSecs !== undefined) throw new UsageError('--confirm-timeout needs --confirm');
    return { paths: [] };
  }
  const explicit = argv.includes(`--confirm=${value}`);
  let mode: ConfirmOptions['mode'] = 'findings';
  const paths: string[] = [];
  if (value === 'all') mode = 'all';
  else if (value === '' || value === 'findings') mode = 'findings';
  else if (explicit) throw new UsageError(`--confirm takes "all" or no value, got "${value}"`);
  else paths.push(value);
  return { confirm: { mode, timeoutMs: (timeoutSecs ?? DEFAULT_CONFIRM_TIMEOUT_MS / 1000) * 1000, progress }, paths };
}

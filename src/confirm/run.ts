// Runs one go command asynchronously, with an argument list (never a shell) and the same
// safe environment as src/goenv.ts (GOTOOLCHAIN=local, GOPROXY=off), plus the variables of
// the target. The go command starts compiler and linker processes of its own, so it runs in
// a process group of its own and a timeout ends the whole group.
import { spawn } from 'node:child_process';
import { goCommand, safeGoEnv } from '../goenv';
import type { GoRun } from './types';

export interface RunOptions {
  purpose: GoRun['purpose'];
  target?: string;
  cwd: string;
  /** Variables set on top of the user's environment (undefined removes one). */
  env: Record<string, string | undefined>;
  timeoutMs: number;
}

export interface RunOutput {
  run: GoRun;
  stdout: string;
  stderr: string;
}

/** Output beyond this is dropped and said so: a go list -json of a huge tree stays far below it. */
const MAX_OUTPUT = 512 * 1024 * 1024;

export function runGoAsync(args: string[], opts: RunOptions): Promise<RunOutput> {
  const go = goCommand();
  const startTime = new Date();
  const t0 = Date.now();
  const shownEnv: Record<string, string> = { GOTOOLCHAIN: 'local', GOPROXY: 'off' };
  for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) shownEnv[k] = v;
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let truncated = false;
    let timedOut = false;
    let failure: string | undefined;
    let settled = false;
    const child = spawn(go, args, {
      cwd: opts.cwd,
      env: safeGoEnv(opts.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group (on POSIX), so that a timeout can end the compilers it started.
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      if (size + chunk.length > MAX_OUTPUT) {
        truncated = true;
        return;
      }
      size += chunk.length;
      into.push(chunk);
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    const kill = () => {
      if (child.pid === undefined) return;
      try {
        if (process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      failure = `timed out after ${Math.round(opts.timeoutMs / 1000)} s`;
      kill();
    }, opts.timeoutMs);
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!failure && signal) failure = `killed by ${signal}`;
      if (!failure && truncated) failure = `output larger than ${MAX_OUTPUT} bytes was cut off`;
      resolve({
        run: {
          purpose: opts.purpose,
          target: opts.target,
          args: [go, ...args],
          env: shownEnv,
          cwd: opts.cwd,
          exitCode: timedOut ? null : code,
          startTime,
          durationMs: Date.now() - t0,
          timedOut,
          failure,
        },
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    };
    child.on('error', (e) => {
      failure = (e as NodeJS.ErrnoException).code === 'ENOENT' ? `the go command (${go}) was not found` : e.message;
      finish(null, null);
    });
    child.on('close', finish);
  });
}

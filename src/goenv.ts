// Facts about the Go toolchain on PATH, asked once per process. Everything that
// calls the go command goes through runGo so that the environment is always safe:
// an argument list (no shell), GOTOOLCHAIN=local (never download a toolchain), no proxy.
import { spawnSync } from 'node:child_process';

export interface GoEnv {
  GOROOT: string;
  GOMODCACHE: string;
  GOVERSION: string;
  GOHOSTOS: string;
  GOHOSTARCH: string;
  GOFLAGS: string;
  CGO_ENABLED: string;
  GOWORK: string;
  GOEXPERIMENT: string;
  [k: string]: string;
}

export interface GoResult {
  status: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

export function goCommand(): string {
  return process.env.CROSSVET_GO || 'go';
}

/** Environment for a go command run by crossvet: the user's, made offline and local. */
export function safeGoEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GOTOOLCHAIN: 'local', GOPROXY: 'off', GOSUMDB: 'off' };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export function runGo(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number; input?: string } = {}): GoResult {
  const r = spawnSync(goCommand(), args, {
    cwd: opts.cwd,
    env: safeGoEnv(opts.env),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: opts.timeoutMs ?? 120_000,
    input: opts.input,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

let cached: GoEnv | null | undefined;

/** `go env -json`, or null when no usable go command is on PATH. */
export function goEnv(): GoEnv | null {
  if (cached !== undefined) return cached;
  if (process.env.CROSSVET_NO_GO === '1') return (cached = null);
  const r = runGo(['env', '-json'], { timeoutMs: 30_000 });
  if (r.error || r.status !== 0) return (cached = null);
  try {
    cached = JSON.parse(r.stdout) as GoEnv;
  } catch {
    cached = null;
  }
  return cached;
}

/** Minor version of the Go release in use (26 for go1.26.8); falls back to the embedded one. */
export function goMinor(version: string | undefined): number | undefined {
  const m = /^go1\.(\d+)/.exec(version ?? '');
  return m ? Number(m[1]) : undefined;
}

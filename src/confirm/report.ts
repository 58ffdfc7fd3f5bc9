// How the confirm stage's go commands appear in reports (SARIF's invocation lists them).
import type { Subprocess } from '../report/model';
import type { GoRun } from './types';

const PURPOSE: Record<GoRun['purpose'], string> = {
  'warm-std': 'build the standard library into the cache',
  compile: 'compile the packages and their tests, printing every error',
  align: 'compile the alignment assertions (atomic-alignment)',
  link: 'build the main package and read its ELF headers (cgo-net-linking)',
  list: 'list packages',
};

export function subprocessOf(r: GoRun): Subprocess {
  return {
    description: `${PURPOSE[r.purpose]}${r.target ? ` for ${r.target}` : ''}`,
    arguments: r.args,
    environment: r.env,
    workingDirectory: r.cwd,
    startTime: r.startTime,
    durationMs: r.durationMs,
    exitCode: r.exitCode,
    failure: r.failure,
  };
}

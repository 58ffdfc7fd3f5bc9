// `crossvet check`: run the engine, write the chosen format, decide the exit code.
import type { Level } from '../types';
import { check, type CheckOptions } from '../engine/check';
import type { ReportInput } from '../report/model';
import { formatText } from '../report/text';
import { formatJson } from '../report/json';
import { formatGithub } from '../report/github';
import { formatSarif } from '../report/sarif';
import { VERSION } from '../version';
import { writeOutput } from './main';

export interface OutputOptions {
  format: 'text' | 'json' | 'sarif' | 'github';
  output?: string;
  failLevel: Level;
  color?: boolean;
  verbose: boolean;
  argv: string[];
}

const RANK: Record<Level, number> = { note: 0, warning: 1, error: 2 };

export async function runCheck(opts: CheckOptions, out: OutputOptions, io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; cwd: string }): Promise<number> {
  const start = new Date();
  const result = await check(opts);
  const failing = result.findings.some((f) => !f.suppressed && RANK[f.level] >= RANK[out.failLevel]);
  const exitCode = failing ? 1 : 0;
  const input: ReportInput = {
    root: result.root,
    toolVersion: VERSION,
    rules: result.rules.map((r) => r.meta),
    findings: result.findings,
    notifications: result.notifications,
    targets: result.targets.map((t) => t.id),
    invocation: {
      commandLine: ['crossvet', ...out.argv].map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' '),
      arguments: out.argv,
      workingDirectory: io.cwd,
      startTime: start,
      endTime: new Date(),
      exitCode,
      executionSuccessful: !result.notifications.some((n) => n.level === 'error'),
    },
  };
  let text: string;
  switch (out.format) {
    case 'json':
      text = formatJson(input);
      break;
    case 'sarif':
      text = formatSarif(input);
      break;
    case 'github':
      text = formatGithub(input);
      break;
    default: {
      const color = out.color ?? (!out.output && (io.stdout as NodeJS.WriteStream).isTTY === true && !process.env.NO_COLOR);
      text = formatText(input, { color, verbose: out.verbose });
      if (out.verbose) {
        const s = result.stats;
        text += `crossvet: ${s.packages} packages, ${s.files} files, ${(s.bytes / 1e6).toFixed(1)} MB, ${result.targets.length} targets in ${s.classes} classes; parsed ${s.parsed}, cache hits ${s.cacheHits}; ${s.ms.total} ms (discover ${s.ms.discover}, headers ${s.ms.header}, syntax ${s.ms.syntax}, rules ${s.ms.rules})\n`;
      }
    }
  }
  writeOutput(out.output, text, io.stdout, io.cwd);
  return exitCode;
}

// `crossvet check`: run the engine, write the chosen format, decide the exit code.
import type { Level, Notification } from '../types';
import { check, type CheckOptions } from '../engine/check';
import type { ReportInput } from '../report/model';
import { formatText } from '../report/text';
import { formatJson } from '../report/json';
import { formatGithub } from '../report/github';
import { formatSarif } from '../report/sarif';
import { VERSION } from '../version';
import { writeOutput } from './main';
import { subprocessOf } from '../confirm/report';
import { applyBaseline, applyNewFromRev, countsAsProblem } from '../baseline';
import { invocationOf } from './invocation';

export interface OutputOptions {
  format: 'text' | 'json' | 'sarif' | 'github';
  output?: string;
  failLevel: Level;
  color?: boolean;
  verbose: boolean;
  argv: string[];
  /** --baseline FILE: written when missing, else findings are compared with it. */
  baseline?: string;
  /** --update-baseline: rewrite the baseline with the current findings. */
  updateBaseline?: boolean;
  /** --new-from-rev REV: only findings on lines changed since REV. */
  newFromRev?: string;
}

const RANK: Record<Level, number> = { note: 0, warning: 1, error: 2 };

export async function runCheck(opts: CheckOptions, out: OutputOptions, io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; cwd: string }): Promise<number> {
  const start = new Date();
  const result = await check(opts);
  const compared = out.baseline !== undefined || out.newFromRev !== undefined;
  let findings = result.findings;
  const notifications = [...result.notifications];
  if (out.baseline !== undefined) {
    const b = applyBaseline(out.baseline, io.cwd, result.root, result.targets.map((t) => t.id), findings, VERSION, out.updateBaseline === true);
    findings = b.findings;
    notifications.push(...b.notifications);
  }
  if (out.newFromRev !== undefined) {
    const r = applyNewFromRev(result.root, out.newFromRev, findings);
    findings = r.findings;
    notifications.push(...r.notifications);
  }
  const failing = findings.some((f) => countsAsProblem(f, compared) && RANK[f.level] >= RANK[out.failLevel]);
  const exitCode = failing ? 1 : 0;
  const input: ReportInput = {
    root: result.root,
    toolVersion: VERSION,
    rules: result.rules.map((r) => r.meta),
    findings,
    notifications,
    targets: result.targets.map((t) => t.id),
    invocation: { ...invocationOf(out.argv, io.cwd, start, exitCode, result.notifications), subprocesses: result.goRuns?.map(subprocessOf) },
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
      // Annotations are for what needs attention: with a baseline, what is new.
      text = formatGithub(compared ? { ...input, findings: findings.filter((f) => f.baselineState === 'new') } : input);
      break;
    default: {
      const color = out.color ?? (!out.output && (io.stdout as NodeJS.WriteStream).isTTY === true && !process.env.NO_COLOR);
      // With a baseline the terminal shows what is new; --verbose shows the rest with its state.
      let shown = input;
      if (compared && !out.verbose) {
        const known = findings.filter((f) => !f.suppressed && (f.baselineState === 'unchanged' || f.baselineState === 'updated')).length;
        const hidden: Notification[] = known ? [{ level: 'note', id: 'baseline-known', message: `${known} finding${known === 1 ? '' : 's'} already in the baseline not shown (--verbose lists them)` }] : [];
        shown = { ...input, findings: findings.filter((f) => f.baselineState === 'new' || f.suppressed), notifications: [...notifications, ...hidden] };
      }
      text = formatText(shown, { color, verbose: out.verbose });
      if (out.verbose) {
        const s = result.stats;
        text += `crossvet: ${s.packages} packages, ${s.files} files, ${(s.bytes / 1e6).toFixed(1)} MB, ${result.targets.length} targets in ${s.classes} classes; parsed ${s.parsed}, cache hits ${s.cacheHits}; ${s.ms.total} ms (discover ${s.ms.discover}, headers ${s.ms.header}, syntax ${s.ms.syntax}, rules ${s.ms.rules})\n`;
      }
    }
  }
  writeOutput(out.output, text, io.stdout, io.cwd);
  return exitCode;
}

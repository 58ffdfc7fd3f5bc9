// `crossvet audit --base REV | --base-dir DIR`: run the audit, write text, Markdown or
// SARIF, and exit 1 when something new reaches the failing level.
import type { Level } from '../types';
import type { ReportInput } from '../report/model';
import { formatSarif } from '../report/sarif';
import { VERSION } from '../version';
import { writeOutput } from '../cli/main';
import { audit, type AuditOptions } from './audit';
import { formatAuditMarkdown } from './markdown';
import { formatAuditText } from './text';
import { invocationOf } from '../cli/invocation';

export interface AuditOutput {
  format: 'text' | 'markdown' | 'sarif';
  output?: string;
  failLevel: Level;
  verbose: boolean;
  argv: string[];
}

const RANK: Record<Level, number> = { note: 0, warning: 1, error: 2 };

export async function runAudit(opts: AuditOptions, out: AuditOutput, io: { stdout: NodeJS.WritableStream; cwd: string }): Promise<number> {
  const start = new Date();
  const r = await audit(opts);
  const failing = r.findings.some((f) => !f.suppressed && f.baselineState === 'new' && RANK[f.level] >= RANK[out.failLevel]);
  const exitCode = failing ? 1 : 0;
  let text: string;
  if (out.format === 'markdown') text = formatAuditMarkdown(r);
  else if (out.format === 'text') text = formatAuditText(r, out.verbose);
  else {
    const input: ReportInput = {
      root: r.root,
      toolVersion: VERSION,
      rules: r.rules.map((x) => x.meta),
      findings: r.findings,
      notifications: r.notifications,
      targets: r.targets.map((t) => t.id),
      invocation: invocationOf(out.argv, io.cwd, start, exitCode, r.notifications),
    };
    text = formatSarif(input);
  }
  writeOutput(out.output, text, io.stdout, io.cwd);
  return exitCode;
}

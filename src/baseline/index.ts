// --baseline FILE and --new-from-rev REV applied to the findings of a run, before reporting.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Notification } from '../types';
import type { Finding } from '../report/model';
import { BASELINE_VERSION, entriesOf, readBaseline, writeBaseline } from './file';
import { compareWithBaseline } from './compare';
import { changedLinesSince, onlyChanged } from './diff';
import { LineHasher } from './fingerprint';

export interface BaselineRun {
  findings: Finding[];
  notifications: Notification[];
}

/**
 * With a baseline file that exists: every finding gets its baselineState and the fixed ones
 * come back as 'absent'. Without one: the file is written from this run's findings, which are
 * then all 'unchanged' (they are the baseline now).
 */
export function applyBaseline(
  file: string,
  cwd: string,
  root: string,
  targets: string[],
  findings: Finding[],
  toolVersion: string,
  update = false,
): BaselineRun {
  const abs = path.resolve(cwd, file);
  const hasher = new LineHasher();
  const exists = fs.existsSync(abs);
  if (!exists || update) {
    // --update-baseline: say what changed against the old file, then accept the current findings.
    let changes = '';
    if (exists) {
      const c = compareWithBaseline(readBaseline(abs, file).findings, findings, root, hasher);
      const added = c.findings.filter((f) => f.baselineState === 'new' && !f.suppressed).length;
      const gone = c.findings.filter((f) => f.baselineState === 'absent').length;
      changes = ` (${added} new, ${gone} fixed since the previous baseline)`;
    }
    const entries = entriesOf(findings, root, hasher);
    writeBaseline(abs, { version: BASELINE_VERSION, toolVersion, targets, findings: entries });
    const n = `${entries.length} finding${entries.length === 1 ? '' : 's'}`;
    return {
      findings: findings.map((f) => (f.suppressed ? f : { ...f, baselineState: 'unchanged' as const })),
      notifications: [
        exists
          ? { level: 'note', id: 'baseline-updated', message: `updated the baseline ${file}: ${n}${changes}` }
          : { level: 'note', id: 'baseline-written', message: `wrote the baseline ${file} with ${n}; later runs with --baseline ${file} report only what is new` },
      ],
    };
  }
  const b = readBaseline(abs, file);
  const notifications: Notification[] = [];
  const same = b.targets.length === targets.length && b.targets.every((t, i) => t === targets[i]);
  if (b.targets.length && !same) {
    notifications.push({
      level: 'warning',
      id: 'baseline-targets',
      message: `the baseline ${file} was written for targets ${b.targets.join(', ')}; this run checks ${targets.join(', ')}, so findings may show as new or fixed only because the targets differ`,
    });
  }
  const c = compareWithBaseline(b.findings, findings, root, hasher);
  return { findings: c.findings, notifications };
}

/** Only the findings on lines changed since `rev`, with a note saying how many were left out. */
export function applyNewFromRev(root: string, rev: string, findings: Finding[]): BaselineRun {
  const r = onlyChanged(findings, changedLinesSince(root, rev));
  const notifications: Notification[] = [];
  if (r.dropped > 0) {
    notifications.push({ level: 'note', id: 'new-from-rev', message: `${r.dropped} finding${r.dropped === 1 ? ' is' : 's are'} on lines not changed since ${rev} and ${r.dropped === 1 ? 'is' : 'are'} not reported` });
  }
  return { findings: r.findings, notifications };
}

/** Whether a finding counts toward the exit code: active, and new when compared with something. */
export function countsAsProblem(f: Finding, compared: boolean): boolean {
  if (f.suppressed || f.baselineState === 'absent') return false;
  return !compared || f.baselineState === 'new';
}

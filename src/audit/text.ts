// The audit for a terminal: one line per module, then its new and fixed findings in the
// compiler style the check command uses.
import type { Finding } from '../report/model';
import { relPath } from '../report/paths';
import { sortFindings, sortNotifications } from '../report/sort';
import type { AuditResult } from './audit';

export function formatAuditText(r: AuditResult, verbose = false): string {
  const lines: string[] = [];
  const base = r.base.commit ? `${r.base.label} (${r.base.commit.slice(0, 12)})` : r.base.label;
  lines.push(`crossvet audit: base ${base} → working tree; targets ${r.targets.map((t) => t.id).join(', ')}`);
  const line = (f: Finding, tag: string) =>
    `    ${tag} ${relPath(r.root, f.file)}:${f.span.start.line}:${f.span.start.col}: ${f.level}: ${f.message.replace(/\r?\n/g, ' ')} [${f.ruleId}]${f.targets.length ? ` (${f.targets.join(', ')})` : ''}`;
  const sorted = sortFindings(r.findings, r.root).filter((f) => !f.suppressed);
  for (const m of r.modules) {
    const v = m.baseVersion === m.headVersion ? (m.headVersion ?? '') : `${m.baseVersion ?? '(not vendored)'} → ${m.headVersion ?? '(removed)'}`;
    lines.push(`${m.path} ${v}: ${m.counts.new} new, ${m.counts.absent} fixed, ${m.counts.unchanged + m.counts.updated} unchanged`);
    const mine = sorted.filter((f) => f.properties?.module === m.path);
    for (const f of mine.filter((x) => x.baselineState === 'new')) lines.push(line(f, 'new:  '));
    for (const f of mine.filter((x) => x.baselineState === 'absent')) lines.push(line(f, 'fixed:'));
    if (verbose) for (const f of mine.filter((x) => x.baselineState === 'unchanged' || x.baselineState === 'updated')) lines.push(line(f, 'same: '));
  }
  for (const n of sortNotifications(r.notifications, r.root)) {
    if (n.level === 'note' && !verbose) continue;
    lines.push(`crossvet: ${n.level}: ${n.file ? `${relPath(r.root, n.file)}: ` : ''}${n.message} [${n.id}]`);
  }
  const quiet = r.quietModules ? `; ${r.quietModules} other vendored module${r.quietModules === 1 ? '' : 's'}: same version, no findings` : '';
  lines.push(`crossvet: ${r.counts.new} new, ${r.counts.absent} fixed, ${r.counts.unchanged + r.counts.updated} unchanged in ${r.modules.length} module${r.modules.length === 1 ? '' : 's'}${quiet}`);
  return lines.join('\n') + '\n';
}

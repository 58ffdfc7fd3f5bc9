// The audit as a reviewer reads it (a pull-request comment, a review document): the totals,
// a module × target table of what the update brings in and takes away, then the findings.
import type { Finding } from '../report/model';
import { relPath } from '../report/paths';
import { sortFindings } from '../report/sort';
import type { AuditResult, ModuleReport } from './audit';

/** Escapes Markdown outside `code spans`, which messages use for code and stay as they are. */
export function mdText(s: string): string {
  return s
    .split(/(`[^`\n]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\*_[\]<>|#]/g, '\\$&')))
    .join('')
    .replace(/\r?\n/g, ' ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function version(m: ModuleReport): string {
  const b = m.baseVersion;
  const h = m.headVersion;
  if (b === h) return b ? `\`${b}\`` : '';
  if (b === undefined) return `added \`${h}\``;
  if (h === undefined) return `removed (was \`${b}\`)`;
  return `\`${b}\` → \`${h}\``;
}

function cell(c: { new: number; absent: number } | undefined): string {
  if (!c || (c.new === 0 && c.absent === 0)) return '·';
  const parts: string[] = [];
  if (c.new) parts.push(`+${c.new}`);
  if (c.absent) parts.push(`−${c.absent}`);
  return parts.join(' ');
}

export function formatAuditMarkdown(r: AuditResult): string {
  const out: string[] = [];
  const base = r.base.commit ? `\`${r.base.label}\` (${r.base.commit.slice(0, 12)})` : `\`${r.base.label}\``;
  out.push('# crossvet audit of vendored dependencies', '');
  out.push(`Base ${base} compared with the working tree; ${plural(r.packages.base, 'vendored package')} at the base, ${r.packages.head} now.`);
  out.push(`Targets: ${r.targets.map((t) => `\`${t.id}\``).join(', ')}.`, '');
  out.push(`**${plural(r.counts.new, 'new finding')}**, ${r.counts.absent} fixed, ${r.counts.unchanged + r.counts.updated} unchanged.`, '');

  if (r.modules.length) {
    const anyTarget = r.modules.some((m) => m.byTarget.has(''));
    const cols = r.targets.map((t) => t.id);
    out.push('## Modules × targets', '');
    out.push('Per target: `+n` findings new with this update, `−n` findings it fixes.', '');
    const head = ['Module', 'Version', 'New', 'Fixed', 'Unchanged', ...cols.map((c) => `\`${c}\``), ...(anyTarget ? ['any target'] : [])];
    out.push(`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i >= 2 ? ' ---: ' : ' --- ')).join('|')}|`);
    for (const m of r.modules) {
      const row = [
        `\`${m.path}\``,
        version(m),
        String(m.counts.new),
        String(m.counts.absent),
        String(m.counts.unchanged + m.counts.updated),
        ...cols.map((c) => cell(m.byTarget.get(c))),
        ...(anyTarget ? [cell(m.byTarget.get(''))] : []),
      ];
      out.push(`| ${row.join(' | ')} |`);
    }
    out.push('');
  }
  if (r.quietModules > 0) out.push(`${plural(r.quietModules, 'other vendored module')}: same version, no findings.`, '');

  const section = (title: string, list: Finding[], collapsed: boolean) => {
    if (!list.length) return;
    if (collapsed) out.push(`<details><summary>${title} (${list.length})</summary>`, '');
    else out.push(`## ${title}`, '');
    for (const mod of [...new Set(list.map(moduleOf))].sort()) {
      out.push(`### \`${mod}\``, '');
      for (const f of list.filter((x) => moduleOf(x) === mod)) {
        const targets = f.targets.length ? ` (${f.targets.join(', ')})` : '';
        out.push(`- **${f.level}** \`${relPath(r.root, f.file)}:${f.span.start.line}:${f.span.start.col}\` ${mdText(f.message)} [${f.ruleId}]${mdText(targets)}`);
      }
      out.push('');
    }
    if (collapsed) out.push('</details>', '');
  };
  const sorted = sortFindings(r.findings, r.root);
  const active = sorted.filter((f) => !f.suppressed);
  section('New findings', active.filter((f) => f.baselineState === 'new'), false);
  section('Fixed by the update', active.filter((f) => f.baselineState === 'absent'), false);
  section('Unchanged findings', active.filter((f) => f.baselineState === 'unchanged' || f.baselineState === 'updated'), true);
  const suppressed = sorted.filter((f) => f.suppressed);
  if (suppressed.length) out.push(`${plural(suppressed.length, 'finding')} suppressed in the source ${suppressed.length === 1 ? 'is' : 'are'} not listed.`, '');

  const notes = r.notifications.filter((n) => n.level !== 'note');
  if (notes.length) {
    out.push('## Notes', '');
    for (const n of notes) out.push(`- ${n.level}: ${n.file ? `\`${relPath(r.root, n.file)}\`: ` : ''}${mdText(n.message)}`);
    out.push('');
  }
  return out.join('\n').replace(/\n+$/, '\n');
}

function moduleOf(f: Finding): string {
  return String(f.properties?.module ?? '');
}

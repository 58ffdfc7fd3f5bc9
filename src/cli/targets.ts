// `crossvet targets`: the presets and the facts crossvet uses for each target.
import { parseTargets, ports, PRESETS, presetTargets, variantEnv } from '../targets';

export function printTargets(spec: string | undefined, json: boolean): string {
  const targets = spec ? parseTargets(spec) : presetTargets('all');
  const rows = targets.map((t) => {
    const v = variantEnv(t);
    return {
      target: t.id,
      ptrSize: t.ptrSize,
      int64Align: t.int64Align,
      cgoSupported: t.cgoSupported,
      cgoDefault: t.cgoDefault,
      unix: t.unix,
      firstClass: t.firstClass,
      variant: v ? `${v.name}=${v.value}` : '',
    };
  });
  if (json) return `${JSON.stringify({ source: ports().source, presets: Object.fromEntries(Object.keys(PRESETS).map((p) => [p, presetTargets(p).map((t) => t.id)])), targets: rows }, null, 2)}\n`;
  let out = `Ports: ${ports().source}\n\nPresets:\n`;
  for (const [name, doc] of Object.entries(PRESETS)) out += `  ${name.padEnd(12)} ${doc}\n`;
  out += '\n';
  const head = ['TARGET', 'PTR', 'INT64-ALIGN', 'CGO-DEFAULT', 'UNIX', 'FIRST-CLASS', 'VARIANT'];
  const table = rows.map((r) => [r.target, String(r.ptrSize), String(r.int64Align), r.cgoDefault ? 'on' : r.cgoSupported ? 'off' : 'unsupported', r.unix ? 'yes' : 'no', r.firstClass ? 'yes' : 'no', r.variant]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  for (const r of [head, ...table]) out += `${r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}\n`;
  return out;
}

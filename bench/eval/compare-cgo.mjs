#!/usr/bin/env node
// Joins the native CGO_ENABLED=1 builds (PT_INTERP) with crossvet's cgo-net-linking findings:
//   node compare-cgo.mjs LIST OUTDIR
// For each main package: how it linked, and whether crossvet reported it (or kept it as
// suppressed, with the build files' evidence), with --targets "$(go env GOOS)/$(go env GOARCH)" --cgo on and by default.
import fs from 'node:fs';
import path from 'node:path';

const [list, outDir] = process.argv.slice(2);
const verdictOf = (json, pkg) => {
  const fs0 = json.findings.filter((f) => f.ruleId === 'cgo-net-linking' && f.properties?.kind === 'dynamic-link' && f.properties.command === pkg);
  if (fs0.length === 0) return { v: 'none' };
  const open = fs0.find((f) => !f.suppressed);
  if (open) return { v: open.level === 'error' ? 'reported (error)' : 'reported', message: open.message };
  return { v: 'suppressed', message: fs0[0].suppressed.justification };
};
const totals = { dynamic: 0, static: 0, found: 0, missed: 0, falseAlarm: 0 };
const lines = [];
console.log('| module@version | command | native cgo build | crossvet --targets "$(go env GOOS)/$(go env GOARCH)" --cgo on | crossvet default |');
console.log('|---|---|---|---|---|');
for (const raw of fs.readFileSync(list, 'utf8').split('\n')) {
  if (!raw.trim() || raw.startsWith('#')) continue;
  const mv = raw.trim().split(/\s+/)[0];
  const dir = path.join(outDir, mv.replace(/[/@+]/g, '_'));
  if (!fs.existsSync(path.join(dir, 'crossvet-default.json'))) continue;
  const read = (f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  const host = read('crossvet-host.json');
  const def = read('crossvet-default.json');
  for (const l of fs.readFileSync(path.join(dir, 'linked.txt'), 'utf8').split('\n').filter(Boolean)) {
    const [pkg, linked] = l.split(' ');
    const h = verdictOf(host, pkg);
    const d = verdictOf(def, pkg);
    if (linked === 'dynamic') {
      totals.dynamic++;
      if (h.v === 'none') totals.missed++;
      else totals.found++;
    } else if (linked === 'static') {
      totals.static++;
      if (h.v !== 'none') totals.falseAlarm++;
    }
    console.log(`| ${mv} | ${pkg.replace(mv.split('@')[0].replace(/\/v\d+$/, ''), '.')} | ${linked} | ${h.v} | ${d.v} |`);
    for (const [name, x] of [['host', h], ['default', d]]) if (x.message) lines.push(`${pkg} [${name}] ${x.v}: ${x.message}`);
  }
}
console.log(`\ndynamic: ${totals.dynamic}, found: ${totals.found}, missed: ${totals.missed}; static: ${totals.static}, reported anyway: ${totals.falseAlarm}\n`);
for (const l of lines) console.log(l);

#!/usr/bin/env node
// node bench/eval/summary.js BEFORE_DIR [AFTER_DIR]
// Adds up the --json outputs of matrix.js in a directory (one file per module and target
// set) into a Markdown table per rule: TP, FP, FN, unverified, before and after.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const RULES = ['platform-symbol', 'syscall-portability', 'int-overflow-32bit', 'other'];

function load(dir) {
  const out = new Map();
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    out.set(f.replace(/\.json$/, ''), JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
  }
  return out;
}

const [beforeDir, afterDir] = process.argv.slice(2);
if (!beforeDir) {
  console.error('usage: summary.js BEFORE_DIR [AFTER_DIR]');
  process.exit(2);
}
const before = load(beforeDir);
const after = afterDir ? load(afterDir) : undefined;
const cell = (r) => (r ? `${r.tp}/${r.fp}/${r.fn}${r.unverified ? ` (${r.unverified}?)` : ''}` : '-');

console.log(`| module (targets) | ${RULES.map((r) => `${r} TP/FP/FN${after ? ' before → after' : ''}`).join(' | ')} | go build s | crossvet s |`);
console.log(`|${' --- |'.repeat(RULES.length + 3)}`);
const total = { before: {}, after: {} };
for (const [name, b] of before) {
  const a = after?.get(name);
  const cells = RULES.map((rule) => {
    for (const [k, m] of [['before', b], ['after', a]]) {
      if (!m) continue;
      const r = m.rules[rule];
      const t = (total[k][rule] ??= { tp: 0, fp: 0, fn: 0, unverified: 0 });
      for (const x of ['tp', 'fp', 'fn', 'unverified']) t[x] += r[x];
    }
    return a ? `${cell(b.rules[rule])} → ${cell(a.rules[rule])}` : cell(b.rules[rule]);
  });
  console.log(`| ${name} (${b.targets.length}) | ${cells.join(' | ')} | ${b.buildSeconds} | ${(a ?? b).crossvetSeconds} |`);
}
const totals = RULES.map((rule) => (after ? `${cell(total.before[rule])} → ${cell(total.after[rule])}` : cell(total.before[rule])));
console.log(`| **total** | ${totals.join(' | ')} | | |`);

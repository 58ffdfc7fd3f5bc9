#!/usr/bin/env node
// node bench/lsp-edit.js PACKAGE_DIR [--targets LIST] [--edits N]
// What `crossvet lsp` spends on the analysis that follows an edit: the package is copied
// to a temporary directory, its first .go file is opened as an unsaved buffer, and each
// edit (a comment appended to the buffer) is followed by the analysis the server runs —
// once with the server's session (what earlier runs loaded is kept) and once without (as
// before the session existed), alternating so that both see the same machine load.
// Prints the first analysis and the median and 90th percentile of the ones after an edit.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { fromDist, takeOption } = require('./common');
const { analyzePackage } = fromDist('lsp/analyzer.js');
const { AnalysisSession } = fromDist('lsp/session.js');

const args = process.argv.slice(2);
const opt = (name, dflt) => takeOption(args, name, dflt);
const targets = opt('--targets', 'default');
const edits = Number(opt('--edits', '15'));
const src = path.resolve(args[0] || path.join(__dirname, '..', 'fixtures', 'syscall-basic'));

function stats(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: Math.round(q(0.5)), p90: Math.round(q(0.9)) };
}

(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-bench-lsp-'));
  try {
    fs.cpSync(src, dir, { recursive: true });
    const file = path.join(dir, fs.readdirSync(dir).filter((f) => f.endsWith('.go')).sort()[0]);
    const base = fs.readFileSync(file, 'utf8');
    const session = new AnalysisSession();
    const times = { session: [], fresh: [] };
    const first = {};
    for (let i = 0; i <= edits; i++) {
      for (const mode of i % 2 ? ['session', 'fresh'] : ['fresh', 'session']) {
        const text = `${base}\n// edit ${i}\n`;
        const t0 = process.hrtime.bigint();
        const run = await analyzePackage(dir, new Map([[file, { text, version: i + 1 }]]), { targets }, mode === 'session' ? session : undefined);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (i === 0) first[mode] = { ms: Math.round(ms), findings: run.findings.length };
        else times[mode].push(ms);
      }
    }
    console.log(
      JSON.stringify({
        package: path.relative(process.cwd(), src) || '.',
        targets,
        edits,
        withoutSession: { first: first.fresh, afterEdit: stats(times.fresh) },
        withSession: { first: first.session, afterEdit: stats(times.session), kept: session.size, hits: session.stats },
      }),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
})();

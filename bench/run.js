#!/usr/bin/env node
// npm run bench -- DIR [--targets LIST]
// Measures a crossvet run over DIR twice, cold (empty facts cache) and warm, and the
// syntax pass alone over every .go file under DIR (parse throughput), cold and warm.
// Prints files, megabytes, throughput, wall and CPU time (CPU: user + system of every
// thread, the figure to compare on a busy machine), cache hit rate, peak memory and the
// load average.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { fromDist, goFiles, takeOption } = require('./common');
const { check } = fromDist('engine/check.js');
const { FactsPool } = fromDist('syntax/pool.js');

const args = process.argv.slice(2);
const targets = takeOption(args, '--targets', 'default');
const dir = path.resolve(args[0] || path.join(__dirname, '..', 'fixtures'));

/** CPU seconds (user + system, every thread) since `from`. */
function cpuSince(from) {
  const u = process.cpuUsage(from);
  return ((u.user + u.system) / 1e6).toFixed(1);
}

async function syntaxPass(files, cacheDir) {
  const pool = new FactsPool({ cache: true, cacheDir });
  const cpu = process.cpuUsage();
  const t = process.hrtime.bigint();
  await pool.facts(files);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const s = pool.stats();
  await pool.close();
  return { ms, cpu: cpuSince(cpu), ...s };
}

async function checkRun(cacheDir) {
  process.env.CROSSVET_CACHE_DIR = cacheDir;
  const cpu = process.cpuUsage();
  const t = process.hrtime.bigint();
  const r = await check({ cwd: dir, paths: ['./...'], targets, tags: [], cgo: 'auto', tests: true, rules: [], disable: [], cache: true });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  return { ms, cpu: cpuSince(cpu), r };
}

(async () => {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-bench-'));
  try {
    const files = goFiles(dir);
    const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
    console.log(`corpus: ${dir}`);
    console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0].model}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
    console.log(`files: ${files.length} .go, ${(bytes / 1e6).toFixed(1)} MB; load average: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    for (const phase of ['cold', 'warm']) {
      const s = await syntaxPass(files, path.join(cacheDir, 'syntax'));
      const hit = s.files ? ((100 * s.cacheHits) / s.files).toFixed(1) : '0';
      console.log(
        `syntax pass ${phase}: ${(s.ms / 1000).toFixed(2)} s wall, ${s.cpu} s CPU, ${(files.length / (s.ms / 1000)).toFixed(0)} files/s, ${(bytes / 1e6 / (s.ms / 1000)).toFixed(1)} MB/s, parsed ${s.parsed}, cache hits ${s.cacheHits} (${hit}%)`,
      );
    }
    for (const phase of ['cold', 'warm']) {
      const { ms, cpu, r } = await checkRun(path.join(cacheDir, 'check'));
      const s = r.stats;
      const hit = s.parsed + s.cacheHits ? ((100 * s.cacheHits) / (s.parsed + s.cacheHits)).toFixed(1) : 'n/a';
      console.log(
        `check ${phase} (--targets ${targets}): ${(ms / 1000).toFixed(2)} s wall, ${cpu} s CPU; ${s.packages} packages, ${s.files} files, ${(s.bytes / 1e6).toFixed(1)} MB, ${r.targets.length} targets in ${s.classes} classes; ` +
          `syntax facts for ${s.parsed + s.cacheHits} files (cache hit rate ${hit}%); ${r.findings.length} findings, ${r.notifications.length} notifications; ` +
          `stages ms: discover ${s.ms.discover}, headers ${s.ms.header}, syntax ${s.ms.syntax}, rules ${s.ms.rules}`,
      );
    }
    console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
})().catch((e) => {
  console.error(`bench: ${e.stack || e}`);
  process.exit(2);
});

#!/usr/bin/env node
// Correctness gate for work on the syntax pass (not part of the test suite).
//
//   node bench/facts-dump.js dump DIR OUT [--workers N]
//   node bench/facts-dump.js compare A B
//   node bench/facts-dump.js quick DIR A [--every N] [--workers N]
//
// dump: runs the syntax pass (every registered extractor) over every .go file under DIR
// twice, cold (empty cache) and warm (from that cache), and writes one canonical JSON
// file per source file (keys sorted) to OUT/cold/<rel>.json and OUT/warm/<rel>.json,
// plus OUT/<phase>.manifest (rel path and sha256 of its dump, one a line). What is dumped
// is the logical value the rules read: FileFacts as unpacked, and each extractor's
// result decoded by the accessor the rules use (so that a change of encoding compares
// equal when it decodes to the same values).
// compare: compares two dump directories (cold and warm of each against cold of A).
// quick: a spot check while working: every Nth file (default 10) under DIR, cold then
// warm, compared with the cold dump in A, without writing a dump.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { fromDist, goFiles, takeOption } = require('./common');

function canonical(v) {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v).sort()) if (v[k] !== undefined) o[k] = canonical(v[k]);
    return o;
  }
  return v;
}

/** The logical value of each extractor's result: as the rules read it (symrefs through unpackSymRefs). */
function logicalExtras(extras) {
  const out = {};
  const sym = fromDist('syntax/symrefs-extractor.js');
  for (const [name, value] of Object.entries(extras)) out[name] = name === 'symrefs' ? sym.unpackSymRefs(value) : value;
  return out;
}

function logical(r) {
  if ('error' in r) return { error: r.error };
  const f = { ...r };
  f.extras = logicalExtras(r.extras);
  return f;
}

/**
 * Runs the syntax pass over files twice, cold (empty cache) then warm (from that cache), and
 * hands each phase's results, as the logical values the rules read, to onPhase.
 */
async function coldAndWarm(files, workers, onPhase) {
  const { FactsPool } = fromDist('syntax/pool.js');
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-dump-'));
  try {
    for (const phase of ['cold', 'warm']) {
      const pool = new FactsPool({ cache: true, cacheDir, workers });
      const t = Date.now();
      const got = await pool.facts(files);
      const s = pool.stats();
      await pool.close();
      const logicalOf = (f) => canonical(JSON.parse(JSON.stringify(canonical(got.has(f) ? logical(got.get(f)) : { missing: true }))));
      const summary = `${phase}: ${files.length} files in ${((Date.now() - t) / 1000).toFixed(1)} s, parsed ${s.parsed}, hits ${s.cacheHits}`;
      onPhase(phase, logicalOf, summary);
    }
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

async function dump(dir, out, workers) {
  const files = goFiles(dir);
  await coldAndWarm(files, workers, (phase, logicalOf, summary) => {
    console.log(summary);
    const manifest = [];
    for (const f of files) {
      const rel = path.relative(dir, f);
      const json = JSON.stringify(logicalOf(f));
      const dest = path.join(out, phase, rel + '.json');
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, json);
      manifest.push(`${rel}\t${crypto.createHash('sha256').update(json).digest('hex')}`);
    }
    fs.writeFileSync(path.join(out, `${phase}.manifest`), manifest.join('\n') + '\n');
  });
}

async function quick(dir, ref, every, workers) {
  const files = goFiles(dir).filter((_, i) => i % every === 0);
  let bad = 0;
  await coldAndWarm(files, workers, (phase, logicalOf, summary) => {
    let same = 0;
    for (const f of files) {
      const rel = path.relative(dir, f);
      const theirs = JSON.parse(fs.readFileSync(path.join(ref, 'cold', rel + '.json'), 'utf8'));
      const d = firstDiff(theirs, logicalOf(f));
      if (d === undefined) same++;
      else if (bad++ < 20) console.log(`  ${phase} ${rel}: ${d}`);
    }
    console.log(`${summary}; ${same} identical`);
  });
  return bad;
}

function readManifest(file) {
  const m = new Map();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const [rel, h] = line.split('\t');
    m.set(rel, h);
  }
  return m;
}

function firstDiff(a, b, at = '') {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || a === null || b === null || typeof a !== 'object') {
    return a === b ? undefined : `${at || '.'}: ${JSON.stringify(a)?.slice(0, 200)} != ${JSON.stringify(b)?.slice(0, 200)}`;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = firstDiff(a[k], b[k], `${at}.${k}`);
    if (d) return d;
  }
  return undefined;
}

function compare(a, b) {
  const ref = readManifest(path.join(a, 'cold.manifest'));
  let bad = 0;
  for (const phase of ['cold', 'warm']) {
    const got = readManifest(path.join(b, `${phase}.manifest`));
    let same = 0;
    const diffs = [];
    for (const [rel, h] of ref) {
      if (got.get(rel) === h) {
        same++;
        continue;
      }
      if (!got.has(rel)) {
        diffs.push(`${rel}: missing`);
        continue;
      }
      const x = JSON.parse(fs.readFileSync(path.join(a, 'cold', rel + '.json'), 'utf8'));
      const y = JSON.parse(fs.readFileSync(path.join(b, phase, rel + '.json'), 'utf8'));
      diffs.push(`${rel}: ${firstDiff(x, y)}`);
    }
    for (const rel of got.keys()) if (!ref.has(rel)) diffs.push(`${rel}: extra`);
    console.log(`${b} ${phase} vs ${a} cold: ${same}/${ref.size} identical, ${diffs.length} differ`);
    for (const d of diffs.slice(0, 20)) console.log('  ' + d);
    bad += diffs.length;
  }
  return bad;
}

(async () => {
  const [cmd, x, y, ...rest] = process.argv.slice(2);
  if (cmd === 'dump' && x && y) {
    const w = takeOption(rest, '--workers');
    await dump(path.resolve(x), path.resolve(y), w === undefined ? undefined : Number(w));
  } else if (cmd === 'quick' && x && y) {
    const every = Number(takeOption(rest, '--every', '10'));
    const w = takeOption(rest, '--workers');
    const bad = await quick(path.resolve(x), path.resolve(y), every, w === undefined ? undefined : Number(w));
    process.exitCode = bad ? 1 : 0;
  } else if (cmd === 'compare' && x && y) {
    process.exitCode = compare(path.resolve(x), path.resolve(y)) ? 1 : 0;
  } else {
    console.error('usage: facts-dump.js dump DIR OUT [--workers N] | compare A B | quick DIR A [--every N] [--workers N]');
    process.exitCode = 2;
  }
})().catch((e) => {
  console.error(e.stack || e);
  process.exitCode = 2;
});

#!/usr/bin/env node
// Scores crossvet, go vet (atomicalign) and staticcheck (SA1027) against the oracle's
// accesses for each module of a list: node compare.mjs LIST OUTDIR [--json]
// A finding is a true positive when the oracle has a misaligned access on its line, or when
// it is at the declaration of a field on the way to a misaligned word (crossvet reports a
// struct that holds a type at a misaligned offset there). A finding on a line where the
// oracle has only aligned accesses is a false positive; one where the oracle has nothing to
// say is "unverified" unless atomic-judged.txt gives a verdict (decided by hand, with the
// toolchain, as its lines say). A miss is a line with a misaligned access that no finding
// of the tool covers.
import fs from 'node:fs';
import path from 'node:path';

const [list, outDir] = process.argv.slice(2);
const here = path.dirname(new URL(import.meta.url).pathname);
const judged = new Map();
const judgedFile = path.join(here, 'atomic-judged.txt');
if (fs.existsSync(judgedFile)) {
  for (const line of fs.readFileSync(judgedFile, 'utf8').split('\n')) {
    const m = /^(\S+)\s+(\S+)\s+(TP|FP)\b/.exec(line);
    if (m) judged.set(`${m[1]} ${m[2]}`, m[3]);
  }
}
const lineOf = (pos) => pos.split(':').slice(0, 2).join(':');
const readLines = (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter(Boolean) : []);

const rows = [];
for (const raw of fs.readFileSync(list, 'utf8').split('\n')) {
  if (!raw.trim() || raw.startsWith('#')) continue;
  const [mv, role, bug] = raw.trim().split(/\s+/);
  const slug = mv.replace(/[/@+]/g, '_');
  const dir = path.join(outDir, slug);
  if (!fs.existsSync(path.join(dir, 'crossvet.json'))) continue;
  const oracle = readLines(path.join(dir, 'oracle-386.jsonl')).map((l) => JSON.parse(l));
  const oracleArm = readLines(path.join(dir, 'oracle-arm.jsonl')).map((l) => JSON.parse(l));
  const bad = oracle.filter((a) => a.misaligned);
  const badArm = new Set(oracleArm.filter((a) => a.misaligned).map((a) => `${a.pos}|${a.path}`));
  const sameOnArm = bad.length === badArm.size && bad.every((a) => badArm.has(`${a.pos}|${a.path}`));
  const byLine = new Map();
  for (const a of oracle) byLine.set(lineOf(a.pos), [...(byLine.get(lineOf(a.pos)) ?? []), a]);
  const badLines = new Set(bad.map((a) => lineOf(a.pos)));
  // The upstream bug is looked for in the versions that have it.
  const bugRe = bug && bug !== '-' && role === 'buggy' ? new RegExp(bug) : undefined;

  const tools = {};
  const cv = JSON.parse(fs.readFileSync(path.join(dir, 'crossvet.json'), 'utf8'));
  tools.crossvet = cv.findings.filter((f) => f.ruleId === 'atomic-alignment').map((f) => ({ at: `${f.file}:${f.span.start.line}`, message: f.message }));
  const srcDir = path.join(path.dirname(outDir), 'src', slug);
  tools.vet = readLines(path.join(dir, 'vet.txt'))
    .map((l) => /^(\S+\.go):(\d+):\d+: (address of non 64-bit aligned field.*)$/.exec(l))
    .filter(Boolean)
    .map((m) => ({ at: `${path.relative(srcDir, path.resolve(srcDir, m[1]))}:${m[2]}`, message: m[3] }));
  const scFile = path.join(dir, 'staticcheck.jsonl');
  tools.staticcheck = fs.existsSync(scFile)
    ? readLines(scFile).map((l) => JSON.parse(l)).filter((d) => d.code === 'SA1027').map((d) => ({ at: `${path.relative(srcDir, d.location.file)}:${d.location.line}`, message: d.message }))
    : undefined;

  const row = { module: mv, role, accesses: oracle.length, misaligned: badLines.size, sameOnArm, tools: {} };
  for (const [name, fs0] of Object.entries(tools)) {
    if (!fs0) continue;
    const seen = new Set();
    const findings = fs0.filter((f) => !seen.has(f.at) && seen.add(f.at));
    let tp = 0, fp = 0, unverified = 0, bugFound = false;
    const covered = new Set();
    const details = [];
    for (const f of findings) {
      const direct = bad.filter((a) => lineOf(a.pos) === f.at);
      const viaField = bad.filter((a) => (a.fields ?? []).some((d) => lineOf(d) === f.at));
      const hits = [...direct, ...viaField];
      let verdict;
      if (hits.length) verdict = 'TP';
      else if (judged.has(`${mv} ${f.at}`)) verdict = judged.get(`${mv} ${f.at}`);
      else if ((byLine.get(f.at) ?? []).some((a) => a.known)) verdict = 'FP';
      else verdict = 'unverified';
      for (const a of hits) covered.add(lineOf(a.pos));
      if (verdict === 'TP') tp++;
      else if (verdict === 'FP') fp++;
      else unverified++;
      if (bugRe && (hits.some((a) => bugRe.test(a.path)) || (verdict === 'TP' && bugRe.test(f.message)))) bugFound = true;
      details.push({ at: f.at, verdict, message: f.message });
    }
    const missed = [...badLines].filter((l) => !covered.has(l));
    row.tools[name] = { findings: findings.length, tp, fp, unverified, missed: missed.length, bugFound: bugRe ? bugFound : null, missedLines: missed, details };
  }
  rows.push(row);
}

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const names = ['crossvet', 'vet', 'staticcheck'];
  console.log('| module@version | role | misaligned lines (oracle) | ' + names.map((n) => `${n} TP/FP/?/missed, bug`).join(' | ') + ' |');
  console.log('|---|---|---|' + names.map(() => '---').join('|') + '|');
  for (const r of rows) {
    const cell = (n) => {
      const t = r.tools[n];
      if (!t) return 'n/a';
      return `${t.tp}/${t.fp}/${t.unverified}/${t.missed}, ${t.bugFound === null ? '-' : t.bugFound ? 'found' : 'NOT found'}`;
    };
    console.log(`| ${r.module} | ${r.role} | ${r.misaligned}${r.sameOnArm ? '' : ' (arm differs)'} | ${names.map(cell).join(' | ')} |`);
  }
  for (const r of rows) {
    for (const n of names) {
      const t = r.tools[n];
      if (!t) continue;
      for (const d of t.details) if (d.verdict !== 'TP') console.log(`${r.module} ${n} ${d.verdict} ${d.at}: ${d.message.slice(0, 160)}`);
      for (const l of t.missedLines) console.log(`${r.module} ${n} MISSED ${l}`);
    }
  }
}

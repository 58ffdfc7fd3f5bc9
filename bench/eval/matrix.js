#!/usr/bin/env node
// node bench/eval/matrix.js DIR [--targets LIST] [--rules a,b] [--tests] [--json FILE] [--verbose] [-p N]
//                             [--truth FILE] [--crossvet bin/crossvet.js]
//
// Holds crossvet's compile-error rules (platform-symbol, syscall-portability,
// int-overflow-32bit) to the Go compiler on a real module: builds DIR with
// `go build -gcflags=all=-e ./...` for every target, runs crossvet over DIR with the same
// targets, and matches the two by file, line and target.
//
// - A compile error (file:line on a target) that a finding of a rule lists that target for
//   is a true positive of that rule.
// - A finding's target with no compile error on that line is a false positive, unless the
//   package could not be type-checked on that target because a package it imports failed
//   (go build does not compile dependants of a failed package) and go/types could not
//   check it either (typecheck/main.go does, for the packages behind a failed import):
//   those are "unverified".
// - A compile error no finding explains is a miss, charged to the rule whose job it is, by
//   its message: overflows -> int-overflow-32bit; syscall, golang.org/x/sys names ->
//   syscall-portability; other undefined names, fields, methods, mismatched types and
//   imports with no files -> platform-symbol; anything else -> "other" (listed, not charged).
// - Errors on the same line on every target where the file builds are not portability
//   errors (the code is broken everywhere) and are left out.
//
// Needs the go command, DIR's dependencies in the module cache (run `go mod tidy` or
// `go mod download` first) and a built crossvet (`npx tsc -p .`). It never runs in the test
// suite: real modules come from the network. See bench/README.md.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const RULES = ['platform-symbol', 'syscall-portability', 'int-overflow-32bit'];
const crossvet = path.join(__dirname, '..', '..', 'bin', 'crossvet.js');

function parseArgs(argv) {
  const o = { dir: undefined, targets: 'default', rules: RULES, tests: false, json: undefined, verbose: false, p: '1', truth: undefined, crossvet };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--targets' || a === '-t') o.targets = argv[++i];
    else if (a === '--rules') o.rules = argv[++i].split(',');
    else if (a === '--tests') o.tests = true;
    else if (a === '--json') o.json = argv[++i];
    else if (a === '--verbose' || a === '-v') o.verbose = true;
    else if (a === '-p') o.p = argv[++i];
    else if (a === '--truth') o.truth = argv[++i];
    else if (a === '--crossvet') o.crossvet = path.resolve(argv[++i]);
    else if (!o.dir) o.dir = a;
    else throw new Error(`unexpected argument ${a}`);
  }
  if (!o.dir) throw new Error('usage: matrix.js DIR [--targets LIST] [--rules a,b] [--tests] [--json FILE] [-v] [-p N]');
  o.dir = path.resolve(o.dir);
  return o;
}

function run(cmd, args, opts) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...opts });
  if (r.error) throw r.error;
  return { ...r, ms: Date.now() - t0 };
}

/** Targets with the environment the go command needs for each (GOARM=6 for linux/arm/v6 …). */
function resolveTargets(list) {
  const r = run(process.execPath, [crossvet, 'targets', list, '--json']);
  if (r.status !== 0) throw new Error(`crossvet targets: ${r.stderr}`);
  return JSON.parse(r.stdout).targets.map((t) => {
    const [goos, goarch] = t.target.split('/');
    const env = { GOOS: goos, GOARCH: goarch };
    // Only an explicit variant changes the environment; the listed one is the go command's default.
    const explicit = t.target.split('/').length > 2;
    if (explicit && t.variant) {
      const [k, v] = t.variant.split('=');
      env[k] = v;
    }
    return { id: t.target, env };
  });
}

function goEnv(extra) {
  return {
    ...process.env,
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-mod=mod',
    GOPROXY: 'off',
    GOWORK: 'off',
    ...extra,
  };
}

/** Module-relative path of a path the go command printed, or undefined outside DIR. */
function relFile(dir, cwd, p) {
  const abs = path.resolve(cwd, p);
  const rel = path.relative(dir, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/**
 * One target: the compile errors in DIR's files, the packages that failed, and per package
 * of DIR its files and deps for the target (from go list).
 *
 * go build refuses to build anything when one package of the pattern cannot be loaded (an
 * import of a package with no files for the target), so the packages that load are built
 * by name, and the others are type-checked with go/types after their load error is placed
 * at the import that causes it.
 */
function buildTarget(o, t) {
  const env = goEnv(t.env);
  const list = run('go', ['list', '-e', '-deps', '-json=ImportPath,Dir,GoFiles,CgoFiles,TestGoFiles,XTestGoFiles,Imports,Deps,Module,Error,DepsErrors', './...'], { cwd: o.dir, env });
  const pkgs = [];
  for (const chunk of list.stdout.split(/\n(?=\{)/)) {
    if (chunk.trim()) pkgs.push(JSON.parse(chunk));
  }
  const own = pkgs.filter((p) => relFile(o.dir, o.dir, p.Dir ?? '') !== undefined);
  const excluded = (e) => /build constraints exclude all Go files/.test(e?.Err ?? '');
  const hasFiles = (p) => (p.GoFiles ?? []).length + (p.CgoFiles ?? []).length > 0;
  const loadBad = new Set(own.filter((p) => hasFiles(p) && (p.Error || (p.DepsErrors ?? []).length > 0)).map((p) => p.ImportPath));
  const buildable = own.filter((p) => hasFiles(p) && !loadBad.has(p.ImportPath)).map((p) => p.ImportPath);

  const errors = [];
  const seen = new Set();
  const add = (file, line, col, message, extra) => {
    const k = `${file}:${line}:${col}:${message}`;
    if (seen.has(k)) return;
    seen.add(k);
    errors.push({ file, line, col, message, target: t.id, ...extra });
  };
  // Load errors: at their position, or at the import that leads to the package in error.
  for (const p of own) {
    for (const e of [p.Error, ...(p.DepsErrors ?? [])].filter(Boolean)) {
      if (e === p.Error && excluded(e) && !hasFiles(p)) continue; // a package of ./... with no files here
      const pos = /^(.+\.go):(\d+):(\d+)$/.exec(e.Pos ?? '');
      if (pos) {
        const file = relFile(o.dir, o.dir, pos[1]);
        if (file) add(file, Number(pos[2]), Number(pos[3]), e.Err.split('\n')[0]);
        continue;
      }
      const stack = e.ImportStack ?? [];
      const at = stack.indexOf(p.ImportPath);
      const next = at >= 0 ? stack[at + 1] : undefined;
      if (!next) continue;
      for (const name of [...(p.GoFiles ?? []), ...(p.CgoFiles ?? [])]) {
        const text = fs.readFileSync(path.join(p.Dir, name), 'utf8').split('\n');
        const i = text.findIndex((l) => l.includes(`"${next}"`) && /^\s*(import\s+)?([\w.]+\s+)?"/.test(l));
        if (i >= 0) {
          add(relFile(o.dir, o.dir, path.join(p.Dir, name)), i + 1, text[i].indexOf('"') + 1, `package ${next}: ${e.Err.split('\n')[0]}`);
          break;
        }
      }
    }
  }

  const b = buildable.length ? run('go', ['build', '-p', o.p, '-gcflags=all=-e', ...buildable], { cwd: o.dir, env }) : { stdout: '', stderr: '', ms: 0, status: 0 };
  let output = b.stderr + '\n' + b.stdout;
  // go test does not compile packages without test files: with --tests, both.
  if (o.tests && buildable.length) {
    const bt = run('go', ['test', '-p', o.p, '-vet=off', '-gcflags=all=-e', '-count=1', '-run=^$', '-exec=true', ...buildable], { cwd: o.dir, env });
    output += '\n' + bt.stderr + '\n' + bt.stdout;
    b.ms += bt.ms;
  }
  const failed = new Set(loadBad);
  let current;
  for (const line of output.split('\n')) {
    const h = /^# (\S+)/.exec(line);
    if (h) {
      current = h[1].replace(/ \[.*$/, '');
      failed.add(current);
      continue;
    }
    const m = /^(\S+\.go):(\d+):(?:(\d+):)? (.*)$/.exec(line);
    if (m) {
      const file = relFile(o.dir, o.dir, m[1]);
      if (current) failed.add(current);
      if (file) add(file, Number(m[2]), m[3] ? Number(m[3]) : 0, m[4]);
      continue;
    }
    const pe = /^package (\S+): /.exec(line);
    if (pe) failed.add(pe[1]);
  }

  // Packages of DIR that go build did not type-check: go/types.
  const unchecked = own.filter((p) => hasFiles(p) && (loadBad.has(p.ImportPath) || (!failed.has(p.ImportPath) && (p.Deps ?? []).some((d) => failed.has(d)))));
  const typed = new Set();
  if (unchecked.length > 0 && typecheckTool) {
    const tc = run(typecheckTool, [o.dir, ...unchecked.map((p) => p.ImportPath)], { cwd: o.dir, env });
    if (tc.status === 0) {
      for (const p of unchecked) typed.add(p.ImportPath);
      for (const line of tc.stdout.split('\n')) {
        const m = /^(\S+\.go):(\d+):(\d+): (.*)$/.exec(line);
        const file = m && relFile(o.dir, o.dir, m[1]);
        // A failed import is already reported at the import.
        if (file && !/could not import/.test(m[4])) add(file, Number(m[2]), Number(m[3]), m[4], { typesOnly: true });
      }
    }
    b.ms += tc.ms;
  }
  return { target: t.id, pkgs, errors, failed, typed, ms: b.ms + list.ms, status: b.status };
}

/** The go/types checker for packages go build leaves out (built for the host). */
let typecheckTool;
function buildTypecheck() {
  const out = path.join(require('node:os').tmpdir(), `crossvet-eval-typecheck-${process.pid}`);
  const env = { ...process.env, GOTOOLCHAIN: 'local', GOOS: '', GOARCH: '', GOFLAGS: '' };
  const r = run('go', ['build', '-o', out, 'main.go'], { cwd: path.join(__dirname, 'typecheck'), env });
  if (r.status !== 0) {
    process.stderr.write(`matrix: could not build the go/types checker; packages behind a failed import stay unverified\n${r.stderr}`);
    return undefined;
  }
  process.on('exit', () => fs.rmSync(out, { force: true }));
  return out;
}

/** Per target: files of DIR that build, and packages of DIR whose type-check was masked by a failed dependency. */
function targetFacts(o, res) {
  const files = new Set();
  const masked = new Set(); // module-relative package dirs
  const maskedTests = new Set();
  const failedDeps = (p) => (p.Deps ?? []).filter((d) => res.failed.has(d));
  for (const p of res.pkgs) {
    const rel = relFile(o.dir, o.dir, p.Dir ?? '');
    if (rel === undefined) continue;
    const names = [...(p.GoFiles ?? []), ...(p.CgoFiles ?? []), ...(o.tests ? [...(p.TestGoFiles ?? []), ...(p.XTestGoFiles ?? [])] : [])];
    for (const n of names) files.add(rel ? `${rel}/${n}` : n);
    const loadError = (p.Error && !/build constraints exclude all Go files/.test(p.Error.Err)) || (p.DepsErrors ?? []).length > 0;
    if ((failedDeps(p).length > 0 || loadError) && !res.typed.has(p.ImportPath)) masked.add(rel);
    // go test compiles no test file of a package that failed or was not built: the package's
    // errors hide them, and go/types checks only the package's own files.
    if (o.tests && (res.failed.has(p.ImportPath) || res.typed.has(p.ImportPath) || failedDeps(p).length > 0)) maskedTests.add(rel);
  }
  return { files, masked, maskedTests };
}

function classify(msg) {
  if (/overflows|truncated|constant .* overflows/.test(msg)) return 'int-overflow-32bit';
  if (/\b(syscall|unix|windows)\.|golang\.org\/x\/sys|"syscall"/.test(msg)) return 'syscall-portability';
  if (/undefined|has no field or method|unknown field|mismatched types|cannot use|build constraints exclude|not enough arguments|too many arguments|is not a type|invalid operation/.test(msg)) return 'platform-symbol';
  return 'other';
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  const targets = resolveTargets(o.targets);
  // The compiler's answer does not change with crossvet: --truth FILE keeps it between runs.
  const key = JSON.stringify({ targets: targets.map((t) => t.id), tests: o.tests });
  let truth;
  if (o.truth && fs.existsSync(o.truth)) {
    truth = JSON.parse(fs.readFileSync(o.truth, 'utf8'));
    if (truth.key !== key) throw new Error(`${o.truth} was made for other targets or test settings`);
  } else {
    typecheckTool = buildTypecheck();
    const t0 = Date.now();
    const results = targets.map((t) => {
      const r = buildTarget(o, t);
      process.stderr.write(`built ${t.id}: ${r.errors.length} errors in scanned files, ${(r.ms / 1000).toFixed(1)}s\n`);
      return { ...r, failed: [...r.failed], typed: [...r.typed] };
    });
    truth = { key, buildMs: Date.now() - t0, results };
    if (o.truth) fs.writeFileSync(o.truth, JSON.stringify(truth));
  }
  const buildMs = truth.buildMs;
  const results = truth.results.map((r) => ({ ...r, failed: new Set(r.failed), typed: new Set(r.typed) }));

  const cvArgs = [o.crossvet, 'check', './...', '--targets', targets.map((t) => t.id).join(','), '--format', 'json', '--rules', o.rules.join(','), '--no-cache'];
  if (!o.tests) cvArgs.push('--no-tests');
  const cv = run(process.execPath, cvArgs, { cwd: o.dir });
  if (cv.status === 2) throw new Error(`crossvet failed: ${cv.stderr}`);
  const report = JSON.parse(cv.stdout);
  const cvRoot = report.root;
  const findings = report.findings
    .filter((f) => !f.suppressed)
    .map((f) => ({ ...f, file: relFile(o.dir, cvRoot, f.file) ?? f.file }));

  const facts = new Map(results.map((r) => [r.target, targetFacts(o, r)]));
  const pkgOf = (file) => (file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '');

  // Compile errors keyed by file:line, per target.
  const errAt = new Map(); // `${file}:${line}` -> Map(target -> [errors])
  for (const r of results) {
    for (const e of r.errors) {
      const k = `${e.file}:${e.line}`;
      if (!errAt.has(k)) errAt.set(k, new Map());
      const m = errAt.get(k);
      if (!m.has(e.target)) m.set(e.target, []);
      m.get(e.target).push(e);
    }
  }
  // Lines broken on every target that compiles the file: not a portability error.
  const everywhere = new Set();
  for (const [k, byTarget] of errAt) {
    const file = k.slice(0, k.lastIndexOf(':'));
    const building = targets.filter((t) => facts.get(t.id).files.has(file) && !facts.get(t.id).masked.has(pkgOf(file)));
    if (building.length > 1 && building.every((t) => byTarget.has(t.id))) everywhere.add(k);
  }

  const stats = Object.fromEntries([...o.rules, 'other'].map((r) => [r, { tp: 0, fp: 0, fn: 0, unverified: 0, tpSites: new Set(), fpSites: new Set(), fnSites: new Set() }]));
  const fps = [];
  const fns = [];
  const explained = new Set(); // `${file}:${line}\0${target}`
  for (const f of findings) {
    if (!stats[f.ruleId]) continue;
    const k = `${f.file}:${f.span.start.line}`;
    for (const t of f.targets) {
      const errs = errAt.get(k)?.get(t);
      if (errs) {
        explained.add(`${k}\0${t}`);
        stats[f.ruleId].tp++;
        stats[f.ruleId].tpSites.add(k);
      } else if (facts.get(t)?.masked.has(pkgOf(f.file)) || (f.file.endsWith('_test.go') && facts.get(t)?.maskedTests.has(pkgOf(f.file)))) {
        stats[f.ruleId].unverified++;
      } else {
        stats[f.ruleId].fp++;
        stats[f.ruleId].fpSites.add(k);
        fps.push({ rule: f.ruleId, site: k, target: t, message: f.message });
      }
    }
  }
  for (const [k, byTarget] of errAt) {
    if (everywhere.has(k)) continue;
    for (const [t, errs] of byTarget) {
      if (explained.has(`${k}\0${t}`)) continue;
      // A finding on the line for other targets makes it that rule's miss.
      const onLine = findings.find((f) => `${f.file}:${f.span.start.line}` === k && stats[f.ruleId]);
      const rule = onLine ? onLine.ruleId : classify(errs[0].message);
      const s = stats[rule] ?? stats.other;
      s.fn++;
      s.fnSites.add(k);
      fns.push({ rule, site: k, target: t, message: errs.map((e) => e.message).join(' | ') });
    }
  }

  const out = {
    dir: o.dir,
    targets: targets.map((t) => t.id),
    buildSeconds: +(buildMs / 1000).toFixed(1),
    crossvetSeconds: +(cv.ms / 1000).toFixed(1),
    everywhere: everywhere.size,
    rules: Object.fromEntries(
      Object.entries(stats).map(([r, s]) => [r, { tp: s.tp, fp: s.fp, fn: s.fn, unverified: s.unverified, sites: { tp: s.tpSites.size, fp: s.fpSites.size, fn: s.fnSites.size } }]),
    ),
    falsePositives: fps,
    misses: fns,
  };
  if (o.json) fs.writeFileSync(o.json, JSON.stringify(out, null, 2) + '\n');

  console.log(`${path.basename(o.dir)}: go build x${targets.length} ${out.buildSeconds}s, crossvet ${out.crossvetSeconds}s; ${everywhere.size} line(s) broken on every target left out`);
  console.log('rule                   TP    FP    FN  unverified   (sites: TP/FP/FN)');
  for (const [r, s] of Object.entries(out.rules)) {
    console.log(`${r.padEnd(20)} ${String(s.tp).padStart(5)} ${String(s.fp).padStart(5)} ${String(s.fn).padStart(5)} ${String(s.unverified).padStart(11)}   ${s.sites.tp}/${s.sites.fp}/${s.sites.fn}`);
  }
  const show = (label, rows) => {
    if (rows.length === 0) return;
    // One line per site and message, with its targets.
    const g = new Map();
    for (const x of rows) {
      const k = `${x.rule}\0${x.site}\0${x.message}`;
      if (!g.has(k)) g.set(k, { ...x, targets: [] });
      g.get(k).targets.push(x.target);
    }
    console.log(`\n${label}:`);
    const list = [...g.values()];
    for (const x of o.verbose ? list : list.slice(0, 40)) console.log(`  [${x.rule}] ${x.site} (${x.targets.join(', ')}): ${x.message.slice(0, 300)}`);
    if (!o.verbose && list.length > 40) console.log(`  … ${list.length - 40} more (--verbose)`);
  };
  show('false positives', fps);
  show('misses', fns);
}

try {
  main();
} catch (e) {
  console.error(`matrix: ${e.message}`);
  process.exit(2);
}

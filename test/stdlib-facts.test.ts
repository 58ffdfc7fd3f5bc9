// The shipped standard-library facts (src/stdlib/stdlib.json, made by go/types) against
// crossvet's own reading of GOROOT (header pass, tree-sitter facts, symbol tables): for
// every exported name of syscall, os and net, the targets that declare it must agree, and
// so must the type of every field of syscall's structs. One side is the Go type checker;
// the other is everything platform-symbol and syscall-portability rely on.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { goEnv } from '../src/goenv';
import { parseTargets } from '../src/targets';
import { contextFor } from '../src/constraints/match';
import { goFilesIn, loadFile } from '../src/engine/files';
import { extractFacts, type FileFacts } from '../src/syntax/facts';
import type { SourceFile } from '../src/model/types';
import { ParsedSource, type SourceHost } from '../src/symbols/parsed';
import { ShippedSource } from '../src/symbols/shipped';
import { identTokens, type SymbolSource } from '../src/symbols/types';
import { stdFacts } from '../src/stdlib';

const env = goEnv();
const facts = stdFacts();
const TARGETS = parseTargets('linux/amd64,linux/386,linux/arm/v6,linux/arm64,linux/riscv64,windows/amd64,darwin/arm64,freebsd/amd64,openbsd/amd64,solaris/amd64,js/wasm,plan9/amd64');

const parsedCache = new Map<string, ParsedSource>();
const factsOf = new Map<string, FileFacts>();

function parsedPackage(importPath: string): ParsedSource {
  const cached = parsedCache.get(importPath);
  if (cached) return cached;
  const dir = path.join(env!.GOROOT, 'src', importPath);
  const contexts = TARGETS.map((t) => contextFor(t, { cgo: 'off' }));
  const files: SourceFile[] = [];
  const byPath = new Map<string, FileFacts>();
  const texts = new Map<string, string>();
  for (const p of goFilesIn(dir, [])) {
    const loaded = loadFile(p, { root: dir, contexts, includeTests: false, notes: [] });
    // Files that build for none of the targets declare nothing the comparison looks at.
    if (!loaded || loaded.file.isTest || loaded.file.builds.size === 0) continue;
    files.push(loaded.file);
    texts.set(p, loaded.text);
    byPath.set(p, extractFacts(fs.readFileSync(p), p));
    factsOf.set(p, byPath.get(p)!);
  }
  const host: SourceHost = {
    facts: (f) => byPath.get(f.path),
    ensureFacts: async () => {},
    tokens: (f) => identTokens(texts.get(f.path) ?? ''),
    importSource: () => undefined,
  };
  const src = new ParsedSource(host, importPath, files, true);
  src.addFiles(files);
  parsedCache.set(importPath, src);
  return src;
}

function availability(src: SymbolSource, name: string): string[] {
  const on = new Set<string>();
  for (const d of src.decls(name)) for (const t of d.targets) on.add(t);
  return TARGETS.map((t) => t.id).filter((t) => on.has(t));
}

describe.skipIf(!env || !facts || facts.goVersion !== env?.GOVERSION)('shipped stdlib facts agree with GOROOT read by crossvet', () => {
  it('has the Go version and every port of go tool dist list', () => {
    expect(facts!.goVersion).toBe(env!.GOVERSION);
    for (const t of TARGETS) expect(facts!.port(t.goos, t.goarch), t.id).toBeDefined();
  });

  for (const pkg of ['syscall', 'os', 'net', 'os/signal']) {
    it(`${pkg}: every exported name is declared for the same targets`, () => {
      const parsed = parsedPackage(pkg);
      const shipped = new ShippedSource(pkg, facts!, facts!.package(pkg)!, TARGETS, () => undefined);
      expect([...shipped.present].sort()).toEqual([...parsed.present].sort());
      const names = new Set<string>();
      const fileFacts = parsed.files.map((f) => factsOf.get(f.path)!);
      for (const ff of fileFacts) for (const d of ff.decls) if (d.kind !== 'method' && /^\p{Lu}/u.test(d.name)) names.add(d.name);
      const diffs: string[] = [];
      let compared = 0;
      for (const name of names) {
        const a = availability(parsed, name);
        // Names declared only in files that build for none of these targets are not in the facts for them.
        const b = availability(shipped, name);
        if (a.length === 0 && b.length === 0) continue;
        compared++;
        if (a.join() !== b.join()) diffs.push(`${pkg}.${name}: crossvet ${a.join(' ')} | go/types ${b.join(' ')}`);
      }
      expect(compared).toBeGreaterThan(pkg === 'syscall' ? 1000 : 3);
      expect(diffs).toEqual([]);
    });
  }

  it('syscall: struct fields have the same types per target', () => {
    const parsed = parsedPackage('syscall');
    const shipped = new ShippedSource('syscall', facts!, facts!.package('syscall')!, TARGETS, () => undefined);
    const diffs: string[] = [];
    let compared = 0;
    for (const type of ['Stat_t', 'Timespec', 'Timeval', 'Statfs_t', 'Rusage', 'SysProcAttr', 'Rlimit', 'Termios', 'Sysinfo_t', 'Dirent', 'Flock_t', 'Utsname']) {
      const fields = new Set<string>();
      for (const d of parsed.decls(type)) if (d.type?.kind === 'struct') for (const f of d.type.fields) if (/^\p{Lu}/u.test(f.name)) fields.add(f.name);
      for (const field of fields) {
        for (const t of TARGETS) {
          const a = parsed.member(type, field, t.id);
          const b = shipped.member(type, field, t.id);
          const show = (r: typeof a) => (r.k === 'field' ? (r.type.k === 'basic' ? r.type.name : r.type.k === 'named' ? `${r.type.ptr ? '*' : ''}${r.type.name}` : 'other') : r.k);
          if (a.k === 'unknown' || b.k === 'unknown') continue;
          compared++;
          // go/types resolves aliases and defined basic types the same way; compare what both can name.
          const sa = show(a);
          const sb = show(b);
          if (sa !== sb && !(sa === 'other' || sb === 'other')) diffs.push(`${type}.${field} on ${t.id}: crossvet ${sa} | go/types ${sb}`);
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
    expect(diffs).toEqual([]);
  });
});

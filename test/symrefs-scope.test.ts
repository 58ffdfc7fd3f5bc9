// The symrefs extractor's scope resolution against go/types, on real code from GOROOT.
// For every identifier use, go/types says whether it denotes a package-level object, an
// import, a predeclared object or a local (test/go/scopeoracle). The extractor must
// report every package-level and import use (recall: a missed one is a missed finding)
// and never a local (precision: a local reported as package-level is a false alarm),
// and every static type it claims for a local must be the one go/types computed.
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { goEnv, runGo } from '../src/goenv';
import { extractFacts } from '../src/syntax/facts';
import { extractSymRefs, packSymRefs, symRefsOf, unpackSymRefs, type TypeRef } from '../src/syntax/symrefs-extractor';
import { LineIndex, toSpan } from '../src/syntax/extractors';
import { buildTree } from '../src/syntax/tree';
import { decodeSource, parseGo } from '../src/syntax/facts';

const env = goEnv();
const oracleDir = path.resolve(__dirname, 'go', 'scopeoracle');
const bin = path.join(os.tmpdir(), `crossvet-scopeoracle-${process.pid}`);

// Packages with many scopes, generics, type switches, labels, closures and cgo.
const PACKAGES = ['os', 'syscall', 'net/http', 'go/types', 'encoding/json', 'text/template/parse', 'slices', 'runtime', 'net', 'internal/poll', 'os/exec', 'cmd/go/internal/modload'];

type Use = [number, number, string, string, string];

const PREDECLARED = new Set(['any', 'bool', 'byte', 'comparable', 'complex64', 'complex128', 'error', 'float32', 'float64', 'int', 'int8', 'int16', 'int32', 'int64', 'rune', 'string', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'true', 'false', 'iota', 'nil', 'append', 'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag', 'len', 'make', 'max', 'min', 'new', 'panic', 'print', 'println', 'real', 'recover']);

function typeString(t: TypeRef): string {
  return `${t.ptr ? '*' : ''}${t.pkg ? `${t.pkg}.` : ''}${t.name}`;
}

describe.skipIf(!env)('symrefs scope resolution agrees with go/types', () => {
  let results: { file: string; uses: Use[] }[] = [];
  beforeAll(() => {
    const b = runGo(['build', '-o', bin, '.'], { cwd: oracleDir });
    if (b.status !== 0) throw new Error(`building the scope oracle failed: ${b.stderr}`);
    const dirs = PACKAGES.map((p) => path.join(env!.GOROOT, 'src', p));
    const r = spawnSync(bin, dirs, { encoding: 'utf8', maxBuffer: 1 << 30 });
    fs.rmSync(bin, { force: true });
    if (r.status !== 0) throw new Error(r.stderr);
    results = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  });

  it('reports every package-level use, no local, and only true local types', () => {
    let uses = 0;
    let files = 0;
    let typed = 0;
    const missed: string[] = [];
    const wrong: string[] = [];
    const badTypes: string[] = [];
    for (const { file, uses: list } of results) {
      files++;
      const facts = extractFacts(fs.readFileSync(file), file);
      const refs = symRefsOf(facts.extras)!;
      const at = new Map<string, Use>();
      for (const u of list) at.set(`${u[0]}:${u[1]}:${u[2]}`, u);
      const mine = new Set<string>();
      for (const c of refs.chains) {
        if (c.base.k === 'name') {
          const key = `${c.base.span.start.line}:${c.base.span.start.col}:${c.base.name}`;
          mine.add(key);
          const u = at.get(key);
          if (u && u[3] !== 'pkg' && u[3] !== 'import') wrong.push(`${file}:${key} is ${u[3]}`);
        } else if (c.base.k === 'type' && c.base.span) {
          const key = `${c.base.span.start.line}:${c.base.span.start.col}`;
          const u = list.find((x) => `${x[0]}:${x[1]}` === key);
          // Types that depend on packages the oracle does not load are "invalid type" to it: nothing to compare.
          if (!u || /invalid type/.test(u[4])) continue;
          typed++;
          const want = u[4].replace(/\[.*\]$/, '');
          const got = typeString(c.base.t);
          if (want !== got) badTypes.push(`${file}:${key} ${u[2]}: go/types ${u[4]}, extractor ${got}`);
        }
      }
      for (const u of list) {
        if (u[3] !== 'pkg' && u[3] !== 'import') continue;
        if (PREDECLARED.has(u[2])) continue;
        uses++;
        if (!mine.has(`${u[0]}:${u[1]}:${u[2]}`)) missed.push(`${file}:${u[0]}:${u[1]} ${u[2]} (${u[3]})`);
      }
    }
    console.log(`scope oracle: ${files} files, ${uses} package-level and import uses, ${typed} local types compared`);
    expect(files).toBeGreaterThan(300);
    expect(uses).toBeGreaterThan(20000);
    expect(typed).toBeGreaterThan(1000);
    expect(wrong).toEqual([]);
    expect(badTypes).toEqual([]);
    expect(missed).toEqual([]);
  });

  it('stores the references compactly and reads them back unchanged', () => {
    let files = 0;
    let packedBytes = 0;
    let plainBytes = 0;
    for (const { file } of results.slice(0, 60)) {
      const text = decodeSource(fs.readFileSync(file));
      const tree = parseGo(text);
      const lines = new LineIndex(text);
      const refs = extractSymRefs(tree.rootNode, { src: Buffer.from(text), text, lines, toSpan: (n) => toSpan(lines, n), tree: buildTree(tree, tree.rootNode.hasError) });
      const packed = JSON.parse(JSON.stringify(packSymRefs(refs)));
      expect(unpackSymRefs(packed)).toEqual(refs);
      packedBytes += JSON.stringify(packed).length;
      plainBytes += JSON.stringify(refs).length;
      files++;
    }
    expect(files).toBe(60);
    expect(packedBytes).toBeLessThan(plainBytes / 3);
  });
});
